"""Token features for the German speech tagger.

Features are plain strings (python-crfsuite binary features). They describe the word and its
neighbours, the quotation structure of the document, the lexicons of verbs of saying, source
cue words and subjunctive forms, the sentence the token stands in (does it hold a verb of
saying, a subjunctive, "dass", a colon, first/second person pronouns?), the words of speech
mined from the corpus, and the predicted part of speech with mood (``pos_de``): the tags
around the token and the clause it stands in (comma-bounded: a Konjunktiv I verb, a
subordinating conjunction, a verb of saying, and the same for the clauses before and after).
"""

from __future__ import annotations

from typing import Callable

from quellenlage.speech.lexicon import german_lexicons, german_mined_words
from quellenlage.speech.pos_de import FINITE
from quellenlage.speech.textfeatures import quote_structure, sentence_chunks, single_quote_inside, token_shape

# First and second person pronouns (case-sensitive: polite "Sie" but not "sie").
FIRST_SECOND = frozenset(
    "ich mich mir mein meine meinen meinem meiner wir uns unser unsere du dich dir dein deine "
    "ihr euch euer Ich Mich Mir Mein Meine Wir Uns Unser Unsere Du Dich Dir Dein Deine "
    "Sie Ihnen Ihr Ihre".split())


def _cumsum(flags: list[bool]) -> list[int]:
    out = [0]
    total = 0
    for x in flags:
        total += x
        out.append(total)
    return out


def _norm(low: str) -> str:
    return "dass" if low == "daß" else low


def _bin(n: int) -> str:
    if n <= 2:
        return str(n)
    if n <= 5:
        return "3-5"
    if n <= 10:
        return "6-10"
    if n <= 25:
        return "11-25"
    return "26+"


PosTagger = Callable[[list[str], list[tuple[int, int]]], list[str]]


def document_features(tokens: list[str], pos_tags: PosTagger, starts: frozenset[int] = frozenset(),
                      clause_model=None, extras: dict | None = None, clause_crf=None
                      ) -> tuple[list[tuple[int, int]], list[list[str]]]:
    """Sentence chunks and per-token feature lists for one document's token strings
    (``pos_tags(tokens, chunks)``: the part-of-speech tags, e.g. ``GermanPosTagger.tag``;
    ``starts``: token indices that must begin a sentence, e.g. line starts). With a
    ``clause_model`` (``clauses_de.ClauseModel``) and an ``extras`` dict, ``extras["clause_probs"]``
    gets each token's clause probabilities [P(indirect), P(reported)]; with a ``clause_crf``
    too (``clauses_de.ClauseCRF``), P(indirect) is mixed with the clause CRF's
    (``clauses_de.CRF_SHARE``)."""
    chunks, feats, (q, is_verb) = _base_features(tokens, starts)
    tags = pos_tags(tokens, chunks)
    hit = _mined_hits(tokens, chunks)
    clauses = _clauses(tokens, chunks)
    for f, x, y in zip(feats, _pos_features(tokens, chunks, tags, clauses),
                       _mined_features(tokens, chunks, hit)):
        f.extend(x)
        f.extend(y)
    if clause_model is not None and extras is not None:
        from quellenlage.speech.clauses_de import token_probs

        if clause_crf is None:
            items, probs = clause_model.clause_probs(tokens, chunks, tags, hit,
                                                     german_lexicons()[0], clauses, q.inside, is_verb)
            extras["clause_probs"] = token_probs(len(tokens), chunks, items, probs)
        else:
            from quellenlage.speech.clauses_de import CRF_SHARE, clause_bags

            items = clause_bags(tokens, chunks, tags, hit, german_lexicons()[0], clauses, q.inside,
                                is_verb)
            bags = [bag for _, _, bag in items]
            lr = token_probs(len(tokens), chunks, items, clause_model.probs(bags))
            cc = token_probs(len(tokens), chunks, items,
                             [(p, 0.0) for p in clause_crf.indirect(bags)])
            # mixed per token (a mark between two clauses takes the lower of each model's)
            extras["clause_probs"] = [[(1 - CRF_SHARE) * a[0] + CRF_SHARE * b[0], a[1]]
                                      for a, b in zip(lr, cc)]
    return chunks, feats


def clause_bags_for(tokens: list[str], chunks: list[tuple[int, int]], tags: list[str]):
    """The clause classifier's (a, b, bag) training items of a document (``clauses_de``)."""
    from quellenlage.speech.clauses_de import clause_bags

    return clause_bags(tokens, chunks, tags, _mined_hits(tokens, chunks), german_lexicons()[0],
                       _clauses(tokens, chunks), quote_structure(tokens).inside)


def _base_features(tokens: list[str], starts: frozenset[int]):
    """(chunks, per-token features, (quotation structure, verb-of-saying flags))."""
    verbs, cues, subj = german_lexicons()
    n = len(tokens)
    low = [_norm(t.lower()) for t in tokens]
    shape = [token_shape(t) for t in tokens]
    is_verb = [w in verbs for w in low]
    is_cue = [w in cues for w in low]
    is_subj = [w in subj for w in low]
    q = quote_structure(tokens)
    inq2 = single_quote_inside(tokens)
    doc_quotes = "D:quotes" if any(q.role) else "D:noquotes"
    chunks = sentence_chunks(tokens, starts)
    c_verb = _cumsum(is_verb)
    c_subj = _cumsum(is_subj)
    c_colon = _cumsum([w == ":" for w in low])
    c_comma = _cumsum([w == "," for w in low])
    c_dass = _cumsum([w == "dass" for w in low])

    sent_of = [0] * n
    sent_feats: list[list[str]] = []
    for si, (s, e) in enumerate(chunks):
        for i in range(s, e):
            sent_of[i] = si
        words = low[s:e]
        f = []
        if any(is_verb[s:e]):
            f.append("S:verb")
        if any(is_subj[s:e]):
            f.append("S:subj")
        if "dass" in words:
            f.append("S:dass")
        if ":" in words:
            f.append("S:colon")
        if any(q.role[i] or q.inside[i] for i in range(s, e)):
            f.append("S:quote")
        if any(tokens[i] in FIRST_SECOND for i in range(s, e)):
            f.append("S:12p")
        if any(is_cue[s:e]):
            f.append("S:cue")
        if e - s <= 4:
            f.append("S:short")
        last = tokens[e - 1] if e > s else ""
        if last in ("?", "!"):
            f.append("S:end" + last)
        sent_feats.append(f)
    # what a token sees of its own, the previous and the next sentence
    context = [sent_feats[si] + (["P" + x for x in sent_feats[si - 1]] if si > 0 else [])
               + (["N" + x for x in sent_feats[si + 1]] if si + 1 < len(chunks) else [])
               for si in range(len(chunks))]

    feats: list[list[str]] = []
    for i in range(n):
        si = sent_of[i]
        s, e = chunks[si]
        w = low[i]
        f = [
            "b",
            "w=" + w,
            "sh=" + shape[i],
            "s3=" + w[-3:],
            "s2=" + w[-2:],
            "p2=" + w[:2],
        ]
        if i == s:
            f.append("first")
        if i == e - 1:
            f.append("last")
        pos = i - s
        f.append("pos=" + _bin(pos))
        f.append("rpos=" + _bin(e - 1 - i))
        if is_verb[i]:
            f.append("verb")
        if is_cue[i]:
            f.append("cue")
        if is_subj[i]:
            f.append("subj")
        if tokens[i] in FIRST_SECOND:
            f.append("12p")
        # quotation structure
        if q.inside[i]:
            f.append("inq")
            f.append("qlen=" + _bin(q.qend[i] - q.qstart[i]))
            f.append("qfrom=" + _bin(i - q.qstart[i]))
            f.append("qto=" + _bin(q.qend[i] - i))
        if inq2[i]:
            f.append("inq2")
        f.append(doc_quotes)
        if q.role[i]:
            f.append("q=" + q.role[i])
            f.append("qlen=" + _bin(q.qend[i] - q.qstart[i]))
        # after a closing quote / before an opening quote in the same sentence (frame zone)
        for d in (1, 2, 3):
            j = i - d
            if j >= s and q.role[j] == "close":
                f.append(f"afterclose{d}")
                break
        for d in (1, 2, 3):
            j = i + d
            if j < e and q.role[j] == "open":
                f.append(f"beforeopen{d}")
                break
        # colon earlier in sentence / verb of saying earlier or later in sentence
        if c_verb[i] > c_verb[s]:
            f.append("lverb")
        if c_verb[e] > c_verb[i + 1]:
            f.append("rverb")
        if c_colon[i] > c_colon[s]:
            f.append("lcolon")
        if c_comma[i] > c_comma[s]:
            f.append("lcomma")
        if c_subj[e] > c_subj[i + 1]:
            f.append("rsubj")
        if c_subj[i] > c_subj[s]:
            f.append("lsubj")
        if c_dass[i] > c_dass[s]:
            f.append("ldass")
        # conjunctions: a clause after a verb of saying, a dash-opened line
        if c_verb[i] > c_verb[s] and c_comma[i] > c_comma[s]:
            f.append("lverb&comma")
        if c_verb[i] > c_verb[s] and c_colon[i] > c_colon[s]:
            f.append("lverb&colon")
        if c_verb[i] > c_verb[s] and c_subj[e] > c_subj[s]:
            f.append("lverb&subj")
        if tokens[s] in ("–", "—", "-", "--"):
            f.append("dashline")
        if q.inside[i] and (c_verb[q.qstart[i]] > c_verb[s] or c_verb[e] > c_verb[q.qend[i]]):
            f.append("inq&verb")
        # neighbours
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                f.append(f"w{d}={low[j]}")
                if d in (-1, 1):
                    f.append(f"sh{d}={shape[j]}")
                    if is_verb[j]:
                        f.append(f"verb{d}")
                    if q.role[j]:
                        f.append(f"q{d}={q.role[j]}")
            else:
                f.append(f"w{d}=<pad>")
        if i > 0:
            f.append(f"w-1w={low[i - 1]}|{w}")
        if i + 1 < n:
            f.append(f"ww+1={w}|{low[i + 1]}")
        f.extend(context[si])
        feats.append(f)
    return chunks, feats, (q, is_verb)


CLAUSE_MARKS = frozenset(",;:–—-()»«„“\"")
_SUBORD_WORDS = frozenset(("dass", "daß", "ob", "wie", "warum", "wann", "wo", "wer", "was"))


def _clauses(tokens: list[str], chunks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences cut at commas, colons, dashes, brackets and quotation marks (each mark
    a clause of its own)."""
    out = []
    for s, e in chunks:
        a = s
        for i in range(s, e):
            if tokens[i] in CLAUSE_MARKS:
                if i > a:
                    out.append((a, i))
                out.append((i, i + 1))
                a = i + 1
        if e > a:
            out.append((a, e))
    return out


def _pos_features(tokens: list[str], chunks: list[tuple[int, int]], tags: list[str],
                  clauses: list[tuple[int, int]] | None = None) -> list[list[str]]:
    """The token's and its neighbours' tags; facts about its clause and the clauses before and
    after (``C:``, ``PC:``, ``NC:``); a Konjunktiv I verb in the sentence (``S:K1``)."""
    verbs = german_lexicons()[0]
    low = [t.lower() for t in tokens]
    n = len(tokens)
    out: list[list[str]] = [[] for _ in range(n)]
    if clauses is None:
        clauses = _clauses(tokens, chunks)
    facts = []
    for a, b in clauses:
        tg, w = tags[a:b], low[a:b]
        if b - a == 1 and not w[0].isalnum():
            facts.append(None)  # a punctuation mark
            continue
        info = set()
        if "VFIN.K1" in tg:
            info.add("K1")
        if "VFIN.K2" in tg:
            info.add("K2")
        if any(x in verbs for x in w):
            info.add("verb")
        if tg[0] in ("KOUS", "PW", "PREL"):
            info.add("start=" + tg[0])
        if w[0] in _SUBORD_WORDS:
            info.add("startw=" + _norm(w[0]))
        if "KOUS" in tg:
            info.add("kous")
        if tg[-1] in FINITE:
            info.add("vlast")
        if not FINITE.intersection(tg):
            info.add("nofin")
        if "PPER" in tg:
            info.add("pper")
        facts.append(info)
    for ci, (a, b) in enumerate(clauses):
        info = facts[ci]
        if info is None:
            continue
        prev = next((facts[k] for k in range(ci - 1, -1, -1) if facts[k] is not None), set())
        nxt = next((facts[k] for k in range(ci + 1, len(clauses)) if facts[k] is not None), set())
        f = ["C:" + x for x in info] + ["PC:" + x for x in prev] + ["NC:" + x for x in nxt]
        if "verb" in prev and ("K1" in info or "kous" in info):
            f.append("PCverb&subord")
        if "verb" in prev and "K1" in info:
            f.append("PCverb&K1")
        if "verb" in nxt and "K1" in info:
            f.append("NCverb&K1")
        for i in range(a, b):
            out[i].extend(f)
    for s, e in chunks:
        if "VFIN.K1" in tags[s:e]:
            for i in range(s, e):
                out[i].append("S:K1")
    for i in range(n):
        prev_tag = tags[i - 1] if i else "<pad>"
        out[i].extend(("t=" + tags[i], "t-1=" + prev_tag,
                       "t+1=" + (tags[i + 1] if i + 1 < n else "<pad>"),
                       "t-1t=" + prev_tag + "|" + tags[i]))
    return out


def _mined_hits(tokens: list[str], chunks: list[tuple[int, int]]) -> list[str | None]:
    """Per token the class of the mined word of speech it is (``V``/``N``) or None."""
    mined = german_mined_words()
    return [mined.get(t.lower()) for t in tokens]


def _mined_features(tokens: list[str], chunks: list[tuple[int, int]], hit=None) -> list[list[str]]:
    """Mined words of speech (``V``/``N``): the token, its neighbours, the sentence, and
    whether one occurs earlier (``lm``) or later (``rm``) in the sentence."""
    if hit is None:
        hit = _mined_hits(tokens, chunks)
    out: list[list[str]] = [[] for _ in tokens]
    for s, e in chunks:
        sent = ["S:m" + k for k in sorted({h for h in hit[s:e] if h})]
        for i in range(s, e):
            out[i].extend(sent)
            if hit[i]:
                out[i].append("m" + hit[i])
            for d in (-1, 1):
                j = i + d
                if s <= j < e and hit[j]:
                    out[i].append(f"m{d}{hit[j]}")
        seen: set[str] = set()
        for i in range(s, e):
            out[i].extend("lm" + k for k in sorted(seen))
            if hit[i]:
                seen.add(hit[i])
        seen = set()
        for i in range(e - 1, s - 1, -1):
            out[i].extend("rm" + k for k in sorted(seen))
            if hit[i]:
                seen.add(hit[i])
    return out


def _frac_bin(x: float) -> str:
    if x == 0:
        return "0"
    if x < 0.34:
        return "lo"
    if x < 0.67:
        return "mid"
    if x < 1:
        return "hi"
    return "all"


def stack_features(chunks: list[tuple[int, int]], labels: list[str]) -> list[list[str]]:
    """Second-pass features from first-pass kind labels (initials, ``O``): the token's and its
    neighbours' labels and, per kind, the share of tokens labelled with it in this sentence, the
    sentences before and after, and the document."""
    n = len(labels)
    kinds = "DIRF"
    doc = {k: sum(k in lab for lab in labels) / n if n else 0.0 for k in kinds}
    shares = []
    for s, e in chunks:
        m = max(e - s, 1)
        shares.append({k: sum(k in labels[i] for i in range(s, e)) / m for k in kinds})
    out: list[list[str]] = [[] for _ in range(n)]
    for si, (s, e) in enumerate(chunks):
        sent = [f"SF:{k}={_frac_bin(shares[si][k])}" for k in kinds]
        if si > 0:
            sent += [f"PF:{k}={_frac_bin(shares[si - 1][k])}" for k in kinds]
        if si + 1 < len(chunks):
            sent += [f"NF:{k}={_frac_bin(shares[si + 1][k])}" for k in kinds]
        sent += [f"DF:{k}={_frac_bin(doc[k])}" for k in kinds]
        for i in range(s, e):
            f = ["L1=" + labels[i]]
            f.append("L1-1=" + (labels[i - 1] if i > 0 else "<pad>"))
            f.append("L1+1=" + (labels[i + 1] if i + 1 < n else "<pad>"))
            f.append("L1-3=" + (labels[i - 3] if i > 2 else "<pad>"))
            f.append("L1+3=" + (labels[i + 3] if i + 3 < n else "<pad>"))
            f.extend(sent)
            out[i] = f
    return out
