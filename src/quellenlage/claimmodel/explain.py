"""Readable reasons for a claims decision: which words and signals drove it.

A head is linear, so every part of the margin can be traced: each n-gram's share is spread
over the tokens it came from (a word, half of each bigram it is in, the character n-grams of
the token), the cue signals have their own weights, and the sentence embedding (accurate
variant) adds one more term. The reasons name the strongest parts in the decision's direction.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import chain

import numpy as np

from quellenlage.claimmodel.features import CUE_NAMES, CUE_WORDS, WORD, TextFeatures, load_cues
from quellenlage.claimmodel.model import Head, Vocabulary, token_terms

TOP_WORDS = 4
TOP_CUES = 3
MIN_SHARE = 0.05   # a part must carry at least this much margin to be named

OPINION_CUES = ("evaluative", "opinion_marker", "intensifier", "exclamation", "question",
                "first_person_singular", "modal", "hedge", "all_caps", "second_person")
FACT_CUES = ("number", "year", "percent", "money", "quantity_word", "number_word", "date_word",
             "proper_names", "reporting", "quote")


def token_contributions(head: Head, vocab: Vocabulary, feats: TextFeatures,
                        ind: np.ndarray, val: np.ndarray,
                        skip: frozenset[str] = frozenset(),
                        terms: dict[str, list[int]] | None = None) -> list[tuple[str, float]]:
    """(token as written, share of the margin) per distinct word, strongest first.

    Words in ``skip`` (function words) are left out of the list, not out of the model.
    ``terms``: the scorer's cache of each token's n-gram indices (see ``block_weights``).
    """
    if not len(ind):
        return []
    cache = {} if terms is None else terms
    lower = feats.lower
    n = len(lower)
    per_token = [cache.get(low) or token_terms(low, vocab) for low in lower]
    get = vocab.index.get
    bigrams = [get(f"{WORD}{a} {b}") for a, b in zip(lower, lower[1:])]
    # every occurrence of a known n-gram: its position in ``ind`` (sorted) and its token
    flat = np.fromiter(chain.from_iterable(per_token), dtype=np.int64)
    owner = np.repeat(np.arange(n), [len(t) for t in per_token])
    has_bigram = np.array([j is not None for j in bigrams], dtype=bool)
    bigram_ids = np.array([j for j in bigrams if j is not None], dtype=np.int64)
    first = np.nonzero(has_bigram)[0]  # bigram k joins tokens k and k + 1
    pos = np.searchsorted(ind, flat)
    bpos = np.searchsorted(ind, bigram_ids)
    occurrences = np.bincount(np.concatenate([pos, bpos]), minlength=len(ind))
    # each n-gram's share of the margin, per occurrence; a bigram gives half to each token
    weight = val * head.coef[ind] / np.maximum(occurrences, 1)
    share = np.bincount(owner, weights=weight[pos], minlength=n)
    share += np.bincount(first, weights=weight[bpos] / 2, minlength=n)
    share += np.bincount(first + 1, weights=weight[bpos] / 2, minlength=n)
    per_word: dict[str, float] = defaultdict(float)
    shown: dict[str, str] = {}
    for i, low in enumerate(lower):
        per_word[low] += float(share[i])
        shown.setdefault(low, feats.tokens[i])
    items = [(shown[w], s) for w, s in per_word.items()
             if (any(ch.isalnum() for ch in w) or w in ("?", "!")) and w not in skip]
    return sorted(items, key=lambda item: -abs(item[1]))


def cue_contributions(head: Head, feats: TextFeatures) -> list[tuple[str, float]]:
    parts = head.cue_scale * head.coef_cues * np.asarray(feats.cues)
    return sorted(((name, float(p)) for name, p in zip(CUE_NAMES, parts) if p != 0.0),
                  key=lambda item: -abs(item[1]))


def _quote(words) -> str:
    return ", ".join(f"'{w}'" for w in words)


def _cue_phrase(name: str, feats: TextFeatures) -> str:
    words = list(dict.fromkeys(feats.cue_hits.get(name, ())))[:3]
    text = CUE_WORDS[name]
    if words and name not in ("short", "length", "question", "exclamation"):
        text += f" ({_quote(words)})"
    return text


def _embedding_share(head: Head, emb) -> float:
    if head.coef_embed is None or emb is None:
        return 0.0
    return float(head.coef_embed @ emb)


def _skip(lang: str) -> frozenset[str]:
    return load_cues(lang).display_stopwords


def _drivers(head: Head, vocab: Vocabulary, feats: TextFeatures, ind, val, m: float, lang: str,
             terms: dict | None) -> tuple[list[str], list[str]]:
    """The strongest words and cue signals in the direction of the decision (margin ``m``)."""
    sign = 1.0 if m >= 0 else -1.0
    words = [w for w, s in token_contributions(head, vocab, feats, ind, val, _skip(lang), terms)
             if s * sign >= MIN_SHARE][:TOP_WORDS]
    cues = [name for name, s in cue_contributions(head, feats)
            if s * sign >= MIN_SHARE and name != "length"][:TOP_CUES]
    return words, cues


def _embedding_agrees(head: Head, emb, m: float) -> list[str]:
    if _embedding_share(head, emb) * (1.0 if m >= 0 else -1.0) >= 0.25:
        return ["model: the sentence's overall meaning (embedding) points the same way"]
    return []


def check_reasons(head: Head, vocab: Vocabulary, feats: TextFeatures, ind, val, emb,
                  m: float, lang: str = "en", terms: dict | None = None) -> list[str]:
    """Reasons for the check-worthiness decision (margin ``m``)."""
    words, cues = _drivers(head, vocab, feats, ind, val, m, lang, terms)
    if m >= 0:
        head_line = "check-worthy: reads as a checkable claim of fact"
        words_line = "model: strongest check-worthiness signals: "
    else:
        head_line = "not check-worthy: no checkable claim of fact stands out"
        words_line = "model: strongest signals against check-worthiness: "
    if cues:
        head_line += "; it " + "; it ".join(_cue_phrase(c, feats) for c in cues)
    reasons = [head_line]
    if words:
        reasons.append(words_line + _quote(words))
    return reasons + _embedding_agrees(head, emb, m)


def subjectivity_reasons(head: Head, vocab: Vocabulary, feats: TextFeatures, ind, val, emb,
                         m: float, lang: str = "en", terms: dict | None = None) -> list[str]:
    """Reasons for the subjectivity decision (margin ``m``)."""
    words, cue_names = _drivers(head, vocab, feats, ind, val, m, lang, terms)
    if m >= 0:
        markers: list[str] = []
        for name in ("opinion_marker", "evaluative", "intensifier"):
            markers += [w for w in feats.cue_hits.get(name, ()) if w.lower() not in
                        {x.lower() for x in markers}]
        shown = list(dict.fromkeys(markers + words))[:TOP_WORDS + 1]
        line = "reads as opinion"
        if shown:
            line += f" (words: {_quote(shown)})"
        reasons = [line]
        extra = [c for c in cue_names if c not in ("evaluative", "opinion_marker", "intensifier")]
        if extra:
            reasons.append("subjectivity signals: it " + "; it ".join(_cue_phrase(c, feats) for c in extra))
    else:
        line = "reads as a statement of fact, not an opinion"
        if words:
            line += f" (strongest signals: {_quote(words)})"
        reasons = [line]
    return reasons + _embedding_agrees(head, emb, m)
