"""SpanIndex (quellenlage.document): the position lookups the stages use for every sentence,
checked against the plain scans they replace, on random spans."""

import random

from quellenlage.document import SpanIndex


def test_span_index_answers_as_a_scan_does():
    rng = random.Random(7)
    spans = []
    for k in range(400):
        start = rng.randrange(0, 2000)
        spans.append((start, start + rng.choice([0, 1, 3, 10, 40, 300]), f"item{k}"))
    index = SpanIndex(spans)
    for _ in range(500):
        lo = rng.randrange(0, 2100)
        hi = lo + rng.choice([0, 1, 5, 50, 400])
        assert index.within(lo, hi) == [x for s, e, x in spans if lo <= s and e <= hi]
        by_start = sorted(range(len(spans)), key=lambda i: (spans[i][0], i))
        assert index.overlapping(lo, hi) == [spans[i][2] for i in by_start
                                             if spans[i][0] < hi and lo < spans[i][1]]
        assert index.overlaps(lo, hi) == any(s < hi and lo < e for s, e, _x in spans)


def test_span_index_grows():
    index = SpanIndex()
    assert not index.overlaps(0, 10)
    index.add(5, 8)
    assert index.overlaps(0, 6) and index.overlaps(7, 9) and not index.overlaps(8, 12)
    index.add(100, 400, "long")
    assert index.overlapping(390, 391) == ["long"]
    assert index.within(0, 1000) == [None, "long"]
