"""Refuses a URL whose path or query string decodes to a NUL character (issue 12).

A NUL in a path segment or query parameter would reach a lookup (an object type, a
``client_id`` on the authorize page, a property name) and fail inside PostgreSQL as a
500. Undecodable percent-escapes already become U+FFFD (the server and Starlette decode
with ``errors="replace"``), so no lone surrogate gets this far.
"""

from __future__ import annotations

from starlette.requests import Request

from hubgraph.errors import ValidationError


class NulInUrl(ValidationError):
    def __init__(self) -> None:
        super().__init__("Invalid input: the request URL contains a NUL character (%00)")


def refuse_nul_in_url(request: Request) -> None:
    scope = request.scope
    raw = bytes(scope.get("raw_path") or scope["path"].encode()) + scope.get("query_string", b"")
    if b"%00" in raw or b"\x00" in raw:
        raise NulInUrl()
