"""``quellenlage evaluate speech`` and ``quellenlage evaluate attribution``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from quellenlage.errors import QuellenlageError


def register(app: typer.Typer, evaluate_app: typer.Typer) -> None:
    @evaluate_app.command("speech")
    def evaluate_speech_cmd(
        data: Path = typer.Option(..., "--data", help="folder with REDEWIEDERGABE .tsv samples"),
    ) -> None:
        """Token-level P/R/F1 per speech kind and speaker accuracy (German, REDEWIEDERGABE)."""
        from quellenlage.evaluation.speech import evaluate_speech

        try:
            result = evaluate_speech(data)
        except QuellenlageError as err:
            typer.echo(f"error: {err.one_line()}", err=True)
            raise typer.Exit(err.exit_code) from err
        typer.echo(json.dumps(result, indent=2))

    @evaluate_app.command("attribution")
    def evaluate_attribution_cmd(
        data: Path = typer.Option(..., "--data", help="PolNeAR split folder (attributions/, text/)"),
    ) -> None:
        """Exact and overlap P/R/F1 of source, cue and content spans (English, PolNeAR)."""
        from quellenlage.evaluation.attribution import evaluate_attribution

        try:
            result = evaluate_attribution(data)
        except QuellenlageError as err:
            typer.echo(f"error: {err.one_line()}", err=True)
            raise typer.Exit(err.exit_code) from err
        typer.echo(json.dumps(result, indent=2))
