"""Typed records returned by the speech tagger and the attributor (character offsets)."""

from __future__ import annotations

from dataclasses import dataclass

Span = tuple[int, int]


@dataclass(frozen=True)
class SpeechSpan:
    """A stretch of speech, thought or writing rendered in the text.

    ``kind`` is one of ``direct``, ``indirect``, ``reported``, ``free_indirect``; ``start``/``end``
    are character offsets of the rendered material; ``speaker`` and ``cue`` are the character
    spans of the speaker's mention and of the framing verb/phrase, or ``None`` when none was found.
    """

    start: int
    end: int
    kind: str
    speaker: Span | None = None
    cue: Span | None = None


@dataclass(frozen=True)
class Attribution:
    """A source–cue–content triple (PolNeAR style); ``content`` is always present."""

    source: Span | None
    cue: Span | None
    content: Span
