"""The search index (migration 0006_search) follows every write path, the same on both
databases: record writes, archive, snapshot restore (COPY on PostgreSQL), reset."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hubgraph.services.context import Services
from hubgraph.services.portability import snapshots
from hubgraph.store.search import search_index
from tests.support.portals import Portal
from tests.support.records import define_missing_properties


def index_rows(services: Services, portal_id: int) -> list[tuple[Any, ...]]:
    c = search_index.c
    with services.database.read() as conn:
        rows = conn.execute(
            select(c.object_type_id, c.name, c.value, c.num, c.id)
            .where(c.portal_id == portal_id)
            .order_by(c.id, c.name, c.value)
        )
        return [tuple(r) for r in rows]


def test_values_numbers_and_query_tokens(services: Services, portal: Portal) -> None:
    properties = {
        "email": "Jo.Doe@Example.COM",
        "firstname": "Jo (O'Neil)",
        "score": "-12.5",
        "version": "1.2.3",
        "empty": "",
        "lastname": None,
    }
    define_missing_properties(portal.post, "contacts", properties)
    created = portal.post("/crm/v3/objects/contacts", json={"properties": properties}).json()
    record = int(created["id"])
    assert index_rows(services, portal.id) == [
        *[("0-1", "#query", t, None, record) for t in ["com", "doe", "example", "jo", "neil", "o"]],
        ("0-1", "email", "jo.doe@example.com", None, record),
        ("0-1", "firstname", "jo (o'neil)", None, record),
        ("0-1", "score", "-12.5", -12.5, record),
        ("0-1", "version", "1.2.3", None, record),
    ]


def test_long_values_are_cut_and_still_found_exactly(portal: Portal) -> None:
    long_value = "x" * 250
    other = "x" * 200 + "y" * 50
    define_missing_properties(portal.post, "contacts", {"note": long_value})
    ids = [
        portal.post("/crm/v3/objects/contacts", json={"properties": {"note": v}}).json()["id"]
        for v in (long_value, other)
    ]
    body = {
        "filterGroups": [
            {"filters": [{"propertyName": "note", "operator": "EQ", "value": long_value}]}
        ]
    }
    found = portal.post("/crm/v3/objects/contacts/search", json=body).json()
    assert [r["id"] for r in found["results"]] == ids[:1]


def test_updates_archive_and_restore_keep_the_index_exact(
    services: Services, portal: Portal
) -> None:
    created = portal.post(
        "/crm/v3/objects/companies", json={"properties": {"name": "Acme", "domain": "acme.io"}}
    ).json()
    record = int(created["id"])
    before = index_rows(services, portal.id)
    snapshot = snapshots.take_snapshot(services, portal.id)
    assert "object_search_index" not in snapshot["tables"]

    portal.request(
        "PATCH", f"/crm/v3/objects/companies/{record}", json={"properties": {"name": "Zed"}}
    )
    names = [r for r in index_rows(services, portal.id) if r[1] == "name"]
    assert names == [("0-2", "name", "zed", None, record)]
    assert ("0-2", "#query", "acme", None, record) in index_rows(services, portal.id)  # domain
    assert portal.delete(f"/crm/v3/objects/companies/{record}").status_code == 204
    # Archived records keep their rows (a restore brings them back); search skips them.
    assert [r for r in index_rows(services, portal.id) if r[1] == "name"] == names

    snapshots.restore_snapshot(services, portal.id, snapshot)
    assert index_rows(services, portal.id) == before
    snapshots.reset_portal(services, portal.id)
    assert index_rows(services, portal.id) == []


def test_a_nul_character_is_refused_before_anything_is_written(portal: Portal) -> None:
    """PostgreSQL text cannot hold NUL: HubSpot's parser refuses it, so nothing is stored or
    indexed (the exposure issue's rule, which replaced storing such records unindexed)."""
    refused = portal.post("/crm/v3/objects/contacts", json={"properties": {"firstname": "a\x00b"}})
    assert refused.status_code == 400, refused.text
    listed = portal.post("/crm/v3/objects/contacts/search", json={"properties": ["email"]})
    assert listed.status_code == 200
    assert listed.json()["results"] == []


def test_custom_object_tokens_are_kept_per_property(services: Services, portal: Portal) -> None:
    """Migration 0012: every text property of a custom object record has its tokens under
    ``#query.<property>``, so ``query`` can follow the schema's searchableProperties."""
    schema = portal.post(
        "/crm/v3/schemas",
        json={
            "name": "pets",
            "labels": {"singular": "Pet", "plural": "Pets"},
            "primaryDisplayProperty": "pet_name",
            "requiredProperties": ["pet_name"],
            "properties": [
                {"name": "pet_name", "label": "Name", "type": "string", "fieldType": "text"},
                {"name": "legs", "label": "Legs", "type": "number", "fieldType": "number"},
            ],
            "associatedObjects": [],
        },
    )
    assert schema.status_code == 201, schema.text
    type_id = schema.json()["objectTypeId"]
    created = portal.post(
        f"/crm/v3/objects/{type_id}", json={"properties": {"pet_name": "Rex T.", "legs": "4"}}
    )
    assert created.status_code == 201, created.text
    record = int(created.json()["id"])
    # Values are stored as text (numbers too), so every property has its tokens.
    assert [r for r in index_rows(services, portal.id) if r[0] == type_id] == [
        (type_id, "#query.legs", "4", None, record),
        (type_id, "#query.pet_name", "rex", None, record),
        (type_id, "#query.pet_name", "t", None, record),
        (type_id, "legs", "4", 4.0, record),
        (type_id, "pet_name", "rex t.", None, record),
    ]
    portal.request(
        "PATCH", f"/crm/v3/objects/{type_id}/{record}", json={"properties": {"pet_name": "Max"}}
    )
    tokens = [r[2] for r in index_rows(services, portal.id) if r[1] == "#query.pet_name"]
    assert tokens == ["max"]
