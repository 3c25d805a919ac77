"""Sentence-level accuracy of `analyze`'s attribution on PolNeAR dev (English political news).

The attributor model has its own span metric (`quellenlage evaluate attribution`); this measures
what a reader sees: does a sentence's claim name the source that PolNeAR's annotators gave for it?

- gold: the attributions whose Content covers at least half of the sentence's characters;
- right: the claim's attribution is named/anonymous/described and its source text shares a word
  (3+ letters, case-folded) with a gold Source text;
- sentences whose gold sources are all pronouns ("he", "she") are counted apart: the stage names
  the person (or nobody), so word overlap cannot judge them;
- false: a named/anonymous/described attribution on a sentence without gold (PolNeAR leaves some
  attributions unannotated, so this overstates the errors).

German: the same measure on the REDEWIEDERGABE dev samples, whose speech instances name their
speakers (see ``measure_german``).

    python benchmarks/attribution_stage.py [--data ../shared/data] [--docs 80] [--split dev|train]
                                           [--speech-models DIR]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRONOUNS = {"he", "she", "they", "i", "we", "it", "him", "her"}
SOURCED = ("named", "anonymous", "described")


def gold_attributions(path: Path) -> list[tuple[int, int, str | None]]:
    """(content start, content end, source text) per attribution of a brat .ann file."""
    spans, out = {}, []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            tid, rest, txt = line.split("\t", 2)
            kind, rng = rest.split(" ", 1)
            parts = [tuple(map(int, p.split())) for p in rng.split(";")]
            spans[tid] = (parts[0][0], parts[-1][1], txt)
        elif line.startswith("E"):
            roles = dict(x.split(":") for x in line.split("\t")[1].split())
            content, source = spans.get(roles.get("Content")), spans.get(roles.get("Source"))
            if content:
                out.append((content[0], content[1], source[2] if source else None))
    return out


def _words(text: str | None) -> set[str]:
    return {w.lower().strip("’'s") for w in re.findall(r"[\w’']+", text or "") if len(w) > 2}


def score_report(c: Counter, report, gold_all: list[tuple[int, int, str | None]], pronouns: set[str]) -> None:
    """Count one report's claims against the gold ``(start, end, source text)`` spans that cover
    at least half of a claim's sentence."""
    by_id = {s.id: s for s in report.sentences}
    for claim in report.claims:
        s = by_id[claim.sentence_id]
        need = 0.5 * max(1, s.end - s.start)
        gold = [src for a, b, src in gold_all if min(b, s.end) - max(a, s.start) >= need]
        sourced = claim.attribution.type in SOURCED
        if not gold:
            c["no gold"] += 1
            c["false"] += sourced
        elif all((g or "").strip().lower() in pronouns for g in gold):
            c["pronoun gold"] += 1
            c["pronoun gold, sourced"] += sourced
        else:
            c["gold"] += 1
            c["sourced"] += sourced
            c["right"] += sourced and any(_words(claim.attribution.source_text) & _words(g) for g in gold)


def measure(files: list[Path], ann_dir: Path, **options) -> Counter:
    import quellenlage

    c: Counter = Counter()
    for f in files:
        gold_all = gold_attributions(next(ann_dir.glob(f.stem + "*.ann")))
        report = quellenlage.analyze(f.read_text(encoding="utf-8"), lang="en", input_format="text", **options)
        score_report(c, report, gold_all, PRONOUNS)
    return c


GERMAN_PRONOUNS = {"er", "sie", "es", "ich", "du", "wir", "ihr", "man", "ihm", "ihn", "ihnen", "mir", "mich",
                   "dir", "dich", "uns", "euch", "der", "die", "dieser", "diese", "jener", "jene"}
_NO_SPACE_BEFORE = set(".,;:!?)]«‹“")
_NO_SPACE_AFTER = set("([»›„")


_TURN_OPENERS = {"»", "„"}
_SENTENCE_ENDS = {".", "!", "?", "«", "“", "‹", "...", "…"}


def detokenize(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """A readable text for REDEWIEDERGABE tokens and each token's character span in it. The corpus
    keeps no paragraphs; a quotation that opens after a sentence's end starts a new line, as a
    dialogue turn does in the printed text."""
    parts, spans, pos = [], [], 0
    for i, tok in enumerate(tokens):
        if i and tok in _TURN_OPENERS and tokens[i - 1] in _SENTENCE_ENDS:
            parts.append("\n")
            pos += 1
        elif i and tok not in _NO_SPACE_BEFORE and tokens[i - 1] not in _NO_SPACE_AFTER:
            parts.append(" ")
            pos += 1
        spans.append((pos, pos + len(tok)))
        parts.append(tok)
        pos += len(tok)
    return "".join(parts), spans


def measure_german(files: list[Path]) -> Counter:
    """The same measure on German: REDEWIEDERGABE dev samples (fiction and non-fiction,
    1840-1919), gold = the speech instances (direct, indirect, reported, free indirect) with an
    annotated speaker that cover at least half of a sentence."""
    import quellenlage
    from quellenlage.speech.corpora import read_rw_file

    c: Counter = Counter()
    for f in files:
        doc = read_rw_file(f)
        text, spans = detokenize(doc.tokens)
        gold_all = []
        for iid, (_kinds, toks) in doc.instances.items():
            speaker = doc.speakers.get(iid)
            if toks and speaker:
                gold_all.append((spans[min(toks)][0], spans[max(toks)][1],
                                 " ".join(doc.tokens[i] for i in sorted(speaker))))
        report = quellenlage.analyze(text, lang="de", input_format="text")
        score_report(c, report, gold_all, GERMAN_PRONOUNS)
    return c


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--docs", type=int, default=80)
    parser.add_argument("--split", default="dev", choices=("dev", "train"),
                        help="PolNeAR split: dev (the rules were tuned on its first 80 articles) or train "
                             "(a check on articles the rules never saw; the attributor model was trained on them)")
    parser.add_argument("--speech-models", type=Path, default=None,
                        help="German speech models trained without the dev samples, for an honest German row "
                             "(made by: python training/train_speech.py --dev --out DIR)")
    args = parser.parse_args()
    dev = args.data / "polnear" / args.split
    if not dev.is_dir():
        sys.exit(f"PolNeAR {args.split} not found under {args.data} (pass --data)")
    files = sorted((dev / "text").glob("*.txt"))[: args.docs]
    print(f"PolNeAR {args.split}, {len(files)} documents\n")
    print("| pipeline | sentences with a (non-pronoun) gold source | right source | precision | "
          "pronoun-source sentences given a speaker | sourced without gold |")
    print("|---|---|---|---|---|---|")
    for name, options in (("default", {}), ("rules only", {"entities": "rules", "scorer": "features"})):
        c = measure(files, dev / "attributions", **options)
        flagged = c["sourced"] + c["false"]
        print(f"| {name} | {c['gold']} | {c['right']} ({c['right'] / max(1, c['gold']):.3f}) | "
              f"{c['right'] / max(1, flagged):.3f} | {c['pronoun gold, sourced']} of {c['pronoun gold']} | "
              f"{c['false']} of {c['no gold']} |")
    rw = args.data / "redewiedergabe"
    if rw.is_dir():
        from quellenlage.evaluation.speech import is_dev
        from quellenlage.speech.corpora import rw_files

        from quellenlage.stages.attribution import AttributionStage

        files = [p for p in rw_files(rw) if is_dev(p.name)]
        print(f"\nREDEWIEDERGABE dev, {len(files)} samples (German fiction and non-fiction; sentences at least "
              "half covered by speech with an annotated speaker). The shipped speech tagger was trained on all "
              "samples, these included, so the default row is optimistic where its speakers decide; the second "
              "row leaves the tagger out (the stage's rules alone); with --speech-models a third row uses a "
              "tagger trained on the other samples only\n")
        print("| pipeline | sentences with a (non-pronoun) gold speaker | given a source | right source | precision | "
              "pronoun-speaker sentences given a source |")
        print("|---|---|---|---|---|---|")
        import quellenlage.speech as speech

        tagger_spans = AttributionStage.__dict__["_speech_spans"]  # the staticmethod itself
        shipped = speech.load_speech_tagger
        rows = [("default", tagger_spans, shipped),
                ("without the speech tagger", staticmethod(lambda doc: None), shipped)]
        if args.speech_models is not None:
            from quellenlage.speech.tagger_de import GermanSpeechTagger

            held_out = GermanSpeechTagger(args.speech_models / "speech_de_kinds.crfsuite",
                                          args.speech_models / "speech_de_roles.crfsuite")
            rows.append(("speech tagger trained without the dev samples", tagger_spans, lambda lang="de": held_out))
        for name, spans, loader in rows:
            AttributionStage._speech_spans, speech.load_speech_tagger = spans, loader
            try:
                c = measure_german(files)
            finally:
                AttributionStage._speech_spans, speech.load_speech_tagger = tagger_spans, shipped
            print(f"| {name} | {c['gold']} | {c['sourced']} | {c['right']} ({c['right'] / max(1, c['gold']):.3f}) | "
                  f"{c['right'] / max(1, c['sourced']):.3f} | {c['pronoun gold, sourced']} of {c['pronoun gold']} |")


if __name__ == "__main__":
    main()
