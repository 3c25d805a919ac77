"""Language identification for documents and sentences.

Fast path: function-word profiles (``resources/langid/<lang>.txt``) tell German from English
and from other Latin-script languages in microseconds and need no model. Where the profile is
unsure (very short texts, other scripts), py3langid (BSD) decides; its model is loaded lazily,
once, so most documents never pay for it.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from functools import lru_cache

from quellenlage.resources import RESOURCE_DIR, SUPPORTED_LANGUAGES

_WORD = re.compile(r"[^\W\d_]{1,}")
_LATIN = re.compile(r"[A-Za-zÀ-ɏ]")


@lru_cache(maxsize=1)
def _profiles() -> dict[str, frozenset[str]]:
    return {p.stem: frozenset(p.read_text(encoding="utf-8").split()) for p in sorted((RESOURCE_DIR / "langid").glob("*.txt"))}


@lru_cache(maxsize=1)
def _word_langs() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for lang, words in _profiles().items():
        for w in words:
            index.setdefault(w, []).append(lang)
    return {w: tuple(langs) for w, langs in index.items()}


def _profile_counts(words: list[str]) -> Counter:
    index = _word_langs()
    counts: Counter = Counter()
    for w in words:
        for lang in index.get(w.lower(), ()):
            counts[lang] += 1
    return counts


@lru_cache(maxsize=1)
def _full_identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@lru_cache(maxsize=1)
def _supported_identifier():
    ident = copy.copy(_full_identifier())  # shares the full model; set_languages slices new arrays
    ident.set_languages(list(SUPPORTED_LANGUAGES))
    return ident


def detect_document_language(text: str) -> tuple[str, float]:
    """The language of the whole text (any language), with a confidence in 0..1."""
    sample = text[:20000]
    words = _WORD.findall(sample)
    if not words:
        return "und", 0.0
    latin = len(_LATIN.findall(sample)) / max(1, sum(len(w) for w in words))
    if latin > 0.9 and len(words) >= 8:
        counts = _profile_counts(words).most_common(2)
        if counts:
            best, n = counts[0]
            second = counts[1][1] if len(counts) > 1 else 0
            if n >= 4 and n >= 2 * second and n / len(words) >= 0.08:
                return best, n / (n + second)
    lang, prob = _full_identifier().classify(sample)
    return lang, float(prob)


def detect_sentence_language(text: str, default: str) -> str:
    """The language of one sentence among the supported ones; short or unsure sentences keep ``default``."""
    words = _WORD.findall(text)
    if len(words) < 4:
        return default
    counts = _profile_counts(words)
    scores = {lang: counts.get(lang, 0) for lang in SUPPORTED_LANGUAGES}
    best = max(scores, key=scores.get)
    others = max(v for k, v in scores.items() if k != best)
    if scores[best] >= 2 and scores[best] >= 2 * others + 1:
        return best
    if scores[best] == 0 or scores[best] == others:
        lang, prob = _supported_identifier().classify(text)
        return lang if prob >= 0.97 else default
    return default
