"""Readers for the training/evaluation corpora: REDEWIEDERGABE (German) and PolNeAR (English).

Both readers take a folder and raise ``DataError`` when it is missing or malformed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from quellenlage.errors import DataError
from quellenlage.speech.pos_de import reduce_tag

KINDS = ("direct", "indirect", "reported", "free_indirect")
_RW_TYPES = {"direct": "direct", "indirect": "indirect", "reported": "reported",
             "freeIndirect": "free_indirect"}
_INT = re.compile(r"\d+")


@dataclass
class RwDocument:
    """One REDEWIEDERGABE sample: tokens, per-token speech kinds, instances and their speakers."""

    name: str
    tokens: list[str]
    kinds: list[set[str]]
    instances: dict[int, tuple[set[str], list[int]]] = field(default_factory=dict)
    speakers: dict[int, list[int]] = field(default_factory=dict)  # instance id -> token indices
    cues: dict[int, list[int]] = field(default_factory=dict)  # instance id -> intexpr tokens
    speaker_tokens: set[int] = field(default_factory=set)
    cue_tokens: set[int] = field(default_factory=set)
    stts: list[str] = field(default_factory=list)  # the corpus's STTS tags
    pos: list[str] = field(default_factory=list)  # reduced tags with mood (pos_de.reduce_tag)
    lemmas: list[str] = field(default_factory=list)


def _parse_stwr(value: str) -> list[tuple[set[str], int]]:
    out = []
    if value in ("-", ""):
        return out
    for item in value.split("|"):
        parts = item.split(".")
        if len(parts) < 3:
            continue
        kinds = {_RW_TYPES[t] for t in parts[0].split() if t in _RW_TYPES}
        m = _INT.match(parts[2])
        if kinds and m:
            out.append((kinds, int(m.group())))
    return out


def _ids(value: str, prefix: str) -> list[int]:
    if not value.startswith(prefix):
        return []
    return [int(x) for x in _INT.findall(value[len(prefix):])]


def read_rw_file(path: Path) -> RwDocument:
    """Read one REDEWIEDERGABE ``.tsv`` sample."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or not lines[0].startswith("tok\t"):
        raise DataError(f"{path} is not a REDEWIEDERGABE token file (no 'tok' header)")
    header = lines[0].split("\t")
    try:
        c_tok, c_stwr = header.index("tok"), header.index("stwr")
        c_spk, c_int = header.index("speaker"), header.index("intexpr")
    except ValueError as err:
        raise DataError(f"{path} lacks a REDEWIEDERGABE column: {err}") from err
    c_pos, c_rf, c_lem = (header.index(c) if c in header else -1 for c in ("pos", "rfpos", "lemma"))
    doc = RwDocument(path.name, [], [])
    for line in lines[1:]:
        if not line:
            continue
        cols = line.split("\t")
        if len(cols) <= max(c_tok, c_stwr, c_spk, c_int):
            raise DataError(f"{path}: short line {line[:60]!r}")
        i = len(doc.tokens)
        doc.tokens.append(cols[c_tok])
        kinds: set[str] = set()
        for ks, iid in _parse_stwr(cols[c_stwr]):
            kinds |= ks
            inst = doc.instances.setdefault(iid, (set(), []))
            inst[0].update(ks)
            inst[1].append(i)
        doc.kinds.append(kinds)
        if c_pos >= 0:
            doc.stts.append(cols[c_pos])
            doc.pos.append(reduce_tag(cols[c_pos], cols[c_rf] if c_rf >= 0 else ""))
        if c_lem >= 0:
            doc.lemmas.append(cols[c_lem])
        for iid in _ids(cols[c_spk], "speaker."):
            doc.speakers.setdefault(iid, []).append(i)
            doc.speaker_tokens.add(i)
        for iid in _ids(cols[c_int], "intexpr."):
            doc.cues.setdefault(iid, []).append(i)
            doc.cue_tokens.add(i)
    return doc


def rw_files(folder: Path) -> list[Path]:
    """Every REDEWIEDERGABE sample file in ``folder`` (metadata files skipped), sorted."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(f"REDEWIEDERGABE folder {folder} does not exist",
                        hint="pass the folder with the .tsv samples, e.g. ../shared/data/redewiedergabe")
    files = sorted(p for p in folder.glob("*.tsv") if not p.name.startswith("metadata"))
    if not files:
        raise DataError(f"no REDEWIEDERGABE .tsv samples in {folder}")
    return files


def read_rw_folder(folder: Path) -> list[RwDocument]:
    return [read_rw_file(p) for p in rw_files(folder)]


# --------------------------------------------------------------------------- PolNeAR

ROLES = ("source", "cue", "content")


@dataclass
class PnDocument:
    """One PolNeAR annotation file with its text: spans per role and the attributions."""

    name: str
    text: str
    spans: dict[str, set[tuple[int, int]]]
    attributions: list[dict[str, tuple[int, int] | None]]


_BRAT_T = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t")


def read_pn_ann(ann: Path, text: str) -> PnDocument:
    """Read a brat ``.ann``: Source/Cue/Content text-bound spans and Attribution events.

    A discontinuous span (``a b;c d``) is taken as its extent ``(a, d)``.
    """
    spans: dict[str, set[tuple[int, int]]] = {r: set() for r in ROLES}
    tb: dict[str, tuple[str, tuple[int, int]]] = {}
    events = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        m = _BRAT_T.match(line)
        if m:
            label = m.group(2).lower()
            nums = [int(x) for x in re.findall(r"\d+", m.group(3))]
            if not nums:
                continue
            span = (min(nums), max(nums))
            if span[1] > len(text):
                raise DataError(f"{ann}: span {span} outside the text ({len(text)} chars)")
            tb[m.group(1)] = (label, span)
            if label in ROLES:
                spans[label].add(span)
        elif line.startswith("E"):
            events.append(line.split("\t", 1)[-1].split())
    atts = []
    for args in events:
        rec: dict[str, tuple[int, int] | None] = {r: None for r in ROLES}
        for arg in args[1:]:
            role, _, tid = arg.partition(":")
            role = re.sub(r"\d+$", "", role).lower()
            if role in ROLES and tid in tb:
                rec[role] = tb[tid][1]
        if rec["content"] or rec["cue"]:
            atts.append(rec)
    return PnDocument(ann.name, text, spans, atts)


def read_pn_folder(folder: Path) -> list[PnDocument]:
    """Every ``attributions/*.ann`` of a PolNeAR split with its ``text/*.txt``.

    Annotation files are named ``<text name>_<annotator>.ann``; a text annotated by two
    annotators gives two documents.
    """
    folder = Path(folder)
    adir, tdir = folder / "attributions", folder / "text"
    if not adir.is_dir() or not tdir.is_dir():
        raise DataError(f"{folder} is not a PolNeAR split folder (needs attributions/ and text/)",
                        hint="e.g. ../shared/data/polnear/dev")
    docs = []
    for ann in sorted(adir.glob("*.ann")):
        stem = ann.stem
        txt = tdir / (stem + ".txt")
        if not txt.is_file() and "_" in stem:
            txt = tdir / (stem.rsplit("_", 1)[0] + ".txt")
        if not txt.is_file():
            raise DataError(f"no text file for {ann.name} in {tdir}")
        text = txt.read_text(encoding="utf-8")
        docs.append(read_pn_ann(ann, text))
    if not docs:
        raise DataError(f"no .ann files in {adir}")
    return docs
