"""Markdown report. Document text is escaped so that it cannot inject markup or links."""

from __future__ import annotations

import html
import re

from quellenlage.render import chain_text
from quellenlage.report import score_text

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", html.escape(" ".join(text.split()), quote=False))


def render_markdown(report) -> str:
    d = report.document
    out = ["# quellenlage report", "", f"- language: {d.language}", f"- words: {d.word_count}"]
    if d.title:
        out.append(f"- title: {md_escape(d.title)}")
    if d.edited:
        out.append(f"- edited: {d.edited}")
    for w in d.cited:
        out.append("- cites: " + md_escape(" · ".join(x for x in (w.author, w.title, w.url) if x)))
    out += ["", "## Claims", "", "| score | check-worthy | claim | who says so | facts |", "|---|---|---|---|---|"]
    for cl in sorted(report.claims, key=lambda c: -c.score):
        facts = [f"{q.text}={q.value:g}" for q in cl.quantities] + [f"{x.text}→{x.value}" for x in cl.dates]
        out.append(f"| {score_text(cl.score)} | {'yes' if cl.check_worthy else 'no'} | {md_escape(cl.text)} | "
                   f"{md_escape(chain_text(report, cl.attribution.source) or cl.attribution.type)} | "
                   f"{md_escape('; '.join(facts))} |")
    out += ["", "## Sources", ""]
    for s in report.sources:
        out.append(f"- **{s.id}** {md_escape(s.name)} ({s.kind})" + (f" via {s.via}" if s.via else ""))
    out += ["", "## Sentences", ""]
    for s in report.sentences:
        out.append(f"- `{s.id}` *{s.role}*: {md_escape(s.text)}")
    return "\n".join(out) + "\n"
