"""NER speed, memory and accuracy, side by side with tokenizer baselines and the rule backend.

    .venv/bin/python benchmarks/ner.py [--data ../shared/data] [--repeat 3]

Rows (same process, same text, one core):
- regex tokenizer (quellenlage.tokenize), the floor every stage pays;
- spaCy ``spacy.blank("de"/"en")`` tokenizer (no model);
- rule-based entities (quellenlage.stages.entities.rule_mentions), the first version;
- the trained CRF tagger (``load_tagger(lang).find``), tokenizing included.
Words/s per core = whitespace words / CPU seconds of this process (time.process_time).
Peak memory: Python allocations during the run (tracemalloc), and the process's peak RSS.
Accuracy: held-out entity-level F1 from quality/ner.json: German = the training recipe retrained
without the first half of GermEval 2014 dev and scored on it (GermEval outer labels); English =
retrained without fold 0 of UNER EWT dev and scored on it. The shipped models saw all of that data.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def _texts(data: Path, lang: str) -> list[str]:
    from quellenlage.ner.data import read_columns

    if lang == "de":
        path = data / "germeval2014-ner" / "dev.txt"
    else:
        path = data / "uner" / "en-ewt" / "en_ewt-ud-dev.iob2"
    if path.exists():
        return [" ".join(s.tokens) for s in read_columns(path)]
    sample = ("Bundeskanzler Olaf Scholz traf am Montag in Berlin den französischen Präsidenten Emmanuel "
              "Macron, um über die Lage in der Ukraine und die Rolle der NATO zu sprechen.")
    if lang == "en":
        sample = ("Yesterday John Miller flew from London to Chicago to meet executives of Microsoft, "
                  "and the FBI said it was not involved in the talks.")
    return [sample] * 2000


def _measure(fn, texts: list[str], repeat: int) -> tuple[float, float]:
    """Words/s per core (timed without tracing), then peak traced memory in a separate pass."""
    words = sum(len(t.split()) for t in texts) * repeat
    start = time.process_time()
    for _ in range(repeat):
        for t in texts:
            fn(t)
    cpu = time.process_time() - start
    tracemalloc.start()
    for t in texts:
        fn(t)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return words / cpu if cpu else float("inf"), peak / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)

    import spacy

    from quellenlage.ner import load_tagger
    from quellenlage.stages.entities import rule_mentions
    from quellenlage.tokenize import tokenize

    rows = []
    loads = []
    for lang in ("de", "en"):
        texts = _texts(args.data, lang)
        nlp = spacy.blank(lang)
        tracemalloc.start()
        load_start = time.perf_counter()
        tagger = load_tagger(lang)
        load_s = time.perf_counter() - load_start
        _, load_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        loads.append((lang, load_s, load_peak / 2**20))
        tagger.find(texts[0])  # warm the feature cache the same way for every run
        gate = json.loads((ROOT / "quality" / "ner.json").read_text(encoding="utf-8"))["gate"]
        key = "de_retrain_germeval_dev_first_half" if lang == "de" else "en_retrain_ewt_dev_fold0"
        accuracy = f"{gate[key]['f1']:.3f} ({'GermEval dev half' if lang == 'de' else 'UNER EWT fold 0'})"
        for name, fn in (("regex tokenizer", tokenize),
                         ("spacy.blank tokenizer", nlp.tokenizer),
                         ("rule entities (v1)", lambda t, lang=lang: rule_mentions(t, lang)),
                         ("CRF NER (find)", tagger.find)):
            wps, peak = _measure(fn, texts, args.repeat)
            rows.append((lang, name, wps, peak, accuracy if name.startswith("CRF") else "-"))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'lang':4} {'system':24} {'words/s/core':>13} {'peak MiB (py)':>14}  accuracy (entity F1)")
    for lang, name, wps, peak, acc in rows:
        print(f"{lang:4} {name:24} {wps:13,.0f} {peak:14.1f}  {acc}")
    for lang, secs, peak in loads:
        print(f"{lang} model load: {secs:.2f} s, {peak:.1f} MiB traced peak (clusters, gazetteers, CRF)")
    print(f"process peak RSS: {rss:.0f} MiB (both models loaded, spaCy imported)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
