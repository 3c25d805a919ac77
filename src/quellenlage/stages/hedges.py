"""hedges: speculative (dürfte, wohl; may, might), uncertain (scheint, offenbar; apparently),
reportative (soll, angeblich; reportedly, allegedly) cues, and questions.

Word lists live in ``resources/<lang>/hedges_<kind>.txt``. German "sollte" is deontic ("should")
and not in the reportative list; "soll"/"sollen" are.
"""

from __future__ import annotations

import re

from quellenlage.document import Document
from quellenlage.report import Hedge
from quellenlage.resources import phrase_regex

KINDS = ("speculative", "uncertain", "reportative")
# German "mag"/"mögen" hedge only as the epistemic modal ("Es mag die letzte gewesen sein", "das
# mag stimmen", "mag zwar"), not as "like" ("ein Land, das seine Tugenden nicht mag").
_DE_MOEGEN = re.compile(r"(?i)mag|mögen")
_DE_MOEGEN_EPISTEMIC = re.compile(
    r"(?i)^[^,.;:!?]{0,60}?\b(?:sein|haben|stimmen|zutreffen|gelten|zwar|durchaus|schon|richtig|wahr)\b")


def find_hedges(text: str, lang: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    end = len(text) if end is None else end
    lang = lang if lang in ("de", "en") else "en"
    found = []
    for kind in KINDS:
        for m in phrase_regex(lang, f"hedges_{kind}").finditer(text, start, end):
            if lang == "de" and _DE_MOEGEN.fullmatch(m.group(0)) and not _DE_MOEGEN_EPISTEMIC.match(text[m.end():end]):
                continue
            if not any(m.start() < e and s < m.end() for s, e, _ in found):
                found.append((m.start(), m.end(), kind))
    stripped = text[start:end].rstrip(" \"'”“»)")
    if stripped.endswith("?"):
        q = start + len(stripped) - 1
        found.append((q, q + 1, "question"))
    return sorted(found)


class HedgesStage:
    name = "hedges"
    requires = ("sentences",)
    provides = ("hedges",)

    def __call__(self, doc: Document) -> Document:
        records: list[Hedge] = []
        for sentence in doc.layer("sentences"):
            if sentence.role in ("elision", "boilerplate", "citation"):
                continue
            for s, e, kind in find_hedges(doc.text, sentence.language, sentence.start, sentence.end):
                records.append(Hedge(id=doc.next_id("h"), start=s, end=e, text=doc.text[s:e], kind=kind))
        doc.set_layer("hedges", records)
        doc.backends[self.name] = "word lists"
        return doc
