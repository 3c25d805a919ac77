"""Inputs of the German speech tagger's neural kind model (a BiLSTM, ``quellenlage.seqnn``).

The model reads the kind CRF's token features (``features_de``): the token-local templates
(``w=``, suffixes, shape, predicted part of speech, position and quotation bins) as hashed
categorical columns, every other non-neighbour feature (sentence, clause, lexicon and quotation
flags) as a 0/1 dense vector over the flag list stored with the model. Features of the
neighbouring tokens are left out: the BiLSTM reads its context itself.
"""

from __future__ import annotations

from itertools import chain

import numpy as np

from quellenlage.seqnn import hash_id
from quellenlage.speech.textfeatures import group_chunks

# (template, hash buckets, embedding dim)
COLUMNS = (("w", 1 << 15, 48), ("s3", 4096, 16), ("s2", 1024, 8), ("p2", 1024, 8),
           ("sh", 256, 8), ("t", 64, 8), ("pos", 16, 4), ("rpos", 16, 4), ("qlen", 16, 4),
           ("qfrom", 16, 4), ("qto", 16, 4), ("q", 16, 4))
COLUMN_INDEX = {name: k for k, (name, _, _) in enumerate(COLUMNS)}
NEIGHBOUR = frozenset(("w-2", "w-1", "w1", "w2", "sh-1", "sh1", "q-1", "q1", "w-1w", "ww+1",
                       "t-1", "t+1", "t-1t"))
LABELS = ("D", "I", "R", "F")  # direct, indirect, reported, free indirect


def is_flag(feature: str) -> bool:
    key = feature.split("=", 1)[0]
    return key not in COLUMN_INDEX and key not in NEIGHBOUR


_SKIP = -(1 << 40)


class _Codes(dict):
    """Feature string -> code, computed on first sight (``__missing__``)."""

    def __init__(self, compute, max_size: int) -> None:
        super().__init__()
        self.compute, self.max_size = compute, max_size

    def __missing__(self, x: str) -> int:
        if len(self) > self.max_size:
            self.clear()
        c = self[x] = self.compute(x)
        return c


class Encoder:
    """``encode`` with a cache of each feature string's code (flag index >= 0, or a negative
    number holding column and id), so that a document costs one dict look-up per string."""

    def __init__(self, flags: list[str], max_cache: int = 500_000) -> None:
        self.flags = {x: i for i, x in enumerate(flags)}
        self._code = _Codes(self._compute, max_cache)

    def _compute(self, x: str) -> int:
        key, sep, value = x.partition("=")
        k = COLUMN_INDEX.get(key) if sep else None
        if k is not None:
            return -1 - ((k << 20) | hash_id(value, COLUMNS[k][1]))
        return self.flags.get(x, _SKIP)

    def __call__(self, feats: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
        n = len(feats)
        lens = np.fromiter(map(len, feats), np.int64, count=n)
        code = np.fromiter(map(self._code.__getitem__, chain.from_iterable(feats)), np.int64,
                           count=int(lens.sum()))
        rows = np.repeat(np.arange(n), lens)
        ids = np.zeros((n, len(COLUMNS)), np.int64)
        dense = np.zeros((n, len(self.flags)), np.float32)
        m = code >= 0
        dense[rows[m], code[m]] = 1.0
        m = (code < 0) & (code != _SKIP)
        v = -1 - code[m]
        ids[rows[m], v >> 20] = v & ((1 << 20) - 1)
        return ids, dense


def encode(feats: list[list[str]], flags: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Per-token feature strings -> categorical ids (T, K) and dense flags (T, len(flags))."""
    n = len(feats)
    ids = np.zeros((n, len(COLUMNS)), np.int64)
    dense = np.zeros((n, len(flags)), np.float32)
    for i, f in enumerate(feats):
        for x in f:
            key, sep, value = x.partition("=")
            k = COLUMN_INDEX.get(key) if sep else None
            if k is not None:
                ids[i, k] = hash_id(value, COLUMNS[k][1])
            else:
                j = flags.get(x)
                if j is not None:
                    dense[i, j] = 1.0
    return ids, dense


def windows(chunks: list[tuple[int, int]], max_tokens: int) -> list[tuple[int, int]]:
    """The neural model's sequences: consecutive sentences of at most ``max_tokens`` tokens
    together, a longer sentence cut into equal pieces of at most ``max_tokens`` (the loop over
    time steps, not the number of sequences, sets the model's run time)."""
    out = []
    for s, e in group_chunks(chunks, max_tokens):
        k = -(-(e - s) // max_tokens)
        cuts = [s + (e - s) * j // k for j in range(k + 1)]
        out.extend(zip(cuts, cuts[1:]))
    return out
