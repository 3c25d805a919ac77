"""Shared test fixtures.

``shared_data`` points at ../shared/data (or $QUELLENLAGE_SHARED); tests that need it skip with a
clear reason when it is absent (a user's machine), and CI (which has it) sets
QUELLENLAGE_REQUIRE_SHARED=1 so that a missing folder fails instead of skipping.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _shared_root() -> Path:
    env = os.environ.get("QUELLENLAGE_SHARED")
    return Path(env) if env else ROOT.parent / "shared"


def _need(path: Path, what: str) -> Path:
    if not path.exists():
        if os.environ.get("QUELLENLAGE_REQUIRE_SHARED") == "1":
            pytest.fail(f"{what} missing at {path} although QUELLENLAGE_REQUIRE_SHARED=1")
        pytest.skip(f"{what} not available at {path} (needs ../shared beside the checkout)")
    return path


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data, or skip."""
    return _need(_shared_root() / "data", "../shared/data")


@pytest.fixture(scope="session")
def sample_post_path() -> Path:
    """The German forum post that started the project (bundled in examples/)."""
    return _need(ROOT / "examples" / "telepolis-forum-post-kasachstan.de.txt", "the bundled sample post")


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES
