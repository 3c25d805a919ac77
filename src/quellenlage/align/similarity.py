"""Similarity matrices for every bead shape.

The embedding similarity of a bead is the cosine of the embeddings of its concatenated
sentences (windows of up to two sentences are encoded as they are; longer windows are
combined from token-feature sums, see :func:`quellenlage.align.embed.embed_windows`),
plus ``lexical_weight`` times a lexical overlap (numbers, names and cognates shared by
both sides), minus a margin (``margin_alpha`` times the mean of each side's ``margin_k``
best similarities: a hubness correction, as in margin-based bitext mining).
"""

from __future__ import annotations

import re

import numpy as np

_TOKEN = re.compile(r"\w+", re.UNICODE)


def _windows(sentences: list[str], size: int) -> list[str]:
    return [" ".join(sentences[p:p + size]) for p in range(len(sentences) - size + 1)]


def window_embeddings(sentences: list[str], sizes: list[int], exact_max: int) -> dict[int, np.ndarray]:
    from quellenlage.align.embed import embed, embed_windows

    out = embed_windows(sentences, sizes)
    for size in sizes:
        if 1 < size <= exact_max and len(sentences) >= size:
            out[size] = embed(_windows(sentences, size))
    return out


def _bag(text: str) -> set[str]:
    return {w.lower()[:5] for w in _TOKEN.findall(text) if len(w) > 1}


def lexical_sims(derived: list[str], original: list[str],
                 beads: tuple[tuple[int, int], ...]) -> dict[tuple[int, int], np.ndarray]:
    """Dice overlap of 5-letter word prefixes (cognates, names, numbers) per bead shape."""
    out: dict[tuple[int, int], np.ndarray] = {}
    cache: dict[tuple[str, int], list[set[str]]] = {}
    for a, b in beads:
        if a > len(derived) or b > len(original):
            continue
        if ("d", a) not in cache:
            cache[("d", a)] = [_bag(t) for t in _windows(derived, a)]
        if ("o", b) not in cache:
            cache[("o", b)] = [_bag(t) for t in _windows(original, b)]
        bags_d, bags_o = cache[("d", a)], cache[("o", b)]
        vocab: dict[str, int] = {}
        for bag in bags_d + bags_o:
            for w in bag:
                vocab.setdefault(w, len(vocab))
        X = np.zeros((len(bags_d), max(len(vocab), 1)), dtype=np.float32)
        Y = np.zeros((len(bags_o), max(len(vocab), 1)), dtype=np.float32)
        for p, bag in enumerate(bags_d):
            X[p, [vocab[w] for w in bag]] = 1.0
        for q, bag in enumerate(bags_o):
            Y[q, [vocab[w] for w in bag]] = 1.0
        inter = X @ Y.T
        total = X.sum(1)[:, None] + Y.sum(1)[None, :]
        out[(a, b)] = np.where(total > 0, 2 * inter / np.maximum(total, 1), 0.0)
    return out


def apply_margin(sims: dict[tuple[int, int], np.ndarray], k: int,
                 alpha: float) -> dict[tuple[int, int], np.ndarray]:
    if alpha == 0 or k <= 0:
        return sims
    out = {}
    for ab, mat in sims.items():
        kd, ko = min(k, mat.shape[1]), min(k, mat.shape[0])
        md = np.sort(mat, axis=1)[:, -kd:].mean(1)
        mo = np.sort(mat, axis=0)[-ko:, :].mean(0)
        out[ab] = mat - alpha * (md[:, None] + mo[None, :]) / 2
    return out


def embedding_sims(derived: list[str], original: list[str], params) -> dict[tuple[int, int], np.ndarray]:
    """Embedding + lexical similarity with the margin applied, for each bead shape."""
    beads = [(a, b) for a, b in params.beads if a <= len(derived) and b <= len(original)]
    emb_d = window_embeddings(derived, sorted({a for a, _ in beads}), params.exact_max)
    emb_o = window_embeddings(original, sorted({b for _, b in beads}), params.exact_max)
    lex = lexical_sims(derived, original, tuple(beads)) if params.lexical_weight else {}
    sims = {}
    for a, b in beads:
        mat = emb_d[a] @ emb_o[b].T
        if lex:
            mat = mat + params.lexical_weight * lex[(a, b)]
        sims[(a, b)] = mat
    return apply_margin(sims, params.margin_k, params.margin_alpha)


def bag_of_words_sims(derived: list[str], original: list[str], params) -> dict[tuple[int, int], np.ndarray]:
    """Baseline without a model: the lexical overlap alone, same margin."""
    lex = lexical_sims(derived, original, tuple(params.beads))
    return apply_margin(lex, params.margin_k, params.margin_alpha)
