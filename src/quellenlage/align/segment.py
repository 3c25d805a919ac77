"""Sentence spans for the two sides of a comparison.

Uses the pipeline's splitter ``quellenlage.stages.segment.split_sentences`` when it is
there; otherwise splits at line breaks first and then with sentencex inside each line
(sentencex does not break at line breaks). Spans without a letter or digit ("[...]",
"***") are gap markers, not sentences, and are dropped.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w", re.UNICODE)
_LINE = re.compile(r"[^\n]+")


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _fallback_split(text: str, lang: str) -> list[tuple[int, int]]:
    from sentencex import segment

    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        pos = line.start()
        body = line.group()
        for sent in segment(lang, body):
            found = body.find(sent.strip(), pos - line.start()) if sent.strip() else -1
            if found < 0:
                continue
            s, e = line.start() + found, line.start() + found + len(sent.strip())
            spans.append((s, e))
            pos = e
    return spans


def _pipeline_splitter():
    """The pipeline's splitter applied paragraph by paragraph (a heading line without a full
    stop must not run into the next line), or None when the segment stage is missing."""
    try:
        from quellenlage.stages.segment import paragraph_spans, split_sentences
    except ImportError:
        return None

    def splitter(text: str, lang: str) -> list[tuple[int, int]]:
        return [span for start, end in paragraph_spans(text)
                for span in split_sentences(text, lang, start, end)]

    return splitter


def split(text: str, lang: str, *, presegmented: bool = False) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the sentences of ``text``.

    With ``presegmented`` every non-empty line is one sentence, as it is.
    """
    if presegmented:
        spans = [_strip(text, m.start(), m.end()) for m in _LINE.finditer(text)]
    else:
        splitter = _pipeline_splitter()
        spans = splitter(text, lang) if splitter is not None else _fallback_split(text, lang)
        spans = [_strip(text, s, e) for s, e in spans]
    return [(s, e) for s, e in spans if e > s and _WORD.search(text, s, e)]
