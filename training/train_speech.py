"""Train the German speech tagger (two CRFs) on Corpus REDEWIEDERGABE.

    python training/train_speech.py --data ../shared/data            # shipped model (all samples)
    python training/train_speech.py --data ../shared/data --dev      # train split only, dev scores

Deterministic: the split is a hash of the file name (85/15), L-BFGS and the averaged
perceptron have no randomness, the feature order follows the sorted file list. The shipped
model is trained on all 713 samples available; ``--dev`` trains on the train split and prints
the dev scores recorded in the model card and in quality/speech.json.

Steps: (1) the words of speech are mined from the cue column of the train split only (never
from dev) into ``resources/de/speech_words_mined.txt`` (the same list for both runs);
(2) the part-of-speech tagger (``speech_de_pos.crfsuite``) is trained on the samples; the
speech CRFs see part-of-speech tags predicted two-fold out-of-fold, as noisy as at run time;
(3) the clause classifier for indirect/reported speech (``speech_de_clauses.npz``, on the same
out-of-fold tags) and the clause CRF over the same bags (``speech_de_clauses_crf.crfsuite``),
mixed into the kind CRF's decoding at run time; (4) the kind and role CRFs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from quellenlage.evaluation.speech import evaluate_documents, is_dev  # noqa: E402
from quellenlage.speech.corpora import read_rw_folder  # noqa: E402
from quellenlage.speech.clauses_de import (  # noqa: E402
    CLAUSE_CRF_FILE, CLAUSE_FILE, fit as fit_clauses, fit_crf as fit_clause_crf)
from quellenlage.speech.features_de import clause_bags_for, document_features, stack_features  # noqa: E402
from quellenlage.speech.lexicon import MINED_WORDS, RESOURCES, german_mined_words  # noqa: E402
from quellenlage.speech.pos_de import GermanPosTagger, train_pos_tagger  # noqa: E402
from quellenlage.speech.tagger_de import (  # noqa: E402
    POS_FILE, SEQUENCE_TOKENS, GermanSpeechTagger, encode_kinds)
from quellenlage.speech.textfeatures import group_chunks, sentence_chunks  # noqa: E402

MODEL_DIR = ROOT / "src" / "quellenlage" / "models" / "speech"
KIND_PARAMS = {"c1": 0.5, "c2": 0.1, "max_iterations": 150, "feature.minfreq": 2,
               "feature.possible_transitions": True}
CLAUSE_CRF = False  # the clause CRF mixed into P(indirect) (speech_de_clauses_crf.crfsuite): measured,
# not robust (dev indirect +0.8 points, 90 % interval -0.9 to +2.4) and about 15 % slower; off
STACK = False  # second-pass kind CRF on first-pass labels: lowered dev F1 (MODEL_CARD), off
ROLE_STACK = False  # role CRF on first-pass kind labels (two-fold out-of-fold): not validated, off
ROLE_FILE = "speech_de_roles_stacked.crfsuite" if ROLE_STACK else "speech_de_roles.crfsuite"
ROLE_PARAMS = {"c1": 0.5, "c2": 0.1, "max_iterations": 120, "feature.minfreq": 2,
               "feature.possible_transitions": True}


MINE_MIN_COUNT, MINE_MIN_RATE = 3, 0.2


def mine_speech_words(docs) -> dict[str, str]:
    """Word forms of the (lemma, class) pairs that are a cue (``intexpr``) at least
    ``MINE_MIN_COUNT`` times and in at least ``MINE_MIN_RATE`` of their occurrences; full
    verbs, nouns and predicative adjectives only. Form -> ``N`` (noun) or ``V``."""
    cue: Counter = Counter()
    total: Counter = Counter()
    for doc in docs:
        for i, tag in enumerate(doc.stts):
            if not (tag.startswith("VV") or tag in ("NN", "ADJD")):
                continue
            key = (doc.lemmas[i], tag[:2])
            total[key] += 1
            cue[key] += i in doc.cue_tokens
    keep = {k for k in cue if cue[k] >= MINE_MIN_COUNT and cue[k] / total[k] >= MINE_MIN_RATE}
    out: dict[str, str] = {}
    for doc in docs:
        for i, tag in enumerate(doc.stts):
            if (doc.lemmas[i], tag[:2]) in keep:
                out.setdefault(doc.tokens[i].lower(), "N" if tag == "NN" else "V")
    return out


def write_mined_words(words: dict[str, str], n_docs: int) -> None:
    path = RESOURCES / "de" / MINED_WORDS
    head = [f"# Words of speech, thought and writing mined from the cue column (intexpr) of the "
            f"{n_docs} REDEWIEDERGABE", "# train samples (never dev) by training/train_speech.py; "
            "generated, do not edit.", "# form class (V: verb or adjective, N: noun)"]
    path.write_text("\n".join(head + [f"{w} {c}" for w, c in sorted(words.items())]) + "\n",
                    encoding="utf-8")
    german_mined_words.cache_clear()


def _oof_pos(docs, log) -> dict[str, list[str]]:
    """Part-of-speech tags for every document from a tagger trained on the other fold."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for fold in (0, 1):
            path = Path(tmp) / f"pos{fold}.crfsuite"
            train_pos_tagger(((d.tokens, d.pos, sentence_chunks(d.tokens)) for d in docs
                              if _fold(d.name) != fold), path)
            tagger = GermanPosTagger(path)
            for d in docs:
                if _fold(d.name) == fold:
                    out[d.name] = tagger.tag(d.tokens, sentence_chunks(d.tokens))
    log(f"part-of-speech tags out-of-fold for {len(out)} samples")
    return out


def _train_clauses(docs, oof, path: Path, log) -> None:
    """The clause classifier (``clauses_de``) on the documents' clauses with out-of-fold
    part-of-speech tags (as noisy as at run time); a clause is indirect/reported speech when at
    least half of its tokens are."""
    bags, y_i, y_r = [], [], []
    per_doc = []
    for d in docs:
        n0 = len(bags)
        for a, b, bag in clause_bags_for(d.tokens, sentence_chunks(d.tokens), oof[d.name]):
            bags.append(bag)
            y_i.append(sum("indirect" in d.kinds[i] for i in range(a, b)) * 2 >= b - a)
            y_r.append(sum("reported" in d.kinds[i] for i in range(a, b)) * 2 >= b - a)
        per_doc.append((bags[n0:], y_i[n0:], y_r[n0:]))
    t0 = time.time()
    fit_clauses(bags, y_i, y_r).save(path)
    log(f"trained clause classifier on {len(bags)} clauses in {time.time() - t0:.0f} s -> "
        f"{path.name} ({path.stat().st_size / 1e6:.1f} MB)")
    if CLAUSE_CRF:
        t0 = time.time()
        crf_path = path.with_name(CLAUSE_CRF_FILE)
        fit_clause_crf(per_doc, crf_path)
        log(f"trained clause CRF in {time.time() - t0:.0f} s -> {crf_path.name} "
            f"({crf_path.stat().st_size / 1e6:.1f} MB)")


def _role(doc, i: int) -> str:
    if i in doc.speaker_tokens:
        return "S"
    if i in doc.cue_tokens:
        return "C"
    return "O"


def _fold(name: str) -> int:
    return int(hashlib.md5(("fold:" + name).encode("utf-8")).hexdigest(), 16) % 2


def _train_crf(items, params: dict, path: Path, name: str, log) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for xseq, yseq in items:
        trainer.append(xseq, yseq)
    t0 = time.time()
    trainer.select("lbfgs", "crf1d")
    trainer.set_params(params)
    trainer.train(str(path))
    log(f"trained {name} CRF in {time.time() - t0:.0f} s -> {path.name} "
        f"({path.stat().st_size / 1e6:.1f} MB)")


def train(docs, kind_path: Path, role_path: Path, stack_path: Path | None = None,
          log=print) -> None:
    """Train the kind and role CRFs; with ``stack_path`` also the second-pass kind CRF, whose
    training features come from two-fold out-of-fold first-pass labels."""
    import pycrfsuite

    t0 = time.time()
    train_pos_tagger(((d.tokens, d.pos, sentence_chunks(d.tokens)) for d in docs),
                     kind_path.with_name(POS_FILE))
    log(f"trained part-of-speech tagger in {time.time() - t0:.0f} s -> {POS_FILE}")
    oof = _oof_pos(docs, log)
    _train_clauses(docs, oof, kind_path.with_name(CLAUSE_FILE), log)
    prepared = []
    for doc in docs:
        chunks, feats = document_features(doc.tokens, lambda toks, ch, d=doc: oof[d.name])
        seqs = group_chunks(chunks, SEQUENCE_TOKENS)
        kinds = [encode_kinds(k) for k in doc.kinds]
        roles = [_role(doc, i) for i in range(len(doc.tokens))]
        prepared.append((doc, chunks, feats, seqs, kinds, roles))

    def items(subset, labels_of, extra_of=None):
        for j, (doc, chunks, feats, seqs, kinds, roles) in enumerate(prepared):
            if not subset(j, doc):
                continue
            extra = extra_of(j) if extra_of else None
            for s, e in seqs:
                x = feats[s:e] if extra is None else [feats[i] + extra[i] for i in range(s, e)]
                yield pycrfsuite.ItemSequence(x), labels_of(kinds, roles)[s:e]

    everything = lambda j, d: True  # noqa: E731
    _train_crf(items(everything, lambda k, r: k), KIND_PARAMS, kind_path, "kinds", log)
    if not ROLE_STACK:
        _train_crf(items(everything, lambda k, r: r), ROLE_PARAMS, role_path, "roles", log)
    if stack_path is None and not ROLE_STACK:
        return
    oof_kinds: dict[int, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for fold in (0, 1):
            path = Path(tmp) / f"fold{fold}.crfsuite"
            _train_crf(items(lambda j, d: _fold(d.name) != fold, lambda k, r: k), KIND_PARAMS,
                       path, f"kinds fold {fold}", log)
            tagger = pycrfsuite.Tagger()
            tagger.open(str(path))
            for j, (doc, chunks, feats, seqs, kinds, roles) in enumerate(prepared):
                if _fold(doc.name) == fold:
                    labels = []
                    for s, e in seqs:
                        labels.extend(tagger.tag(pycrfsuite.ItemSequence(feats[s:e])))
                    oof_kinds[j] = labels
            tagger.close()
    if ROLE_STACK:
        _train_crf(items(everything, lambda k, r: r,
                         lambda j: stack_features(prepared[j][1], oof_kinds[j])),
                   ROLE_PARAMS, role_path, "roles (on first-pass kinds)", log)
    if stack_path is not None:
        _train_crf(items(everything, lambda k, r: k,
                         lambda j: stack_features(prepared[j][1], oof_kinds[j])),
                   KIND_PARAMS, stack_path, "kinds (second pass)", log)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--dev", action="store_true", help="train on the train split, score dev")
    ap.add_argument("--out", type=Path, default=None, help="model folder (default: package)")
    args = ap.parse_args(argv)
    docs = read_rw_folder(args.data / "redewiedergabe")
    train_split = [d for d in docs if not is_dev(d.name)]
    write_mined_words(mine_speech_words(train_split), len(train_split))
    if args.dev:
        train_docs = [d for d in docs if not is_dev(d.name)]
        dev_docs = [d for d in docs if is_dev(d.name)]
        print(f"train {len(train_docs)} samples, dev {len(dev_docs)} samples")
        with tempfile.TemporaryDirectory() as tmp:
            folder = args.out or Path(tmp)
            folder.mkdir(parents=True, exist_ok=True)
            kp, rp = folder / "speech_de_kinds.crfsuite", folder / ROLE_FILE
            sp = folder / "speech_de_stack.crfsuite" if STACK else None
            train(train_docs, kp, rp, sp)
            scores = evaluate_documents(dev_docs, GermanSpeechTagger(kp, rp))
            if sp is not None:
                print(json.dumps(scores, indent=2))
                scores = evaluate_documents(dev_docs, GermanSpeechTagger(kp, rp, sp))
        print(json.dumps(scores, indent=2))
        return 0
    out = args.out or MODEL_DIR
    out.mkdir(parents=True, exist_ok=True)
    for old in [*out.glob("speech_de_*.crfsuite"), *out.glob(CLAUSE_FILE)]:
        old.unlink()
    train(docs, out / "speech_de_kinds.crfsuite", out / ROLE_FILE,
          out / "speech_de_stack.crfsuite" if STACK else None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
