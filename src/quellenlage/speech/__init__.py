"""Speech and attribution taggers.

German: direct, indirect, reported and free indirect speech (REDEWIEDERGABE kinds) with the
speaker's mention and the framing cue. English: PolNeAR-style source, cue and content spans.

    from quellenlage.speech import load_speech_tagger, load_attributor
    spans = load_speech_tagger("de").find(text)   # list[SpeechSpan], char offsets
    atts = load_attributor("en").find(text)       # list[Attribution], char offsets
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from quellenlage.errors import UnsupportedLanguageError
from quellenlage.speech.records import Attribution, SpeechSpan

MODELS = Path(__file__).resolve().parents[1] / "models"
SPEECH_LANGUAGES = ("de",)
ATTRIBUTION_LANGUAGES = ("en",)

__all__ = ["Attribution", "SpeechSpan", "load_attributor", "load_speech_tagger",
           "SPEECH_LANGUAGES", "ATTRIBUTION_LANGUAGES"]


@lru_cache(maxsize=None)
def load_speech_tagger(lang: str = "de"):
    """The shipped speech tagger for ``lang`` (cached); only German is supported."""
    if lang != "de":
        raise UnsupportedLanguageError(
            f"no speech tagger for language {lang!r}",
            hint=f"supported: {', '.join(SPEECH_LANGUAGES)} (English uses load_attributor('en'))")
    from quellenlage.speech.tagger_de import NN_FILE, GermanSpeechTagger

    folder = MODELS / "speech"
    stack = folder / "speech_de_stack.crfsuite"
    roles = folder / "speech_de_roles_stacked.crfsuite"
    if not roles.is_file():
        roles = folder / "speech_de_roles.crfsuite"
    nn = folder / NN_FILE
    return GermanSpeechTagger(folder / "speech_de_kinds.crfsuite", roles,
                              stack if stack.is_file() else None,
                              nn_model=nn if nn.is_file() else None)


@lru_cache(maxsize=None)
def load_attributor(lang: str = "en"):
    """The shipped attribution tagger for ``lang`` (cached); only English is supported."""
    if lang != "en":
        raise UnsupportedLanguageError(
            f"no attribution tagger for language {lang!r}",
            hint=f"supported: {', '.join(ATTRIBUTION_LANGUAGES)} "
                 "(German uses load_speech_tagger('de'))")
    from quellenlage.speech.attributor_en import EnglishAttributor

    folder = MODELS / "attribution"
    return EnglishAttributor(folder / "attribution_en_sc.crfsuite",
                             folder / "attribution_en_content.crfsuite")
