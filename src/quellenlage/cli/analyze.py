"""``quellenlage analyze`` and ``quellenlage schema``."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import List, Optional

import typer


def _fail(err) -> None:
    typer.echo(f"error: {err.one_line()}", err=True)
    raise typer.Exit(err.exit_code)


def _read_stdin() -> bytes:
    return sys.stdin.buffer.read()


@contextlib.contextmanager
def _replacing(output: str):
    """A file that replaces ``output`` only when writing it has finished: a run stopped half-way
    (an internal error, Ctrl-C) leaves an existing file as it was, and what it had written in
    ``output.partial``."""
    path = Path(output)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as out:
            yield out
    except BaseException:
        if tmp.exists():
            os.replace(tmp, path.with_name(path.name + ".partial"))
        raise
    os.replace(tmp, path)


def register(app: typer.Typer, evaluate_app: typer.Typer) -> None:
    @app.command()
    def analyze(
        inputs: List[str] = typer.Argument(..., help="path, URL, or - for stdin; several inputs make a JSONL batch"),
        fmt: str = typer.Option("text", "--format", "-f", help="text | json | jsonl | md | csv | html"),
        output: Optional[Path] = typer.Option(None, "--output", "-o", help="write to this file instead of stdout"),
        lang: str = typer.Option("auto", "--lang", help="auto | de | en"),
        date: Optional[str] = typer.Option(None, "--date", help="reference date for relative dates (ISO 8601)"),
        allow_private: bool = typer.Option(False, "--allow-private", help="allow fetching loopback/private addresses"),
        entities: str = typer.Option("auto", "--entities", help="entity backend: auto | model | rules"),
        scorer: str = typer.Option("auto", "--scorer",
                                   help="claim scorer: auto | model | accurate (the accurate extra) | features"),
        original: Optional[str] = typer.Option(None, "--original", help="the original article (path or URL) "
                                               "this text translates or excerpts"),
        input_format: str = typer.Option("auto", "--input-format", help="auto | text | html"),
        lines: bool = typer.Option(False, "--lines", help="treat every input line as its own document (JSONL out)"),
        max_chars: int = typer.Option(5_000_000, "--max-chars", help="refuse texts longer than this"),
    ) -> None:
        """Analyse a document and print its sourced claim report."""
        from quellenlage.api import analyze as run
        from quellenlage.errors import QuellenlageError
        from quellenlage.render import FORMATS, render
        from quellenlage.report import FailedDocument

        if fmt not in FORMATS:
            typer.echo(f"error: [Q400] unknown format '{fmt}' (choose one of {', '.join(FORMATS)})", err=True)
            raise typer.Exit(2)
        if date is not None:
            import datetime as dt

            try:
                dt.date.fromisoformat(date[:10])
            except ValueError:
                typer.echo(f"error: [Q400] --date '{date}' is not an ISO 8601 date (e.g. 2022-01-12)", err=True)
                raise typer.Exit(2)
        options = dict(lang=None if lang == "auto" else lang, date=date, allow_private=allow_private,
                       entities=entities, scorer=scorer, max_chars=max_chars, original=original,
                       input_format=input_format)
        sources: list[tuple[str, object]] = []
        for item in inputs:
            if item == "-":
                data = _read_stdin()
                if lines:
                    sources += [(f"stdin:{i + 1}", line) for i, line in enumerate(data.splitlines()) if line.strip()]
                else:
                    sources.append(("stdin", data))
            elif lines:
                path = Path(item)
                if not path.is_file():
                    typer.echo(f"error: [Q105] no such file: {item}", err=True)
                    raise typer.Exit(3)
                sources += [(f"{item}:{i + 1}", line) for i, line in enumerate(path.read_bytes().splitlines()) if line.strip()]
            else:
                from quellenlage.ingest import is_url

                sources.append((item, item if is_url(item) else Path(item)))
        batch = len(sources) > 1 or lines
        if not batch:
            name, source = sources[0]
            try:
                report = run(source, **options)
            except QuellenlageError as err:
                _fail(err)  # before -o is opened: a failed run leaves an existing file as it was
            color = output is None and fmt == "text" and sys.stdout.isatty()
            page = render(report, fmt, color=color)
            if output:
                with _replacing(output) as out:
                    out.write(page)
            else:
                sys.stdout.write(page)
            return
        with (_replacing(output) if output else contextlib.nullcontext(sys.stdout)) as out:
            failures = 0
            for name, source in sources:
                try:
                    report = run(source, **options)
                    out.write(report.to_json(indent=None) + "\n")
                except QuellenlageError as err:
                    failures += 1
                    out.write(FailedDocument(input=name, error=err.to_dict()).model_dump_json() + "\n")
                    typer.echo(f"error: {name}: {err.one_line()}", err=True)
        if failures:
            typer.echo(f"{failures} of {len(sources)} documents failed; their records say why", err=True)
            raise typer.Exit(3 if failures == len(sources) else 0)

    @app.command()
    def schema() -> None:
        """Print the JSON Schema of the report."""
        from quellenlage.report import json_schema

        typer.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))
