"""A fast regex tokenizer with character offsets, shared by every stage and model.

Tokens are ``(start, end)`` pairs into the text; ``text[start:end]`` is the token. URLs, e-mail
addresses, numbers with separators ("8.000", "2,5") and hyphenated words ("US-amerikanischen",
"ISIS-Khorasan") stay one token; every other punctuation mark is its own token.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(
    r"""
    (?:https?://|www\.)[^\s<>"'\]\)]+[^\s<>"'\]\).,;:!?]      # URL
  | [\w.+-]+@[\w-]+(?:\.[\w-]+)+                            # e-mail
  | \d+(?:[.,:/]\d+)*(?:\.(?=\s+[a-zäöü]))?                 # number (8.000, 2,5, 12.01.2022)
  | \w+(?:[-'’]\w+)*                                        # word, hyphenated word
  | \S                                                      # any other single character
    """,
    re.VERBOSE,
)


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return ``(start, end)`` character offsets of the tokens of ``text[start:end]``."""
    pattern = _TOKEN
    stop = len(text) if end is None else end
    return [m.span() for m in pattern.finditer(text, start, stop)]


def token_texts(text: str) -> list[str]:
    """The token strings of ``text`` (convenience for models and tests)."""
    return _TOKEN.findall(text)  # the pattern has no capturing groups: whole matches
