"""Similarity matrices for every bead shape.

The embedding similarity of a bead is the cosine of the embeddings of its concatenated
sentences (windows of consecutive sentences are built from token-feature sums with the
junctions re-encoded, see :func:`quellenlage.align.embed.embed_windows`; windows up to
``exact_max`` sentences can instead be encoded as they are),
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


def _bag_matrix(bags: list[set[str]], vocab: dict[str, int]) -> tuple[list[int], list[int]]:
    rows, cols = [], []
    for p, bag in enumerate(bags):
        for w in bag:
            rows.append(p)
            cols.append(vocab.setdefault(w, len(vocab)))
    return rows, cols


def _window_matrix(n: int, size: int):
    from scipy import sparse

    count = n - size + 1
    rows = np.repeat(np.arange(count), size)
    cols = (np.arange(count)[:, None] + np.arange(size)[None, :]).ravel()
    return sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                             shape=(count, n))


def lexical_sims(derived: list[str], original: list[str],
                 beads: tuple[tuple[int, int], ...]) -> dict[tuple[int, int], np.ndarray]:
    """Dice overlap of 5-letter word prefixes (cognates, names, numbers) per bead shape.

    A window's bag counts each prefix once per sentence in it (sums of sentence bags).
    """
    from scipy import sparse

    vocab: dict[str, int] = {}
    rd, cd = _bag_matrix([_bag(t) for t in derived], vocab)
    ro, co = _bag_matrix([_bag(t) for t in original], vocab)
    width = max(len(vocab), 1)
    X = sparse.csr_matrix((np.ones(len(rd), dtype=np.float32), (rd, cd)),
                          shape=(len(derived), width))
    Y = sparse.csr_matrix((np.ones(len(ro), dtype=np.float32), (ro, co)),
                          shape=(len(original), width))
    out: dict[tuple[int, int], np.ndarray] = {}
    win_d: dict[int, object] = {}
    win_o: dict[int, object] = {}
    for a, b in beads:
        if a > len(derived) or b > len(original):
            continue
        if a not in win_d:
            win_d[a] = (_window_matrix(len(derived), a) @ X).tocsr()
        if b not in win_o:
            win_o[b] = (_window_matrix(len(original), b) @ Y).tocsr()
        xa, yb = win_d[a], win_o[b]
        inter = (xa @ yb.T).toarray()
        total = np.asarray(xa.sum(1)) + np.asarray(yb.sum(1)).T
        out[(a, b)] = np.where(total > 0, 2 * inter / np.maximum(total, 1), 0.0)
    return out


def apply_margin(sims: dict[tuple[int, int], np.ndarray], k: int,
                 alpha: float) -> dict[tuple[int, int], np.ndarray]:
    if alpha == 0 or k <= 0:
        return sims
    out = {}
    for ab, mat in sims.items():
        kd, ko = min(k, mat.shape[1]), min(k, mat.shape[0])
        md = np.partition(mat, mat.shape[1] - kd, axis=1)[:, -kd:].mean(1)
        mo = np.partition(mat, mat.shape[0] - ko, axis=0)[-ko:, :].mean(0)
        out[ab] = mat - alpha * (md[:, None] + mo[None, :]) / 2
    return out


def raw_parts(derived: list[str], original: list[str], params
              ) -> tuple[dict[tuple[int, int], np.ndarray], dict[tuple[int, int], np.ndarray]]:
    """Embedding cosines and lexical overlaps per bead shape (before weighting and margin)."""
    beads = [(a, b) for a, b in params.beads if a <= len(derived) and b <= len(original)]
    emb_d = window_embeddings(derived, sorted({a for a, _ in beads}), params.exact_max)
    emb_o = window_embeddings(original, sorted({b for _, b in beads}), params.exact_max)
    emb = {(a, b): emb_d[a] @ emb_o[b].T for a, b in beads}
    lex = lexical_sims(derived, original, tuple(beads))
    return emb, lex


def combine(emb: dict[tuple[int, int], np.ndarray], lex: dict[tuple[int, int], np.ndarray],
            params) -> dict[tuple[int, int], np.ndarray]:
    sims = {ab: emb[ab] + params.lexical_weight * lex[ab] for ab in emb}
    return apply_margin(sims, params.margin_k, params.margin_alpha)


def embedding_sims(derived: list[str], original: list[str], params) -> dict[tuple[int, int], np.ndarray]:
    """Embedding + lexical similarity with the margin applied, for each bead shape."""
    emb, lex = raw_parts(derived, original, params)
    return combine(emb, lex, params)


def bag_of_words_sims(derived: list[str], original: list[str], params) -> dict[tuple[int, int], np.ndarray]:
    """Baseline without a model: the lexical overlap alone, same margin."""
    lex = lexical_sims(derived, original, tuple(params.beads))
    return apply_margin(lex, params.margin_k, params.margin_alpha)
