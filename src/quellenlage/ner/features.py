"""Token features for the CRF named-entity tagger (shared by training and tagging).

Each token gets its own features (word, affixes, shape, word clusters learnt from unlabelled
text, gazetteer membership) and a few features of its neighbours. Features are plain strings
(crfsuite's "attribute with weight 1" form), which is the fastest input python-crfsuite takes.
"""

from __future__ import annotations

import hashlib
import re
import zlib
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


# Classes of a word's entity-type prior (ClusterTable.prior): GermEval's outer labels with every
# deriv/part variant in one class ("part").
PRIOR_CLASSES = ("O", "PER", "LOC", "ORG", "OTH", "part")


def char_ngram_rows(word: str, buckets: int) -> list[int]:
    """Hash buckets (crc32) of the character 2- to 4-grams of "<word>"."""
    w = "<" + word + ">"
    return [zlib.crc32(w[i:i + n].encode("utf-8")) % buckets
            for n in (2, 3, 4) for i in range(len(w) - n + 1)]


class ClusterTable:
    """Lower-cased word -> cluster ids at a few granularities, kept compact for large vocabularies:
    the words' sorted 64-bit keys and one row of ids per word (numpy arrays, a few bytes per word).

    Optionally ``prior``: per word the probabilities (x 255, uint8) of PRIOR_CLASSES that a small
    classifier over the word's embedding gives (training/train_ner.py fit_prior): what kind of
    name, if any, a word of this meaning usually is, also for words the labelled data lacks. For
    words not in the table, ``char_w``/``char_b`` give it from their character n-grams."""

    def __init__(self, keys: np.ndarray, ids: np.ndarray, prior: np.ndarray | None = None,
                 char_w: np.ndarray | None = None, char_b: np.ndarray | None = None) -> None:
        self.keys = keys  # uint64, sorted, unique
        self.ids = ids  # (len(keys), granularities) small ints
        self.prior = prior  # (len(keys), len(PRIOR_CLASSES)) uint8, or None
        self.char_w = char_w  # (hash buckets, len(PRIOR_CLASSES)) float16: prior of unknown words
        self.char_b = char_b  # (len(PRIOR_CLASSES),) float32

    @classmethod
    def from_dict(cls, clusters: dict[str, tuple[int, ...]], prior: np.ndarray | None = None) -> ClusterTable:
        """The table of a word -> ids dict; ``prior`` rows in the dict's order."""
        keys = np.array([word_key(w) for w in clusters], dtype=np.uint64)
        ids = np.array(list(clusters.values()), dtype=np.uint16).reshape(len(keys), -1)
        order = np.argsort(keys, kind="stable")
        if len(keys) and np.any(keys[order][1:] == keys[order][:-1]):
            raise ValueError("two words share a 64-bit key")
        return cls(keys[order], ids[order], None if prior is None else prior[order])

    def __len__(self) -> int:
        return len(self.keys)

    def index(self, word: str) -> int:
        """Row of the word, or -1."""
        key = np.uint64(word_key(word))
        i = int(self.keys.searchsorted(key))
        return i if i < len(self.keys) and self.keys[i] == key else -1

    def get(self, word: str) -> tuple[str, ...] | None:
        i = self.index(word)
        return tuple(str(c) for c in self.ids[i].tolist()) if i >= 0 else None

    def char_prior_features(self, word: str) -> list[str]:
        """Features of the prior for a word not in the table, from a linear model over its hashed
        character n-grams fitted to the table's priors ("kPER=1", "ka=LOC")."""
        if self.char_w is None:
            return []
        rows = char_ngram_rows(word, len(self.char_w))
        z = self.char_w[rows].sum(axis=0, dtype=np.float32) + self.char_b
        p = np.exp(z - z.max())
        p = (p / p.sum()).tolist()
        out = [f"k{PRIOR_CLASSES[c]}={0 if p[c] < 0.4 else 1 if p[c] < 0.7 else 2}"
               for c in range(1, len(p)) if p[c] >= 0.15]
        out.append("ka=" + PRIOR_CLASSES[p.index(max(p))])
        return out

    def prior_features(self, i: int) -> list[str]:
        """Binned prior of row i: "q<CLASS>=<0|1|2>" for each entity class with probability >= 0.15
        (bins below 0.4, below 0.7, above), and "qa=<most probable class>"."""
        if self.prior is None:
            return []
        p = self.prior[i].tolist()
        out = [f"q{PRIOR_CLASSES[c]}={0 if p[c] < 102 else 1 if p[c] < 179 else 2}"
               for c in range(1, len(p)) if p[c] >= 38]
        out.append("qa=" + PRIOR_CLASSES[p.index(max(p))])
        return out


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
        self._cache: dict[str, tuple[list[str], list[str], list[str], tuple[str, ...]]] = {}

    def _word(self, token: str) -> tuple[list[str], list[str], list[str], tuple[str, ...]]:
        """The token's own features, its cluster features, its entity-type prior features, and what
        its neighbours see of it."""
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
        prior: list[str] = []
        table = self.clusters
        row = table.index(low)
        if row < 0 and len(low) > 4 and low[-1] in "sn":
            # inflected form of a known word: genitive -s/-es, plural/dative -n/-en
            row = table.index(low[:-1])
            if row < 0 and low[-2] == "e":
                row = table.index(low[:-2])
            if row >= 0:
                clus.append("cinfl")
        if "-" in token and table.prior is not None:
            # most probable class of the first and the last part ("EU-Verordnung": ORG, a "part" word)
            for name, part in (("hyqh=", token.split("-", 1)[0]), ("hyqt=", token.rpartition("-")[2])):
                i = table.index(part.lower())
                if i >= 0:
                    prior.append(name + table.prior_features(i)[-1][3:])
        if row >= 0:
            cl = tuple(str(c) for c in table.ids[row].tolist())
            prior = table.prior_features(row) + prior
            clus.extend(("c0=" + cl[0], "c1=" + cl[1], "c2=" + cl[2]))
            ctx = (low, shape, cl[1], cl[0], cl[2])
        else:
            clus.append("c=?")
            prior = table.char_prior_features(low) + prior
            ctx = (low, shape, "?", "?", "?")
        result = (feats, clus, prior, ctx)
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
            own, clus, prior, ctx = words[i]
            g = gaz[i]
            if g is not None and hide and ("LOC" in g or "ORG" in g or "PER" in g):
                # the prior stays on a one-word list name (measured better), not on a longer one
                # ("Jabhat al-Nusra": the list is surer than the prior of "Jabhat")
                multi = g[0] == "I" or (i + 1 < n and (gaz[i + 1] or "")[:1] == "I")
                feats = list(own) if multi else own + prior
            else:
                feats = own + clus + prior
            if i == 0:
                feats.append("bos")
            if g is not None:
                feats.append("g=" + g)
            if i > 0:
                pl, ps, pc, pc0, pc2 = words[i - 1][3]
                feats.extend(("-1w=" + pl, "-1sh=" + ps, "-1c=" + pc, "-1w0=" + pl + "|" + ctx[0]))
                pg = gaz[i - 1]
                if pg is not None:
                    feats.append("-1g=" + pg)
                if i > 1:
                    feats.append("-2w=" + words[i - 2][3][0])
            if i + 1 < n:
                nl, ns, nc, nc0, nc2 = words[i + 1][3]
                feats.extend(("+1w=" + nl, "+1sh=" + ns, "+1c=" + nc, "+1w0=" + ctx[0] + "|" + nl))
                ng = gaz[i + 1]
                if ng is not None:
                    feats.append("+1g=" + ng)
                if i + 2 < n:
                    feats.append("+2w=" + words[i + 2][3][0])
            else:
                feats.append("eos")
            out.append(feats)
        return out
