"""Token features for the English attribution tagger (PolNeAR source/cue/content spans).

No part-of-speech tags: the word and its neighbours, shape, the lexicon of attribution verbs
and source cue words, the quotation structure, and where the nearest attribution verb of the
sentence is (sources stand next to cues, contents after "said"/"that" or inside quotes).
"""

from __future__ import annotations

from quellenlage.speech.lexicon import english_lexicons
from quellenlage.speech.textfeatures import quote_structure, sentence_chunks, token_shape

PRONOUNS = frozenset("he she they it we i you who which".split())


def _bin(n: int) -> str:
    if n <= 3:
        return str(n)
    if n <= 6:
        return "4-6"
    if n <= 10:
        return "7-10"
    if n <= 20:
        return "11-20"
    return "21+"


def document_features(tokens: list[str], starts: frozenset[int] = frozenset()
                      ) -> tuple[list[tuple[int, int]], list[list[str]]]:
    """Sentence chunks and per-token feature lists for one document's token strings
    (``starts``: token indices that must begin a sentence, e.g. line starts)."""
    verbs, cues = english_lexicons()
    n = len(tokens)
    low = [t.lower().replace("’", "'") for t in tokens]
    shape = [token_shape(t) for t in tokens]
    is_verb = [w in verbs for w in low]
    q = quote_structure(tokens)
    chunks = sentence_chunks(tokens, starts)
    feats: list[list[str]] = [[] for _ in range(n)]
    for s, e in chunks:
        verb_idx = [i for i in range(s, e) if is_verb[i]]
        sent_f = []
        if verb_idx:
            sent_f.append("S:verb")
        if any(q.role[i] or q.inside[i] for i in range(s, e)):
            sent_f.append("S:quote")
        if "according" in low[s:e]:
            sent_f.append("S:according")
        if e - s <= 5:
            sent_f.append("S:short")
        vi = 0
        seen_that = False
        seen_comma = False
        for i in range(s, e):
            w = low[i]
            f = ["b", "w=" + w, "sh=" + shape[i], "s3=" + w[-3:], "s2=" + w[-2:],
                 "pos=" + _bin(i - s), "rpos=" + _bin(e - 1 - i)]
            if i == s:
                f.append("first")
            if is_verb[i]:
                f.append("verb")
            if w in cues:
                f.append("cue")
            if w in PRONOUNS:
                f.append("pron")
            if q.inside[i]:
                f.append("inq")
                f.append("qlen=" + _bin(q.qend[i] - q.qstart[i]))
                f.append("qto=" + _bin(q.qend[i] - i))
                f.append("qfrom=" + _bin(i - q.qstart[i]))
            if q.role[i]:
                f.append("q=" + q.role[i])
            # nearest attribution verb to the left and right in the sentence
            while vi < len(verb_idx) and verb_idx[vi] < i:
                vi += 1
            if vi > 0:
                d = i - verb_idx[vi - 1]
                f.append("lv=" + _bin(d))
                f.append("lvw=" + low[verb_idx[vi - 1]])
            if vi < len(verb_idx):
                j = verb_idx[vi] if verb_idx[vi] > i else (verb_idx[vi + 1] if vi + 1 < len(verb_idx) else -1)
                if j > i:
                    f.append("rv=" + _bin(j - i))
                    f.append("rvw=" + low[j])
            if seen_that:
                f.append("lthat")
            if seen_comma:
                f.append("lcomma")
            if w == "that":
                seen_that = True
            elif w == ",":
                seen_comma = True
            for d in (-2, -1, 1, 2):
                j = i + d
                if s <= j < e:
                    f.append(f"w{d}={low[j]}")
                    if d in (-1, 1):
                        f.append(f"sh{d}={shape[j]}")
                        if is_verb[j]:
                            f.append(f"verb{d}")
                        if q.role[j]:
                            f.append(f"q{d}={q.role[j]}")
                else:
                    f.append(f"w{d}=<pad>")
            if i > s:
                f.append(f"w-1w={low[i - 1]}|{w}")
            if i + 1 < e:
                f.append(f"ww+1={w}|{low[i + 1]}")
            f.extend(sent_f)
            feats[i] = f
    return chunks, feats
