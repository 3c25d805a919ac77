"""Monotonic sentence alignment by dynamic programming over bead similarities.

Vecalign/Bertalign style: a bead joins ``a`` consecutive derived sentences with ``b``
consecutive original sentences; its similarity is the cosine of the embeddings of the
concatenated sentences. The DP maximises the sum, over matched beads, of
``(a + b) / 2 * (sim - tau) - merge_penalty * (a + b - 2)``; a sentence left unmatched
(1-0 or 0-1) costs ``skip_derived`` / ``skip_original`` (small or zero), so long
unmatched blocks on either side stay cheap when nothing on the other side is similar:
a local, semi-global alignment suited to excerpts and partial translations.
With ``length_weight`` set and the sentence lengths given, each bead also pays
``length_weight * (a + b) / 2`` times the absolute log ratio of the character lengths of
its two sides (Gale and Church's length signal): it tells a 1-1 from a 1-2 bead where the
embeddings barely differ, e.g. when a short line joins a long one.

Each DP row is computed with numpy: every bead type except 0-1 comes from earlier rows,
and the 0-1 moves inside a row are a running maximum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Bead shapes tried besides 1-0 and 0-1.
DEFAULT_BEADS: tuple[tuple[int, int], ...] = ((1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1),
                                               (2, 3), (3, 2), (1, 4), (4, 1), (3, 3), (1, 5),
                                               (5, 1))


@dataclass(frozen=True)
class AlignParams:
    tau: float = 0.0
    merge_penalty: float = 0.1
    lexical_weight: float = 0.3
    margin_k: int = 4
    margin_alpha: float = 0.5
    exact_max: int = 1
    merge_gain: float = 0.0
    merge_gain_derived: float | None = None
    inner_gain: float | None = None
    skip_derived: float = 0.0
    skip_original: float = 0.0
    length_weight: float = 0.0
    length_mu: float = 0.0
    length_smoothing: float = 60.0
    beads: tuple[tuple[int, int], ...] = DEFAULT_BEADS
    temperature: float = 0.05

    @classmethod
    def from_dict(cls, data: dict) -> AlignParams:
        values = dict(data)
        if "beads" in values:
            values["beads"] = tuple(tuple(b) for b in values["beads"])
        known = {k: v for k, v in values.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def to_dict(self) -> dict:
        return {"tau": self.tau, "merge_penalty": self.merge_penalty,
                "lexical_weight": self.lexical_weight, "margin_k": self.margin_k,
                "margin_alpha": self.margin_alpha, "exact_max": self.exact_max,
                "merge_gain": self.merge_gain, "merge_gain_derived": self.merge_gain_derived,
                "inner_gain": self.inner_gain,
                "skip_derived": self.skip_derived, "skip_original": self.skip_original,
                "length_weight": self.length_weight, "length_mu": self.length_mu,
                "length_smoothing": self.length_smoothing,
                "beads": [list(b) for b in self.beads], "temperature": self.temperature}


@dataclass(frozen=True)
class Bead:
    derived: tuple[int, ...]
    original: tuple[int, ...]
    sim: float


def bead_score(sim: np.ndarray, a: int, b: int, params: AlignParams) -> np.ndarray:
    return (a + b) / 2.0 * (sim - params.tau) - params.merge_penalty * (a + b - 2)


def _sub_best(sims: dict[tuple[int, int], np.ndarray], a: int, b: int,
              side: int) -> np.ndarray | None:
    """For each (a, b) bead, the best similarity of the bead with its first or last sentence
    on one side (0 = derived, 1 = original) left out; None if that side has one sentence."""
    target = sims[(a, b)].shape
    da, db = (1, 0) if side == 0 else (0, 1)
    if (da and a == 1) or (db and b == 1) or (a - da, b - db) not in sims:
        return None
    sub = sims[(a - da, b - db)]
    best = None
    for off in (0, 1):  # drop the last or the first sentence of that side
        part = sub[off * da:off * da + target[0], off * db:off * db + target[1]]
        best = part if best is None else np.maximum(best, part)
    return best


def _inner_best(one: np.ndarray, a: int, b: int, shape: tuple[int, int]) -> np.ndarray:
    """For each (a, b) bead, the best 1-1 similarity of a sentence pair inside it."""
    out = np.full(shape, -np.inf)
    for i in range(a):
        for j in range(b):
            np.maximum(out, one[i:i + shape[0], j:j + shape[1]], out=out)
    return out


def _window_lengths(lengths: np.ndarray, size: int) -> np.ndarray:
    csum = np.concatenate([[0.0], np.cumsum(lengths, dtype=float)])
    return csum[size:] - csum[:-size]


def length_costs(lengths: tuple[np.ndarray, np.ndarray], a: int, b: int,
                 smoothing: float) -> np.ndarray:
    """Gale-Church style length signal of every (a, b) bead: the log ratio of the character
    lengths of its two sides, ``smoothing`` characters added to each side so that short
    lines (whose lengths vary most between languages) weigh less."""
    ld = _window_lengths(np.asarray(lengths[0], dtype=float), a) + smoothing
    lo = _window_lengths(np.asarray(lengths[1], dtype=float), b) + smoothing
    return np.log(ld)[:, None] - np.log(lo)[None, :]


def sentence_lengths(derived: list[str], original: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Character lengths of the sentences of both sides (input of the length cost)."""
    return (np.array([len(s) for s in derived], dtype=float),
            np.array([len(s) for s in original], dtype=float))


def align(sims: dict[tuple[int, int], np.ndarray], n: int, m: int,
          params: AlignParams,
          lengths: tuple[np.ndarray, np.ndarray] | None = None) -> list[Bead]:
    """Best monotonic alignment of ``n`` derived and ``m`` original sentences.

    ``sims[(a, b)]`` is a matrix of shape ``(n - a + 1, m - b + 1)``: entry ``[p, q]`` is the
    similarity of derived sentences ``p..p+a-1`` with original sentences ``q..q+b-1``.
    ``lengths`` (character lengths of the derived and the original sentences) enables the
    length cost when ``params.length_weight`` is set.
    """
    beads = [b for b in params.beads if (b in sims)]
    scores = {}
    for a, b in beads:
        score = bead_score(sims[(a, b)], a, b, params)
        if params.length_weight and lengths is not None:
            # a bead whose sides differ much in length is less likely (Gale and Church)
            cost = np.abs(length_costs(lengths, a, b, params.length_smoothing)
                          - params.length_mu)
            score = score - params.length_weight * (a + b) / 2.0 * cost
        if a + b > 2:
            # a merged bead must be more similar than its parts: an unrelated neighbour
            # (an author's remark, a skipped sentence) must not ride along
            gains = (params.merge_gain if params.merge_gain_derived is None
                     else params.merge_gain_derived, params.merge_gain)
            for side, gain in enumerate(gains):
                sub = _sub_best(sims, a, b, side)
                if sub is not None:
                    score = np.where(sims[(a, b)] >= sub + gain, score, -1e9)
            if params.inner_gain is not None and (1, 1) in sims:
                # ... and not much less similar than the best sentence pair inside it
                inner = _inner_best(sims[(1, 1)], a, b, sims[(a, b)].shape)
                score = np.where(sims[(a, b)] >= inner + params.inner_gain, score, -1e9)
        scores[(a, b)] = score
    neg = -1e18
    D = np.full((n + 1, m + 1), neg)
    # choice[i, j]: -1 = came from the left (0-1), 0 = 1-0 from above, k >= 1 = bead k-1
    choice = np.zeros((n + 1, m + 1), dtype=np.int16)
    cols = np.arange(m + 1, dtype=float)
    D[0] = -params.skip_original * cols
    choice[0, 1:] = -1
    for i in range(1, n + 1):
        cand = D[i - 1] - params.skip_derived
        best = np.zeros(m + 1, dtype=np.int16)
        for k, (a, b) in enumerate(beads):
            if a > i or b > m:
                continue
            # bead ending at (i, j) starts at (i - a, j - b): j runs over b..m
            val = D[i - a, : m + 1 - b] + scores[(a, b)][i - a, :]
            tgt = cand[b:]
            better = val > tgt
            tgt[better] = val[better]
            best[b:][better] = k + 1
        # 0-1 moves inside the row: running maximum of cand[k] + skip * k
        shifted = cand + params.skip_original * cols
        run = np.maximum.accumulate(shifted)
        D[i] = run - params.skip_original * cols
        from_left = run > shifted
        choice[i] = np.where(from_left, -1, best)
    out: list[Bead] = []
    i, j = n, m
    while i > 0 or j > 0:
        c = int(choice[i, j]) if i > 0 else -1
        if i > 0 and j == 0:
            c = 0 if c == -1 else c
        if c == -1:
            out.append(Bead((), (j - 1,), 0.0))
            j -= 1
        elif c == 0:
            out.append(Bead((i - 1,), (), 0.0))
            i -= 1
        else:
            a, b = beads[c - 1]
            sim = float(sims[(a, b)][i - a, j - b])
            out.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), sim))
            i, j = i - a, j - b
    out.reverse()
    return out
