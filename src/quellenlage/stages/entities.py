"""entities: PER/ORG/LOC/MISC mentions, merged into one entity record per real-world entity.

Backends (registry ``ENTITY_BACKENDS``):
- ``model``: the trained NER of :mod:`quellenlage.ner` (shipped inside the package);
- ``rules``: gazetteers, person titles, first names, acronyms and surname shapes; the embedded
  fallback that needs no model file;
- ``auto`` (default): ``model`` where a trained model exists for the language, else ``rules``;
  gazetteer hits of ``rules`` fill gaps the model leaves.

Corrections of the model's mentions, each measured on the benchmark corpus: a person named in
full by the lists widens the model's shorter mention ("Hillary Clinton"); a name cut at a middle
initial is joined ("Donald J. Trump"); a place or organisation after an honorific is a person
("Ms. Moore"), so is a place that is the surname of a person of the text ("Mariano wrote"); a
multi-word place ending in an organisation word is an organisation ("Texas Tech University");
a capitalised dateline place is a place ("WASHINGTON (Reuters) -"); a common noun after an
article that only GeoNames lists is no place ("Der Deal"), nor is the month of a date ("Jan.
5"), nor an airport code among GeoNames' alternative city names ("BRI"); a mention ends
before a verb of saying inside it ("Shah told InsideSources"); a dateline's place in capitals
is found whole ("DES MOINES, Iowa (AP)"); German: the
genitive of a listed person is that person ("Erdogans Türkei"), and a name does not run on into
the verb after it ("BND soll").

Merging within a document (:func:`merge_mentions`, built on :func:`quellenlage.ner.cluster_mentions`):
inflected ("Kasachstans"), transliterated (Massimov/Massimow, Tokajew/Tokayev,
Nasarbajew/Nazarbayev), surname-only ("Patruschew" after "Nikolai Patruschew"), acronym and
alias mentions ("KNB (Nationales Sicherheitskomitee)") become one entity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from quellenlage.document import Document, SpanIndex
from quellenlage.ner import canonical_name, first_name_gender
from quellenlage.report import Entity, Mention
from quellenlage.resources import phrase_regex, table, word_list
from quellenlage.tokenize import tokenize

_CAP = re.compile(r"^[A-ZÄÖÜ][\w'’.-]*$")
_ACRONYM = re.compile(r"^[A-ZÄÖÜ][A-ZÄÖÜ0-9]{1,5}$")
_SURNAME_SHAPE = re.compile(r"^[A-Z][a-z]+(?:ow|ov|ew|ev|jew|jev|ski|sky|enko|escu|ić|ic|dse|dze|schwili|shvili|yan|jan)$")
_CONNECT = {"al-", "al", "von", "van", "de", "bin", "ibn", "of", "da", "di"}
_LABELS = ("PER", "ORG", "LOC", "MISC")


@dataclass(frozen=True)
class _Gaz:
    names: dict[str, str]
    longest: int
    first_words: frozenset[str]  # first token of each name, for a quick check before lookups
    titles: frozenset[str]
    first_names: frozenset[str]
    org_words: frozenset[str]
    endings: tuple[str, ...]  # case endings a listed name may take ("Kasachstans"); none in English


@lru_cache(maxsize=None)
def _gazetteer(lang: str) -> _Gaz:
    names = {name: label for name, label in table(lang, "entities_gazetteer")}
    longest = max((len(tokenize(n)) for n in names), default=1)
    first = frozenset(n[s:e] for n in names for s, e in tokenize(n)[:1])
    return _Gaz(names, longest, first, frozenset(word_list(lang, "entities_person_titles")),
                frozenset(word_list(lang, "entities_first_names")), frozenset(word_list(lang, "entities_org_words")),
                ("s", "es", "n", "en") if lang == "de" else ())


@lru_cache(maxsize=1 << 16)
def _may_begin_name(lang: str, word: str) -> bool:
    """Whether ``word`` (or it without a German case ending) begins a gazetteer name."""
    first = _gazetteer(lang).first_words
    return word in first or any(word.endswith(x) and word[:-len(x)] in first
                                for x in ("s", "es", "n", "en"))


def _lookup(gaz: _Gaz, name: str) -> str | None:
    if name in gaz.names:
        return gaz.names[name]
    for suffix in gaz.endings:  # German genitive/dative endings ("American" is not "America")
        if name.endswith(suffix) and name[: -len(suffix)] in gaz.names:
            return gaz.names[name[: -len(suffix)]]
    return None


@lru_cache(maxsize=None)
def _org_suffix_regex(lang: str) -> re.Pattern:
    """Compounds ending in an organisation word ("Sicherheitskomitee", "Wetterdienstes")."""
    words = sorted({w.lower() for w in word_list(lang, "entities_org_words") if len(w) >= 5}, key=len, reverse=True)
    return re.compile(r"^\w{4,}(?:" + "|".join(re.escape(w) for w in words) + r")(?:s|es|n|en)?$")


def _is_org_word(gaz: _Gaz, word: str, lang: str) -> bool:
    return word in gaz.org_words or bool(_org_suffix_regex(lang).match(word.lower()))


_ROMAN = re.compile(r"^[IVXLCDM]+$")  # also "DC", "MC": on EWT dev these were no organisation either


def _not_acronym_name(word: str, lang: str) -> bool:
    """Whether a word in capitals is no organisation's acronym: a roman numeral ("Thutmosis
    III"), an abbreviation of a thing (``entities_not_acronyms``: "DNA", "GBP", "PM"), or a
    frequent lower-case word written in capitals ("FREE", "NOTE")."""
    return (bool(_ROMAN.match(word)) or word in word_list(lang, "entities_not_acronyms")
            or word.lower() in _frequent_lower(lang))


@lru_cache(maxsize=None)
def _frequent_lower(lang: str) -> frozenset[str]:
    """The NER model's list of frequent words usually written in lower case (empty without it)."""
    from quellenlage.ner.tagger import model_dir

    path = model_dir() / f"{lang}_lowercase.txt"
    return frozenset(path.read_text(encoding="utf-8").split()) if path.exists() else frozenset()


def rule_mentions(text: str, lang: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """Entity mentions found by rules in ``text[start:end]``: ``(start, end, label)``."""
    lang = lang if lang in ("de", "en") else "en"
    gaz = _gazetteer(lang)
    toks = tokenize(text, start, end)
    words = [text[s:e] for s, e in toks]
    out: list[tuple[int, int, str]] = []
    i = 0
    n = len(toks)
    # The capitalised run a position lies in ends where the run of its first word ends, and holds
    # an organisation word from i on if its last one is at i or later: both found once per run,
    # so that a long run of capitalised words costs linear time, not quadratic.
    run_end, run_last_org = 0, None
    while i < n:
        # A capitalised run (with name connectors such as "al-", "von").
        j = i + 1
        if _CAP.match(words[i]):
            if i < run_end:
                j = run_end
            else:
                while j < n and (_CAP.match(words[j]) or (words[j].lower() in _CONNECT and j + 1 < n
                                                          and _CAP.match(words[j + 1]))):
                    j += 1
                run_end, run_last_org = j, None
        if j > i + 1 and run_last_org is None:
            run_last_org = max((k for k in range(i, j) if _is_org_word(gaz, words[k], lang)), default=-1)
        if j > i + 1 and run_last_org >= i and words[i] not in gaz.titles:
            out.append((toks[i][0], toks[j - 1][1], "ORG"))
            i = j
            continue
        # Longest gazetteer match (only where the word can begin a name).
        hit = None
        w0 = words[i]
        maybe = _may_begin_name(lang, w0)
        for length in range(min(gaz.longest, n - i) if maybe else 0, 0, -1):
            s, e = toks[i][0], toks[i + length - 1][1]
            label = _lookup(gaz, text[s:e])
            if label:
                hit = (length, label)
                break
        if hit:
            length, label = hit
            out.append((toks[i][0], toks[i + length - 1][1], label))
            i += length
            continue
        w = words[i]
        if not _CAP.match(w):
            i += 1
            continue
        run = words[i:j]
        prev = words[i - 1] if i > 0 else ""
        sentence_initial = i == 0 or words[i - 1] in {".", "!", "?", ":", "\"", "„", "“", "(", "-", "–"}
        label = None
        if _ACRONYM.match(w) and j == i + 1:
            label = None if _not_acronym_name(w, lang) else "ORG"
        elif prev in gaz.titles or (i > 1 and f"{words[i-2]} {prev}" in gaz.titles):
            label = "PER"
        elif w in gaz.first_names and j > i + 1:
            label = "PER"
        elif _SURNAME_SHAPE.match(w) and gaz.names.get(w[:-1]) != "LOC":  # not "Libyan"
            label = "PER"
        elif lang == "en" and not sentence_initial:
            label = "MISC" if j == i + 1 else "ORG" if any(r in gaz.org_words for r in run) else "MISC"
        if label == "PER" and j > i + 1 and not all(_CAP.match(x) or x.lower() in _CONNECT for x in run):
            j = i + 1
        if label:
            # Keep person names to the name itself (first name + surname, at most 3 tokens).
            if label == "PER":
                j = min(j, i + 3)
            out.append((toks[i][0], toks[j - 1][1], label))
            i = j
        else:
            i += 1
    return out


# --- merging ---------------------------------------------------------------------------------


def _wider_name(gaz: _Gaz, text: str, start: int, end: int, label: str, inner: list[tuple[int, int, str]]) -> bool:
    """Whether the rule mention ``text[start:end]`` should replace the model's shorter mentions
    ``inner`` of the same label inside it: it is a listed name, or a person whose other words
    are first names ("Hillary Clinton" where the model found only "Clinton")."""
    if _lookup(gaz, text[start:end]) == label:
        return True
    if label != "PER":
        return False
    rest = [text[s:e] for s, e in tokenize(text, start, end) if not any(a <= s and e <= b for a, b, _ in inner)]
    return bool(rest) and all(w in gaz.first_names or w.lower() in _CONNECT for w in rest)


def _titled_person(text: str, span: tuple[int, int, str], gaz: _Gaz, lang: str) -> tuple[int, int, str]:
    """A model mention of an organisation or place that ends in "<title> <first name> <surname>"
    is that person ("Fed Chair Jerome Powell" -> "Jerome Powell", PER); so is one right after an
    honorific ("Ms. Moore", where "Moore" is also a town; "Frau Lindner")."""
    start, end, label = span
    if label == "PER":
        return span
    if phrase_regex(lang, "entities_honorifics", suffix=r"\s+$").search(text, max(0, start - 8), start):
        return start, end, "PER"
    toks = tokenize(text, start, end)
    words = [text[a:b] for a, b in toks]
    for j in range(1, len(words) - 1):
        if (words[j - 1] in gaz.titles and _is_first_name(gaz, words[j]) and len(words) - j <= 3
                and all(_CAP.match(w) for w in words[j + 1:])):
            return toks[j][0], end, "PER"
    return span


_INITIAL_END = re.compile(r"(?<![\w.])[A-Z]$")
_POSSESSIVE_INSIDE = re.compile(r"\w['’]s\b")
_AFTER_INITIAL = re.compile(r"\.\s(?:[A-Z]\.\s)?[A-Z][\w'’-]+(?:\s(?:Jr|Sr)\.|\s(?:II|III|IV)\b)?")


def _join_initials(text: str, spans: list[tuple[int, int, str]], gaz: _Gaz) -> list[tuple[int, int, str]]:
    """A person's name cut at a middle initial becomes one ("Donald J" + "Trump", "Mary J" + the
    organisation "Blige" -> "Donald J. Trump", "Mary J. Blige"); so does an other mention that
    ends in a first name and an initial ("Singer Mary J" -> "Mary J. Blige"). Spans sorted by start."""
    out: list[tuple[int, int, str]] = []
    for start, end, label in spans:
        if out and start < out[-1][1]:  # inside a name that was joined: the name takes all of it
            out[-1] = (out[-1][0], max(out[-1][1], end), "PER")
            continue
        m = None
        if _INITIAL_END.search(text, start, end) and not _POSSESSIVE_INSIDE.search(text, start, end):
            toks = tokenize(text, start, end)
            if label != "PER" and len(toks) >= 2 and _is_first_name(gaz, text[toks[-2][0]:toks[-2][1]]):
                m = _AFTER_INITIAL.match(text, end)
                if m:
                    start, label = toks[-2][0], "PER"
            elif label == "PER":
                m = _AFTER_INITIAL.match(text, end)
        out.append((start, m.end() if m else end, label))
    return out


@lru_cache(maxsize=1)
def _honorific_name() -> re.Pattern:
    return re.compile(phrase_regex("en", "entities_honorifics", suffix=r"(?!\w)").pattern
                      + r"\s+(?P<name>(?:[A-Z]\.){0,3}\s?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})")


_OFFICES = frozenset({"President", "Speaker", "Chairman", "Chairwoman", "Secretary", "Mayor", "Chief", "Justice"})


def _after_honorific(text: str, start: int, end: int, spans: list) -> list[tuple[int, int, str]]:
    """English: the capitalised name right after an honorific that the tagger left out is a person
    ("said Mr. Burman", "Mr. Van Voorhis"; not "Mr. President")."""
    out = []
    for m in _honorific_name().finditer(text, start, end):
        a, b = m.span("name")
        first = m.group("name").split()[0]
        if (first not in _OFFICES and first + "." not in word_list("en", "entities_honorifics")  # "Lt. Gov. Dan Patrick"
                and not any(x[0] < b and a < x[1] for x in spans)):
            out.append((a, b, "PER"))
    return out


_OF = {"of", "for", "der", "des", "für"}


def _org_head(words: list[str], lang: str) -> bool:
    """Whether a name of two or more words is headed by an organisation word: its last word, or
    the word before "of"/"der" ("Syracuse University", "Islamic Movement of Uzbekistan")."""
    head = next((words[i - 1] for i in range(1, len(words)) if words[i] in _OF), words[-1])
    return len(words) > 1 and head in word_list(lang, "entities_org_heads")


def _org_headed(text: str, span: tuple[int, int, str], lang: str, tagger) -> tuple[int, int, str]:
    """A multi-word place or other name of the tagger headed by an organisation word is an
    organisation ("Economic Eurasia Union", "Islamic Movement of Uzbekistan"), unless the place
    lists hold it ("Soviet Union"); so is an other name that only the organisation list holds
    ("Taliban": GermEval's one "Taliban" is an other name)."""
    start, end, label = span
    if label not in ("LOC", "MISC") or tagger is None:
        return span
    words = [text[a:b] for a, b in tokenize(text, start, end)]
    listed = tagger.extractor.gazetteer.entries.get(tuple(words), "")
    if (_org_head(words, lang) and "LOC" not in listed) or (label == "MISC" and listed == "ORG"):
        return start, end, "ORG"
    return span


_DATELINE_REST = re.compile(r"(?:,[^\n(]{1,40}?)?\s*\((?:[A-Za-z]+(?:[ /][A-Za-z]+)?)\)\s*[-–—]")


def _dateline_place(text: str, span: tuple[int, int, str]) -> tuple[int, int, str]:
    """A capitalised place at the start of a line before a news agency is a place, not an
    organisation: "WASHINGTON (Reuters) -", "FLINT, Mich., Oct. 4 (UPI) —"."""
    start, end, label = span
    if label == "LOC" or not text[start:end].isupper() or (start and text[start - 1] != "\n"):
        return span
    return (start, end, "LOC") if _DATELINE_REST.match(text, end) else span


def _is_first_name(gaz: _Gaz, word: str) -> bool:
    return word in gaz.first_names or first_name_gender(word) is not None


def merge_mentions(mentions: list[tuple[int, int, str, str]], text: str, lang: str) -> list[int]:
    """Cluster ids for ``(start, end, label, surface)`` mentions (in document order).

    Spelling, inflection, transliteration, surname, acronym and alias rules are those of
    :func:`quellenlage.ner.cluster_mentions`; on top, a definition in parentheses joins its two
    sides: "KNB (Nationales Sicherheitskomitee)", "Nationales Sicherheitskomitee (KNB)", where
    both carry the same label (a news dateline "Mexico City (AFP)" names a place and an agency).
    """
    from quellenlage.ner import cluster_mentions

    ids = cluster_mentions([(m[3], m[2]) for m in mentions], lang=lang if lang in ("de", "en") else "en")
    for i in range(len(mentions) - 1):
        a, b = mentions[i], mentions[i + 1]
        if text[a[1]:b[0]].strip() == "(" and a[2] == b[2] and (_ACRONYM.match(a[3]) or _ACRONYM.match(b[3])):
            old, new = ids[i + 1], ids[i]
            ids = [new if x == old else x for x in ids]
    return ids


def majority_label(labels: list[str]) -> str:
    """An entity's label: the most frequent of its mentions' labels; on a tie PER, then the one
    seen first (never the iteration order of a set, which changes from run to run)."""
    return max(dict.fromkeys(labels), key=lambda lab: (labels.count(lab), lab == "PER"))


def entity_label(mentions: list[tuple[str, str]], lang: str) -> str:
    """The label of an entity from its ``(surface, label)`` mentions: an organisation where one
    of them is an organisation by its head word ("Economic Eurasia Union" ORG beside three
    "EAEU" the tagger read as a place: an acronym has no word that tells its type); otherwise
    the majority (:func:`majority_label`)."""
    if any(label == "ORG" and _org_head(surface.split(), lang) for surface, label in mentions):
        return "ORG"
    return majority_label([label for _, label in mentions])


# --- the stage -------------------------------------------------------------------------------


_COMMON = 0.8 * 255  # the prior's O probability (x 255) from which a word counts as a common word


def _common_word(tagger, word: str) -> bool:
    """Whether a capitalised single word is, by the tagger's entity-type prior, a common word
    rather than a name ("Interview", "Talkshow" have a surname's ending; "Regierung" is an
    organisation word; "Oder" opens a sentence): a rule does not add it beside the tagger, which
    had read it too. Words in capitals are left to the rules (their prior is the lower-case
    word's: "ZEIT"), as are words without a prior (English, words the table lacks)."""
    clusters = tagger.extractor.clusters
    if clusters.prior is None or " " in word or word.isupper():
        return False
    i = clusters.index(word.lower())
    return i >= 0 and clusters.prior[i][0] >= _COMMON


_DETERMINERS = frozenset("der die das den dem des ein eine einen einem einer eines the a an".split())


@lru_cache(maxsize=None)
def _hand_places(lang: str) -> frozenset[str]:
    """The tagger's hand-written place lists (not the list generated from GeoNames)."""
    return frozenset(word_list(lang, "ner_loc_cities")) | frozenset(word_list(lang, "ner_loc_countries"))


def _common_noun_place(text: str, span: tuple[int, int, str], tagger, gaz: _Gaz, lang: str) -> bool:
    """Whether a one-word place of the tagger is a common noun after an article that only the
    GeoNames list holds as a place ("Der Deal war, dass ...": Deal is a town in Kent): no hand
    list has it, the entity-type prior reads the word as a common word, and an article stands
    right before it ("aus Plano", "von Nanking" keep their places)."""
    start, end, label = span
    word = text[start:end]
    if label != "LOC" or " " in word or word.isupper():
        return False
    if _lookup(gaz, word) == "LOC" or word in _hand_places(lang):
        return False
    before = text[max(0, start - 12):start].split()[-1:]
    return (tagger.extractor.gazetteer.entries.get((word,)) == "LOC" and _common_word(tagger, word)
            and bool(before) and before[0].lower() in _DETERMINERS)


def _code_place(text: str, span: tuple[int, int, str], tagger, gaz: _Gaz, lang: str) -> bool:
    """Whether a one-word place of the tagger is a word of two to four capitals that only the
    GeoNames list holds, among its cities' alternative names, which include their airports'
    codes ("BRI" is Bari's, "SCO" Aktau's, "BND" Bandar Abbas's): in running text such a word
    is an acronym, not a place. No hand list has it as a place."""
    start, end, label = span
    word = text[start:end]
    if label != "LOC" or not (2 <= len(word) <= 4 and word.isalpha() and word.isupper()):
        return False
    if _lookup(gaz, word) == "LOC" or word in _hand_places(lang):
        return False
    return tagger.extractor.gazetteer.entries.get((word,)) == "LOC"


_TRAILING_COMMON = 0.75 * 255  # the prior's O probability (x 255) of a lower-case word a name does not end in


def _without_trailing_verb(text: str, span: tuple[int, int, str], tagger) -> tuple[int, int, str]:
    """German: a tagger's mention of a person, organisation or place without the lower-case words
    it ran on into, where the entity-type prior reads them as common words ("BND soll", "SCO
    tagt"; titles of works, MISC, keep theirs: "Ecce homo")."""
    start, end, label = span
    if label == "MISC":
        return span
    prior = tagger.extractor.clusters
    toks = tokenize(text, start, end)
    while len(toks) > 1:
        word = text[toks[-1][0]:toks[-1][1]]
        i = prior.index(word) if word.isalpha() and word.islower() and word not in _CONNECT else -1
        if i < 0 or prior.prior[i][0] < _TRAILING_COMMON:
            break
        toks.pop()
    return start, toks[-1][1], label


@lru_cache(maxsize=None)
def _speech_verbs(lang: str) -> frozenset[str]:
    """One-word verbs of saying of the attribution stage's list, lower case ("said", "told"), but
    not those that are nouns as often ("states", "reports", "claims")."""
    nouns = {"states", "reports", "claims", "finds", "so", "wie", "zitiert"}
    return frozenset(w for w in word_list(lang, "attribution_verbs") if " " not in w and w.islower()
                     and w not in nouns)


def _before_speech_verb(text: str, span: tuple[int, int, str], lang: str) -> tuple[int, int, str]:
    """A tagger's mention cut before a lower-case verb of saying inside it, which no name holds
    ('"...," Shah told InsideSources' read as one organisation; titles of works, MISC, keep
    theirs)."""
    start, end, label = span
    if label == "MISC":
        return span
    toks = tokenize(text, start, end)
    verbs = _speech_verbs(lang)
    for i, (a, b) in enumerate(toks[1:], 1):
        if text[a:b] in verbs:
            return start, toks[i - 1][1], label
    return span


@lru_cache(maxsize=None)
def _months(lang: str) -> frozenset[str]:
    """Month names and their abbreviations without the period ("Jan", "Sept", "August")."""
    return frozenset(row[0].rstrip(".") for row in table(lang, "months"))


_DAY_OR_YEAR = re.compile(r"\.?\s+\d{1,4}\b")
_TIME_WORDS = frozenset("""in since until till by from through during last next early late mid of before after
this im seit bis ab vom zum Anfang Ende Mitte letzten nächsten diesen diesem""".split())


def _month_of_date(text: str, span: tuple[int, int, str], lang: str) -> bool:
    """Whether a mention is the month of a date ("Jan. 5", "Sept. 28", "August 2021", "in March",
    "seit August"): "Jan" and "August" are first names to the tagger ("Theresa May" stays)."""
    start, end, _ = span
    if text[start:end] not in _months(lang):
        return False
    before = text[max(0, start - 12):start].split()[-1:]
    return bool(_DAY_OR_YEAR.match(text, end)) or (bool(before) and before[0] in _TIME_WORDS)


_DATELINE = re.compile(r"(?m)^[A-Z][A-Z'.-]+(?: [A-Z][A-Z'.-]+){0,3}(?=" + _DATELINE_REST.pattern + ")")


def _org_around_places(text: str, start: int, end: int, inner: list[tuple[int, int, str]], gaz: _Gaz) -> bool:
    """English: whether a rule's organisation ending in an organisation word holds places the
    tagger found ("The Ohio Farm Bureau", "Florida Atlantic University", where the tagger found
    "Ohio", "Florida" + "Atlantic University"); one place that runs to the end is the tagger's
    name ("The Soviet Union")."""
    last = start + text[start:end].rstrip().rfind(" ") + 1  # the organisation word's start
    whole = len(inner) == 1 and inner[0][1] == end  # one place up to the end: "The Soviet Union"
    return (not whole and all(start <= a and b <= end and label == "LOC" for a, b, label in inner)
            and _is_org_word(gaz, text[last:end], "en"))


def _dateline_places(text: str, start: int, end: int, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The place of a news dateline in capitals, where the tagger left it out or found a part of
    it: "LOS ANGELES, Sept. 28 (UPI) --", "DES MOINES, Iowa (AP)" (it reads capitals poorly)."""
    for m in _DATELINE.finditer(text, start, end):
        inner = [x for x in spans if x[0] < m.end() and m.start() < x[1]]
        if m.start() == start and all(m.start() <= a and b <= m.end() for a, b, _ in inner):
            spans = [x for x in spans if x not in inner] + [(m.start(), m.end(), "LOC")]
    return spans


def _person_genitive(word: str, entries: dict) -> bool:
    """Whether a word is the genitive of a person on the tagger's people list and no listed name
    itself ("Erdogans", "Merkels"; not "Nikolaus")."""
    return (len(word) > 3 and word.endswith("s") and word[:1].isupper()
            and entries.get((word[:-1],)) == "PER" and (word,) not in entries)


def _place_genitive(word: str, entries: dict) -> bool:
    """Whether a word is the genitive of a place on the hand lists and no listed name itself
    ("Bayerns", "Chinas"; not "Paris")."""
    return (len(word) > 3 and word.endswith("s") and (word,) not in entries
            and word[:-1] in _hand_places("de"))


def _org_acronym_compound(word: str, entries: dict) -> bool:
    """Whether a hyphenated name begins with a listed organisation's acronym ("ISIS-Khorasan",
    "ZDF-Morgenmagazin": GermEval labels such names by the organisation)."""
    head, _, rest = word.partition("-")
    return bool(rest[:1].isupper() and _ACRONYM.match(head) and entries.get((head,)) == "ORG")


def _german_mention_fixes(text: str, start: int, end: int, spans: list[tuple[int, int, str]],
                          tagger) -> list[tuple[int, int, str]]:
    """German: the genitive of a listed person is that person, where the tagger missed it
    ("mit Erdogans Türkei") or read it as part of the place before it ("der Türkei Erdogans" ->
    "Türkei" LOC, "Erdogans" PER); the genitive of a listed place that the tagger read as a
    person is the place ("Bayerns Ministerpräsident Markus Söder"); a hyphenated name that begins
    with a listed organisation's acronym is an organisation ("ISIS-Khorasan"). Spans sorted by
    start."""
    entries = tagger.extractor.gazetteer.entries
    out = []
    for a, b, label in spans:
        toks = tokenize(text, a, b)
        words = [text[x:y] for x, y in toks]
        if label == "PER" and len(words) == 1 and _place_genitive(words[0], entries):  # "Bayerns Ministerpräsident"
            out.append((a, b, "LOC"))
        elif label in ("LOC", "PER") and len(words) == 1 and _org_acronym_compound(words[0], entries):  # "ISIS-Khorasan"
            out.append((a, b, "ORG"))
        elif (label != "PER" and len(words) == 2 and _person_genitive(words[1], entries)
              and "LOC" in entries.get(tuple(words[:1]), "")):
            out += [(a, toks[0][1], label), (toks[1][0], b, "PER")]
        else:
            out.append((a, b, label))
    taken = SpanIndex((a, b, None) for a, b, _ in out)
    for x, y in tokenize(text, start, end):
        if _person_genitive(text[x:y], entries) and not taken.overlaps(x, y):
            out.append((x, y, "PER"))
    return sorted(out)


def _uninflected_person(name: str) -> str:
    """A German person's name without the genitive "-s" where the tagger's people list holds it
    so ("Erdogans" -> "Erdogan"; "Nikolaus" stays)."""
    entries = _model_tagger("de").extractor.gazetteer.entries
    return name[:-1] if _person_genitive(name.split()[-1], entries) else name


def _model_tagger(lang: str):
    """The trained tagger of :mod:`quellenlage.ner`, or None where none ships for ``lang``."""
    from quellenlage.ner import load_tagger
    from quellenlage.errors import ModelError, UnsupportedLanguageError

    try:
        return load_tagger(lang)
    except (UnsupportedLanguageError, ModelError):
        return None


ENTITY_BACKENDS = ("auto", "model", "rules")
_LEADING = re.compile(r"^(?:(?:der|die|das|des|dem|den|the|laut|gemäß)\s+|[\W_]+)", re.IGNORECASE)
_ARTICLE_NAME = re.compile(r"(?:Der|Die|Das|Den|The)\s+[^\W\d_][\w-]*")  # "Den Haag", "Die Zeit", "The Hague"
_LEADING_NOT_ARTICLE = re.compile(r"^(?:(?:laut|gemäß)\s+|[\W_]+)", re.IGNORECASE)
_TRAILING = re.compile(r"(?:[^\w.]+|\s+)$")
_POSSESSIVE = re.compile(r"(?<=[^\W\d_]{2})['’]s$")


def trim_span(text: str, start: int, end: int, articles: bool = True) -> tuple[int, int]:
    """Drop articles and stray punctuation at a mention's edges ("Die Bundesregierung", "Tokajew [").
    ``articles=False`` keeps a leading article (the stage does so where the trained tagger took
    a capitalised article and one word as the name: "Den Haag", "Die Zeit", "The Hague"; in
    longer names it is mostly the start of the sentence: "The Democratic National Committee")."""
    leading = _LEADING if articles else _LEADING_NOT_ARTICLE
    while True:
        m = leading.match(text[start:end])  # on a slice: "^" does not anchor at a match position
        if not m or start + m.end() >= end:
            break
        start += m.end()
    while end > start:
        m = _TRAILING.search(text[start:end])
        if not m or m.start() == 0:
            break
        end = start + m.start()
    return start, end


class EntitiesStage:
    name = "entities"
    requires = ("sentences", "roles")
    provides = ("entities",)

    def __init__(self, backend: str = "auto") -> None:
        from quellenlage.errors import ConfigurationError

        if backend not in ENTITY_BACKENDS:
            raise ConfigurationError(f"unknown entity backend '{backend}'", hint=f"choose one of {ENTITY_BACKENDS}")
        self.backend = backend

    def _find_all(self, doc: Document, sentences: list) -> tuple[dict[str, list[tuple[int, int, str]]], set[str], set[int]]:
        """Mentions per sentence id: the model over all sentences of a language at once (so that
        a name found in one sentence is found in the others), gazetteer hits filling its gaps;
        the backends used; the start offsets of the model's own mentions."""
        found: dict[str, list[tuple[int, int, str]]] = {}
        used: set[str] = set()
        model_starts: set[int] = set()
        by_lang: dict[str, list] = {}
        for sentence in sentences:
            by_lang.setdefault(sentence.language, []).append(sentence)
        for lang, group in by_lang.items():
            tagger = None if self.backend == "rules" else _model_tagger(lang)
            if tagger is None and self.backend == "model":
                from quellenlage.errors import ModelError

                raise ModelError(f"no trained NER model ships for '{lang}'", hint="use --entities rules")
            model_spans = tagger.find_many([x.text for x in group], same_document=True) if tagger else None
            used.add("model+gazetteer" if tagger else "rules")
            gaz_lang = lang if lang in ("de", "en") else "en"
            gaz = _gazetteer(gaz_lang)
            not_names = word_list(gaz_lang, "entities_not_acronyms")  # also where the model took one ("in GBP")
            for i, sentence in enumerate(group):
                rules = rule_mentions(doc.text, lang, sentence.start, sentence.end)
                if model_spans is None:
                    found[sentence.id] = rules
                    continue
                spans = [(sentence.start + a, sentence.start + b, label) for a, b, label in model_spans[i]
                         if label in _LABELS and sentence.text[a:b] not in not_names]
                spans = [_without_trailing_verb(doc.text, x, tagger) if lang == "de" else x for x in spans
                         if not _common_noun_place(doc.text, x, tagger, gaz, gaz_lang)
                         and not _code_place(doc.text, x, tagger, gaz, gaz_lang)
                         and not _month_of_date(doc.text, x, gaz_lang)]
                spans = [_before_speech_verb(doc.text, x, gaz_lang) for x in spans]
                spans = _dateline_places(doc.text, sentence.start, sentence.end, spans)
                if lang == "de":
                    spans = _german_mention_fixes(doc.text, sentence.start, sentence.end, sorted(spans), tagger)
                model_starts.update(x[0] for x in spans)
                for a, b, label in rules:  # gazetteer/acronym hits fill what the model left out
                    if label == "MISC" or _common_word(tagger, doc.text[a:b]):
                        continue
                    inner = [x for x in spans if a < x[1] and x[0] < b]
                    if not inner:
                        spans.append((a, b, label))
                    elif (all(a <= fs and fe <= b and fl == label and (fs, fe) != (a, b) for fs, fe, fl in inner)
                          and _wider_name(gaz, doc.text, a, b, label, inner)):
                        spans = [x for x in spans if x not in inner] + [(a, b, label)]
                    elif lang == "en" and label == "ORG" and _org_around_places(doc.text, a, b, inner, gaz):
                        spans = [x for x in spans if x not in inner] + [(a, b, label)]
                if lang == "en":
                    spans += _after_honorific(doc.text, sentence.start, sentence.end, spans)
                found[sentence.id] = _join_initials(doc.text, sorted(
                    _dateline_place(doc.text, _org_headed(doc.text, _titled_person(doc.text, x, gaz, gaz_lang),
                                                          gaz_lang, tagger)) for x in spans), gaz)
        return found, used, model_starts

    @staticmethod
    def _surname_mentions(doc: Document, raw: list, careful: bool = False) -> list:
        """Surnames of full-name persons elsewhere in the text are that person ("Markus Lewe" ... "Lewe").

        ``careful`` (beside the trained tagger, which finds most names itself): only names that
        begin with a listed first name lend their surname ("Dan Gross", not "Democratic
        Governor"), and a surname that is mostly a lower-case word ("Gross", "Was") is not taken
        at the start of a sentence."""
        lang = doc.meta.language if doc.meta.language in ("de", "en") else "en"
        first_names = _gazetteer(lang).first_names
        surnames = {m[3].split()[-1] for m in raw if m[2] == "PER" and len(m[3].split()) > 1
                    and (not careful or m[3].split()[0] in first_names)}
        surnames = {x for x in surnames if len(x) > 2 and x[:1].isupper()}
        if not surnames:
            return raw
        tagger = _model_tagger(lang) if careful else None
        frequent = tagger.extractor.frequent if tagger is not None else frozenset()
        pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(x) for x in sorted(surnames, key=len, reverse=True))
                             + r")s?(?![\w-])")
        taken = SpanIndex((m[0], m[1], None) for m in raw)
        added = []
        for sentence in doc.layer("sentences"):
            if sentence.role in ("elision", "boilerplate"):
                continue
            for m in pattern.finditer(doc.text, sentence.start, sentence.end):
                if m.group(1).lower() in frequent and not doc.text[sentence.start:m.start()].strip(" \"'„“”‚‘’«»([-–"):
                    continue
                if not taken.overlaps(m.start(), m.end()):
                    added.append((m.start(), m.end(), "PER", m.group(0), sentence.id))
                    taken.add(m.start(), m.end())
        return sorted(raw + added)

    @staticmethod
    def _surnames_not_places(doc: Document, raw: list) -> list:
        """A one-word place that is the surname of a person named in full in the same text is
        that person ("Connie Mariano" ... "Mariano wrote"; "Mariano" is also a town), unless the
        place is on the hand-written lists ("George Washington" ... "Washington")."""
        lang = doc.meta.language if doc.meta.language in ("de", "en") else "en"
        gaz = _gazetteer(lang)
        surnames = {m[3].split()[-1] for m in raw if m[2] == "PER" and len(m[3].split()) > 1
                    and _is_first_name(gaz, m[3].split()[0])}
        return [(m[0], m[1], "PER", *m[3:]) if m[2] == "LOC" and m[3] in surnames and _lookup(gaz, m[3]) is None
                else m for m in raw]

    def __call__(self, doc: Document) -> Document:
        raw: list[tuple[int, int, str, str, str]] = []
        sentences = [x for x in doc.layer("sentences") if x.role not in ("elision", "boilerplate")
                     and not (x.role == "citation" and "://" in x.text)]
        found, used, model_starts = self._find_all(doc, sentences)
        lang = doc.meta.language if doc.meta.language in ("de", "en") else "en"
        for sentence in sentences:
            for s, e, label in found[sentence.id]:
                s, e = trim_span(doc.text, s, e, articles=s not in model_starts  # "Den Haag", "DES MOINES, Iowa (AP)"
                                 or not (_ARTICLE_NAME.fullmatch(doc.text, s, e) or _DATELINE.match(doc.text, s)))
                if label == "PER":  # "Ms. Moore" -> "Moore", "Herr Müller" -> "Müller"
                    m = phrase_regex(lang, "entities_honorifics", suffix=r"\s+").match(doc.text, s, e)
                    s = m.end() if m and m.end() < e else s
                if label in ("PER", "LOC") and _POSSESSIVE.search(doc.text, s, e):
                    e -= 2  # "Trump’s" -> "Trump" (not organisations: "McDonald's")
                if e > s:
                    raw.append((s, e, label, doc.text[s:e], sentence.id))
        # surnames of full names elsewhere in the text (the trained tagger carries its own names
        # across the document, but not the ones the gazetteer or rules added)
        raw = self._surname_mentions(doc, raw, careful="rules" not in used)
        raw = self._surnames_not_places(doc, raw)
        clusters = merge_mentions([(s, e, label, surface) for s, e, label, surface, _ in raw], doc.text,
                                  doc.meta.language or "en")
        grouped: dict[int, list[int]] = {}
        for i, c in enumerate(clusters):
            grouped.setdefault(c, []).append(i)
        entities: list[Entity] = []
        for c in sorted(grouped, key=lambda c: raw[grouped[c][0]][0]):
            members = [raw[i] for i in grouped[c]]
            label = entity_label([(m[3], m[2]) for m in members], lang)
            names = [m[3] for m in members]
            name = canonical_name(names, lang)
            if lang == "de" and label == "PER" and "rules" not in used:
                name = _uninflected_person(name)
            entities.append(Entity(
                id=doc.next_id("e"), label=label, name=name,
                mentions=[Mention(start=m[0], end=m[1], text=m[3], sentence_id=m[4]) for m in members],
                variants=sorted(set(names) - {name})))
        doc.set_layer("entities", entities)
        doc.backends[self.name] = "+".join(sorted(used)) or self.backend
        return doc
