"""ingest: text, HTML, files, stdin and URLs -> :class:`~quellenlage.document.Document`.

Input is decoded with encoding detection (invalid bytes never crash a run), HTML goes through
trafilatura for its main text, and metadata found in the text (cited works, edit notes,
publication dates) is attached. The document's reference date for relative dates is ``date``
if given, else the publication date, else the last edit date.
"""

from __future__ import annotations

from pathlib import Path

from quellenlage.document import Document, DocumentMeta
from quellenlage.errors import EmptyInputError, InputNotFoundError, InputTooLargeError
from quellenlage.ingest.decode import decode_bytes
from quellenlage.ingest.html import declared_charset, extract_html, looks_like_html
from quellenlage.ingest.metadata import find_metadata
from quellenlage.report import CitedWork

DEFAULT_MAX_CHARS = 5_000_000
DEFAULT_MAX_BYTES = 20_000_000


def is_url(source: str) -> bool:
    """A single http(s) URL (a text that merely starts with one is text)."""
    return source.startswith(("http://", "https://")) and len(source.split()) == 1 and len(source) < 4096


def read_source(source: str | Path, *, allow_private: bool = False, max_bytes: int = DEFAULT_MAX_BYTES
                ) -> tuple[bytes, str | None, str | None]:
    """Raw bytes of a path or URL, with the declared charset and the final URL."""
    if isinstance(source, str) and is_url(source):
        from quellenlage.ingest.fetch import fetch_url

        fetched = fetch_url(source, allow_private=allow_private, max_bytes=max_bytes)
        return fetched.data, fetched.charset, fetched.url
    path = Path(source)
    if not path.is_file():
        raise InputNotFoundError(f"no such file: {path}")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputTooLargeError(f"{path} is {size:,} bytes, over the limit of {max_bytes:,}")
    return path.read_bytes(), None, None


def document_from_bytes(data: bytes, *, declared: str | None = None, url: str | None = None,
                        **options) -> Document:
    if not data.strip():
        raise EmptyInputError("the input is empty")
    text, _encoding = decode_bytes(data, declared or declared_charset(data))
    return document_from_text(text, url=url, **options)


def document_from_text(text: str, *, url: str | None = None, lang: str | None = None,
                       date: str | None = None, max_chars: int = DEFAULT_MAX_CHARS,
                       html: bool | None = None) -> Document:
    if not text.strip():
        raise EmptyInputError("the input has no text (empty or whitespace only)")
    if len(text) > max_chars:
        raise InputTooLargeError(f"the text has {len(text):,} characters, over the limit of {max_chars:,}")
    meta = DocumentMeta(url=url)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if html or (html is None and looks_like_html(text)):
        content = extract_html(text, url=url)
        text = content.text
        meta.source_format = "html"
        meta.title, meta.author, meta.url = content.title, content.author, content.url or url
        meta.published = content.date
        link_works = [CitedWork(url=href, title=label) for label, href in content.links]
    else:
        link_works = []
    found = find_metadata(text)
    meta.cited = found.cited + [w for w in link_works if w.url not in {c.url for c in found.cited}]
    meta.edited = found.edited
    meta.published = meta.published or found.published
    if lang and lang != "auto":
        meta.language, meta.language_forced = lang, True
    if date:
        meta.reference_date, meta.reference_forced = date, True
    else:
        meta.reference_date = meta.published or meta.edited
    return Document(text=text, meta=meta)


def _is_file(name: str) -> bool:
    """Whether a one-line string names an existing file (a long sentence is no file name: the OS
    refuses names over 255 bytes with an error, and a NUL byte raises too)."""
    try:
        return Path(name).is_file()
    except (OSError, ValueError):
        return False


def load_document(source: str | Path | bytes, *, allow_private: bool = False,
                  max_bytes: int = DEFAULT_MAX_BYTES, **options) -> Document:
    """A Document from a path, a URL, raw bytes, or text given directly."""
    if isinstance(source, bytes):
        return document_from_bytes(source, **options)
    if isinstance(source, Path) or (isinstance(source, str) and (is_url(source) or (
            "\n" not in source and len(source) < 4096 and _is_file(source)))):
        data, declared, final_url = read_source(source, allow_private=allow_private, max_bytes=max_bytes)
        return document_from_bytes(data, declared=declared, url=final_url, **options)
    return document_from_text(source, **options)
