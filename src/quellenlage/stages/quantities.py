"""quantities: numbers in digits and words, with their value and the counted thing or unit.

"22 Amerikaner" -> 22 (Amerikaner); "8.000" -> 8000 (German thousands); "2,5 Millionen" -> 2.5e6;
"zweiundzwanzig" -> 22 (text2num); "two dozen" -> 24; "40 Prozent" -> 40 (%). Numbers that are
part of a date expression, a time, a URL or a name ("MI6") are not quantities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from quellenlage.document import Document, SpanIndex
from quellenlage.report import Quantity
from quellenlage.resources import table, word_list
from quellenlage.tokenize import tokenize

_DE_NUMBER_PART = ("ein|eins|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|dreizehn|vierzehn|"
                   "fünfzehn|sechzehn|siebzehn|achtzehn|neunzehn|zwanzig|dreißig|vierzig|fünfzig|sechzig|"
                   "siebzig|achtzig|neunzig|hundert|tausend|und")
_EN_NUMBER_WORD = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
                   "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
                   "hundred|thousand")
_WORD_AFTER = re.compile(r"\s*([\w.]+)")
_ADJECTIVE_END = re.compile(r"(?:ische|ischen|ischer|isches|igen|ige|iger|liche|lichen|licher|ierte|ierten|e|en|er)$")


@dataclass(frozen=True)
class _Lang:
    digits: re.Pattern
    words: re.Pattern
    scales: dict[str, float]
    units: dict[str, str]
    stop: frozenset[str]
    decimal: str
    thousands: str


@lru_cache(maxsize=None)
def _lang(lang: str) -> _Lang:
    scales = {k.lower(): float(v) for k, v in table(lang, "quantity_scales")}
    units = {k.lower(): v for k, v in table(lang, "quantity_units")}
    stop = frozenset(w.lower() for w in word_list(lang, "stopwords"))
    if lang == "de":
        digits = re.compile(r"(?<![\w.,/:-])(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?![\w:]|[.,]\d)")
        words = re.compile(rf"(?<!\w)(?:{_DE_NUMBER_PART})+(?!\w)", re.IGNORECASE)
        return _Lang(digits, words, scales, units, stop, ",", ".")
    digits = re.compile(r"(?<![\w.,/:-])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\w:]|[.,]\d)")
    words = re.compile(rf"(?<!\w)(?:{_EN_NUMBER_WORD})(?:(?:[\s-]+|\s+and\s+)(?:{_EN_NUMBER_WORD}))*(?!\w)",
                       re.IGNORECASE)
    return _Lang(digits, words, scales, units, stop, ".", ",")


def _word_value(text: str, lang: str) -> float | None:
    from text_to_num import text2num

    cleaned = text.lower().replace("-", " ") if lang == "en" else text.lower()
    if cleaned in ("ein", "eins", "und", "one") or cleaned.endswith("und"):
        return None
    try:
        return float(text2num(cleaned, lang))
    except ValueError:
        return None


def _counted(text: str, pos: int, end: int, L: _Lang, lang: str) -> tuple[str | None, int]:
    """The unit or counted thing after ``pos``: (label, end offset of the quantity)."""
    toks = tokenize(text, pos, min(end, pos + 80))
    if not toks:
        return None, pos
    first = text[toks[0][0]:toks[0][1]]
    two = f"{first} {text[toks[1][0]:toks[1][1]]}" if len(toks) > 1 else ""
    if two.lower() in L.units:
        return L.units[two.lower()], toks[1][1]
    if first.lower() in L.units or first in L.units:
        return L.units.get(first.lower(), L.units.get(first)), toks[0][1]
    for s, e in toks[:4]:
        word = text[s:e]
        if not word[0].isalpha():
            return None, pos
        if word.lower() in L.stop:
            continue
        if lang == "de":
            if _ADJECTIVE_END.search(word) and (word[0].islower() or "-" in word):
                continue  # an adjective before the noun ("8000 Salafi-jihadistische Kämpfer")
            if word[0].isupper():
                return word, e
            return None, pos
        return word, e
    return None, pos


def find_quantities(text: str, lang: str, start: int = 0, end: int | None = None,
                    exclude: list[tuple[int, int]] | SpanIndex = ()) -> list[tuple[int, int, float, str | None]]:
    """``(start, end, value, unit)`` for the quantities in ``text[start:end]``, none overlapping a
    span of ``exclude`` (the dates; a SpanIndex when called per sentence of a document)."""
    L = _lang(lang if lang in ("de", "en") else "en")
    end = len(text) if end is None else end
    found = []
    candidates = []
    for m in L.digits.finditer(text, start, end):
        raw = m.group(0).replace(L.thousands, "").replace(L.decimal, ".")
        try:
            candidates.append((m.start(), m.end(), float(raw), True))
        except ValueError:
            continue
    for m in L.words.finditer(text, start, end):
        value = _word_value(m.group(0), lang)
        if value is not None:
            candidates.append((m.start(), m.end(), value, False))
    if not isinstance(exclude, SpanIndex):
        exclude = SpanIndex((xs, xe, None) for xs, xe in exclude)
    taken = SpanIndex()
    for s, e, value, is_digit in sorted(candidates):
        if exclude.overlaps(s, e) or taken.overlaps(s, e):
            continue
        # A currency sign before the number.
        unit = None
        before = text[max(start, s - 2):s].strip()
        if before in ("$", "€", "£"):
            unit = L.units[before]
            s = text.rfind(before, start, s)
        # Scale word after the number ("2,5 Millionen", "two dozen").
        after = _WORD_AFTER.match(text, e, end)
        if after and after.group(1).lower() in L.scales and (after.group(1)[0].isupper() or lang == "en"):
            value *= L.scales[after.group(1).lower()]
            e = after.end()
        label, _unit_end = _counted(text, e, end, L, lang)
        if unit is None:
            unit = label
        found.append((s, e, value, unit))
        taken.add(s, e)
    return found


class QuantitiesStage:
    name = "quantities"
    requires = ("sentences", "dates")
    provides = ("quantities",)

    def __call__(self, doc: Document) -> Document:
        dates = SpanIndex((d.start, d.end, None) for d in doc.layer("dates"))
        records: list[Quantity] = []
        for sentence in doc.layer("sentences"):
            if sentence.role in ("elision", "boilerplate", "citation"):
                continue
            for s, e, value, unit in find_quantities(doc.text, sentence.language, sentence.start, sentence.end, dates):
                records.append(Quantity(id=doc.next_id("q"), start=s, end=e, text=doc.text[s:e],
                                        value=int(value) if value.is_integer() else value, unit=unit))
        doc.set_layer("quantities", records)
        doc.backends[self.name] = "rules+text2num"
        return doc
