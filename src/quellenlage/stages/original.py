"""original: when the original article is given (``analyze --original``), the relayed/author
roles of the derived text come from the sentence alignment of :mod:`quellenlage.align`
instead of the voices stage's heuristics, and each sentence records the original sentences it
renders (the claims stage copies them into ``claim.original``).

Only sentences that the voices stage called ``author`` or ``relayed`` are decided here; meta
remarks, elisions, citations and boilerplate keep their roles.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from quellenlage.document import Document
from quellenlage.report import CitedWork, Source


@dataclass
class OriginalStage:
    original: str | Path
    allow_private: bool = False
    name: str = "original"
    requires: tuple[str, ...] = ("sentences", "roles", "sources")
    provides: tuple[str, ...] = ("original_links",)

    def __call__(self, doc: Document) -> Document:
        from quellenlage.align import align_sentences
        from quellenlage.align.segment import split
        from quellenlage.errors import EmptyInputError
        from quellenlage.ingest import load_document
        from quellenlage.langid import detect_document_language

        original = load_document(self.original, allow_private=self.allow_private)
        lang, _ = detect_document_language(original.text)
        spans = split(original.text, lang if lang in ("de", "en") else "en")  # as `quellenlage compare` splits
        if not spans:
            raise EmptyInputError("the original text has no sentences")
        sentences = doc.layer("sentences")
        candidates = [s for s in sentences if s.role in ("author", "relayed")]
        links = align_sentences([s.text for s in candidates], [original.text[a:b] for a, b in spans])
        sources: list[Source] = doc.layer("sources")
        url = original.meta.url or (str(self.original) if str(self.original).startswith("http") else None)
        relay = next((src for src in sources if src.kind == "cited_work"), None)
        if relay is None:
            relay = Source(id=doc.next_id("S"), kind="cited_work", name=original.meta.title or "the original",
                           description="the original given with --original", url=url, via=sources[0].id)
            sources.append(relay)
        if url and not any(w.url == url for w in doc.meta.cited):
            doc.meta.cited.append(CitedWork(url=url, title=original.meta.title, author=original.meta.author))
        mapping: dict[str, list[int]] = {}
        for link in links:
            for i in link.derived:
                s = candidates[i]
                if link.original:
                    s.role, s.voice = "relayed", relay.id
                    s.role_reason = f"renders original sentence(s) {', '.join(str(j) for j in link.original)} " \
                                    f"(alignment confidence {link.score:.2f})"
                    mapping[s.id] = list(link.original)
                else:
                    s.role, s.voice = "author", sources[0].id
                    s.role_reason = f"no counterpart in the original (alignment confidence {link.score:.2f})"
        doc.set_layer("original_links", [mapping.get(s.id, []) for s in sentences])
        doc.backends[self.name] = "align"
        return doc
