"""German speech tagger: two CRFs over token features, with a small POS tagger's tags.

* The *kind* CRF labels every token with the set of speech kinds it belongs to (a token can be
  direct and reported at once), encoded as one label of initials: ``O``, ``D``, ``I``, ``R``,
  ``F``, ``DR``, ``IF`` ...
* The *role* CRF labels speaker mentions (``S``) and framing cue words (``C``).

``find`` treats a line break as a sentence end and turns the labels into spans: every maximal run of tokens carrying a kind is one
``SpeechSpan``; its speaker is the nearest predicted speaker mention in the same sentence
(outside the span first), else in the sentence before or after; its cue likewise.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

from quellenlage.crf import open_crf
from quellenlage.speech.clauses_de import CLAUSE_CRF_FILE, CLAUSE_FILE
from quellenlage.speech.corpora import KINDS
from quellenlage.speech.features_de import document_features, stack_features
from quellenlage.speech.pos_de import GermanPosTagger
from quellenlage.speech.records import SpeechSpan
from quellenlage.speech.textfeatures import group_chunks, line_starts, quote_structure
from quellenlage.tokenize import tokenize

INITIAL = {"direct": "D", "indirect": "I", "reported": "R", "free_indirect": "F"}
FROM_INITIAL = {v: k for k, v in INITIAL.items()}
ORDER = "DIRF"
POSTERIOR_THRESHOLD = {"I": 0.3, "R": 0.2, "F": 0.2}  # chosen on dev (MODEL_CARD)
# with the clause classifier (speech_de_clauses.npz next to the kind model): indirect and
# reported speech where MIX_WEIGHT * the CRF's marginal + (1 - MIX_WEIGHT) * the clause's
# probability reaches MIX_THRESHOLD (chosen on the held-out half of the train split, MODEL_CARD)
MIX_WEIGHT = 0.3
MIX_THRESHOLD = {"I": 0.25, "R": 0.25}
# with the clause CRF too (speech_de_clauses_crf.crfsuite, clauses_de.CRF_SHARE): indirect speech
# at 0.35 (chosen on the two halves of the train split, MODEL_CARD)
MIX_THRESHOLD_CRF = {"I": 0.35, "R": 0.25}
# speaker mentions: tokens whose marginal P(S) under the role CRF reaches this (the Viterbi path
# finds too few; chosen on the held-out half of the train split: speaker accuracy 0.335 -> 0.391)
SPEAKER_THRESHOLD = 0.15
TABLE_SHARE = 0.3  # no speech in a sentence with at least this share of tokens holding a digit
QUOTE_FILL = 0.3  # a quotation whose tokens are this much direct speech becomes direct whole
SEQUENCE_TOKENS = 1000  # sentences are tagged in sequences of up to this many tokens
POS_FILE = "speech_de_pos.crfsuite"  # the part-of-speech model, next to the kind model
NN_FILE = "speech_de_kinds_nn.npz"  # the neural kind model (BiLSTM), next to the kind model


def encode_kinds(kinds: set[str]) -> str:
    label = "".join(c for c in ORDER if FROM_INITIAL[c] in kinds)
    return label or "O"


def decode_kinds(label: str) -> set[str]:
    return set() if label == "O" else {FROM_INITIAL[c] for c in label}


def _runs(flags: list[bool], breaks: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
    """Maximal runs of true flags; a run also ends after every index in ``breaks``."""
    out = []
    start = -1
    for i, x in enumerate(flags + [False]):
        if x and start < 0:
            start = i
        elif not x and start >= 0:
            out.append((start, i))
            start = -1
        if start >= 0 and i in breaks:
            out.append((start, i + 1))
            start = -1
    return out


@dataclass(frozen=True)
class TokenTags:
    """Per-token predictions for one document."""

    kinds: list[set[str]]
    roles: list[str]  # "S", "C" or "O"
    chunks: list[tuple[int, int]]
    breaks: frozenset[int] = frozenset()  # closing quote directly followed by an opening one
    tokens: tuple[str, ...] = ()


@dataclass(frozen=True)
class TokenSpan:
    """A predicted speech span over token indices (end exclusive) with its speaker/cue runs."""

    start: int
    end: int
    kind: str
    speaker: tuple[int, int] | None
    cue: tuple[int, int] | None


class GermanSpeechTagger:
    """Direct, indirect, reported and free indirect speech with speaker and cue (German)."""

    language = "de"

    def __init__(self, kind_model: Path, role_model: Path, stack_model: Path | None = None,
                 pos_model: Path | None = None, nn_model: Path | None = None,
                 clause_model: Path | None = None) -> None:
        rebuild = "training/train_speech.py"
        self._pos = GermanPosTagger(pos_model or Path(kind_model).with_name(POS_FILE))
        self._kind = open_crf(kind_model, "speech model", rebuild)
        self._role = open_crf(role_model, "speech model", rebuild)
        self._stack = open_crf(stack_model, "speech model", rebuild) if stack_model is not None else None
        # a role model trained on first-pass kind labels is marked by its file name
        self._role_stacked = Path(role_model).name.endswith("_stacked.crfsuite")
        labels = self._kind.labels()
        self._labels_with = {c: tuple(x for x in labels if c in x) for c in "IRF"}
        self._plain = tuple(x for x in ("O", "D") if x in labels)  # labels without a rarer kind
        # the clause classifier: given, or next to the kind model
        clause_model = clause_model or Path(kind_model).with_name(CLAUSE_FILE)
        self._clauses = None
        if Path(clause_model).is_file():
            from quellenlage.speech.clauses_de import ClauseModel

            self._clauses = ClauseModel.load(Path(clause_model))
        # the clause CRF, next to the clause classifier (optional: without it the decoding of
        # the regression alone)
        self._clause_crf = None
        self._mix_threshold = MIX_THRESHOLD
        crf_file = Path(clause_model).with_name(CLAUSE_CRF_FILE)
        if self._clauses is not None and crf_file.is_file():
            from quellenlage.speech.clauses_de import ClauseCRF

            self._clause_crf = ClauseCRF(crf_file)
            self._mix_threshold = MIX_THRESHOLD_CRF
        self._speaker_label = "S" in self._role.labels()
        self._nn = None
        if nn_model is not None:
            from quellenlage.seqnn import SeqTagger
            from quellenlage.speech.nn_de import Encoder

            self._nn = SeqTagger.load(nn_model)
            self._nn_encode = Encoder(self._nn.meta["flags"])

    def _posterior(self, viterbi: list[str], clause_probs=None) -> list[str]:
        """Relabel the sequence last tagged: direct speech from the Viterbi path, the other kinds
        where their marginal probability reaches ``POSTERIOR_THRESHOLD`` (the CRF is cautious
        with the rarer kinds; lower thresholds raised dev F1, reported +4.5 points); with the
        clause classifier's per-token probabilities, ``_posterior_mixed``."""
        if clause_probs is not None:
            return self._posterior_mixed(viterbi, clause_probs)
        marginal = self._kind.marginal
        needed = sorted({x for labs in self._labels_with.values() for x in labs})
        lowest = min(POSTERIOR_THRESHOLD.values()) - 1e-9
        out = []
        for t, lab in enumerate(viterbi):
            kinds = "D" if "D" in lab else ""
            if 1.0 - sum(marginal(x, t) for x in self._plain) < lowest:
                out.append(kinds or "O")  # no rarer kind can reach its threshold: skip them
                continue
            probs = {x: marginal(x, t) for x in needed}  # each label's marginal once per token
            for initial, labs in self._labels_with.items():
                if sum(probs[x] for x in labs) >= POSTERIOR_THRESHOLD[initial]:
                    kinds += initial
            out.append("".join(c for c in ORDER if c in kinds) or "O")
        return out

    def _posterior_mixed(self, viterbi: list[str], clause_probs) -> list[str]:
        """Direct speech from the Viterbi path; indirect and reported speech where ``MIX_WEIGHT``
        * the CRF's summed marginal + (1 - ``MIX_WEIGHT``) * the clause classifier's probability
        reaches ``MIX_THRESHOLD``; free indirect speech as in ``_posterior``. The CRF's label
        marginals are queried only where they can change the outcome."""
        marginal = self._kind.marginal
        needed = sorted({x for labs in self._labels_with.values() for x in labs})
        w = MIX_WEIGHT
        mix = self._mix_threshold
        th_i, th_r, th_f = mix["I"], mix["R"], POSTERIOR_THRESHOLD["F"]
        plain = self._plain
        out = []
        for t, lab in enumerate(viterbi):
            kinds = "D" if "D" in lab else ""
            rest = 1.0 - (marginal(plain[0], t) + marginal(plain[1], t) if len(plain) == 2
                          else sum(marginal(x, t) for x in plain))
            lr_i, lr_r = clause_probs[t]
            # the CRF adds at most w * rest
            sure_i, sure_r = (1 - w) * lr_i >= th_i, (1 - w) * lr_r >= th_r
            open_i = not sure_i and w * rest + (1 - w) * lr_i >= th_i
            open_r = not sure_r and w * rest + (1 - w) * lr_r >= th_r
            if not (open_i or open_r or rest >= th_f):
                out.append("".join(c for c in ORDER if c in kinds + "I" * sure_i + "R" * sure_r)
                           or "O")
                continue
            probs = {x: marginal(x, t) for x in needed}
            for initial, labs in self._labels_with.items():
                p = sum(probs[x] for x in labs)
                if initial == "F":
                    if p >= th_f:
                        kinds += initial
                elif w * p + (1 - w) * (lr_i if initial == "I" else lr_r) >= mix[initial]:
                    kinds += initial
            out.append("".join(c for c in ORDER if c in kinds) or "O")
        return out

    def nn_probabilities(self, docs: list[tuple[list[list[str]], list[tuple[int, int]]]]):
        """The neural kind model's per-token probabilities (n, 4) (kinds in ``ORDER``) for
        each (features, chunks) document; all documents' sequences run as one batch (the loop
        over time steps costs the same for one sequence as for many)."""
        import numpy as np

        from quellenlage.speech.nn_de import windows

        ids, dense, bounds = [], [], []
        for feats, chunks in docs:
            i, d = self._nn_encode(feats)
            seqs = windows(chunks, int(self._nn.meta["seq_tokens"]))
            ids.extend(i[s:e] for s, e in seqs)
            dense.extend(d[s:e] for s, e in seqs)
            bounds.append(len(ids))
        probs = self._nn.probabilities(ids, dense)
        out, a = [], 0
        for b in bounds:
            out.append(np.concatenate(probs[a:b]) if b > a else np.zeros((0, len(ORDER))))
            a = b
        return out

    def _mixed_labels(self, nn_probs, seqs, xseqs) -> list[str]:
        """Labels from the weighted average of the neural model's and the kind CRF's
        probabilities (weight and per-kind thresholds chosen on held-out training samples, in
        the model's meta data). The CRF's marginals are computed only for the tokens where they
        can change the outcome of direct, indirect or reported speech (free indirect speech
        takes them where they are computed)."""
        import numpy as np

        w = float(self._nn.meta["weight"])
        th = np.asarray(self._nn.meta["thresholds"], np.float32)
        p = w * nn_probs
        need = ((p < th) & (p + (1 - w) >= th))[:, :3].any(axis=1)
        for (s, e), xseq in zip(seqs, xseqs):
            if need[s:e].any():
                self._kind.set(xseq)
                p[s:e] += (1 - w) * kind_probabilities(self._kind, e - s, need[s:e])
        hit = p >= th
        return ["".join(c for c, h in zip(ORDER, row) if h) or "O" for row in hit.tolist()]

    # ------------------------------------------------------------------ token level
    def tag_tokens(self, tokens: list[str], starts: frozenset[int] = frozenset()) -> TokenTags:
        """Speech kinds and speaker/cue roles for a document given as token strings
        (``starts``: token indices that begin a sentence, e.g. line starts)."""
        return self.tag_tokens_many([(tokens, starts)])[0]

    def tag_tokens_many(self, docs: list[tuple[list[str], frozenset[int]]]) -> list[TokenTags]:
        """``tag_tokens`` for several (tokens, starts) documents; the neural kind model, where
        present, runs over all of them as one batch."""
        extras: list[dict] = [{} for _ in docs]
        prepared = [document_features(tokens, self._pos.tag, starts, self._clauses, ex,
                                      self._clause_crf)
                    if tokens else None for (tokens, starts), ex in zip(docs, extras)]
        nn_probs = [None] * len(docs)
        if self._nn is not None:
            todo = [j for j, x in enumerate(prepared) if x is not None]
            for j, p in zip(todo, self.nn_probabilities([(prepared[j][1], prepared[j][0])
                                                          for j in todo])):
                nn_probs[j] = p
        return [self._tag_prepared(tokens, x, p, ex.get("clause_probs"))
                if x is not None else TokenTags([], [], [])
                for (tokens, _), x, p, ex in zip(docs, prepared, nn_probs, extras)]

    def _tag_prepared(self, tokens, prepared, nn_probs, clause_probs=None) -> TokenTags:
        import pycrfsuite

        chunks, feats = prepared
        q = quote_structure(tokens)
        breaks = frozenset(i for i in range(len(tokens) - 1)
                           if q.role[i] == "close" and q.role[i + 1] == "open")
        labels: list[str] = []
        roles: list[str] = []
        seqs = group_chunks(chunks, SEQUENCE_TOKENS)
        xseqs = [pycrfsuite.ItemSequence(feats[s:e]) for s, e in seqs]
        for (s, e), xseq in zip(seqs, xseqs):
            if self._nn is None:
                labels.extend(self._posterior(self._kind.tag(xseq), None if clause_probs is None
                                              else clause_probs[s:e]))
            if not self._role_stacked:
                roles.extend(self._roles(xseq))
        if self._nn is not None:
            labels = self._mixed_labels(nn_probs, seqs, xseqs)
        if self._role_stacked or self._stack is not None:
            extra = stack_features(chunks, labels)
        if self._role_stacked:
            for s, e in seqs:
                xseq = pycrfsuite.ItemSequence([feats[i] + extra[i] for i in range(s, e)])
                roles.extend(self._roles(xseq))
        if self._stack is not None:
            labels = []
            for s, e in seqs:
                xseq = pycrfsuite.ItemSequence([feats[i] + extra[i] for i in range(s, e)])
                labels.extend(self._stack.tag(xseq))
        kinds = [decode_kinds(lab) for lab in labels]
        _fill_quotes(kinds, q)
        _drop_tables(kinds, tokens, chunks)
        return TokenTags(kinds, roles, chunks, breaks, tuple(tokens))

    def _roles(self, xseq) -> list[str]:
        """Role labels of a sequence: the Viterbi path, with speaker (``S``) exactly where the
        marginal P(S) reaches ``SPEAKER_THRESHOLD``."""
        labels = self._role.tag(xseq)
        if not self._speaker_label:
            return labels
        marginal = self._role.marginal
        th = SPEAKER_THRESHOLD
        return ["S" if marginal("S", t) >= th else ("O" if lab == "S" else lab)
                for t, lab in enumerate(labels)]

    def token_spans(self, tags: TokenTags) -> list[TokenSpan]:
        """Speech spans over token indices, each with its nearest speaker and cue run."""
        n = len(tags.kinds)
        sent_of = [0] * n
        for si, (s, e) in enumerate(tags.chunks):
            for i in range(s, e):
                sent_of[i] = si
        spk_runs = _runs([r == "S" for r in tags.roles])
        cue_runs = _runs([r == "C" for r in tags.roles])
        out = []
        for kind in KINDS:
            for s, e in _runs([kind in k for k in tags.kinds], tags.breaks):
                inside = kind == "reported" and REPORTED_INSIDE
                cue = _nearest(cue_runs, s, e, sent_of, tags.chunks, inside)
                speaker = _nearest(spk_runs, s, e, sent_of, tags.chunks, inside,
                                   cue if SPEAKER_NEAR_CUE else None)
                if speaker is None and SPEAKER_FALLBACK and tags.tokens:
                    speaker = _fallback_speaker(tags.tokens, s, e, cue, tags.chunks, sent_of,
                                                inside)
                out.append(TokenSpan(s, e, kind, speaker, cue))
        out.sort(key=lambda sp: (sp.start, sp.end, sp.kind))
        return out

    # ------------------------------------------------------------------ text level
    def find(self, text: str) -> list[SpeechSpan]:
        """Speech spans in ``text`` (any length: a sentence, a paragraph, a document)."""
        return self.find_many([text])[0]

    def find_many(self, texts: list[str]) -> list[list[SpeechSpan]]:
        """``find`` for several texts (e.g. the paragraphs of a document) at once: the neural
        kind model runs over all of them as one batch, much faster than one call per text."""
        offsets = [tokenize(text) for text in texts]
        tokens = [[text[s:e] for s, e in offs] for text, offs in zip(texts, offsets)]
        tags = self.tag_tokens_many([(toks, line_starts(text, offs))
                                     for text, toks, offs in zip(texts, tokens, offsets)])
        out = []
        for offs, tg in zip(offsets, tags):
            def chars(run: tuple[int, int] | None, offs=offs) -> tuple[int, int] | None:
                if run is None:
                    return None
                return offs[run[0]][0], offs[run[1] - 1][1]

            out.append([SpeechSpan(offs[sp.start][0], offs[sp.end - 1][1], sp.kind,
                                   chars(sp.speaker), chars(sp.cue))
                        for sp in self.token_spans(tg)])
        return out


def kind_probabilities(crf, n: int, need=None):
    """Per token of the sequence last set in the kind CRF ``crf`` and per kind (``ORDER``) the
    summed marginal probability of the labels holding it, shape (n, 4); only for the tokens
    where ``need`` is true (default all; the others stay 0), sums below 0.001 left at 0."""
    import numpy as np

    marginal = crf.marginal
    labels = crf.labels()
    out = np.zeros((n, len(ORDER)), np.float32)
    idx = np.arange(n) if need is None else np.flatnonzero(need)
    plain = np.array([marginal("O", t) for t in idx.tolist()])
    keep = plain <= 0.999  # elsewhere every kind is below 0.001
    idx, plain = idx[keep], plain[keep]
    if not len(idx) or "D" not in labels:
        return out
    direct = np.array([marginal("D", t) for t in idx.tolist()], np.float32)
    out[idx, 0] = direct
    idx = idx[plain + direct <= 0.999].tolist()  # elsewhere only direct speech counts
    for x in labels:
        if x not in ("O", "D") and idx:
            p = np.array([marginal(x, t) for t in idx], np.float32)
            for c in x:
                out[idx, ORDER.index(c)] += p
    return out


SPEAKER_FALLBACK = True
# among the speaker runs in the span's sentences, the one nearest to the span's cue (not to the
# span): held-out half of the train split 0.391 -> 0.395, dev 0.368 -> 0.380
SPEAKER_NEAR_CUE = True
REPORTED_INSIDE = True  # look for the speaker of reported speech inside the span first
FALLBACK_WINDOW = 4
_PRONOUNS = frozenset("er sie ich wir du ihr man Er Sie Ich Wir Du Ihr Man".split())


def _fallback_speaker(tokens, s: int, e: int, cue, chunks, sent_of, inside: bool = False):
    """When the role CRF found no speaker but a cue: the pronoun or capitalised word (with the
    capitalised words right before it, "Felix Kulov") nearest to the cue, at most
    ``FALLBACK_WINDOW`` tokens away, in the span's sentences and outside the span."""
    if cue is None:
        return None
    lo, hi = chunks[sent_of[s]][0], chunks[sent_of[e - 1]][1]
    lo, hi = max(lo, cue[0] - FALLBACK_WINDOW), min(hi, cue[1] + FALLBACK_WINDOW)
    anchor = cue[0]
    best = None
    for i in range(lo, hi):
        if (s <= i < e and not inside) or cue[0] <= i < cue[1]:
            continue
        tok = tokens[i]
        sent_start = i == chunks[sent_of[i]][0]
        if tok in _PRONOUNS or (tok[:1].isupper() and tok.isalpha() and not sent_start):
            d = abs(i - anchor)
            if best is None or d < best[0]:
                best = (d, i)
    if best is None:
        return None
    i = best[1]
    j = i
    while j - 1 > chunks[sent_of[i]][0] and tokens[j - 1][:1].isupper() and tokens[j - 1].isalpha() \
            and tokens[i] not in _PRONOUNS and (inside or not s <= j - 1 < e):
        j -= 1
    return (j, i + 1)


_DIGIT = re.compile(r"\d").search


def _drop_tables(kinds: list[set[str]], tokens, chunks) -> None:
    """No speech in a sentence whose tokens hold a digit in at least ``TABLE_SHARE`` of them
    (tables of prices and dates; the train split has no speech token in any such sentence,
    where the CRF could tag whole stock tables as free indirect or indirect speech)."""
    for s, e in chunks:
        digits = sum(1 for i in range(s, e) if not tokens[i].isalpha() and _DIGIT(tokens[i]))
        if digits >= TABLE_SHARE * (e - s):
            for i in range(s, e):
                kinds[i].clear()


def _fill_quotes(kinds: list[set[str]], q) -> None:
    """Make a whole quotation (marks included) direct speech when at least ``QUOTE_FILL`` of
    its tokens were tagged direct (the CRF often leaves gaps in long quotations; +2.7 points
    of direct F1 on dev)."""
    i = 0
    n = len(kinds)
    while i < n:
        if q.role[i] == "open" and q.qend[i] > i:
            a, b = i, q.qend[i]
            share = sum("direct" in kinds[j] for j in range(a, b + 1)) / (b - a + 1)
            if share >= QUOTE_FILL:
                for j in range(a, b + 1):
                    kinds[j].add("direct")
            i = b + 1
        else:
            i += 1


def _nearest(runs: list[tuple[int, int]], s: int, e: int, sent_of: list[int],
             chunks: list[tuple[int, int]], prefer_inside: bool = False,
             anchor: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """The run closest to the span [s, e): same sentences first (outside the span preferred,
    or inside with ``prefer_inside``: reported speech holds its speaker three times in four),
    then one sentence before the span's first or after its last sentence. With an ``anchor``
    run (the span's cue), "closest" within the span's sentences means closest to the anchor."""
    if not runs:
        return None
    first, last = sent_of[s], sent_of[e - 1]
    lo = chunks[max(first - 1, 0)][0]
    hi = chunks[min(last + 1, len(chunks) - 1)][1]
    same_lo, same_hi = chunks[first][0], chunks[last][1]
    best = None
    best_key = None
    # the runs are sorted and do not overlap: start at the first that ends after ``lo`` and stop
    # at the first that starts at ``hi`` (not every run of the document for every span)
    for rs, re_ in itertools.islice(runs, bisect.bisect_right(runs, lo, key=lambda r: r[1]), None):
        if rs >= hi:
            break
        if re_ <= lo:
            continue
        inside = rs >= s and re_ <= e
        same = rs >= same_lo and re_ <= same_hi
        if anchor is not None and same:
            a, b = anchor
            dist = a - re_ if re_ <= a else (rs - b if rs >= b else 0)
        else:
            dist = s - re_ if re_ <= s else (rs - e if rs >= e else 0)
        key = (not same, inside != prefer_inside, dist)
        if best_key is None or key < best_key:
            best, best_key = (rs, re_), key
    return best
