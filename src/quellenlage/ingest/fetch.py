"""Fetch a URL with a real HTTP client: timeouts, a size limit, a content-type check, limited
redirects, and no loopback/private/link-local addresses unless the caller allows them.

Every hop of a redirect is checked again before it is requested, and the request goes to the
address that was checked (the URL's host travels in the Host header and, for https, as the TLS
server name), so a DNS answer that changes between the check and the connection (DNS rebinding)
cannot redirect the request to a private address.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from quellenlage.errors import FetchError, ForbiddenAddressError

ACCEPTED_TYPES = ("text/html", "text/plain", "application/xhtml+xml", "text/markdown", "text/xml",
                  "application/xml")
MAX_REDIRECTS = 5
USER_AGENT = "quellenlage/0.1 (+https://pypi.org/project/quellenlage/)"


@dataclass
class Fetched:
    url: str
    data: bytes
    content_type: str
    charset: str | None


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_address(url: str, *, allow_private: bool = False) -> str:
    """Raise unless ``url`` is http(s) and every address its host resolves to is public.

    Returns the address to connect to (the first IPv4 address resolved, else the first one).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"only http and https URLs can be fetched, not '{parts.scheme}:'")
    host = parts.hostname
    if not host:
        raise FetchError(f"the URL '{url}' has no host")
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80),
                                   type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise FetchError(f"the host '{host}' could not be resolved ({err})",
                         hint="check the URL and the network connection") from err
    if not allow_private:
        for info in infos:
            address = info[4][0]
            if not _is_public(address):
                raise ForbiddenAddressError(f"'{host}' resolves to the non-public address {address}")
    addresses = [info[4][0] for info in infos]
    return next((a for a in addresses if ":" not in a), addresses[0])


def _pinned(url: str, address: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """The URL with its host replaced by ``address``, the Host header and the TLS server name."""
    parts = urlsplit(url)
    ip = address.split("%", 1)[0]
    netloc = f"[{ip}]" if ":" in ip else ip
    if parts.port:
        netloc += f":{parts.port}"
    host_header = parts.netloc.rsplit("@", 1)[-1]
    extensions = {"sni_hostname": parts.hostname} if parts.scheme == "https" else {}
    return parts._replace(netloc=netloc).geturl(), {"Host": host_header}, extensions


def fetch_url(url: str, *, allow_private: bool = False, timeout: float = 15.0,
              max_bytes: int = 10_000_000) -> Fetched:
    import httpx

    current = url
    with httpx.Client(timeout=timeout, follow_redirects=False,
                      headers={"User-Agent": USER_AGENT, "Accept": "text/html,text/plain;q=0.9"}) as client:
        for _hop in range(MAX_REDIRECTS + 1):
            address = check_address(current, allow_private=allow_private)
            target, headers, extensions = _pinned(current, address)
            try:
                with client.stream("GET", target, headers=headers, extensions=extensions) as response:
                    if response.is_redirect:
                        location = response.headers.get("location")
                        if not location:
                            raise FetchError(f"{current} redirected without a Location header")
                        current = urljoin(current, location)
                        continue
                    if response.status_code >= 400:
                        raise FetchError(f"{current} answered HTTP {response.status_code}")
                    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
                    if content_type and not content_type.startswith(ACCEPTED_TYPES):
                        raise FetchError(f"{current} is of type '{content_type}', not text or HTML")
                    declared = int(response.headers.get("content-length") or 0)
                    if declared > max_bytes:
                        raise FetchError(f"{current} is {declared} bytes, over the limit of {max_bytes}")
                    chunks, size = [], 0
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > max_bytes:
                            raise FetchError(f"{current} is larger than the limit of {max_bytes} bytes")
                        chunks.append(chunk)
                    return Fetched(url=current, data=b"".join(chunks),
                                   content_type=content_type or "text/html",
                                   charset=response.charset_encoding)
            except httpx.TimeoutException as err:
                raise FetchError(f"{current} did not answer within {timeout:.0f} s") from err
            except httpx.HTTPError as err:
                raise FetchError(f"{current} could not be fetched: {err}",
                                 hint="check the URL and the network connection") from err
    raise FetchError(f"{url} redirected more than {MAX_REDIRECTS} times")
