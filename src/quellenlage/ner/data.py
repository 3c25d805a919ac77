"""Readers for NER data in GermEval 2014 and IOB2 column formats, and span helpers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from quellenlage.errors import DataError


@dataclass
class Sentence:
    tokens: list[str]
    tags: list[str]  # IOB2 tags of the outer layer


def read_columns(path: Path) -> list[Sentence]:
    """Read one column file: GermEval 2014 (index, token, outer, nested) or IOB2 (index, token,
    tag, ...). Lines starting with "#" are comments; a blank line ends a sentence."""
    sentences: list[Sentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise DataError(f"cannot read {path}: {err}") from err
    for number, line in enumerate(lines, 1):
        if not line.strip():
            if tokens:
                sentences.append(Sentence(tokens, tags))
                tokens, tags = [], []
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 3:
            raise DataError(f"{path}:{number}: expected at least 3 tab-separated columns",
                            hint="GermEval 2014: index, token, outer tag, nested tag; IOB2: index, token, tag")
        tag = cols[2].strip()
        if tag != "O" and not (tag[:2] in ("B-", "I-") and len(tag) > 2):
            raise DataError(f"{path}:{number}: tag {tag!r} is not IOB2")
        tokens.append(cols[1])
        tags.append(tag)
    if tokens:
        sentences.append(Sentence(tokens, tags))
    return sentences


def spans_from_tags(tags: list[str]) -> list[tuple[int, int, str]]:
    """IOB2 tags -> (first token, end token exclusive, label); a stray I- starts a span
    (conlleval's reading)."""
    spans: list[tuple[int, int, str]] = []
    start = -1
    label = ""
    for i, tag in enumerate(tags):
        if tag == "O":
            if start >= 0:
                spans.append((start, i, label))
                start = -1
            continue
        prefix, lab = tag[:1], tag[2:]
        if prefix == "B" or start < 0 or lab != label:
            if start >= 0:
                spans.append((start, i, label))
            start, label = i, lab
    if start >= 0:
        spans.append((start, len(tags), label))
    return spans


def tags_from_spans(n: int, spans: list[tuple[int, int, str]]) -> list[str]:
    tags = ["O"] * n
    for start, end, label in spans:
        tags[start] = "B-" + label
        for i in range(start + 1, end):
            tags[i] = "I-" + label
    return tags
