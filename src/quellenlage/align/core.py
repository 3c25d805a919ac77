"""``align_texts``: sentence alignment of a derived text with its original, with flags."""

from __future__ import annotations

import functools
import json
import math
import re
from importlib import resources

import numpy as np

from quellenlage.align.dp import AlignParams, Bead, align, sentence_lengths
from quellenlage.align.records import Comparison, Link, Sentence, SentenceRole
from quellenlage.errors import (EmptyInputError, InputTooLargeError, ModelError,
                                UnsupportedLanguageError)

PARAMS_FILE = "params.json"
# the DP holds about ten float matrices of n x m: 4 million pairs are about 1.5 GB at most
MAX_CELLS = 4_000_000


@functools.lru_cache(maxsize=1)
def _params_file() -> dict:
    path = resources.files("quellenlage") / "models" / "align" / PARAMS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise ModelError(f"the alignment parameters are missing at {path}",
                         hint="reinstall quellenlage or run training/calibrate_align.py") from err
    except json.JSONDecodeError as err:
        raise ModelError(f"the alignment parameters at {path} are not valid JSON: {err}") from err
    if "params" not in data or "bow_params" not in data:
        raise ModelError(f"the alignment parameters at {path} lack 'params' or 'bow_params'")
    return data


def load_params() -> AlignParams:
    """The DP thresholds calibrated by ``training/calibrate_align.py``."""
    return AlignParams.from_dict(_params_file()["params"])


def load_bow_params() -> AlignParams:
    """The thresholds of the bag-of-words baseline (same DP, no model)."""
    return AlignParams.from_dict(_params_file()["bow_params"])


def similarities(derived: list[str], original: list[str], params: AlignParams,
                 similarity: str = "embedding") -> dict[tuple[int, int], np.ndarray]:
    from quellenlage.align import similarity as sim

    if similarity == "embedding":
        return sim.embedding_sims(derived, original, params)
    if similarity == "bow":
        return sim.bag_of_words_sims(derived, original, params)
    raise ValueError(f"unknown similarity {similarity!r}")


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, x))))


def align_sentences(derived: list[str], original: list[str], *, params: AlignParams | None = None,
                    similarity: str = "embedding",
                    sims: dict[tuple[int, int], np.ndarray] | None = None) -> list[Link]:
    """Align two lists of sentences; links carry a confidence but no fidelity flags."""
    params = params or (load_bow_params() if similarity == "bow" else load_params())
    n, m = len(derived), len(original)
    if n == 0 or m == 0:
        return ([Link((i,), (), 1.0) for i in range(n)]
                + [Link((), (j,), 1.0) for j in range(m)])
    if n * m > MAX_CELLS:
        raise InputTooLargeError(
            f"{n} x {m} sentences are too many to align in one piece (limit {MAX_CELLS:,} pairs)",
            hint="split the texts into chapters or sections and compare those")
    if sims is None:
        sims = similarities(derived, original, params, similarity)
    beads: list[Bead] = align(sims, n, m, params, sentence_lengths(derived, original))
    one = sims[(1, 1)]
    best_d = one.max(axis=1)
    best_o = one.max(axis=0)
    t = params.temperature
    links = []
    for bead in beads:
        if bead.derived and bead.original:
            conf = _sigmoid((bead.sim - params.tau) / t)
        elif bead.derived:
            conf = _sigmoid((params.tau - float(best_d[bead.derived[0]])) / t)
        else:
            conf = _sigmoid((params.tau - float(best_o[bead.original[0]])) / t)
        links.append(Link(bead.derived, bead.original, conf))
    return links


@functools.lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from quellenlage.align.embed import LANGUAGES

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    known = set(ident.nb_classes)
    ident.set_languages([lang for lang in LANGUAGES if lang in known])
    return ident


def detect_language(text: str) -> str:
    """The language of ``text`` among those the embedding model covers (URL lines and gap
    markers left out). Pass the language explicitly for any other language."""
    lines = [line for line in text.splitlines()
             if re.search(r"[^\W\d_]{2,}", line) and not re.match(r"\s*(https?://|www\.)", line)]
    sample = "\n".join(lines)[:20000]
    if not sample.strip():
        raise EmptyInputError("the text has no words")
    lang, _ = _identifier().classify(sample)
    return lang


def _check_language(lang: str, side: str) -> str:
    from quellenlage.align.embed import LANGUAGES

    if lang not in LANGUAGES:
        raise UnsupportedLanguageError(
            f"the {side} text is in '{lang}', which the embedding model does not cover",
            hint="supported: " + ", ".join(LANGUAGES))
    return lang


def _sentences(text: str, lang: str, presegmented: bool) -> list[Sentence]:
    from quellenlage.align.segment import split

    return [Sentence(i, s, e, text[s:e]) for i, (s, e) in
            enumerate(split(text, lang, presegmented=presegmented))]


def align_texts(derived: str, original: str, *, presegmented: bool = False,
                lang_derived: str | None = None, lang_original: str | None = None,
                params: AlignParams | None = None, flags: bool = True) -> Comparison:
    """Align a derived text (translation, excerpt, paraphrase) with its original.

    Returns the sentences of both sides with character offsets, the links (1-1, 1-n, n-1,
    1-0 = added by the derived text, 0-1 = left out of the original) with a confidence,
    and fidelity flags (numbers, dates, names, negation, hedges) on every matched link.
    """
    from quellenlage.align.embed import MODEL_NAME

    for side, text in (("derived", derived), ("original", original)):
        if not text or not text.strip():
            raise EmptyInputError(f"the {side} text is empty")
    lang_d = _check_language(lang_derived or detect_language(derived), "derived")
    lang_o = _check_language(lang_original or detect_language(original), "original")
    sents_d = _sentences(derived, lang_d, presegmented)
    sents_o = _sentences(original, lang_o, presegmented)
    for side, sents in (("derived", sents_d), ("original", sents_o)):
        if not sents:
            raise EmptyInputError(f"the {side} text has no sentence with a word in it")
    params = params or load_params()
    links = align_sentences([s.text for s in sents_d], [s.text for s in sents_o], params=params)
    if flags:
        from quellenlage.align.fidelity import check_link

        links = [check_link(link, derived, original, sents_d, sents_o, lang_d, lang_o)
                 for link in links]
    return Comparison(derived_text=derived, original_text=original, lang_derived=lang_d,
                      lang_original=lang_o, derived=sents_d, original=sents_o, links=links,
                      model=MODEL_NAME, params=params.to_dict())


def roles_from_alignment(comparison: Comparison) -> list[SentenceRole]:
    """Per derived sentence (in order): ``relayed`` with the original sentences it renders,
    or ``author`` when it has no counterpart in the original. ``score`` is the link's
    confidence."""
    out = [SentenceRole("author", (), 0.0) for _ in comparison.derived]
    for link in comparison.links:
        for i in link.derived:
            if link.original:
                out[i] = SentenceRole("relayed", tuple(link.original), link.score)
            else:
                out[i] = SentenceRole("author", (), link.score)
    return out
