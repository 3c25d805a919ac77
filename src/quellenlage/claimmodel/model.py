"""Linear heads over n-grams, cue signals and sentence embeddings.

A model file (``models/claims/claims-<lang>.npz``, plain numpy arrays, no pickle) holds one
shared n-gram vocabulary with its idf weights and several heads:
``fast-checkworthy``, ``fast-subjective`` and, where trained, ``accurate-checkworthy`` and
``accurate-subjective``. A head's margin is

    m = coef_w · tfidf_words + coef_c · tfidf_chars + coef_cue · (cue_scale * cues)
        [+ coef_emb · embedding] + intercept

where each tf-idf block is sublinear (1 + ln tf), multiplied by idf and L2-normalised on its
own. The embedding is, for the ``accurate`` heads, the sentence vector of the encoder the model
file names (``accurate_encoder``: :mod:`quellenlage.claimmodel.encoders`); for the ``fast``
heads a distilled static one
(:func:`static_embedding`): a small word table in the model file, fitted by ridge regression so
that the tf-idf-weighted sum of a sentence's word vectors approximates USE v3's vector of
that sentence, so the fast heads get some of the encoder's sense of meaning with numpy alone.

The intercept already includes the decision threshold chosen on development data, so
``sigmoid(m) >= 0.5`` is the decision and ``sigmoid(m)`` is the reported score.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from quellenlage.claimmodel.features import CUE_NAMES, WORD, TextFeatures, token_char_ngrams
from quellenlage.errors import ModelError



@dataclass(frozen=True)
class Vocabulary:
    index: dict[str, int]
    idf: np.ndarray
    is_char: np.ndarray   # bool per feature: char block (True) or word block (False)
    terms: tuple[str, ...]


@dataclass(frozen=True)
class WordVectors:
    """Distilled word vectors: sentence vector = normalise(tfidf(words) @ table)."""

    index: dict[str, int]   # lower-cased word -> row
    idf: np.ndarray
    table: np.ndarray       # (words, dims); float16 values (products are taken in float64)


@dataclass(frozen=True)
class Head:
    name: str
    coef: np.ndarray          # one weight per vocabulary term
    coef_cues: np.ndarray     # one weight per cue
    coef_embed: np.ndarray | None
    intercept: float
    cue_scale: float

    @property
    def uses_embeddings(self) -> bool:
        return self.coef_embed is not None


@dataclass(frozen=True)
class ModelFile:
    lang: str
    version: str
    vocab: Vocabulary
    heads: dict[str, Head]
    meta: dict
    vectors: WordVectors | None = None


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


CACHE_LIMIT = 200_000  # tokens whose n-gram indices a scorer keeps


def token_terms(token_lower: str, vocab: Vocabulary) -> list[int]:
    """Vocabulary indices of one token's word unigram and character n-grams (with repeats)."""
    get = vocab.index.get
    keys = [WORD + token_lower, *token_char_ngrams(token_lower)]
    return [j for j in map(get, keys) if j is not None]


@dataclass(frozen=True)
class TermWeights:
    """The known n-grams of several texts with their tf-idf values (each block of each text
    L2-normalised), rows sorted by text: text ``k`` owns ``ind[bounds[k]:bounds[k + 1]]``."""

    row: np.ndarray      # text number per entry
    ind: np.ndarray      # vocabulary index per entry (ascending within a text)
    val: np.ndarray      # tf-idf value per entry
    bounds: np.ndarray   # len(texts) + 1 offsets into the arrays

    def of(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Indices and values of text ``k``."""
        lo, hi = self.bounds[k], self.bounds[k + 1]
        return self.ind[lo:hi], self.val[lo:hi]


def block_weights_many(feats: Sequence[TextFeatures], vocab: Vocabulary,
                       cache: dict[str, list[int]] | None = None) -> TermWeights:
    """:func:`block_weights` of many texts at once (one pass of numpy over all of them).

    ``cache`` (token -> :func:`token_terms`) saves building each word's n-grams again."""
    if cache is None:
        cache = {}
    elif len(cache) > CACHE_LIMIT:
        cache.clear()
    get = vocab.index.get
    found: list[int] = []
    sizes: list[int] = []
    for f in feats:
        before = len(found)
        lower = f.lower
        for tok in lower:
            terms = cache.get(tok)
            if terms is None:
                terms = cache[tok] = token_terms(tok, vocab)
            found += terms
        found += [j for j in map(get, [f"{WORD}{a} {b}" for a, b in zip(lower, lower[1:])])
                  if j is not None]
        sizes.append(len(found) - before)
    n = len(feats)
    size = len(vocab.idf)
    key = np.repeat(np.arange(n, dtype=np.int64), sizes) * size + np.array(found, dtype=np.int64)
    key, tf = np.unique(key, return_counts=True)
    row = key // size
    ind = key - row * size
    val = (1.0 + np.log(tf)) * vocab.idf[ind]
    block = 2 * row + vocab.is_char[ind]
    norm = np.sqrt(np.bincount(block, weights=val * val, minlength=2 * n))
    inverse = np.divide(1.0, norm, out=np.zeros_like(norm), where=norm > 0)
    return TermWeights(row, ind, val * inverse[block], np.searchsorted(row, np.arange(n + 1)))


def block_weights(feats: TextFeatures, vocab: Vocabulary,
                  cache: dict[str, list[int]] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Indices and tf-idf values (each block L2-normalised) of the known n-grams of a text."""
    return block_weights_many([feats], vocab, cache).of(0)


def static_embeddings(lowers: Sequence[Sequence[str]], vectors: WordVectors) -> np.ndarray:
    """The distilled sentence vectors of several texts' lower-cased tokens, one row per text
    (unit length, or zeros where no word is known)."""
    n = len(lowers)
    get = vectors.index.get
    ids = np.fromiter((get(w, -1) for lower in lowers for w in lower), dtype=np.int64)
    row = np.repeat(np.arange(n, dtype=np.int64), [len(lower) for lower in lowers])
    known = ids >= 0
    size = len(vectors.idf)
    key, tf = np.unique(row[known] * size + ids[known], return_counts=True)
    out = np.zeros((n, vectors.table.shape[1]))
    if not len(key):
        return out
    row = key // size
    ind = key - row * size
    weighted = vectors.table[ind] * ((1.0 + np.log(tf)) * vectors.idf[ind])[:, None]
    starts = np.searchsorted(row, np.arange(n))
    has = np.searchsorted(row, np.arange(n), side="right") > starts
    out[has] = np.add.reduceat(weighted, starts[has], axis=0)
    norm = np.sqrt(np.einsum("ij,ij->i", out, out))
    return out / np.where(norm > 0, norm, 1.0)[:, None]


def static_embedding(lower: Sequence[str], vectors: WordVectors) -> np.ndarray:
    """The distilled sentence vector of a text's lower-cased tokens (unit length, or zeros)."""
    return static_embeddings([lower], vectors)[0]


def margins(head: Head, weights: TermWeights, cues: np.ndarray,
            embeddings: np.ndarray | None = None) -> np.ndarray:
    """The head's margin for each text: ``weights`` of the texts' n-grams, ``cues`` one row of
    cue values per text, ``embeddings`` one sentence vector per text (if the head uses them)."""
    n = len(weights.bounds) - 1
    m = head.intercept + np.bincount(weights.row, weights=weights.val * head.coef[weights.ind], minlength=n)
    m += head.cue_scale * (cues @ head.coef_cues)
    if head.coef_embed is not None:
        if embeddings is None:
            raise ModelError(f"head {head.name} needs a sentence embedding")
        m += embeddings @ head.coef_embed
    return m


def load_model_file(path: Path) -> ModelFile:
    """Read a ``claims-<lang>.npz`` file (no pickle)."""
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
    except (OSError, ValueError) as err:
        raise ModelError(f"cannot read claims model {path}: {err}",
                         hint="reinstall quellenlage or rebuild with training/train_claims.py") from err
    meta = json.loads(str(arrays["meta"]))
    terms = tuple(arrays["terms"].tolist())
    vocab = Vocabulary(dict(zip(terms, range(len(terms)))), arrays["idf"].astype(np.float64),
                       np.array([not t.startswith(WORD) for t in terms], dtype=bool), terms)
    if tuple(meta["cues"]) != CUE_NAMES:
        raise ModelError(f"claims model {path.name} was trained with other cue signals",
                         hint="rebuild it with training/train_claims.py")
    heads = {}
    for name in meta["heads"]:
        key = name.replace("-", "_")
        embed = arrays.get(f"{key}__embed")
        heads[name] = Head(name, arrays[f"{key}__coef"].astype(np.float64),
                           arrays[f"{key}__cues"].astype(np.float64),
                           None if embed is None else embed.astype(np.float64),
                           float(meta["intercepts"][name]), float(meta["cue_scales"][name]))
    vectors = None
    if "vectors_words" in arrays:
        words = arrays["vectors_words"].tolist()
        vectors = WordVectors(dict(zip(words, range(len(words)))),
                              arrays["vectors_idf"].astype(np.float64),
                              arrays["vectors_table"].astype(np.float32))  # exact (stored as float16)
    return ModelFile(meta["lang"], meta["version"], vocab, heads, meta, vectors)


def save_model_file(path: Path, lang: str, version: str, terms: list[str], idf: np.ndarray,
                    heads: list[Head], extra_meta: dict, vectors: WordVectors | None = None) -> None:
    """Write a model file in the format :func:`load_model_file` reads."""
    arrays: dict[str, np.ndarray] = {
        "terms": np.array(terms, dtype=str),
        "idf": idf.astype(np.float32),
    }
    if vectors is not None:
        arrays["vectors_words"] = np.array(sorted(vectors.index, key=vectors.index.get), dtype=str)
        arrays["vectors_idf"] = vectors.idf.astype(np.float32)
        arrays["vectors_table"] = vectors.table.astype(np.float16)
    for head in heads:
        key = head.name.replace("-", "_")
        arrays[f"{key}__coef"] = head.coef.astype(np.float32)
        arrays[f"{key}__cues"] = head.coef_cues.astype(np.float32)
        if head.coef_embed is not None:
            arrays[f"{key}__embed"] = head.coef_embed.astype(np.float32)
    meta = {"lang": lang, "version": version, "cues": list(CUE_NAMES),
            "heads": [h.name for h in heads],
            "intercepts": {h.name: float(h.intercept) for h in heads},
            "cue_scales": {h.name: float(h.cue_scale) for h in heads}, **extra_meta}
    arrays["meta"] = np.array(json.dumps(meta, ensure_ascii=False, sort_keys=True))
    np.savez_compressed(path, **arrays)
