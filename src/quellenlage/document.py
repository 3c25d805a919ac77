"""The one document object that flows through the pipeline.

A :class:`Document` holds the original text unchanged and stand-off layers that point into it by
character offsets. Stages add layers; nothing rewrites ``text``. Layer records are the typed report
records of :mod:`quellenlage.report`, so building the report is only collecting the layers.
"""

from __future__ import annotations

import bisect
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


class SpanIndex:
    """Spans ``(start, end, item)`` looked up by position: the items inside a span, in the order
    they were added, and whether a span overlaps one. Bisection over the sorted starts, so that
    looking up every sentence of a long document costs n log n, not n² (a 20 MB text must not
    take hours)."""

    def __init__(self, spans=()) -> None:
        self._starts: list[int] = []
        self._rows: list[tuple[int, int, int, Any]] = []   # (start, end, order, item), by start
        self._longest = 0
        for start, end, item in spans:
            self.add(start, end, item)

    def add(self, start: int, end: int, item: Any = None) -> None:
        k = bisect.bisect_right(self._starts, start)
        self._starts.insert(k, start)
        self._rows.insert(k, (start, end, len(self._rows), item))
        self._longest = max(self._longest, end - start)

    def within(self, start: int, end: int) -> list[Any]:
        """The items with ``start <= item.start`` and ``item.end <= end``, in the order added."""
        lo, hi = bisect.bisect_left(self._starts, start), bisect.bisect_right(self._starts, end)
        rows = sorted((r for r in self._rows[lo:hi] if r[1] <= end), key=lambda r: r[2])
        return [item for _s, _e, _o, item in rows]

    def overlapping(self, start: int, end: int) -> list[Any]:
        """The items whose spans share a character with ``start..end``, by their start (ties in
        the order added)."""
        lo = bisect.bisect_right(self._starts, start - self._longest)
        hi = bisect.bisect_left(self._starts, end)
        return [item for _s, e, _o, item in self._rows[lo:hi] if start < e]

    def overlaps(self, start: int, end: int) -> bool:
        """Whether an added span shares a character with ``start..end``."""
        return bool(self.overlapping(start, end))
