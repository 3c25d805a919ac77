"""HTML to main text with trafilatura; title, author, date and links are kept."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from quellenlage.errors import NoTextInHtmlError

_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|article|div|p)\b",
                         re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[a-zA-Z][^>]{0,200}>")
_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE)
MAX_DEPTH = 400


def looks_like_html(text: str) -> bool:
    head = text[:5000]
    if _HTML_START.match(head):
        return True
    tags = len(_TAG.findall(head))
    return tags >= 10 and tags * 3 > len(head.split())


def declared_charset(data: bytes) -> str | None:
    m = _CHARSET.search(data[:4096])
    return m.group(1).decode("ascii") if m else None


@dataclass
class HtmlContent:
    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    url: str | None = None
    links: list[tuple[str, str]] = field(default_factory=list)  # (anchor text, absolute URL)


def _nesting_depth(html: str) -> int:
    depth = best = 0
    for m in re.finditer(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>", html):
        closing, name, selfclose = m.group(1), m.group(2).lower(), m.group(3)
        if name in {"br", "img", "meta", "link", "hr", "input", "source", "wbr"} or selfclose:
            continue
        depth += -1 if closing else 1
        best = max(best, depth)
        if best > MAX_DEPTH:
            break
    return best


def extract_html(html: str, url: str | None = None) -> HtmlContent:
    """The main text of a page, or :class:`NoTextInHtmlError`."""
    import trafilatura
    from lxml import html as lxml_html

    if _nesting_depth(html) > MAX_DEPTH:
        raise NoTextInHtmlError(f"the HTML is nested more than {MAX_DEPTH} levels deep; no main text found",
                                hint="save the article text itself and analyse that")
    try:
        result = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                             include_tables=True, favor_precision=True)
    except (RecursionError, ValueError) as err:
        raise NoTextInHtmlError(f"the HTML could not be parsed ({type(err).__name__})") from err
    text = (getattr(result, "text", None) or "") if result is not None else ""
    if not text.strip():
        raise NoTextInHtmlError("the HTML page contains no main text")
    content = HtmlContent(text=text.strip(), title=getattr(result, "title", None),
                          author=getattr(result, "author", None), date=getattr(result, "date", None),
                          url=getattr(result, "url", None) or url)
    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        return content
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        label = " ".join(anchor.text_content().split())
        if not href.startswith(("http://", "https://", "/")) or not label:
            continue
        if len(label) >= 4 and label in content.text:
            content.links.append((label, urljoin(url or "", href)))
    return content
