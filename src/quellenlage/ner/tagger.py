"""The CRF named-entity tagger: tokens -> IOB2 tags, text -> labelled character spans."""

from __future__ import annotations

import functools
import re
from importlib import resources
from pathlib import Path

import numpy as np

from quellenlage.crf import open_crf
from quellenlage.errors import ModelError, UnsupportedLanguageError
from quellenlage.ner.data import spans_from_tags
from quellenlage.ner.features import ClusterTable, FeatureExtractor, Gazetteer
from quellenlage.tokenize import tokenize, token_texts

SUPPORTED = ("de", "en")
PUBLIC_LABELS = ("PER", "ORG", "LOC", "MISC")
_MAX_SENTENCE = 150
_SENTENCE_END = frozenset({".", "!", "?"})
# Languages whose word clusters come from the sentence encoder (training/train_ner.py
# ENCODER_CLUSTERS): noisy for rare names, so a gazetteer hit hides them (FeatureExtractor).
GAZETTEER_HIDES_CLUSTERS = ("de",)


def model_dir() -> Path:
    return Path(str(resources.files("quellenlage") / "models" / "ner"))


def resource_dir(lang: str) -> Path:
    return Path(str(resources.files("quellenlage") / "resources" / lang))


def public_label(native: str) -> str | None:
    """Map a native label to PER/ORG/LOC/MISC, or None for labels that are not mentions.

    GermEval's ``deriv`` ("deutsche", derived from LOC Deutschland) and ``part`` ("EU-Verordnung",
    a word containing an ORG) tokens are not mentions of the entity itself: dropped.
    OTH (GermEval) becomes MISC.
    """
    if native.endswith("deriv") or native.endswith("part"):
        return None
    if native == "OTH":
        return "MISC"
    return native if native in PUBLIC_LABELS else None


def read_gazetteer(lang: str) -> Gazetteer:
    """Load resources/<lang>/ner_<label>_<topic>.txt lists (one name per line, # comments)."""
    gaz = Gazetteer()
    folder = resource_dir(lang)
    for path in sorted(folder.glob("ner_*.txt")):
        parts = path.stem.split("_")
        if len(parts) < 3 or parts[1].upper() not in ("PER", "ORG", "LOC", "MISC", "FIRST", "TITLE"):
            continue
        label = parts[1].upper()
        for line in path.read_text(encoding="utf-8").splitlines():
            name = line.split("#", 1)[0].strip()
            if name:
                gaz.add(tuple(token_texts(name)), label)
    return gaz


def build_extractor(lang: str, folder: Path | None = None) -> FeatureExtractor:
    folder = folder or model_dir()
    cluster_path = folder / f"{lang}_clusters.npz"
    lower_path = folder / f"{lang}_lowercase.txt"
    try:
        with np.load(cluster_path) as arrays:
            clusters = ClusterTable(arrays["keys"], arrays["ids"],  # the prior is optional (English)
                                    *(arrays[k] if k in arrays else None for k in ("prior", "char_w", "char_b")))
        frequent = frozenset(lower_path.read_text(encoding="utf-8").split())
    except (OSError, KeyError, ValueError) as err:
        raise ModelError(f"NER model file missing or unreadable: {err}",
                         hint="reinstall quellenlage or rebuild with training/train_ner.py") from err
    return FeatureExtractor(clusters, read_gazetteer(lang), frequent,
                            gazetteer_hides_clusters=lang in GAZETTEER_HIDES_CLUSTERS)


class CrfTagger:
    """A trained crfsuite model plus its feature extractor."""

    def __init__(self, lang: str, model_path: Path, extractor: FeatureExtractor) -> None:
        self.lang = lang
        self.extractor = extractor
        self._tagger = open_crf(model_path, "NER model", "training/train_ner.py")
        self.labels = sorted({lab[2:] for lab in self._tagger.labels() if lab != "O"})

    def tag_tokens(self, tokens: list[str]) -> list[str]:
        """IOB2 tags in the model's own label set (GermEval's 12 outer labels for German)."""
        if not tokens:
            return []
        import pycrfsuite

        return list(self._tagger.tag(pycrfsuite.ItemSequence(self.extractor.sentence(tokens))))

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Entity mentions as (start, end, label) character offsets; label in PER/ORG/LOC/MISC.

        After tagging sentence by sentence, a capitalised word the model left out that is
        another spelling of a name it found elsewhere in the text ("Massimow" after "Massimov",
        "Tokajews" after "Tokajew") gets that name's label (one sense per document).
        """
        return self.find_many([text], same_document=True)[0]

    def find_many(self, texts: list[str], same_document: bool = False) -> list[list[tuple[int, int, str]]]:
        """``find`` for each text. With ``same_document=True`` the texts are parts of one document
        (e.g. its sentences) and the one-sense-per-document pass runs across all of them."""
        tokenized = [tokenize(t) for t in texts]
        found = [self._tag_text(t, offs) for t, offs in zip(texts, tokenized)]
        if same_document:
            known = self._known_names([(t, spans) for t, spans in zip(texts, found)])
            heads = _heads(known)  # once for the document, not once a sentence
            return [self._propagate(t, offs, spans, known, heads)
                    for t, offs, spans in zip(texts, tokenized, found)]
        return [self._propagate(t, offs, spans, self._known_names([(t, spans)]))
                for t, offs, spans in zip(texts, tokenized, found)]

    def _tag_text(self, text: str, offsets: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
        out: list[tuple[int, int, str]] = []
        for lo, hi in _segments(text, offsets):
            chunk = _attach_periods(text, offsets[lo:hi], self.lang)
            tags = self.tag_tokens([text[s:e] for s, e in chunk])
            for first, end, native in spans_from_tags(tags):
                label = public_label(native)
                if label is not None:
                    out.append((chunk[first][0], chunk[end - 1][1], label))
        return out

    def _known_names(self, parts: list[tuple[str, list[tuple[int, int, str]]]]) -> dict[str, str]:
        from quellenlage.ner.merge import name_keys

        known: dict[str, str] = {}
        for text, spans in parts:
            for s, e, label in spans:
                if label == "MISC":
                    continue
                names = [text[s:e]]
                if label == "PER" and " " in names[0]:
                    names.append(names[0].rsplit(" ", 1)[1])
                for name in names:
                    for key in name_keys(name, self.lang):
                        known.setdefault(key, label)
        return known

    def _propagate(self, text: str, offsets: list[tuple[int, int]], spans: list[tuple[int, int, str]],
                   known: dict[str, str], heads: set[str] | None = None) -> list[tuple[int, int, str]]:
        from quellenlage.ner.merge import fold, name_keys

        if not known:
            return spans
        heads = _heads(known) if heads is None else heads
        ends = sorted((s, e) for s, e, _ in spans)
        added: list[tuple[int, int, str]] = []
        j = 0
        for s, e in offsets:
            while j < len(ends) and ends[j][1] <= s:
                j += 1
            if j < len(ends) and ends[j][0] <= s < ends[j][1]:
                continue  # inside a found span
            word = text[s:e]
            if (len(word) < 3 or not word[:1].isupper() or not word.replace("-", "").isalpha()
                    or fold(word)[:2] not in heads or word.lower() in self.extractor.frequent):
                continue
            labels = {known[k] for k in name_keys(word, self.lang) if k in known}
            if len(labels) == 1:
                added.append((s, e, labels.pop()))
        return sorted(spans + added) if added else spans


def _heads(known: dict[str, str]) -> set[str]:
    """The first two letters of the known names' keys (a quick test before the key lookup)."""
    return {k[:2] for k in known if not k.startswith("~")}


def _segments(text: str, offsets: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cut the token list into sentence-like pieces: at line breaks, after ! and ?, and after a
    period that ends a sentence (not one before a lower-case word or after an abbreviation,
    :func:`_abbreviation_before`)."""
    segs: list[tuple[int, int]] = []
    lo = 0
    n = len(offsets)
    for i in range(n):
        end_here = False
        s, e = offsets[i]
        if i + 1 < n:
            gap = text[e:offsets[i + 1][0]]
            if "\n" in gap:
                end_here = True
            elif text[s:e] in _SENTENCE_END and gap and not _abbreviation_before(text, offsets, i):
                end_here = True
        if end_here or i + 1 - lo >= _MAX_SENTENCE:
            segs.append((lo, i + 1))
            lo = i + 1
    if lo < n:
        segs.append((lo, n))
    return segs


# Words that take their period along, as the training data tokenises them: English (Universal
# Dependencies) titles and company words ("Mr.", "Jr.", "Inc."); German (GermEval 2014) numbers, single
# letters, letter-dot abbreviations, roman numerals and short lower-case abbreviations ("18.",
# "S.", "z.B.", "II.", "bzw.", "v."), but not capitalised ones ("Dr", "St" stand apart from their
# period there). English initials and letter-dot abbreviations stay letters and periods: joined
# ("U.S.", "N.H.") the English model took them for initials of people or ran them on into the
# next word ("U.S. Senate" as a place).
_LETTERS = r"(?:[^\W\d_]\.)*[^\W\d_]"
_BEFORE_PERIOD = {
    "en": re.compile(r"Mr|Mrs|Ms|Dr|Jr|Sr|St|Inc|Co|Corp|Ltd|Lt|Gen|Gov|Sen|Rep|Rev|Capt|Col"
                     r"|Sgt|Prof|Mt|Ft|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec|vs|etc"),
    "de": re.compile(r"\d{1,4}|" + _LETTERS + r"|[IVX]+|[^\W\d_A-ZÄÖÜ]{1,4}"),
}
_LETTER_DOTS = re.compile(r"(?:[^\W\d_]\.)+")


def _attach_periods(text: str, chunk: list[tuple[int, int]], lang: str) -> list[tuple[int, int]]:
    """Tokens as the training data has them: a period inside a piece and before a word or number
    (an abbreviation's or an ordinal's: :func:`_segments` cuts at the others) joins the word or
    number before it where the training data's tokenisation does (``_BEFORE_PERIOD``: "18. Mai",
    "Ludwig XIV. und", "bzw. die", English "Mr. Smith"), and in German letters with periods
    between them become one token ("z.B."). A period before a closing quotation mark stays apart."""
    before = _BEFORE_PERIOD.get(lang, _BEFORE_PERIOD["en"])
    out: list[tuple[int, int]] = []
    for i, (s, e) in enumerate(chunk):
        tok = text[s:e]
        if out and out[-1][1] == s:
            if tok == "." and i + 1 < len(chunk) and text[chunk[i + 1][0]].isalnum() \
                    and before.fullmatch(text, out[-1][0], out[-1][1]):
                out[-1] = (out[-1][0], e)
                continue
            if (lang == "de" and len(tok) == 1 and tok.isalpha()
                    and _LETTER_DOTS.fullmatch(text, out[-1][0], out[-1][1])):
                out[-1] = (out[-1][0], e)  # "z." + "B"
                continue
        out.append((s, e))
    return out


_ABBREVIATION = re.compile(r"[A-ZÄÖÜ][a-zäöü]?|[IVX]+|Mrs|Nr|Jr|Sr|Prof|Gen|Bd|Abs|Art|bzw|vgl|ca|usw|Ste")


def _abbreviation_before(text: str, offsets: list[tuple[int, int]], i: int) -> bool:
    """Whether the "." at token i, with a next token, ends no sentence: a lower-case word follows
    ("Franz Joseph I. regierte"), or it closes an initial, a regnal number or a short
    abbreviation ("Mary J. Blige", "St. Helena", "Dr. Weber", "Ludwig XIV. Der")."""
    if i == 0 or i + 1 >= len(offsets) or text[offsets[i][0]:offsets[i][1]] != ".":
        return False
    if text[offsets[i + 1][0]:offsets[i + 1][1]].isalpha() and text[offsets[i + 1][0]].islower():
        return True
    s, e = offsets[i - 1]
    return e == offsets[i][0] and bool(_ABBREVIATION.fullmatch(text, s, e))


@functools.lru_cache(maxsize=None)
def load_tagger(lang: str) -> CrfTagger:
    """The shipped tagger for ``lang`` (cached)."""
    if lang not in SUPPORTED:
        raise UnsupportedLanguageError(f"no NER model for language {lang!r}",
                                       hint="supported: " + ", ".join(SUPPORTED))
    folder = model_dir()
    path = folder / f"{lang}.crfsuite"
    if not path.exists():
        raise ModelError(f"NER model file missing: {path}",
                         hint="reinstall quellenlage or rebuild with training/train_ner.py")
    return CrfTagger(lang, path, build_extractor(lang, folder))
