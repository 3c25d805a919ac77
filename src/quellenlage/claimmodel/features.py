"""Features of the claims models: word and character n-grams plus readable cue signals.

The same functions build the training matrices (``training/train_claims.py``) and score at run
time, so a shipped model sees exactly the features it was trained on.

- n-grams: lower-cased word unigrams and bigrams (marked with a leading tab) and character
  2–5-grams inside each token padded with spaces, from the shared tokenizer;
- cues: a small dense vector of signals a reader understands (a number, a year, a question,
  first person, an opinion marker, evaluative words ...), from the word lists in
  ``resources/<lang>/claim_cues.json``.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from quellenlage.errors import ModelError
from quellenlage.tokenize import tokenize

CHAR_MIN, CHAR_MAX = 2, 5
_CHAR_RANGE = tuple(range(CHAR_MIN, CHAR_MAX + 1))
# Word n-grams start with a tab (never part of a token); every other term is a character n-gram.
WORD = "\t"

# Dense cue signals in a fixed order; the text after the name is how a reason reads.
CUES: tuple[tuple[str, str], ...] = (
    ("number", "states a number"),
    ("year", "names a year"),
    ("percent", "gives a percentage"),
    ("money", "names an amount of money"),
    ("quantity_word", "uses quantity words"),
    ("number_word", "writes a number as a word"),
    ("date_word", "names a date or day"),
    ("proper_names", "names people, places or organisations (capitalised words)"),
    ("reporting", "reports what someone said"),
    ("quote", "contains a quotation"),
    ("question", "asks a question"),
    ("exclamation", "exclaims"),
    ("first_person_singular", "speaks in the first person singular"),
    ("first_person_plural", "speaks in the first person plural"),
    ("second_person", "addresses the reader"),
    ("opinion_marker", "marks an opinion"),
    ("modal", "uses modal verbs (should, must, could)"),
    ("future", "makes a prediction or speaks about the future"),
    ("hedge", "hedges"),
    ("intensifier", "uses intensifiers"),
    ("evaluative", "uses evaluative words"),
    ("all_caps", "shouts in capitals"),
    ("link_or_user", "contains a link or a user mention"),
    ("short", "is very short"),
    ("length", "is long"),
)
CUE_NAMES = tuple(name for name, _ in CUES)
CUE_WORDS = {name: words for name, words in CUES}

_LIST_FOR_CUE = {
    "first_person_singular": "first_person_singular",
    "first_person_plural": "first_person_plural",
    "second_person": "second_person",
    "opinion_marker": "opinion_markers",
    "modal": "modal_verbs",
    "future": "future",
    "hedge": "hedges",
    "intensifier": "intensifiers",
    "evaluative": "evaluative",
    "reporting": "reporting",
    "quantity_word": "quantity_words",
    "number_word": "number_words",
    "date_word": "months",
}

_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"^(1[5-9]\d\d|20\d\d)(er)?$")
_CURRENCY = re.compile(r"[$€£¥]")
_MONEY_WORDS = {"euro", "dollar", "dollars", "cent", "cents", "pfund", "pounds", "franken", "usd", "eur"}
_PERCENT_WORDS = {"prozent", "percent", "per cent", "prozentpunkte", "percentage"}
_QUOTES = set("\"„“”«»‚‘’'")
_LINK = re.compile(r"^(https?://|www\.)|^@|^user$", re.IGNORECASE)


@dataclass(frozen=True)
class Cues:
    """Word lists of one language, as sets of single words and tuples for phrases."""

    lang: str
    words: dict[str, frozenset[str]]
    phrases: dict[str, tuple[tuple[str, ...], ...]]
    by_word: dict[str, tuple[str, ...]]      # word -> the cues it belongs to
    phrase_starts: frozenset[str]            # first words of phrases
    display_stopwords: frozenset[str] = frozenset()   # never named in reasons


@lru_cache(maxsize=None)
def load_cues(lang: str) -> Cues:
    """The cue word lists of ``lang`` from ``resources/<lang>/claim_cues.json``."""
    try:
        raw = resources.files("quellenlage").joinpath(f"resources/{lang}/claim_cues.json").read_text(
            encoding="utf-8")
    except (FileNotFoundError, OSError) as err:
        raise ModelError(f"cue list for language {lang!r} missing: {err}") from err
    data = json.loads(raw)
    words: dict[str, frozenset[str]] = {}
    phrases: dict[str, tuple[tuple[str, ...], ...]] = {}
    for cue, key in _LIST_FOR_CUE.items():
        entries = [entry.lower() for entry in data.get(key, [])]
        words[cue] = frozenset(e for e in entries if " " not in e)
        phrases[cue] = tuple(tuple(e.split()) for e in entries if " " in e)
    by_word: dict[str, list[str]] = {}
    for cue, members in words.items():
        for word in members:
            by_word.setdefault(word, []).append(cue)
    starts = frozenset(p[0] for group in phrases.values() for p in group)
    return Cues(lang, words, phrases, {w: tuple(c) for w, c in by_word.items()}, starts,
                frozenset(w.lower() for w in data.get("display_stopwords", [])))


@dataclass(frozen=True)
class TextFeatures:
    """Everything the models need from one text."""

    tokens: tuple[str, ...]          # token strings, original case
    lower: tuple[str, ...]           # lower-cased tokens
    cues: tuple[float, ...]          # dense cue values in CUE_NAMES order
    cue_hits: dict[str, tuple[str, ...]]  # cue name -> the words that triggered it

    @functools.cached_property
    def ngrams(self) -> Counter:
        """Word ("\\t...") and character n-gram counts (built when first asked for: scoring
        takes the per-token path of :func:`quellenlage.claimmodel.model.block_weights`)."""
        return _ngrams(self.lower)


def token_char_ngrams(token_lower: str) -> list[str]:
    """Character 2–5-grams of one lower-cased token padded with spaces."""
    padded = f" {token_lower} "
    size = len(padded)
    return [padded[i:i + n] for n in _CHAR_RANGE if n <= size for i in range(size - n + 1)]


def _ngrams(lower: tuple[str, ...]) -> Counter:
    feats: list[str] = [WORD + tok for tok in lower]
    feats += [f"{WORD}{a} {b}" for a, b in zip(lower, lower[1:])]
    for tok in lower:
        padded = f" {tok} "
        size = len(padded)
        feats += [padded[i:i + n] for n in _CHAR_RANGE if n <= size for i in range(size - n + 1)]
    return Counter(feats)


def _phrase_hits(lower: tuple[str, ...], phrases: tuple[tuple[str, ...], ...],
                 positions: dict[str, list[int]]) -> list[str]:
    """The phrases found in ``lower`` (each once); ``positions``: where each first word stands."""
    hits = []
    for phrase in phrases:
        n = len(phrase)
        for i in positions.get(phrase[0], ()):
            if lower[i:i + n] == phrase:
                hits.append(" ".join(phrase))
                break
    return hits


_TOKEN_CUES: dict[tuple[str, str], tuple[str, ...]] = {}


def _token_cues(tok: str, low: str, cues: Cues) -> tuple[str, ...]:
    """The cues one token triggers on its own (all but "proper_names", which needs context)."""
    key = (cues.lang, tok)
    found = _TOKEN_CUES.get(key)
    if found is not None:
        return found
    names: list[str] = []
    if _DIGIT.search(tok):
        names.append("year" if _YEAR.match(tok) else "number")
    if tok == "%" or low in _PERCENT_WORDS:
        names.append("percent")
    if _CURRENCY.match(tok) or low in _MONEY_WORDS:
        names.append("money")
    if tok in _QUOTES:
        names.append("quote")
    elif tok == "?":
        names.append("question")
    elif tok == "!":
        names.append("exclamation")
    if _LINK.match(tok):
        names.append("link_or_user")
    if len(tok) >= 3 and tok.isalpha() and tok.isupper():
        names.append("all_caps")
    names.extend(cues.by_word.get(low, ()))
    if len(_TOKEN_CUES) > 200_000:
        _TOKEN_CUES.clear()
    found = _TOKEN_CUES[key] = tuple(names)
    return found


def _cap(count: int, top: int) -> float:
    return min(count, top) / top


def cue_signals(text: str, tokens: tuple[str, ...], lower: tuple[str, ...],
                cues: Cues) -> tuple[tuple[float, ...], dict[str, tuple[str, ...]]]:
    """Dense cue values (0..1) and the words behind each cue."""
    hits: defaultdict[str, list[str]] = defaultdict(list)
    names_cue = cues.lang != "de"  # German capitalises every noun: no signal there
    for i, (tok, low) in enumerate(zip(tokens, lower)):
        for name in _token_cues(tok, low, cues):
            hits[name].append(tok)
        if names_cue and i > 0 and tok[:1].isupper() and tok[1:].islower() and \
                tokens[i - 1] not in (".", "!", "?", ":", "\"", "„", "“"):
            hits["proper_names"].append(tok)
    if not cues.phrase_starts.isdisjoint(lower):
        positions: dict[str, list[int]] = {}
        for i, low in enumerate(lower):
            if low in cues.phrase_starts:
                positions.setdefault(low, []).append(i)
        for cue, phrases in cues.phrases.items():
            if phrases:
                hits[cue].extend(_phrase_hits(lower, phrases, positions))
    n_tok = len(tokens)
    values = []
    for name in CUE_NAMES:
        if name == "short":
            values.append(1.0 if n_tok < 6 else 0.0)
        elif name == "length":
            values.append(min(math.log1p(n_tok) / math.log(200), 1.0))
        elif name in ("proper_names", "intensifier", "evaluative", "number", "quantity_word"):
            values.append(_cap(len(hits.get(name, ())), 3))
        else:
            values.append(1.0 if hits.get(name) else 0.0)
    return tuple(values), {k: tuple(v) for k, v in hits.items() if v}


def extract(text: str, lang: str) -> TextFeatures:
    """Token n-grams and cue signals of one text."""
    tokens = tuple(text[s:e] for s, e in tokenize(text))
    lower = tuple(tok.lower() for tok in tokens)
    cues, cue_hits = cue_signals(text, tokens, lower, load_cues(lang))
    return TextFeatures(tokens, lower, cues, cue_hits)
