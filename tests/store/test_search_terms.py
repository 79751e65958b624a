"""The GIN terms of migration 0013 (PostgreSQL) say what ``object_search_index`` says, and a
filter group of several ``EQ`` filters answers by HubSpot's rules whichever path runs it
(the terms on PostgreSQL, probes of the index on SQLite)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, text

from hubgraph.services.context import Services
from hubgraph.store.search import search_index
from tests.support.portals import Portal
from tests.support.records import define_missing_properties

SEARCH = "/crm/v3/objects/contacts/search"


def eq(name: str, value: str) -> dict[str, str]:
    return {"propertyName": name, "operator": "EQ", "value": value}


def search(portal: Portal, *groups: list[dict[str, Any]], **extra: Any) -> Any:
    body = {"filterGroups": [{"filters": g} for g in groups], "limit": 200, **extra}
    response = portal.post(SEARCH, json=body)
    assert response.status_code == 200, response.text
    return response.json()


def ids(answer: Any) -> list[str]:
    return [r["id"] for r in answer["results"]]


@pytest.fixture
def contacts(portal: Portal) -> list[str]:
    rows = [
        {"city": "Boston", "lifecyclestage": "lead", "jobtitle": "CTO"},
        {"city": "BOSTON", "lifecyclestage": "lead", "jobtitle": "cto", "note": "n" * 250},
        {"city": "Boston", "lifecyclestage": "customer", "jobtitle": "CTO"},
        {"city": "Paris", "lifecyclestage": "lead", "jobtitle": "CTO"},
        {"city": "Boston", "lifecyclestage": "lead", "jobtitle": "CEO", "note": "n" * 250},
        {"city": "Boston", "lifecyclestage": "lead", "jobtitle": "CTO", "score": "7"},
    ]
    define_missing_properties(portal.post, "contacts", *rows)
    response = portal.post(
        "/crm/v3/objects/contacts/batch/create",
        json={"inputs": [{"properties": p} for p in rows]},
    )
    assert response.status_code == 201, response.text
    return sorted((r["id"] for r in response.json()["results"]), key=int)


def test_strings_ignore_case_enumerations_do_not(portal: Portal, contacts: list[str]) -> None:
    boston_leads = search(portal, [eq("city", "boston"), eq("lifecyclestage", "lead")])
    assert ids(boston_leads) == [contacts[i] for i in (0, 1, 4, 5)]
    assert boston_leads["total"] == 4
    # Enumerations compare exactly (reference §4.3): "LEAD" is no option's value.
    assert search(portal, [eq("city", "Boston"), eq("lifecyclestage", "LEAD")])["total"] == 0
    three = search(
        portal, [eq("city", "BOSTON"), eq("lifecyclestage", "lead"), eq("jobtitle", "cto")]
    )
    assert ids(three) == [contacts[i] for i in (0, 1, 5)]


def test_other_filters_of_the_group_still_apply(portal: Portal, contacts: list[str]) -> None:
    with_number = [eq("city", "Boston"), eq("jobtitle", "CTO"), eq("score", "7")]
    assert ids(search(portal, with_number)) == [contacts[5]]
    negated = [
        eq("city", "Boston"),
        eq("lifecyclestage", "lead"),
        {"propertyName": "jobtitle", "operator": "NEQ", "value": "cto"},
    ]
    assert ids(search(portal, negated)) == [contacts[4]]
    present = [eq("city", "Boston"), eq("lifecyclestage", "lead")]
    present.append({"propertyName": "note", "operator": "HAS_PROPERTY"})
    assert ids(search(portal, present)) == [contacts[1], contacts[4]]
    # A value longer than the index keeps is compared whole, beside the other equalities.
    long_note = [eq("city", "boston"), eq("lifecyclestage", "lead"), eq("note", "N" * 250)]
    assert ids(search(portal, long_note)) == [contacts[1], contacts[4]]
    assert search(portal, [eq("city", "boston"), eq("note", "n" * 249)])["total"] == 0


def test_groups_sorted_paged_and_archived_records_left_out(
    portal: Portal, contacts: list[str]
) -> None:
    groups = (
        [eq("city", "boston"), eq("jobtitle", "cto")],
        [eq("city", "paris"), eq("lifecyclestage", "lead")],
    )
    newest = {"sorts": [{"propertyName": "createdate", "direction": "DESCENDING"}]}
    everything = search(portal, *groups, **newest)
    expected = [contacts[i] for i in (0, 1, 2, 3, 5)]
    assert everything["total"] == 5
    assert ids(everything) == sorted(expected, key=int, reverse=True)
    first = search(portal, *groups, **newest, limit=2)
    assert ids(first) == ids(everything)[:2]
    assert first["total"] == 5
    after = first["paging"]["next"]["after"]
    rest = search(portal, *groups, **newest, limit=200, after=after)
    assert ids(rest) == ids(everything)[2:]
    assert rest["total"] == 5
    beyond = search(portal, *groups, **newest, after="50")
    assert (beyond["total"], ids(beyond)) == (5, [])
    assert portal.delete(f"/crm/v3/objects/contacts/{contacts[1]}").status_code == 204
    after_archive = search(portal, *groups, **newest)
    assert after_archive["total"] == 4
    assert contacts[1] not in ids(after_archive)
    by_id = search(
        portal, *groups, sorts=[{"propertyName": "hs_object_id", "direction": "ASCENDING"}]
    )
    assert ids(by_id) == [contacts[i] for i in (0, 2, 3, 5)]


def test_terms_are_the_index_rows_of_each_record(
    services: Services, portal: Portal, contacts: list[str], database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("the GIN terms are PostgreSQL's; SQLite probes object_search_index")
    moved = portal.client.patch(
        f"/crm/v3/objects/contacts/{contacts[0]}",
        json={"properties": {"city": "Lyon"}},
        headers=portal.headers,
    )
    assert moved.status_code == 200, moved.text
    c = search_index.c
    with services.database.read() as conn:
        rows = conn.execute(
            select(c.id, c.name, c.value).where(
                c.portal_id == portal.id, c.object_type_id == "0-1", c.name.not_like("#query%")
            )
        )
        expected: dict[int, set[str]] = {}
        for record, name, value in rows:
            expected.setdefault(int(record), set()).add(f"{name}\x1f{value}")
        terms = conn.execute(
            text(
                "SELECT id, hubgraph_search_terms(properties) FROM objects "
                "WHERE portal_id = :portal AND object_type_id = '0-1'"
            ),
            {"portal": portal.id},
        )
        found = {int(record): set(t) for record, t in terms}
    assert found == expected
    assert "city\x1flyon" in found[int(contacts[0])]
