"""Secrets taken out of what the request log shows: tokens, client secrets, codes.

Applied to text that may be cut short (a body's first bytes), so it works on patterns,
not on parsed JSON: a JSON member or form field whose name says it holds a secret, a
``Bearer …`` credential, and anything shaped like one of hubgraph's private-app tokens.
"""

from __future__ import annotations

import re

REDACTED = "[redacted]"

# Member / field names whose values are credentials: access_token, refresh_token,
# client_secret, password, authorization, hapikey, api_key, code (OAuth's), …
_SECRET_NAME = (
    r"[\w.-]*(?:token|secret|password|passwd|authorization|apikey|api_key|hapikey)[\w.-]*|code"  # noqa: S105
)

# "name": "value" (a value cut short at the end of the kept bytes still matches)
_JSON_MEMBER = re.compile(rf'("(?i:{_SECRET_NAME})"\s*:\s*)"(?:[^"\\]|\\.)*"?')
# name=value in a form body or a query string
_FORM_FIELD = re.compile(rf"(?<![\w.-])((?i:{_SECRET_NAME})=)[^&\s\"']*")
_BEARER = re.compile(r"(?i)(bearer\s+)[^\s\"',]+")
# hubgraph's private-app tokens: pat-<hublet>-<uuid>
_PAT = re.compile(r"pat-[a-z0-9]+-[0-9a-fA-F-]{8,}")


def redact(text: str) -> str:
    text = _JSON_MEMBER.sub(rf'\1"{REDACTED}"', text)
    text = _FORM_FIELD.sub(rf"\1{REDACTED}", text)
    text = _BEARER.sub(rf"\1{REDACTED}", text)
    return _PAT.sub(REDACTED, text)


def redact_query(query: str) -> str:
    return redact(query)


def redacted_body(body: bytes) -> str:
    """A kept body as text for a page: UTF-8 (undecodable bytes replaced), redacted."""
    return redact(body.decode("utf-8", errors="replace"))
