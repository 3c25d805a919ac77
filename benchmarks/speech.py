"""Speed and memory of the speech tagger (German) and the attributor (English).

    python benchmarks/speech.py [--data ../shared/data] [--repeat 3]

Prints one table row per system: words per CPU-second (= per core; the taggers are single
threaded; words = tokens of the shared tokenizer), peak Python heap while running
(tracemalloc, measured in a separate pass) and the process's peak RSS so far. Side by
side in the same process:

* ``quellenlage.tokenize`` alone and spaCy's blank pipeline (``spacy.blank(lang)``, tokenizer
  only) -- the floor every tagger pays;
* a rule baseline (quotation marks paired + a verb of saying in the sentence -> direct speech),
  the kind of rule the first, rule-based attribution stage used;
* the CRF taggers (``load_speech_tagger("de")``, ``load_attributor("en")``), with their dev
  accuracy from quality/*.json.

Text: the REDEWIEDERGABE samples of the dev split (tokens joined by spaces) and the PolNeAR dev
texts when ../shared/data is there; otherwise the German sample sentences in tests/ repeated.
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

FALLBACK_DE = ("»Wir werden das prüfen«, sagte der Minister am Montag. Laut einer hochrangigen "
               "Quelle sei der Plan längst gescheitert. Die Sprecherin erklärte, man habe keine "
               "Kenntnis davon. Felix Kulov hat geschildert, wie die Lage sich entwickelt hat. ")
FALLBACK_EN = ("\"We will look into it,\" the minister said on Monday. According to a senior "
               "official, the plan has already failed. The spokeswoman said that the agency had "
               "no knowledge of it. ")


def _texts(data: Path | None) -> tuple[list[str], list[str]]:
    if data and (data / "redewiedergabe").is_dir() and (data / "polnear" / "dev").is_dir():
        from quellenlage.evaluation.speech import is_dev
        from quellenlage.speech.corpora import read_pn_folder, read_rw_file, rw_files

        de = [" ".join(read_rw_file(p).tokens) for p in rw_files(data / "redewiedergabe")
              if is_dev(p.name)]
        en = sorted({d.text for d in read_pn_folder(data / "polnear" / "dev")})
        return de, en
    return [FALLBACK_DE * 200], [FALLBACK_EN * 200]


def _rule_baseline(lang: str):
    from quellenlage.speech.lexicon import english_lexicons, german_lexicons
    from quellenlage.speech.textfeatures import quote_structure, sentence_chunks
    from quellenlage.tokenize import tokenize

    verbs = german_lexicons()[0] if lang == "de" else english_lexicons()[0]

    def run(text: str) -> int:
        offs = tokenize(text)
        toks = [text[s:e].lower() for s, e in offs]
        q = quote_structure(toks)
        found = 0
        for s, e in sentence_chunks(toks):
            if any(q.inside[s:e]) and any(t in verbs for t in toks[s:e]):
                found += 1
        return found

    return run


def _measure(name: str, fn, texts: list[str], words: int, repeat: int, acc: str) -> dict:
    fn(texts[0][:2000])  # warm up (model loading, caches)
    t0 = time.process_time()
    for _ in range(repeat):
        for t in texts:
            fn(t)
    cpu = time.process_time() - t0
    # memory in a separate pass: tracemalloc slows Python code down several times
    tracemalloc.start()
    for t in texts:
        fn(t)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"system": name, "words_per_cpu_s": round(words * repeat / cpu),
            "peak_heap_mb": round(peak / 1e6, 1), "peak_rss_mb": round(rss), "dev_accuracy": acc}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args(argv)

    import spacy

    from quellenlage.speech import load_attributor, load_speech_tagger
    from quellenlage.tokenize import tokenize

    de, en = _texts(args.data)
    quality = {}
    for name in ("speech", "attribution"):
        path = ROOT / "quality" / f"{name}.json"
        quality[name] = json.loads(path.read_text()) if path.exists() else {}
    sq = quality["speech"].get("dev", {})
    aq = quality["attribution"].get("dev", {})
    speech_acc = (f"F1 dir {sq.get('direct', {}).get('f1', '?')} / ind "
                  f"{sq.get('indirect', {}).get('f1', '?')} / rep {sq.get('reported', {}).get('f1', '?')}")
    att_acc = f"source overlap F1 {aq.get('source', {}).get('overlap', {}).get('f1', '?')}"
    rows = []
    for lang, texts, model_fn, acc in (
        ("de", de, lambda: load_speech_tagger("de").find, speech_acc),
        ("en", en, lambda: load_attributor("en").find, att_acc),
    ):
        words = sum(len(tokenize(t)) for t in texts)
        nlp = spacy.blank(lang)
        rows.append(_measure(f"{lang}: quellenlage.tokenize", tokenize, texts, words, args.repeat, "-"))
        rows.append(_measure(f"{lang}: spacy.blank tokenizer", nlp.make_doc, texts, words,
                             args.repeat, "-"))
        rows.append(_measure(f"{lang}: rule baseline (quotes+verb)", _rule_baseline(lang), texts,
                             words, args.repeat, "-"))
        rows.append(_measure(f"{lang}: CRF {'speech tagger' if lang == 'de' else 'attributor'}",
                             model_fn(), texts, words, args.repeat, acc))
        rows[-1]["words"] = words
    width = max(len(r["system"]) for r in rows)
    print(f"{'system':<{width}}  {'words/s/core':>12}  {'heap MB':>8}  {'RSS MB':>7}  accuracy (dev)")
    for r in rows:
        print(f"{r['system']:<{width}}  {r['words_per_cpu_s']:>12,}  {r['peak_heap_mb']:>8}  "
              f"{r['peak_rss_mb']:>7}  {r['dev_accuracy']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
