"""Merge the mentions of one entity within a document.

Mentions become one entity when their normalised names agree after:
- dropping articles and determiners ("der KNB", "the CIA") and folding case and diacritics;
- German inflection: genitive "-s"/"-es" ("Kasachstans"), adjective endings of non-final words
  ("der Europäischen Union" / "die Europäische Union");
- transliteration of Cyrillic names, read the German way and the English way
  ("Tokajew"/"Tokayev", "Nasarbajew"/"Nazarbayev", "Massimow"/"Massimov", "Patruschew"/"Patrushev");
- a person's bare surname joins the one full name in the document with that surname
  ("Powell" -> "Jonathan Powell"); with two full names sharing it ("Hans Müller", "Anna Müller")
  it stays apart, and different first names never merge; a bare surname the tagger labelled as
  a place or organisation joins too where the document reads it as a person more often than not
  ("Nikolai Patruschew", "Patruschew" PER, "Patruschew" LOC), but not a place that is mostly a
  place ("George Washington", "Washington" LOC twice);
- an acronym joins the name whose initials it spells ("EU" / "Europäische Union"), and names
  listed as aliases in resources/<lang>/ner_aliases.txt merge ("KNB" / "Nationales
  Sicherheitskomitee").

There is no edit-distance matching: "Kasachstan" and "Kirgistan", "Müller" and "Miller" stay apart.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from pathlib import Path

from quellenlage.errors import UnsupportedLanguageError
from quellenlage.tokenize import token_texts

_ARTICLES = {
    "de": {"der", "die", "das", "des", "dem", "den", "ein", "eine", "einer", "eines", "einem", "einen"},
    "en": {"the", "a", "an"},
}
_FUNCTION = {"für", "fur", "von", "vom", "und", "der", "des", "die", "of", "for", "and", "the", "de", "du", "la"}
_ADJ_ENDING = re.compile(r"e[nrsm]$")
_SUPPORTED = ("de", "en")


@functools.lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    text = text.lower().replace("ß", "ss").replace("’", "'")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def _translit_keys(word: str) -> tuple[str, str]:
    """Two phonetic readings of a (folded) word: German and English transliteration."""
    de = word.replace("schtsch", "\x01").replace("tsch", "\x01").replace("sch", "\x02")
    de = de.replace("ch", "\x03").replace("j", "y").replace("w", "v").replace("z", "s")
    en = word.replace("shch", "\x01").replace("ch", "\x01").replace("sh", "\x02").replace("kh", "\x03")
    en = en.replace("zh", "\x02").replace("w", "v").replace("z", "s").replace("j", "y")
    out = []
    for key in (de, en):
        key = key.replace("ks", "x").replace("ie", "i").replace("yi", "i")
        key = re.sub(r"(.)\1+", r"\1", key)  # double letters
        key = re.sub(r"(ski|sky|skiy|skij)$", "ski", key)
        out.append(key)
    return out[0], out[1]


def _tokens(name: str, lang: str) -> list[str]:
    toks = [_fold(t) for t in token_texts(name)]
    toks = [t for t in toks if t not in ("'", '"', "„", "“", "”", "«", "»")]
    while len(toks) > 1 and toks[0] in _ARTICLES.get(lang, set()):
        toks = toks[1:]
    if lang == "de" and len(toks) > 1:
        toks = [_ADJ_ENDING.sub("e", t) for t in toks[:-1]] + toks[-1:]
    return toks


@functools.lru_cache(maxsize=1 << 16)
def _keys(name: str, lang: str) -> frozenset[str]:
    """Normalised keys of a name; two names sharing a key are the same entity."""
    toks = _tokens(name, lang)
    if not toks:
        return frozenset()
    keys = set()
    last = toks[-1]
    variants = [last]
    if last.endswith(("'s", "'")):
        variants.append(last.rstrip("s").rstrip("'"))
    elif lang == "de" and len(last) > 3 and last.endswith("s") and not last.endswith("ss"):
        variants.append(last[:-1])
        if last.endswith("es") and len(last) > 5:
            variants.append(last[:-2])
    for v in variants:
        words = toks[:-1] + [v]
        keys.add(" ".join(words))
        readings = [_translit_keys(w) for w in words]
        if len(words) == 1:
            keys.update("~" + r for r in readings[0])
        else:
            # same reading (German or English) for all words of the name
            de_read = " ".join(r[0] for r in readings)
            en_read = " ".join(r[1] for r in readings)
            keys.update(("~" + de_read, "~" + en_read))
    return frozenset(keys)


def _without_initials(name: str, lang: str) -> str | None:
    """The name without its middle initials ("Donald J. Trump" -> "donald trump"), or None if it has none."""
    toks = _tokens(name, lang)
    bare = [t for i, t in enumerate(toks) if not (0 < i < len(toks) - 1 and (len(t) == 1 or t == "."))]
    return " ".join(bare) if 1 < len(bare) < len(toks) else None


def fold(text: str) -> str:
    """Lower case without diacritics ("Özil" -> "ozil")."""
    return _fold(text)


def name_keys(name: str, lang: str) -> frozenset[str]:
    """The normalised keys of a name (public wrapper for the tagger's document pass)."""
    return _keys(name, lang)


def _initials(name: str, lang: str) -> str:
    toks = [t for t in token_texts(name) if t[:1].isalpha()]
    toks = [t for t in toks if _fold(t) not in _FUNCTION and _fold(t) not in _ARTICLES.get(lang, set())]
    out = ""
    for t in toks:
        parts = t.split("-")
        out += "".join(p[:1] for p in parts if p)
    return out.upper()


def _is_acronym(name: str) -> bool:
    core = name.replace(".", "")
    return 2 <= len(core) <= 6 and core.isupper() and core.isalpha()


@functools.lru_cache(maxsize=None)
def _aliases(lang: str) -> dict[str, int]:
    """Key -> alias group id from resources/<lang>/ner_aliases.txt ("A = B = C" per line)."""
    from importlib import resources

    path = Path(str(resources.files("quellenlage") / "resources" / lang / "ner_aliases.txt"))
    table: dict[str, int] = {}
    if not path.exists():
        return table
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        for name in line.split("="):
            for key in _keys(name.strip(), lang):
                table.setdefault(key, number)
    return table


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def cluster_mentions(mentions: list[tuple[str, str]], lang: str = "de") -> list[int]:
    """Cluster ids (0, 1, ... in order of first appearance) for ``(text, label)`` mentions."""
    if lang not in _SUPPORTED:
        raise UnsupportedLanguageError(f"no entity merging for language {lang!r}",
                                       hint="supported: " + ", ".join(_SUPPORTED))
    n = len(mentions)
    uf = _UnionFind(n)
    keys = [_keys(text, lang) for text, _ in mentions]
    ntoks = [len(_tokens(text, lang)) for text, _ in mentions]
    # 1. shared key within a label
    seen: dict[tuple[str, str], int] = {}
    for i, (_, label) in enumerate(mentions):
        for k in keys[i]:
            j = seen.setdefault((label, k), i)
            if j != i:
                uf.union(i, j)
    # 1b. a name with middle initials and the same name without them ("Donald J. Trump", "Donald
    # Trump"); two names whose initials differ stay apart ("George W. Bush", "George H. W. Bush")
    for i, (text, label) in enumerate(mentions):
        bare = _without_initials(text, lang) if label == "PER" else None
        j = seen.get((label, bare)) if bare else None
        if j is not None and _without_initials(mentions[j][0], lang) is None:
            uf.union(i, j)
    # 2. aliases (any label: lists mix ORG/LOC readings of states and agencies)
    aliases = _aliases(lang)
    first_alias: dict[int, int] = {}
    for i in range(n):
        groups = {aliases[k] for k in keys[i] if k in aliases}
        for g in groups:
            j = first_alias.setdefault(g, i)
            if j != i:
                uf.union(i, j)
    # 3. acronyms <-> spelled-out names (the names of several words by label and initials, built
    # once: a long document has many acronyms and many names)
    spelled: dict[tuple[str, str], list[int]] | None = None
    for i, (text, label) in enumerate(mentions):
        bare = " ".join(t for t in token_texts(text) if _fold(t) not in _ARTICLES.get(lang, set()))
        if not _is_acronym(bare):
            continue
        if spelled is None:
            spelled = {}
            for j, (other, olabel) in enumerate(mentions):
                if ntoks[j] > 1:
                    spelled.setdefault((olabel, _initials(other, lang)), []).append(j)
        acr = bare.replace(".", "").replace(" ", "")
        for j in spelled.get((label, acr), ()):
            if j != i:
                uf.union(i, j)
    # 4. bare surname -> the single full name with that surname; a bare mention the tagger
    # labelled otherwise joins too where the document reads that word as a person more often
    # than not (full names and bare PER mentions against its other labels)
    full_by_last: dict[str, set[int]] = {}
    person_votes: Counter = Counter()
    other_votes: Counter = Counter()
    for j, (text, label) in enumerate(mentions):
        if label == "PER" and ntoks[j] > 1:
            last = _keys(token_texts(text)[-1], lang)
            person_votes.update(last)
            for k in last:
                full_by_last.setdefault(k, set()).add(uf.find(j))
        elif ntoks[j] == 1:
            (person_votes if label == "PER" else other_votes).update(keys[j])
    for i, (text, label) in enumerate(mentions):
        if ntoks[i] != 1 or (label != "PER" and not any(person_votes[k] > other_votes[k] for k in keys[i])):
            continue
        roots: set[int] = set()
        for k in keys[i]:
            roots |= {uf.find(r) for r in full_by_last.get(k, ())}
        if len(roots) == 1:
            uf.union(i, roots.pop())
    # renumber in order of appearance
    ids: dict[int, int] = {}
    return [ids.setdefault(uf.find(i), len(ids)) for i in range(n)]


@functools.lru_cache(maxsize=1)
def _first_name_genders() -> dict[str, str]:
    from quellenlage.resources import table

    return {row[0]: row[1] for row in table("en", "first_names_gender") if len(row) == 2}


def first_name_gender(word: str) -> str | None:
    """"m" or "f" for a first name with a clear gender in the 1990 US Census lists
    (resources/en/first_names_gender.txt, written by training/build_first_names.py), else None."""
    return _first_name_genders().get(word)


def canonical_name(names: list[str], lang: str = "de") -> str:
    """The name to show for a cluster: the fullest form, then one not in capitals where it is
    longer than an acronym ("Los Angeles" over a dateline's "LOS ANGELES"; "NATO" stays), then
    the most frequent, then the uninflected one ("Kasachstan" over "Kasachstans"), then the
    first seen."""
    if not names:
        return ""
    freq = Counter(names)
    order = {name: i for i, name in reversed(list(enumerate(names)))}

    def rank(name: str) -> tuple:
        toks = _tokens(name, lang)
        shouted = name.isupper() and len(name.replace(" ", "")) > 6
        return (-len(toks), shouted, -freq[name], len(name), order[name])

    return min(freq, key=rank)
