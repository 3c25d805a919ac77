"""Accuracy gate of the NER models: recompute the figures in quality/ner.json.

- the shipped German model on Universal NER German PUD (never trained on: a held-out score);
- the shipped German and English models on tests/fixtures/ner/contemporary_de.tsv and
  contemporary_en.iob2 (hand-labelled contemporary news and forum sentences written for the
  project, never trained on: a held-out score on the kind of text users analyse);
- the shipped models on their own training data (GermEval dev, UNER EWT dev): a fit check that
  catches a model file that no longer matches the feature code;
- retraining with the training code on a fixed split and scoring the held-out part (GermEval dev
  first half; UNER EWT dev fold 0): the held-out accuracy of the training recipe itself;
- analyze's entities stage (model + the stage's rules, public labels) on the fixtures and on
  UNER German PUD: what a report shows (``quellenlage evaluate ner --pipeline``).
A figure may not drop more than 0.005 below the recorded one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from quellenlage.evaluation.ner import PipelineTagger, evaluate_sentences, to_public_labels
from quellenlage.ner import load_tagger
from quellenlage.ner.data import read_columns

ROOT = Path(__file__).resolve().parents[1]
RECORDED = json.loads((ROOT / "quality" / "ner.json").read_text(encoding="utf-8"))["gate"]
TOLERANCE = 0.005


def _check(name: str, result: dict) -> None:
    want = RECORDED[name]
    assert result["sentences"] == want["sentences"], "the data set changed"
    assert result["f1"] >= want["f1"] - TOLERANCE, f"{name}: F1 {result['f1']} < recorded {want['f1']}"
    for label, f1 in want["per_label"].items():
        got = result["per_label"].get(label, {"f1": 0.0})["f1"]
        # per-label figures on small classes move more; gate the frequent ones only
        if result["per_label"].get(label, {"gold": 0})["gold"] >= 100:
            assert got >= f1 - 0.02, f"{name}/{label}: F1 {got} < recorded {f1}"


def test_gate_de_shipped_on_uner_pud(shared_data: Path):
    sents = read_columns(shared_data / "uner" / "de-pud" / "de_pud-ud-test.iob2")
    _check("de_shipped_uner_pud_heldout", evaluate_sentences(load_tagger("de"), sents))


def test_gate_de_shipped_on_contemporary_fixture():
    sents = read_columns(ROOT / "tests" / "fixtures" / "ner" / "contemporary_de.tsv")
    _check("de_shipped_contemporary_fixture", evaluate_sentences(load_tagger("de"), sents))


def test_gate_en_shipped_on_contemporary_fixture():
    sents = read_columns(ROOT / "tests" / "fixtures" / "ner" / "contemporary_en.iob2")
    _check("en_shipped_contemporary_fixture", evaluate_sentences(load_tagger("en"), sents))


def test_gate_pipeline_on_contemporary_fixtures():
    de = to_public_labels(read_columns(ROOT / "tests" / "fixtures" / "ner" / "contemporary_de.tsv"))
    _check("pipeline_de_contemporary_fixture", evaluate_sentences(PipelineTagger("de"), de))
    en = read_columns(ROOT / "tests" / "fixtures" / "ner" / "contemporary_en.iob2")
    _check("pipeline_en_contemporary_fixture", evaluate_sentences(PipelineTagger("en"), en))


def test_gate_pipeline_on_uner_pud(shared_data: Path):
    sents = read_columns(shared_data / "uner" / "de-pud" / "de_pud-ud-test.iob2")
    _check("pipeline_de_uner_pud_heldout", evaluate_sentences(PipelineTagger("de"), sents))


def test_gate_shipped_fit(shared_data: Path):
    dev = read_columns(shared_data / "germeval2014-ner" / "dev.txt")
    _check("de_shipped_germeval_dev_fit", evaluate_sentences(load_tagger("de"), dev))
    ewt = read_columns(shared_data / "uner" / "en-ewt" / "en_ewt-ud-dev.iob2")
    _check("en_shipped_ewt_dev_fit", evaluate_sentences(load_tagger("en"), ewt))


def _train_module():
    sys.path.insert(0, str(ROOT / "training"))
    try:
        import train_ner
    finally:
        sys.path.remove(str(ROOT / "training"))
    return train_ner


@pytest.mark.slow
def test_gate_en_retrained_fold0(shared_data: Path, tmp_path: Path):
    from quellenlage.ner.tagger import CrfTagger, build_extractor

    train_ner = _train_module()
    ewt = read_columns(shared_data / "uner" / "en-ewt" / "en_ewt-ud-dev.iob2")
    ex = build_extractor("en")
    pool = train_ner.self_training_pool(shared_data, "en")
    train_ner.train_with_self_training(ex, [s for i, s in enumerate(ewt) if i % 5], pool,
                                       tmp_path / "en.crfsuite", "en")
    held = [s for i, s in enumerate(ewt) if i % 5 == 0]
    _check("en_retrain_ewt_dev_fold0", evaluate_sentences(CrfTagger("en", tmp_path / "en.crfsuite", ex), held))


@pytest.mark.slow
def test_gate_de_retrained_first_half(shared_data: Path, tmp_path: Path):
    from quellenlage.ner.tagger import CrfTagger, build_extractor

    train_ner = _train_module()
    dev = read_columns(shared_data / "germeval2014-ner" / "dev.txt")
    testa = read_columns(shared_data / "germeval2014-ner" / "test-part-a.txt")
    half = len(dev) // 2
    ex = build_extractor("de")
    train_ner.train_crf(ex, testa + dev[half:], tmp_path / "de.crfsuite")
    _check("de_retrain_germeval_dev_first_half",
           evaluate_sentences(CrfTagger("de", tmp_path / "de.crfsuite", ex), dev[:half]))
