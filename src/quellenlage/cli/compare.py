"""``quellenlage compare`` and ``quellenlage evaluate alignment``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

FORMATS = ("text", "json", "html")


def _fail(err) -> None:
    typer.echo(f"error: {err.one_line()}", err=True)
    raise typer.Exit(err.exit_code)


def _load(source: str, *, presegmented: bool, allow_private: bool, stdin_used: list[bool]) -> str:
    """The text of a path, URL or ``-`` (HTML pages go through the ingest stage)."""
    from quellenlage.ingest import load_document

    options = {"html": False} if presegmented else {}
    if source == "-":
        if stdin_used[0]:
            from quellenlage.errors import ConfigurationError

            raise ConfigurationError("only one of DERIVED and ORIGINAL can be read from stdin (-)")
        stdin_used[0] = True
        return load_document(sys.stdin.buffer.read(), **options).text
    from quellenlage.ingest import is_url

    target = source if is_url(source) else Path(source)
    return load_document(target, allow_private=allow_private, **options).text


def register(app: typer.Typer, evaluate_app: typer.Typer) -> None:
    @app.command()
    def compare(
        derived: str = typer.Argument(..., help="the derived text (translation, excerpt, "
                                      "paraphrase): path, URL, or - for stdin"),
        original: str = typer.Argument(..., help="the original article: path, URL, or -"),
        fmt: str = typer.Option("text", "--format", "-f", help="text | json | html"),
        output: Optional[Path] = typer.Option(None, "--output", "-o",
                                              help="write to this file instead of stdout"),
        presegmented: bool = typer.Option(False, "--presegmented",
                                          help="the inputs hold one sentence per line"),
        lang_derived: Optional[str] = typer.Option(None, "--lang-derived",
                                                   help="language of DERIVED (default: detect)"),
        lang_original: Optional[str] = typer.Option(None, "--lang-original",
                                                    help="language of ORIGINAL (default: detect)"),
        allow_private: bool = typer.Option(False, "--allow-private",
                                           help="allow fetching loopback/private addresses"),
        width: int = typer.Option(120, "--width", help="line width of the text view"),
    ) -> None:
        """Align a derived text with its original: links, additions, omissions, fidelity flags."""
        from quellenlage.errors import QuellenlageError

        if fmt not in FORMATS:
            typer.echo(f"error: [Q400] unknown format '{fmt}' (choose one of {', '.join(FORMATS)})",
                       err=True)
            raise typer.Exit(2)
        try:
            from quellenlage.align import align_texts
            from quellenlage.align.render import render_html, render_text

            used = [False]
            text_d = _load(derived, presegmented=presegmented, allow_private=allow_private,
                           stdin_used=used)
            text_o = _load(original, presegmented=presegmented, allow_private=allow_private,
                           stdin_used=used)
            comparison = align_texts(text_d, text_o, presegmented=presegmented,
                                     lang_derived=lang_derived, lang_original=lang_original)
        except QuellenlageError as err:
            _fail(err)
        if fmt == "json":
            body = json.dumps(comparison.to_dict(), ensure_ascii=False, indent=2) + "\n"
        elif fmt == "html":
            body = render_html(comparison, title=f"{derived} ↔ {original}")
        else:
            body = render_text(comparison, width=width)
        if output:
            output.write_text(body, encoding="utf-8")
        else:
            sys.stdout.write(body)

    @evaluate_app.command("alignment")
    def evaluate_alignment(
        data: Path = typer.Option(..., "--data", help="folder of NAME.de, NAME.fr, NAME.defr "
                                  "triples (Text+Berg format)"),
        similarity: str = typer.Option("embedding", "--similarity",
                                       help="embedding | bow (the baseline without a model)"),
    ) -> None:
        """Strict and lax precision/recall/F1 over alignment beads (Vecalign's definitions)."""
        from quellenlage.errors import QuellenlageError

        try:
            from quellenlage.evaluation.alignment import evaluate

            result = evaluate(data, similarity=similarity)
        except QuellenlageError as err:
            _fail(err)
        typer.echo(json.dumps(result))
