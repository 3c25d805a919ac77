"""The one document object that flows through the pipeline.

A :class:`Document` holds the original text unchanged and stand-off layers that point into it by
character offsets. Stages add layers; nothing rewrites ``text``. Layer records are the typed report
records of :mod:`quellenlage.report`, so building the report is only collecting the layers.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from quellenlage.report import CitedWork


@dataclass
class DocumentMeta:
    """What is known about the document apart from its text."""

    language: str | None = None          # document language (None until detected)
    language_forced: bool = False        # given by the user (--lang), not detected
    title: str | None = None
    url: str | None = None
    author: str | None = None
    published: str | None = None         # ISO 8601
    edited: str | None = None            # ISO 8601
    reference_date: str | None = None    # the user's --date, else published/edited
    reference_forced: bool = False
    source_format: str = "text"          # "text" or "html"
    cited: list[CitedWork] = field(default_factory=list)


@dataclass
class Document:
    text: str
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    layers: dict[str, list[Any]] = field(default_factory=dict)
    backends: dict[str, str] = field(default_factory=dict)  # stage name -> backend used
    _counters: dict[str, itertools.count] = field(default_factory=dict, repr=False)

    def layer(self, name: str) -> list[Any]:
        """The layer ``name`` (a stage that needs it declares it in ``requires``)."""
        return self.layers[name]

    def has(self, name: str) -> bool:
        return name in self.layers

    def set_layer(self, name: str, records: list[Any]) -> None:
        self.layers[name] = records

    def next_id(self, prefix: str) -> str:
        """A stable id: ids are handed out in document order by the stage that creates them."""
        counter = self._counters.setdefault(prefix, itertools.count(1))
        return f"{prefix}{next(counter)}"

    def span_text(self, start: int, end: int) -> str:
        return self.text[start:end]

    def sentence_at(self, offset: int):
        """The sentence containing ``offset`` (binary search over the sentence layer)."""
        sentences = self.layers.get("sentences", [])
        lo, hi = 0, len(sentences) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            s = sentences[mid]
            if offset < s.start:
                hi = mid - 1
            elif offset >= s.end:
                lo = mid + 1
            else:
                return s
        return None
