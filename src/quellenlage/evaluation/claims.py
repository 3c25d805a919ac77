"""Readers and official metrics for the claim data sets (check-worthiness, subjectivity).

The readers understand the file layouts of ``../shared/data``:

- ``germeval2021/train.csv`` (GermEval 2021 subtask 3, fact-claiming comments, German);
- ``checkthat2024-task1-en/{train,dev,dev-test}.tsv`` (CheckThat! 2024 task 1, English);
- ``checkthat2025-subjectivity/{de,en}/{train,dev,dev_test}_<lang>.tsv`` (CheckThat! 2025 task 1);
- ``claimbuster-clef/`` (ClaimBuster two-class JSON, CLEF 2019 task 1, CLEF 2020 tasks 1 and 5).

Metrics follow the official definitions (see ``../shared/data/README.md``): GermEval 2021
"macro-F1" is the harmonic mean of macro-precision and macro-recall; CheckThat! check-worthiness
is the F1 of the positive class; CheckThat! subjectivity is sklearn's macro-averaged F1.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

from quellenlage.errors import DataError


@dataclass(frozen=True)
class LabelledSet:
    """One split of one data set: texts with binary gold labels (1 = positive class)."""

    name: str          # e.g. "checkthat2024-en/dev-test"
    task: str          # "checkworthy" or "subjectivity"
    lang: str          # "de" or "en"
    metric: str        # "germeval-macro-f1", "f1-positive" or "macro-f1"
    texts: tuple[str, ...]
    labels: tuple[int, ...]


# --------------------------------------------------------------------------- metrics

def _prf(gold: list[int], pred: list[int], cls: int) -> tuple[float, float, float]:
    tp = sum(1 for g, p in zip(gold, pred) if g == cls and p == cls)
    fp = sum(1 for g, p in zip(gold, pred) if g != cls and p == cls)
    fn = sum(1 for g, p in zip(gold, pred) if g == cls and p != cls)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1


def score(metric: str, gold: list[int] | tuple[int, ...], pred: list[int]) -> dict:
    """The official metric of a data set, with its precision, recall and item count."""
    gold = list(gold)
    pred = [int(p) for p in pred]
    if len(gold) != len(pred):
        raise DataError(f"{len(gold)} gold labels but {len(pred)} predictions")
    p1, r1, f1 = _prf(gold, pred, 1)
    p0, r0, f0 = _prf(gold, pred, 0)
    if metric == "f1-positive":
        value, prec, rec = f1, p1, r1
    elif metric == "macro-f1":
        value, prec, rec = (f0 + f1) / 2, (p0 + p1) / 2, (r0 + r1) / 2
    elif metric == "germeval-macro-f1":
        prec, rec = (p0 + p1) / 2, (r0 + r1) / 2
        value = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    else:
        raise DataError(f"unknown metric {metric!r}")
    return {"metric": metric, "score": round(value, 4), "precision": round(prec, 4),
            "recall": round(rec, 4), "n": len(gold)}


# --------------------------------------------------------------------------- readers

def _open(path: Path):
    try:
        return path.open(encoding="utf-8", newline="")
    except OSError as err:
        raise DataError(f"cannot read {path}: {err}") from err


def read_germeval2021(path: Path) -> LabelledSet:
    """GermEval 2021 CSV (``comment_text``, ``Sub3_FactClaiming``)."""
    texts, labels = [], []
    with _open(path) as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "comment_text" not in reader.fieldnames \
                or "Sub3_FactClaiming" not in reader.fieldnames:
            raise DataError(f"{path}: expected columns comment_text and Sub3_FactClaiming")
        for row in reader:
            texts.append(row["comment_text"])
            labels.append(int(row["Sub3_FactClaiming"]))
    split = path.stem
    return LabelledSet(f"germeval2021/{split}", "checkworthy", "de", "germeval-macro-f1",
                       tuple(texts), tuple(labels))


_GLUED = re.compile(r"^(.*?)\t(Yes|No)(\d+)$")


def read_checkthat2024(path: Path) -> LabelledSet:
    """CheckThat! 2024 task 1 TSV (``Sentence_id``, ``Text``, ``class_label`` Yes/No).

    One line of the released train file holds two rows glued together ("...\\tNo29286\\t...");
    it is split back into two rows.
    """
    texts, labels = [], []
    with _open(path) as fh:
        reader = csv.reader(fh, delimiter="\t")
        header = next(reader, None)
        if not header or header[:3] != ["Sentence_id", "Text", "class_label"]:
            raise DataError(f"{path}: expected header Sentence_id, Text, class_label")
        for row in reader:
            if not row:
                continue
            if len(row) == 5:  # glued: id, text, "No29286", text, label
                glued = re.fullmatch(r"(Yes|No)(\d+)", row[2])
                if not glued:
                    raise DataError(f"{path}: malformed row {row[0]}")
                texts += [row[1], row[3]]
                labels += [int(glued.group(1) == "Yes"), int(row[4] == "Yes")]
                continue
            if len(row) != 3 or row[2] not in ("Yes", "No"):
                raise DataError(f"{path}: malformed row {row[:1]}")
            texts.append(row[1])
            labels.append(int(row[2] == "Yes"))
    return LabelledSet(f"checkthat2024-en/{path.stem}", "checkworthy", "en", "f1-positive",
                       tuple(texts), tuple(labels))


def read_subjectivity(path: Path, lang: str) -> LabelledSet:
    """CheckThat! 2025 subjectivity TSV (``sentence_id``, ``sentence``, ``label`` OBJ/SUBJ).

    The files are read without quote handling, as the task's own scorer does (sentences
    contain unbalanced quotation marks).
    """
    texts, labels = [], []
    with _open(path) as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if not header or header[:3] != ["sentence_id", "sentence", "label"]:
            raise DataError(f"{path}: expected header sentence_id, sentence, label")
        for row in reader:
            if not row:
                continue
            if len(row) < 3 or row[2] not in ("OBJ", "SUBJ"):
                raise DataError(f"{path}: malformed row {row[:1]}")
            texts.append(row[1])
            labels.append(int(row[2] == "SUBJ"))
    split = path.stem.rsplit("_", 1)[0]
    return LabelledSet(f"checkthat2025-subjectivity-{lang}/{split}", "subjectivity", lang,
                       "macro-f1", tuple(texts), tuple(labels))


def read_claimbuster_json(path: Path) -> LabelledSet:
    with _open(path) as fh:
        try:
            items = json.load(fh)
        except json.JSONDecodeError as err:
            raise DataError(f"{path}: not JSON ({err})") from err
    texts = tuple(str(item["text"]) for item in items)
    labels = tuple(int(item["label"]) for item in items)
    return LabelledSet(f"claimbuster/{path.stem}", "checkworthy", "en", "f1-positive",
                       texts, labels)


def read_clef2019(path: Path) -> LabelledSet:
    texts, labels = [], []
    with _open(path) as fh:
        for row in csv.DictReader(fh):
            texts.append(row["text"])
            labels.append(int(row["label"]))
    return LabelledSet(f"clef2019-task1/{path.stem}", "checkworthy", "en", "f1-positive",
                       tuple(texts), tuple(labels))


def read_clef2020_task5(path: Path) -> LabelledSet:
    texts, labels = [], []
    with _open(path) as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if not row or row[:2] == ["text", "label"]:
                continue
            texts.append(row[0])
            labels.append(int(row[1]))
    return LabelledSet(f"clef2020-task5/{path.stem}", "checkworthy", "en", "f1-positive",
                       tuple(texts), tuple(labels))


def read_clef2020_task1(path: Path) -> LabelledSet:
    texts, labels = [], []
    with _open(path) as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        label_col = "check_worthiness" if "check_worthiness" in (reader.fieldnames or []) \
            else "claim_worthiness"
        for row in reader:
            texts.append(row["tweet_text"])
            labels.append(int(row[label_col]))
    return LabelledSet(f"clef2020-task1/{path.stem}", "checkworthy", "en", "f1-positive",
                       tuple(texts), tuple(labels))


def find_sets(data: Path) -> list[tuple[str, Path]]:
    """(kind, path) of every claim data-set file recognised under ``data``.

    ``data`` may be the shared data root or one data-set folder inside it.
    """
    data = Path(data)
    if not data.is_dir():
        raise DataError(f"data folder not found: {data}",
                        hint="pass --data pointing at ../shared/data or one of its data sets")
    found: list[tuple[str, Path]] = []
    for path in sorted(data.rglob("*")):
        if not path.is_file():
            continue
        parent = path.parent.name
        name = path.name
        if parent == "germeval2021" and path.suffix == ".csv":
            found.append(("germeval2021", path))
        elif parent == "checkthat2024-task1-en" and path.suffix == ".tsv":
            found.append(("checkthat2024", path))
        elif path.parent.parent.name == "checkthat2025-subjectivity" and path.suffix == ".tsv":
            found.append((f"subjectivity-{parent}", path))
        elif parent == "two_class" and name in ("train.json", "test.json"):
            found.append(("claimbuster", path))
        elif parent == "clef19" and name.endswith(".csv"):
            found.append(("clef2019", path))
        elif parent == "task5" and path.parent.parent.name == "clef20":
            found.append(("clef2020-task5", path))
        elif parent == "task1" and path.parent.parent.name == "clef20":
            found.append(("clef2020-task1", path))
    return found


def read_set(kind: str, path: Path) -> LabelledSet:
    """Read one recognised file (``kind`` as returned by :func:`find_sets`)."""
    if kind == "germeval2021":
        return read_germeval2021(path)
    if kind == "checkthat2024":
        return read_checkthat2024(path)
    if kind.startswith("subjectivity-"):
        return read_subjectivity(path, kind.split("-", 1)[1])
    if kind == "claimbuster":
        return read_claimbuster_json(path)
    if kind == "clef2019":
        return read_clef2019(path)
    if kind == "clef2020-task5":
        return read_clef2020_task5(path)
    if kind == "clef2020-task1":
        return read_clef2020_task1(path)
    raise DataError(f"unknown data-set kind {kind!r}")


def load(data: Path, kind: str, split: str) -> LabelledSet:
    """One named split, e.g. ``load(root, "checkthat2024", "dev-test")``."""
    for found_kind, path in find_sets(data):
        if found_kind == kind and (path.stem == split or path.stem.rsplit("_", 1)[0] == split):
            return read_set(found_kind, path)
    raise DataError(f"{kind} split {split!r} not found under {data}")


# --------------------------------------------------------------------------- evaluation

# Splits the shipped models were fitted on: their scores are not held-out estimates.
TRAINED_ON = {
    "germeval2021/train", "checkthat2024-en/train",
    "checkthat2025-subjectivity-de/train", "checkthat2025-subjectivity-de/dev",
    "checkthat2025-subjectivity-en/train", "checkthat2025-subjectivity-en/dev",
}
# Large training splits that are skipped unless asked for.
_SLOW = {"checkthat2024-en/train", "clef2020-task5/train", "clef2019-task1/CT19-T1-Training",
         "claimbuster/train"}


def predict(ds: LabelledSet, variant: str = "fast") -> list[int]:
    """Predictions of the shipped model for one data set (its task and language)."""
    from quellenlage.claimmodel import load_scorer

    scorer = load_scorer(ds.lang, variant)
    results = scorer.score(list(ds.texts), explain=False)
    if ds.task == "subjectivity":
        return [int(r.subjective) for r in results]
    return [int(r.check_worthy) for r in results]


def evaluate(data: Path, variant: str = "fast", include_train: bool = False) -> dict:
    """Official metric of the shipped model on every recognised data set under ``data``."""
    found = find_sets(Path(data))
    if not found:
        raise DataError(f"no claim data set recognised under {data}",
                        hint="expected the layouts of ../shared/data (germeval2021, "
                             "checkthat2024-task1-en, checkthat2025-subjectivity, claimbuster-clef)")
    out: dict = {"model": variant, "datasets": {}}
    for kind, path in found:
        ds = read_set(kind, path)
        if ds.name in _SLOW and not include_train:
            continue
        result = score(ds.metric, ds.labels, predict(ds, variant))
        result["task"] = ds.task
        result["lang"] = ds.lang
        if ds.name in TRAINED_ON:
            result["note"] = "training data of the shipped model: not a held-out score"
        out["datasets"][ds.name] = result
    return out


# Splits the accuracy gate recomputes (quality/claims.json). GermEval 2021 has no dev split and
# the shipped German model is fitted on all of train, so its gate entry is the fit on train: it
# catches a change that breaks the model, while the held-out estimate is the cross-validation
# figure in the model card.
GATE_SPLITS = (
    ("checkthat2024", "dev"),
    ("checkthat2024", "dev-test"),
    ("subjectivity-de", "dev_test"),
    ("subjectivity-en", "dev_test"),
    ("germeval2021", "train"),
    # tweets: a style shift from the debates the English check head learnt (used, with the
    # CheckThat! dev splits, to choose its configuration and threshold)
    ("clef2020-task1", "test-gold"),
)


def gate_scores(data: Path, variant: str = "fast") -> dict[str, float]:
    """The official metric of the shipped ``variant`` on every gated split."""
    out = {}
    for kind, split in GATE_SPLITS:
        ds = load(Path(data), kind, split)
        out[ds.name] = score(ds.metric, ds.labels, predict(ds, variant))["score"]
    return out
