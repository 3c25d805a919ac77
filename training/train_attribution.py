"""Train the English attributor (two CRFs) on PolNeAR.

    python training/train_attribution.py --data ../shared/data          # shipped model (train split)
    python training/train_attribution.py --data ../shared/data --dev    # also print dev scores

Deterministic: files in sorted order, L-BFGS without randomness. The shipped model is trained
on PolNeAR train (all annotation files; a text annotated twice is seen twice); dev is used to
choose features and parameters only.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from quellenlage.evaluation.attribution import evaluate_documents  # noqa: E402
from quellenlage.speech.attributor_en import EnglishAttributor  # noqa: E402
from quellenlage.speech.corpora import read_pn_folder  # noqa: E402
from quellenlage.speech.features_en import document_features  # noqa: E402
from quellenlage.tokenize import tokenize  # noqa: E402

MODEL_DIR = ROOT / "src" / "quellenlage" / "models" / "attribution"
PARAMS = {"c1": 0.5, "c2": 0.1, "max_iterations": 150, "feature.minfreq": 2,
          "feature.possible_transitions": True}


def token_labels(doc, offsets: list[tuple[int, int]]) -> tuple[list[str], list[str]]:
    """BIO labels (source/cue CRF, content CRF) of the tokens from the gold char spans."""
    n = len(offsets)
    sc = ["O"] * n
    con = ["O"] * n
    starts = [s for s, _ in offsets]

    def mark(labels, span, tag):
        import bisect

        s, e = span
        i = bisect.bisect_right(starts, s) - 1
        i = max(i, 0)
        if i < n and offsets[i][1] <= s:
            i += 1
        first = True
        while i < n and offsets[i][0] < e:
            labels[i] = ("B-" if first else "I-") + tag
            first = False
            i += 1

    for span in sorted(doc.spans["source"]):
        mark(sc, span, "SRC")
    for span in sorted(doc.spans["cue"]):
        mark(sc, span, "CUE")
    for span in sorted(doc.spans["content"], key=lambda x: (x[0], -x[1])):
        mark(con, span, "CON")
    return sc, con


def train(docs, sc_path: Path, con_path: Path, log=print) -> None:
    import pycrfsuite

    st = pycrfsuite.Trainer(verbose=False)
    ct = pycrfsuite.Trainer(verbose=False)
    for doc in docs:
        offsets = tokenize(doc.text)
        tokens = [doc.text[s:e] for s, e in offsets]
        sc, con = token_labels(doc, offsets)
        chunks, feats = document_features(tokens)
        for s, e in chunks:
            xseq = pycrfsuite.ItemSequence(feats[s:e])
            st.append(xseq, sc[s:e])
            ct.append(xseq, con[s:e])
    for trainer, path, name in ((st, sc_path, "source/cue"), (ct, con_path, "content")):
        t0 = time.time()
        trainer.select("lbfgs", "crf1d")
        trainer.set_params(PARAMS)
        trainer.train(str(path))
        log(f"trained {name} CRF in {time.time() - t0:.0f} s -> {path.name} "
            f"({path.stat().st_size / 1e6:.1f} MB)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--dev", action="store_true", help="print dev scores after training")
    ap.add_argument("--out", type=Path, default=None, help="model folder (default: package)")
    args = ap.parse_args(argv)
    train_docs = read_pn_folder(args.data / "polnear" / "train")
    out = args.out or MODEL_DIR
    out.mkdir(parents=True, exist_ok=True)
    sc_path, con_path = out / "attribution_en_sc.crfsuite", out / "attribution_en_content.crfsuite"
    train(train_docs, sc_path, con_path)
    if args.dev:
        dev_docs = read_pn_folder(args.data / "polnear" / "dev")
        scores = evaluate_documents(dev_docs, EnglishAttributor(sc_path, con_path))
        print(json.dumps(scores, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
