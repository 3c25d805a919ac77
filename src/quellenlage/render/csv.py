"""CSV: one row per claim."""

from __future__ import annotations

import csv
import io

from quellenlage.render import chain_text

COLUMNS = ["claim_id", "sentence_id", "start", "end", "check_worthy", "score", "role", "attribution",
           "source_chain", "entities", "quantities", "dates", "hedges", "reasons", "text"]


def _safe(value: str) -> str:
    """Neutralise spreadsheet formulas (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def render_csv(report) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(COLUMNS)
    names = {e.id: e.name for e in report.entities}
    roles = {s.id: s.role for s in report.sentences}
    for cl in report.claims:
        writer.writerow([_safe(str(x)) for x in [
            cl.id, cl.sentence_id, cl.start, cl.end, cl.check_worthy, f"{cl.score:.4f}", roles.get(cl.sentence_id, ""),
            cl.attribution.type, chain_text(report, cl.attribution.source),
            "; ".join(names.get(e, e) for e in cl.entities),
            "; ".join(f"{q.text}={q.value:g}" for q in cl.quantities),
            "; ".join(f"{d.text}={d.value}" for d in cl.dates),
            "; ".join(f"{h.text}({h.kind})" for h in cl.hedges),
            " | ".join(cl.reasons), cl.text]])
    return buf.getvalue()
