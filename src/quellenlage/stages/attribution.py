"""attribution: who each sentence's claim is attributed to, and by which cue.

Types: ``named`` ("Felix Kulov hat geschildert", "X sagte", "according to X", "laut X"),
``anonymous`` ("gemäß einer hochrangigen Quelle", "laut Insidern", "sources said"), ``described``
(identified by a description, not a name: "The Indiana governor said", "Die Bank teilte mit"),
``relayed`` (the cited author of relayed text), ``author`` (the writer), ``none``. In a transcript,
a line opening with a speaker label in capitals ("WALLACE: ...") gives that speaker's turn; a
quotation signed after a dash ('"..." ― Jacklyn Ashley') is the signer's.

Cues: verbs of saying next to a PER/ORG entity, source prepositions ("laut", "gemäß", "zufolge",
"according to") with their noun phrase, anonymous nouns (Quelle, Insider, officials) without a
name, German speech tags after a quotation ('»...« spöttelte der Doktor'), a quotation announced
by a colon after its speaker, and German Konjunktiv I ("er sei", "habe"), which continues a
report: a sentence in Konjunktiv I (or a quotation) right after an attributed one keeps that
attribution (``carried_over``). Attributions are also carried to a quotation whose speaker is
named after it ('"How many times ...?" | Clinton said.'), to the paragraph after "X reports:",
over the paragraphs of a transcript turn, and to "he said" (the person quoted shortly before, or
the subject of the sentences before; a described person whose noun tells the sex, "Ein Sprecher
... Er fügte hinzu"; "It said" for an organisation). A source the text keeps anonymous on
purpose ("..., who asked not to be named, said", "der nicht genannt werden wollte") is anonymous
whatever the verb. Where the trained speech tagger of :mod:`quellenlage.speech` ships for the
language, its speaker spans are used as well.

Named and anonymous sources become source records whose ``via`` is the voice of the sentence:
an anonymous source inside relayed text reaches the reader through the cited work.
"""

from __future__ import annotations

import bisect
import itertools
import re
from functools import lru_cache

from quellenlage.document import Document, SpanIndex
from quellenlage.report import Attribution, Source, TextSpan
from quellenlage.ner.merge import first_name_gender
from quellenlage.resources import phrase_regex, word_list
from quellenlage.stages.segment import strip_span

_CLAUSE_END = re.compile(r"[,;:.!?–—]|\s-\s|\s(?:und|and|but|aber|die|der|das|which|who)\s")
# English "said X" names the speaker only where X ends the clause ("..., said Trump.", "said Smith
# in a statement"), not in "said Trump campaign strategists plan" or "said Clinton's acceptance".
_EN_INVERTED_SUBJECT_END = re.compile(
    r"\s*(?:$|[,.;:!?()\"“”]|\s(?:in|on|at|to|during|after|before|when|while|from|of|about|last|this|"
    r"earlier|later|told|who|adding)\b)")
# ... and only after a quotation or a comma ('"...," said Mr. Burman'; not "He has declared Cruz to be")
_EN_INVERTED_VERB_AFTER = re.compile(r"[,\"“”'’]\s*$")
# German separable verbs of saying whose particle closes the clause ("teilte ... mit", "gab ... an",
# "werfen der Regierung vor, ...").
# (the group name is the particle the verb needs)
_DE_SEPARABLE = re.compile(r"(?i)\b(?:(?P<mit>teilten?|teilt)|(?P<an>gaben?|gibt|kündigten?|kündigt)"
                           r"|(?P<ein>räumten?|räumt)|(?P<hinzu>fügten?|fügt)|(?P<zurück>wies|wiesen|weist)"
                           r"|(?P<vor>werfen|wirft|warf|warfen)|(?P<aus>gehen|geht|ging|gingen))\b")
_DE_SEPARABLE_END = re.compile(r"(?i)\s(mit|an|ein|hinzu|zurück|vor|aus)(?=\s*[,:]|\s*[.!?]?[\"“”»«]*\s*$)")
# "ausgehen" is a verb of belief only with "von"/"davon": "Die Polizei geht von Brandstiftung aus"
# (not "Das Licht geht aus")
_DE_VON_BETWEEN = re.compile(r"(?i)\b(?:davon|von|vom)\b")
# "Das teilte X mit." / "Dies sagte X.": the sentence before is X's statement.
_DE_BACK_REFERENCE = re.compile(r"^\s*(?:Das|Dies|Dies alles|Das alles|Dieses)\s+\w+")
# The auxiliary right after the subject of a German perfect ("Habeck hat ... gesagt").
_DE_AUXILIARY = re.compile(r"\s+(?:hat|haben|habe|hatte|hatten|hätte|hätten)\b")
_DE_CLAUSE_END = re.compile(r"\s*(?:[,.;:!?]|$)")
# A description as the source: a determiner or possessive, then a noun ("the Indiana governor",
# "Several cast members", "Die Bank", "Ein Sprecher des Ministeriums").
_DESCRIBED = {
    "en": re.compile(r"^(?:(?i:the|a|an|this|that|these|those|my|his|her|its|their|our|several|many|some|most|"
                     r"two|three|four|five|other)|[A-Z][\w.-]+['’]s)\s+\S"),  # ... "Connecticut’s tax commissioner"
    "de": re.compile(r"^(?i:der|die|das|dem|den|des|ein|eine|einer|einem|einen|eines|sein|seine|ihr|ihre|dessen|"
                     r"deren|mehrere|viele|einige|zwei|drei|vier)\s+(?:\w+\s+){0,2}[A-ZÄÖÜ]"),
}
# A German description: article, adjectives, a noun, perhaps a genitive ("ein Sprecher des
# Ministeriums", "eine alte Frau"); not what follows it ("der Journalist gereizt")
_DE_DESCRIPTION = (r"(?i:der|die|das|ein|eine|einer)\s+(?:[a-zäöüß]+e[nmrs]?\s+){0,2}[A-ZÄÖÜ][\w-]+"
                   r"(?:\s+(?:des|der|eines|einer)\s+(?:[a-zäöüß]+e[nmrs]?\s+){0,2}[A-ZÄÖÜ][\w-]+)?")
_DE_DESCRIPTION_PLACE = r"(?:\s+[A-ZÄÖÜ][a-zäöüß]+)?"  # "die Staatsanwaltschaft Köln mitteilte"
_DESCRIBED_AFTER = {
    "en": re.compile(r"\s+((?:the|a|an|his|her|its|their)\s+[^,.;:!?\"“”]{2,60}?)\s*(?:[,.;:!?]|$)", re.IGNORECASE),
    "de": re.compile(r"\s+(" + _DE_DESCRIPTION + r")(?!\w)"),
}
_DE_ARTICLE = re.compile(r"(?i)(?:der|die|das|ein|eine|einer)\s")
# A German source without an article after "laut"/"nach Angaben von"/"zufolge": "laut Polizei",
# "nach Angaben von Ärzte ohne Grenzen", "Diplomaten zufolge" (capitalised words, short glue words)
_DE_NOT_SOURCES = frozenset({"Plan", "Fahrplan", "Zeitplan", "Programm"})  # "laut Plan beginnt der Bau"
# English: a bare plural or mass noun after "according to" ("according to federal statistics",
# "according to court documents"), not "according to plan"
_EN_BARE_SOURCE = re.compile(r"[a-z][a-z-]+(?:\s+[a-z][a-z-]+){0,3}")
_EN_NOT_SOURCES = frozenset({"plan", "schedule", "legend", "tradition", "custom", "rules", "law",
                             "him", "her", "them", "us", "me", "it", "you"})  # pronouns: not a description
_DE_BARE_SOURCE = re.compile(r"[A-ZÄÖÜ][\w-]+(?:\s+(?:[a-zäöüß]{1,5}\s+)?[A-ZÄÖÜ][\w-]+){0,3}")
# a speech tag after a closing quotation: a verb, perhaps an adverb, the speaker, then the clause ends
_DE_QUOTE_TAG = re.compile(
    r"[«“\"‹]\s*,?\s+(?P<verb>[a-zäöüß]{3,}(?:\s+(?:dann|jetzt|nun|noch|wieder|leise|laut|endlich|trocken|"
    r"ruhig|schließlich|lachend|kopfschüttelnd))?)\s+"
    r"(?P<np>" + _DE_DESCRIPTION + r"|[A-ZÄÖÜ][\w-]+(?:\s+[A-ZÄÖÜ][\w-]+)?)"
    r"(?=\s*(?:[.,;:!?»«„“]|$)|\s+(?:und|fort|zu|mit|an|auf|heraus|hinzu|ein)\b)")
_DE_NOT_VERBS = frozenset({"durch", "für", "gegen", "ohne", "um", "aus", "bei", "mit", "nach", "seit", "von", "zu",
                           "über", "unter", "vor", "hinter", "neben", "zwischen", "oder", "aber", "als", "wie",
                           "sowie", "bzw", "vom", "zum", "zur", "im", "am", "beim"})
_DE_SOURCE_COMPOUND = re.compile(r"\b(?P<prep>(?i:laut|nach|gemäß|aus))\s+"
                                 r"(?P<src>[A-ZÄÖÜ]\w*(?:angaben|informationen|kreisen|berichten|schätzungen|recherchen))\b")
_DE_HEARSAY = re.compile(r"\b[Dd]em Vernehmen nach\b|\b[Ww]ie verlautet\b")
# "In einer Mitteilung des Ministeriums heißt es", "In einer Stellungnahme des Deutschen Richterbundes
# hieß es": the words between the preposition and "heißt es" are the source
_DE_HEISST_ES = re.compile(r"\s*(?:In|Aus)\s+(?P<src>(?i:der|die|das|dem|den|ein|eine|einer|einem|eines)\s+"
                           r"[^,.;:!?\"“”„«»]{2,80}?)\s+(?P<cue>(?:heißt|hieß)\s+es)\b")
_DE_DESCRIPTION_START = re.compile(r"\s*(" + _DE_DESCRIPTION + r")(?!\w)")
_DE_DESCRIPTION_WITH_PLACE = re.compile(r"\s*(" + _DE_DESCRIPTION + _DE_DESCRIPTION_PLACE + r")(?!\w)")
# A quotation announced by a colon: 'Der Doktor fuhr auf: »Du bist nicht bei Trost!«'
_COLON_QUOTE = re.compile(r":\s*(?:''|[\"“„«»])")
_QUOTE_MARK = re.compile(r"[\"“”„«»]")
_COMMA_BEFORE = re.compile(r",\s*$")
# German: a subject before the verb ("Ein Polizeisprecher sagte der Deutschen Presse-Agentur, ...")
# makes the name after the verb its object, not its speaker
_DE_SUBJECT_OPENS = re.compile(r"\s*(?:" + _DE_DESCRIPTION + r"|[A-ZÄÖÜ][a-zäöüß]+(?:sprecher|sprecherin))\s*")
# German verb-second: after one opening word the subject follows the verb ("Das sagte der
# Bundeskanzler am Montag", "Dazu erklärte eine Sprecherin, ...")
_DE_V2_OPENER = re.compile(r"\s*(?:Das|Dies|Dazu|Darüber|Damals|Später|Zuvor|Außerdem|Zudem|Dann|Anschließend|"
                           r"Gestern|Heute|Inzwischen|Bislang|Bisher)\s*")
# '„Wir sind bereit“, hieß es aus dem Ministerium': the source after "hieß es"
_DE_HEISST_ES_AFTER = re.compile(r"\b(?P<cue>(?:heißt|hieß)\s+es)\s+(?:aus|in|bei|von|vom|im)\s+(?P<src>"
                                 r"(?:(?i:dem|der|den|einem|einer|des)\s+)?[^,.;:!?\"“”„«»]{2,60}?)\s*(?:[,.;:!?]|$)")
_FIRST_SECOND_BEFORE = re.compile(r"(?i)\b(?:i|we|you)\s+$")
# "..., so ein Sprecher der Stadtwerke." closing the sentence without a quotation
_DE_SO_TAIL = re.compile(r"\s+(?:der|die|das|ein|eine|einer|[A-ZÄÖÜ])[^,;:!?\"“”„«»]{0,80}?\s*[.!?]?\s*$")
# "wie aus einer Statistik des Ministeriums hervorgeht", "Das geht aus dem Bericht hervor"
_DE_HERVORGEHT = re.compile(r"\b(?:[Ww]ie\s+aus\s+(?P<a>[^,.;:!?]{2,80}?)\s+hervorgeht|geht\s+aus\s+"
                            r"(?P<b>[^,.;:!?]{2,80}?)\s+hervor)\b")
# "In Regierungskreisen wird damit gerechnet, ...": circles opening the sentence
_DE_CIRCLES_OPEN = re.compile(r"\s*(?:In|Aus)\s+(\w+kreisen)\b")
# "Aus dem Umfeld ... verlautete": where the words came from
_DE_AUS_START = re.compile(r"\s*Aus\s+(?=(?:dem|den|der)\s)")
_DASH = re.compile(r"--|[–—]")  # a description holds no dash ("Ora's site -- ...")
_QUOTE_TOKEN = re.compile(r"''|[\"“”„«»]")
SOURCED = ("named", "anonymous", "described")
_OPENS_QUOTE = re.compile(r"\s*(?:''|[\"“„«»])")
_FIRST_NAME_BEFORE = re.compile(r"([A-Z][a-z]*(?:['’][A-Z])?[a-z]+)\s+$")
_APPOSITION = re.compile(r"\s*,\s*(?:(?i:who|which|a|an|the|his|her|its|their|former|now|der|die|das|dessen|deren|"
                         r"ein|eine|einer|sein|seine|ihr|ihre)\s[^.;:!?\"“”„«»]{0,150}?|\d{1,3}\s*),\s*")
# (", who ..., ", ", a historian, ", ", 82, ", ", der am Montag in Paris war, ")
_SUBJECT_AFTER = re.compile(r"\s+(?i:der|die|das|ein|eine)\s")  # German: the verb's own subject follows
# "But critics say", "Wie ein Sprecher mitteilte": the conjunction is not part of the source
_LEADING_CONJUNCTION = re.compile(r"\s*(?:But|And|Yet|So|Still|Aber|Und|Doch|Auch|Wie)\s+")
_CLAUSE_IN_PHRASE = re.compile(r"(?i)\b(?:as|when|while|because|where|was|were|is|are|wenn|als|weil|wo)\b")
_PREPOSITIONS = frozenset({"on", "in", "at", "to", "for", "with", "from", "about", "of", "during"})  # "Asked on Fox News"
_FIRST_PERSON = re.compile(r"\b(?:ich|Ich)\b")
_DE_PREPOSITION_BEFORE = re.compile(r"\b(?i:mit|gegenüber|bei|von|vor|in|im|zu|zum|zur|an|am|auf)\s+"
                                    r"(?:(?i:der|dem|den|des|einer|einem|eines)\s+)?$")
_DE_VON = re.compile(r"\s*(?:von|vom)\s+")
_PASSIVE = re.compile(r"(?i)\b(?:was|were|is|are|been|being|be|wurden?|worden)\b")
_PRONOUN = re.compile(r"(?i)\b(?:he|she|it|er|sie)\b")
# a sentence opening with the pronoun or its possessive ("He notes ...", "His audio was ...")
_OPENING_PRONOUN = re.compile(r"(?i)\s*(he|his|him|she|her|its?|er|sein|seine|seinen|seinem|seiner|sie|ihre?)\b")
_PRONOUN_FAMILY = {"he": "he", "his": "he", "him": "he", "she": "she", "her": "she", "it": "it", "its": "it",
                   "er": "er", "sein": "er",
                   "seine": "er", "seinen": "er", "seinem": "er", "seiner": "er", "sie": "sie", "ihr": "sie",
                   "ihre": "sie"}
# Cue words that are nouns as often as verbs, and words a subject description does not hold
# (an auxiliary: "The registration issue was first reported by", a preposition's "to").
_DESCRIBING_PREPS = frozenset({"according to", "laut", "gemäß", "zufolge", "nach angaben", "nach angaben von",
                               "nach aussage", "nach aussagen", "nach informationen", "unter berufung auf",
                               "nach darstellung", "nach ansicht", "nach einschätzung", "nach auffassung"})
_NOT_DESCRIBED_CUES = frozenset({"states", "reports", "claims", "asked", "so", "wie", "zitiert"})
_NOT_IN_DESCRIPTION = re.compile(
    r"(?i)\b(?:was|were|is|are|been|be|has|have|had|will|would|could|can|may|might|should|must|to|"
    r"when|while|because|if|he|she|they|we|"  # a clause, not a description: "the crowd booed when he told"
    r"ist|sind|war|waren|wird|wurde|hat|haben|hatte|habe|sei|zu|wenn|als|weil|nachdem)\b")
# Transcript turns: "WALLACE: ...", "MODERATOR: ..." (capitals, at a line start); headings in
# capitals that are not speakers are left out.
TURN_CUE = "speaker label (transcript turn)"
COLON_CUE = "quotation after a colon"
TURN_REACH = 3000  # characters: a turn runs over blank lines only up to a next label this near
_TURN_LABEL = re.compile(r"^[ \t]*[\"“„]?(?P<label>[A-ZÄÖÜ][\w'’.-]+(?:[ ][A-ZÄÖÜ][\w'’.-]+){0,2})[ \t]*:[ \t]+\S",
                         re.MULTILINE)
_NOT_SPEAKERS = frozenset({
    "UPDATE", "UPDATED", "BREAKING", "EXCLUSIVE", "WATCH", "NOTE", "EDITOR'S NOTE", "EDITOR’S NOTE", "PS", "P.S",
    "READ MORE", "RELATED", "VIDEO", "PHOTO", "PHOTOS", "SOURCE", "SOURCES", "LINK", "ANALYSIS", "OPINION",
    "FACT CHECK", "CORRECTION", "HINWEIS", "ZITAT", "QUELLE", "QUELLEN", "FAZIT", "FOTO", "MEHR", "NACHTRAG",
    "EILMELDUNG", "KOMMENTAR", "TL;DR", "TLDR", "Q", "A", "FAQ", "USA", "EU", "UN", "UK"})
_HEADLINE_WORDS = frozenset({"IS", "ARE", "IN", "OF", "THE", "AND", "TO", "FOR", "ON", "A", "AN", "WITH", "AT",
                             "IST", "UND", "DER", "DIE", "DAS", "IM", "MIT", "FÜR", "VON", "ZU"})
# A quotation signed after a dash: '"..." ― Jacklyn Ashley', "“...”― Carla Sanchez."
_SIGNATURE = re.compile(r"[\"”“«»]\s*[―—–-]\s*(?P<name>[A-ZÄÖÜ][\w'’.-]+(?:\s+[A-ZÄÖÜ][\w'’.-]+){1,3})\s*\.?\s*$")
# How many sentences back a pronoun speaker ("he said") may find the person named last.
PRONOUN_REACH = 4
_SPEECH_HINT = re.compile(r"[\"„“”«»‚‘’:]|\bzufolge\b")
_QUOTED = re.compile(r"^\s*[\"„“«»‚'].*[\"“”«»‘'][.!?]?\s*$", re.DOTALL)


_FIRST_WORD = re.compile(r"\s*\w+")
# After a fronted German source phrase the finite verb follows ("Laut Insidern soll der Betrag ...").
_DE_FINITE = re.compile(
    r"\s(?:soll|sollen|solle|sollten|ist|sind|sei|seien|war|waren|wäre|wären|hat|haben|habe|hatte|hatten|"
    r"hätte|hätten|wird|werden|werde|wurde|wurden|würde|würden|kann|können|könne|könnte|könnten|muss|"
    r"müssen|müsse|müsste|will|wollen|wolle|wollte|dürfte|dürften|gibt|gab|gebe|geht|ging|liegt|lag|steht|"
    r"stand|kommt|kam|plant|planen|droht|drohen|bleibt|blieb)\b")


# Lower-case words that may follow a noun inside a German noun phrase ("Angaben des Amts für
# Statistik", "der Chef seiner Partei"); any other lower-case word right after a capitalised one
# is the verb that ends the phrase ("Nach Angaben des Statistischen Bundesamts stiegen die Preise").
_DE_NP_GLUE = frozenset("""sowie gegen um durch ohne seit vor hinter zwischen ins beim aller seiner seines
seinem seinen ihrer ihres ihrem ihren unserer unseres dieser dieses diesem diesen jener jenes welcher
de van al bin""".split())
_WORD = re.compile(r"\S+")


def _np_after(text: str, pos: int, end: int, lang: str = "") -> tuple[int, int]:
    first = _FIRST_WORD.match(text, pos, end)  # an article opening the phrase does not end it ("laut der Polizei")
    m = _CLAUSE_END.search(text, first.end() if first else pos, end)
    stop = m.start() if m else end
    verb = _DE_FINITE.search(text, pos, stop) if lang == "de" else None
    if verb:
        stop = verb.start()
    if lang == "de":
        glue = _de_np_glue()
        after_noun = False
        for w in _WORD.finditer(text, pos, stop):
            word = w.group(0)
            if after_noun and word.isalpha() and word.islower() and word not in glue:
                stop = w.start()
                break
            after_noun = word[:1].isupper()
    while stop > pos and text[stop - 1].isspace():
        stop -= 1
    return pos, stop


def _without_titles(gap: str, lang: str) -> str:
    """The words between a verb of saying and a name after it, without person titles and a
    genitive before them: "sagte Chinas Präsident Xi Jinping" has the name right after the verb
    ("said Mr. Burman" has the honorific taken out before)."""
    if lang != "de" or not gap.strip():
        return gap
    titles = _person_titles(lang)
    words = gap.split()
    if not any(w in titles for w in words):
        return gap
    kept = [w for i, w in enumerate(words) if w not in titles
            and not (i + 1 < len(words) and words[i + 1] in titles and w[:1].isupper() and w.endswith("s"))]
    return " " + " ".join(kept) + " " if kept else " "


@lru_cache(maxsize=None)
def _person_titles(lang: str) -> frozenset[str]:
    return frozenset(word_list(lang, "entities_person_titles"))


@lru_cache(maxsize=None)
def _de_np_glue() -> frozenset[str]:
    return _DE_NP_GLUE | frozenset(word_list("de", "stopwords"))


# the last clause end before a cue is looked for in this many characters first (a cue late in a
# very long sentence must not rescan it from its start: that was quadratic in the sentence)
_NP_LOOKBACK = 300


def _np_before(text: str, start: int, pos: int) -> tuple[int, int]:
    s = None
    lo = max(start, pos - _NP_LOOKBACK)
    if lo > start:
        last = None
        for last in _CLAUSE_END.finditer(text, lo, pos):
            pass
        # a match this far into the window is the one a scan from ``start`` finds (clause ends are
        # at most 7 characters: both scans are in step by then)
        if last is not None and last.start() >= lo + 16:
            s = last.end()
    if s is None:
        s = start + max((m.end() for m in _CLAUSE_END.finditer(text[start:pos])), default=0)
    while s < pos and text[s].isspace():
        s += 1
    return s, pos


def _gender(name: str) -> str:
    """"m", "f" from the first word of a person's name where the census lists are clear, else "?"."""
    first = name.split()[0] if " " in name.strip() else ""
    return first_name_gender(first) or "?"


# A described source that is one person of a known sex: its head noun ("A spokeswoman for the
# county", "Ein Sprecher des Ministeriums", "die Ministerin"), so that a pronoun after it can
# continue it
_DESCRIBED_FEMALE = re.compile(r"(?i)^(?:\S+\s+){0,3}?(?:spokeswoman|chairwoman|congresswoman|councilwoman|"
                               r"businesswoman|woman|mother|wife|daughter|sister|actress|Frau|Mutter|Tochter|Schwester|"
                               r"[A-ZÄÖÜ][a-zäöüß]+(?:erin|istin|entin|antin|torin|ärztin|wältin))\b")
_DESCRIBED_MALE = re.compile(r"(?i)^(?:\S+\s+){0,3}?(?:spokesman|chairman|congressman|councilman|businessman|"
                             r"policeman|man|father|husband|son|brother|actor|Sprecher|Minister|Mann|Vater|Sohn|"
                             r"Bruder|Polizist|Anwalt|Arzt|Bürgermeister|Präsident|Kanzler|Leiter|Direktor|Richter|"
                             r"Staatsanwalt)\b")
_ONE_PERSON_DETERMINER = re.compile(r"(?i)^(?:a|an|the|der|die|ein|eine|einer|dem|den)\s")


def _described_gender(phrase: str) -> str | None:
    """"f" or "m" where a described source is one person whose sex its head noun tells, else None."""
    if not _ONE_PERSON_DETERMINER.match(phrase):
        return None
    if _DESCRIBED_FEMALE.match(phrase):
        return "f"
    if _DESCRIBED_MALE.match(phrase) and not re.match(r"(?i)(?:die|den)\s", phrase):  # "die Sprecher": plural
        return "m"
    return None


def _pronoun_gender(cue: str) -> str | None:
    """"f", "m" or None (unknown) for the pronoun of a speaker cue: "she said" f, "he said" m;
    German "er" m, "sie" with a verb in the singular ("sie betonte") f, plural ("sie sagten") None."""
    words = cue.lower().split()
    if "she" in words:
        return "f"
    if "he" in words or "er" in words:
        return "m"
    if "sie" in words and not any(w.endswith(("en", "ten")) for w in words if w != "sie"):
        return "f"
    return None


def _quote_state(text: str, start: int, end: int, lang: str, inside: bool) -> bool:
    """Whether a quotation is open after ``text[start:end]``, given whether one was open before:
    “ ” » « „ and straight quotes (and English '' pairs) in order; German “ closes what „ opened."""
    for m in _QUOTE_TOKEN.finditer(text, start, end):
        mark = m.group(0)
        if mark in "„":
            inside = True
        elif mark == "”" or (mark == "“" and lang == "de" and inside):
            inside = False
        elif mark == "“":
            inside = True
        else:  # " '' » «: toggles
            inside = not inside
    return inside


def _common_words(lang: str) -> frozenset[str]:
    """Words usually written in lower case (the NER model's list), which are no names."""
    from quellenlage.errors import ModelError, UnsupportedLanguageError
    from quellenlage.ner import load_tagger

    try:
        return load_tagger(lang).extractor.frequent
    except (ModelError, UnsupportedLanguageError):
        return frozenset()


# Prepositions after a bare plural group that say where the group is from: "Doctors at the
# hospital said", "Scientists behind the study cautioned", "Kritiker der Reform sagen"
_GROUP_PREPS = {"en": frozenset("at of for from behind with in on inside".split()),
                "de": frozenset("der des aus in im am von vom bei beim".split())}
# A source the text says is kept anonymous: "A police officer, who asked not to be named, said",
# '"...," said an aide who was not authorized to speak publicly', "Ein Beamter, der nicht
# namentlich genannt werden wollte, sagte"
_ANONYMITY_CLAUSE = {
    "en": re.compile(r"(?i),\s+(?:speaking\s+(?:anonymously|on\s+(?:the\s+)?condition\s+of\s+anonymity)|granted\s+"
                     r"anonymity)\b"
                     r"|,?\s+who\s+[^.;:!?]{0,60}?\b(?:anonymity|not\s+to\s+be\s+(?:named|identified|quoted)"
                     r"|not\s+(?:be\s+)?(?:named|identified)|name\s+not\s+be\s+used|without\s+being\s+(?:named|identified)"
                     r"|not\s+authori[sz]ed\s+to\s+(?:speak|talk|discuss|comment|disclose|brief))"),
    "de": re.compile(r"(?i),\s+(?:der|die|das)\s+[^.;:!?,]{0,40}?(?:nicht\s+(?:namentlich\s+)?(?:genannt|zitiert)\s+"
                     r"werden|anonym\s+bleiben|ungenannt\s+bleiben)\s+(?:wollte|wollten|will|wollen|möchte|möchten)\b"
                     r"|,\s+(?:dessen|deren)\s+Namen?\s+der\s+Redaktion\s+bekannt\s+(?:ist|sind)\b"),
}
_NP_TAIL = re.compile(r"(?:[\w'’.-]+\s+){0,4}[\w'’.-]+\s*$")
# German circles and entourages a text does not name: "aus Koalitionskreisen", "aus dem Umfeld
# des Trainers" (the list has "Kreise*" as a word of its own; not "aus den Landkreisen")
_DE_CIRCLES = re.compile(r"(?i)\b(\w+)kreisen?\b|\bUmfeld(?:es|s)?\b")
_NOT_CIRCLES = frozenset({"land", "stadt", "wahl", "bezirks", "verkehrs", "teil", "halb", "viertel"})


def _is_group(phrase: str, lang: str) -> bool:
    """A bare plural group, perhaps with adjectives before it: "Police", "Civil rights activists",
    "Kritiker" (not "the crowd booed when ...": words only, at most four)."""
    words = phrase.split()
    if not words or not all(w.isalpha() for w in words):
        return False
    groups = word_list(lang, "attribution_groups")
    if len(words) <= 4 and words[-1].lower() in groups:
        return True
    # a group and where it is from: "Doctors at the hospital", "Kritiker der Reform"
    return any(w.lower() in groups and words[i + 1].lower() in _GROUP_PREPS[lang] and len(words) - i <= 6
               for i, w in enumerate(words[:3]) if i + 1 < len(words))


@lru_cache(maxsize=None)
def _titled_name_regex(lang: str) -> re.Pattern:
    """A capitalised person title (``entities_person_titles``), then one to three capitalised
    words, ending the text ("President Park Geun-hye ")."""
    titles = sorted((t for t in word_list(lang, "entities_person_titles") if t[:1].isupper()), key=len, reverse=True)
    return re.compile(r"(?:^|\s)(?:" + "|".join(re.escape(t) for t in titles) +
                      r")\s+((?:[A-Z][\w'’.-]*\s+){0,2}[A-Z][\w'’-]+)\s*$")


def _titled_name_before(text: str, start: int, pos: int, lang: str) -> tuple[int, int] | None:
    """The span of a name after a title right before ``pos`` (English only), else None."""
    if lang != "en":
        return None
    m = _titled_name_regex(lang).search(text, max(start, pos - 80), pos)
    if m is None or m.group(1).split()[-1].lower() in _common_words(lang):
        return None
    return m.span(1)


def _is_anonymous(phrase: str, lang: str) -> bool:
    """Whether a source phrase names no one: a word of ``attribution_anonymous`` ("Insider",
    "officials"), or in German a circle or entourage ("Koalitionskreisen", "Umfeld")."""
    if phrase_regex(lang, "attribution_anonymous").search(phrase):
        return True
    return lang == "de" and any(m.group(1) is None or m.group(1).lower() not in _NOT_CIRCLES
                                for m in _DE_CIRCLES.finditer(phrase))


def _anonymity_clause(text: str, start: int, end: int, lang: str) -> Attribution | None:
    """The source before a clause that says it stays unnamed ("A police officer, who asked not to
    be named, said ..."): anonymous, whatever the verb."""
    m = _ANONYMITY_CLAUSE[lang].search(text, start, end)
    if m is None:
        return None
    before = text[start:m.start()]
    np_start = start + max(before.rfind(c) for c in ',;:"“”„«»') + 1  # after the last mark
    first_word = np_start + len(text[np_start:m.start()]) - len(text[np_start:m.start()].lstrip())
    lead = phrase_regex(lang, "attribution_verbs").match(text, first_word)
    if lead is not None:  # '"...," said a campaign staffer who was not authorized ...'
        np_start = lead.end()
    tail = _NP_TAIL.search(text, np_start, m.start())
    if tail is None:
        return None
    a, b = strip_span(text, tail.start(), tail.end())
    if b <= a:
        return None
    return Attribution(type="anonymous", source_text=text[a:b], cue=text[m.start():m.end()].strip(" ,"),
                       source_start=a, source_end=b)


def _pronoun_antecedent(persons: list[tuple[int, Attribution, str]], index: int, cue: str) -> Attribution | None:
    """The person named last, at most PRONOUN_REACH sentences back, whose first name does not
    contradict the pronoun ("she said" skips "Donald Trump")."""
    want = _pronoun_gender(cue)
    for i, att, gender in reversed(persons):
        if index - i > PRONOUN_REACH:
            break
        if want is None or gender in (want, "?"):
            return att
    return None


class AttributionStage:
    name = "attribution"
    requires = ("sentences", "roles", "sources", "entities")
    provides = ("attributions",)

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        sentences = doc.layer("sentences")
        sources: list[Source] = doc.layer("sources")
        author = sources[0]
        mentions = sorted(((m.start, m.end, e) for e in doc.layer("entities") for m in e.mentions
                           if e.label in ("PER", "ORG")), key=lambda x: x[0])
        starts = [m[0] for m in mentions]
        mention_index = SpanIndex(mentions)
        source_by_entity: dict[str, Source] = {}
        speech_spans = self._speech_spans(doc)
        attributions: dict[str, Attribution] = {}
        previous: Attribution | None = None
        previous_paragraph = None
        paragraph_spans = {p.id: (p.start, p.end) for p in doc.layer("paragraphs")}
        persons: list[tuple[int, Attribution, str]] = []  # (sentence index, attribution, gender)
        persons_by_surname: dict[str, list] = {}
        for e in doc.layer("entities"):
            if e.label == "PER" and " " in e.name:
                persons_by_surname.setdefault(e.name.split()[-1].lower(), []).append(e)
        person_names = {e.name.lower() for e in doc.layer("entities") if e.label == "PER"} | set(persons_by_surname)
        turns = self._turn_labels(doc, person_names)
        turn_starts = [t[0] for t in turns]
        signed = {p.id: self._signature(doc, p) for p in doc.layer("paragraphs")}  # '"..." ― Name'
        announced: Attribution | None = None  # "The New York Times reports:" closing a paragraph
        block: Attribution | None = None  # ... whose next paragraph (and quoted ones after it) it speaks
        for index, s in enumerate(sentences):
            if s.role not in ("author", "relayed", "meta"):
                previous = announced = block = None
                continue
            if s.paragraph != previous_paragraph:
                # a quotation of several paragraphs leaves each open but the last: the next one
                # that opens with a quotation mark goes on with it (dialogue turns close theirs)
                still_open = block is not None and previous_paragraph is not None and _quote_state(
                    text, *paragraph_spans[previous_paragraph], s.language, False)
                block = announced if announced is not None else (
                    block if still_open and _OPENS_QUOTE.match(s.text) else None)
                announced = None
            lang = s.language if s.language in ("de", "en") else "en"
            lo = bisect.bisect_left(starts, s.start)
            hi = bisect.bisect_left(starts, s.end)
            k = bisect.bisect_right(turn_starts, s.start) - 1
            turn = turns[k] if k >= 0 and s.start < turns[k][1] else None
            signature = signed.get(s.paragraph)
            att = (turn[2].model_copy() if turn else signature.model_copy() if signature
                   else self._explicit(doc, s, lang, mentions[lo:hi], speech_spans))
            if att is None and previous is not None and s.paragraph == previous_paragraph \
                    and self._continues(s.text, lang):
                att = previous.model_copy(update={"carried_over": True})
            elif att is None and block is not None:
                att = block.model_copy(update={"carried_over": True})
            elif att is None and (cue := self._pronoun_speaker(s.text, lang)):
                # '"...," he said.' / "sagte er": the person quoted last, else the one who opens the
                # sentence before ("George Pataki is endorsing John Kasich. He announced ...")
                found = (None if _PRONOUN.search(cue).group(0).lower() == "it"  # persons are no "it"
                         else _pronoun_antecedent(persons, index, cue)) \
                    or self._subject_person(doc.text, sentences, index, cue, mentions, starts)
                att = found.model_copy(update={"carried_over": True, "cue": cue}) if found else None
            if att is not None and att.source is None:  # a new source: named, described or anonymous
                via = s.voice or author.id
                if att.type == "named":
                    entity = next(iter(mention_index.overlapping(att.source_start, att.source_end)), None)
                    if entity is None and att.cue == TURN_CUE:  # "WALLACE:" -> Chris Wallace
                        entity = next((e for e in persons_by_surname.get(att.source_text.lower(), [])), None)
                    key = entity.id if entity else att.source_text
                    src = source_by_entity.get(key)
                    if src is None:
                        kind = "organisation" if entity is not None and entity.label == "ORG" else "person"
                        src = Source(id=doc.next_id("S"), kind=kind, name=entity.name if entity else att.source_text,
                                     description=f"named in the text ({att.cue})", via=via)
                        sources.append(src)
                        source_by_entity[key] = src
                elif att.type == "described":
                    key = "described:" + (att.source_text or "").lower()
                    src = source_by_entity.get(key)
                    if src is None:
                        src = Source(id=doc.next_id("S"), kind="described", name=att.source_text or "a described source",
                                     description=f"described, not named, in the text ({att.cue})", via=via)
                        sources.append(src)
                        source_by_entity[key] = src
                else:
                    src = Source(id=doc.next_id("S"), kind="anonymous", name=att.source_text or "an unnamed source",
                                 description=f"anonymous source ({att.cue})", via=via)
                    sources.append(src)
                src.mentions.append(TextSpan(start=att.source_start, end=att.source_end,
                                             text=text[att.source_start:att.source_end]))
                att.source = src.id
            if att is None and s.role == "relayed":
                src = next((x for x in sources if x.id == s.voice), None)
                att = Attribution(type="relayed", source=s.voice, source_text=src.name if src else None,
                                  cue=s.role_reason)
            elif att is None and s.role == "author":
                att = Attribution(type="author", source=author.id, source_text=author.name, cue="the writer's own words")
            elif att is None:
                att = Attribution(type="none")
            attributions[s.id] = att
            person = next((x for x in sources if x.id == att.source and x.kind == "person"), None) \
                if att.type == "named" and att.source else None
            if person is not None:
                persons.append((index, att, _gender(person.name)))
            elif att.type == "described" and not att.carried_over and (
                    g := _described_gender(att.source_text or "")):
                persons.append((index, att, g))  # "A spokeswoman for the county said ... , she added."
            previous = att if att.type in SOURCED else None
            previous_paragraph = s.paragraph
            if (previous is not None and s.text.rstrip().endswith(":")
                    and (index + 1 == len(sentences) or sentences[index + 1].paragraph != s.paragraph)):
                announced = previous
        self._quoted_before_speaker(doc, sentences, attributions)
        # "Das teilte Sprecher X am Freitag mit." names the source of the sentence before it too.
        for before, s in zip(sentences, sentences[1:]):
            att, prev = attributions.get(s.id), attributions.get(before.id)
            if (att is not None and prev is not None and att.type == "named" and not att.carried_over
                    and prev.type == "author" and before.paragraph == s.paragraph and s.language == "de"
                    and _DE_BACK_REFERENCE.match(s.text)):
                attributions[before.id] = att.model_copy(update={"carried_over": True, "cue": f"{att.cue} (next sentence)"})
        doc.set_layer("attributions", [attributions.get(s.id, Attribution(type="none")) for s in sentences])
        doc.backends[self.name] = "rules" + ("+speech-model" if speech_spans is not None else "")
        return doc

    @staticmethod
    def _quoted_before_speaker(doc: Document, sentences: list, attributions: dict) -> None:
        """A quotation whose speaker is named after it belongs to that speaker in every sentence:
        one over several sentences closed by '..., said Mr. Burman.', or one followed by a short
        sentence that opens with its speaker ('"How many times ...?" | Clinton said.') (sentences
        of one paragraph; a sentence keeps a source named in it)."""
        text = doc.text
        inside = False
        run: list = []  # sentences of the quotation open at the current sentence
        for i, s in enumerate(sentences):
            if i and s.paragraph != sentences[i - 1].paragraph:
                inside, run = False, []
            starts_inside = inside
            inside = _quote_state(text, s.start, s.end, s.language, inside)
            att = attributions.get(s.id)
            explicit = att is not None and att.type in SOURCED and not att.carried_over
            if not starts_inside:
                run = []
            if explicit and run and not inside:  # closes a quotation opened before this sentence
                speaker_of = run
            elif (explicit and not starts_inside and i and not _QUOTE_MARK.search(s.text)
                  and len(s.text.split()) <= 15 and len(text[s.start:att.source_start].split()) <= 4
                  and sentences[i - 1].paragraph == s.paragraph
                  and _QUOTED.match(sentences[i - 1].text)):  # '"...!" | US Senator Jeff Sessions said as ...'
                speaker_of = [sentences[i - 1]]
            else:
                speaker_of = []
            for before in speaker_of:
                old = attributions.get(before.id)
                if old is None or old.type not in SOURCED or old.carried_over:
                    attributions[before.id] = att.model_copy(update={"carried_over": True})
            if inside:
                run.append(s)  # (not run + [s]: an unclosed quotation must not copy its run each sentence)
            else:
                run = []

    @staticmethod
    def _subject_person(text: str, sentences: list, index: int, cue: str, mentions: list,
                        starts: list[int]) -> Attribution | None:
        """For a pronoun speaker with no person quoted shortly before: the person who opens the
        sentence before it (its subject, after at most a title: "Former New York Gov. George
        Pataki is endorsing ..."), where the first name agrees with the pronoun; sentences that
        open with the same pronoun or its possessive are passed over ("On Monday, Clinton leaned
        in. She started off ... Her plan ... '"...," she said.'), at most three of them.
        ``mentions``: the document's (start, end, entity), sorted; ``starts``: their starts."""
        want = _pronoun_gender(cue)
        pronoun = _PRONOUN.search(cue).group(0).lower()
        for before in sentences[max(0, index - 4):index][::-1]:
            for ms, me, entity in itertools.islice(mentions, bisect.bisect_left(starts, before.start), None):
                if ms >= before.end or len(text[before.start:ms].split()) > 4:
                    break  # not at the start: the first person further in is not the subject
                if entity.label != ("ORG" if pronoun == "it" else "PER"):
                    continue
                if want is not None and _gender(entity.name) not in (want, "?"):
                    return None
                return Attribution(type="named", source_text=text[ms:me], cue=cue, source_start=ms, source_end=me)
            opens = _OPENING_PRONOUN.match(before.text)
            if opens is None or _PRONOUN_FAMILY.get(opens.group(1).lower()) != pronoun:
                return None
        return None

    @staticmethod
    def _signature(doc: Document, paragraph) -> Attribution | None:
        """A quotation signed with a name after a dash ('"I'm so ashamed ..." ― Jacklyn Ashley',
        "„...“ – Max Muster") is that person's, every sentence of the paragraph."""
        m = _SIGNATURE.search(doc.text, paragraph.start, paragraph.end)
        if m is None:
            return None
        name = m.group("name").rstrip(".")
        return Attribution(type="named", source_text=name, cue="signed quotation",
                           source_start=m.start("name"), source_end=m.start("name") + len(name))

    @staticmethod
    def _turn_labels(doc: Document, person_names: set[str] = frozenset()) -> list[tuple[int, int, Attribution]]:
        """Speaker turns of a transcript: from a line that opens with a name in capitals and a
        colon ("WALLACE: Do you really see ...", "CLINTON: Well, ...") to the next such line (over
        blank lines where that line is near) or else the next blank line; a title line opening with
        a person of the document and a colon ("Pence: Flowers won't be at debate") for that line
        only. ``(start, end, attribution)`` in text order."""
        text = doc.text
        labels = list(_TURN_LABEL.finditer(text))  # "UPDATE:" is no speaker but ends a turn
        out = []
        for i, m in enumerate(labels):
            label = m.group("label")
            words = label.strip(".").upper().split()
            if " ".join(words) in _NOT_SPEAKERS or any(w in _HEADLINE_WORDS for w in words):
                continue  # "UPDATE:", a headline in capitals ("FIX IS IN: ...")
            if not label.isupper() and (label.lower() not in person_names or text[m.end("label")] != ":"
                                        or text[:m.start()].strip()):
                continue  # only a title line "Pence: ..." (not "Poll: ...", not "Gisela Zohren : Feministin")
            stop = labels[i + 1].start() if i + 1 < len(labels) else len(text)
            if not label.isupper():
                line_end = text.find("\n", m.end())
                stop = min(stop, line_end if line_end >= 0 else len(text))
            blank = text.find("\n\n", m.end(), stop)
            if blank >= 0 and i + 1 < len(labels) and stop - m.end() <= TURN_REACH:
                blank = -1  # a turn of several paragraphs runs on to the next speaker's label
            out.append((m.start(), blank if blank >= 0 else stop, Attribution(
                type="named", source_text=label.title() if label.isupper() else label, cue=TURN_CUE,
                source_start=m.start("label"), source_end=m.end("label"))))
        return out

    @staticmethod
    def _pronoun_speaker(sentence: str, lang: str) -> str | None:
        """The cue where a personal pronoun is the subject of the sentence's verb of saying: at
        its start or right after a closing quotation mark ('"...," he said.', "He added: ...",
        '"...", sagte er.', "Er betonte, ..."), or between commas or closing the sentence ("To
        prevent problems, he said, officials ...", "..., she said."); else None. Not "Sanders,
        who ..., said he may come" or "where he says" (the pronoun belongs to another clause)."""
        verbs = phrase_regex(lang, "attribution_verbs").pattern
        # English "it": an organisation ("The World Bank released its report. It warned that ...")
        pronoun = r"(?:he|she|it)" if lang == "en" else r"(?:er|sie)"
        lead = r"(?:^\s*|[\"”“»«’‘']\s*[,.]?\s+|[\"”“»«’‘'],\s*)"
        m = re.search(rf"(?i){lead}({pronoun}\s+{verbs}|{verbs}\s+{pronoun}\b)", sentence)
        if m is None:  # parenthetical or closing: "To prevent problems, he said, officials ...", "..., she said."
            m = re.search(rf"(?i),\s+({pronoun}\s+{verbs}|{verbs}\s+{pronoun}\b)(?:\s*,|\s*[.!?]?[\"”“»«’‘]*\s*$)",
                          sentence)
        if m is None:  # after a short opening: "Afterwards, he told reporters ...", "Später erklärte sie, ..."
            shape = (rf"^\s*[A-Z][^,;:\"“”„«»]{{0,30}},\s*({pronoun}\s+{verbs})" if lang == "en"
                     else rf"^\s*[A-ZÄÖÜ]\w+\s+({verbs}\s+{pronoun}\b)")
            m = re.search(rf"(?i){shape}", sentence)
        return m.group(1) if m else None

    @staticmethod
    def _continues(sentence: str, lang: str) -> bool:
        if _QUOTED.match(sentence):
            return True
        if lang != "de":
            return False
        # Konjunktiv I, but not the first person, whose indicative looks the same ("werde ich")
        return any(not _FIRST_PERSON.search(sentence, max(0, m.start() - 5), m.end() + 5)
                   for m in phrase_regex("de", "konjunktiv1").finditer(sentence))

    @staticmethod
    def _speech_spans(doc: Document):
        """Speaker spans from the trained taggers of :mod:`quellenlage.speech`, where they ship.

        German: the REDEWIEDERGABE speech tagger (speech kind, speaker, cue); English: the
        PolNeAR attributor (source, cue, content). Returns ``(start, end, speaker, cue, label)``
        tuples, or None where no model ships for the document's language.
        """
        from quellenlage.speech import load_attributor, load_speech_tagger
        from quellenlage.errors import ModelError, UnsupportedLanguageError

        lang = doc.meta.language
        try:
            if lang == "de":
                tagger = load_speech_tagger("de")
                hints = ("attribution_verbs", "attribution_preps", "konjunktiv1")
            elif lang == "en":
                tagger = load_attributor("en")
                hints = ("attribution_verbs", "attribution_preps")
            else:
                return None
        except (ModelError, UnsupportedLanguageError):
            return None
        out = []
        # Only paragraphs with a cue of speech (quotes, a colon, a verb of saying, a source
        # preposition, German Konjunktiv I) can hold attributed speech: tag those alone.
        for p in doc.layer("paragraphs"):
            if not _SPEECH_HINT.search(doc.text, p.start, p.end) and not any(
                    phrase_regex(lang, name).search(doc.text, p.start, p.end) for name in hints):
                continue
            for found in tagger.find(doc.text[p.start:p.end]):
                if lang == "de":
                    start, end, speaker, cue, label = found.start, found.end, found.speaker, found.cue, \
                        f"{found.kind} speech"
                else:
                    (start, end), speaker, cue, label = found.content, found.source, found.cue, "attributed content"
                if speaker:
                    out.append((p.start + start, p.start + end, (p.start + speaker[0], p.start + speaker[1]),
                                (p.start + cue[0], p.start + cue[1]) if cue else None, label))
        return out

    def _explicit(self, doc: Document, s, lang: str, mentions, speech_spans) -> Attribution | None:
        text = doc.text
        start, end = s.start, s.end
        # 0. A source the text keeps anonymous on purpose ("..., who asked not to be named, said")
        found = _anonymity_clause(text, start, end, lang)
        if found is not None:
            return found

        def classify(np_start: int, np_end: int, cue: str) -> Attribution | None:
            np_start, np_end = strip_span(text, np_start, np_end)
            if lang == "de":  # "nach Ansicht von Ökonomen": the source without "von"
                von = _DE_VON.match(text, np_start, np_end)
                np_start = von.end() if von else np_start
            if np_end <= np_start:
                return None
            named = [(ms, me) for ms, me, _e in mentions if np_start <= ms and me <= np_end]
            np_text = text[np_start:np_end]
            if named:
                ms, me = named[0]
                return Attribution(type="named", source_text=text[ms:me], cue=cue, source_start=ms, source_end=me)
            if _is_anonymous(np_text, lang) and not _CLAUSE_IN_PHRASE.search(np_text):  # not "aides cheered as she was"
                return Attribution(type="anonymous", source_text=np_text, cue=cue,
                                   source_start=np_start, source_end=np_end)
            phrase = np_text.strip()
            np = _DE_DESCRIPTION_START.match(phrase) if lang == "de" else None
            phrase = np.group(1) if np else phrase  # "der Polizei", not "der Polizei wurden"
            if (cue.lower() in _DESCRIBING_PREPS and len(phrase.split()) <= 8 and not _NOT_IN_DESCRIPTION.search(phrase)
                    and (_DESCRIBED[lang].match(phrase) or (lang == "de" and _DE_BARE_SOURCE.fullmatch(phrase)
                                                       and phrase.split()[-1] not in _DE_NOT_SOURCES)
                         or (lang == "en" and _EN_BARE_SOURCE.fullmatch(phrase)
                             and phrase.split()[-1] not in _EN_NOT_SOURCES))):
                start_at = np_start + np_text.index(phrase)  # "according to the poll", "laut der Polizei"
                return Attribution(type="described", source_text=phrase, cue=cue,
                                   source_start=start_at, source_end=start_at + len(phrase))
            return None

        # 1. Source prepositions: "laut X", "gemäß X", "according to X"; German "X zufolge".
        for m in phrase_regex(lang, "attribution_preps").finditer(text, start, end):
            if m.group(0).lower() == "wie":
                continue
            np_start, np_end = _np_after(text, m.end(), end, lang)
            found = classify(np_start + (1 if text[np_start:np_start + 1] == " " else 0), np_end, m.group(0))
            if found:
                return found
        if lang == "de":
            for m in re.finditer(r"\bzufolge\b", text[start:end]):
                np_start, np_end = _np_before(text, start, start + m.start())
                found = classify(np_start, np_end, "zufolge")
                if found:
                    return found
            # "Laut Polizeiangaben", "nach Informationen aus Regierungskreisen"; "In einer
            # Mitteilung des Ministeriums heißt es"
            for m in _DE_SOURCE_COMPOUND.finditer(text, start, end):
                found = classify(*m.span("src"), m.group("prep"))
                return found or Attribution(type="described", source_text=m.group("src"), cue=m.group("prep"),
                                            source_start=m.start("src"), source_end=m.end("src"))
            m = _DE_HEARSAY.search(text, start, end)  # "Dem Vernehmen nach": sources the text does not name
            if m:
                return Attribution(type="anonymous", source_text=m.group(0), cue=m.group(0),
                                   source_start=m.start(), source_end=m.end())
            m = _DE_CIRCLES_OPEN.match(text, start, end)
            if m and _is_anonymous(m.group(1), lang):
                return Attribution(type="anonymous", source_text=m.group(1), cue=m.group(0).split()[0],
                                   source_start=m.start(1), source_end=m.end(1))
            m = _DE_HERVORGEHT.search(text, start, end)
            if m:
                group = "a" if m.group("a") else "b"
                found = classify(*m.span(group), "hervorgeht")
                return found or Attribution(type="described", source_text=m.group(group), cue="hervorgeht",
                                            source_start=m.start(group), source_end=m.end(group))
            m = _DE_HEISST_ES.match(text, start, end) or _DE_HEISST_ES_AFTER.search(text, start, end)
            if m:
                named = next(((ms, me) for ms, me, _e in mentions
                              if m.start("src") <= ms and me <= m.end("src")), None)
                if named is not None:
                    return Attribution(type="named", source_text=text[named[0]:named[1]], cue=m.group("cue"),
                                       source_start=named[0], source_end=named[1])
                return Attribution(type="anonymous" if _is_anonymous(m.group("src"), lang) else "described",
                                   source_text=m.group("src"), cue=m.group("cue"),
                                   source_start=m.start("src"), source_end=m.end("src"))
        # 2. Verbs of saying next to a named source: "X sagte", "sagte X", "X hat geschildert".
        verbs = phrase_regex(lang, "attribution_verbs")
        cues = list(verbs.finditer(text, start, end))
        if lang == "de":  # separable verbs: "Das teilte Sprecher Eric Mamer am Freitag mit."
            particle = _DE_SEPARABLE_END.search(text, start, end)
            if particle:
                cues += [m for m in _DE_SEPARABLE.finditer(text, start, particle.start())
                         if m.lastgroup == particle.group(1).lower()
                         and (m.lastgroup != "aus" or _DE_VON_BETWEEN.search(text, m.end(), particle.start()))]
        # German "so" names a speaker only right after a quotation: '„...“, so Baerbock', not
        # "Sei nicht so albern, Otto"
        cues = [m for m in cues if m.group(0).lower() != "so"
                or _QUOTE_MARK.search(text, max(start, m.start() - 3), m.start())
                or (_COMMA_BEFORE.search(text, max(start, m.start() - 3), m.start())
                    and _DE_SO_TAIL.match(text, m.end(), end))]  # "..., so der Verband."
        # a belief is a source's only when the believer is not the writer or the reader: "Police
        # believe", not "I believe", "we believe"
        cues = [m for m in cues if m.group(0).lower() not in ("believe", "believes", "expect", "expects")
                or not _FIRST_SECOND_BEFORE.search(text, max(start, m.start() - 6), m.start())]
        honorifics = phrase_regex(lang, "entities_honorifics", suffix=r"(?!\w)")
        for m in cues:
            # perfect tense, the participle closing the clause: "Habeck hat im Interview mit dem
            # Deutschlandfunk gesagt, die Preise seien ..."
            if lang == "de" and len(m.group(0).strip()) > 3 and _DE_CLAUSE_END.match(text, m.end()):
                subject = [(ms, me) for ms, me, _e in mentions if start <= ms and me <= m.start()
                           and _DE_AUXILIARY.match(text, me) and not re.search(r"[.;:«»\"“”„]", text[me:m.start()])]
                if subject:
                    ms, me = subject[-1]
                    return Attribution(type="named", source_text=text[ms:me], cue=m.group(0).strip(),
                                       source_start=ms, source_end=me)
            near = []  # (words between, mention): the nearest subject wins ("In a Bloomberg interview Trump declared")
            for ms, me, entity in mentions:
                if not (start <= ms and me <= end):
                    continue
                gap_before = text[me:m.start()]
                gap_after = _without_titles(honorifics.sub("", text[m.end():ms]), lang)  # 'said Mr. Burman'
                if 0 <= m.start() - me and len(gap_before.split()) <= 2 and not re.search(r"[,.;:]", gap_before):
                    if not _PASSIVE.search(gap_before) and not (lang == "de" and _DE_PREPOSITION_BEFORE.search(
                            text, max(start, ms - 16), ms)):  # not "Reagan was once asked", "mit der ARD sagte"
                        near.append((len(gap_before.split()), ms, me))
                elif 0 <= m.start() - me and (_APPOSITION.fullmatch(gap_before) or (
                        gap_before.strip() == "," and text[max(start, ms - 2):ms] == ", ")) \
                        and not _SUBJECT_AFTER.match(text, m.end()):  # not "..., entgegnete die blasse Dame"
                    # "Mr. Obama, who understood ..., told", "Mr. King, 82, told", "one of the
                    # family's attorneys, Justin Bamberg, said"
                    near.append((3, ms, me))
                elif (0 <= ms - m.end() and len(gap_after.split()) <= 1 and not re.search(r"[.;:]", gap_after)
                        and not (lang == "de" and _DE_SUBJECT_OPENS.fullmatch(text, start, m.start()))
                        and " " not in m.group(0).strip()  # not "called on President Obama"
                        and (lang != "en" or (_EN_INVERTED_SUBJECT_END.match(text, me, end)
                                              and (_EN_INVERTED_VERB_AFTER.search(text, start, m.start())
                                                   or not text[start:m.start()].strip()  # "Stated Stone:"
                                                   or gap_after.strip() == "by")
                                              and gap_after.strip() not in _PREPOSITIONS))):  # "first reported by Politico"
                    near.append((len(gap_after.split()), ms, me))
            if near:
                _gap, ms, me = min(near)
                return Attribution(type="named", source_text=text[ms:me], cue=m.group(0).strip(),
                                   source_start=ms, source_end=me)
            # An anonymous subject right before the verb: "Insider sagten", "officials said".
            np_start, np_end = _np_before(text, start, m.start())
            aus = _DE_AUS_START.match(text, start, m.start()) if lang == "de" else None
            if aus is not None:
                np_start = aus.end()  # "Aus dem Umfeld der Ministerin verlautete, ..."
            if np_end > np_start and len(text[np_start:np_end].split()) <= 8:
                found = classify(np_start, np_end, m.group(0).strip())
                if found is not None and found.type == "anonymous":
                    return found
            # A title and a name the tagger left out, right before the verb: "South Korean
            # President Park Geun-hye said ..."
            titled = _titled_name_before(text, start, m.start(), lang) if m.group(0)[:1].islower() else None
            if titled is not None:
                return Attribution(type="named", source_text=text[titled[0]:titled[1]], cue=m.group(0).strip(),
                                   source_start=titled[0], source_end=titled[1])
            # A person called by the first name alone, which the tagger left out: '"I would,"
            # Melanie said.'
            # A name that opens the sentence and is no common word: "O'Neill said officials ..."
            first = _FIRST_NAME_BEFORE.search(text, start, m.start()) if lang == "en" else None
            if (first and m.group(0)[:1].islower() and first.group(1).lower() not in word_list(lang, "stopwords")
                    and first.group(1).lower() not in word_list(lang, "attribution_groups")
                    and ((first_name_gender(first.group(1))
                          and (first.start(1) == start
                               or _QUOTE_MARK.search(text, max(start, first.start(1) - 3), first.start(1))))
                         or ((first.start(1) == start  # or right after a quotation: '"...," Shah said.'
                              or _QUOTE_MARK.search(text, max(start, first.start(1) - 3), first.start(1)))
                             and first.group(1).lower() not in _common_words(lang)))):
                return Attribution(type="named", source_text=first.group(1), cue=m.group(0).strip(),
                                   source_start=first.start(1), source_end=first.end(1))
        # 2b. German speech tags after a quotation, whatever the verb: '»...« spöttelte der Doktor.',
        # '»...«, entgegnete Rosenzweig und lachte', '»...«, sagte dann der Alte, »...«'
        if lang == "de":
            for m in _DE_QUOTE_TAG.finditer(text, start, end):
                verb = m.group("verb").split()[0]
                if verb in word_list("de", "stopwords") or verb in _DE_NOT_VERBS:
                    continue  # '„neuen Curs“ der Regierung', '„Texas“ durch Str.'
                named = next(((ms, me) for ms, me, _e in mentions if m.start("np") <= ms < m.end("np")), None)
                ns, ne = named or m.span("np")
                return Attribution(type="named" if named or not _DE_ARTICLE.match(m.group("np")) else "described",
                                   source_text=text[ns:ne], cue=m.group("verb"), source_start=ns, source_end=ne)
        # 3. A quotation announced by a colon after its speaker, who opens the sentence, and one to
        # three words (a verb) in between: 'Der Doktor fuhr auf: »Du bist nicht bei Trost!«'; not
        # 'Das Thema der Sendung: "..."' or 'Google hilft manchmal auf profane Art und Weise: "..."'.
        colon = _COLON_QUOTE.search(text, start, end)
        if colon is not None and not _QUOTE_MARK.search(text, start, colon.start()):
            first = next(((ms, me) for ms, me, _e in mentions if start <= ms < colon.start()), None)
            np = _DE_DESCRIPTION_START.match(text, start, colon.start()) if lang == "de" else None
            if first is not None and not text[start:first[0]].strip():
                np_start, np_end, kind = first[0], first[1], "named"
            elif np is not None:
                np_start, np_end, kind = np.start(1), np.end(1), "described"
            else:
                np_start = np_end = kind = None
            if kind is not None and 1 <= len(text[np_end:colon.start()].split()) <= 3:
                return Attribution(type=kind, source_text=text[np_start:np_end], cue=COLON_CUE,
                                   source_start=np_start, source_end=np_end)
        # 4. The trained taggers' speakers of the speech or content that overlaps this sentence.
        for c_start, c_end, speaker, cue, label in speech_spans or ():
            if c_start < end and start < c_end:
                cue_text = text[cue[0]:cue[1]] if cue else label
                found = classify(speaker[0], speaker[1], f"{cue_text} ({label}, model)")
                if found is not None:
                    return found
        # 5. A described subject right before a verb of saying: "The Indiana governor said",
        # "Die Bank teilte mit", or after it, behind a quotation: '"...," said the spokesman.',
        # '„...“, sagte ein Sprecher des Ministeriums am Montag.', '„...“, so ein Insider.'
        described = _DESCRIBED[lang]
        for m in cues:
            after = None
            # after a quotation or a comma: '"...," said the spokesman', "Die Lage sei ruhig,
            # teilte ein Armeesprecher mit"
            if _QUOTE_MARK.search(text, max(start, m.start() - 4), m.start()) or (
                    lang == "de" and (_COMMA_BEFORE.search(text, max(start, m.start() - 3), m.start())
                                      or _DE_V2_OPENER.fullmatch(text, start, m.start()))):
                after = _DESCRIBED_AFTER[lang].match(text, m.end(), end)
            if after is not None:
                np_start, np_end = after.span(1)
                phrase = after.group(1)
                named = next(((ms, me) for ms, me, _e in mentions if np_start <= ms <= np_end + 1), None)
                if named is not None:  # 'so der Grünen-Politiker Cem Özdemir': the name, not the description
                    return Attribution(type="named", source_text=text[named[0]:named[1]], cue=m.group(0).strip(),
                                       source_start=named[0], source_end=named[1])
                if _is_anonymous(phrase, lang) and not _NOT_IN_DESCRIPTION.search(phrase):
                    return Attribution(type="anonymous", source_text=phrase, cue=m.group(0).strip(),
                                       source_start=np_start, source_end=np_end)
            else:
                if m.group(0)[:1].isupper() or m.group(0).lower() in _NOT_DESCRIBED_CUES \
                        or (lang == "de" and m.group(0).lower().startswith("ge")
                            and m.re is not _DE_SEPARABLE):  # "geht ... von ... aus" is no participle
                    continue  # "the United States", "member states", "the claims"; "die Wahrheit gesagt"
                np_start, np_end = _np_before(text, start, m.start())
                while np_start < np_end and text[np_start] in " \"“”„«»’‘'":  # '"...," the ad's narrator says'
                    np_start += 1
                lead = _LEADING_CONJUNCTION.match(text, np_start, np_end)  # "But critics say"
                if lead:
                    np_start = lead.end()
                if lang == "de":  # a genitive is no clause: "Wie ein Sprecher der Stadt mitteilte"
                    lead = _LEADING_CONJUNCTION.match(text, start, m.start())
                    np = _DE_DESCRIPTION_WITH_PLACE.match(text, lead.end() if lead else start, m.start())
                    gap = "" if np is None else text[np.end():m.start()]
                    # nothing between, or a short adverbial: "Wie die Betreiberfirma auf Anfrage mitteilte"
                    if np is not None and (not gap.strip() or (
                            lead is not None and len(gap.split()) <= 3 and gap.split()[0].islower()
                            and not re.search(r"[^\w\s]", gap))):
                        np_start = np.start(1)
                        if gap.strip():
                            np_end = np.end()
                phrase = text[np_start:np_end].strip()
            if ((described.match(phrase) and 2 <= len(phrase.split()) <= 6 and not _QUOTE_MARK.search(phrase)
                    and not _NOT_IN_DESCRIPTION.search(phrase) and not _DASH.search(phrase))
                    or _is_group(phrase, lang)):
                return Attribution(type="described", source_text=phrase, cue=m.group(0).strip(),
                                   source_start=np_start, source_end=np_start + len(phrase))
        return None
