"""Metadata found in the text itself: cited URLs, a cited work's title and author, forum edit
notes and publication dates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from quellenlage.report import CitedWork
from quellenlage.resources import SUPPORTED_LANGUAGES, phrase_regex
from quellenlage.stages.dates import find_dates

URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'\])]+[^\s<>\"'\]).,;:!?]")
_NAME = r"(?P<name>[A-ZÄÖÜ][\w'’-]+(?:\s+(?:von\s+|van\s+|de\s+|al-)?[A-ZÄÖÜ][\w'’-]+){0,3})"


@dataclass
class TextMetadata:
    cited: list[CitedWork] = field(default_factory=list)
    edited: str | None = None
    published: str | None = None


def _line_at(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end < 0 else end


def _next_line(text: str, offset: int) -> tuple[int, int] | None:
    _s, end = _line_at(text, offset)
    if end >= len(text):
        return None
    start = end + 1
    while start < len(text) and text[start] in " \t\n":
        start += 1
    if start >= len(text):
        return None
    return _line_at(text, start)


def find_metadata(text: str) -> TextMetadata:
    meta = TextMetadata()
    langs = SUPPORTED_LANGUAGES
    # Edit notes and publication lines: the date on the same line.
    for lang in langs:
        for m in phrase_regex(lang, "edit_notes").finditer(text):
            ls, le = _line_at(text, m.start())
            dates = [d for d in find_dates(text, lang, None, ls, le) if "T" in d[2] or d[2].count("-") == 2]
            if dates:
                meta.edited = max(meta.edited or "", dates[-1][2])
        for m in phrase_regex(lang, "published_cues", suffix="").finditer(text):
            ls, le = _line_at(text, m.start())
            dates = [d for d in find_dates(text, lang, None, m.end(), le) if not d[3]]
            if dates and meta.published is None:
                meta.published = dates[0][2]
    # A dateline: a short first line that is only a place and a date ("Berlin, 14. März 2023").
    first = re.match(r"\s*([^\n]{4,60})\n", text)
    if meta.published is None and first:
        line_start, line_end = first.span(1)
        for lang in langs:
            dates = [d for d in find_dates(text, lang, None, line_start, line_end) if not d[3]]
            rest = (text[line_start:dates[0][0]] + text[dates[0][1]:line_end]).strip(" ,·-–|") if dates else "x" * 40
            if dates and len(rest.split()) <= 3:
                meta.published = dates[0][2]
                break
    # A cited work announced by a title cue: author before the cue, title after it (same line
    # after a colon/quotes, else the next line).
    for lang in langs:
        for m in phrase_regex(lang, "citation_title_cues", suffix="").finditer(text):
            ls, le = _line_at(text, m.start())
            rest = text[m.end():le].strip(" :\t")
            title_span = None
            if rest.strip("\"'„“”«»‚‘’ "):
                q = re.search(r"[\"„“«‚‘']([^\"“”«»‚‘’']{3,})[\"“”»‘’']", text[m.end():le])
                if q:
                    title_span = (m.end() + q.start(1), m.end() + q.end(1))
                elif not URL.match(rest):
                    off = text.index(rest, m.end())
                    title_span = (off, off + len(rest))
            else:
                nxt = _next_line(text, m.start())
                if nxt and not URL.match(text[nxt[0]:nxt[1]]) and len(text[nxt[0]:nxt[1]]) < 200:
                    title_span = nxt
            author = None
            before = text[ls:m.start()]
            for cue in phrase_regex(lang, "citation_author_cues", suffix="").finditer(before):
                name = re.search(_NAME + r"\s*$", before[:cue.start()].rstrip())
                if name:
                    author = name.group("name")
                else:
                    name = re.match(r"\s*" + _NAME, before[cue.end():])
                    if name:
                        author = name.group("name")
                break
            if author is None:
                lead = re.match(r"\s*" + _NAME + r"\s+(?:hat|has|wrote|schrieb|schreibt|writes)\b", before)
                author = lead.group("name") if lead else None
            work = CitedWork(author=author, start=ls, end=title_span[1] if title_span else le)
            if title_span:
                work.title = text[title_span[0]:title_span[1]].strip()
            # The URL on the title's line or the line after it belongs to the work.
            search_from = title_span[1] if title_span else le
            nxt = _next_line(text, search_from - 1) if title_span else None
            for span in filter(None, [(search_from, _line_at(text, search_from)[1]), nxt]):
                u = URL.search(text, span[0], span[1])
                if u:
                    work.url = u.group(0)
                    work.end = u.end()
                    break
            meta.cited.append(work)
    # Every other URL in the text is a cited URL.
    known = {w.url for w in meta.cited if w.url}
    for u in URL.finditer(text):
        if u.group(0) not in known:
            known.add(u.group(0))
            meta.cited.append(CitedWork(url=u.group(0), start=u.start(), end=u.end()))
    meta.cited.sort(key=lambda w: (w.start if w.start is not None else 0))
    return meta
