"""voices: the role of every sentence and whose words it carries, and the first sources.

Roles: ``author`` (the writer's own words), ``relayed`` (translated, quoted or paraphrased from a
cited source), ``meta`` (about the text itself), ``elision`` ("[...]"), ``citation`` (title lines,
URLs, the sentence that introduces a cited work), ``boilerplate`` (platform notes).

The relay is followed as a small state machine over the sentences:
- a sentence announcing a translation or quotation ("Ich gebe hier eine Teilübersetzung") is meta
  and starts relayed mode; "[...]" keeps it;
- "X beschreibt jetzt ..." (the cited author named in the third person with a verb of describing)
  is meta: the writer summarises, so the rest of that paragraph is relayed as paraphrase; the
  relay then goes on;
- "Aber zurück zur Übersetzung" is meta and resumes relayed mode; the sentences just before it
  that were not paraphrase are then known to be the writer's own and become ``author``;
- an evaluation of the relayed text ("Stimmt hier jedes Detail?") ends the relay;
- quoted forum posts (lines starting with ">" after "X schrieb:") are relayed in X's voice; without
  ">" marks (web exports), the rest of the header's paragraph, or the next paragraph where the
  header ("Zitat von X:") stands alone, is the quoted post;
- a relay whose first sentence opens with a quotation mark is that quotation: the first paragraph
  after it that does not open with one is the writer's again ("Hier ein Auszug: "..." Also bitte
  erst informieren").
A line "― Name" closing a quotation ('"..." ― Jacklyn Ashley') is a citation: it signs the
quotation (whose sentences the attribution stage gives to that name).
A first person inside relayed text is the relayed author's, not the writer's: the voice of a
relayed sentence is the cited source.
"""

from __future__ import annotations

import re

from quellenlage.document import Document
from quellenlage.report import Source, TextSpan
from quellenlage.resources import phrase_regex
from quellenlage.stages.segment import ELISION, URL_LINE

_QUOTE_HEADER = re.compile(
    r"^(?:Zitat(?:\s+von)?\s+(?P<n1>[^:\n]{1,60})|(?P<n2>[^\n:]{1,60}?)\s+(?P<verb>schrieb|schreibt|wrote|writes|said)"
    r"(?:\s+(?:am|on)\s+[^\n]{1,40}?)?)\s*:\s*$", re.IGNORECASE)
_QUOTE_PREFIX = re.compile(r"^\s*(?:>|&gt;)")
_WORDS = re.compile(r"\w+")
_SIGNATURE_ONLY = re.compile(r"^\s*[―—–-]\s*[A-ZÄÖÜ][\w'’.-]+(?:\s+[A-ZÄÖÜ][\w'’.-]+){1,3}\s*\.?\s*$")
_OPENING_QUOTE = re.compile(r"^\s*[\"„“«»‚‘']")


def _surnames(name: str | None) -> list[str]:
    if not name:
        return []
    parts = [p for p in re.split(r"\s+", name.strip()) if p[:1].isupper()]
    return [name] + ([parts[-1]] if len(parts) > 1 else [])


class VoicesStage:
    name = "voices"
    requires = ("sentences",)
    provides = ("roles", "sources")

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        sentences = doc.layer("sentences")
        sources: list[Source] = []
        author = Source(id=doc.next_id("S"), kind="author", name=doc.meta.author or "the writer",
                        description="the author of this text")
        sources.append(author)
        work_sources = []
        for work in doc.meta.cited:
            if work.title or work.author:
                name = work.author or work.title or work.url or "cited work"
                src = Source(id=doc.next_id("S"), kind="cited_work", name=name,
                             description=(f"“{work.title}”" if work.title else "cited work")
                             + (f" by {work.author}" if work.author else ""),
                             url=work.url, via=author.id)
                sources.append(src)
                work_sources.append((src, work))
        relay_source = work_sources[0][0] if work_sources else None
        cited_names = [n for _s, w in work_sources for n in _surnames(w.author)]
        describe_re = None
        if cited_names:
            names = "|".join(re.escape(n) for n in sorted(set(cited_names), key=len, reverse=True))
            describe_re = {lang: re.compile(
                rf"^(?:{names})s?\s+(?:{phrase_regex(lang, 'voices_describe').pattern})"
                rf"(?:\s+\w+){{0,2}}?\s+(?:{phrase_regex(lang, 'voices_describe_adverbs').pattern})",
                re.IGNORECASE) for lang in ("de", "en")}
        citation_spans = [(w.start, w.end) for w in doc.meta.cited if w.start is not None]

        def ensure_relay_source() -> Source:
            nonlocal relay_source
            if relay_source is None:
                relay_source = Source(id=doc.next_id("S"), kind="cited_work", name="an unnamed cited text",
                                      description="a text the writer relays without naming it", via=author.id)
                sources.append(relay_source)
            return relay_source

        mode = "author"
        quote_voice: Source | None = None
        header_paragraph = None  # the paragraph of a quoted post's header ("Zitat von X:")
        quoted_paragraph = None  # the paragraph right after a header that stands alone: the quote
        current_paragraph = None
        paraphrase_paragraph = None
        quotation_relay = None  # True while the relay so far is one quotation in quotation marks
        for i, s in enumerate(sentences):
            lang = s.language
            t = s.text
            if s.paragraph != current_paragraph:
                if quoted_paragraph == "next":
                    quoted_paragraph = s.paragraph
                current_paragraph = s.paragraph
                if not _QUOTE_PREFIX.match(t) and s.paragraph not in (header_paragraph, quoted_paragraph):
                    quote_voice = None
                if mode == "relayed" and quotation_relay and not _OPENING_QUOTE.match(t):
                    mode = "author"  # a quoted excerpt was the whole relay ("Hier ein Auszug: "...")
            role, voice, reason = None, None, ""
            if ELISION.fullmatch(t.strip()):
                role, reason = "elision", "an elision mark"
            elif URL_LINE.match(t):
                role, reason = "citation", "a URL line"
            elif _SIGNATURE_ONLY.match(t) and i > 0 and sentences[i - 1].paragraph == s.paragraph:
                role, reason = "citation", "signs the quotation before it"
            elif phrase_regex(lang, "edit_notes").search(t) or (
                    len(_WORDS.findall(t)) <= 6 and phrase_regex(lang, "boilerplate").search(t)):
                role, reason = "boilerplate", "a platform note"
            elif any(cs <= s.start and s.end <= ce for cs, ce in citation_spans) and not _QUOTE_PREFIX.match(t):
                role, reason = "citation", "introduces a cited work (title, author, URL)"
            elif (m := _QUOTE_HEADER.match(t)) is not None:
                role, reason = "citation", "header of a quoted post"
                name = (m.group("n1") or m.group("n2") or "").strip()
                quote_voice = Source(id=doc.next_id("S"), kind="person", name=name or "a quoted post",
                                     description="author of a quoted post", via=author.id,
                                     mentions=[TextSpan(start=s.start, end=s.start + len(name), text=name)] if name else [])
                sources.append(quote_voice)
                header_paragraph = s.paragraph
                last_in_paragraph = i + 1 >= len(sentences) or sentences[i + 1].paragraph != s.paragraph
                quoted_paragraph = "next" if last_in_paragraph else None
                if (m.group("verb") or "").lower() == "said":  # "He said:" in news: only ">" lines are the quote
                    header_paragraph = quoted_paragraph = None
            elif _QUOTE_PREFIX.match(text[text.rfind("\n", 0, s.start) + 1:s.start + 1]) or (
                    quote_voice is not None and s.paragraph in (header_paragraph, quoted_paragraph)):
                role, reason = "relayed", "inside a quoted post"
                voice = (quote_voice or ensure_relay_source()).id
            elif phrase_regex(lang, "voices_resume").search(t):
                role, reason = "meta", "returns to the relayed text"
                # The sentences since the last paraphrase/meta/elision were the writer's own.
                j = i - 1
                while j >= 0 and sentences[j].role == "relayed" and sentences[j].paragraph != paraphrase_paragraph:
                    sentences[j].role, sentences[j].voice = "author", author.id
                    sentences[j].role_reason = "the writer's own: the text returns to the relay after it"
                    j -= 1
                mode = "relayed"
                quotation_relay = None
            elif describe_re is not None and describe_re[lang if lang in describe_re else "en"].search(t):
                role, reason = "meta", "the writer summarises what the cited author does"
                paraphrase_paragraph = s.paragraph
            elif phrase_regex(lang, "voices_leave").search(t) and mode == "relayed":
                role = "meta" if t.rstrip().endswith("?") else "author"
                reason = "evaluates the relayed text" if role == "meta" else "the writer's own words after the relay"
                mode = "author"
            elif phrase_regex(lang, "voices_translation_start").search(t) and len(_WORDS.findall(t)) <= 14:
                role, reason = "meta", "announces a translation or quotation"
                ensure_relay_source()
                mode = "relayed"
                quotation_relay = None
            elif s.paragraph == paraphrase_paragraph:
                role, reason = "relayed", "paraphrase of the cited work"
                voice = ensure_relay_source().id
            elif mode == "relayed":
                role, reason = "relayed", "inside the relayed text"
                voice = ensure_relay_source().id
                if quotation_relay is None:  # the relay's first sentence: a quotation on its own?
                    quotation_relay = bool(_OPENING_QUOTE.match(t))
            else:
                role, reason = "author", "the writer's own words"
            if role == "author":
                voice = author.id
            s.role, s.voice, s.role_reason = role, voice, reason
        doc.set_layer("roles", [s.role for s in sentences])
        doc.set_layer("sources", sources)
        doc.backends[self.name] = "rules"
        return doc
