"""Token features for the CRF named-entity tagger (shared by training and tagging).

Each token gets its own features (word, affixes, shape, word clusters learnt from unlabelled
text, gazetteer membership) and a few features of its neighbours. Features are plain strings
(crfsuite's "attribute with weight 1" form), which is the fastest input python-crfsuite takes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_SHAPE_MAP = str.maketrans(
    {**{c: "X" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜ"},
     **{c: "x" for c in "abcdefghijklmnopqrstuvwxyzäöüß"},
     **{c: "d" for c in "0123456789"}}
)
_REPEAT = re.compile(r"(.)\1+")
_CACHE_LIMIT = 200_000


def word_shape(token: str) -> str:
    """Short word shape: "Kasachstan" -> "Xx", "MI6" -> "Xd", "al-Nusra" -> "x-Xx"."""
    shape = token.translate(_SHAPE_MAP)
    if not shape.isascii():
        shape = "".join("X" if c.isupper() else "x" if c.isalpha() else c for c in shape)
    return _REPEAT.sub(r"\1", shape)[:6]


@dataclass
class Gazetteer:
    """Multi-token name lists: token tuple -> sorted label string ("LOC", "LOC|ORG")."""

    entries: dict[tuple[str, ...], str] = field(default_factory=dict)
    max_len: int = 1

    def add(self, tokens: tuple[str, ...], label: str) -> None:
        if not tokens:
            return
        old = self.entries.get(tokens)
        labels = set(old.split("|")) if old else set()
        labels.add(label)
        self.entries[tokens] = "|".join(sorted(labels))
        self.max_len = max(self.max_len, len(tokens))

    def match(self, tokens: list[str]) -> list[str | None]:
        """Per token "B-LABELS"/"I-LABELS" for the longest list entry covering it, else None."""
        out: list[str | None] = [None] * len(tokens)
        entries = self.entries
        n = len(tokens)
        i = 0
        while i < n:
            hit = 0
            if tokens[i][:1].isupper() or tokens[i][:1].isdigit():
                for size in range(min(self.max_len, n - i), 0, -1):
                    labels = entries.get(tuple(tokens[i:i + size]))
                    if labels is not None:
                        out[i] = "B-" + labels
                        for j in range(i + 1, i + size):
                            out[j] = "I-" + labels
                        hit = size
                        break
            if not hit and n - i >= 1 and len(tokens[i]) > 3 and tokens[i][-1] == "s" and tokens[i][:1].isupper():
                labels = entries.get((tokens[i][:-1],))  # genitive "Kasachstans"
                if labels is not None:
                    out[i] = "S-" + labels
            i += hit or 1
        return out


class FeatureExtractor:
    """Turns a token list into crfsuite attribute lists."""

    def __init__(self, clusters: dict[str, tuple[str, ...]], gazetteer: Gazetteer,
                 frequent: frozenset[str] = frozenset()) -> None:
        self.clusters = clusters
        self.gazetteer = gazetteer
        self.frequent = frequent  # lower-cased words seen often in lower case (function words)
        self._cache: dict[str, tuple[list[str], tuple[str, ...]]] = {}

    def _word(self, token: str) -> tuple[list[str], tuple[str, ...]]:
        cached = self._cache.get(token)
        if cached is not None:
            return cached
        low = token.lower()
        shape = word_shape(token)
        feats = ["b", "w=" + low, "sh=" + shape, "p2=" + low[:2], "p3=" + low[:3],
                 "s2=" + low[-2:], "s3=" + low[-3:], "s4=" + low[-4:], "s5=" + low[-5:]]
        first = token[:1]
        if first.isupper():
            feats.append("up")
            if token.isupper() and len(token) > 1:
                feats.append("allup")
            if low in self.frequent:
                feats.append("upfreq")  # capitalised form of a word mostly written lower case
        if "-" in token:
            head, _, tail = token.rpartition("-")
            feats.append("hy")
            feats.append("hyh=" + head.lower())
            feats.append("hyt=" + tail.lower())
            ctail = self.clusters.get(tail.lower())
            if ctail:
                feats.append("hytc=" + ctail[1])
        if any(c.isdigit() for c in token):
            feats.append("dig")
        if len(token) == 1 and not token.isalnum():
            feats.append("punct")
        cl = self.clusters.get(low)
        if cl is None and len(low) > 4 and low[-1] in "sn":
            # inflected form of a known word: genitive -s/-es, plural/dative -n/-en
            cl = self.clusters.get(low[:-1]) or (self.clusters.get(low[:-2]) if low[-2] == "e" else None)
            if cl is not None:
                feats.append("cinfl")
        if cl is not None:
            feats.extend(("c0=" + cl[0], "c1=" + cl[1], "c2=" + cl[2]))
            ctx = (low, shape, cl[1], cl[0], cl[2])
        else:
            feats.append("c=?")
            ctx = (low, shape, "?", "?", "?")
        result = (feats, ctx)
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        self._cache[token] = result
        return result

    def sentence(self, tokens: list[str]) -> list[list[str]]:
        words = [self._word(t) for t in tokens]
        gaz = self.gazetteer.match(tokens)
        n = len(tokens)
        out: list[list[str]] = []
        for i in range(n):
            own, ctx = words[i]
            feats = list(own)
            if i == 0:
                feats.append("bos")
            g = gaz[i]
            if g is not None:
                feats.append("g=" + g)
            if i > 0:
                pl, ps, pc, pc0, pc2 = words[i - 1][1]
                feats.extend(("-1w=" + pl, "-1sh=" + ps, "-1c=" + pc, "-1w0=" + pl + "|" + ctx[0]))
                pg = gaz[i - 1]
                if pg is not None:
                    feats.append("-1g=" + pg)
                if i > 1:
                    feats.append("-2w=" + words[i - 2][1][0])
            if i + 1 < n:
                nl, ns, nc, nc0, nc2 = words[i + 1][1]
                feats.extend(("+1w=" + nl, "+1sh=" + ns, "+1c=" + nc, "+1w0=" + ctx[0] + "|" + nl))
                ng = gaz[i + 1]
                if ng is not None:
                    feats.append("+1g=" + ng)
                if i + 2 < n:
                    feats.append("+2w=" + words[i + 2][1][0])
            else:
                feats.append("eos")
            out.append(feats)
        return out
