"""Language identification for documents and sentences (py3langid, BSD), loaded once, lazily."""

from __future__ import annotations

import copy
import re
from functools import lru_cache

from quellenlage.resources import SUPPORTED_LANGUAGES

_WORD = re.compile(r"[^\W\d_]{2,}")


@lru_cache(maxsize=1)
def _full_identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@lru_cache(maxsize=1)
def _supported_identifier():
    ident = copy.deepcopy(_full_identifier())
    ident.set_languages(list(SUPPORTED_LANGUAGES))
    return ident


def detect_document_language(text: str) -> tuple[str, float]:
    """The language of the whole text (any language py3langid knows), with its probability."""
    sample = text[:20000]
    if len(_WORD.findall(sample)) < 1:
        return "und", 0.0
    lang, prob = _full_identifier().classify(sample)
    return lang, float(prob)


def detect_sentence_language(text: str, default: str) -> str:
    """The language of one sentence among the supported ones; short or unsure sentences keep ``default``."""
    if len(_WORD.findall(text)) < 4:
        return default
    lang, prob = _supported_identifier().classify(text)
    return lang if prob >= 0.97 else default
