"""Entry point of the ``quellenlage`` command.

Each command group lives in its own module of this package and exposes
``register(app, evaluate_app)``; the modules are listed in ``COMMAND_MODULES``.
Imports inside commands stay lazy so that ``quellenlage --help`` starts fast.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="quellenlage",
    help="Sourced claim reports: what a text claims, who says so, and what can be checked.",
    no_args_is_help=True,
    add_completion=False,
)
evaluate_app = typer.Typer(help="Measure the shipped models on data sets in their official formats.",
                           no_args_is_help=True)
app.add_typer(evaluate_app, name="evaluate")

# One module per command group; each defines register(app, evaluate_app).
COMMAND_MODULES = [
    "quellenlage.cli.analyze",
    "quellenlage.cli.compare",
    "quellenlage.cli.speech",
    "quellenlage.cli.ner",
    "quellenlage.cli.claims",
]

for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app, evaluate_app)


def main() -> None:  # pragma: no cover - thin wrapper
    app()
