"""One self-contained HTML page: the original text with sentences coloured by role and claims
highlighted; selecting a claim shows its facts, source chain and reasons.

Safety: every piece of document text is escaped with :func:`html.escape`; the report data for the
detail panel is embedded as JSON inside ``<script type="application/json">`` with ``<``, ``>`` and
``&`` written as ``\\u003c`` etc., and the script writes it into the page with ``textContent``
only. No network requests: no external CSS, fonts, images or scripts; a Content-Security-Policy
forbids them.
"""

from __future__ import annotations

import html
import json

from quellenlage.render import chain_text, count_noun
from quellenlage.report import score_text

ROLE_COLORS = {"author": "#e8f0fe", "relayed": "#fff4d6", "meta": "#ece6f5", "elision": "#eeeeee",
               "citation": "#e3f4ea", "boilerplate": "#f3f3f3"}

_CSS = """
body{font:16px/1.55 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header{padding:14px 24px;background:#20232a;color:#fff}header h1{font-size:18px;margin:0}
header p{margin:4px 0 0;font-size:13px;color:#cfd3da}
main{display:grid;grid-template-columns:minmax(0,3fr) minmax(280px,2fr);gap:20px;padding:20px 24px}
#text p{background:#fff;padding:10px 14px;border-radius:6px;margin:0 0 10px;box-shadow:0 1px 2px #0001}
.s{border-radius:3px;padding:1px 0}.s.claim{cursor:pointer;border-bottom:2px solid #bbb}
.s.worthy{border-bottom:3px solid #d9480f}.s.selected{outline:2px solid #1c7ed6}
%ROLES%
aside{position:sticky;top:10px;align-self:start;background:#fff;padding:14px 16px;border-radius:6px;box-shadow:0 1px 3px #0002}
aside h2{font-size:15px;margin:0 0 8px}aside dt{font-weight:600;font-size:13px;margin-top:8px}aside dd{margin:2px 0 0 0;font-size:14px}
.legend span{display:inline-block;padding:1px 6px;margin:2px;border-radius:3px;font-size:12px;color:#222}
ol#claims{padding-left:18px;font-size:14px}ol#claims li{margin:4px 0;cursor:pointer}
.score{font-variant-numeric:tabular-nums;color:#d9480f;font-weight:600}
"""

_JS = """
(function(){
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var byId = {}; data.claims.forEach(function(c){ byId[c.id] = c; });
  function show(id){
    var c = byId[id]; if(!c) return;
    document.querySelectorAll('.selected').forEach(function(e){ e.classList.remove('selected'); });
    var el = document.querySelector('[data-claim="'+id+'"]'); if(el){ el.classList.add('selected'); }
    var d = document.getElementById('detail'); d.textContent = '';
    function row(label, value){ if(!value) return; var dt=document.createElement('dt'); dt.textContent=label;
      var dd=document.createElement('dd'); dd.textContent=value; d.appendChild(dt); d.appendChild(dd); }
    row('Claim', c.text);
    row('Score', (Math.floor(c.score * 100 + 1e-9) / 100).toFixed(2) + (c.check_worthy ? ' (check-worthy)' : ' (not check-worthy)'));
    row('Who says so', c.chain);
    row('Attribution', c.attribution.type + (c.attribution.cue ? ' · cue: ' + c.attribution.cue : ''));
    row('Names', c.names.join(', '));
    row('Numbers', c.quantities.map(function(q){ return q.text + ' → ' + q.value + (q.unit ? ' ' + q.unit : ''); }).join(', '));
    row('Dates', c.dates.map(function(x){ return x.text + ' → ' + x.value; }).join(', '));
    row('Hedges', c.hedges.map(function(h){ return h.text + ' (' + h.kind + ')'; }).join(', '));
    row('Reasons', c.reasons.join('; '));
  }
  document.querySelectorAll('[data-claim]').forEach(function(el){
    el.addEventListener('click', function(){ show(el.getAttribute('data-claim')); });
  });
  var first = data.claims.filter(function(c){ return c.check_worthy; })[0] || data.claims[0];
  if(first){ show(first.id); }
})();
"""


def _json_for_script(obj) -> str:
    return (json.dumps(obj, ensure_ascii=False).replace("&", "\\u0026").replace("<", "\\u003c")
            .replace(">", "\\u003e").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def render_html(report) -> str:
    esc = html.escape
    text = report.text
    claim_by_sentence = {c.sentence_id: c for c in report.claims}
    names = {e.id: e.name for e in report.entities}
    paragraphs_html = []
    by_paragraph: dict[str, list] = {}
    for s in report.sentences:
        by_paragraph.setdefault(s.paragraph, []).append(s)
    for p in report.paragraphs:
        parts = []
        pos = p.start
        for s in by_paragraph.get(p.id, []):
            parts.append(esc(text[pos:s.start]))
            claim = claim_by_sentence.get(s.id)
            classes = f"s role-{s.role}" + (" claim" if claim else "") + (" worthy" if claim and claim.check_worthy else "")
            attrs = f' data-claim="{esc(claim.id)}"' if claim else ""
            title = esc(f"{s.role}: {s.role_reason}")
            parts.append(f'<span class="{classes}" id="{esc(s.id)}" title="{title}"{attrs}>{esc(s.text)}</span>')
            pos = s.end
        parts.append(esc(text[pos:p.end]))
        paragraphs_html.append("<p>" + "".join(parts) + "</p>")
    data = {"claims": [{
        "id": c.id, "text": c.text, "score": c.score, "check_worthy": c.check_worthy, "reasons": c.reasons,
        "chain": chain_text(report, c.attribution.source), "attribution": c.attribution.model_dump(mode="json"),
        "names": [names.get(e, e) for e in c.entities],
        "quantities": [q.model_dump(mode="json") for q in c.quantities],
        "dates": [x.model_dump(mode="json") for x in c.dates],
        "hedges": [h.model_dump(mode="json") for h in c.hedges]} for c in report.claims]}
    d = report.document
    subtitle = " · ".join(x for x in [
        d.language, count_noun(d.word_count, "word"), count_noun(len(report.claims), "claim"),
        f"{sum(c.check_worthy for c in report.claims)} check-worthy",
        *(f"cites {w.author or ''} {('“' + w.title + '”') if w.title else ''} {w.url or ''}".strip() for w in d.cited)] if x)
    legend = "".join(f'<span style="background:{color}">{role}</span>' for role, color in ROLE_COLORS.items())
    claims_list = "".join(
        f'<li data-claim="{esc(c.id)}"><span class="score">{score_text(c.score)}</span> {esc(c.text[:120])}</li>'
        for c in sorted(report.claims, key=lambda c: -c.score) if c.check_worthy)
    roles_css = "\n".join(f".role-{r}{{background:{col}}}" for r, col in ROLE_COLORS.items())
    csp = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
    return f"""<!DOCTYPE html>
<html lang="{esc(d.language)}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>quellenlage report{': ' + esc(d.title) if d.title else ''}</title>
<style>{_CSS.replace('%ROLES%', roles_css)}</style></head>
<body><header><h1>quellenlage report{': ' + esc(d.title) if d.title else ''}</h1><p>{esc(subtitle)}</p></header>
<main><section id="text"><div class="legend">{legend}</div>{''.join(paragraphs_html)}</section>
<aside><h2>Selected claim</h2><dl id="detail"></dl><h2>Check-worthy claims</h2><ol id="claims">{claims_list}</ol></aside></main>
<script type="application/json" id="report-data">{_json_for_script(data)}</script>
<script>{_JS}</script></body></html>
"""
