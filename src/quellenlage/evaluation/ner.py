"""Entity-level exact-match evaluation of the NER taggers (conlleval style, outer layer).

Every file is scored in its own label scheme:
- GermEval 2014 files (labels PER/ORG/LOC/OTH with ``deriv``/``part`` variants): the German model
  predicts these 12 labels itself; they are compared unchanged.
- IOB2 files with PER/ORG/LOC (Universal NER) and maybe MISC: predicted OTH becomes MISC when the
  file uses MISC and is dropped otherwise; ``deriv``/``part`` predictions are dropped (UNER does
  not annotate derived adjectives or compound parts).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from quellenlage.errors import DataError
from quellenlage.ner.data import Sentence, read_columns, spans_from_tags, tags_from_spans

_GERMEVAL_MARKERS = ("deriv", "part")


@dataclass
class Counts:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    sentences: int = 0

    def add(self, other: "Counts") -> None:
        self.tp.update(other.tp)
        self.fp.update(other.fp)
        self.fn.update(other.fn)
        self.sentences += other.sentences


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "gold": tp + fn, "predicted": tp + fp}


def counts_to_report(c: Counts) -> dict:
    labels = sorted(set(c.tp) | set(c.fp) | set(c.fn))
    out = _prf(sum(c.tp.values()), sum(c.fp.values()), sum(c.fn.values()))
    out["sentences"] = c.sentences
    out["per_label"] = {lab: _prf(c.tp[lab], c.fp[lab], c.fn[lab]) for lab in labels}
    return out


def label_mapper(gold_labels: set[str]):
    """A function mapping a predicted label into the file's scheme (None = not an entity)."""
    germeval = any(lab.endswith(_GERMEVAL_MARKERS) or lab == "OTH" for lab in gold_labels)
    if germeval:
        return lambda lab: lab
    has_misc = "MISC" in gold_labels

    def to_iob2_scheme(lab: str) -> str | None:
        if lab.endswith(_GERMEVAL_MARKERS):
            return None
        if lab in ("OTH", "MISC"):
            return "MISC" if has_misc else None
        return lab

    return to_iob2_scheme


def count_sentences(tagger, sents: list[Sentence]) -> Counts:
    gold_labels = {t[2:] for s in sents for t in s.tags if t != "O"}
    mapper = label_mapper(gold_labels)
    c = Counts()
    for s in sents:
        gold = set(spans_from_tags(s.tags))
        pred = set()
        for start, end, lab in spans_from_tags(tagger.tag_tokens(s.tokens)):
            mapped = mapper(lab)
            if mapped is not None:
                pred.add((start, end, mapped))
        for span in pred & gold:
            c.tp[span[2]] += 1
        for span in pred - gold:
            c.fp[span[2]] += 1
        for span in gold - pred:
            c.fn[span[2]] += 1
        c.sentences += 1
    return c


class PipelineTagger:
    """``tag_tokens`` through the ``entities`` stage of ``analyze`` (model, gazetteer and rule
    fixes, entity labels decided per entity), so that :func:`count_sentences` scores what a
    report shows. Each sentence is one document (its tokens joined by spaces): GermEval and UNER
    sentences come from different texts, so no context is carried between them. Labels are the
    public ones (PER, ORG, LOC, MISC); :func:`to_public_labels` maps GermEval's gold to them."""

    def __init__(self, lang: str) -> None:
        from quellenlage.pipeline import build_pipeline

        self.lang = lang
        self.pipeline = build_pipeline(["segment", "voices", "entities"])

    def tag_tokens(self, tokens: list[str]) -> list[str]:
        from quellenlage.document import Document, DocumentMeta

        text = " ".join(tokens)
        token_at = []  # character offset -> token index (the space after a token counts to it)
        for i, tok in enumerate(tokens):
            token_at += [i] * (len(tok) + 1)
        doc = self.pipeline(Document(text, DocumentMeta(language=self.lang, language_forced=True)))
        # a mention is scored on the tokens it touches: "Henry I" (the report leaves out the
        # final period) is the token span "Henry I."
        spans = [(token_at[m.start], token_at[m.end - 1] + 1, e.label)
                 for e in doc.layer("entities") for m in e.mentions]
        return tags_from_spans(len(tokens), sorted(spans))


def to_public_labels(sents: list[Sentence]) -> list[Sentence]:
    """Gold GermEval labels as a report shows them: OTH is MISC, ``deriv``/``part`` are no entity."""
    out = []
    for s in sents:
        spans = [(a, b, "MISC" if lab == "OTH" else lab) for a, b, lab in spans_from_tags(s.tags)
                 if not lab.endswith(_GERMEVAL_MARKERS)]
        out.append(Sentence(s.tokens, tags_from_spans(len(s.tokens), spans)))
    return out


def evaluate_sentences(tagger, sents: list[Sentence]) -> dict:
    return counts_to_report(count_sentences(tagger, sents))


def data_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise DataError(f"NER data folder not found: {folder}",
                        hint="give a folder with GermEval 2014 .txt/.tsv or .iob2 files")
    files = sorted(p for p in folder.iterdir()
                   if p.is_file() and p.suffix in (".txt", ".tsv", ".iob2", ".conll")
                   and not p.name.upper().startswith(("LICENSE", "README")))
    if not files:
        raise DataError(f"no NER files (.txt, .tsv, .iob2, .conll) in {folder}")
    return files


def guess_language(sents: list[Sentence]) -> str:
    """German or English, from the function words of the first sentences."""
    de_words = {"der", "die", "das", "und", "ist", "nicht", "ein", "eine", "mit", "von", "den", "zu", "im"}
    en_words = {"the", "and", "is", "not", "a", "of", "to", "in", "with", "that", "for", "it", "i"}
    de = en = 0
    for s in sents[:500]:
        for t in s.tokens:
            low = t.lower()
            de += low in de_words
            en += low in en_words
    if de != en:
        return "de" if de > en else "en"
    umlauts = any(c in t for s in sents[:500] for t in s.tokens for c in "äöüßÄÖÜ")
    return "de" if umlauts else "en"


def evaluate_folder(folder: Path, lang: str | None = None, pipeline: bool = False) -> dict:
    """Scores of the trained tagger on every file of ``folder``; with ``pipeline``, of the
    ``entities`` stage of ``analyze`` instead (:class:`PipelineTagger`, public labels)."""
    from quellenlage.ner.tagger import load_tagger

    total = Counts()
    files = []
    for path in data_files(folder):
        sents = read_columns(path)
        if not sents:
            raise DataError(f"{path} holds no sentences")
        file_lang = lang or guess_language(sents)
        gold_labels = {t[2:] for s in sents for t in s.tags if t != "O"}
        germeval = any(lab.endswith(_GERMEVAL_MARKERS) or lab == "OTH" for lab in gold_labels)
        if pipeline:
            c = count_sentences(PipelineTagger(file_lang), to_public_labels(sents) if germeval else sents)
            scheme = {"scheme": "public labels (GermEval OTH as MISC, deriv/part dropped)" if germeval else "iob2"}
        else:
            c = count_sentences(load_tagger(file_lang), sents)
            scheme = {"scheme": "germeval2014-outer", "public_labels": {"OTH": "MISC"}} if germeval else {"scheme": "iob2"}
        total.add(c)
        files.append({"file": path.name, "lang": file_lang, **scheme, **counts_to_report(c)})
    report = {"task": "ner", "data": str(folder), "metric": "entity-level exact match, outer layer",
              "scored": "analyze's entities stage" if pipeline else "the trained tagger"}
    report.update(counts_to_report(total))
    report["files"] = files
    return report
