"""claims: one claim record per sentence of role author or relayed, scored for check-worthiness.

Backends (registry ``SCORER_BACKENDS``):
- ``model``: the trained check-worthiness and subjectivity models of :mod:`quellenlage.claimmodel`,
  whose log-odds are shifted by the transparent weights of the facts found (see :meth:`combine`);
- ``features``: a transparent weighted sum of what the other stages found (quantities, dates,
  names, attribution, hedges, questions, opinion and prediction markers); the embedded default
  that needs no model file;
- ``accurate``: as ``model``, with the models' accurate heads (multilingual-e5-small sentence
  embeddings; the ``accurate`` extra; about 35 sentences a second instead of thousands);
- ``auto`` (default): ``model`` where one ships for the language, else ``features``.

Every claim carries readable ``reasons``: the facts found (always) and what drove the score.
"""

from __future__ import annotations

import math

from quellenlage.document import Document, SpanIndex
from quellenlage.errors import ConfigurationError
from quellenlage.report import Claim, score_text
from quellenlage.resources import phrase_regex

SCORER_BACKENDS = ("auto", "model", "accurate", "features")
CLAIM_ROLES = ("author", "relayed")

# Weights of the transparent scorer (log-odds); the bias makes a bare sentence not check-worthy.
WEIGHTS = {
    "quantity": 1.4, "date": 0.7, "person": 0.5, "organisation": 0.6, "place": 0.35,
    "named": 0.5, "anonymous": 0.7, "reportative": 0.3, "speculative": -0.5, "uncertain": -0.3,
    "question": -2.5, "opinion": -0.9, "prediction": -0.4, "short": -1.2, "subjective": -0.5,
}
BIAS = -0.6
# Check-worthy claims get the model's word-level explanation (the others keep the facts as reasons).
EXPLAIN_FROM = 0.5


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _load_model_scorer(lang: str, variant: str = "fast"):
    """The claims model's scorer for ``lang``, or None where none ships (a missing extra for the
    accurate variant is an error: the user asked for it)."""
    from quellenlage.claimmodel import load_scorer
    from quellenlage.errors import ModelError, UnsupportedLanguageError

    try:
        scorer = load_scorer(lang, variant)
    except (ModelError, UnsupportedLanguageError):
        return None
    return scorer


class ClaimsStage:
    name = "claims"
    requires = ("sentences", "roles", "entities", "quantities", "dates", "hedges", "attributions")
    provides = ("claims",)

    def __init__(self, backend: str = "auto") -> None:
        if backend not in SCORER_BACKENDS:
            raise ConfigurationError(f"unknown claim scorer '{backend}'", hint=f"choose one of {SCORER_BACKENDS}")
        self.backend = backend

    def features(self, doc: Document, sentence, facts: dict) -> tuple[float, list[str], dict[str, float]]:
        """Transparent score, the facts as reasons, and the active features."""
        lang = sentence.language if sentence.language in ("de", "en") else "en"
        active: dict[str, float] = {}
        reasons: list[str] = []
        if facts["quantities"]:
            active["quantity"] = 1
            reasons.append("states a quantity: " + ", ".join(q.text + (f" {q.unit}" if q.unit and q.unit not in q.text else "")
                                                            for q in facts["quantities"][:3]))
        if facts["dates"]:
            active["date"] = 1
            reasons.append("gives a date: " + ", ".join(f"{d.text} ({d.value})" for d in facts["dates"][:3]))
        for label, key, word in (("PER", "person", "a person"), ("ORG", "organisation", "an organisation"),
                                 ("LOC", "place", "a place")):
            names = sorted({e.name for e in facts["entities"] if e.label == label})
            if names:
                active[key] = 1
                reasons.append(f"names {word}: " + ", ".join(names[:4]))
        att = facts["attribution"]
        if att.type == "named":
            active["named"] = 1
            reasons.append(f"attributed to a named source: {att.source_text}" + (" (continued report)" if att.carried_over else ""))
        elif att.type == "anonymous":
            active["anonymous"] = 1
            reasons.append(f"attributed to an anonymous source: {att.source_text}")
        elif att.type == "described":
            active["named"] = 1  # a source one can identify and ask, as a named one
            reasons.append(f"attributed to a source described, not named: {att.source_text}")
        elif att.type == "relayed":
            reasons.append(f"relayed from {att.source_text}")
        for h in facts["hedges"]:
            if h.kind == "question":
                active["question"] = 1
                reasons.append("question, not a statement")
            elif h.kind not in active:
                active[h.kind] = 1
                reasons.append({"speculative": "hedged as speculation", "uncertain": "hedged as uncertain",
                                "reportative": "reported with distance"}[h.kind] + f" ({h.text})")
        text = sentence.text
        op = phrase_regex(lang, "opinion").search(text)
        if op:
            active["opinion"] = 1
            reasons.append(f"reads as opinion ({op.group(0)})")
        pred = phrase_regex(lang, "prediction").search(text)
        if pred:
            active["prediction"] = 1
            reasons.append(f"prediction or conditional ({pred.group(0)})")
        if len(text.split()) < 5:
            active["short"] = 1
            reasons.append("too short to check on its own")
        score = _sigmoid(BIAS + sum(WEIGHTS[k] * v for k, v in active.items()))
        return score, reasons, active

    @staticmethod
    def combine(result, active: dict[str, float], fact_reasons: list[str]) -> tuple[float, list[str], bool]:
        """The trained model's log-odds, updated by the facts the other stages found.

        The model (trained on comments, debates and news sentences) judges the wording; the
        stages' facts (a quantity, a date, a named or anonymous source, a question) are evidence
        that holds in any domain, so they shift the model's log-odds by the transparent weights.
        """
        p = min(max(float(result.score), 1e-4), 1 - 1e-4)
        z = math.log(p / (1 - p)) + sum(WEIGHTS[k] * v for k, v in active.items())
        if result.subjective:
            z += WEIGHTS["subjective"]
        score = _sigmoid(z)
        model_reasons = [r for r in result.reasons if not r.lower().startswith(("check-worthy", "not check-worthy"))]
        if not result.reasons and result.subjective:
            model_reasons = [f"the model reads it as opinion (subjectivity {result.subjectivity_score:.2f})"]
        before, after = score_text(result.score), score_text(score)
        change = (f"{'raised' if score > p else 'lowered'} to {after} by the facts found" if before != after
                  else "hardly changed by the facts found")
        verdict = f"{'check-worthy' if score >= 0.5 else 'not check-worthy'}: the model's score {before} {change}"
        return score, [verdict] + model_reasons + fact_reasons, bool(result.subjective)

    def __call__(self, doc: Document) -> Document:
        sentences = doc.layer("sentences")
        attributions = doc.layer("attributions")
        entity_mentions = SpanIndex((m.start, m.end, e) for e in doc.layer("entities") for m in e.mentions)
        found = {name: SpanIndex((x.start, x.end, x) for x in doc.layer(name))
                 for name in ("quantities", "dates", "hedges")}
        candidates = []
        for sentence, att in zip(sentences, attributions):
            if sentence.role not in CLAIM_ROLES:
                continue
            ents = []
            for e in entity_mentions.within(sentence.start, sentence.end):
                if e not in ents:
                    ents.append(e)
            facts = {name: index.within(sentence.start, sentence.end) for name, index in found.items()}
            facts.update(entities=ents, attribution=att)
            candidates.append((sentence, facts))
        scored = [self.features(doc, sentence, facts) for sentence, facts in candidates]
        model_scores = self._model_scores(doc, candidates, [active for _s, _r, active in scored])
        originals = dict(zip((s.id for s in sentences), doc.layers.get("original_links", [])))
        claims: list[Claim] = []
        for i, (sentence, facts) in enumerate(candidates):
            score, reasons, active = scored[i]
            subjective = None
            if model_scores is not None and model_scores[i] is not None:
                score, reasons, subjective = self.combine(model_scores[i], active, reasons)
            claims.append(Claim(
                id=doc.next_id("c"), sentence_id=sentence.id, start=sentence.start, end=sentence.end,
                text=sentence.text, check_worthy=score >= 0.5, score=round(score, 4), reasons=reasons,
                subjective=subjective, entities=[e.id for e in facts["entities"]],
                quantities=facts["quantities"], dates=facts["dates"], attribution=facts["attribution"],
                hedges=facts["hedges"], original=originals.get(sentence.id, [])))
        doc.set_layer("claims", claims)
        return doc

    def _model_scores(self, doc: Document, candidates, actives):
        if self.backend == "features" or not candidates:
            doc.backends[self.name] = "features"
            return None
        by_lang: dict[str, list[int]] = {}
        for i, (sentence, _facts) in enumerate(candidates):
            by_lang.setdefault(sentence.language, []).append(i)
        results = [None] * len(candidates)
        used = set()
        for lang, idx in by_lang.items():
            scorer = _load_model_scorer(lang, "accurate" if self.backend == "accurate" else "fast")
            if scorer is None:
                if self.backend in ("model", "accurate"):
                    from quellenlage.errors import ModelError

                    raise ModelError(f"no trained claim model ships for '{lang}'", hint="use --scorer features")
                used.add("features")
                continue
            # Explain only the claims that are check-worthy once the facts are added (the
            # explanation is most of the model's cost); the rest keep the facts as reasons.
            def explain(j, result, idx=idx):
                combined, _reasons, _subjective = self.combine(result, actives[idx[j]], [])
                return "check" if combined >= EXPLAIN_FROM else False

            for i, r in zip(idx, scorer.score([candidates[i][0].text for i in idx], explain=explain)):
                results[i] = r
            used.add(f"model {scorer.name}")
        doc.backends[self.name] = "+".join(sorted(used))
        return results
