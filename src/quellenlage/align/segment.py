"""Sentence spans for the two sides of a comparison.

The pipeline's splitter (``quellenlage.stages.segment``) applied paragraph by paragraph, so
that a heading line without a full stop does not run into the next line. Spans without a
letter or digit ("[...]", "***") are gap markers, not sentences, and are dropped.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w", re.UNICODE)
_LINE = re.compile(r"[^\n]+")


def split(text: str, lang: str, *, presegmented: bool = False) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the sentences of ``text``.

    With ``presegmented`` every non-empty line is one sentence, as it is.
    """
    from quellenlage.stages.segment import paragraph_spans, split_sentences, strip_span

    if presegmented:
        spans = [strip_span(text, m.start(), m.end()) for m in _LINE.finditer(text)]
    else:
        spans = [span for start, end in paragraph_spans(text) for span in split_sentences(text, lang, start, end)]
    return [(s, e) for s, e in spans if e > s and _WORD.search(text, s, e)]
