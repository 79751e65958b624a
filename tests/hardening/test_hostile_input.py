"""Hostile input: a catalogue of bad requests, each answered with a 4xx in HubSpot's envelope
(or, inside a batch, a per-item error), and the server still answers afterwards.

The catalogue runs against a real server (real sockets, real body streaming) on both
databases; ``{contact}`` / ``{company}`` in a case stand for live records of the portal.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx2 as httpx
import pytest

from hubgraph.services.context import Services
from hubgraph.testing import ServerThread
from tests.support.live import HEALTH, LivePortal, assert_envelope, make_live_portal

SEED = "/crm/v4/associations/contacts/companies/batch/associate/default"
OBJECTS = "/crm/v3/objects/contacts"
BATCH_CREATE = "/crm/v3/objects/contacts/batch/create"
JSON = {"Content-Type": "application/json"}
LABELS = "/crm/v4/associations/contacts/companies/labels"
TOKEN = "/oauth/v1/token"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
TEN_MB = 10 * 1024 * 1024
DEPTH = 100_000


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=lambda: dict(JSON))
    statuses: tuple[int, ...] = (400,)
    """4xx statuses the envelope may carry; ITEM means 200 with one per-item error."""
    chunked: bool = False
    oauth: bool = False
    """The OAuth endpoints answer ``{"status": "BAD_…"}`` (errors.OAuthError), not the envelope."""


ITEM = 200  # a batch that answers 200 with its bad input as a per-item error


def seed(from_id: str, to_id: str = '"{company}"') -> bytes:
    return b'{"inputs": [{"from": {"id": %s}, "to": {"id": %s}}]}' % (
        from_id.encode(),
        to_id.encode(),
    )


def item(name: str, raw_id: str) -> Case:
    return Case(name, "POST", SEED, seed(raw_id), statuses=(ITEM,))


CATALOGUE: list[Case] = [
    # -- malformed and truncated JSON
    Case("truncated-json", "POST", SEED, b'{"inputs": ['),
    Case("truncated-mid-string", "POST", SEED, b'{"inputs": [{"from": {"id": "10'),
    Case("unquoted-keys", "POST", SEED, b"{inputs: []}"),
    Case("single-quotes", "POST", SEED, b"{'inputs': []}"),
    Case("trailing-comma", "POST", SEED, b'{"inputs": [],}'),
    Case("trailing-garbage", "POST", SEED, b'{"inputs": []} xyz'),
    Case("nul-after-json", "POST", SEED, b'{"inputs": []}\x00'),
    Case("empty-body", "POST", SEED, b""),
    Case("whitespace-body", "POST", SEED, b"   \n "),
    Case("invalid-utf8", "POST", SEED, b'{"inputs": "\xff\xfe"}'),
    Case("bom-then-garbage", "POST", SEED, b"\xef\xbb\xbf{{{"),
    Case("nan-literal", "POST", SEED, b'{"inputs": NaN}'),
    # -- wrong types at every level
    Case("top-level-null", "POST", SEED, b"null"),
    Case("top-level-array", "POST", SEED, b"[]"),
    Case("top-level-string", "POST", SEED, b'"inputs"'),
    Case("top-level-number", "POST", SEED, b"42"),
    Case("inputs-null", "POST", SEED, b'{"inputs": null}'),
    Case("inputs-string", "POST", SEED, b'{"inputs": "all"}'),
    Case("inputs-object", "POST", SEED, b'{"inputs": {}}'),
    Case("input-null", "POST", SEED, b'{"inputs": [null]}'),
    Case("input-number", "POST", SEED, b'{"inputs": [1]}'),
    Case("from-null", "POST", SEED, b'{"inputs": [{"from": null, "to": {"id": "1"}}]}'),
    Case("from-missing", "POST", SEED, b'{"inputs": [{"to": {"id": "1"}}]}'),
    Case("from-string", "POST", SEED, b'{"inputs": [{"from": "1", "to": {"id": "1"}}]}'),
    Case("id-null", "POST", SEED, seed("null")),
    Case("id-missing", "POST", SEED, b'{"inputs": [{"from": {}, "to": {"id": "1"}}]}'),
    Case("id-array", "POST", SEED, seed('["1"]')),
    Case("id-object-operator", "POST", SEED, seed('{"$gt": ""}')),
    Case("id-bool", "POST", SEED, seed("true")),
    Case("properties-nested", "POST", OBJECTS, b'{"properties": {"name": {"a": 1}}}'),
    Case("properties-array", "POST", OBJECTS, b'{"properties": ["a"]}'),
    Case("batch-create-inputs-null", "POST", BATCH_CREATE, b'{"inputs": [null]}'),
    # -- deep nesting: the parser must refuse, not blow the stack
    Case("deep-arrays", "POST", SEED, b"[" * DEPTH + b"]" * DEPTH),
    Case("deep-objects", "POST", SEED, b'{"a":' * DEPTH + b"1" + b"}" * DEPTH),
    Case("deep-inside-inputs", "POST", SEED, b'{"inputs": ' + b"[" * DEPTH + b"]" * DEPTH + b"}"),
    Case("deep-unclosed", "POST", OBJECTS, b"[" * DEPTH),
    # -- huge arrays and bodies
    Case("over-10mb-declared", "POST", SEED, b" " * (TEN_MB + 1), statuses=(413,)),
    Case("over-10mb-chunked", "POST", SEED, b" " * (TEN_MB + 1), statuses=(413,), chunked=True),
    Case(
        "over-10mb-objects",
        "POST",
        OBJECTS,
        b'{"properties": {"a": "' + b"x" * TEN_MB + b'"}}',
        statuses=(413,),
    ),
    Case(
        "too-many-inputs",
        "POST",
        SEED,
        b'{"inputs": [' + b",".join([b'{"from": {"id": "1"}, "to": {"id": "2"}}'] * 2001) + b"]}",
    ),
    Case(
        "too-many-object-inputs",
        "POST",
        BATCH_CREATE,
        b'{"inputs": [' + b",".join([b'{"properties": {}}'] * 101) + b"]}",
    ),
    Case("million-nulls", "POST", SEED, b'{"inputs": [' + b",".join([b"null"] * 1_000_000) + b"]}"),
    # -- ids: non-numeric, negative, too long, other scripts' digits, SQL-looking
    item("id-letters", '"abc"'),
    item("id-negative", '"-5"'),
    item("id-zero", '"0"'),
    item("id-30-digits", '"123456789012345678901234567890"'),
    item("id-2-pow-63", '"9223372036854775808"'),
    item("id-arabic-indic-digits", '"\\u0661\\u0662\\u0663"'),
    item("id-fullwidth-digits", '"\\uff11\\uff12\\uff13"'),
    item("id-sql-drop", '"1; DROP TABLE associations; --"'),
    item("id-sql-or", "\"1' OR '1'='1\""),
    item("id-padded", '" 1001 "'),
    item("id-exponent", '"1e3"'),
    item("id-hex", '"0x10"'),
    item("id-empty", '""'),
    # NUL in any string refuses the whole request (issue 12), as in every other body.
    Case("id-nul", "POST", SEED, seed('"1\\u0000"')),
    item("id-huge-string", '"' + "9" * 1_000_000 + '"'),
    # A number that does not fit a double is refused as a whole, as HubSpot's parser does.
    Case("id-huge-number", "POST", SEED, seed("1" + "0" * 400)),
    # -- paths: bad ids, traversal, long and strange object types
    Case("get-id-letters", "GET", f"{OBJECTS}/abc", statuses=(404,)),
    Case("get-id-negative", "GET", f"{OBJECTS}/-1", statuses=(404,)),
    Case("get-id-30-digits", "GET", f"{OBJECTS}/123456789012345678901234567890", statuses=(404,)),
    Case("get-id-unicode-digits", "GET", f"{OBJECTS}/%D9%A1%D9%A2", statuses=(404,)),
    Case("get-id-sql", "GET", f"{OBJECTS}/1%20OR%201=1", statuses=(404,)),
    # The server decodes %2F before routing, so this is no route at all (404).
    Case("type-traversal", "GET", "/crm/v3/objects/..%2F..%2Fetc%2Fpasswd/1", statuses=(400, 404)),
    Case("type-dotdot", "GET", "/crm/v3/objects/%2E%2E/1"),
    Case("type-very-long", "POST", SEED.replace("contacts", "x" * 4000, 1), b'{"inputs": []}'),
    Case("type-sql", "GET", "/crm/v3/objects/contacts'%20OR%201=1--"),
    Case("type-nul", "GET", "/crm/v3/objects/contacts%00"),
    Case("type-unicode", "GET", "/crm/v3/objects/c%C3%B6ntacts"),
    Case("unknown-route", "GET", "/crm/v4/../../etc/passwd", statuses=(404,)),
    # -- bad cursors and limits
    Case("limit-letters", "GET", f"{OBJECTS}?limit=abc"),
    Case("limit-negative", "GET", f"{OBJECTS}?limit=-1"),
    Case("limit-zero", "GET", f"{OBJECTS}?limit=0"),
    Case("limit-over-max", "GET", f"{OBJECTS}?limit=101"),
    Case("limit-30-digits", "GET", f"{OBJECTS}?limit=123456789012345678901234567890"),
    Case("limit-float", "GET", f"{OBJECTS}?limit=1.5"),
    Case("after-letters", "GET", f"{OBJECTS}?after=not-a-cursor"),
    Case("after-negative", "GET", f"{OBJECTS}?after=-1"),
    Case("after-sql", "GET", f"{OBJECTS}?after=1%27%20OR%20%271%27=%271"),
    Case("after-huge", "GET", f"{OBJECTS}?after={'9' * 5000}"),
    Case("archived-not-bool", "GET", f"{OBJECTS}?archived=maybe"),
    # -- wrong content types
    Case(
        "form-encoded",
        "POST",
        SEED,
        b"inputs=1",
        {"Content-Type": "application/x-www-form-urlencoded"},
        (415,),
    ),
    Case(
        "text-plain-json", "POST", SEED, b'{"inputs": []}', {"Content-Type": "text/plain"}, (415,)
    ),
    Case("xml", "POST", OBJECTS, b"<properties/>", {"Content-Type": "application/xml"}, (415,)),
    Case(
        "multipart",
        "POST",
        BATCH_CREATE,
        b"--x--",
        {"Content-Type": "multipart/form-data; boundary=x"},
        (415,),
    ),
    # -- credentials that are not credentials
    Case(
        "token-very-long",
        "POST",
        SEED,
        b'{"inputs": []}',
        {**JSON, "Authorization": "Bearer " + "a" * 8000},
        (401,),
    ),
    Case(
        "token-sql",
        "POST",
        SEED,
        b'{"inputs": []}',
        {**JSON, "Authorization": "Bearer x' OR '1'='1"},
        (401,),
    ),
]


# -- issue 12: bad text is a 400 on both databases, never a 500 (NUL, surrogates, NaN)
def prop(raw_value: str) -> bytes:
    return b'{"properties": {"name": %s}}' % raw_value.encode()


BAD_TEXT: list[Case] = [
    Case("property-nul", "POST", OBJECTS, prop('"a\\u0000b"')),
    Case("property-key-nul", "POST", OBJECTS, b'{"properties": {"na\\u0000me": "x"}}'),
    Case("property-lone-high-surrogate", "POST", OBJECTS, prop('"\\ud800"')),
    Case("property-lone-low-surrogate", "POST", OBJECTS, prop('"x\\udc00y"')),
    Case("property-nan", "POST", OBJECTS, prop("NaN")),
    Case("property-infinity", "POST", OBJECTS, prop("Infinity")),
    Case("property-minus-infinity", "POST", OBJECTS, prop("-Infinity")),
    Case("property-1e400", "POST", OBJECTS, prop("1e400")),
    Case("property-minus-1e400", "POST", OBJECTS, prop("-1e400")),
    Case("property-400-digits", "POST", OBJECTS, prop("1" + "0" * 400)),
    Case(
        "batch-create-property-nul",
        "POST",
        BATCH_CREATE,
        b'{"inputs": [{"properties": {"name": "\\u0000"}}]}',
    ),
    Case("label-nul", "POST", LABELS, b'{"label": "a\\u0000", "name": "nul_label"}'),
    Case("label-name-nul", "POST", LABELS, b'{"label": "ok", "name": "n\\u0000"}'),
    Case("label-surrogate", "POST", LABELS, b'{"label": "\\udfff", "name": "s_label"}'),
    Case("label-nan-type-id", "PUT", LABELS, b'{"associationTypeId": NaN, "label": "x"}'),
    Case("label-1e400-type-id", "PUT", LABELS, b'{"associationTypeId": 1e400, "label": "x"}'),
    Case("query-nul", "GET", f"{OBJECTS}?properties=name%00"),
    Case("query-after-nul", "GET", f"{OBJECTS}?after=1%00"),
    Case("path-type-nul-id", "GET", f"{OBJECTS}/1%00"),
    Case(
        "token-client-id-nul",
        "POST",
        TOKEN,
        b"grant_type=client_credentials&client_id=%00&client_secret=x",
        FORM,
        oauth=True,
    ),
    Case(
        "token-code-nul",
        "POST",
        TOKEN,
        b"grant_type=authorization_code&client_id=a%00b&client_secret=x&code=%00",
        FORM,
        oauth=True,
    ),
    Case(
        "token-refresh-nul",
        "POST",
        TOKEN,
        b"grant_type=refresh_token&client_id=x&client_secret=x&refresh_token=x%00",
        FORM,
        oauth=True,
    ),
    Case(
        "token-raw-nul",
        "POST",
        TOKEN,
        b"grant_type=client_credentials&client_id=\x00",
        FORM,
        oauth=True,
    ),
    Case(
        "token-surrogate-utf8",
        "POST",
        TOKEN,
        b"grant_type=client_credentials&client_id=%ED%A0%80",
        FORM,
        oauth=True,
    ),
]
YAML = {"Content-Type": "application/yaml"}
SEED_FIXTURE = "/_hubgraph/portals/{portal}/seed"
BAD_TEXT += [
    Case("control-portal-name-nul", "POST", "/_hubgraph/portals", b'{"name": "a\\u0000"}'),
    Case("control-portal-name-surrogate", "POST", "/_hubgraph/portals", b'{"name": "\\ud800"}'),
    Case("control-portal-name-nan", "POST", "/_hubgraph/portals", b'{"name": NaN}'),
    Case(
        "control-app-name-nul",
        "POST",
        "/_hubgraph/oauth/apps",
        b'{"name": "a\\u0000", "redirectUris": ["http://localhost/cb"]}',
    ),
    Case(
        "seed-json-nul",
        "POST",
        SEED_FIXTURE,
        b'{"records": {"c": {"type": "contacts", "properties": {"name": "\\u0000"}}}}',
    ),
    Case(
        "seed-yaml-nul",
        "POST",
        SEED_FIXTURE,
        b'records:\n  c:\n    type: contacts\n    properties:\n      name: "a\\0b"\n',
        YAML,
    ),
    Case(
        "seed-yaml-surrogate",
        "POST",
        SEED_FIXTURE,
        b'records:\n  c:\n    type: contacts\n    properties:\n      name: "\\ud800"\n',
        YAML,
    ),
    Case(
        "seed-yaml-nan",
        "POST",
        SEED_FIXTURE,
        b"records:\n  c:\n    type: contacts\n    properties:\n      name: .nan\n",
        YAML,
    ),
    Case("seed-yaml-over-1mb", "POST", SEED_FIXTURE, b"#" * (1024 * 1024 + 1), YAML, (413,)),
    Case("authorize-client-id-nul", "GET", "/oauth/authorize?client_id=%00&redirect_uri=x"),
]
CATALOGUE += BAD_TEXT

# -- issue 12: bounded HTTP (heads, forms, nested lists in a batch)
ARCHIVE = "/crm/v4/associations/contacts/companies/batch/archive"


def archive_to(count: int) -> bytes:
    to = b",".join([b'{"id": "{company}"}'] * count)
    return b'{"inputs": [{"from": {"id": "{contact}"}, "to": [' + to + b"]}]}"


CATALOGUE += [
    Case("header-100k", "GET", OBJECTS, None, {"X-Big": "a" * 100_000}, (431,)),
    Case("headers-many", "GET", OBJECTS, None, {f"X-H{i}": "a" * 100 for i in range(1000)}, (431,)),
    Case("oauth-form-10mb", "POST", TOKEN, b"client_id=" + b"a" * TEN_MB, FORM, (413,)),
    Case("oauth-form-over-64k", "POST", TOKEN, b"client_id=" + b"a" * 65_536, FORM, (413,)),
    Case(
        "authorize-form-10mb",
        "POST",
        "/oauth/authorize",
        b"client_id=" + b"a" * TEN_MB,
        FORM,
        (413,),
        chunked=True,
    ),
    Case("archive-nested-400k", "POST", ARCHIVE, archive_to(400_000)),
    Case("archive-nested-501", "POST", ARCHIVE, archive_to(501)),
    Case(
        "archive-nested-total",
        "POST",
        ARCHIVE,
        b'{"inputs": ['
        + b",".join(
            [b'{"from": {"id": "1"}, "to": [' + b",".join([b'{"id": "2"}'] * 500) + b"]}"] * 41
        )
        + b"]}",
    ),
]


@pytest.fixture(scope="module")
def hostile_portal(services: Services, live_server: ServerThread) -> tuple[LivePortal, str, str]:
    portal = make_live_portal(services, live_server.base_url)
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    return portal, contact, company


def _chunks(body: bytes) -> Iterator[bytes]:
    for start in range(0, len(body), 1 << 20):
        yield body[start : start + (1 << 20)]


def test_the_catalogue_is_big_enough() -> None:
    assert len(CATALOGUE) >= 50
    assert len({c.name for c in CATALOGUE}) == len(CATALOGUE)


@pytest.mark.parametrize("case", CATALOGUE, ids=lambda c: c.name)
def test_hostile_input_gets_a_4xx_envelope_and_the_server_keeps_answering(
    case: Case, hostile_portal: tuple[LivePortal, str, str], live_server: ServerThread
) -> None:
    portal, contact, company = hostile_portal
    body = case.body
    if body is not None:
        body = body.replace(b"{contact}", contact.encode()).replace(b"{company}", company.encode())
    headers = {**portal.headers, **case.headers}
    content: Any = _chunks(body) if case.chunked and body is not None else body
    path = case.path.replace("{portal}", str(portal.id))
    with httpx.Client(base_url=live_server.base_url, timeout=60) as http:
        response = http.request(case.method, path, content=content, headers=headers)
        if case.statuses == (ITEM,):
            assert response.status_code == 200, response.text[:500]
            payload = response.json()
            assert payload["results"] == []
            assert payload["numErrors"] == 1
            [error] = payload["errors"]
            assert error["status"] == "error"
            assert error["category"] == "VALIDATION_ERROR"
        elif case.oauth:
            assert response.status_code in case.statuses, response.text[:500]
            assert response.json()["status"].startswith("BAD_"), response.text[:500]
        else:
            assert_envelope(response, *case.statuses)
        assert http.get(HEALTH).status_code == 200
