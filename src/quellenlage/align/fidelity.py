"""Fidelity checks on aligned sentence pairs: numbers, dates, names, negation, hedges.

Each check extracts simple, robust features from the derived side and the original side of
a link (both may hold several sentences) and flags differences that change what a rendering
says: a number that differs (8000 vs 800), a date that differs, a name missing or changed,
a negation flipped, a hedge dropped or added ("soll" -> "ist", "may" -> "is"). Word lists
live in ``resources/<lang>/align_*.txt``; a language without lists gets only the checks
that need none (numbers written in digits, acronyms).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from quellenlage.align.records import Flag, Link, Sentence, Span
from quellenlage.resources import table, word_list
from quellenlage.tokenize import tokenize

_DIGITS = re.compile(r"\d+(?:[.,  ]\d{3})*(?:[.,]\d+)?")
_DOTTED_DATE = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_ROMAN = re.compile(r"[IVXLC]{1,5}|Il|Ill")
_SENT_START = set('.!?:;"„“”«»([\'')


@dataclass(frozen=True)
class Mention:
    """A feature found in one side: its normalised value and absolute span."""

    value: object
    start: int
    end: int
    text: str

    def span(self) -> Span:
        return Span(self.start, self.end, self.text)


# --- word lists -------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _phrases(lang: str, name: str) -> tuple[tuple[str, ...], ...]:
    """Lower-cased token sequences of a phrase list, longest first."""
    out = []
    for entry in word_list(lang, f"align_{name}"):
        toks = tuple(entry.lower().split())
        if toks:
            out.append(toks)
    return tuple(sorted(set(out), key=len, reverse=True))


@lru_cache(maxsize=None)
def _months(lang: str) -> dict[str, int]:
    return {row[0].lower(): int(row[1]) for row in table(lang, "align_months") if len(row) == 2}


@lru_cache(maxsize=None)
def _scales(lang: str) -> dict[str, float]:
    return {row[0].lower(): float(row[1]) for row in table(lang, "align_scales") if len(row) == 2}


@lru_cache(maxsize=None)
def _not_names(lang: str) -> frozenset[str]:
    return frozenset(word_list(lang, "align_not_names"))


@lru_cache(maxsize=None)
def _gazetteer(lang: str) -> frozenset[str]:
    """Single-word city names (GeoNames) of ``lang`` (English lists for languages without
    their own). Country names are left out: they are translated ("Schweiz"/"Suisse")."""
    names: set[str] = set()
    source = lang if word_list(lang, "ner_loc_cities") else "en"
    for name in ("ner_loc_cities", "ner_loc_geonames"):
        names.update(e for e in word_list(source, name) if " " not in e)
    countries = set(word_list(source, "ner_loc_countries")) | set(word_list("en", "ner_loc_countries"))
    return frozenset(names - countries)


@lru_cache(maxsize=None)
def _first_names(lang: str) -> frozenset[str]:
    source = lang if word_list(lang, "ner_first_names") else "en"
    return frozenset(word_list(source, "ner_first_names")) | frozenset(
        word_list(source, "entities_first_names"))


# --- tokens ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Tok:
    start: int
    end: int
    text: str
    initial: bool  # first word of a sentence (capitalised for grammar, not as a name)


def _tokens(text: str, sentences: list[Sentence]) -> list[_Tok]:
    out: list[_Tok] = []
    for sent in sentences:
        prev = None
        for s, e in tokenize(text, sent.start, sent.end):
            tok = text[s:e]
            initial = prev is None or prev in _SENT_START
            # English n't stays glued to its verb in the shared tokenizer: split it off
            if tok.lower().endswith("n't") and len(tok) > 3:
                out.append(_Tok(s, e - 3, tok[:-3], initial))
                out.append(_Tok(e - 3, e, tok[-3:], False))
            else:
                out.append(_Tok(s, e, tok, initial))
            prev = tok
    return out


def _fold(word: str) -> str:
    word = word.lower().replace("ß", "ss")
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


# --- numbers and dates -------------------------------------------------------------------

def _parse_number(raw: str, lang: str) -> float | None:
    s = raw.replace(" ", "").replace(" ", "").replace(" ", "")
    thousands, decimal = (",", ".") if lang == "en" else (".", ",")
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", s) and (thousands in s):
        s = s.replace(thousands, "")
    s = s.replace(thousands, "") if s.count(thousands) > 1 else s
    s = s.replace(decimal, ".")
    if s.count(".") > 1:
        return None
    try:
        return float(s)
    except ValueError:
        return None


def _word_number(word: str, lang: str) -> float | None:
    if lang not in ("de", "en", "fr", "es", "it", "pt", "nl") or not word.isalpha() or len(word) < 3:
        return None
    from text_to_num import text2num

    try:
        value = text2num(word.lower(), lang)
    except (ValueError, KeyError, IndexError):
        return None
    return float(value) if value > 1 else None


def numbers_and_dates(text: str, toks: list[_Tok], lang: str) -> tuple[list[Mention], list[Mention]]:
    """Numbers (with scale words applied) and date parts (``("year", 1996)``,
    ``("month", 5)``, ``("day-month", (3, 5))``) found in the tokens."""
    numbers: list[Mention] = []
    dates: list[Mention] = []
    used: set[int] = set()
    lo, hi = (toks[0].start, toks[-1].end) if toks else (0, 0)
    for rx, order in ((_DOTTED_DATE, "dmy"), (_ISO_DATE, "ymd")):
        for m in rx.finditer(text, lo, hi):
            d, mo, y = (m.group(1), m.group(2), m.group(3)) if order == "dmy" else (
                m.group(3), m.group(2), m.group(1))
            year = int(y) + (2000 if len(y) == 2 and int(y) < 50 else 1900 if len(y) == 2 else 0)
            dates.append(Mention(("date", (int(d), int(mo), year)), m.start(), m.end(), m.group()))
            used.update(range(m.start(), m.end()))
    months = _months(lang)
    scales = _scales(lang)
    for k, tok in enumerate(toks):
        if tok.start in used:
            continue
        low = tok.text.lower()
        if low in months and (tok.text[0].isupper() or lang == "fr"):
            prev = toks[k - 1] if k else None
            nxt = toks[k + 1] if k + 1 < len(toks) else None
            day_tok = None
            if prev and prev.text == "." and k >= 2 and toks[k - 2].text.isdigit():
                day_tok = toks[k - 2]
            elif prev and prev.text.isdigit() and int(prev.text) <= 31:
                day_tok = prev
            elif nxt and nxt.text.isdigit() and int(nxt.text) <= 31 and lang == "en":
                day_tok = nxt
            if day_tok is not None and day_tok.start not in used:
                s, e = min(day_tok.start, tok.start), max(day_tok.end, tok.end)
                dates.append(Mention(("day-month", (int(day_tok.text), months[low])), s, e, text[s:e]))
                used.update({day_tok.start, tok.start})
            elif tok.text[0].isupper():
                dates.append(Mention(("month", months[low]), tok.start, tok.end, tok.text))
                used.add(tok.start)
            continue
    for k, tok in enumerate(toks):
        if tok.start in used:
            continue
        digits = tok.text[:-1] if tok.text.endswith(".") else tok.text
        if _DIGITS.fullmatch(digits):
            value = _parse_number(digits, lang)
            if value is None:
                continue
            if re.fullmatch(r"1\d{3}|20\d{2}", digits):
                dates.append(Mention(("year", int(digits)), tok.start, tok.end, digits))
                continue
            end = tok.end
            if k + 1 < len(toks) and toks[k + 1].text.lower() in scales:
                value *= scales[toks[k + 1].text.lower()]
                end = toks[k + 1].end
                used.add(toks[k + 1].start)
            elif k + 1 < len(toks) and toks[k + 1].text in ("%", "％"):
                value *= 0.01
                end = toks[k + 1].end
            if end == tok.end:
                end = tok.start + len(digits)
            numbers.append(Mention(round(value, 6), tok.start, end, text[tok.start:end]))
        elif not (lang == "de" and tok.text[:1].isupper() and not tok.initial):
            # a capitalised German number word is a noun ("in Acht nehmen", "die Zwei")
            value = _word_number(tok.text, lang)
            if value is not None:
                end = tok.end
                if k + 1 < len(toks) and toks[k + 1].text.lower() in scales:
                    value *= scales[toks[k + 1].text.lower()]
                    end = toks[k + 1].end
                    used.add(toks[k + 1].start)
                numbers.append(Mention(round(value, 6), tok.start, end, text[tok.start:end]))
    return numbers, dates


# --- names ---------------------------------------------------------------------------------

def _is_acronym(word: str) -> bool:
    """CSTO, MI6, NATO, KNB (mostly capitals), not US-Turkish-Israeli."""
    letters = [c for c in word if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return len(letters) >= 2 and upper >= 2 and upper >= 0.6 * len(letters) and word[0].isupper()


def names(toks: list[_Tok], lang: str, skip: set[int] = frozenset(), *,
          all_capitalised: bool = False) -> list[Mention]:
    """Name-like tokens: acronyms (CSTO, MI6), hyphenated capitals (ISIS-Khorasan), places
    from the gazetteers, and persons (a capitalised word after a known first name). With
    ``all_capitalised`` (same-language pairs outside German) every capitalised word that
    does not start a sentence counts. Names that are translated word by word ("Middle
    East" / "Nahen Osten") cannot be matched across languages, so they are not checked."""
    out = []
    stop = _not_names(lang)
    # German capitalises every noun, and German nouns collide with place names (Bergen,
    # Wetter): there only acronyms, hyphenated capitals and persons count
    gazetteer = _gazetteer(lang) if lang != "de" else frozenset()
    first = _first_names(lang)
    letters = [c for t in toks for c in t.text if c.isalpha()]
    shouting = bool(letters) and sum(c.isupper() for c in letters) > 0.5 * len(letters)
    for k, tok in enumerate(toks):
        w = tok.text
        if not w[:1].isupper() or not any(c.isalpha() for c in w) or w in stop or tok.start in skip:
            continue
        if _ROMAN.fullmatch(w):
            continue
        strong = not shouting and (_is_acronym(w) or bool(
            re.fullmatch(r"[A-ZÄÖÜ]\w*-[A-ZÄÖÜ]\w*", w)) or any(c.isdigit() for c in w))
        person = (k > 0 and toks[k - 1].text in first and toks[k - 1].end + 1 >= tok.start
                  and not tok.initial)
        place = w in gazetteer and not tok.initial
        if strong or place or person or (all_capitalised and not tok.initial and not shouting):
            out.append(Mention(_fold(w), tok.start, tok.end, w))
    return out


_SKELETON = (("sch", "sh"), ("kh", "k"), ("ch", "k"), ("ph", "f"), ("c", "k"), ("z", "s"),
             ("y", "i"), ("j", "i"), ("w", "v"))


def _skeleton(word: str) -> str:
    """A rough transliteration key: Kazakh/kasachisch, Tokayev/Tokajew agree."""
    for a, b in _SKELETON:
        word = word.replace(a, b)
    return re.sub(r"(.)\1", r"\1", word)


def _same_name(a: str, b: str) -> bool:
    a, b = _skeleton(a), _skeleton(b)
    if a == b:
        return True
    if len(a) < 4 or len(b) < 4:
        return False
    if a[:4] == b[:4] or a in b or b in a:
        return True
    # inflected or derived forms: compare with the start of the longer word
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 5:
        return False
    if SequenceMatcher(None, short, long_[:len(short) + 1]).ratio() >= 0.65:
        return True
    # the end of a German compound (Zentralasien / Asia)
    return len(long_) > len(short) + 3 and SequenceMatcher(
        None, short, long_[-len(short) - 1:]).ratio() >= 0.65


def _has_name(name: Mention, toks: list[_Tok]) -> bool:
    """Is ``name`` (or, for a hyphenated name, one of its parts) in ``toks``? Acronyms must
    match exactly (also inside "CSTO-Sondersitzung"), other words loosely (inflection,
    transliteration, German compounds)."""
    parts = [p for p in re.split(r"[-/]", name.text) if sum(c.isalpha() for c in p) >= 2]
    words = [t.text for t in toks if any(c.isalpha() for c in t.text)]
    pieces = {_fold(p) for w in words for p in re.split(r"[-/]", w) if p}
    for part in parts or [name.text]:
        if _is_acronym(part):
            if _fold(part) in pieces:
                return True
        elif any(_same_name(_fold(part), _fold(w)) for w in words):
            return True
    return False


# --- word-list features ----------------------------------------------------------------------

def phrase_mentions(toks: list[_Tok], lang: str, name: str, skip: set[int]) -> list[Mention]:
    phrases = _phrases(lang, name)
    low = [t.text.lower() for t in toks]
    out = []
    k = 0
    while k < len(toks):
        hit = None
        if toks[k].start not in skip:
            for phrase in phrases:
                if tuple(low[k:k + len(phrase)]) == phrase:
                    hit = phrase
                    break
        if hit:
            s, e = toks[k].start, toks[k + len(hit) - 1].end
            out.append(Mention(" ".join(hit), s, e, " ".join(t.text for t in toks[k:k + len(hit)])))
            k += len(hit)
        else:
            k += 1
    return out


# --- the check ---------------------------------------------------------------------------------

def _whole(text: str, sents: list[Sentence]) -> tuple[Span, ...]:
    return tuple(Span(s.start, s.end, text[s.start:s.end]) for s in sents)


def _diff(values_d: list[Mention], values_o: list[Mention]) -> tuple[list[Mention], list[Mention]]:
    """Mentions of each side with no equal value on the other (multiset difference)."""
    rest_o = list(values_o)
    only_d = []
    for m in values_d:
        for k, o in enumerate(rest_o):
            if o.value == m.value:
                del rest_o[k]
                break
        else:
            only_d.append(m)
    return only_d, rest_o


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def check_pair(derived_text: str, original_text: str, sents_d: list[Sentence],
               sents_o: list[Sentence], lang_d: str, lang_o: str) -> list[Flag]:
    """Fidelity flags for one aligned pair of sentence groups."""
    toks_d, toks_o = _tokens(derived_text, sents_d), _tokens(original_text, sents_o)
    whole_d, whole_o = _whole(derived_text, sents_d), _whole(original_text, sents_o)
    flags: list[Flag] = []

    nums_d, dates_d = numbers_and_dates(derived_text, toks_d, lang_d)
    nums_o, dates_o = numbers_and_dates(original_text, toks_o, lang_o)
    for kind, side_d, side_o in (("number", nums_d, nums_o), ("date", dates_d, dates_o)):
        only_d, only_o = _diff(side_d, side_o)
        if kind == "date":  # a bare month or year matches a fuller date with the same part
            only_d = [m for m in only_d if not _date_covered(m, side_o)]
            only_o = [m for m in only_o if not _date_covered(m, side_d)]
        while only_d and only_o:
            d, o = only_d.pop(0), only_o.pop(0)
            flags.append(Flag(kind, "changed", f"{kind} differs: '{d.text}' vs '{o.text}' in the original",
                              (d.span(),), (o.span(),)))
        for d in only_d:
            flags.append(Flag(kind, "added", f"{kind} '{d.text}' is not in the original",
                              (d.span(),), whole_o))
        for o in only_o:
            flags.append(Flag(kind, "missing", f"{kind} '{o.text}' of the original is left out",
                              whole_d, (o.span(),)))

    date_chars_d = {i for m in dates_d for i in range(m.start, m.end)}
    date_chars_o = {i for m in dates_o for i in range(m.start, m.end)}
    same = lang_d == lang_o and lang_d != "de"
    names_d = names(toks_d, lang_d, date_chars_d, all_capitalised=same)
    names_o = names(toks_o, lang_o, date_chars_o, all_capitalised=same)
    missing = _unique([o for o in names_o if not _has_name(o, toks_d)])
    added = _unique([d for d in names_d if not _has_name(d, toks_o)])
    while missing and added:
        d, o = added.pop(0), missing.pop(0)
        flags.append(Flag("entity", "changed", f"name '{d.text}' where the original has '{o.text}'",
                          (d.span(),), (o.span(),)))
    for o in missing:
        flags.append(Flag("entity", "missing", f"name '{o.text}' of the original is left out",
                          whole_d, (o.span(),)))
    for d in added:
        flags.append(Flag("entity", "added", f"name '{d.text}' is not in the original",
                          (d.span(),), whole_o))

    for kind in ("negation", "hedges"):
        ment_d = _negation_filter(phrase_mentions(toks_d, lang_d, kind, date_chars_d), toks_d,
                                  lang_d, kind)
        ment_o = _negation_filter(phrase_mentions(toks_o, lang_o, kind, date_chars_o), toks_o,
                                  lang_o, kind)
        label = "negation" if kind == "negation" else "hedge"
        if not _phrases(lang_d, kind) or not _phrases(lang_o, kind):
            continue
        if ment_o and not ment_d:
            change = "dropped"
            msg = (f"the original is negated ('{ment_o[0].text}'), the derived text is not"
                   if label == "negation" else
                   f"hedge '{ment_o[0].text}' of the original is dropped")
            flags.append(Flag(label, change, msg, whole_d, tuple(m.span() for m in ment_o)))
        elif ment_d and not ment_o:
            change = "added"
            msg = (f"the derived text is negated ('{ment_d[0].text}'), the original is not"
                   if label == "negation" else f"hedge '{ment_d[0].text}' is not in the original")
            flags.append(Flag(label, change, msg, tuple(m.span() for m in ment_d), whole_o))
    return flags


def _negation_filter(mentions: list[Mention], toks: list[_Tok], lang: str,
                     kind: str) -> list[Mention]:
    """French "pas", "rien", "jamais" negate only with "ne"/"n'" ("empreintes de pas")."""
    if kind != "negation" or lang != "fr":
        return mentions
    has_ne = any(t.text.lower() in ("ne", "n") or t.text.lower().startswith(("n'", "n’"))
                 for t in toks)
    return [m for m in mentions if has_ne or m.value == "sans"]


def _unique(mentions: list[Mention]) -> list[Mention]:
    seen: set = set()
    out = []
    for m in mentions:
        if m.value not in seen:
            seen.add(m.value)
            out.append(m)
    return out


def _date_covered(m: Mention, others: list[Mention]) -> bool:
    kind, value = m.value
    for o in others:
        okind, ovalue = o.value
        if okind == "date":
            d, mo, y = ovalue
            if (kind == "year" and value == y) or (kind == "month" and value == mo) or (
                    kind == "day-month" and value == (d, mo)):
                return True
        if okind == "day-month" and kind == "month" and value == ovalue[1]:
            return True
        if kind == "date" and okind in ("year", "month", "day-month"):
            d, mo, y = value
            if (okind == "year" and ovalue == y) or (okind == "month" and ovalue == mo) or (
                    okind == "day-month" and ovalue == (d, mo)):
                return True
        if kind == "day-month" and okind == "month" and value[1] == ovalue:
            return True
    return False


def check_link(link: Link, derived_text: str, original_text: str, sents_d: list[Sentence],
               sents_o: list[Sentence], lang_d: str, lang_o: str) -> Link:
    """``link`` with its fidelity flags (only matched links are checked)."""
    if not link.derived or not link.original:
        return link
    flags = check_pair(derived_text, original_text, [sents_d[i] for i in link.derived],
                       [sents_o[j] for j in link.original], lang_d, lang_o)
    return Link(link.derived, link.original, link.score, tuple(flags))
