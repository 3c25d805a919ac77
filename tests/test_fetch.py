"""URL input against a real HTTP server on loopback: fetching, refusals and errors."""

from __future__ import annotations

import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import quellenlage
from quellenlage.errors import FetchError, ForbiddenAddressError
from quellenlage.ingest.fetch import _pinned, check_address, fetch_url

PAGE = (Path(__file__).parent / "fixtures" / "documents" / "news_page.html").read_bytes()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass

    def do_GET(self):
        if self.path == "/article.html":
            self._send(200, "text/html; charset=utf-8", PAGE)
        elif self.path == "/latin1.txt":
            self._send(200, "text/plain; charset=iso-8859-1",
                       "Der Bürgermeister sagte, 300 Häuser seien überflutet.".encode("latin-1"))
        elif self.path == "/image.png":
            self._send(200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
        elif self.path == "/huge.html":
            self._send(200, "text/html", b"<p>" + b"a" * 3_000_000 + b"</p>")
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif self.path == "/host":
            self._send(200, "text/plain", f"Host: {self.headers.get('Host')}".encode())
        elif self.path == "/redirect":
            self.send_response(301)
            self.send_header("Location", "/article.html")
            self.end_headers()
        else:
            self._send(404, "text/plain", b"not found")

    def _send(self, status, ctype, body):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_loopback_is_refused_by_default(server):
    with pytest.raises(ForbiddenAddressError):
        quellenlage.analyze(server + "/article.html")


@pytest.mark.parametrize("url", ["http://10.1.2.3/x", "http://192.168.0.1/", "http://169.254.169.254/latest/meta-data",
                                 "http://[::1]/", "http://0.0.0.0/", "http://172.16.5.4/", "http://[::ffff:127.0.0.1]/"])
def test_private_and_special_addresses_are_refused_before_any_request(url):
    with pytest.raises(ForbiddenAddressError):
        check_address(url)


@pytest.mark.parametrize("url", ["ftp://example.org/x", "file:///etc/passwd", "http:///nohost"])
def test_only_http_urls(url):
    with pytest.raises(FetchError):
        check_address(url)


def test_a_name_that_resolves_to_loopback_is_refused():
    with pytest.raises(ForbiddenAddressError):
        check_address("http://localhost/")


def test_the_request_goes_to_the_checked_address_with_the_original_host():
    # no second DNS lookup between the check and the connection (DNS rebinding)
    assert _pinned("https://user@example.org:8443/a?b=1", "93.184.215.14") == (
        "https://93.184.215.14:8443/a?b=1", {"Host": "example.org:8443"},
        {"sni_hostname": "example.org"})
    assert _pinned("http://example.org/x", "2606:2800:21f:cb07:6820:80da:af6b:8b2c")[0] == \
        "http://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/x"


def test_a_pinned_request_reaches_the_server_under_its_host_name(server):
    port = server.rsplit(":", 1)[1]
    fetched = fetch_url(f"http://localhost:{port}/host", allow_private=True)
    assert fetched.data == f"Host: localhost:{port}".encode()
    assert fetched.url == f"http://localhost:{port}/host"


def test_fetches_and_analyses_a_real_page(server):
    report = quellenlage.analyze(server + "/redirect", allow_private=True)
    assert report.document.source_format == "html"
    assert report.document.url.endswith("/article.html")
    assert "Der Pegel der Donau in Passau" in report.text
    assert "Girokonto" not in report.text


def test_declared_charset_is_used(server):
    report = quellenlage.analyze(server + "/latin1.txt", allow_private=True)
    assert "Bürgermeister" in report.text and "überflutet" in report.text


@pytest.mark.parametrize("path, fragment", [("/image.png", "image/png"), ("/loop", "redirected more than"),
                                            ("/missing", "HTTP 404")])
def test_fetch_errors_say_why(server, path, fragment):
    with pytest.raises(FetchError) as info:
        fetch_url(server + path, allow_private=True)
    assert fragment in str(info.value)


def test_size_limit(server):
    with pytest.raises(FetchError) as info:
        fetch_url(server + "/huge.html", allow_private=True, max_bytes=1_000_000)
    assert "limit" in str(info.value)


def test_cli_unreachable_url_gives_one_line_and_exit_5():
    result = subprocess.run([sys.executable, "-m", "quellenlage", "analyze", "http://127.0.0.1:9/nothing",
                             "--allow-private"], capture_output=True, timeout=60)
    assert result.returncode == 5
    err = result.stderr.decode().strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: [Q300]")


def test_cli_forbidden_url_exit_5(server):
    result = subprocess.run([sys.executable, "-m", "quellenlage", "analyze", server + "/article.html"],
                            capture_output=True, timeout=60)
    assert result.returncode == 5 and "[Q301]" in result.stderr.decode()
