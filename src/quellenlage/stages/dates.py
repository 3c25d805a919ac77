"""dates: absolute and relative date expressions normalised to ISO 8601.

Values: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, ``YYYY-MM-DDTHH:MM``, ISO weeks ``YYYY-Www``, and
intervals ``A/B`` (``..`` for an open end: "seit 2005" -> ``2005/..``). Relative expressions ("im
letzten November", "am Montag", "vor drei Jahren") are resolved against the document's reference
date; without one they keep a TIMEX-style placeholder (``XXXX-11``) and ``relative: true``.

Rules, not dateparser: dateparser drops "Ende", "seit", "letzten" and "vor", and is too slow for
the pipeline's speed target. Month and weekday names and date words live in resources/<lang>/.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from quellenlage.document import Document
from quellenlage.report import DateExpr
from quellenlage.resources import phrase_regex, table


@dataclass(frozen=True)
class _Lang:
    months: dict[str, int]
    weekdays: dict[str, int]
    words: dict[str, str]
    numbers: dict[str, int]
    patterns: tuple[tuple[str, re.Pattern], ...]
    trigger: re.Pattern  # a digit, or any month, weekday or date word


def _alt(names) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


@lru_cache(maxsize=None)
def _lang(lang: str) -> _Lang:
    months = {k.lower(): int(v) for k, v in table(lang, "months")}
    weekdays = {k.lower(): int(v) for k, v in table(lang, "weekdays")}
    words = {k.lower(): v for k, v in table(lang, "date_words")}
    numbers = {k.lower(): int(v) for k, v in table(lang, "number_words")}
    M = _alt(months) + r"(?!\w)"
    W = _alt(weekdays) + r"s?\b"
    past = _alt(w for w, m in words.items() if m in ("past", "future", "this"))
    part = _alt(w for w, m in words.items() if m.startswith("part:"))
    since = _alt(w for w, m in words.items() if m == "since")
    days = _alt(w for w, m in words.items() if m.startswith("day:"))
    units = _alt(w for w, m in words.items() if m.startswith("unit:"))
    nums = _alt(numbers)
    Y = r"(?:1[89]|20)\d\d"
    time = r"(?:,?\s+(?:um\s+|at\s+)?(?P<hh>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d)(?:\s*Uhr)?)?"
    if lang == "de":
        ago = rf"\bvor\s+(?P<n>\d+|{nums})\s+(?P<unit>{units})\b"
        year_ctx = r"\b(?:im\s+Jahr(?:e)?|im|in|bis|ab|von|seit|nach|vor|bis\s+zum\s+Jahr)\s+"
    else:
        ago = rf"\b(?P<n>\d+|{nums})\s+(?P<unit>{units})\s+ago\b"
        # "the 2016 election", "a 1963 speech", "his 1999 bid", "between 2006 and 2012", "fiscal 2016"
        year_ctx = (r"\b(?:in|by|until|from|before|after|since|during|of|the|a|an|his|her|its|their|our|my|any|"
                    r"every|this|that|fiscal|between|through|and)\s+")
    patterns = [
        ("numeric", re.compile(rf"\b(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>{Y}|\d\d)\b{time}")),
        ("iso", re.compile(rf"\b(?P<y>{Y})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:[T ](?P<hh>[0-2]\d):(?P<mi>[0-5]\d))?\b")),
        ("us", re.compile(rf"\b(?P<mn>{M})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>{Y})\b", re.I)),
        ("dmy", re.compile(rf"\b(?P<d>[0-3]?\d)(?:\.|st|nd|rd|th)?\s+(?:of\s+)?(?P<mn>{M})(?:,?\s+(?P<y>{Y})\b)?", re.I)),
        # English month-day without a year ("on Sept. 30", "June 3rd"); the month capitalised
        # (checked in _resolve: not "may 5")
        *([("md", re.compile(rf"\b(?P<mn>{M})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?![.,]?\d)", re.I))]
          if lang == "en" else []),
        ("part", re.compile(rf"\b(?P<part>{part})(?:\s+|-)(?:(?P<mn>{M})\s+)?(?P<y>{Y})\b", re.I)),
        # "Ende März", "early May" without a year: the nearest such month
        ("partmonth", re.compile(rf"\b(?P<part>{part})(?:\s+|-)(?P<mn>{M})", re.I)),
        ("since", re.compile(rf"\b(?P<since>{since})\s+(?:dem\s+Jahr(?:e)?\s+|(?P<mn>{M})\s+)?(?P<y>{Y})\b", re.I)),
        ("sincemonth", re.compile(rf"\b(?P<since>{since})\s+(?:dem\s+)?(?P<mn>{M})", re.I)),
        ("monthyear", re.compile(rf"\b(?P<mn>{M})\s+(?P<y>{Y})\b", re.I)),
        ("relmonth", re.compile(rf"\b(?P<rel>{past})\s+(?P<mn>{M})", re.I)),
        ("relweekday", re.compile(rf"\b(?P<rel>{past})\s+(?P<wd>{W})", re.I)),
        ("relunit", re.compile(rf"\b(?P<rel>{past})\s+(?P<unit>{units})\b", re.I)),
        ("ago", re.compile(ago, re.I)),
        ("day", re.compile(rf"\b(?P<day>{days})\b", re.I)),
        ("month", re.compile(rf"\b(?:im|in|Im|In)\s+(?P<mn>{M})", re.I)),
        ("weekday", re.compile(rf"\b(?P<prep>am|vom|von|seit|on|since|last)\s+(?P<wd>{W})", re.I)),
        ("year", re.compile(rf"{year_ctx}(?P<y>{Y})\b", re.I)),
        # German: a year without a preposition before a verb or a clause's end ("die Preise würden
        # 2024 sinken", "2023 war ..."); before a noun or a unit, or after "auf", "rund", "über" ..., it
        # is a number ("2024 Menschen", "stieg auf 2021")
        *([("year", re.compile(rf"(?<![\d.,/-])(?<!auf )(?<!um )(?<!rund )(?<!etwa )(?<!knapp )(?<!über )"
                                rf"(?<!unter )(?<!fast )(?<!ca\. )(?<!als )(?P<y>{Y})\b(?![.,:/-]\d|%)"
                                rf"(?=\s+(?!(?:km|m|kg|t|mm|cm|ha|mal|und|oder|bis)\b)[a-zäöüß]|\s*[,;.!?)]|\s*$)"))]
          if lang == "de" else []),
    ]
    trigger = re.compile(r"\d|\b(?:" + "|".join(re.escape(w) for w in sorted(
        set(months) | set(weekdays) | {w for w in words if words[w].startswith(("day:", "unit:"))},
        key=len, reverse=True)) + r")", re.IGNORECASE)
    return _Lang(months, weekdays, words, numbers, tuple(patterns), trigger)


# Days of a month for "Anfang/Mitte/Ende <month>" ("early/mid/late").
_PART_DAYS = {"part:1-3": (1, 10), "part:5-8": (11, 20), "part:10-12": (21, 31)}


def parse_reference(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 and len(text) == 2 else y


def _month_near(month: int, ref: dt.date, direction: str) -> tuple[int, int]:
    if direction == "past":
        year = ref.year if month < ref.month else ref.year - 1
    elif direction == "future":
        year = ref.year if month > ref.month else ref.year + 1
    elif direction == "this":
        year = ref.year
    else:  # nearest occurrence
        candidates = [(abs((y * 12 + month) - (ref.year * 12 + ref.month)), y) for y in (ref.year - 1, ref.year, ref.year + 1)]
        year = min(candidates)[1]
    return year, month


def _add_months(d: dt.date, months: int) -> dt.date:
    total = d.year * 12 + d.month - 1 + months
    y, m = divmod(total, 12)
    return dt.date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _resolve(kind: str, g: dict, L: _Lang, ref: dt.date | None, future: bool = False) -> tuple[str, bool] | None:
    """ISO value and relative flag for one match, or None when the match is not a date."""
    month = L.months.get(g["mn"].lower()) if g.get("mn") else None
    if kind == "md" and not g["mn"][:1].isupper():
        return None
    if kind in ("numeric", "iso", "us", "dmy", "md"):
        try:
            m = month or int(g["m"])
            d = int(g["d"])
            if g.get("y"):
                y = _year(g["y"])
                relative = False
            elif ref is not None:
                y = _month_near(m, ref, "nearest")[0]
                relative = True
            else:
                return (f"XXXX-{m:02d}-{d:02d}", True)
            value = dt.date(y, m, d).isoformat()
        except (ValueError, TypeError):
            return None
        if g.get("hh"):
            value += f"T{int(g['hh']):02d}:{g['mi']}"
        return value, relative
    if kind == "part":
        y = int(g["y"])
        if month:
            lo, hi = _PART_DAYS.get(L.words[g["part"].lower()], (1, 31))
            hi = min(hi, calendar.monthrange(y, month)[1])
            return f"{y}-{month:02d}-{lo:02d}/{y}-{month:02d}-{hi:02d}", False
        lo, hi = (int(x) for x in L.words[g["part"].lower()].split(":")[1].split("-"))
        return f"{y}-{lo:02d}/{y}-{hi:02d}", False
    if kind == "partmonth":
        lo, hi = _PART_DAYS.get(L.words[g["part"].lower()], (0, 0))
        if not lo:
            return None  # a season word before a month name
        if ref is None:
            return f"XXXX-{month:02d}-{lo:02d}/XXXX-{month:02d}-{hi:02d}", True
        y, m = _month_near(month, ref, "nearest")
        hi = min(hi, calendar.monthrange(y, m)[1])
        return f"{y}-{m:02d}-{lo:02d}/{y}-{m:02d}-{hi:02d}", True
    if kind == "since":
        start = f"{int(g['y'])}-{month:02d}" if month else g["y"]
        return f"{start}/..", False
    if kind == "sincemonth":
        if ref is None:
            return f"XXXX-{month:02d}/..", True
        y, m = _month_near(month, ref, "past" if month != ref.month else "this")
        return f"{y}-{m:02d}/..", True
    if kind == "monthyear":
        return f"{int(g['y'])}-{month:02d}", False
    if kind == "year":
        return g["y"], False
    if kind in ("relmonth", "month"):
        direction = L.words.get((g.get("rel") or "").lower(), "nearest")
        if ref is None:
            return f"XXXX-{month:02d}", True
        y, m = _month_near(month, ref, direction)
        return f"{y}-{m:02d}", True
    if kind in ("relweekday", "weekday"):
        name = g["wd"].lower()
        wd = L.weekdays.get(name, L.weekdays.get(name[:-1]))
        if wd is None:
            return None
        default = "future" if future and kind == "weekday" and g.get("prep", "").lower() in ("am", "on") else "past"
        direction = L.words.get((g.get("rel") or "").lower(), default)
        if ref is None:
            return f"XXXX-WXX-{wd + 1}", True
        delta = (ref.weekday() - wd) % 7
        if direction == "future":
            target = ref + dt.timedelta(days=(wd - ref.weekday()) % 7 or 7)
        elif direction == "this":
            target = ref - dt.timedelta(days=ref.weekday() - wd)
        else:
            target = ref - dt.timedelta(days=delta or 7 if g.get("rel") else delta)
        return target.isoformat(), True
    if kind == "day":
        offset = int(L.words[g["day"].lower()].split(":")[1])
        if ref is None:
            return "XXXX-XX-XX", True
        return (ref + dt.timedelta(days=offset)).isoformat(), True
    if kind in ("relunit", "ago"):
        unit = L.words[g["unit"].lower()].split(":")[1]
        if kind == "ago":
            raw = g["n"].lower()
            n = int(raw) if raw.isdigit() else L.numbers.get(raw, 1)
            sign = -n
        else:
            sign = {"past": -1, "future": 1, "this": 0}[L.words[g["rel"].lower()]]
        if ref is None:
            return {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "month": "XXXX-XX", "year": "XXXX"}[unit], True
        if unit == "day":
            return (ref + dt.timedelta(days=sign)).isoformat(), True
        if unit == "week":
            y, w, _ = (ref + dt.timedelta(weeks=sign)).isocalendar()
            return f"{y}-W{w:02d}", True
        if unit == "month":
            d = _add_months(ref, sign)
            return f"{d.year}-{d.month:02d}", True
        return str(ref.year + sign), True
    return None


def find_dates(text: str, lang: str, reference: dt.date | None, start: int = 0, end: int | None = None
               ) -> list[tuple[int, int, str, bool]]:
    """``(start, end, iso_value, relative)`` for the date expressions in ``text[start:end]``."""
    lang = lang if lang in ("de", "en") else "en"
    L = _lang(lang)
    end = len(text) if end is None else end
    if not L.trigger.search(text, start, end):  # no digit and no date word: nothing to find
        return []
    future = bool(phrase_regex(lang, "date_future_markers").search(text, start, end))
    found: list[tuple[int, int, str, bool]] = []
    taken: list[tuple[int, int]] = []
    candidates = []
    for kind, pattern in L.patterns:
        for m in pattern.finditer(text, start, end):
            candidates.append((m.start(), -(m.end() - m.start()), kind, m))
    for _s, _neg, kind, m in sorted(candidates, key=lambda c: (c[1], c[0])):
        s, e = m.span()
        if any(s < te and ts < e for ts, te in taken):
            continue
        resolved = _resolve(kind, m.groupdict(), L, reference, future)
        if resolved is None:
            continue
        taken.append((s, e))
        found.append((s, e, resolved[0], resolved[1]))
    return sorted(found)


class DatesStage:
    name = "dates"
    requires = ("sentences",)
    provides = ("dates",)

    def __call__(self, doc: Document) -> Document:
        ref = parse_reference(doc.meta.reference_date)
        records: list[DateExpr] = []
        for sentence in doc.layer("sentences"):
            if sentence.role in ("elision", "boilerplate"):
                continue
            for s, e, value, relative in find_dates(doc.text, sentence.language, ref, sentence.start, sentence.end):
                records.append(DateExpr(id=doc.next_id("d"), start=s, end=e, text=doc.text[s:e],
                                        value=value, relative=relative))
        doc.set_layer("dates", records)
        doc.backends[self.name] = "rules"
        return doc
