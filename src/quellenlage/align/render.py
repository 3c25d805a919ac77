"""Render a :class:`~quellenlage.align.records.Comparison` as side-by-side text or HTML.

The alignment is monotonic, so one row per link keeps both texts in their order: the
derived text on the left, the original on the right, a connector in the middle. Added
sentences (1-0) have an empty right cell, left-out ones (0-1) an empty left cell. The HTML
page is self-contained (inline CSS, no script, no external resource) and every piece of text
is escaped.
"""

from __future__ import annotations

import html
import textwrap

from quellenlage.align.records import Comparison, Flag, Sentence

_MARK = {"added": "+", "omitted": "-"}


def _cell_text(sents: list[Sentence], indices: tuple[int, ...]) -> str:
    return " ".join(f"[{i}] {sents[i].text}" for i in indices)


def render_text(comparison: Comparison, width: int = 120) -> str:
    """A side-by-side view for a terminal, ``width`` characters wide."""
    gap = 11
    col = max(20, (width - gap) // 2)
    lines: list[str] = []
    s = comparison.summary()
    lines.append(f"derived ({comparison.lang_derived}, {s['derived_sentences']} sentences)".ljust(col)
                 + " " * gap + f"original ({comparison.lang_original}, "
                 f"{s['original_sentences']} sentences)")
    lines.append("=" * min(width, 2 * col + gap))
    for link in comparison.links:
        left = textwrap.wrap(_cell_text(comparison.derived, link.derived), col) or [""]
        right = textwrap.wrap(_cell_text(comparison.original, link.original), col) or [""]
        if link.derived and link.original:
            tag = f" = {link.score:.2f}"
        else:
            tag = " + added" if link.derived else " - omitted"
        tag = tag.ljust(gap)
        for k in range(max(len(left), len(right))):
            a = left[k] if k < len(left) else ""
            b = right[k] if k < len(right) else ""
            lines.append(a.ljust(col) + (tag if k == 0 else " " * gap) + b)
        for flag in link.flags:
            lines.extend(textwrap.wrap(f"!! {flag.kind} {flag.change}: {flag.message}", 2 * col + gap,
                                       initial_indent="    ", subsequent_indent="       "))
        lines.append("")
    lines.append(f"{s['links']} links, {s['added']} added, {s['omitted']} left out, "
                 f"{s['flags']} fidelity flags; original coverage {s['original_coverage']:.0%}")
    return "\n".join(lines) + "\n"


def _marked(text: str, sent: Sentence, flags: list[tuple[int, int, Flag]]) -> str:
    """The sentence as HTML with the flagged spans inside it marked (spans are absolute)."""
    cuts = sorted((max(s, sent.start), min(e, sent.end), f) for s, e, f in flags
                  if s < sent.end and e > sent.start and not (s <= sent.start and e >= sent.end))
    out, pos = [], sent.start
    for s, e, flag in cuts:
        if s < pos:
            continue
        out.append(html.escape(text[pos:s]))
        out.append(f'<mark class="flag {html.escape(flag.kind)}" title="{html.escape(flag.message)}">'
                   f"{html.escape(text[s:e])}</mark>")
        pos = e
    out.append(html.escape(text[pos:sent.end]))
    return "".join(out)


def _cell(side: str, text: str, sents: list[Sentence], indices: tuple[int, ...],
          flags: list[tuple[int, int, Flag]]) -> str:
    return "".join(f'<p id="{side}{i}"><span class="idx">{i}</span> '
                   f"{_marked(text, sents[i], flags)}</p>" for i in indices)


_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.3em} .summary{color:#555}
table{border-collapse:collapse;width:100%;table-layout:fixed}
td{vertical-align:top;padding:.35em .6em;border-bottom:1px solid #e4e4e4}
td.d,td.o{width:46%} td.link{width:8%;text-align:center;font-size:.8em;color:#666}
tr.added td.d{background:#fff4d6} tr.omitted td.o{background:#eceff3;color:#666}
tr.added td.o::after{content:"(added by the derived text)";color:#a07a00;font-size:.85em}
tr.omitted td.d::after{content:"(left out)";color:#777;font-size:.85em}
p{margin:.15em 0} .idx{color:#999;font-size:.75em}
mark.flag{background:#ffd2d2;border-bottom:2px solid #d33}
ul.flags{margin:.3em 0 0;padding-left:1.1em;color:#a11;font-size:.85em}
svg{display:block;margin:auto}
"""


def render_html(comparison: Comparison, title: str = "quellenlage compare") -> str:
    """One self-contained HTML page: both texts side by side, links, flags marked."""
    s = comparison.summary()
    rows = []
    for link in comparison.links:
        fd = [(sp.start, sp.end, f) for f in link.flags for sp in f.derived]
        fo = [(sp.start, sp.end, f) for f in link.flags for sp in f.original]
        left = _cell("d", comparison.derived_text, comparison.derived, link.derived, fd)
        right = _cell("o", comparison.original_text, comparison.original, link.original, fo)
        if link.derived and link.original:
            middle = ('<svg width="60" height="14" aria-hidden="true"><line x1="0" y1="7" x2="60" '
                      'y2="7" stroke="#4a7" stroke-width="2"/></svg>'
                      f"{html.escape(link.kind)} · {link.score:.2f}")
            cls = "matched"
        else:
            middle = "added" if link.derived else "left out"
            cls = "added" if link.derived else "omitted"
        if link.flags:
            items = "".join(f"<li>{html.escape(f.kind)} {html.escape(f.change)}: "
                            f"{html.escape(f.message)}</li>" for f in link.flags)
            left += f'<ul class="flags">{items}</ul>'
            cls += " flagged"
        rows.append(f'<tr class="{cls}"><td class="d">{left}</td><td class="link">{middle}</td>'
                    f'<td class="o">{right}</td></tr>')
    summary = (f"{s['links']} links · {s['added']} sentences added by the derived text · "
               f"{s['omitted']} original sentences left out · {s['flags']} fidelity flags · "
               f"original coverage {s['original_coverage']:.0%} · model {comparison.model}")
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'\">"
            f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
            f"<h1>{html.escape(title)}</h1><p class=\"summary\">{html.escape(summary)}</p>"
            f"<table><thead><tr><th>derived ({html.escape(comparison.lang_derived)})</th><th></th>"
            f"<th>original ({html.escape(comparison.lang_original)})</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></body></html>\n")
