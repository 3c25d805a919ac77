"""Evaluation of the English attributor on a PolNeAR split (brat ``.ann`` + text).

Spans are compared per role (source, cue, content) and per annotation file, independently of
how they are grouped into attributions. A discontinuous gold span is taken as its extent; the
same span annotated twice in one file counts once.

* exact: a predicted span is correct when a gold span of the role has the same start and end.
* overlap: predicted and gold spans are matched one-to-one, greedily, largest character overlap
  first (ties: earlier spans first); any overlap of at least one character counts.

Precision = matched / predicted, recall = matched / gold, summed over all files (micro).
"""

from __future__ import annotations

from pathlib import Path

from quellenlage.speech.corpora import ROLES, PnDocument, read_pn_folder


def _prf(tp: int, npred: int, ngold: int) -> dict:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def overlap_matches(pred: list[tuple[int, int]], gold: list[tuple[int, int]]) -> int:
    """Number of one-to-one greedy matches between overlapping spans."""
    pairs = []
    for i, (ps, pe) in enumerate(pred):
        for j, (gs, ge) in enumerate(gold):
            ov = min(pe, ge) - max(ps, gs)
            if ov > 0:
                pairs.append((-ov, i, j))
    pairs.sort()
    used_p, used_g = set(), set()
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
    return len(used_p)


def evaluate_documents(docs: list[PnDocument], attributor=None) -> dict:
    """Exact and overlap precision/recall/F1 per role."""
    if attributor is None:
        from quellenlage.speech import load_attributor

        attributor = load_attributor("en")
    counts = {r: {"exact": 0, "overlap": 0, "pred": 0, "gold": 0} for r in ROLES}
    for doc in docs:
        pred = attributor.char_spans(doc.text)
        for r in ROLES:
            p = sorted(set(pred[r]))
            g = sorted(doc.spans[r])
            c = counts[r]
            c["pred"] += len(p)
            c["gold"] += len(g)
            c["exact"] += len(set(p) & set(g))
            c["overlap"] += overlap_matches(p, g)
    result: dict = {}
    for r in ROLES:
        c = counts[r]
        result[r] = {"exact": _prf(c["exact"], c["pred"], c["gold"]),
                     "overlap": _prf(c["overlap"], c["pred"], c["gold"]),
                     "gold": c["gold"], "predicted": c["pred"]}
    result["documents"] = len(docs)
    return result


def evaluate_attribution(folder: Path, attributor=None) -> dict:
    """Evaluate on a PolNeAR split folder (``attributions/*.ann`` and ``text/*.txt``)."""
    return evaluate_documents(read_pn_folder(Path(folder)), attributor)
