"""segment: paragraphs and sentences with character offsets into the unchanged text.

Web text needs more than a sentence splitter: lines are units first (forum exports put one
paragraph on a line, and a URL or "[...]" line is its own unit), elisions inside a line become
their own units, and sentencex splits the rest, including glued sentences ("Osten.Als").
Hard-wrapped text (blank lines between blocks of short lines) is split by blocks instead, so a
sentence may cross a line break there.

Provides: ``paragraphs``, ``sentences`` (role/voice are left for the voices stage) and the
document language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quellenlage.document import Document
from quellenlage.errors import EmptyInputError
from quellenlage.langid import detect_document_language, detect_sentence_language
from quellenlage.report import Paragraph, Sentence
from quellenlage.resources import check_language, phrase_regex

ELISION = re.compile(r"\[\s*(?:\.\s*){3}\]|\[\s*…\s*\]|\(\s*(?:\.\s*){3}\)|\(\s*…\s*\)")
URL_LINE = re.compile(r"^\s*(?:<)?(?:https?://|www\.)\S+?(?:>)?\s*$")
_BLOCK_BREAK = re.compile(r"\n[ \t]*\n")
_NON_SPACE = re.compile(r"\S")
# sentencex keeps some splits we do not want after a closing bracket of an elision, and misses
# a split after "?"/"!" glued to a capital: handled below.
_GLUED_QM = re.compile(r"[?!](?=[A-ZÄÖÜ][a-zäöüß])")
_CAPITAL = re.compile(r"[^\w]*[A-ZÄÖÜ]")


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: lines, or blank-line blocks when the text is hard-wrapped."""
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    if not lines:
        return []
    blocks = _BLOCK_BREAK.split(text)
    lengths = [e - s for s, e in lines]
    wrapped = len(blocks) > 1 and len(lines) > len(blocks) * 1.5 and sum(lengths) / len(lengths) < 90
    spans = []
    if wrapped:
        pos = 0
        for m in _BLOCK_BREAK.finditer(text + "\n\n"):
            s, e = strip_span(text, pos, min(m.start(), len(text)))
            if s < e:
                spans.append((s, e))
            pos = m.end()
    else:
        for s, e in lines:
            s, e = strip_span(text, s, e)
            if s < e:
                spans.append((s, e))
    return spans


def _units(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Cut a paragraph into units: URL lines, elisions, and running text."""
    units: list[tuple[int, int, str]] = []
    for line in re.finditer(r"[^\n]+", text[start:end]):
        ls, le = strip_span(text, start + line.start(), start + line.end())
        if ls >= le:
            continue
        if URL_LINE.match(text[ls:le]):
            units.append((ls, le, "url"))
            continue
        pos = ls
        for m in ELISION.finditer(text, ls, le):
            if m.start() > pos:
                units.append((pos, m.start(), "text"))
            units.append((m.start(), m.end(), "elision"))
            pos = m.end()
        if pos < le:
            units.append((pos, le, "text"))
    # In hard-wrapped blocks, consecutive text lines form one unit.
    merged: list[tuple[int, int, str]] = []
    for unit in units:
        if merged and unit[2] == "text" and merged[-1][2] == "text" and "\n" in text[merged[-1][1]:unit[0]]:
            merged[-1] = (merged[-1][0], unit[1], "text")
        else:
            merged.append(unit)
    return [(s, e, k) for s, e, k in ((*strip_span(text, s, e), k) for s, e, k in merged) if s < e]


def split_sentences(text: str, lang: str = "de", start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` (a paragraph or any running text)."""
    from sentencex import segment as sentencex_segment

    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for us, ue, kind in _units(text, start, end):
        if kind != "text":
            spans.append((us, ue))
            continue
        chunk = text[us:ue]
        cursor = 0
        for piece in sentencex_segment(lang, chunk):
            if not piece.strip():
                continue
            found = chunk.find(piece.strip(), cursor)
            if found < 0:  # sentencex normalised something: fall back to the rest of the chunk
                found = cursor
            ps, pe = found, found + len(piece.strip())
            cursor = pe
            for gs, ge in _split_glued_marks(chunk, ps, pe):
                s, e = strip_span(text, us + gs, us + ge)
                if s < e:
                    spans.append((s, e))
        if cursor < len(chunk):
            s, e = strip_span(text, us + cursor, ue)
            if s < e and _NON_SPACE.search(text[s:e]):
                if spans and spans[-1][1] <= s and text[s:e].strip() in {".", "!", "?", '"', "“", "”", "'"}:
                    spans[-1] = (spans[-1][0], e)
                else:
                    spans.append((s, e))
    return _join_after_titles(text, lang, spans)


def _join_after_titles(text: str, lang: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join pieces that sentencex cut after a title abbreviation ('..." Ms. | Moore said.',
    "Abg. | Müller") when the next piece opens with a capital on the same line."""
    titles = phrase_regex(lang, "sentence_abbreviations", suffix=r"$") if lang in ("de", "en") else None
    if titles is None or len(spans) < 2:
        return spans
    out = [spans[0]]
    for s, e in spans[1:]:
        ps, pe = out[-1]
        gap = text[pe:s]
        if not gap.strip() and "\n" not in gap and titles.search(text, ps, pe) and _CAPITAL.match(text, s, e):
            out[-1] = (ps, e)
        else:
            out.append((s, e))
    return out


def _split_glued_marks(chunk: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces = []
    pos = start
    for m in _GLUED_QM.finditer(chunk, start, end):
        pieces.append((pos, m.end()))
        pos = m.end()
    pieces.append((pos, end))
    return pieces


@dataclass
class SegmentStage:
    name: str = "segment"
    requires: tuple[str, ...] = ("text",)
    provides: tuple[str, ...] = ("paragraphs", "sentences", "language")

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        if not text.strip():
            raise EmptyInputError("the document has no text")
        if doc.meta.language is None or not doc.meta.language_forced:
            lang, _prob = detect_document_language(text)
            doc.meta.language = check_language(lang)
        else:
            check_language(doc.meta.language)
        doc_lang = doc.meta.language
        paragraphs: list[Paragraph] = []
        sentences: list[Sentence] = []
        for ps, pe in paragraph_spans(text):
            pid = doc.next_id("p")
            paragraphs.append(Paragraph(id=pid, start=ps, end=pe))
            para_lang = doc_lang
            for ss, se in split_sentences(text, doc_lang, ps, pe):
                sent_text = text[ss:se]
                lang = doc_lang if doc.meta.language_forced else detect_sentence_language(sent_text, para_lang)
                para_lang = lang
                sentences.append(Sentence(id=doc.next_id("s"), start=ss, end=se, text=sent_text,
                                          paragraph=pid, language=lang))
        doc.set_layer("paragraphs", paragraphs)
        doc.set_layer("sentences", sentences)
        doc.backends[self.name] = "sentencex+rules"
        return doc
