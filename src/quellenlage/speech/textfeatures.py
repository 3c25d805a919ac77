"""Language-independent token helpers: quotation structure and sentence chunks.

Both taggers see a document as a list of token strings. Quotation marks are paired over the
whole document (a quotation may run over several sentences); sentences are found on the tokens
with a small rule (an end mark followed by something that can start a sentence), so that the
training data and run-time text are cut the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

DOUBLE_QUOTES = frozenset('"„“”»«‟〞〟＂')
END_MARKS = frozenset(".!?…")
CLOSERS = frozenset('"“”«»\')]’')
MAX_QUOTE_TOKENS = 400  # an unclosed quotation mark stops counting after this many tokens


@dataclass(frozen=True)
class QuoteInfo:
    """Per token: inside a quotation (``inside``), the quote mark's role, and the span of its
    quotation (token index of the opening and closing mark, or -1)."""

    inside: list[bool]
    role: list[str]  # "open", "close" or ""
    qstart: list[int]
    qend: list[int]


def _guillemet_opens(tokens: list[str]) -> str:
    """Which guillemet opens in this document: German »…« (default) or French/Swiss «…»."""
    for tok in tokens:
        if tok == "»":
            return "»"
        if tok == "«":
            return "«"
    return "»"


SINGLE_QUOTES = frozenset("›‹‚‘")


def single_quote_inside(tokens: list[str]) -> list[bool]:
    """Tokens inside single guillemets/low-high quotes (›…‹, ‹…›, ‚…‘); a second level of
    quotation, or the first level in texts that use single marks only. Apostrophes (' ’) are
    not quotation marks here."""
    n = len(tokens)
    inside = [False] * n
    opener = ""
    open_at = -1
    for i, tok in enumerate(tokens):
        if tok not in SINGLE_QUOTES:
            if open_at >= 0 and i - open_at > MAX_QUOTE_TOKENS:
                open_at = -1
            continue
        if open_at < 0:
            if tok in "›‹‚":
                open_at, opener = i, tok
        elif tok != opener:
            for j in range(open_at + 1, i):
                inside[j] = True
            open_at = -1
    return inside


def quote_structure(tokens: list[str]) -> QuoteInfo:
    """Pair double quotation marks over the document.

    „ always opens; the guillemet seen first opens (German »…« or Swiss «…»); every other
    double quote closes an open quotation or else opens one. A quotation that is not closed
    within ``MAX_QUOTE_TOKENS`` tokens is dropped (its opening mark stays unpaired).
    """
    n = len(tokens)
    inside = [False] * n
    role = [""] * n
    qstart = [-1] * n
    qend = [-1] * n
    opener = _guillemet_opens(tokens)
    closer = "«" if opener == "»" else "»"
    open_at = -1
    for i, tok in enumerate(tokens):
        if tok not in DOUBLE_QUOTES:
            if open_at >= 0 and i - open_at > MAX_QUOTE_TOKENS:
                open_at = -1
            continue
        if open_at >= 0 and tok not in ("„", opener):
            # close
            for j in range(open_at + 1, i):
                inside[j] = True
                qstart[j] = open_at
                qend[j] = i
            role[open_at] = "open"
            role[i] = "close"
            qstart[open_at] = qstart[i] = open_at
            qend[open_at] = qend[i] = i
            open_at = -1
        elif tok == closer and open_at < 0:
            continue  # a stray closing guillemet
        else:
            open_at = i
    return QuoteInfo(inside, role, qstart, qend)


def line_starts(text: str, offsets: list[tuple[int, int]]) -> frozenset[int]:
    """Indices of the tokens that begin a new line of ``text`` (a line break before them)."""
    return frozenset(i for i in range(1, len(offsets))
                     if "\n" in text[offsets[i - 1][1]:offsets[i][0]])


def sentence_chunks(tokens: list[str], starts: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
    """Split token indices into sentences ``(start, end)``, end exclusive.

    A sentence ends after ``.!?…`` (plus closing quotes/brackets that follow) when the next
    token starts with an upper-case letter, a digit or an opening quote/dash; a colon never ends
    one. Very long runs without an end mark are cut at 200 tokens. Token indices in ``starts``
    (e.g. the first tokens of lines, see ``line_starts``) always begin a sentence.
    """
    n = len(tokens)
    chunks: list[tuple[int, int]] = []
    start = 0
    i = 0
    while i < n:
        tok = tokens[i]
        if i in starts and i > start:
            chunks.append((start, i))
            start = i
        if tok in END_MARKS or (tok and tok[-1] in END_MARKS and len(tok) > 1 and not tok[0].isalnum()):
            j = i + 1
            while j < n and tokens[j] in CLOSERS:
                j += 1
            if j >= n:
                break
            nxt = tokens[j]
            c = nxt[0]
            if c.isupper() or c.isdigit() or c in '„"»«“‚‹›–—-(' :
                chunks.append((start, j))
                start = j
                i = j
                continue
        elif i - start >= 200:
            chunks.append((start, i))
            start = i
        i += 1
    if start < n:
        chunks.append((start, n))
    return chunks


def group_chunks(chunks: list[tuple[int, int]], max_tokens: int) -> list[tuple[int, int]]:
    """Merge consecutive sentence chunks into CRF sequences of at most ``max_tokens`` tokens
    (a longer sentence stays one sequence), so that label transitions run across sentences."""
    out: list[tuple[int, int]] = []
    for s, e in chunks:
        if out and e - out[-1][0] <= max_tokens:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def token_shape(tok: str) -> str:
    """Coarse shape of a token: l(ower), U(PPER), C(apitalised), m(ixed), d(igits), a(lnum), p:<punct>."""
    if tok.isalpha():
        if tok.islower():
            return "l"
        if tok.isupper() and len(tok) > 1:
            return "U"
        return "C" if tok[0].isupper() else "m"
    if tok.isdigit():
        return "d"
    if tok.isalnum():
        return "a"
    return "p:" + tok[:2]
