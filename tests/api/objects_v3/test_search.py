"""POST /crm/v3/objects/{objectType}/search and the 2026-03 path (reference §4)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.portals import Portal, new_portal
from tests.support.records import define_missing_properties

SEARCH = "/crm/v3/objects/{}/search"


def create(portal: Portal, object_type: str, *properties: dict[str, str]) -> list[str]:
    define_missing_properties(portal.post, object_type, *properties)
    response = portal.post(
        f"/crm/v3/objects/{object_type}/batch/create",
        json={"inputs": [{"properties": p} for p in properties]},
    )
    assert response.status_code == 201, response.text
    ids = [r["id"] for r in response.json()["results"]]
    return sorted(ids, key=int)


def search(portal: Portal, body: dict[str, Any], object_type: str = "contacts") -> Any:
    response = portal.post(SEARCH.format(object_type), json=body)
    assert response.status_code == 200, response.text
    return response.json()


def one(name: str, operator: str, **kwargs: Any) -> dict[str, Any]:
    return {"filterGroups": [{"filters": [{"propertyName": name, "operator": operator, **kwargs}]}]}


def found(portal: Portal, body: dict[str, Any], object_type: str = "contacts") -> list[str]:
    return [r["id"] for r in search(portal, {"limit": 200, **body}, object_type)["results"]]


@pytest.fixture
def people(portal: Portal) -> list[str]:
    return create(
        portal,
        "contacts",
        {
            "email": "Alice@Example.com",
            "firstname": "Alice",
            "lifecyclestage": "lead",
            "score": "10",
        },
        {
            "email": "bob@example.com",
            "firstname": "Bob",
            "lifecyclestage": "customer",
            "score": "9",
        },
        {"email": "carol@other.org", "firstname": "Carol Ann", "score": "100"},
    )


def test_empty_body_lists_oldest_first_with_total(portal: Portal, people: list[str]) -> None:
    body = search(portal, {})
    assert body["total"] == 3
    assert [r["id"] for r in body["results"]] == people
    first = body["results"][0]
    assert set(first["properties"]) == {
        "firstname",
        "lastname",
        "email",
        "lastmodifieddate",
        "hs_object_id",
        "createdate",
        "hs_lastmodifieddate",
    }
    assert first["properties"]["lastmodifieddate"] == first["updatedAt"]
    assert "paging" not in body


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (one("email", "EQ", value="alice@example.COM"), [0]),
        (one("email", "NEQ", value="alice@example.com"), [1, 2]),
        (one("score", "LT", value="10"), [1]),
        (one("score", "EQ", value=9), [1]),
        (one("score", "IN", values=[9, "100"]), [1, 2]),
        (one("hs_email_optout", "EQ", value=True), []),
        (one("score", "LTE", value="10"), [0, 1]),
        (one("score", "GT", value="10"), [2]),
        (one("score", "GTE", value="10"), [0, 2]),
        (one("score", "BETWEEN", value="9", highValue="10"), [0, 1]),
        (one("firstname", "IN", values=["alice", "carol ann"]), [0, 2]),
        (one("firstname", "IN", values=["Alice"]), []),
        (one("firstname", "NOT_IN", values=["alice"]), [1, 2]),
        (one("lifecyclestage", "HAS_PROPERTY"), [0, 1]),
        (one("lifecyclestage", "NOT_HAS_PROPERTY"), [2]),
        (one("firstname", "CONTAINS_TOKEN", value="ann"), [2]),
        (one("email", "CONTAINS_TOKEN", value="*@example.com"), [0, 1]),
        (one("firstname", "NOT_CONTAINS_TOKEN", value="ann"), [0, 1]),
        (one("lifecyclestage", "EQ", value="LEAD"), []),
        (one("lifecyclestage", "EQ", value="lead"), [0]),
    ],
)
def test_each_operator(
    portal: Portal, people: list[str], body: dict[str, Any], expected: list[int]
) -> None:
    assert found(portal, body) == [people[i] for i in expected]


def test_groups_are_ored_and_filters_anded(portal: Portal, people: list[str]) -> None:
    body = {
        "filterGroups": [
            {
                "filters": [
                    {
                        "propertyName": "email",
                        "operator": "CONTAINS_TOKEN",
                        "value": "*@example.com",
                    },
                    {"propertyName": "score", "operator": "GT", "value": "9"},
                ]
            },
            {"filters": [{"propertyName": "firstname", "operator": "EQ", "value": "carol ann"}]},
        ]
    }
    assert found(portal, body) == [people[0], people[2]]


def test_query_matches_token_prefixes_of_default_searchable_properties(
    portal: Portal, people: list[str]
) -> None:
    assert found(portal, {"query": "ali"}) == [people[0]]
    assert found(portal, {"query": "example.com"}) == people[:2]
    assert found(portal, {"query": "carol an"}) == [people[2]]
    assert found(portal, {"query": "lead"}) == []  # lifecyclestage is not searched
    with_filter = {"query": "example", **one("firstname", "NEQ", value="alice")}
    assert found(portal, with_filter) == [people[1]]
    two_groups = {
        "query": "example",
        "filterGroups": [
            {"filters": [{"propertyName": "score", "operator": "EQ", "value": "10"}]},
            {"filters": [{"propertyName": "score", "operator": "EQ", "value": "100"}]},
        ],
    }
    assert found(portal, two_groups) == [people[0]]  # the query applies to every group


def test_sorts_limit_and_after(portal: Portal, people: list[str]) -> None:
    desc = {"propertyName": "firstname", "direction": "DESCENDING"}
    page = search(portal, {"sorts": [desc], "limit": 2})
    assert [r["id"] for r in page["results"]] == [people[2], people[1]]
    assert page["paging"] == {"next": {"after": "2"}}
    rest = search(portal, {"sorts": ["-firstname"], "limit": 2, "after": "2"})
    assert [r["id"] for r in rest["results"]] == [people[0]]
    assert "paging" not in rest
    assert search(portal, {"after": "5"}) == {"total": 3, "results": []}
    assert search(portal, {"query": "ali", "after": "1"}) == {"total": 1, "results": []}
    by_stage = found(portal, {"sorts": ["lifecyclestage"]})
    assert by_stage == [people[1], people[0], people[2]]  # customer, lead, then none
    assert found(portal, {"sorts": ["-lifecyclestage"]}) == [people[0], people[1], people[2]]
    by_name = search(portal, {"sorts": ["firstname"], "properties": ["firstname"]})
    assert [r["properties"]["firstname"] for r in by_name["results"]] == [
        "Alice",
        "Bob",
        "Carol Ann",
    ]


def test_properties_replace_the_defaults(portal: Portal, people: list[str]) -> None:
    [first, *_] = search(portal, {"properties": ["score", "hs_createdate"]})["results"]
    assert first["properties"]["score"] == "10"
    assert first["properties"]["hs_createdate"] == first["createdAt"]
    assert "email" not in first["properties"]


def test_dates_compare_in_epoch_ms_or_iso(portal: Portal, people: list[str]) -> None:
    created = search(portal, {})["results"][1]["createdAt"]
    from datetime import datetime

    ms = int(datetime.fromisoformat(created.replace("Z", "+00:00")).timestamp() * 1000)
    later = found(portal, one("hs_lastmodifieddate", "GTE", value=str(ms)))
    assert people[1] in later
    assert people[2] in later
    assert found(portal, one("createdate", "GT", value=created)) == [
        p for p in people if p not in found(portal, one("createdate", "LTE", value=created))
    ]
    assert found(portal, one("hs_object_id", "EQ", value=people[1])) == [people[1]]


def test_other_date_properties_compare_as_dates(portal: Portal) -> None:
    iso_deal, ms_deal = create(
        portal,
        "deals",
        {"dealname": "iso", "closedate": "2024-01-17T19:55:04.281Z"},
        {"dealname": "ms", "closedate": "1705521304281"},
    )
    both = [iso_deal, ms_deal]
    assert found(portal, one("closedate", "EQ", value="1705521304281"), "deals") == both
    assert found(portal, one("closedate", "EQ", value="2024-01-17T19:55:04.281Z"), "deals") == both
    assert found(portal, one("closedate", "GTE", value="2024-01-17"), "deals") == both
    assert found(portal, one("closedate", "LT", value="1705521304281"), "deals") == []
    window = one("closedate", "BETWEEN", value="1705521304000", highValue="2024-01-18")
    assert found(portal, window, "deals") == both


def test_a_write_is_searchable_at_once(portal: Portal, people: list[str]) -> None:
    response = portal.request(
        "PATCH",
        f"/crm/v3/objects/contacts/{people[1]}",
        json={"properties": {"firstname": "Robert"}},
    )
    assert response.status_code == 200
    assert found(portal, one("firstname", "EQ", value="robert")) == [people[1]]
    assert found(portal, one("firstname", "EQ", value="bob")) == []
    assert portal.delete(f"/crm/v3/objects/contacts/{people[1]}").status_code == 204
    assert found(portal, one("firstname", "EQ", value="robert")) == []


def test_associations_pseudo_property(portal: Portal, people: list[str]) -> None:
    [company] = create(portal, "companies", {"name": "Acme"})
    response = portal.request(
        "PUT", f"/crm/v4/objects/contacts/{people[1]}/associations/default/companies/{company}"
    )
    assert response.status_code in (200, 201), response.text
    assert found(portal, one("associations.company", "EQ", value=company)) == [people[1]]
    assert found(portal, one("associations.companies", "IN", values=[company])) == [people[1]]
    assert found(portal, one("associations.company", "NOT_HAS_PROPERTY")) == [people[0], people[2]]
    assert found(portal, one("associations.contact", "EQ", value=people[1]), "companies") == [
        company
    ]


def test_every_object_type_and_the_2026_03_path(portal: Portal) -> None:
    deal, small = create(
        portal,
        "deals",
        {"dealname": "Big one", "amount": "1500.5"},
        {"dealname": "Small", "amount": "900"},
    )
    assert found(portal, one("amount", "GT", value="1000"), "deals") == [deal]
    assert found(portal, one("amount", "EQ", value="900.0"), "deals") == [small]
    by_amount = found(
        portal, {"sorts": [{"propertyName": "amount", "direction": "DESCENDING"}]}, "deals"
    )
    assert by_amount == [deal, small]
    response = portal.post("/crm/objects/2026-03/0-3/search", json={"query": "big"})
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [deal]
    for object_type in ("companies", "tickets", "products", "line_items", "quotes", "notes"):
        response = portal.post(SEARCH.format(object_type), json={})
        assert response.status_code == 200, response.text
        assert response.json() == {"total": 0, "results": []}


def test_portals_are_isolated(portal: Portal, other_portal: Portal, people: list[str]) -> None:
    assert search(other_portal, {})["total"] == 0
    assert found(other_portal, one("email", "EQ", value="bob@example.com")) == []


def error(portal: Portal, body: Any, object_type: str = "contacts") -> dict[str, Any]:
    response = portal.post(SEARCH.format(object_type), json=body)
    assert response.status_code == 400, response.text
    payload: dict[str, Any] = response.json()
    assert payload["status"] == "error"
    return payload


def test_limits_answer_validation_errors(portal: Portal) -> None:
    f = {"propertyName": "email", "operator": "HAS_PROPERTY"}
    assert error(portal, {"filterGroups": [{"filters": [f]}] * 6})["category"] == "VALIDATION_ERROR"
    assert "per filter group" in error(portal, {"filterGroups": [{"filters": [f] * 7}]})["message"]
    assert "18" in error(portal, {"filterGroups": [{"filters": [f] * 6}] * 4})["message"]
    assert "200" in error(portal, {"limit": 201})["message"]
    assert "10,000" in error(portal, {"limit": 100, "after": "9950"})["message"]
    assert "3000" in error(portal, {"query": "x" * 3001})["message"].replace(",", "")


def test_malformed_filters(portal: Portal) -> None:
    missing = error(portal, {"filterGroups": [{"filters": [{"value": "x"}]}]})
    assert (
        "Cannot build Filter, some of required attributes are not set [propertyName, operator]"
        in missing["message"]
    )
    between = error(portal, one("score", "BETWEEN", value="1"))
    assert "operator BETWEEN requires a highValue" in between["message"]
    assert error(portal, one("score", "LIKE", value="1"))["category"] == "VALIDATION_ERROR"
    assert error(portal, {"after": "abc"})["category"] == "VALIDATION_ERROR"
    assert error(portal, {}, "nonsense")["message"] == "Unable to infer object type from: nonsense"


def test_scopes(services: Any, client: Any) -> None:
    anonymous = client.post(SEARCH.format("contacts"), json={})
    assert anonymous.status_code == 401
    assert anonymous.json()["category"] == "INVALID_AUTHENTICATION"
    limited = new_portal(services, client, ["crm.objects.companies.read"])
    assert limited.post(SEARCH.format("companies"), json={}).status_code == 200
    denied = limited.post(SEARCH.format("contacts"), json={})
    assert denied.status_code == 403
    assert denied.json()["category"] == "MISSING_SCOPES"


def test_one_equality_pages_sorts_and_skips_archived(portal: Portal) -> None:
    """A single EQ on a string (the fixed statement of store/search_fast.py) answers as
    every other search: case-insensitive, live records, sorts, ``after``, ``total``."""
    ids = create(portal, "contacts", *[{"city": "Oslo", "firstname": f"n{i}"} for i in range(5)])
    create(portal, "contacts", {"city": "Bergen"})
    assert portal.delete(f"/crm/v3/objects/contacts/{ids[0]}").status_code == 204
    live = ids[1:]
    body = one("city", "EQ", value="OSLO")
    assert found(portal, body) == live
    newest = {**body, "sorts": [{"propertyName": "createdate", "direction": "DESCENDING"}]}
    first = search(portal, {**newest, "limit": 3})
    assert first["total"] == 4
    assert [r["id"] for r in first["results"]] == live[::-1][:3]
    assert first["paging"]["next"]["after"] == "3"
    rest = search(portal, {**newest, "limit": 3, "after": "3"})
    assert [r["id"] for r in rest["results"]] == live[::-1][3:]
    assert "paging" not in rest
    beyond = search(portal, {**body, "after": "10"})
    assert (beyond["total"], beyond["results"]) == (4, [])
    assert search(portal, {**body, "limit": 0})["total"] == 4
    assert search(portal, one("city", "EQ", value="Trondheim")) == {"total": 0, "results": []}


def test_a_query_term_finds_each_record_once(portal: Portal) -> None:
    """Several of a record's tokens may start with the term: one result, counted once."""
    ids = create(
        portal,
        "contacts",
        {"firstname": "Ann", "lastname": "Annabel", "email": "ann@annex.io"},
        {"firstname": "Bo", "email": "bo@example.com"},
        {"firstname": "Annie"},
    )
    body = search(portal, {"query": "ANN", "limit": 1})
    assert body["total"] == 2
    assert [r["id"] for r in body["results"]] == ids[:1]
    assert body["paging"]["next"]["after"] == "1"
    rest = search(portal, {"query": "ann", "limit": 1, "after": "1"})
    assert [r["id"] for r in rest["results"]] == ids[2:]
    newest = search(portal, {"query": "ann", "sorts": ["-createdate"]})
    assert [r["id"] for r in newest["results"]] == [ids[2], ids[0]]
    # Sorted by id, the live matches are the index's less the archived records.
    assert portal.delete(f"/crm/v3/objects/contacts/{ids[0]}").status_code == 204
    by_id = search(portal, {"query": "ann", "sorts": ["-hs_object_id"]})
    assert (by_id["total"], [r["id"] for r in by_id["results"]]) == (1, [ids[2]])
    assert search(portal, {"query": "annabel"}) == {"total": 0, "results": []}
