"""Word lists for the speech and attribution taggers, read from ``resources/<lang>/``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from quellenlage.errors import ModelError

RESOURCES = Path(__file__).resolve().parents[1] / "resources"


def read_list(lang: str, name: str) -> list[str]:
    """The non-comment, non-empty lines of ``resources/<lang>/<name>``."""
    path = RESOURCES / lang / name
    if not path.is_file():
        raise ModelError(f"word list {lang}/{name} is missing from the package",
                         hint="reinstall quellenlage")
    lines = path.read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]


@dataclass(frozen=True)
class PrefixLexicon:
    """Whole forms plus prefixes (entries ending in ``*``); ``ge``-participles are tried too."""

    forms: frozenset[str]
    prefixes: tuple[str, ...]

    @classmethod
    def from_entries(cls, entries: list[str]) -> "PrefixLexicon":
        forms = frozenset(e for e in entries if not e.endswith("*") and " " not in e)
        prefixes = tuple(sorted({e[:-1] for e in entries if e.endswith("*")}))
        return cls(forms, prefixes)

    def __contains__(self, word: str) -> bool:
        if word in self.forms or word.startswith(self.prefixes):
            return True
        return word.startswith("ge") and word[2:].startswith(self.prefixes)


@lru_cache(maxsize=None)
def german_lexicons() -> tuple[PrefixLexicon, frozenset[str], frozenset[str]]:
    """(verbs of saying, source cue words, subjunctive forms) for German."""
    verbs = PrefixLexicon.from_entries(read_list("de", "speech_verbs.txt"))
    cues = frozenset(read_list("de", "speech_cues.txt"))
    subj = frozenset(read_list("de", "speech_subjunctive.txt"))
    return verbs, cues, subj


MINED_WORDS = "speech_words_mined.txt"


@lru_cache(maxsize=None)
def german_mined_words() -> dict[str, str]:
    """Word forms of speech, thought and writing mined from the corpus's cue column
    (``training/train_speech.py``): form -> ``V`` (verbs, adjectives) or ``N`` (nouns)."""
    out = {}
    for line in read_list("de", MINED_WORDS):
        form, _, cls = line.partition(" ")
        out[form] = cls
    return out


@lru_cache(maxsize=None)
def english_lexicons() -> tuple[frozenset[str], frozenset[str]]:
    """(verbs and nouns of attribution, source cue words) for English."""
    return (frozenset(read_list("en", "speech_attribution_verbs.txt")),
            frozenset(read_list("en", "speech_attribution_cues.txt")))
