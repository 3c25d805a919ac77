"""The CLI's formats, the report schema, and the pipeline's order check."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import quellenlage
from quellenlage.errors import ConfigurationError, PipelineOrderError
from quellenlage.pipeline import Pipeline
from quellenlage.report import SCHEMA_PATH, Report, json_schema
from quellenlage.stages.claims import ClaimsStage
from quellenlage.stages.segment import SegmentStage

DOC = Path(__file__).parent / "fixtures" / "documents" / "de_news_quotes.txt"


def cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "quellenlage", *args], input=stdin, capture_output=True, timeout=120)


def test_json_output_validates_against_the_published_schema():
    jsonschema = pytest.importorskip("jsonschema")
    result = cli("analyze", str(DOC), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    jsonschema.validate(data, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    assert data["schema_version"] == "1.1"
    for c in data["claims"]:
        assert data["text"][c["start"]:c["end"]] == c["text"]
        for q in c["quantities"]:
            assert data["text"][q["start"]:q["end"]] == q["text"]


def test_published_schema_file_is_current():
    assert json.loads(SCHEMA_PATH.read_text(encoding="utf-8")) == json.loads(json.dumps(json_schema()))


def test_csv_has_one_row_per_claim_and_neutralises_formulas(tmp_path):
    path = tmp_path / "f.txt"
    path.write_text("=HYPERLINK(\"http://x\") Laut Insidern hat die Firma 300 Stellen gestrichen.\n", encoding="utf-8")
    result = cli("analyze", str(path), "--format", "csv", "--lang", "de")
    rows = list(csv.DictReader(io.StringIO(result.stdout.decode())))
    report = quellenlage.analyze(path, lang="de")
    assert len(rows) == len(report.claims) == 1
    assert rows[0]["text"].startswith("'=")
    assert rows[0]["attribution"] == "anonymous"


def test_markdown_and_text_outputs(tmp_path):
    md = cli("analyze", str(DOC), "--format", "md").stdout.decode()
    assert md.startswith("# quellenlage report") and "| score |" in md
    text = cli("analyze", str(DOC), "--scorer", "features").stdout.decode()
    assert text.index("Check-worthy claims") < text.index("Other statements")
    assert "who says so: Olaf Scholz (person) ← the writer (author)" in text
    assert "\033[" not in text  # no colour when not a terminal


def test_text_header_counts_in_singular_and_plural():
    from quellenlage.render.text import render_text

    one = render_text(quellenlage.analyze("Der Minister sagte am Montag, 22 Berater seien entlassen worden.", lang="de"))
    assert one.splitlines()[0] == "quellenlage report · de · 10 words · 1 sentence"
    many = render_text(quellenlage.analyze(DOC)).splitlines()[0]
    assert many.startswith("quellenlage report · de · ") and many.endswith(" sentences")


def test_stdin_and_output_file(tmp_path):
    out = tmp_path / "r.html"
    result = cli("analyze", "-", "--format", "html", "-o", str(out), stdin=DOC.read_bytes())
    assert result.returncode == 0 and result.stdout == b""
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_lines_mode_gives_one_report_per_line():
    data = "Laut Insidern wurden 300 Stellen gestrichen.\n\nThe minister said 40 people were hurt.\n".encode()
    result = cli("analyze", "-", "--lines", stdin=data)
    reports = [Report.model_validate_json(x) for x in result.stdout.decode().splitlines()]
    assert [r.document.language for r in reports] == ["de", "en"]


def test_date_option_overrides_the_reference():
    report = quellenlage.analyze("Gestern hat der Minister 22 Berater entlassen, sagte ein Sprecher.", date="2020-02-01")
    assert report.claims[0].dates[0].value == "2020-01-31"
    bad = cli("analyze", str(DOC), "--date", "yesterday")
    assert bad.returncode == 2 and b"ISO 8601" in bad.stderr


def test_pipeline_checks_stage_order_when_built():
    with pytest.raises(PipelineOrderError):
        Pipeline([ClaimsStage()])
    Pipeline([SegmentStage()])


def test_unknown_backend_and_format_are_configuration_errors():
    with pytest.raises(ConfigurationError):
        quellenlage.analyze("Ein Satz mit Inhalt.", entities="magic")
    assert cli("analyze", str(DOC), "--format", "pdf").returncode == 2


def test_source_chain_reaches_the_author():
    report = quellenlage.analyze(DOC)
    claim = next(c for c in report.claims if "nicht allein" in c.text)
    chain = report.source_chain(claim.attribution.source)
    assert [s.kind for s in chain] == ["person", "author"]
    assert chain[0].name == "Olaf Scholz"


def test_shipped_crf_models_fail_with_a_coded_error(tmp_path):
    from quellenlage.crf import open_crf
    from quellenlage.errors import ModelError

    with pytest.raises(ModelError, match="missing"):
        open_crf(tmp_path / "none.crfsuite", "NER model", "training/train_ner.py")
    broken = tmp_path / "broken.crfsuite"
    broken.write_bytes(b"not a model")
    with pytest.raises(ModelError) as info:
        open_crf(broken, "NER model", "training/train_ner.py")
    assert "training/train_ner.py" in info.value.one_line()
