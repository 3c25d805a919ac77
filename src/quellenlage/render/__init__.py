"""Renderers: report -> text (terminal), JSON, JSONL, Markdown, CSV, HTML. Pure functions."""

from __future__ import annotations

from quellenlage.errors import ConfigurationError

FORMATS = ("text", "json", "jsonl", "md", "csv", "html")


def render(report, fmt: str, *, color: bool = False) -> str:
    if fmt == "json":
        return report.to_json() + "\n"
    if fmt == "jsonl":
        return report.to_json(indent=None) + "\n"
    if fmt == "text":
        from quellenlage.render.text import render_text

        return render_text(report, color=color)
    if fmt == "md":
        from quellenlage.render.markdown import render_markdown

        return render_markdown(report)
    if fmt == "csv":
        from quellenlage.render.csv import render_csv

        return render_csv(report)
    if fmt == "html":
        from quellenlage.render.html import render_html

        return render_html(report)
    raise ConfigurationError(f"unknown format '{fmt}'", hint=f"choose one of {', '.join(FORMATS)}")


def count_noun(n: int, noun: str) -> str:
    """ "1 sentence", "1,002 words" (English nouns with a plain -s plural)."""
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def chain_text(report, source_id: str | None) -> str:
    """'Felix Kulov (person) ← Pepe Escobar (cited work) ← the writer (author)'."""
    chain = report.source_chain(source_id)
    return " ← ".join(f"{s.name} ({s.kind.replace('_', ' ')})" for s in chain)
