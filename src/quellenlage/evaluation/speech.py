"""Evaluation of the German speech tagger on REDEWIEDERGABE samples.

Metric (as in the corpus's published evaluations, Brunner et al. 2020): token-level precision,
recall and F1 per speech kind. A token is positive for a kind when any speech instance of that
kind covers it; speech, thought and writing count alike; an instance typed
``indirect freeIndirect`` counts for both kinds. Every token counts, punctuation included.
The tagger runs on the corpus tokens (its own sentence splitter, no gold columns).

``speaker.accuracy``: over the gold instances (of any kind) that have a gold speaker mention,
the share for which the predicted span overlapping the instance most (ties: same kind first) has
a predicted speaker whose tokens overlap the gold speaker tokens. An instance without any
overlapping predicted span, or whose span has no speaker, counts as wrong.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from quellenlage.speech.corpora import KINDS, RwDocument, read_rw_file, rw_files

DEV_PERCENT = 15


def is_dev(name: str) -> bool:
    """Deterministic 85/15 train/dev split of REDEWIEDERGABE samples by file name."""
    return int(hashlib.md5(name.encode("utf-8")).hexdigest(), 16) % 100 < DEV_PERCENT


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def evaluate_documents(docs: list[RwDocument], tagger=None) -> dict:
    """Scores of ``tagger`` (default: the shipped German tagger) on parsed documents."""
    if tagger is None:
        from quellenlage.speech import load_speech_tagger

        tagger = load_speech_tagger("de")
    counts = {k: [0, 0, 0] for k in KINDS}
    spk_total = spk_ok = 0
    n_tokens = 0
    for doc in docs:
        tags = tagger.tag_tokens(doc.tokens)
        n_tokens += len(doc.tokens)
        for gold, pred in zip(doc.kinds, tags.kinds):
            for k in KINDS:
                g, p = k in gold, k in pred
                if g and p:
                    counts[k][0] += 1
                elif p:
                    counts[k][1] += 1
                elif g:
                    counts[k][2] += 1
        spans = tagger.token_spans(tags)
        for iid, (kinds, toks) in doc.instances.items():
            gold_spk = doc.speakers.get(iid)
            if not gold_spk:
                continue
            spk_total += 1
            tokset = set(toks)
            best = None
            best_key = None
            for sp in spans:
                ov = sum(1 for i in range(sp.start, sp.end) if i in tokset)
                if ov == 0:
                    continue
                key = (ov, sp.kind in kinds)
                if best_key is None or key > best_key:
                    best, best_key = sp, key
            if best is not None and best.speaker is not None:
                if any(best.speaker[0] <= i < best.speaker[1] for i in gold_spk):
                    spk_ok += 1
    result = {k: _prf(*counts[k]) for k in KINDS}
    result["speaker"] = {"accuracy": round(spk_ok / spk_total, 4) if spk_total else 0.0,
                         "instances": spk_total}
    result["documents"] = len(docs)
    result["tokens"] = n_tokens
    return result


def evaluate_speech(folder: Path, tagger=None, subset: str = "all") -> dict:
    """Evaluate on every REDEWIEDERGABE ``.tsv`` in ``folder`` (``subset``: all, dev, train)."""
    files = rw_files(Path(folder))
    if subset == "dev":
        files = [p for p in files if is_dev(p.name)]
    elif subset == "train":
        files = [p for p in files if not is_dev(p.name)]
    docs = [read_rw_file(p) for p in files]
    return evaluate_documents(docs, tagger)
