"""Whole documents against hand-written golden files (``*.expected.json`` beside each fixture).

The golden files state what a careful reader expects of each document (roles, sources,
quantities, dates, attribution, hedges, entities); they were written from the texts, not from the
program's output. The sample post's golden file lives here too; the post itself is in ../shared.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import quellenlage

DOCS = Path(__file__).parent / "fixtures" / "documents"
CASES = sorted(p for p in DOCS.iterdir() if p.suffix in (".txt", ".html") and p.with_suffix(".expected.json").exists())


def _sentence(report, fragment):
    found = [s for s in report.sentences if fragment in s.text]
    assert found, f"no sentence contains {fragment!r}"
    return found[0]


def _claim(report, fragment):
    s = _sentence(report, fragment)
    found = [c for c in report.claims if c.sentence_id == s.id]
    assert found, f"no claim for the sentence with {fragment!r} (role {s.role})"
    return found[0]


def check_expectations(report, expected: dict) -> None:
    doc = report.document
    for key, value in expected.get("document", {}).items():
        if key == "title_contains":
            assert value in (doc.title or "")
        else:
            assert getattr(doc, key) == value, f"document.{key}"
    if "sentence_count" in expected:
        assert len(report.sentences) == expected["sentence_count"]
    for want in expected.get("cited", []):
        assert any(all(getattr(w, k) == v for k, v in want.items()) for w in doc.cited), want
    for fragment in expected.get("split", []):
        assert any(s.text.startswith(fragment) for s in report.sentences), f"no sentence starts with {fragment!r}"
    for fragment in expected.get("text_contains", []):
        assert fragment in report.text
    for fragment in expected.get("text_excludes", []):
        assert fragment not in report.text, f"{fragment!r} should have been left out"
    for fragment, lang in expected.get("sentence_languages", {}).items():
        assert _sentence(report, fragment).language == lang, fragment
    for fragment, role in expected.get("roles", {}).items():
        s = _sentence(report, fragment)
        assert s.role == role, f"{fragment!r}: role {s.role} ({s.role_reason}), expected {role}"
    if "elisions" in expected:
        assert sum(s.role == "elision" for s in report.sentences) == expected["elisions"]
    for fragment, name in expected.get("voices", {}).items():
        s = _sentence(report, fragment)
        assert name in report.source(s.voice).name, f"{fragment!r}: voice {report.source(s.voice)}"
    for fragment, att in expected.get("attributions", {}).items():
        claim = _claim(report, fragment)
        for key, value in att.items():
            actual = getattr(claim.attribution, key)
            if key == "source_text":
                assert actual and value in actual, f"{fragment!r}: source {actual!r}, expected {value!r}"
            else:
                assert actual == value, f"{fragment!r}: attribution.{key} = {actual!r}, expected {value!r}"
    quantities = [q for c in report.claims for q in c.quantities]
    for q in expected.get("quantities", []):
        match = [x for x in quantities if x.text == q["text"]]
        assert match, f"quantity {q['text']!r} not found in {[x.text for x in quantities]}"
        assert match[0].value == pytest.approx(q["value"]), q
        if "unit" in q:
            assert match[0].unit == q["unit"], f"{q['text']}: unit {match[0].unit!r}"
    dates = [d for c in report.claims for d in c.dates]
    for d in expected.get("dates", []):
        match = [x for x in dates if d["text"].lower() in x.text.lower() or x.text.lower() in d["text"].lower()]
        if not match:  # dates outside claims (e.g. a dateline) are in the document too
            from quellenlage.stages.dates import find_dates, parse_reference

            match_raw = [x for x in find_dates(report.text, doc.language, parse_reference(doc.reference_date))
                         if d["text"].lower() in report.text[x[0]:x[1]].lower()]
            assert match_raw, f"date {d['text']!r} not found"
            assert match_raw[0][2] == d["value"], d
        else:
            assert match[0].value == d["value"], f"{d['text']}: {match[0].value}"
    for fragment, kinds in expected.get("hedges", {}).items():
        claim = _claim(report, fragment)
        assert sorted({h.kind for h in claim.hedges}) == sorted(kinds), f"{fragment!r}: {claim.hedges}"
    for e in expected.get("entities", []):
        match = [x for x in report.entities if x.name == e["name"] or e["name"] in x.variants]
        assert match, f"entity {e['name']!r} not found in {[x.name for x in report.entities]}"
        assert match[0].label == e["label"], f"{e['name']}: {match[0].label}"
    for group in expected.get("merged", []):
        ids = {x.id for name in group for x in report.entities if x.name == name or name in x.variants}
        assert len(ids) == 1, f"{group} should be one entity, got {ids}"
    for group in expected.get("separate", []):
        ids = [x.id for name in group for x in report.entities if x.name == name]
        assert len(ids) == len(set(ids)) == len(group), f"{group} should be {len(group)} entities, got {ids}"
    for part in expected.get("names_without", []):
        bad = [n for x in report.entities for n in [x.name, *x.variants] if part in n]
        assert not bad, f"entity names with {part!r}: {bad}"
    for fragment in expected.get("check_worthy", []):
        assert _claim(report, fragment).check_worthy, fragment
    for fragment in expected.get("not_check_worthy", []):
        s = _sentence(report, fragment)
        claims = [c for c in report.claims if c.sentence_id == s.id]
        assert not claims or not claims[0].check_worthy, fragment
    for sentence in report.sentences:
        assert report.text[sentence.start:sentence.end] == sentence.text


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_fixture_document_matches_its_golden_file(path):
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    report = quellenlage.analyze(path, date=expected.get("date"))
    check_expectations(report, expected)


def test_sample_post_matches_its_golden_file(sample_post_path):
    expected = json.loads((DOCS / "sample_post.expected.json").read_text(encoding="utf-8"))
    report = quellenlage.analyze(sample_post_path)
    check_expectations(report, expected)
