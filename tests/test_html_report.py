"""The HTML report in a real headless Chromium (Debian chromium + Playwright): XSS payloads in the
document stay inert text, the page makes no network requests, and selecting a claim shows it."""

from __future__ import annotations

import os
import shutil

import pytest

import quellenlage
from quellenlage.render import render

CHROMIUM = os.environ.get("QUELLENLAGE_CHROMIUM", "/usr/bin/chromium")

XSS_PAYLOADS = [
    "<script>alert('xss1')</script>",
    "<img src=x onerror=alert('xss2')>",
    "\"><svg onload=alert('xss3')>",
    "</script><script>alert('xss4')</script>",
    "<iframe src=\"javascript:alert('xss5')\"></iframe>",
    "<a href=\"javascript:alert('xss6')\">klick</a>",
    "<body onload=alert('xss7')>",
    "<style>@import 'http://127.0.0.1:9/x.css';</style>",
    "<img src=\"http://127.0.0.1:9/track.png\">",
    "{{constructor.constructor('alert(8)')()}}",
    "<!-- <script>alert('xss9')</script> -->",
    "\u2028</script>\u2029<script>alert('xss10')</script>",
    "<details open ontoggle=alert('xss11')>",
    "<math><mi xlink:href=\"javascript:alert('xss12')\">x</mi></math>",
]


def payload_document() -> str:
    lines = ["Laut Insidern hat der Minister am Montag 22 Berater entlassen."]
    for i, p in enumerate(XSS_PAYLOADS):
        lines.append(f"Der Sprecher sagte am {i + 1}. Mai 2021, es seien {i + 10} Fälle: {p} Das ist belegt.")
    return "\n".join(lines) + "\n"


def test_html_escapes_every_payload_without_a_browser():
    html = render(quellenlage.analyze(payload_document(), lang="de", input_format="text"), "html")
    for payload in XSS_PAYLOADS:
        if "<" in payload:  # markup payloads never appear unescaped
            assert payload not in html
    assert html.count("<script") == 2  # the JSON data block and the page's own script
    assert "http://" not in html.replace("http://127.0.0.1:9", "")  # no external resource of ours


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium missing at {CHROMIUM} on CI")
        pytest.skip(f"Debian chromium not installed at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                    "--disable-component-update", "--no-first-run", "--disable-sync"])
        yield b
        b.close()


@pytest.mark.browser
def test_payloads_stay_inert_in_chromium(browser, tmp_path):
    report = quellenlage.analyze(payload_document(), lang="de", input_format="text")
    path = tmp_path / "report.html"
    path.write_text(render(report, "html"), encoding="utf-8")
    page = browser.new_page()
    dialogs, requests, errors = [], [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_timeout(300)
    # Click every claim so that the detail panel renders each payload too.
    for el in page.query_selector_all("#text [data-claim]"):
        el.click()
    page.wait_for_timeout(200)
    assert dialogs == []
    assert errors == []
    assert [u for u in requests if not u.startswith("file://")] == []
    body = page.inner_text("#text")
    for payload in XSS_PAYLOADS:
        assert payload.replace("\u2028", "").replace("\u2029", "").split()[0] in body.replace("\u2028", "").replace("\u2029", "")
    assert page.evaluate("document.querySelectorAll('script').length") == 2
    assert page.evaluate("document.querySelectorAll('img, iframe, svg, math, details, style').length") == 1  # our <style>
    page.close()


@pytest.mark.browser
def test_selecting_a_claim_shows_its_facts_and_source_chain(browser, tmp_path):
    text = ("Ich gebe hier eine Übersetzung.\n[...]\nGemäß einer hochrangigen Quelle koordinierten 22 Amerikaner "
            "im Mai 2021 die Operation in Almaty.\nDas Wetter war schön.\n")
    report = quellenlage.analyze(text, lang="de")
    path = tmp_path / "report.html"
    path.write_text(render(report, "html"), encoding="utf-8")
    page = browser.new_page()
    page.goto(path.as_uri())
    claim = next(c for c in report.claims if "22 Amerikaner" in c.text)
    page.click(f'[data-claim="{claim.id}"]')
    detail = page.inner_text("#detail")
    assert "22 Amerikaner" in detail
    assert "2021-05" in detail
    assert "anonymous" in detail and "hochrangigen Quelle" in detail
    assert page.get_attribute(f'#text [data-claim="{claim.id}"]', "class").split().count("selected") == 1
    page.screenshot(path=str(tmp_path / "shot.png"))
    page.close()
