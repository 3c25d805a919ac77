"""Token features for the CRF named-entity tagger (shared by training and tagging).

Each token gets its own features (word, affixes, shape, word clusters learnt from unlabelled
text, gazetteer membership) and a few features of its neighbours. Features are plain strings
(crfsuite's "attribute with weight 1" form), which is the fastest input python-crfsuite takes.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import numpy as np

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


def word_key(word: str) -> int:
    """64-bit key of a word in a ClusterTable (stable across runs and machines)."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


class ClusterTable:
    """Lower-cased word -> cluster ids at a few granularities, kept compact for large vocabularies:
    the words' sorted 64-bit keys and one row of ids per word (numpy arrays, a few bytes per word)."""

    def __init__(self, keys: np.ndarray, ids: np.ndarray) -> None:
        self.keys = keys  # uint64, sorted, unique
        self.ids = ids  # (len(keys), granularities) small ints

    @classmethod
    def from_dict(cls, clusters: dict[str, tuple[int, ...]]) -> ClusterTable:
        keys = np.array([word_key(w) for w in clusters], dtype=np.uint64)
        ids = np.array(list(clusters.values()), dtype=np.uint16).reshape(len(keys), -1)
        order = np.argsort(keys, kind="stable")
        if len(keys) and np.any(keys[order][1:] == keys[order][:-1]):
            raise ValueError("two words share a 64-bit key")
        return cls(keys[order], ids[order])

    def __len__(self) -> int:
        return len(self.keys)

    def get(self, word: str) -> tuple[str, ...] | None:
        key = np.uint64(word_key(word))
        i = int(self.keys.searchsorted(key))
        if i < len(self.keys) and self.keys[i] == key:
            return tuple(str(c) for c in self.ids[i].tolist())
        return None


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

    def __init__(self, clusters: ClusterTable, gazetteer: Gazetteer,
                 frequent: frozenset[str] = frozenset(), gazetteer_hides_clusters: bool = False) -> None:
        self.clusters = clusters
        self.gazetteer = gazetteer
        self.frequent = frequent  # lower-cased words seen often in lower case (function words)
        # A token in a PER/ORG/LOC list gets no cluster features of its own: the clusters of rare
        # names are noisy (German), and the model is to learn to trust the list and the context there.
        self.gazetteer_hides_clusters = gazetteer_hides_clusters
        self._cache: dict[str, tuple[list[str], list[str], tuple[str, ...]]] = {}

    def _word(self, token: str) -> tuple[list[str], list[str], tuple[str, ...]]:
        """The token's own features, its cluster features, and what its neighbours see of it."""
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
        clus = []
        cl = self.clusters.get(low)
        if cl is None and len(low) > 4 and low[-1] in "sn":
            # inflected form of a known word: genitive -s/-es, plural/dative -n/-en
            cl = self.clusters.get(low[:-1]) or (self.clusters.get(low[:-2]) if low[-2] == "e" else None)
            if cl is not None:
                clus.append("cinfl")
        if cl is not None:
            clus.extend(("c0=" + cl[0], "c1=" + cl[1], "c2=" + cl[2]))
            ctx = (low, shape, cl[1], cl[0], cl[2])
        else:
            clus.append("c=?")
            ctx = (low, shape, "?", "?", "?")
        result = (feats, clus, ctx)
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        self._cache[token] = result
        return result

    def sentence(self, tokens: list[str]) -> list[list[str]]:
        words = [self._word(t) for t in tokens]
        gaz = self.gazetteer.match(tokens)
        n = len(tokens)
        out: list[list[str]] = []
        hide = self.gazetteer_hides_clusters
        for i in range(n):
            own, clus, ctx = words[i]
            g = gaz[i]
            if g is not None and hide and ("LOC" in g or "ORG" in g or "PER" in g):
                feats = list(own)
            else:
                feats = own + clus
            if i == 0:
                feats.append("bos")
            if g is not None:
                feats.append("g=" + g)
            if i > 0:
                pl, ps, pc, pc0, pc2 = words[i - 1][2]
                feats.extend(("-1w=" + pl, "-1sh=" + ps, "-1c=" + pc, "-1w0=" + pl + "|" + ctx[0]))
                pg = gaz[i - 1]
                if pg is not None:
                    feats.append("-1g=" + pg)
                if i > 1:
                    feats.append("-2w=" + words[i - 2][2][0])
            if i + 1 < n:
                nl, ns, nc, nc0, nc2 = words[i + 1][2]
                feats.extend(("+1w=" + nl, "+1sh=" + ns, "+1c=" + nc, "+1w0=" + ctx[0] + "|" + nl))
                ng = gaz[i + 1]
                if ng is not None:
                    feats.append("+1g=" + ng)
                if i + 2 < n:
                    feats.append("+2w=" + words[i + 2][2][0])
            else:
                feats.append("eos")
            out.append(feats)
        return out
