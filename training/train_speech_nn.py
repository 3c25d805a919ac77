"""Train the German speech tagger's neural kind model (BiLSTM, sigmoid per kind) and its
ensemble with the kind CRF.

    python training/train_speech_nn.py --data ../shared/data --dev   # train split, dev scores
    python training/train_speech_nn.py --data ../shared/data         # all samples, writes the
        # CRFs (as train_speech.py) and speech_de_kinds_nn.npz into the model folder

Not shipped: the ensemble raises dev F1 but costs too much speed (MODEL_CARD, "Neural kind
model"); the tagger uses it only where speech_de_kinds_nn.npz lies next to the kind CRF.

Inputs: the kind CRF's features (``quellenlage.speech.nn_de``), with part-of-speech tags
predicted two-fold out-of-fold for the training samples (as ``train_speech.py`` does). A tenth
of the training samples (by hash) chooses the epoch, then the network's weight against the
kind CRF's marginals and the per-kind thresholds (with a kind CRF trained on the other nine
tenths); the final network is retrained on all training samples for that many epochs.
Deterministic: seeded torch on one thread, sorted files, hash splits.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "training"))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from quellenlage.evaluation.speech import evaluate_documents, is_dev  # noqa: E402
from quellenlage.speech.corpora import KINDS, read_rw_folder  # noqa: E402
from quellenlage.speech.features_de import document_features  # noqa: E402
from quellenlage.speech.nn_de import COLUMNS, LABELS, encode, is_flag, windows  # noqa: E402
from quellenlage.speech.pos_de import GermanPosTagger, train_pos_tagger  # noqa: E402
from quellenlage.speech.tagger_de import FROM_INITIAL, NN_FILE, GermanSpeechTagger  # noqa: E402
from quellenlage.speech.textfeatures import group_chunks, sentence_chunks  # noqa: E402
from seqnn_torch import TorchSeqTagger, export, pad_batch  # noqa: E402
from train_speech import _oof_pos, mine_speech_words, write_mined_words  # noqa: E402
from train_speech import train as train_crfs  # noqa: E402

MODEL_DIR = ROOT / "src" / "quellenlage" / "models" / "speech"
SEQ_TOKENS = 40  # the network's sequences (nn_de.windows); 60 and 120 measured too (MODEL_CARD)
FLAG_MIN = 5
P = dict(hidden=64, layers=1, dropout=0.3, lr=2e-3, batch=16, epochs=14, seed=7,
         word_drop=0.0)


def _tune(name: str) -> bool:
    return int(hashlib.md5(("tune:" + name).encode("utf-8")).hexdigest(), 16) % 10 == 0


def prepare(docs, pos_of, log=print):
    """Per document: sentence chunks, feature strings (list of lists), gold (T, 4)."""
    out = []
    t0 = time.time()
    for d in docs:
        chunks, feats = document_features(d.tokens, lambda toks, ch, d=d: pos_of(d))
        gold = np.array([[FROM_INITIAL[c] in k for c in LABELS] for k in d.kinds], np.float32)
        out.append((d, chunks, feats, gold))
    log(f"features for {len(docs)} samples in {time.time() - t0:.0f} s")
    return out


def flag_list(prepared) -> list[str]:
    count: Counter = Counter()
    for _, _, feats, _ in prepared:
        for f in feats:
            count.update(x for x in set(f) if is_flag(x))
    return sorted(x for x, c in count.items() if c >= FLAG_MIN)


def sequences(prepared, flags: dict[str, int]):
    seqs = []
    for d, chunks, feats, gold in prepared:
        ids, dense = encode(feats, flags)
        for s, e in windows(chunks, SEQ_TOKENS):
            seqs.append((d.name, s, ids[s:e], dense[s:e], gold[s:e]))
    return seqs


def predict(model, seqs, batch=64):
    model.eval()
    out = []
    with torch.no_grad():
        for b in range(0, len(seqs), batch):
            part = seqs[b:b + batch]
            ids, lengths, dn = pad_batch([s[2] for s in part], [s[3] for s in part])
            p = torch.sigmoid(model.scores(ids, lengths, dn)).numpy()
            out.extend(p[i, :len(s[2])] for i, s in enumerate(part))
    return out


def token_f1(gold: np.ndarray, pred: np.ndarray) -> float:
    tp = float((gold & pred).sum())
    fp = float((~gold & pred).sum())
    fn = float((gold & ~pred).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


GRID = np.round(np.arange(0.1, 0.91, 0.05), 2)


def best_thresholds(gold: np.ndarray, prob: np.ndarray) -> tuple[list[float], list[float]]:
    g = gold > 0.5
    th, f1 = [], []
    for c in range(len(LABELS)):
        scores = [token_f1(g[:, c], prob[:, c] >= t) for t in GRID]
        j = int(np.argmax(scores))
        th.append(float(GRID[j]))
        f1.append(scores[j])
    return th, f1


def train_model(train_seqs, n_flags, epochs, tune_seqs=None, log=print):
    torch.manual_seed(P["seed"])
    torch.set_num_threads(1)
    rng = np.random.RandomState(P["seed"])
    model = TorchSeqTagger([b for _, b, _ in COLUMNS], [d for _, _, d in COLUMNS], len(LABELS),
                           hidden=P["hidden"], layers=P["layers"], dense_dim=n_flags,
                           mode="sigmoid", dropout=P["dropout"])
    opt = torch.optim.Adam(model.parameters(), lr=P["lr"])
    allg = np.concatenate([s[4] for s in train_seqs])
    pos = allg.sum(0)
    pw = torch.tensor(np.clip(np.sqrt((len(allg) - pos) / np.maximum(pos, 1)), 1, 5),
                      dtype=torch.float32)
    log(f"pos_weight {pw.numpy().round(2).tolist()}")
    history = []
    best = (-1.0, None, None, 0)
    for ep in range(1, epochs + 1):
        model.train()
        t0 = time.time()
        order = rng.permutation(len(train_seqs))
        total = 0.0
        for b in range(0, len(order), P["batch"]):
            part = [train_seqs[i] for i in order[b:b + P["batch"]]]
            ids, lengths, dn = pad_batch([s[2] for s in part], [s[3] for s in part])
            gold, _, _ = pad_batch([s[4] for s in part])
            if P["word_drop"]:  # forget word and affix ids at random (as unseen words)
                drop = torch.rand(ids.shape[:2]) < P["word_drop"]
                ids[:, :, :4] = ids[:, :, :4].masked_fill(drop[:, :, None], 0)
            loss = model.loss(ids, lengths, gold.float(), dn, label_weights=pw)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            total += float(loss) * len(part)
        msg = f"epoch {ep}: loss {total / len(order):.4f} ({time.time() - t0:.0f} s)"
        if tune_seqs:
            prob = np.concatenate(predict(model, tune_seqs))
            gold = np.concatenate([s[4] for s in tune_seqs])
            th, f1 = best_thresholds(gold, prob)
            key = f1[0] + f1[1] + f1[2]
            history.append((ep, th, f1))
            msg += f"; tune F1 {[round(x, 3) for x in f1]} at {th}"
            if key > best[0]:
                best = (key, {k: v.clone() for k, v in model.state_dict().items()}, th, ep)
        log(msg)
    if tune_seqs:
        model.load_state_dict(best[1])
        return model, best[2], best[3], history
    return model, None, epochs, history


def score(prepared, probs_of, thresholds, fill=True):
    """Token P/R/F1 per kind as quellenlage.evaluation.speech (quotation fill as the tagger)."""
    from quellenlage.speech.tagger_de import _fill_quotes
    from quellenlage.speech.textfeatures import quote_structure

    counts = {k: [0, 0, 0] for k in KINDS}
    for d, chunks, feats, gold in prepared:
        prob = probs_of(d.name)
        kinds = [{FROM_INITIAL[c] for j, c in enumerate(LABELS) if prob[i, j] >= thresholds[j]}
                 for i in range(len(d.tokens))]
        if fill:
            _fill_quotes(kinds, quote_structure(d.tokens))
        for g, p in zip(d.kinds, kinds):
            for k in KINDS:
                if k in g and k in p:
                    counts[k][0] += 1
                elif k in p:
                    counts[k][1] += 1
                elif k in g:
                    counts[k][2] += 1
    return {k: round(2 * tp / (2 * tp + fp + fn), 4) if tp else 0.0
            for k, (tp, fp, fn) in counts.items()}


def doc_probs(seqs, probs):
    by: dict[str, list] = {}
    for s, p in zip(seqs, probs):
        by.setdefault(s[0], []).append((s[1], p))
    return {name: np.concatenate([p for _, p in sorted(parts, key=lambda x: x[0])])
            for name, parts in by.items()}


def fit_crf(prepared, path: Path, log=print) -> None:
    """A kind CRF as train_speech.py trains it, on these prepared samples."""
    import pycrfsuite

    from quellenlage.speech.tagger_de import SEQUENCE_TOKENS, encode_kinds
    from train_speech import KIND_PARAMS, _train_crf

    def items():
        for d, chunks, feats, _ in prepared:
            labels = [encode_kinds(k) for k in d.kinds]
            for s, e in group_chunks(chunks, SEQUENCE_TOKENS):
                yield pycrfsuite.ItemSequence(feats[s:e]), labels[s:e]

    _train_crf(items(), KIND_PARAMS, path, "kinds (fit part)", log)


def crf_probs(kind_model: Path, prepared) -> dict[str, np.ndarray]:
    """Per document the kind CRF's per-kind marginals (n, 4), as the tagger computes them."""
    import pycrfsuite

    from quellenlage.speech.tagger_de import SEQUENCE_TOKENS, kind_probabilities

    crf = pycrfsuite.Tagger()
    crf.open(str(kind_model))
    out = {}
    for d, chunks, feats, _ in prepared:
        parts = []
        for s, e in group_chunks(chunks, SEQUENCE_TOKENS):
            crf.tag(pycrfsuite.ItemSequence(feats[s:e]))
            parts.append(kind_probabilities(crf, e - s))
        out[d.name] = np.concatenate(parts)
    crf.close()
    return out


WEIGHTS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def choose_mix(tune, nn_tune, crf_tune, log=print) -> tuple[float, list[float]]:
    """The weight of the neural model and per-kind thresholds with the best tune F1
    (direct + indirect + reported)."""
    gold = np.concatenate([p[3] for p in tune])
    best = None
    for w in WEIGHTS:
        mix = np.concatenate([w * nn_tune[p[0].name] + (1 - w) * crf_tune[p[0].name]
                              for p in tune])
        th, f1 = best_thresholds(gold, mix)
        log(f"mix weight {w}: tune F1 {[round(x, 3) for x in f1]} at {th}")
        if best is None or sum(f1[:3]) > best[0]:
            best = (sum(f1[:3]), w, th)
    return best[1], best[2]


def load_features(args, docs, train_docs, dev_docs, log=print):
    cache = args.cache
    if cache and cache.is_file():
        with open(cache, "rb") as fh:
            return pickle.load(fh)
    oof = _oof_pos(train_docs, log)
    prepared_train = prepare(train_docs, lambda d: oof[d.name], log)
    prepared_dev = []
    if dev_docs:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "pos.crfsuite"
            train_pos_tagger(((d.tokens, d.pos, sentence_chunks(d.tokens)) for d in train_docs),
                             path)
            tagger = GermanPosTagger(path)
            prepared_dev = prepare(dev_docs, lambda d: tagger.tag(d.tokens,
                                                                  sentence_chunks(d.tokens)), log)
    if cache:
        with open(cache, "wb") as fh:
            pickle.dump((prepared_train, prepared_dev), fh, protocol=pickle.HIGHEST_PROTOCOL)
    return prepared_train, prepared_dev


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--dev", action="store_true")
    ap.add_argument("--cache", type=Path, default=None, help="pickle of the features (experiments)")
    ap.add_argument("--limit", type=int, default=0, help="only this many training samples")
    ap.add_argument("--set", action="append", default=[], help="parameter override k=v")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    for kv in args.set:
        k, v = kv.split("=")
        P[k] = type(P[k])(v)
    docs = read_rw_folder(args.data / "redewiedergabe")
    train_split = [d for d in docs if not is_dev(d.name)]
    write_mined_words(mine_speech_words(train_split), len(train_split))
    train_docs = train_split if args.dev else docs
    dev_docs = [d for d in docs if is_dev(d.name)] if args.dev else []
    prepared_train, prepared_dev = load_features(args, docs, train_docs, dev_docs)
    if args.limit:
        prepared_train = prepared_train[:args.limit]
    flags = {x: i for i, x in enumerate(flag_list(prepared_train))}
    print(f"{len(flags)} flags, params {P}")
    fit = [p for p in prepared_train if not _tune(p[0].name)]
    tune = [p for p in prepared_train if _tune(p[0].name)]
    fit_seqs, tune_seqs = sequences(fit, flags), sequences(tune, flags)
    print(f"fit {len(fit)} samples / {len(fit_seqs)} sequences, tune {len(tune)} samples")
    model, th_nn, epochs, _ = train_model(fit_seqs, len(flags), P["epochs"], tune_seqs)
    print(f"best epoch {epochs}, thresholds of the neural model alone {th_nn}")
    nn_tune = doc_probs(tune_seqs, predict(model, tune_seqs))
    with tempfile.TemporaryDirectory() as tmp:
        fit_crf(fit, Path(tmp) / "fit.crfsuite")
        crf_tune = crf_probs(Path(tmp) / "fit.crfsuite", tune)
    weight, th = choose_mix(tune, nn_tune, crf_tune)
    print(f"neural weight {weight}, thresholds {th}")

    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or (Path(tmp) if args.dev else MODEL_DIR)
        out.mkdir(parents=True, exist_ok=True)
        kp, rp = out / "speech_de_kinds.crfsuite", out / "speech_de_roles.crfsuite"
        train_crfs([p[0] for p in prepared_train], kp, rp)
        all_seqs = sequences(prepared_train, flags)
        model, _, _, _ = train_model(all_seqs, len(flags), epochs)
        meta = {"flags": list(flags), "thresholds": th, "weight": weight,
                "seq_tokens": SEQ_TOKENS, "labels": list(LABELS), "epochs": epochs,
                "params": P, "columns": [list(c) for c in COLUMNS]}
        export(model, out / NN_FILE, meta, check_seqs=[s[2] for s in all_seqs[:8]],
               check_dense=[s[3] for s in all_seqs[:8]])
        print(f"wrote {out / NN_FILE} ({(out / NN_FILE).stat().st_size / 1e6:.1f} MB)")
        if args.dev:
            scores = evaluate_documents(dev_docs, GermanSpeechTagger(kp, rp, nn_model=out / NN_FILE))
            print(json.dumps(scores, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
