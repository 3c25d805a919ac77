"""English attributor: source, cue and content spans on sentences written for these tests."""

from __future__ import annotations

import pytest

from quellenlage.errors import DataError, UnsupportedLanguageError
from quellenlage.evaluation.attribution import overlap_matches
from quellenlage.speech import Attribution, load_attributor
from quellenlage.speech.attributor_en import bio_runs
from quellenlage.speech.corpora import read_pn_ann, read_pn_folder


@pytest.fixture(scope="module")
def att():
    return load_attributor("en")


def _text(text: str, span) -> str:
    return "" if span is None else text[span[0]:span[1]]


def test_loader_is_cached():
    assert load_attributor("en") is load_attributor("en")


@pytest.mark.parametrize("lang", ["de", "es"])
def test_unsupported_language_names_supported_ones(lang):
    with pytest.raises(UnsupportedLanguageError) as err:
        load_attributor(lang)
    assert "en" in err.value.one_line()


def test_said_that_gives_source_cue_content(att):
    text = "The senator said that the bill would raise taxes for millions of families."
    atts = att.find(text)
    assert atts, atts
    a = atts[0]
    assert isinstance(a, Attribution)
    assert "bill would raise taxes" in _text(text, a.content)
    assert "said" in _text(text, a.cue)
    assert "senator" in _text(text, a.source)


def test_quote_with_trailing_attribution(att):
    text = '"We will not back down," the governor told reporters on Tuesday.'
    spans = att.char_spans(text)
    contents = [text[s:e] for s, e in spans["content"]]
    sources = [text[s:e] for s, e in spans["source"]]
    assert any("We will not back down" in c for c in contents), contents
    assert any("governor" in s for s in sources), sources


def test_according_to(att):
    text = "Unemployment fell to 4 percent last year, according to the report."
    spans = att.char_spans(text)
    sources = [text[s:e] for s, e in spans["source"]]
    assert any("report" in s for s in sources), sources


@pytest.mark.parametrize("text", [
    "The bridge was built in 1932 and carries four lanes of traffic.",
    "Snow fell across the region overnight, closing several schools.",
])
def test_plain_narration_has_no_cue(att, text):
    assert att.char_spans(text)["cue"] == []


def test_offsets_are_inside_the_text(att):
    text = ("Officials said the plant would close. \"It is a sad day,\" the mayor said. "
            "The company declined to comment.")
    for a in att.find(text):
        for span in (a.source, a.cue, a.content):
            if span is not None:
                assert 0 <= span[0] < span[1] <= len(text)


def test_empty_text(att):
    assert att.find("") == []


def test_bio_runs_start_on_i_and_split_on_b():
    labels = ["I-SRC", "I-SRC", "O", "B-SRC", "B-SRC", "I-SRC", "B-CUE"]
    assert bio_runs(labels, "SRC") == [(0, 2), (3, 4), (4, 6)]
    assert bio_runs(labels, "CUE") == [(6, 7)]


def test_overlap_matching_is_one_to_one():
    assert overlap_matches([(0, 10)], [(0, 3), (5, 8)]) == 1
    assert overlap_matches([(0, 4), (5, 9)], [(0, 10)]) == 1
    assert overlap_matches([(0, 4)], [(4, 8)]) == 0


def test_brat_reader_takes_extent_of_discontinuous_spans(tmp_path):
    text = "He said: it is fine, really fine."
    ann = tmp_path / "doc_x.ann"
    ann.write_text("T1\tSource 0 2\tHe\nT2\tCue 3 7\tsaid\nT3\tContent 9 19;21 32\tit\n"
                   "T4\tAttribution 3 7\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n",
                   encoding="utf-8")
    doc = read_pn_ann(ann, text)
    assert doc.spans["content"] == {(9, 32)}
    assert doc.attributions[0]["source"] == (0, 2)


def test_folder_reader_rejects_wrong_layout(tmp_path):
    with pytest.raises(DataError):
        read_pn_folder(tmp_path)
