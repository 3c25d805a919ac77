"""``quellenlage evaluate ner``: entity-level exact-match scores on GermEval 2014 / IOB2 files."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from quellenlage.errors import QuellenlageError


def register(app: typer.Typer, evaluate_app: typer.Typer) -> None:
    @evaluate_app.command("ner")
    def evaluate_ner_cmd(
        data: Path = typer.Option(..., "--data",
                                  help="folder of GermEval 2014 (.txt/.tsv) or IOB2 (.iob2) files"),
        lang: str = typer.Option("", "--lang", help="de or en; default: guessed per file"),
        pipeline: bool = typer.Option(False, "--pipeline",
                                      help="score analyze's entities stage (public labels PER/ORG/LOC/MISC) "
                                      "instead of the trained tagger alone"),
    ) -> None:
        """Entity-level exact-match P/R/F1 (outer layer), overall and per label, per file."""
        from quellenlage.evaluation.ner import evaluate_folder

        try:
            result = evaluate_folder(data, lang or None, pipeline=pipeline)
        except QuellenlageError as err:
            typer.echo(f"error: {err.one_line()}", err=True)
            raise typer.Exit(err.exit_code) from err
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
