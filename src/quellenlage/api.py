"""The public functions behind :func:`quellenlage.analyze`: load, run the pipeline, build the report."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from quellenlage.document import Document
from quellenlage.ingest import load_document
from quellenlage.pipeline import Pipeline, default_stages
from quellenlage.report import DocumentInfo, Report, StageInfo

_WORDS = re.compile(r"\w+")


def build_report(doc: Document) -> Report:
    """Collect the document's layers into the typed report."""
    meta = doc.meta
    info = DocumentInfo(
        language=meta.language or "und", title=meta.title, url=meta.url, published=meta.published,
        edited=meta.edited, reference_date=meta.reference_date, author=meta.author,
        source_format=meta.source_format, char_count=len(doc.text), word_count=len(_WORDS.findall(doc.text)),
        cited=meta.cited)
    return Report(
        document=info, text=doc.text,
        paragraphs=doc.layers.get("paragraphs", []), sentences=doc.layers.get("sentences", []),
        sources=doc.layers.get("sources", []), entities=doc.layers.get("entities", []),
        claims=doc.layers.get("claims", []),
        pipeline=[StageInfo(name=name, backend=backend) for name, backend in doc.backends.items()])


def analyze(source: str | Path | bytes, *, lang: str | None = None, date: str | None = None,
            allow_private: bool = False, entities: str = "auto", scorer: str = "auto",
            max_chars: int | None = None, input_format: str = "auto", original: str | Path | None = None,
            progress: Callable[[str], None] | None = None) -> Report:
    """Analyse one document: a path, a URL, raw bytes, or the text itself.

    ``lang`` forces the language (``None``/``"auto"`` detects it), ``date`` (ISO 8601) is the
    reference for relative dates, ``entities``/``scorer`` choose backends, and ``original`` (a
    path or URL of the source article) lets the translation comparison decide which sentences
    are relayed. ``input_format`` is ``auto`` (HTML is recognised), ``text`` or ``html``.
    """
    if input_format not in ("auto", "text", "html"):
        from quellenlage.errors import ConfigurationError

        raise ConfigurationError(f"unknown input format '{input_format}'", hint="choose auto, text or html")
    options = {"lang": lang, "date": date, "html": {"auto": None, "text": False, "html": True}[input_format]}
    if max_chars is not None:
        options["max_chars"] = max_chars
    doc = load_document(source, allow_private=allow_private, **options)
    pipeline = Pipeline(default_stages(entities=entities, scorer=scorer), progress=progress)
    if original is not None:
        from quellenlage.stages.original import OriginalStage

        stages = pipeline.stages
        stages.insert(2, OriginalStage(original=original, allow_private=allow_private))
        pipeline = Pipeline(stages, progress=progress)
    doc = pipeline(doc)
    return build_report(doc)
