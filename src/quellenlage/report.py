"""Typed report records: the one schema spoken by the CLI, the renderers, the store and batch mode.

Every record that points into the text carries ``start``/``end`` character offsets into
``Report.text`` (the original text after decoding; for HTML, the extracted main text). Records have
stable ids (``s3``, ``e2``, ``c5``, ``S1``), never keys made of their text.

``python -m quellenlage.report`` writes the JSON Schema to ``src/quellenlage/schema/report.schema.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.1"  # 1.1: attribution type and source kind "described"

Role = Literal["author", "relayed", "meta", "elision", "citation", "boilerplate"]
SourceKind = Literal["author", "cited_work", "person", "organisation", "anonymous", "described"]
EntityLabel = Literal["PER", "ORG", "LOC", "MISC"]
# "described": a source the text identifies by a description, not a name ("the Indiana governor
# said", "Die Bank teilte mit"); "anonymous": one it keeps unnamed on purpose ("officials said").
AttributionType = Literal["named", "anonymous", "described", "relayed", "author", "none"]
HedgeKind = Literal["speculative", "uncertain", "reportative", "question"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CitedWork(_Record):
    url: Optional[str] = None
    title: Optional[str] = None
    author: Optional[str] = None
    start: Optional[int] = Field(None, description="offset of the citation in the text, if it is there")
    end: Optional[int] = None


class DocumentInfo(_Record):
    language: str
    title: Optional[str] = None
    url: Optional[str] = None
    published: Optional[str] = Field(None, description="ISO 8601 date or date-time")
    edited: Optional[str] = Field(None, description="ISO 8601 date-time of the last edit note")
    reference_date: Optional[str] = Field(
        None, description="the date relative dates are resolved against (--date, else published/edited)")
    author: Optional[str] = None
    source_format: Literal["text", "html"] = "text"
    char_count: int
    word_count: int = 0
    cited: list[CitedWork] = []


class Paragraph(_Record):
    id: str
    start: int
    end: int


class Sentence(_Record):
    id: str
    start: int
    end: int
    text: str
    paragraph: str
    language: str
    role: Role = "author"
    voice: Optional[str] = Field(None, description="source id whose words the sentence carries")
    role_reason: str = ""


class Source(_Record):
    id: str
    kind: SourceKind
    name: str
    description: str = ""
    url: Optional[str] = None
    via: Optional[str] = Field(None, description="id of the source through which this one reaches the reader")
    mentions: list["TextSpan"] = []


class TextSpan(_Record):
    start: int
    end: int
    text: str


class Mention(_Record):
    start: int
    end: int
    text: str
    sentence_id: Optional[str] = None


class Entity(_Record):
    id: str
    label: EntityLabel
    name: str
    mentions: list[Mention]
    variants: list[str] = []


class Quantity(_Record):
    id: str = ""
    start: int
    end: int
    text: str
    value: float
    unit: Optional[str] = Field(None, description="unit or counted thing ('Amerikaner', '%', 'EUR')")


class DateExpr(_Record):
    id: str = ""
    start: int
    end: int
    text: str
    value: str = Field(description="ISO 8601: YYYY, YYYY-MM, YYYY-MM-DD, date-time, or an interval A/B ('..' open)")
    relative: bool = False


class Hedge(_Record):
    id: str = ""
    start: int
    end: int
    text: str
    kind: HedgeKind


class Attribution(_Record):
    type: AttributionType
    source: Optional[str] = None
    source_text: Optional[str] = None
    cue: Optional[str] = None
    source_start: Optional[int] = None
    source_end: Optional[int] = None
    carried_over: bool = Field(False, description="taken over from a neighbouring sentence: the one that opened "
                                                  "the report, or the one that names the speaker of a quotation")


class Claim(_Record):
    id: str
    sentence_id: str
    start: int
    end: int
    text: str
    check_worthy: bool
    score: float
    reasons: list[str]
    subjective: Optional[bool] = None
    entities: list[str] = []
    quantities: list[Quantity] = []
    dates: list[DateExpr] = []
    attribution: Attribution
    hedges: list[Hedge] = []
    original: list[int] = Field([], description="sentence indices in the original text this claim renders (compare)")


class StageInfo(_Record):
    name: str
    backend: str


class Report(_Record):
    schema_version: str = SCHEMA_VERSION
    document: DocumentInfo
    text: str = Field(description="the analysed text; all offsets point into it")
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    sources: list[Source] = []
    entities: list[Entity] = []
    claims: list[Claim] = []
    pipeline: list[StageInfo] = []

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)

    def to_dict(self) -> dict:
        return self.model_dump(mode="json")

    def sentence(self, sentence_id: str) -> Sentence:
        for s in self.sentences:
            if s.id == sentence_id:
                return s
        raise KeyError(sentence_id)

    def source(self, source_id: str | None) -> Source | None:
        for s in self.sources:
            if s.id == source_id:
                return s
        return None

    def source_chain(self, source_id: str | None) -> list[Source]:
        """The chain from a source back to the author: [source, via, via-of-via, ...]."""
        chain: list[Source] = []
        seen: set[str] = set()
        current = self.source(source_id)
        while current is not None and current.id not in seen:
            chain.append(current)
            seen.add(current.id)
            current = self.source(current.via)
        return chain


class FailedDocument(_Record):
    """A batch line that could not be analysed: recorded, and the batch goes on."""

    schema_version: str = SCHEMA_VERSION
    input: str
    error: dict


def score_text(score: float) -> str:
    """A score with two decimals, rounded down: a score under the 0.5 threshold never reads "0.50"."""
    return f"{int(score * 100 + 1e-9) / 100:.2f}"  # + 1e-9: 0.29 * 100 is 28.999...


def json_schema() -> dict:
    schema = Report.model_json_schema()
    schema["$id"] = f"https://quellenlage.invalid/schema/report-{SCHEMA_VERSION}.json"
    schema["title"] = "quellenlage report"
    return schema


SCHEMA_PATH = Path(__file__).parent / "schema" / "report.schema.json"

if __name__ == "__main__":  # pragma: no cover - maintenance helper
    SCHEMA_PATH.write_text(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
