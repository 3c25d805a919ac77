"""Benchmark of the claims models: accuracy and speed side by side, in one process.

    .venv/bin/python benchmarks/claims.py [--data ../shared/data]

Rows: majority class, word+char TF-IDF + logistic regression (fitted on the train splits, as in
the issue's orientation figures), the shipped fast model and the shipped accurate model (its
encoder, named in each model file: multilingual-e5-small).
Columns: official metric per data set (held-out splits; GermEval by 5-fold cross-validation on
train, since it has no dev split), speed in sentences per second per core for each language's
model (CPU time of this process, BLAS and the encoders limited to one thread, so other load on
the machine does not distort it), and peak Python memory while loading and scoring
(tracemalloc; the larger of the two languages).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from quellenlage.evaluation.claims import load, score  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = 13

# (column, kind, held-out split, train splits for the baseline)
COLUMNS = [
    ("CT24-en dev", "checkthat2024", "dev", ["train"]),
    ("CT24-en dev-test", "checkthat2024", "dev-test", ["train"]),
    ("subj-de dev_test", "subjectivity-de", "dev_test", ["train", "dev"]),
    ("subj-en dev_test", "subjectivity-en", "dev_test", ["train", "dev"]),
]


def _baseline_fit(texts, labels):
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vecs = [TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)]
    X = hstack([v.fit_transform(texts) for v in vecs]).tocsr()
    model = LogisticRegression(class_weight="balanced", max_iter=3000, random_state=SEED).fit(X, labels)

    def predict(batch):
        Xb = hstack([v.transform(batch) for v in vecs]).tocsr()
        return model.predict(Xb).tolist()
    return predict


def _germeval_cv(fit_predict, texts, labels) -> float:
    from sklearn.model_selection import StratifiedKFold

    y = np.array(labels)
    pred = np.zeros(len(y), dtype=int)
    for a, b in StratifiedKFold(5, shuffle=True, random_state=SEED).split(np.zeros(len(y)), y):
        predict = fit_predict([texts[i] for i in a], y[a].tolist())
        pred[b] = predict([texts[i] for i in b])
    return score("germeval-macro-f1", labels, pred.tolist())["score"]


def _speed(predict, sentences, reset=None) -> tuple[float, float]:
    """Sentences per second per core, and peak MiB of Python allocations (load + scoring).

    Memory is traced in a separate pass (tracemalloc slows Python down); ``reset`` drops
    cached models first so that loading counts.
    """
    if reset is not None:
        reset()
    tracemalloc.start()
    predict(sentences[:300])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    predict(sentences[:50])  # warm
    start = time.process_time()  # CPU time of this process: speed per core under any load
    predict(sentences)
    elapsed = time.process_time() - start
    return len(sentences) / elapsed, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--skip-accurate", action="store_true")
    args = parser.parse_args()

    sets = {(kind, split): load(args.data, kind, split)
            for _, kind, split, _ in COLUMNS}
    germeval = load(args.data, "germeval2021", "train")
    speed_texts = list(sets[("checkthat2024", "dev-test")].texts) + \
        list(sets[("subjectivity-en", "dev_test")].texts) + \
        list(sets[("subjectivity-de", "dev_test")].texts)
    speed_texts = {"en": (speed_texts * 3)[:3000],  # as in earlier runs of this benchmark
                   "de": (list(sets[("subjectivity-de", "dev_test")].texts) * 3)[:1000]}

    rows = []
    # majority class
    cells = {}
    for col, kind, split, train in COLUMNS:
        ds = sets[(kind, split)]
        tr = [y for s in train for y in load(args.data, kind, s).labels]
        major = int(sum(tr) * 2 > len(tr))
        cells[col] = score(ds.metric, ds.labels, [major] * len(ds.labels))["score"]
    major = int(sum(germeval.labels) * 2 > len(germeval.labels))
    cells["GermEval cv"] = score("germeval-macro-f1", germeval.labels, [major] * len(germeval.labels))["score"]
    rows.append(("majority class", cells, {"de": float("inf"), "en": float("inf")}, 0.0))

    # TF-IDF + LR
    cells = {}
    predictors = {}
    for col, kind, split, train in COLUMNS:
        ds = sets[(kind, split)]
        tr = [load(args.data, kind, s) for s in train]
        predict = _baseline_fit([t for s in tr for t in s.texts], [y for s in tr for y in s.labels])
        predictors[kind] = predict
        cells[col] = score(ds.metric, ds.labels, predict(list(ds.texts)))["score"]
    cells["GermEval cv"] = _germeval_cv(_baseline_fit, list(germeval.texts), list(germeval.labels))
    speed, mem = {}, 0.0
    for lang, kind in (("de", "subjectivity-de"), ("en", "checkthat2024")):
        speed[lang], peak = _speed(predictors[kind], speed_texts[lang])
        mem = max(mem, peak)
    rows.append(("TF-IDF word+char + LR", cells, speed, mem))

    from quellenlage.claimmodel import _load_file, load_scorer
    from quellenlage.claimmodel.encoders import load_encoder

    def _reset():
        for cached in (load_scorer, _load_file, load_encoder):
            cached.cache_clear()

    for variant in ("fast",) + (() if args.skip_accurate else ("accurate",)):
        cells = {}
        for col, kind, split, _ in COLUMNS:
            ds = sets[(kind, split)]
            results = load_scorer(ds.lang, variant).score(list(ds.texts), explain=False)
            pred = [int(r.subjective if ds.task == "subjectivity" else r.check_worthy) for r in results]
            cells[col] = score(ds.metric, ds.labels, pred)["score"]
        meta = load_scorer("de", variant).model_file.meta["training"][f"{variant}-checkworthy"]
        cells["GermEval cv"] = meta["germeval2021/train 5-fold cv"]
        speed, mem = {}, 0.0
        for lang in ("de", "en"):
            speed[lang], peak = _speed(lambda texts, v=variant, lang=lang: load_scorer(lang, v).score(
                texts, explain=False), speed_texts[lang], reset=_reset)
            mem = max(mem, peak)
        encoders = "" if variant == "fast" else " (de: {}, en: {})".format(
            *(load_scorer(lang, variant).encoder for lang in ("de", "en")))
        rows.append((f"quellenlage {variant}{encoders}", cells, speed, mem))

    cols = [c for c, *_ in COLUMNS] + ["GermEval cv"]
    header = f"| model | {' | '.join(cols)} | de sentences/s | en sentences/s | peak MiB |"
    print(header)
    print("|" + "---|" * (len(cols) + 4))
    for name, cells, speed, mem in rows:
        speed_txt = " | ".join("—" if speed[lang] == float("inf") else f"{speed[lang]:,.0f}"
                               for lang in ("de", "en"))
        print(f"| {name} | " + " | ".join(f"{cells[c]:.3f}" for c in cols) +
              f" | {speed_txt} | {mem:.0f} |")
    print()
    print("Metrics: CT24 F1 of the positive class; subjectivity macro-F1; GermEval 2021 macro-F1 "
          "(harmonic mean of macro-P and macro-R), 5-fold CV on train (the shipped models' CV "
          "figures come from training/train_claims.py). Speed (one core), scores only (no "
          "reasons): English model on 3,000 sentences of the English and German dev splits, "
          "German model on 1,000 (the subjectivity de dev_test sentences, repeated); memory: "
          "peak Python allocations while loading the model and scoring 300 sentences.")


if __name__ == "__main__":
    main()
