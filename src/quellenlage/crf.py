"""Open a shipped crfsuite model with a coded error when the file is missing or unreadable."""

from __future__ import annotations

from pathlib import Path

from quellenlage.errors import ModelError


def open_crf(path: Path | str, what: str, rebuild: str):
    """A ``pycrfsuite.Tagger`` for ``path``; ``what`` names the model, ``rebuild`` its training script."""
    import pycrfsuite

    hint = f"reinstall quellenlage or run {rebuild}"
    if not Path(path).is_file():
        raise ModelError(f"{what} file {path} is missing", hint=hint)
    tagger = pycrfsuite.Tagger()
    try:
        tagger.open(str(path))
    except (OSError, ValueError) as err:
        raise ModelError(f"{what} file {path} cannot be read: {err}", hint=hint) from err
    return tagger
