"""Whether a request without the admin token is a developer on their own machine.

Without ``HUBGRAPH_ADMIN_TOKEN`` the control plane trusts only a request that is local in
every way that can be checked: the peer and the listening socket are loopback addresses,
no proxy relayed it (any proxy header at all: a proxy on the same host makes every client
look like 127.0.0.1, and the left-most X-Forwarded-For entry is the client's own text), its
``Host`` is a loopback name (DNS rebinding gives a foreign name a loopback address), and no
browser marks it as sent by another site (``Origin``, ``Sec-Fetch-Site``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request

from hubgraph.serving import is_loopback_address, is_loopback_name

# Headers a forward or reverse proxy adds (RFC 7239, the de-facto X-Forwarded-* family,
# and the CDN and load balancer variants); any header starting with x-forwarded- counts.
PROXY_HEADERS = frozenset(
    {
        "forwarded",
        "via",
        "x-real-ip",
        "x-client-ip",
        "true-client-ip",
        "cf-connecting-ip",
        "fastly-client-ip",
        "x-cluster-client-ip",
        "x-original-forwarded-for",
        "client-ip",
    }
)
# A browser's own navigation ("none") or the control plane's own pages ("same-origin").
LOCAL_FETCH_SITES = frozenset({"same-origin", "none"})


def _host_name(authority: str) -> str:
    # urlsplit parses "[::1]:8080" and "localhost:8080" alike; a bad port is not our concern.
    try:
        return urlsplit(f"//{authority}").hostname or ""
    except ValueError:
        return ""


def proxy_header(request: Request) -> str | None:
    for name in request.headers:
        if name in PROXY_HEADERS or name.startswith("x-forwarded-"):
            return str(name)
    return None


def why_not_local(request: Request) -> str | None:
    """None for a local developer's request; otherwise what gave it away, for the 403."""
    client = request.client.host if request.client else None
    server = request.scope.get("server")
    server_host = str(server[0]) if server else None
    if not is_loopback_address(client):
        return "the client is not on a loopback address"
    if server_host is not None and not is_loopback_name(server_host):
        return "the server was reached on a non-loopback address"
    relayed = proxy_header(request)
    if relayed is not None:
        return f"the request came through a proxy ({relayed})"
    authority = request.headers.get("host", "")
    if not is_loopback_name(_host_name(authority)):
        return "the Host header is not a loopback name"
    origin = request.headers.get("origin")
    if origin is not None and origin != f"{request.url.scheme}://{authority}":
        return "the request was sent by another site (Origin)"
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site.lower() not in LOCAL_FETCH_SITES:
        return "the request was sent by another site (Sec-Fetch-Site)"
    return None
