"""Accuracy gate: the shipped claims models must not score below quality/claims.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quellenlage.claimmodel import _load_file
from quellenlage.claimmodel.encoders import ENCODERS, encoder_available
from quellenlage.evaluation.claims import gate_scores

QUALITY = Path(__file__).resolve().parents[1] / "quality" / "claims.json"
TOLERANCE = 0.005


@pytest.mark.parametrize("variant", ["fast", "accurate"])
def test_claims_models_keep_their_dev_scores(shared_data, variant):
    if variant == "accurate":
        for lang in ("de", "en"):
            name = _load_file(lang).meta.get("accurate_encoder", "use-m3")
            if not encoder_available(name):
                pytest.skip(f"the accurate {lang} claims model needs {ENCODERS[name].package} "
                            "(the 'accurate' extra), which is not installed")
    recorded = json.loads(QUALITY.read_text(encoding="utf-8"))["scores"][variant]
    measured = gate_scores(shared_data, variant)
    assert set(measured) == set(recorded)
    drops = {name: (recorded[name], measured[name]) for name in recorded
             if measured[name] < recorded[name] - TOLERANCE}
    assert not drops, f"claims {variant}: scores dropped (recorded, measured): {drops}"
