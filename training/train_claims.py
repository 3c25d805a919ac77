"""Train the shipped claims models (check-worthiness + subjectivity, German and English).

    .venv/bin/python training/train_claims.py --data ../shared/data [--out src/quellenlage/models/claims]

Deterministic: fixed seeds and fixed fold assignment, so the script rebuilds the shipped files
exactly from the same data. For each language it writes ``claims-<lang>.npz`` with a shared
n-gram vocabulary and four linear heads (fast/accurate x check-worthy/subjective), and
``quality/claims.json``-style dev scores into ``claims-<lang>.scores.json``.

Data use (the official test splits are not in ../shared/data):
- de check-worthiness: GermEval 2021 train, plus the objective sentences with a digit from
  CheckThat! 2025 subjectivity de train+dev as extra positives (GermEval labels whole comments;
  this teaches the head that a single factual sentence with a number is a claim too);
  configuration and threshold chosen by 5-fold cross-validation on GermEval train (the extra
  sentences are added to every training fold, never scored); the shipped head is fitted on all.
  The grid includes Naive-Bayes scaling of the n-grams (``nb_scale``, computed inside each
  fold), which both German heads choose; it is folded into the shipped weights.
- en check-worthiness: CheckThat! 2024 train; threshold and configuration chosen on dev and
  dev-test together (dev-test is closer to the official test); the shipped head is fitted on
  train.
- subjectivity (de, en): CheckThat! 2025 train + dev; configuration and threshold chosen by
  5-fold cross-validation on train+dev, and on dev_test; the shipped head is fitted on train+dev.
  The accurate heads also learn from the other language's sentences (cross-lingual, through
  the multilingual embeddings) when that measures better.
- the accurate heads' sentence encoder per language (``ACCURATE_ENCODER``, recorded in the
  model file as ``accurate_encoder``; :mod:`quellenlage.claimmodel.encoders`, the same call as at
  run time): multilingual-e5-small in both languages, chosen against the Universal Sentence
  Encoder v3 by the measures above (model card); ``--accurate-encoder`` overrides it to measure
  the other.
  The English fast head is also taught: it learns the probabilities of the USE v3 accurate head
  (as in version 1.2, whatever the accurate heads' encoder) on unlabelled news sentences
  (PolNeAR train texts, no labels) as soft labels, kept when that measures better
  (cross-validation with the teacher refitted in each fold, and dev_test).

Word vectors of the fast heads (distilled from the Universal Sentence Encoder v3): the encoder
embeds the sentences of the unlabelled distillation corpus (``DISTIL_SETS``: text of training
splits only, no labels; none of the dev, dev-test, dev_test or tweet splits scored here); a
ridge regression from each sentence's word tf-idf
vector to its (centred) embedding gives one vector per word, projected on the embeddings' first
256 principal axes and stored as float16. At run time the fast heads see
``normalise(tfidf(words) @ table)``: numpy only, no encoder.

``--cache DIR`` reads sentence vectors from ``DIR/<encoder>.npz`` (arrays ``keys``: sha1 of the
UTF-8 text, ``vectors``); texts not found there are encoded. Without it every vector is computed
(about 600 sentences/s for USE v3 and 46 for e5 on one core: about half an hour for both
languages). USE pads per batch, so its vectors depend on the batch in the last bits: computed
here (not cached) they reproduce the shipped word vectors exactly.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import math
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from quellenlage.claimmodel.encoders import ENCODERS, load_encoder
from quellenlage.claimmodel.features import CUE_NAMES, WORD, extract
from quellenlage.claimmodel.model import (Head, Vocabulary, WordVectors, block_weights,
                                          save_model_file, static_embedding)
from quellenlage.evaluation.claims import load, score

VERSION = "1.3"
SEED = 13
# the sentence encoder of the accurate heads (measured per language, see the model card); the
# distilled word vectors of the fast heads and the English fast head's teacher use USE v3
DISTIL_ENCODER = "use-m3"
ACCURATE_ENCODER = {"de": "e5-small", "en": "e5-small"}
MIN_DF = 2
# distilled word vectors: at most this many words (those in most sentences, df >= MIN_DF),
# this many dimensions, this ridge penalty (measured: 256 dimensions as good as all 512)
VECTOR_WORDS, VECTOR_DIMS, VECTOR_RIDGE = 20000, 256, 1.0
# English fast subjectivity head: also learns the accurate head's soft labels on unlabelled
# news sentences (PolNeAR train texts), each pseudo-labelled sentence with this weight
TEACH_WEIGHT = 1.0
# unlabelled sentences for the distillation: (data set kind, split) read through evaluation.load
DISTIL_SETS = {
    "en": [("checkthat2024", "train"), ("subjectivity-en", "train"), ("subjectivity-en", "dev"),
           ("claimbuster", "train"), ("clef2019", "CT19-T1-Training"), ("clef2020-task5", "train")],
    "de": [("germeval2021", "train"), ("subjectivity-de", "train"), ("subjectivity-de", "dev")],
}
ROOT = Path(__file__).resolve().parents[1]


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


def build_vocab(feats) -> tuple[list[str], np.ndarray]:
    df: Counter = Counter()
    for f in feats:
        df.update(f.ngrams.keys())
    terms = sorted(t for t, c in df.items() if c >= MIN_DF)
    n = len(feats)
    idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in terms])
    # round-trip through float32, as stored in the model file
    return terms, idf.astype(np.float32).astype(np.float64)


def ngram_matrix(feats, vocab: Vocabulary) -> csr_matrix:
    rows, cols, vals = [], [], []
    for i, f in enumerate(feats):
        ind, val = block_weights(f, vocab)
        rows.extend([i] * len(ind))
        cols.extend(ind.tolist())
        vals.extend(val.tolist())
    return csr_matrix((vals, (rows, cols)), shape=(len(feats), len(vocab.terms)))


def german_sentences(data: Path) -> list[str]:
    """Unlabelled German sentences: UD German GSD dev+test and GermEval 2014 NER dev+test-part-a
    (their texts only, for the distillation)."""
    out = []
    for path in sorted((data / "ud-german-gsd").glob("*.conllu")):
        out += [line[9:].strip() for line in path.open(encoding="utf-8") if line.startswith("# text = ")]
    for name in ("dev.txt", "test-part-a.txt"):
        sent: list[str] = []
        for line in (data / "germeval2014-ner" / name).open(encoding="utf-8"):
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 2 and not line.startswith("#"):
                sent.append(cols[1])
            elif sent:
                out.append(" ".join(sent))
                sent = []
    return out


def polnear_sentences(data: Path) -> list[str]:
    """Unlabelled English news sentences: the PolNeAR train articles (text only)."""
    from quellenlage.stages.segment import split_sentences

    out = []
    for path in sorted((data / "polnear" / "train" / "text").glob("*.txt")):
        for para in path.read_text(encoding="utf-8").split("\n"):
            if para.strip():
                out += [para[s:e].strip() for s, e in split_sentences(para, "en") if para[s:e].strip()]
    return list(dict.fromkeys(s for s in out if len(s.split()) >= 3))


def distil_vectors(lang: str, data: Path, feats_of, embed) -> tuple[WordVectors, dict]:
    """Word vectors whose tf-idf-weighted sum approximates the encoder's sentence embedding."""
    from scipy.linalg import cho_factor, cho_solve

    texts = [t for kind, split in DISTIL_SETS[lang] for t in load(data, kind, split).texts]
    if lang == "de":
        texts += german_sentences(data)
    texts = list(dict.fromkeys(t for t in texts if t.strip()))
    df: Counter = Counter()
    for t in texts:
        df.update(w for w in set(feats_of(t).lower) if any(ch.isalpha() for ch in w))
    # the most frequent words; ties broken alphabetically, so the choice is deterministic
    ranked = sorted((w for w, c in df.items() if c >= MIN_DF), key=lambda w: (-df[w], w))
    words = sorted(ranked[:VECTOR_WORDS])
    index = {w: i for i, w in enumerate(words)}
    n = len(texts)
    idf = np.array([math.log((1 + n) / (1 + df[w])) + 1.0 for w in words]).astype(np.float32).astype(np.float64)
    rows, cols, vals = [], [], []
    for r, t in enumerate(texts):
        counts = Counter(feats_of(t).lower)
        hit = [(index[w], c) for w, c in counts.items() if w in index]
        if hit:
            ind = np.array([i for i, _ in hit])
            v = (1.0 + np.log(np.array([c for _, c in hit], dtype=np.float64))) * idf[ind]
            rows += [r] * len(ind)
            cols += ind.tolist()
            vals += (v / np.linalg.norm(v)).tolist()
    X = csr_matrix((vals, (rows, cols)), shape=(n, len(words)))
    E = embed(texts)
    mean = E.mean(0)
    Y = E - mean
    _, _, axes = np.linalg.svd(Y, full_matrices=False)
    Y = Y @ axes[:VECTOR_DIMS].T
    A = (X.T @ X).toarray()
    A[np.diag_indices_from(A)] += VECTOR_RIDGE
    table = cho_solve(cho_factor(A), X.T @ Y)
    r2 = 1.0 - float(((X @ table - Y) ** 2).sum() / (Y ** 2).sum())
    # round-trip through the stored precisions
    vectors = WordVectors(index, idf, table.astype(np.float16).astype(np.float64))
    info = {"sentences": n, "words": len(words), "dims": VECTOR_DIMS, "ridge": VECTOR_RIDGE,
            "train_r2": round(r2, 4), "sources": [f"{k}/{s}" for k, s in DISTIL_SETS[lang]] +
            (["ud-german-gsd/dev+test", "germeval2014-ner/dev+test-part-a"] if lang == "de" else [])}
    return vectors, info


class Block:
    """Features of one split: n-gram matrix, cue matrix, the accurate encoder's embeddings,
    distilled vectors."""

    def __init__(self, sets, feats_of, vocab, embed_of, vectors=None):
        texts = [t for s in sets for t in s.texts]
        self.y = np.array([y for s in sets for y in s.labels])
        feats = [feats_of(t) for t in texts]
        self.ngrams = ngram_matrix(feats, vocab)
        self.cues = np.array([f.cues for f in feats])
        self.encoded = embed_of(texts) if embed_of else None
        self.static = None if vectors is None else np.array(
            [static_embedding(f.lower, vectors) for f in feats])
        self.embed = self.encoded

    def view(self, variant: str) -> "Block":
        """The same block with the embedding of ``variant``: fast = distilled vectors,
        accurate = encoder."""
        block = copy.copy(self)
        block.embed = self.static if variant == "fast" else self.encoded
        return block

    def design(self, cue_scale: float, embed_scale: float | None, rows=None) -> csr_matrix:
        parts = [self.ngrams, csr_matrix(self.cues * cue_scale)]
        if embed_scale is not None:
            parts.append(csr_matrix(self.embed * embed_scale))
        X = hstack(parts).tocsr()
        return X if rows is None else X[rows]


class AuxBlock(Block):
    """Objective sentences that contain a digit, as extra check-worthy examples."""

    def __init__(self, sets, feats_of, vocab, embed_of, vectors=None):
        import re

        digit = re.compile(r"\d")
        texts = [t for s in sets for t, y in zip(s.texts, s.labels) if y == 0 and digit.search(t)]
        pseudo = type("Set", (), {"texts": texts, "labels": [1] * len(texts)})
        super().__init__([pseudo], feats_of, vocab, embed_of, vectors)


def fit_lr(X, y, C: float, sample_weight=None) -> LogisticRegression:
    model = LogisticRegression(C=C, class_weight="balanced", max_iter=5000, random_state=SEED)
    return model.fit(X, y, sample_weight=sample_weight)


def fit_taught(X, y, C: float, teacher, X_pool_teacher, X_pool) -> LogisticRegression:
    """Fit on the labelled rows plus the pool, each pool row twice (label 1 with weight
    TEACH_WEIGHT * q, label 0 with TEACH_WEIGHT * (1 - q)), q the teacher's probability."""
    from scipy.sparse import vstack
    q = teacher.predict_proba(X_pool_teacher)[:, 1]
    n = len(q)
    return fit_lr(vstack([X, X_pool, X_pool]).tocsr(),
                  np.concatenate([y, np.ones(n, dtype=int), np.zeros(n, dtype=int)]), C,
                  np.concatenate([np.ones(len(y)), TEACH_WEIGHT * q, TEACH_WEIGHT * (1 - q)]))


def best_threshold(p: np.ndarray, y: np.ndarray, metric: str) -> tuple[float, float]:
    best = (-1.0, 0.5)
    for t in np.round(np.arange(0.2, 0.81, 0.02), 2):
        s = score(metric, y.tolist(), (p >= t).astype(int).tolist())["score"]
        if s > best[0] + 1e-9:
            best = (s, float(t))
    return best


def nb_scale(X, y, n_terms: int) -> np.ndarray:
    """Naive-Bayes feature scaling (NB-SVM style, Wang & Manning 2012): each n-gram column is
    multiplied by 1 + |log-count ratio| of its presence in positive against negative rows
    (add-one smoothed), the other columns by 1, so that the regularised regression spends less
    of its penalty on n-grams that separate the classes. Linear, so it folds into the shipped
    weights (:func:`to_head`)."""
    B = (X[:, :n_terms] > 0).astype(np.float64)
    pos = np.asarray(B[y == 1].sum(0)).ravel() + 1.0
    neg = np.asarray(B[y == 0].sum(0)).ravel() + 1.0
    r = np.log((pos / pos.sum()) / (neg / neg.sum()))
    return np.concatenate([1.0 + np.abs(r), np.ones(X.shape[1] - n_terms)])


def scaled(X, w: np.ndarray | None):
    from scipy.sparse import diags
    return X if w is None else (X @ diags(w)).tocsr()


def cv_probs(block: Block, cue_scale, embed_scale, C, extra: Block | None = None, nb: bool = False) -> np.ndarray:
    X = block.design(cue_scale, embed_scale)
    y = block.y
    p = np.zeros(len(y))
    folds = StratifiedKFold(5, shuffle=True, random_state=SEED)
    for a, b in folds.split(np.zeros(len(y)), y):
        Xa, ya = X[a], y[a]
        if extra is not None:
            from scipy.sparse import vstack
            Xa = vstack([Xa, extra.design(cue_scale, embed_scale)]).tocsr()
            ya = np.concatenate([ya, extra.y])
        w = nb_scale(Xa, ya, block.ngrams.shape[1]) if nb else None
        p[b] = fit_lr(scaled(Xa, w), ya, C).predict_proba(scaled(X[b], w))[:, 1]
    return p


def choose_subjective(lang: str, sj: Block, sj_dt: Block, variant: str, grid, other: Block | None):
    """The subjectivity head of ``variant`` with the best mean of 5-fold CV on train+dev (its
    threshold) and dev_test; ``other``: rows of the other language tried as extra training data.
    Returns (mean, threshold, C, cue scale, embedding scale, model, cv, dev_test, cross-lingual)."""
    from scipy.sparse import vstack

    best = None
    sj_v, sj_dt_v = sj.view(variant), sj_dt.view(variant)
    for C, cs, es in grid:
        for cross in (False, True) if other is not None else (False,):
            extra = other.view(variant) if cross else None
            p = cv_probs(sj_v, cs, es, C, extra)
            scv, t = best_threshold(p, sj.y, "macro-f1")
            X, y = sj_v.design(cs, es), sj.y
            if extra is not None:
                X = vstack([X, extra.design(cs, es)]).tocsr()
                y = np.concatenate([y, extra.y])
            model = fit_lr(X, y, C)
            pt = model.predict_proba(sj_dt_v.design(cs, es))[:, 1]
            st = score("macro-f1", sj_dt.y.tolist(), (pt >= t).astype(int).tolist())["score"]
            log(f"[{lang}] subjective {variant} C={C} cues={cs} emb={es} xling={cross}: "
                f"cv {scv:.4f} @ {t}, dev_test {st:.4f}")
            key = (scv + st) / 2
            if best is None or key > best[0]:
                best = (key, t, C, cs, es, model, scv, st, cross)
    return best


def to_head(name: str, model: LogisticRegression, n_terms: int, cue_scale: float,
            embed_scale: float | None, threshold: float, term_scale: np.ndarray | None = None) -> Head:
    w = model.coef_[0]
    coef = w[:n_terms] if term_scale is None else w[:n_terms] * term_scale[:n_terms]  # NB scaling folded in
    coef_cues = w[n_terms:n_terms + len(CUE_NAMES)]
    coef_embed = None
    if embed_scale is not None:
        coef_embed = w[n_terms + len(CUE_NAMES):] * embed_scale
    # fold the threshold into the intercept: sigmoid(m) >= 0.5  <=>  p >= threshold
    intercept = float(model.intercept_[0]) - math.log(threshold / (1 - threshold))
    return Head(name, coef.astype(np.float32).astype(np.float64),
                coef_cues.astype(np.float32).astype(np.float64),
                None if coef_embed is None else coef_embed.astype(np.float32).astype(np.float64),
                intercept, cue_scale)


# fast: the third value scales the distilled word vectors (None: not used)
GRID_FAST = [(C, cs, es) for C in (0.5, 1.0, 2.0, 4.0) for cs in (0.0, 1.0, 3.0) for es in (None, 1.0)]
GRID_ACC = [(C, cs, es) for C in (0.25, 0.5, 1.0) for cs in (1.0, 3.0) for es in (1.0, 2.0)]


def embedder(name: str, cache_dir: Path | None = None):
    """Encoder ``name`` (:func:`quellenlage.claimmodel.encoders.load_encoder`, as at run time),
    with the vectors of ``cache_dir/<name>.npz`` where it holds them."""
    stored: dict[str, np.ndarray] = {}
    path = None if cache_dir is None else cache_dir / f"{name}.npz"
    if path is not None and path.is_file():
        with np.load(path, allow_pickle=False) as f:
            stored = dict(zip(f["keys"].tolist(), f["vectors"]))
    cache: dict[str, np.ndarray] = {}

    def embed(texts: list[str]) -> np.ndarray:
        todo = []
        for t in dict.fromkeys(texts):
            if t not in cache:
                v = stored.get(hashlib.sha1(t.encode("utf-8")).hexdigest())
                if v is None:
                    todo.append(t)
                else:
                    cache[t] = v
        if todo:
            encode = load_encoder(name)
            for i in range(0, len(todo), 64):
                chunk = todo[i:i + 64]
                for t, v in zip(chunk, encode(chunk)):
                    cache[t] = np.asarray(v, dtype=np.float32)
        return np.array([cache[t] for t in texts], dtype=np.float64).reshape(len(texts), ENCODERS[name].dim)
    return embed


def train_language(lang: str, data: Path, out: Path, embed, encoder: str, args) -> dict:
    """``embed``: the USE v3 encoder (distilled word vectors); ``encoder``: the accurate heads'."""
    t0 = time.time()
    acc_embed = embed if encoder == DISTIL_ENCODER else embedder(encoder, args.cache)
    subj = f"subjectivity-{lang}"
    s_train, s_dev, s_dt = (load(data, subj, s) for s in ("train", "dev", "dev_test"))
    if lang == "de":
        c_train = load(data, "germeval2021", "train")
        c_dev = c_dt = None
        cw_metric = "germeval-macro-f1"
    else:
        c_train, c_dev, c_dt = (load(data, "checkthat2024", s) for s in ("train", "dev", "dev-test"))
        cw_metric = "f1-positive"
    cache: dict[str, object] = {}

    def feats_of(text):
        f = cache.get(text)
        if f is None:
            f = cache[text] = extract(text, lang)
        return f

    vocab_texts = list(dict.fromkeys(list(c_train.texts) + list(s_train.texts) + list(s_dev.texts)))
    terms, idf = build_vocab([feats_of(t) for t in vocab_texts])
    vocab = Vocabulary({t: i for i, t in enumerate(terms)}, idf,
                       np.array([not t.startswith(WORD) for t in terms]), tuple(terms))
    log(f"[{lang}] vocabulary {len(terms)} terms ({time.time() - t0:.0f}s)")
    n_terms = len(terms)
    vectors, vector_info = distil_vectors(lang, data, feats_of, embed)
    log(f"[{lang}] distilled word vectors {vector_info} ({time.time() - t0:.0f}s)")
    heads: list[Head] = []
    report: dict = {"lang": lang, "heads": {}}

    # ---------------- check-worthiness
    cw = Block([c_train], feats_of, vocab, acc_embed, vectors)
    aux = None
    if lang == "de":
        # GermEval labels whole Facebook comments. So that a single factual sentence with a
        # number also counts, the objective news sentences with a digit from CheckThat! 2025
        # subjectivity (train + dev) join the training folds as extra positives (CV on
        # GermEval: 0.739 with them vs 0.742 without, within noise).
        aux = AuxBlock([s_train, s_dev], feats_of, vocab, acc_embed, vectors)
    if lang == "de":
        for variant, grid in (("fast", GRID_FAST), ("accurate", GRID_ACC)):
            best = None
            cw_v, aux_v = cw.view(variant), aux.view(variant)
            for cfg in grid:
                C, cs = cfg[0], cfg[1]
                es = cfg[2]
                for nb in (False, True):  # NB scaling: +0.7 CV points on three fold seeds (card)
                    p = cv_probs(cw_v, cs, es, C, aux_v, nb=nb)
                    s, t = best_threshold(p, cw.y, cw_metric)
                    log(f"[de] checkworthy {variant} C={C} cues={cs} emb={es} nb={nb}: cv {s:.4f} @ {t}")
                    if best is None or s > best[0]:
                        best = (s, t, C, cs, es, nb)
            s, t, C, cs, es, nb = best
            from scipy.sparse import vstack
            X = vstack([cw_v.design(cs, es), aux_v.design(cs, es)]).tocsr()
            y = np.concatenate([cw.y, aux.y])
            w = nb_scale(X, y, n_terms) if nb else None
            model = fit_lr(scaled(X, w), y, C)
            heads.append(to_head(f"{variant}-checkworthy", model, n_terms, cs, es, t, w))
            report["heads"][f"{variant}-checkworthy"] = {
                "C": C, "cue_scale": cs, "embed_scale": es, "nb_scaling": nb, "threshold": t,
                "germeval2021/train 5-fold cv": s}
    else:
        # Three held-out sets, each a different shift from the debates of train: dev, dev-test
        # (closer to the official test) and the CLEF 2020 task 1 tweets (all three splits).
        # The official test is far from train's style, so configuration and threshold are
        # chosen by the mean F1 over the three at one threshold, not by the best dev fit.
        shifted = {"checkthat2024-en/dev": c_dev, "checkthat2024-en/dev-test": c_dt,
                   "clef2020-task1 (tweets)": [load(data, "clef2020-task1", s)
                                               for s in ("training_v2", "dev_v2", "test-gold")]}
        held = {k: Block(v if isinstance(v, list) else [v], feats_of, vocab, acc_embed, vectors)
                for k, v in shifted.items()}
        for variant, grid in (("fast", GRID_FAST), ("accurate", GRID_ACC)):
            best = None
            cw_v = cw.view(variant)
            held_v = {k: b.view(variant) for k, b in held.items()}
            for cfg in grid:
                C, cs = cfg[0], cfg[1]
                es = cfg[2]
                model = fit_lr(cw_v.design(cs, es), cw.y, C)
                probs = {k: model.predict_proba(b.design(cs, es))[:, 1] for k, b in held_v.items()}
                key, t, scores = -1.0, 0.5, {}
                for thr in np.round(np.arange(0.2, 0.81, 0.02), 2):
                    at = {k: score(cw_metric, held[k].y.tolist(), (p >= thr).astype(int).tolist())["score"]
                          for k, p in probs.items()}
                    if sum(at.values()) / len(at) > key + 1e-9:
                        key, t, scores = sum(at.values()) / len(at), float(thr), at
                log(f"[en] checkworthy {variant} C={C} cues={cs} emb={es}: "
                    + ", ".join(f"{k} {v:.4f}" for k, v in scores.items()) + f" @ {t}")
                if best is None or key > best[0]:
                    best = (key, t, C, cs, es, model, scores)
            _, t, C, cs, es, model, scores = best
            heads.append(to_head(f"{variant}-checkworthy", model, n_terms, cs, es, t))
            report["heads"][f"{variant}-checkworthy"] = {
                "C": C, "cue_scale": cs, "embed_scale": es, "threshold": t, **scores}

    # ---------------- subjectivity
    sj = Block([s_train, s_dev], feats_of, vocab, acc_embed, vectors)
    sj_dt = Block([s_dt], feats_of, vocab, acc_embed, vectors)
    # the accurate heads may also learn from the other language's sentences (cross-lingual,
    # through the multilingual encoder), where that measures better
    o = "en" if lang == "de" else "de"
    other = Block([load(data, f"subjectivity-{o}", s) for s in ("train", "dev", "dev_test")],
                  lambda t: extract(t, o), vocab, acc_embed)
    chosen = {"fast": choose_subjective(lang, sj, sj_dt, "fast", GRID_FAST, None),
              "accurate": choose_subjective(lang, sj, sj_dt, "accurate", GRID_ACC, other)}
    if lang == "en":
        # Distillation of the head: the fast head (configuration as chosen above) also learns
        # the probabilities of a teacher on unlabelled news sentences; the teacher is refitted
        # inside each fold. Kept only when the mean of CV and dev_test improves. The teacher is
        # the USE v3 accurate head of version 1.2 (selected in the same way, without
        # cross-lingual rows), whatever the accurate heads' encoder now is.
        _, _, C, cs, es, _, _, _, _ = chosen["fast"]
        sj_t = sj if encoder == DISTIL_ENCODER else Block([s_train, s_dev], feats_of, vocab, embed)
        sj_dt_t = sj_dt if encoder == DISTIL_ENCODER else Block([s_dt], feats_of, vocab, embed)
        _, _, Ct, cst, est, _, _, _, _ = choose_subjective(lang, sj_t, sj_dt_t, "accurate", GRID_ACC, None)
        pool_texts = polnear_sentences(data)
        pool_set = type("Set", (), {"texts": pool_texts, "labels": [0] * len(pool_texts)})
        pool = Block([pool_set], lambda t: extract(t, lang), vocab, embed, vectors)
        Pf, Pa = pool.view("fast").design(cs, es), pool.view("accurate").design(cst, est)
        Xf, Xa = sj.view("fast").design(cs, es), sj_t.view("accurate").design(cst, est)
        p = np.zeros(len(sj.y))
        folds = StratifiedKFold(5, shuffle=True, random_state=SEED)
        for a, b in folds.split(np.zeros(len(sj.y)), sj.y):
            teacher = fit_lr(Xa[a], sj.y[a], Ct)
            p[b] = fit_taught(Xf[a], sj.y[a], C, teacher, Pa, Pf).predict_proba(Xf[b])[:, 1]
        scv, t = best_threshold(p, sj.y, "macro-f1")
        model = fit_taught(Xf, sj.y, C, fit_lr(Xa, sj.y, Ct), Pa, Pf)
        pt = model.predict_proba(sj_dt.view("fast").design(cs, es))[:, 1]
        st = score("macro-f1", sj_dt.y.tolist(), (pt >= t).astype(int).tolist())["score"]
        log(f"[{lang}] subjective fast taught by the USE v3 head on {len(pool_texts)} PolNeAR "
            f"sentences: cv {scv:.4f} @ {t}, dev_test {st:.4f}")
        if (scv + st) / 2 > chosen["fast"][0]:
            chosen["fast"] = ((scv + st) / 2, t, C, cs, es, model, scv, st, False)
            report["taught"] = {"teacher": "accurate-subjective (use-m3)", "pool": "polnear/train",
                                "sentences": len(pool_texts), "weight": TEACH_WEIGHT}
    for variant in ("fast", "accurate"):
        _, t, C, cs, es, model, scv, st, cross = chosen[variant]
        heads.append(to_head(f"{variant}-subjective", model, n_terms, cs, es, t))
        report["heads"][f"{variant}-subjective"] = {
            "C": C, "cue_scale": cs, "embed_scale": es, "threshold": t, "cross_lingual": cross,
            **({"taught": report["taught"]} if variant == "fast" and "taught" in report else {}),
            f"checkthat2025-subjectivity-{lang}/train+dev 5-fold cv": scv,
            f"checkthat2025-subjectivity-{lang}/dev_test": st}

    report["word_vectors"] = vector_info
    report["accurate_encoder"] = encoder
    save_model_file(out / f"claims-{lang}.npz", lang, VERSION, terms, idf, heads,
                    {"training": report["heads"], "word_vectors": vector_info,
                     "accurate_encoder": encoder}, vectors)
    log(f"[{lang}] done in {time.time() - t0:.0f}s")
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "quellenlage" / "models" / "claims")
    parser.add_argument("--lang", choices=["de", "en", "all"], default="all")
    parser.add_argument("--cache", type=Path, default=None,
                        help="folder with <encoder>.npz files of precomputed sentence vectors")
    parser.add_argument("--accurate-encoder", choices=sorted(ENCODERS), default=None,
                        help="encoder of the accurate heads for every language trained "
                             "(default: ACCURATE_ENCODER per language); to measure the other")
    parser.add_argument("--quality-only", action="store_true",
                        help="only recompute quality/claims.json from the shipped models")
    args = parser.parse_args(argv)
    if args.quality_only:
        write_quality(args.data)
        return 0
    np.random.seed(SEED)
    args.out.mkdir(parents=True, exist_ok=True)
    embed = embedder(DISTIL_ENCODER, args.cache)
    reports = {}
    for lang in (["de", "en"] if args.lang == "all" else [args.lang]):
        encoder = args.accurate_encoder or ACCURATE_ENCODER[lang]
        reports[lang] = train_language(lang, args.data, args.out, embed, encoder, args)
    package_dir = (ROOT / "src" / "quellenlage" / "models" / "claims").resolve()
    if args.out.resolve() == package_dir and args.lang == "all":
        write_quality(args.data)
    print(json.dumps(reports, indent=2, ensure_ascii=False))
    return 0


def write_quality(data: Path) -> None:
    """Record the shipped models' gate scores in quality/claims.json."""
    from quellenlage.claimmodel import _load_file, load_scorer
    from quellenlage.evaluation.claims import gate_scores

    _load_file.cache_clear()
    load_scorer.cache_clear()
    reports = {lang: {"heads": _load_file(lang).meta["training"]} for lang in ("de", "en")}
    scores = {variant: gate_scores(data, variant) for variant in ("fast", "accurate")}
    quality = {
        "about": "Scores of the shipped claims models (src/quellenlage/models/claims), recomputed "
                 "by tests/test_gate_claims.py, which fails when one drops by more than 0.005. "
                 "Metrics: CheckThat! F1 of the positive class, subjectivity macro-F1, GermEval "
                 "2021 macro-F1 (harmonic mean of macro-P and macro-R).",
        "held_out": ["checkthat2024-en/dev", "checkthat2024-en/dev-test",
                     "clef2020-task1/test-gold",
                     "checkthat2025-subjectivity-de/dev_test",
                     "checkthat2025-subjectivity-en/dev_test"],
        "not_held_out": {"germeval2021/train": "fit on the training data (GermEval has no dev "
                         "split; the shipped model is fitted on all of train). Held-out estimate: "
                         "the 5-fold cross-validation in 'cross_validation'."},
        "threshold_tuning": "the English check-worthiness heads' configuration and threshold are "
                            "chosen on CheckThat! 2024 dev, dev-test and the CLEF 2020 task 1 "
                            "tweets together (mean F1 at one threshold)",
        "cross_validation": {
            variant: {
                "germeval2021/train 5-fold cv": reports["de"]["heads"][f"{variant}-checkworthy"][
                    "germeval2021/train 5-fold cv"],
                "checkthat2025-subjectivity-de/train+dev 5-fold cv": reports["de"]["heads"][
                    f"{variant}-subjective"]["checkthat2025-subjectivity-de/train+dev 5-fold cv"],
                "checkthat2025-subjectivity-en/train+dev 5-fold cv": reports["en"]["heads"][
                    f"{variant}-subjective"]["checkthat2025-subjectivity-en/train+dev 5-fold cv"],
            } for variant in ("fast", "accurate")},
        "scores": scores,
    }
    path = ROOT / "quality" / "claims.json"
    path.write_text(json.dumps(quality, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    log(f"wrote {path}")


if __name__ == "__main__":
    raise SystemExit(main())
