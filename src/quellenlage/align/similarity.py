"""Similarity matrices for every bead shape: embeddings of concatenated sentences."""

from __future__ import annotations

import re

import numpy as np

_TOKEN = re.compile(r"\w+", re.UNICODE)


def _windows(sentences: list[str], size: int) -> list[str]:
    return [" ".join(sentences[p:p + size]) for p in range(len(sentences) - size + 1)]


def embedding_sims(derived: list[str], original: list[str],
                   beads: tuple[tuple[int, int], ...]) -> dict[tuple[int, int], np.ndarray]:
    """Cosine similarity of the embedded concatenations, for each bead shape."""
    from quellenlage.align.embed import embed

    sizes_d = sorted({a for a, _ in beads})
    sizes_o = sorted({b for _, b in beads})
    texts: list[str] = []
    where: dict[tuple[str, int], tuple[int, int]] = {}
    for side, sents, sizes in (("d", derived, sizes_d), ("o", original, sizes_o)):
        for size in sizes:
            win = _windows(sents, size)
            where[(side, size)] = (len(texts), len(texts) + len(win))
            texts.extend(win)
    vecs = embed(texts)
    out: dict[tuple[int, int], np.ndarray] = {}
    for a, b in beads:
        if a > len(derived) or b > len(original):
            continue
        s0, s1 = where[("d", a)]
        t0, t1 = where[("o", b)]
        out[(a, b)] = vecs[s0:s1] @ vecs[t0:t1].T
    return out


def _bag(text: str) -> set[str]:
    return {w.lower()[:5] for w in _TOKEN.findall(text) if len(w) > 1}


def bag_of_words_sims(derived: list[str], original: list[str],
                      beads: tuple[tuple[int, int], ...]) -> dict[tuple[int, int], np.ndarray]:
    """Baseline: Dice overlap of 5-letter word prefixes (cognates, names, numbers)."""
    out: dict[tuple[int, int], np.ndarray] = {}
    for a, b in beads:
        if a > len(derived) or b > len(original):
            continue
        bags_d = [_bag(t) for t in _windows(derived, a)]
        bags_o = [_bag(t) for t in _windows(original, b)]
        mat = np.zeros((len(bags_d), len(bags_o)))
        for p, x in enumerate(bags_d):
            if not x:
                continue
            for q, y in enumerate(bags_o):
                if y:
                    mat[p, q] = 2 * len(x & y) / (len(x) + len(y))
        out[(a, b)] = mat
    return out
