"""Search compares custom properties by their type in the portal's Properties catalogue:
numbers numerically, dates in epoch ms or ISO, enumerations case-sensitively (§4.2, §4.3)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.portals import Portal

SEARCH = "/crm/v3/objects/contacts/search"
MS_2024_01_01 = "1704067200000"
MS_2024_02_01 = "1706745600000"


def define(portal: Portal, name: str, type_: str, field_type: str, **extra: Any) -> None:
    made = portal.post(
        "/crm/v3/properties/contacts",
        json={
            "name": name,
            "label": name,
            "type": type_,
            "fieldType": field_type,
            "groupName": "contactinformation",
            **extra,
        },
    )
    assert made.status_code == 201, made.text


@pytest.fixture
def accounts(portal: Portal) -> dict[str, str]:
    """Four contacts with a custom number, date, datetime, enumeration and bool."""
    define(portal, "seats", "number", "number")
    define(portal, "renewal_day", "date", "date")
    define(portal, "renewed_at", "datetime", "date")
    options = [{"label": v, "value": v} for v in ("Gold", "Silver", "bronze")]
    define(portal, "tier", "enumeration", "select", options=options)
    define(portal, "vip", "bool", "booleancheckbox")
    records = {
        "a": {"seats": "9", "renewal_day": "2024-01-15", "tier": "Gold", "vip": "true"},
        "b": {
            "seats": "10",
            "renewal_day": "2024-03-01",
            "renewed_at": "2024-01-20T10:00:00Z",
            "tier": "Silver",
            "vip": "false",
        },
        "c": {
            "seats": "100",
            "renewal_day": "2023-12-31",
            "renewed_at": "2023-12-31T23:59:59.999Z",
            "tier": "bronze",
        },
        "d": {"firstname": "Dee"},
    }
    ids = {}
    for key, properties in records.items():
        created = portal.post("/crm/v3/objects/contacts", json={"properties": properties})
        assert created.status_code == 201, created.text
        ids[key] = created.json()["id"]
    return ids


def found(portal: Portal, ids: dict[str, str], body: dict[str, Any]) -> list[str]:
    response = portal.post(SEARCH, json={"limit": 100, **body})
    assert response.status_code == 200, response.text
    by_id = {v: k for k, v in ids.items()}
    return [by_id[r["id"]] for r in response.json()["results"]]


def where(name: str, operator: str, **kwargs: Any) -> dict[str, Any]:
    return {"filterGroups": [{"filters": [{"propertyName": name, "operator": operator, **kwargs}]}]}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Numbers: numerically, never as text ("100" < "9" as text; "10.0" is 10).
        (where("seats", "GT", value="9"), ["b", "c"]),
        (where("seats", "LT", value="10"), ["a"]),
        (where("seats", "BETWEEN", value="9", highValue="10"), ["a", "b"]),
        (where("seats", "EQ", value="10.0"), ["b"]),
        (where("seats", "IN", values=["9", "100"]), ["a", "c"]),
        (where("seats", "HAS_PROPERTY"), ["a", "b", "c"]),
        (where("seats", "NOT_HAS_PROPERTY"), ["d"]),
        # Dates: epoch ms (what clients send) or ISO, against the stored YYYY-MM-DD.
        (where("renewal_day", "GT", value=MS_2024_01_01), ["a", "b"]),
        (where("renewal_day", "LT", value="2024-01-01"), ["c"]),
        (
            where("renewal_day", "BETWEEN", value=MS_2024_01_01, highValue=MS_2024_02_01),
            ["a"],
        ),
        (where("renewal_day", "EQ", value="1705276800000"), ["a"]),
        (where("renewed_at", "GTE", value=MS_2024_01_01), ["b"]),
        (where("renewed_at", "LT", value=MS_2024_01_01), ["c"]),
        # Enumerations: case-sensitive for every operator, IN with the values as defined.
        (where("tier", "IN", values=["Gold", "bronze"]), ["a", "c"]),
        (where("tier", "IN", values=["gold"]), []),
        (where("tier", "EQ", value="Silver"), ["b"]),
        (where("tier", "EQ", value="silver"), []),
        (where("tier", "NOT_IN", values=["Gold"]), ["b", "c", "d"]),
        (where("tier", "HAS_PROPERTY"), ["a", "b", "c"]),
        (where("vip", "EQ", value="true"), ["a"]),
        (where("vip", "NEQ", value="true"), ["b", "c", "d"]),
    ],
)
def test_custom_properties_compare_by_their_type(
    portal: Portal, accounts: dict[str, str], body: dict[str, Any], expected: list[str]
) -> None:
    assert found(portal, accounts, body) == expected


def test_sorting_by_a_custom_number_is_numeric(portal: Portal, accounts: dict[str, str]) -> None:
    ascending = {"sorts": [{"propertyName": "seats", "direction": "ASCENDING"}]}
    assert found(portal, accounts, ascending) == ["a", "b", "c", "d"]
    descending = {"sorts": [{"propertyName": "seats", "direction": "DESCENDING"}]}
    assert found(portal, accounts, descending) == ["c", "b", "a", "d"]


def test_a_changed_type_applies_to_the_next_search(
    portal: Portal, accounts: dict[str, str]
) -> None:
    """No stale cache: the catalogue is read with the search (the type is changed from
    number to string here, so "10.0" no longer equals "10")."""
    assert found(portal, accounts, where("seats", "EQ", value="10.0")) == ["b"]
    changed = portal.request(
        "PATCH", "/crm/v3/properties/contacts/seats", json={"type": "string", "fieldType": "text"}
    )
    assert changed.status_code == 200, changed.text
    assert found(portal, accounts, where("seats", "EQ", value="10.0")) == []
    assert found(portal, accounts, where("seats", "EQ", value="10")) == ["b"]
