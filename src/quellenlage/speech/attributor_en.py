"""English attribution tagger: source, cue and content spans (PolNeAR style), two CRFs.

* The *source/cue* CRF labels ``B-SRC I-SRC B-CUE I-CUE O``.
* The *content* CRF labels ``B-CON I-CON O`` (contents may hold other attributions' sources and
  cues, hence a separate tagger).

A line break always ends a sentence. Spans are the B/I runs (a run continues over a sentence break when the next sentence starts
with ``I-``). ``find`` groups them into attributions: each content span takes the nearest cue
(same sentence first, then the sentence before/after), and the source nearest to that cue.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from quellenlage.crf import open_crf
from quellenlage.speech.features_en import document_features
from quellenlage.speech.records import Attribution
from quellenlage.speech.textfeatures import line_starts
from quellenlage.tokenize import tokenize

ROLE_TAG = {"source": "SRC", "cue": "CUE", "content": "CON"}


def bio_runs(labels: list[str], tag: str) -> list[tuple[int, int]]:
    """Token runs ``(start, end)`` of ``B-tag``/``I-tag`` labels (an ``I`` may start a run)."""
    out = []
    start = -1
    for i, lab in enumerate(labels + ["O"]):
        if lab == "B-" + tag or (lab == "I-" + tag and start < 0):
            if start >= 0:
                out.append((start, i))
            start = i
        elif lab != "I-" + tag and start >= 0:
            out.append((start, i))
            start = -1
    return out


@dataclass(frozen=True)
class TokenRoles:
    """Per-role token runs for one document."""

    spans: dict[str, list[tuple[int, int]]]
    chunks: list[tuple[int, int]]


class EnglishAttributor:
    """Source, cue and content spans of attributions in English text."""

    language = "en"

    def __init__(self, sc_model: Path, content_model: Path) -> None:
        rebuild = "training/train_attribution.py"
        self._sc = open_crf(sc_model, "attribution model", rebuild)
        self._con = open_crf(content_model, "attribution model", rebuild)

    def tag_tokens(self, tokens: list[str], starts: frozenset[int] = frozenset()) -> TokenRoles:
        """Source, cue and content token runs for a document given as token strings
        (``starts``: token indices that begin a sentence, e.g. line starts)."""
        import pycrfsuite

        if not tokens:
            return TokenRoles({r: [] for r in ROLE_TAG}, [])
        chunks, feats = document_features(tokens, starts)
        sc: list[str] = []
        con: list[str] = []
        for s, e in chunks:
            xseq = pycrfsuite.ItemSequence(feats[s:e])
            sc.extend(self._sc.tag(xseq))
            con.extend(self._con.tag(xseq))
        return TokenRoles({"source": bio_runs(sc, "SRC"), "cue": bio_runs(sc, "CUE"),
                           "content": bio_runs(con, "CON")}, chunks)

    def char_spans(self, text: str) -> dict[str, list[tuple[int, int]]]:
        """Source, cue and content spans of ``text`` as character offsets, per role."""
        offsets = tokenize(text)
        roles = self.tag_tokens([text[s:e] for s, e in offsets], line_starts(text, offsets))
        return {r: [(offsets[s][0], offsets[e - 1][1]) for s, e in runs]
                for r, runs in roles.spans.items()}

    def find(self, text: str) -> list[Attribution]:
        """Attributions in ``text`` (any length), one per predicted content span."""
        offsets = tokenize(text)
        roles = self.tag_tokens([text[s:e] for s, e in offsets], line_starts(text, offsets))
        n = len(offsets)
        sent_of = [0] * n
        for si, (s, e) in enumerate(roles.chunks):
            for i in range(s, e):
                sent_of[i] = si

        def chars(run):
            return None if run is None else (offsets[run[0]][0], offsets[run[1] - 1][1])

        out = []
        for cs, ce in roles.spans["content"]:
            cue = _nearest(roles.spans["cue"], cs, ce, sent_of)
            anchor = cue or (cs, ce)
            src = _nearest(roles.spans["source"], anchor[0], anchor[1], sent_of)
            out.append(Attribution(chars(src), chars(cue), chars((cs, ce))))
        return out


def _nearest(runs, s: int, e: int, sent_of: list[int]):
    """Closest run to [s, e) not inside it, within one sentence of its first/last sentence."""
    first, last = sent_of[s], sent_of[e - 1]
    best = None
    best_key = None
    for rs, re_ in runs:
        if rs >= s and re_ <= e:
            continue
        if sent_of[re_ - 1] < first - 1 or sent_of[rs] > last + 1:
            continue
        same = first <= sent_of[rs] <= last or first <= sent_of[re_ - 1] <= last
        dist = s - re_ if re_ <= s else (rs - e if rs >= e else 0)
        key = (not same, dist)
        if best_key is None or key < best_key:
            best, best_key = (rs, re_), key
    return best
