"""``batch/read``'s body, byte for byte: what orjson writes for the spec's shape built as
plain dicts, on each database (the rows are read and rendered in bulk, not per object)."""

from __future__ import annotations

from typing import Any

import orjson

from hubgraph.services.associations.reads import encode_cursor
from hubgraph.services.context import Services
from tests.api.associations_v4.test_batch_read import associate_many, read
from tests.support.associations_v4 import add_label, put_labels, spec
from tests.support.portals import Portal

DEFAULT = {"category": "HUBSPOT_DEFINED", "typeId": 279, "label": None}
PRIMARY = {"category": "HUBSPOT_DEFINED", "typeId": 1, "label": "Primary"}
# a label orjson must escape (quotes, a backslash) and one beyond ASCII
ODD = 'Bill "ing" \\ ü ✓'


def _results_bytes(body: bytes) -> bytes:
    """The envelope's ``results`` as sent (the key after it: ``errors`` or ``startedAt``)."""
    start = body.index(b'"results":') + len(b'"results":')
    ends = [body.find(key, start) for key in (b',"errors"', b',"startedAt"')]
    return body[start : min(end for end in ends if end > 0)]


def test_labels_missing_ids_and_archived_records_render_as_orjson_writes_them(
    portal: Portal, services: Services
) -> None:
    add_label(services, portal, "0-1", "0-2", 28, ODD)
    add_label(services, portal, "0-1", "0-2", 30, "Second")
    odd = {"category": "USER_DEFINED", "typeId": 28, "label": ODD}
    second = {"category": "USER_DEFINED", "typeId": 30, "label": "Second"}
    first, archived, plain, bare = portal.create_records("contacts", 4)
    companies = portal.create_records("companies", 3)
    for contact in (first, archived, plain):
        associate_many(portal, contact, companies)
    labels = [spec(1), spec(28, "USER_DEFINED"), spec(30, "USER_DEFINED")]
    put_labels(portal, "contacts", first, "companies", companies[1], labels)
    put_labels(portal, "contacts", plain, "companies", companies[2], [spec(30, "USER_DEFINED")])
    portal.delete(f"/crm/v3/objects/contacts/{archived}")
    inputs = [first, "424242424242", archived, plain, "abc", bare, first]
    response = read(portal, *({"id": i} for i in inputs))
    assert response.status_code == 207
    ids = [int(c) for c in companies]
    expected: list[dict[str, Any]] = [
        {
            "from": {"id": first},
            "to": [
                {"toObjectId": ids[0], "associationTypes": [DEFAULT]},
                {"toObjectId": ids[1], "associationTypes": [DEFAULT, PRIMARY, odd, second]},
                {"toObjectId": ids[2], "associationTypes": [DEFAULT]},
            ],
        },
        {
            "from": {"id": plain},
            "to": [
                {"toObjectId": ids[0], "associationTypes": [DEFAULT]},
                {"toObjectId": ids[1], "associationTypes": [DEFAULT]},
                {"toObjectId": ids[2], "associationTypes": [DEFAULT, second]},
            ],
        },
    ]
    assert _results_bytes(response.content) == orjson.dumps(expected)
    errors = response.json()["errors"]
    assert [e["context"]["fromObjectId"] for e in errors] == [
        ["424242424242"],
        [archived],
        ["abc"],
        [bare],
    ]


def test_pages_cut_short_and_paged_render_as_orjson_writes_them(
    portal: Portal, services: Services
) -> None:
    add_label(services, portal, "0-1", "0-2", 28, ODD)
    odd = {"category": "USER_DEFINED", "typeId": 28, "label": ODD}
    big, labelled, small = portal.create_records("contacts", 3)
    companies = portal.create_records("companies", 501)
    ids = [int(c) for c in companies]
    associate_many(portal, big, companies)
    associate_many(portal, labelled, companies[:300])
    associate_many(portal, small, companies[:1])
    # two types on each of 300 targets: the first 501 rows hold only 251 of them
    for company in companies[:300]:
        put_labels(portal, "contacts", labelled, "companies", company, [spec(28, "USER_DEFINED")])
    response = read(portal, {"id": big}, {"id": labelled}, {"id": small})
    assert response.status_code == 200
    expected = [
        {
            "from": {"id": big},
            "to": [{"toObjectId": i, "associationTypes": [DEFAULT]} for i in ids[:500]],
            "paging": {"next": {"after": encode_cursor(ids[499])}},
        },
        {
            "from": {"id": labelled},
            "to": [{"toObjectId": i, "associationTypes": [DEFAULT, odd]} for i in ids[:300]],
        },
        {"from": {"id": small}, "to": [{"toObjectId": ids[0], "associationTypes": [DEFAULT]}]},
    ]
    assert _results_bytes(response.content) == orjson.dumps(expected)
    after = encode_cursor(ids[499])
    response = read(portal, {"id": big, "after": after}, {"id": labelled, "after": after})
    assert response.status_code == 207
    expected = [
        {"from": {"id": big}, "to": [{"toObjectId": ids[500], "associationTypes": [DEFAULT]}]}
    ]
    assert _results_bytes(response.content) == orjson.dumps(expected)
