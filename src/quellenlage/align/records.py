"""Typed records of a comparison between a derived text and its original."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Sentence:
    """One sentence of one side: its 0-based index, character offsets and text."""

    index: int
    start: int
    end: int
    text: str

    def to_dict(self) -> dict:
        return {"index": self.index, "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Span:
    """A character span in one side's full text (offsets into that text)."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Flag:
    """A fidelity problem of one aligned pair, pointing at both texts.

    ``kind`` is one of ``number``, ``date``, ``entity``, ``negation``, ``hedge``;
    ``change`` says what happened (``changed``, ``missing`` = in the original only,
    ``added`` = in the derived text only). ``derived``/``original`` hold the spans that
    show the problem; a side with nothing to point at holds the whole sentence(s).
    """

    kind: str
    change: str
    message: str
    derived: tuple[Span, ...]
    original: tuple[Span, ...]

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "change": self.change,
            "message": self.message,
            "derived": [s.to_dict() for s in self.derived],
            "original": [s.to_dict() for s in self.original],
        }


@dataclass(frozen=True)
class Link:
    """An alignment bead: derived sentence indices ↔ original sentence indices.

    One side is empty for an addition (1-0: only in the derived text) or an omission
    (0-1: left out of the original). ``score`` is a confidence in [0, 1].
    """

    derived: tuple[int, ...]
    original: tuple[int, ...]
    score: float
    flags: tuple[Flag, ...] = ()

    @property
    def kind(self) -> str:
        if not self.original:
            return "added"
        if not self.derived:
            return "omitted"
        return f"{len(self.derived)}-{len(self.original)}"

    def to_dict(self) -> dict:
        return {
            "derived": list(self.derived),
            "original": list(self.original),
            "kind": self.kind,
            "score": round(self.score, 4),
            "flags": [f.to_dict() for f in self.flags],
        }


@dataclass
class Comparison:
    """The result of aligning a derived text (translation, excerpt) with its original."""

    derived_text: str
    original_text: str
    lang_derived: str
    lang_original: str
    derived: list[Sentence]
    original: list[Sentence]
    links: list[Link]
    model: str
    params: dict = field(default_factory=dict)

    def added(self) -> list[int]:
        """Derived sentences with no counterpart (the author's own additions)."""
        return [i for link in self.links if not link.original for i in link.derived]

    def omitted(self) -> list[int]:
        """Original sentences the derived text leaves out."""
        return [j for link in self.links if not link.derived for j in link.original]

    def summary(self) -> dict:
        matched = [link for link in self.links if link.derived and link.original]
        n_flags = sum(len(link.flags) for link in self.links)
        covered = sum(len(link.original) for link in matched)
        return {
            "derived_sentences": len(self.derived),
            "original_sentences": len(self.original),
            "links": len(matched),
            "added": len(self.added()),
            "omitted": len(self.omitted()),
            "original_coverage": round(covered / len(self.original), 4) if self.original else 0.0,
            "flags": n_flags,
        }

    def to_dict(self) -> dict:
        return {
            "model": self.model,
            "lang_derived": self.lang_derived,
            "lang_original": self.lang_original,
            "summary": self.summary(),
            "derived_sentences": [s.to_dict() for s in self.derived],
            "original_sentences": [s.to_dict() for s in self.original],
            "links": [link.to_dict() for link in self.links],
        }


@dataclass(frozen=True)
class SentenceRole:
    """The role of one derived sentence given the alignment: ``relayed`` (it renders the
    ``original`` sentences) or ``author`` (no counterpart: the author's own words)."""

    role: str
    original: tuple[int, ...]
    score: float

    def to_dict(self) -> dict:
        return {"role": self.role, "original": list(self.original), "score": round(self.score, 4)}
