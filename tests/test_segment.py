"""segment: sentence boundaries and offsets on web text, with negative cases."""

import pytest

from quellenlage.document import Document, DocumentMeta
from quellenlage.stages.segment import SegmentStage, paragraph_spans, split_sentences


def sentences(text, lang="de"):
    return [text[s:e] for s, e in split_sentences(text, lang)]


@pytest.mark.parametrize("text, expected", [
    ("Zweige der türkischen Geheimdienste.Als Präsident Tokajew kam.",
     ["Zweige der türkischen Geheimdienste.", "Als Präsident Tokajew kam."]),
    ("Nichts passierte.Es war eine andere Geschichte.", ["Nichts passierte.", "Es war eine andere Geschichte."]),
    ("Ich gebe hier eine Teilübersetzung\n[...]\nAuf meiner Reise war es klar.",
     ["Ich gebe hier eine Teilübersetzung", "[...]", "Auf meiner Reise war es klar."]),
    ("Er sagte [...] und ging.", ["Er sagte", "[...]", "und ging."]),
    ("Quelle:\nhttps://example.org/a/b?c=1\nDanach mehr.", ["Quelle:", "https://example.org/a/b?c=1", "Danach mehr."]),
    ("Stimmt hier jedes Detail? Wer weiß.", ["Stimmt hier jedes Detail?", "Wer weiß."]),
])
def test_splits_web_text(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize("text", [
    "Das gilt z.B. für den 3. Mai und den 12.01.2022 um 22:19.",
    "Dr. Müller kam am 1. Januar nach St. Petersburg.",
    "Die Seite https://example.org/x.html nennt 2,5 Mio. Menschen.",
    "Er zahlte ca. 8.000 Euro bzw. etwas mehr.",
])
def test_does_not_split_inside_abbreviations_dates_urls(text):
    assert sentences(text) == [text]


def test_offsets_point_into_the_unchanged_text():
    text = "  Erster Satz.Zweiter Satz!  \n\n[…]\nDritter   Satz?"
    doc = SegmentStage()(Document(text, DocumentMeta(language="de", language_forced=True)))
    for s in doc.layer("sentences"):
        assert text[s.start:s.end] == s.text
    assert [s.text for s in doc.layer("sentences")] == ["Erster Satz.", "Zweiter Satz!", "[…]", "Dritter   Satz?"]


def test_hard_wrapped_text_joins_lines_within_a_block():
    text = ("Dies ist ein langer Satz, der\nüber zwei Zeilen geht. Und noch einer.\n\n"
            "Ein zweiter Absatz\nmit einem Satz.\n")
    assert len(paragraph_spans(text)) == 2
    assert sentences(text) == ["Dies ist ein langer Satz, der\nüber zwei Zeilen geht.", "Und noch einer.",
                               "Ein zweiter Absatz\nmit einem Satz."]


def test_mixed_language_sentences_get_their_own_language():
    text = ("Der Artikel erschien gestern in der Zeitung und wurde viel gelesen.\n"
            "The company said that production would start next year in Arizona.")
    doc = SegmentStage()(Document(text))
    assert [s.language for s in doc.layer("sentences")] == ["de", "en"]
