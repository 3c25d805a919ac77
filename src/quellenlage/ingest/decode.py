"""Bytes to text: encoding detection that never crashes on invalid bytes, and binary refusal."""

from __future__ import annotations

import codecs

from quellenlage.errors import BinaryInputError

_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
# Magic numbers of common binary formats that people may hand over by mistake.
_MAGIC = {
    b"%PDF": "PDF", b"PK\x03\x04": "ZIP/Office", b"\x89PNG": "PNG", b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF", b"\x7fELF": "executable", b"\x1f\x8b": "gzip", b"\xd0\xcf\x11\xe0": "Office 97",
}


def looks_binary(data: bytes) -> str | None:
    """A reason why ``data`` is not text, or None."""
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return f"the input is a {kind} file, not text"
    sample = data[:65536]
    if not sample:
        return None
    if any(sample.startswith(bom) for bom, _ in _BOMS):
        return None
    if b"\x00" in sample:
        return "the input contains NUL bytes: it is binary, not text"
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    if control / len(sample) > 0.05:
        return "the input is mostly control bytes: it is binary, not text"
    return None


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``.

    Order: byte-order mark, a declared charset (HTTP header or HTML meta) that decodes cleanly,
    strict UTF-8, charset-normalizer's best guess, and finally cp1252 with replacement so that
    invalid bytes never stop a run.
    """
    reason = looks_binary(data)
    if reason:
        raise BinaryInputError(reason)
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name
    if declared:
        try:
            return data.decode(declared), declared.lower()
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200000]).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding, errors="replace"), best.encoding
        except LookupError:
            pass
    return data.decode("cp1252", errors="replace"), "cp1252"
