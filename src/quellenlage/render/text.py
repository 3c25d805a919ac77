"""Terminal report: check-worthy claims first, each with its source chain, facts and hedges."""

from __future__ import annotations

from quellenlage.render import chain_text, count_noun
from quellenlage.report import score_text

_ANSI = {"bold": "\033[1m", "dim": "\033[2m", "red": "\033[31m", "green": "\033[32m", "yellow": "\033[33m",
         "blue": "\033[34m", "magenta": "\033[35m", "cyan": "\033[36m", "reset": "\033[0m"}


def _clean(text: str) -> str:
    """Terminal-safe: no escape sequences or control characters from the document."""
    return "".join(c if c.isprintable() or c == " " else " " for c in text)


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.4g}"


def render_text(report, *, color: bool = False) -> str:
    def c(name: str, s: str) -> str:
        return f"{_ANSI[name]}{s}{_ANSI['reset']}" if color else s

    d = report.document
    lines = [c("bold", f"quellenlage report · {d.language} · {count_noun(d.word_count, 'word')} · "
                       f"{count_noun(len(report.sentences), 'sentence')}")]
    if d.title:
        lines.append(f"Title: {_clean(d.title)}")
    dated = [x for x in (d.published and f"published {d.published}", d.edited and f"edited {d.edited}") if x]
    if dated:
        lines.append("Dated: " + ", ".join(dated))
    for w in d.cited:
        lines.append("Cites: " + _clean(" · ".join(x for x in (w.author, w.title and f"“{w.title}”", w.url) if x)))
    roles: dict[str, int] = {}
    for s in report.sentences:
        roles[s.role] = roles.get(s.role, 0) + 1
    lines.append("Voices: " + ", ".join(f"{k} {v}" for k, v in roles.items()))
    lines.append("")
    worthy = sorted((cl for cl in report.claims if cl.check_worthy), key=lambda cl: -cl.score)
    rest = [cl for cl in report.claims if not cl.check_worthy]
    lines.append(c("bold", f"Check-worthy claims ({len(worthy)} of {len(report.claims)})"))
    entity_names = {e.id: f"{e.name} ({e.label})" for e in report.entities}
    for cl in worthy:
        lines.append("")
        lines.append(c("yellow", f"[{score_text(cl.score)}] ") + _clean(cl.text))
        lines.append("  " + c("cyan", "who says so: ") + _clean(chain_text(report, cl.attribution.source)
                                                                 or cl.attribution.type))
        if cl.entities:
            lines.append("  names: " + _clean(", ".join(entity_names.get(e, e) for e in cl.entities)))
        if cl.quantities:
            lines.append("  numbers: " + _clean(", ".join(f"{q.text} → {_number(q.value)}" + (f" {q.unit}" if q.unit else "")
                                                          for q in cl.quantities)))
        if cl.dates:
            lines.append("  dates: " + _clean(", ".join(f"{x.text} → {x.value}" for x in cl.dates)))
        if cl.hedges:
            lines.append("  " + c("magenta", "hedges: ") + _clean(", ".join(f"{h.text} ({h.kind})" for h in cl.hedges)))
        lines.append("  " + c("dim", "why: " + _clean("; ".join(cl.reasons))))
    if rest:
        lines.append("")
        lines.append(c("bold", f"Other statements ({len(rest)})"))
        for cl in rest:
            lines.append(c("dim", f"[{score_text(cl.score)}] ") + _clean(cl.text[:140]))
    return "\n".join(lines) + "\n"
