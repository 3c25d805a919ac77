"""Accuracy gate for the speech tagger (German) and the attributor (English).

Recomputes the scores recorded in quality/speech.json and quality/attribution.json with the
shipped models and fails when one drops more than ``TOLERANCE`` below the recorded value.

* speech: the shipped model (trained on all available REDEWIEDERGABE samples) on the fixed dev
  subset (file-name hash, see ``quellenlage.evaluation.speech.is_dev``); the honest dev scores
  of a model trained without those samples are in quality/speech.json under "dev".
* attribution: the shipped model (trained on PolNeAR train) on PolNeAR dev.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quellenlage.evaluation.attribution import evaluate_attribution
from quellenlage.evaluation.speech import evaluate_speech

ROOT = Path(__file__).resolve().parents[1]
TOLERANCE = 0.005


def _recorded(name: str) -> dict:
    return json.loads((ROOT / "quality" / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_speech_scores_do_not_drop(shared_data):
    recorded = _recorded("speech")["gate"]
    scores = evaluate_speech(shared_data / "redewiedergabe", subset=recorded["subset"])
    for kind in ("direct", "indirect", "reported", "free_indirect"):
        assert scores[kind]["f1"] >= recorded[kind]["f1"] - TOLERANCE, (kind, scores[kind])
    assert scores["speaker"]["accuracy"] >= recorded["speaker"]["accuracy"] - TOLERANCE


@pytest.mark.slow
def test_attribution_scores_do_not_drop(shared_data):
    recorded = _recorded("attribution")["gate"]
    scores = evaluate_attribution(shared_data / "polnear" / "dev")
    for role in ("source", "cue", "content"):
        for match in ("exact", "overlap"):
            assert scores[role][match]["f1"] >= recorded[role][match]["f1"] - TOLERANCE, \
                (role, match, scores[role][match])
