#!/usr/bin/env bash
# Install what the tests need into .venv and run the whole test suite (the README's second command).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip >/dev/null
.venv/bin/pip install -q -e ".[test]"
export HF_HUB_OFFLINE=1
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
