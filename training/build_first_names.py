"""Write resources/en/first_names_gender.txt: first names with a clear gender, for matching "he"/"she"
to the person named last (quellenlage.stages.attribution).

Source: the 1990 US Census first-name frequency lists (public domain) as shipped in the PyPI
package ``names`` 0.3.0 (MIT; `pip install names==0.3.0`, build time only). A name counts as male
(female) when it is on that list and its share there is at least 10 times its share on the other
list; names used for both (Jamie, Jordan) are left out.

    python training/build_first_names.py
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "quellenlage" / "resources" / "en" / "first_names_gender.txt"
RATIO = 10.0


def read(name: str) -> dict[str, float]:
    path = Path(str(resources.files("names") / name))
    shares = {}
    for line in path.read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            shares[parts[0].capitalize()] = float(parts[1])
    return shares


def render() -> str:
    """The file's text (raises ModuleNotFoundError without the ``names`` package)."""
    male, female = read("dist.male.first"), read("dist.female.first")
    rows = []
    for name in sorted(set(male) | set(female)):
        m, f = male.get(name, 0.0), female.get(name, 0.0)
        if m >= RATIO * f:
            rows.append(f"{name}\tm")
        elif f >= RATIO * m:
            rows.append(f"{name}\tf")
    header = ("# First names with a clear gender (1990 US Census lists, public domain, via the PyPI package\n"
              "# `names` 0.3.0, MIT). Written by training/build_first_names.py; do not edit by hand.\n")
    return header + "\n".join(rows) + "\n"


def main() -> int:
    try:
        text = render()
    except ModuleNotFoundError:
        print("install the build-time package first: pip install names==0.3.0", file=sys.stderr)
        return 7
    OUT.write_text(text, encoding="utf-8")
    print(f"{text.count(chr(10)) - 2} names written to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
