"""Speed and memory of the whole default pipeline, side by side with the bare libraries it uses.

Documents (at least 200, German and English) are built from ../shared/data:
- English: PolNeAR news articles (text/*.txt),
- German: REDEWIEDERGABE samples (running text rebuilt from the token column, cut to ~1,500 words)
  and GermEval 2021 Facebook comments (20 per document).

Each contender runs in its own subprocess (one core, no threads) so that its peak RSS is its own;
words/s is words over CPU seconds of that process. Cold start = a fresh interpreter importing
quellenlage and analysing one document. Before timing, each contender processes one document of
each language, so that loading its models (what the cold start measures) is not counted in
words/s. A second table times single long documents (English articles of the corpus joined
into one text of about 10,000, 50,000 and 200,000 words): words/s that stays level as a
document grows says the pipeline is linear in its length. Usage:

    python benchmarks/analyze.py [--data ../shared/data] [--docs 240] [--no-long]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_NO_SPACE_BEFORE = re.compile(r" ([.,;:!?)\]»“])")
_NO_SPACE_AFTER = re.compile(r"([(\[„«]) ")


def build_corpus(data: Path, n_docs: int) -> list[tuple[str, str]]:
    docs: list[tuple[str, str]] = []
    polnear = sorted((data / "polnear" / "train" / "text").glob("*.txt"))
    for path in polnear[: n_docs // 2]:
        docs.append(("en", path.read_text(encoding="utf-8", errors="replace")))
    rw = sorted(p for p in (data / "redewiedergabe").glob("*.tsv") if not p.name.startswith("metadata"))
    for path in rw[: n_docs // 4]:
        tokens, sentences = [], []
        with open(path, encoding="utf-8") as f:
            for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                if row.get("sentstart") == "yes" and tokens:
                    sentences.append(" ".join(tokens))
                    tokens = []
                tokens.append(row["tok"])
                if sum(len(s.split()) for s in sentences) > 1500:
                    break
        text = "\n".join(_NO_SPACE_AFTER.sub(r"\1", _NO_SPACE_BEFORE.sub(r"\1", s)) for s in sentences)
        docs.append(("de", text))
    with open(data / "germeval2021" / "train.csv", encoding="utf-8") as f:
        comments = [row["comment_text"] for row in csv.DictReader(f)]
    while len(docs) < n_docs and comments:
        docs.append(("de", "\n".join(comments[:20])))
        comments = comments[20:]
    return docs


WORKER = r'''
import json, resource, sys, time
docs = json.load(open(sys.argv[2], encoding="utf-8"))
name = sys.argv[1]
if name == "quellenlage (default pipeline)":
    import quellenlage
    run = lambda lang, text: quellenlage.analyze(text, lang=lang, input_format="text")
elif name == "quellenlage (rules only)":
    import quellenlage
    run = lambda lang, text: quellenlage.analyze(text, lang=lang, input_format="text", entities="rules", scorer="features")
elif name == "quellenlage segment stage":
    from quellenlage.stages.segment import split_sentences
    run = lambda lang, text: split_sentences(text, lang)
elif name == "sentencex alone":
    from sentencex import segment
    run = lambda lang, text: list(segment(lang, text))
elif name == "spaCy blank + sentencizer":
    import spacy
    nlps = {}
    for l in ("de", "en"):
        nlps[l] = spacy.blank(l); nlps[l].add_pipe("sentencizer")
    run = lambda lang, text: list(nlps[lang](text).sents)
errors = 0
warm = json.load(open(sys.argv[3], encoding="utf-8")) if len(sys.argv) > 3 else docs
for lang in sorted({lang for lang, _text in warm}):  # warm-up: load every language's models once
    run(lang, next(text for l, text in warm if l == lang))
t0, c0 = time.perf_counter(), time.process_time()
for lang, text in docs:
    try:
        run(lang, text)
    except Exception:
        errors += 1
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"cpu": cpu, "wall": wall, "rss_mb": rss, "errors": errors}))
'''

COLD = r'''
import time, resource
t0 = time.perf_counter()
import quellenlage
quellenlage.analyze("Laut Insidern soll der Minister am Montag 22 Berater entlassen haben. Er bestreitet das.")
print(time.perf_counter() - t0)
'''

CONTENDERS = ["quellenlage (default pipeline)", "quellenlage (rules only)", "quellenlage segment stage",
              "sentencex alone", "spaCy blank + sentencizer"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--docs", type=int, default=240)
    parser.add_argument("--no-long", action="store_true", help="skip the long-document table")
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"data folder {args.data} not found (pass --data)")
    docs = build_corpus(args.data, args.docs)
    words = sum(len(re.findall(r"\w+", t)) for _l, t in docs)
    corpus = Path(os.environ.get("TMPDIR", "/tmp")) / "quellenlage-bench-corpus.json"
    corpus.write_text(json.dumps(docs), encoding="utf-8")
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", HF_HUB_OFFLINE="1")
    n_de = sum(1 for lang, _ in docs if lang == "de")
    print(f"{len(docs)} documents ({n_de} German, {len(docs) - n_de} English), {words:,} words")
    print()
    print(f"| {'contender':32} | {'words/s per core':>16} | {'peak RSS MB':>11} | {'errors':>6} |")
    print(f"|{'-' * 34}|{'-' * 18}|{'-' * 13}|{'-' * 8}|")
    for name in CONTENDERS:
        out = subprocess.run([sys.executable, "-c", WORKER, name, str(corpus)], capture_output=True, text=True, env=env)
        if out.returncode != 0:
            print(f"| {name:32} | {'failed':>16} | {'':>11} | {'':>6} |  {out.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"| {name:32} | {words / r['cpu']:16,.0f} | {r['rss_mb']:11.0f} | {r['errors']:6d} |")
    if not args.no_long:
        long_documents(docs, corpus, env)
    colds = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", COLD], capture_output=True, text=True, env=env)
        colds.append(float(out.stdout.strip().splitlines()[-1]))
    print()
    print(f"cold start (import + first analyze), best of 3: {min(colds):.2f} s")


def long_documents(docs: list[tuple[str, str]], corpus: Path, env: dict) -> None:
    """Words/s of the two quellenlage pipelines on one long English document of each size (the
    models loaded on the short corpus first)."""
    english = [t for lang, t in docs if lang == "en"]
    print()
    print(f"| {'one long English document':32} | {'words':>9} | {'words/s per core':>16} | {'peak RSS MB':>11} |")
    print(f"|{'-' * 34}|{'-' * 11}|{'-' * 18}|{'-' * 13}|")
    for size in (10_000, 50_000, 200_000):
        parts, n = [], 0
        while n < size:
            text = english[len(parts) % len(english)]
            parts.append(text)
            n += len(re.findall(r"\w+", text))
        path = corpus.with_name(f"quellenlage-bench-long-{size}.json")
        path.write_text(json.dumps([("en", "\n\n".join(parts))]), encoding="utf-8")
        for name in CONTENDERS[:2]:
            out = subprocess.run([sys.executable, "-c", WORKER, name, str(path), str(corpus)],
                                 capture_output=True, text=True, env=env)
            if out.returncode != 0:
                print(f"| {name:32} | {n:9,} | {'failed':>16} | {'':>11} |")
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"| {name:32} | {n:9,} | {n / r['cpu']:16,.0f} | {r['rss_mb']:11.0f} |")


if __name__ == "__main__":
    main()
