"""Sentence-alignment evaluation on Text+Berg style data (Bleualign's format).

A document is a triple ``NAME.de``, ``NAME.fr`` (one sentence per line) and ``NAME.defr``
(one gold bead per line, ``[i, j]:[k]``, 0-based line numbers, an empty list for 1-0/0-1).
The German side is aligned as the derived text, the French side as the original.

Scores follow Vecalign's ``score.py`` (the definitions behind its published Text+Berg
figures): precision counts every predicted bead (1-0/0-1 included) against the gold beads,
strictly (the identical bead) or laxly (any overlap on both sides); recall does the same
with the roles swapped and the 1-0/0-1 beads of both sides left out. Counts are summed over
all documents before P/R/F1 are computed.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from quellenlage.errors import DataError

BeadT = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class Document:
    name: str
    de: list[str]
    fr: list[str]
    gold: list[BeadT]


def parse_beads(text: str, where: str = "") -> list[BeadT]:
    beads: list[BeadT] = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        try:
            left, right = line.split(":")
            src, tgt = ast.literal_eval(left.strip()), ast.literal_eval(right.strip())
            beads.append((tuple(int(x) for x in src), tuple(int(x) for x in tgt)))
        except (ValueError, SyntaxError, TypeError) as err:
            raise DataError(f"{where}:{number}: not a bead '[i, ...]:[k, ...]': {line!r}") from err
    return beads


def load_documents(data: Path) -> list[Document]:
    """Every ``NAME.de``/``NAME.fr``/``NAME.defr`` triple in ``data`` (sorted by name)."""
    data = Path(data)
    if not data.is_dir():
        raise DataError(f"no data folder at {data}",
                        hint="give the folder with NAME.de, NAME.fr and NAME.defr files")
    docs = []
    for gold_path in sorted(data.glob("*.defr")):
        name = gold_path.name[: -len(".defr")]
        de, fr = data / f"{name}.de", data / f"{name}.fr"
        if not de.is_file() or not fr.is_file():
            raise DataError(f"{gold_path} has no {de.name} or {fr.name} beside it")
        doc = Document(name, de.read_text(encoding="utf-8").splitlines(),
                       fr.read_text(encoding="utf-8").splitlines(),
                       parse_beads(gold_path.read_text(encoding="utf-8"), str(gold_path)))
        for src, tgt in doc.gold:
            if any(i >= len(doc.de) for i in src) or any(k >= len(doc.fr) for k in tgt):
                raise DataError(f"{gold_path}: bead {list(src)}:{list(tgt)} points past the end")
        docs.append(doc)
    if not docs:
        raise DataError(f"no NAME.de/NAME.fr/NAME.defr triples in {data}")
    return docs


def _counts(gold: list[BeadT], test: list[BeadT]) -> list[int]:
    """[tp_strict, fp_strict, tp_lax, fp_lax] of ``test`` against ``gold`` (Vecalign)."""
    gold_set = {(tuple(x), tuple(y)) for x, y in gold if x or y}
    test_set = {(tuple(x), tuple(y)) for x, y in test if x or y}
    src_to_tgt: dict[int, set[int]] = defaultdict(set)
    for src, tgt in gold_set:
        for s in src:
            src_to_tgt[s].update(tgt)
    tps = fps = tpl = fpl = 0
    for src, tgt in test_set:
        if (src, tgt) in gold_set:
            tps += 1
            tpl += 1
            continue
        fps += 1
        targets = set().union(*(src_to_tgt[s] for s in src)) if src else set()
        if set(tgt) & targets:
            tpl += 1
        else:
            fpl += 1
    return [tps, fps, tpl, fpl]


def _prf(tp: int, fp: int, rtp: int, rfp: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = rtp / (rtp + rfp) if rtp + rfp else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def score(pairs: list[tuple[list[BeadT], list[BeadT]]]) -> dict:
    """Strict and lax P/R/F1 over (gold, test) bead lists, counts summed over documents."""
    pc = [0, 0, 0, 0]
    rc = [0, 0, 0, 0]
    for gold, test in pairs:
        pc = [x + y for x, y in zip(pc, _counts(gold, test))]
        gold_nd = [(x, y) for x, y in gold if x and y]
        test_nd = [(x, y) for x, y in test if x and y]
        rc = [x + y for x, y in zip(rc, _counts(test_nd, gold_nd))]
    return {"strict": _prf(pc[0], pc[1], rc[0], rc[1]), "lax": _prf(pc[2], pc[3], rc[2], rc[3])}


def align_document(doc: Document, *, params=None, similarity: str = "embedding") -> list[BeadT]:
    from quellenlage.align.core import align_sentences

    links = align_sentences(doc.de, doc.fr, params=params, similarity=similarity)
    return [(tuple(b.derived), tuple(b.original)) for b in links]


def evaluate(data: Path, *, params=None, similarity: str = "embedding") -> dict:
    """Align every document in ``data`` and score against its gold beads."""
    docs = load_documents(data)
    pairs = [(doc.gold, align_document(doc, params=params, similarity=similarity)) for doc in docs]
    result = score(pairs)
    result["documents"] = len(docs)
    result["gold_beads"] = sum(len(d.gold) for d in docs)
    return result


# --- partial translations built from a parallel document ---------------------------------

@dataclass(frozen=True)
class PartialCase:
    """A synthetic partial translation: derived sentences, original sentences, truth."""

    derived: list[str]
    original: list[str]
    added: frozenset[int]      # derived sentences with no counterpart in the original
    left_out: frozenset[int]   # original sentences the derived text leaves out
    drop_rate: float


def make_partial(doc: Document, remarks: list[str], *, seed: int, window: int = 200,
                 drop: tuple[float, float] = (0.3, 0.7), remark_rate: float = 0.15) -> PartialCase:
    """Cut a window of ``window`` original sentences from ``doc``; keep the derived side of
    its beads but drop 30-70 % of them in blocks of 2-8 beads (their original sentences
    become "left out"), and insert author remarks (from ``remarks``) between kept beads.
    Order is never shuffled."""
    import random

    rng = random.Random(seed)
    beads = list(doc.gold)  # in document order
    start = rng.randrange(max(1, len(beads) - 1))
    chosen: list[BeadT] = []
    n_orig = 0
    for bead in beads[start:]:
        if n_orig >= window:
            break
        chosen.append(bead)
        n_orig += len(bead[1])
    if n_orig < window and start > 0:  # not enough after the start: extend backwards
        for bead in reversed(beads[:start]):
            if n_orig >= window:
                break
            chosen.insert(0, bead)
            n_orig += len(bead[1])
    rate = rng.uniform(*drop)
    keep = [True] * len(chosen)
    target = int(round(rate * len(chosen)))
    dropped = 0
    while dropped < target:
        size = rng.randint(2, 8)
        at = rng.randrange(len(chosen))
        for k in range(at, min(len(chosen), at + size)):
            if keep[k] and dropped < target:
                keep[k] = False
                dropped += 1
    remark_pool = list(remarks)
    rng.shuffle(remark_pool)
    derived: list[str] = []
    original: list[str] = []
    added: set[int] = set()
    left_out: set[int] = set()
    for k, (src, tgt) in enumerate(chosen):
        if keep[k] and remark_pool and rng.random() < remark_rate:
            for _ in range(rng.randint(1, 2)):
                if remark_pool:
                    added.add(len(derived))
                    derived.append(remark_pool.pop())
        o_idx = []
        for t in tgt:
            o_idx.append(len(original))
            original.append(doc.fr[t])
        if keep[k] and src:
            for s in src:
                if not tgt:
                    added.add(len(derived))
                derived.append(doc.de[s])
        if not (keep[k] and src):
            left_out.update(o_idx)
    return PartialCase(derived, original, frozenset(added), frozenset(left_out), rate)


def score_partial(case: PartialCase, links) -> dict:
    """Precision/recall counts of "added" and "left out" for one case."""
    pred_added = {i for link in links if not link.original for i in link.derived}
    pred_left = {j for link in links if not link.derived for j in link.original}
    return {"added": (len(pred_added & case.added), len(pred_added), len(case.added)),
            "left_out": (len(pred_left & case.left_out), len(pred_left), len(case.left_out))}


def partial_prf(counts: list[dict]) -> dict:
    out = {}
    for key in ("added", "left_out"):
        tp = sum(c[key][0] for c in counts)
        npred = sum(c[key][1] for c in counts)
        ngold = sum(c[key][2] for c in counts)
        p = tp / npred if npred else 0.0
        r = tp / ngold if ngold else 0.0
        out[key] = {"precision": round(p, 4), "recall": round(r, 4),
                    "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
                    "gold": ngold}
    return out


def split_document(doc: Document, parts: int) -> list[Document]:
    """Cut a document into ``parts`` contiguous pieces along its gold beads (for
    cross-validation when a folder holds a single document)."""
    size = -(-len(doc.gold) // parts)
    out = []
    for k in range(parts):
        beads = doc.gold[k * size:(k + 1) * size]
        if not beads:
            continue
        de_ids = sorted({i for src, _ in beads for i in src})
        fr_ids = sorted({j for _, tgt in beads for j in tgt})
        de_map = {i: n for n, i in enumerate(de_ids)}
        fr_map = {j: n for n, j in enumerate(fr_ids)}
        gold = [(tuple(de_map[i] for i in src), tuple(fr_map[j] for j in tgt)) for src, tgt in beads]
        out.append(Document(f"{doc.name}.{k}", [doc.de[i] for i in de_ids],
                            [doc.fr[j] for j in fr_ids], gold))
    return out


def read_remarks(path: Path) -> list[str]:
    return [line.strip() for line in Path(path).read_text(encoding="utf-8").splitlines()
            if line.strip()]


def remark_pool(data: Path, remarks_file: Path, n_subjective: int = 60) -> list[str]:
    """Author remarks for partial translations: our own remark sentences (``remarks_file``)
    and subjective sentences of CheckThat! 2025 German train when ``data`` has them."""
    import csv
    import random

    pool = read_remarks(remarks_file)
    path = Path(data) / "checkthat2025-subjectivity" / "de" / "train_de.tsv"
    if path.is_file():
        with path.open(encoding="utf-8") as handle:
            subj = [r["sentence"] for r in csv.DictReader(handle, delimiter="\t")
                    if r.get("label") == "SUBJ" and 30 <= len(r.get("sentence", "")) <= 200]
        random.Random(0).shuffle(subj)
        pool += subj[:n_subjective]
    return pool


def partial_benchmark(data: Path, remarks_file: Path, *, seeds: range, params=None,
                      similarity: str = "embedding", drop: tuple[float, float] = (0.3, 0.7)) -> dict:
    """Precision/recall of "added" and "left out" on partial translations of Text+Berg dev."""
    from quellenlage.align.core import align_sentences

    doc = load_documents(Path(data) / "textberg-de-fr")[0]
    pool = remark_pool(data, remarks_file)
    counts = []
    for seed in seeds:
        case = make_partial(doc, pool, seed=seed, drop=drop)
        links = align_sentences(case.derived, case.original, params=params, similarity=similarity)
        counts.append(score_partial(case, links))
    return partial_prf(counts)


GATE_SEEDS = range(100, 106)


def gate_scores(data: Path, remarks_file: Path) -> dict[str, float]:
    """The scores that tests/test_gate_alignment.py guards (recorded in quality/alignment.json)."""
    dev = evaluate(Path(data) / "textberg-de-fr")
    part = partial_benchmark(data, remarks_file, seeds=GATE_SEEDS)
    return {
        "textberg_dev_strict_f1": dev["strict"]["f1"],
        "textberg_dev_lax_f1": dev["lax"]["f1"],
        "partial_added_precision": part["added"]["precision"],
        "partial_added_recall": part["added"]["recall"],
        "partial_left_out_precision": part["left_out"]["precision"],
        "partial_left_out_recall": part["left_out"]["recall"],
    }
