"""Bad input: one clear line and a documented exit code from the CLI, coded errors from the library."""

from __future__ import annotations

import subprocess
import sys

import pytest

import quellenlage
from quellenlage.report import Report
from quellenlage.errors import (BinaryInputError, EmptyInputError, InputTooLargeError, NoTextInHtmlError,
                                UnsupportedLanguageError)


def run_cli(*args, stdin: bytes | None = None):
    return subprocess.run([sys.executable, "-m", "quellenlage", *args], input=stdin, capture_output=True, timeout=120)


def assert_one_clear_line(result, code: int, fragment: str):
    assert result.returncode == code, (result.returncode, result.stderr)
    err = result.stderr.decode()
    assert "Traceback" not in err
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: [Q"), err
    assert fragment in lines[0]


@pytest.mark.parametrize("data, code, fragment", [
    (b"", 3, "Q101"),
    (b"   \n\t \n", 3, "Q101"),
    (b"\x00\x01\x02binary\x00\xff" * 100, 3, "Q102"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", 3, "Q102"),
    (b"<html><body><div><script>var x=1;</script></div></body></html>", 3, "Q104"),
    ("Это предложение написано по-русски и не поддерживается. Ещё одно предложение.".encode(), 4, "Q200"),
])
def test_cli_refuses_bad_input_with_one_line(tmp_path, data, code, fragment):
    path = tmp_path / "input.txt"
    path.write_bytes(data)
    assert_one_clear_line(run_cli("analyze", str(path)), code, fragment)


def test_cli_missing_file():
    assert_one_clear_line(run_cli("analyze", "/nonexistent/file.txt"), 3, "Q105")


def test_deeply_nested_html_is_refused_cleanly(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 5000 + "Text" + "</div>" * 5000 + "</body></html>")
    assert_one_clear_line(run_cli("analyze", str(path)), 3, "Q104")


def test_fifty_megabytes_are_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.write(("Der Satz ist lang genug. " * 40 + "\n").encode() * 52_000)
    assert path.stat().st_size > 50_000_000
    assert_one_clear_line(run_cli("analyze", str(path)), 3, "Q103")


def test_invalid_utf8_and_latin1_still_give_a_report(tmp_path):
    latin1 = "Die Bürger in München zahlten 2019 rund 3.000 Euro für Straßen.".encode("latin-1")
    broken = "Der Minister sagte am Montag, 22 Beamte seien entlassen worden. ".encode() + b"\xff\xfe\xfa" + \
        " Danach trat er zurück.".encode()
    for name, data in (("latin1.txt", latin1), ("broken.txt", broken)):
        path = tmp_path / name
        path.write_bytes(data)
        result = run_cli("analyze", str(path), "--format", "json")
        assert result.returncode == 0, result.stderr
        report = Report.model_validate_json(result.stdout)
        assert report.sentences
    assert "München" in quellenlage.analyze(latin1).text


@pytest.mark.parametrize("source, error", [
    ("", EmptyInputError), ("   ", EmptyInputError), (b"\x00" * 50, BinaryInputError),
    ("<html><body></body></html>", NoTextInHtmlError),
    ("Ceci est une phrase française assez longue pour être reconnue sans aucun doute.", UnsupportedLanguageError),
])
def test_library_raises_coded_errors(source, error):
    with pytest.raises(error) as info:
        quellenlage.analyze(source)
    assert info.value.code.startswith("Q")


def test_library_limit_on_characters():
    with pytest.raises(InputTooLargeError):
        quellenlage.analyze("Ein Satz. " * 1000, max_chars=500)


def test_forced_language_analyses_anyway():
    report = quellenlage.analyze("Ceci est une phrase française assez longue pour être reconnue.", lang="en")
    assert report.document.language == "en"


def test_batch_records_failures_and_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Laut Insidern soll der Minister 22 Berater entlassen haben.", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = run_cli("analyze", str(good), str(empty), str(good))
    assert result.returncode == 0
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 3
    import json

    records = [json.loads(x) for x in lines]
    assert "claims" in records[0] and "claims" in records[2]
    assert records[1]["error"]["code"] == "Q101" and records[1]["input"] == str(empty)


def test_output_file_is_replaced_only_by_a_finished_run(tmp_path):
    out = tmp_path / "report.json"
    out.write_text("an earlier report", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = run_cli("analyze", str(empty), "--format", "json", "-o", str(out))
    assert_one_clear_line(result, 3, "Q101")
    assert out.read_text(encoding="utf-8") == "an earlier report"
    good = tmp_path / "good.txt"
    good.write_text("Laut Insidern soll der Minister 22 Berater entlassen haben.", encoding="utf-8")
    result = run_cli("analyze", str(good), "--format", "json", "-o", str(out))
    assert result.returncode == 0 and result.stdout == b""
    import json

    assert json.loads(out.read_text(encoding="utf-8"))["claims"]
    result = run_cli("analyze", str(good), str(empty), "-o", str(out))
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert result.returncode == 0 and [("error" in r) for r in records] == [False, True]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.txt", "good.txt", "report.json"]


def test_a_long_one_line_text_is_text_not_a_file_name():
    sentence = "Der Minister sagte am Montag, dass die Regierung die Hilfen verlängern werde. " * 5
    assert len(sentence.encode()) > 255 and "\n" not in sentence
    report = quellenlage.analyze(sentence, lang="de")
    assert len(report.sentences) == 5


def test_a_run_stopped_half_way_keeps_the_old_file(tmp_path):
    from quellenlage.cli.analyze import _replacing

    out = tmp_path / "batch.jsonl"
    out.write_text("old records\n", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        with _replacing(str(out)) as f:
            f.write('{"first": 1}\n')
            raise KeyboardInterrupt
    assert out.read_text(encoding="utf-8") == "old records\n"
    assert (tmp_path / "batch.jsonl.partial").read_text(encoding="utf-8") == '{"first": 1}\n'
