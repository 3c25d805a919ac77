"""Language data (cue words, hedges, number words) kept in files per language.

Files are UTF-8, one entry per line, ``#`` starts a comment. Multi-column files use a tab.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from quellenlage.errors import UnsupportedLanguageError

RESOURCE_DIR = Path(__file__).parent
SUPPORTED_LANGUAGES = ("de", "en")


def check_language(lang: str) -> str:
    if lang not in SUPPORTED_LANGUAGES:
        raise UnsupportedLanguageError(
            f"language '{lang}' is not supported",
            hint=f"supported languages: {', '.join(SUPPORTED_LANGUAGES)}; force one with --lang")
    return lang


@lru_cache(maxsize=None)
def word_list(lang: str, name: str) -> tuple[str, ...]:
    """Entries of ``resources/<lang>/<name>.txt`` (comments and blank lines dropped)."""
    path = RESOURCE_DIR / lang / f"{name}.txt"
    if not path.exists():
        return ()
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].rstrip()
        if line.strip():
            entries.append(line.strip())
    return tuple(entries)


@lru_cache(maxsize=None)
def table(lang: str, name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a tab-separated resource file."""
    return tuple(tuple(col.strip() for col in row.split("\t")) for row in word_list(lang, name))


@lru_cache(maxsize=None)
def phrase_regex(lang: str, name: str, *, flags: int = 0, suffix: str = r"\b"):
    """A compiled alternation of the phrases in ``resources/<lang>/<name>.txt``.

    Entries are literal phrases; a trailing ``*`` allows any word ending ("erklär*"). Longer
    phrases win. Matching is case-insensitive unless the file's first line is ``#case``.
    """
    import re

    path = RESOURCE_DIR / lang / f"{name}.txt"
    case_sensitive = path.exists() and path.read_text(encoding="utf-8").startswith("#case")
    parts = []
    for entry in sorted(word_list(lang, name), key=len, reverse=True):
        if entry.endswith("*"):
            parts.append(re.escape(entry[:-1]) + r"\w*")
        else:
            parts.append(re.escape(entry))
    if not parts:
        return re.compile(r"(?!x)x")
    pattern = r"(?<!\w)(?:" + "|".join(parts) + ")" + suffix
    return re.compile(pattern, flags | (0 if case_sensitive else re.IGNORECASE))


def phrases_all_languages(name: str, *, flags: int = 0):
    """One regex over the phrase lists of every supported language (for cues that cross languages)."""
    import re

    parts = [phrase_regex(lang, name, flags=flags).pattern for lang in SUPPORTED_LANGUAGES
             if word_list(lang, name)]
    return re.compile("|".join(f"(?:{p})" for p in parts) or r"(?!x)x", flags | re.IGNORECASE)
