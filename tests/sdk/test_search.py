"""The official SDK's ``search_api.do_search`` and a tap's incremental sync, on a real server."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

import httpx2 as httpx
import pytest
from hubspot import Client
from hubspot.crm.companies import Filter as CompanyFilter
from hubspot.crm.companies import FilterGroup as CompanyFilterGroup
from hubspot.crm.companies import PublicObjectSearchRequest as CompanySearch
from hubspot.crm.companies import SimplePublicObjectInputForCreate as CompanyInput
from hubspot.crm.contacts import Filter, FilterGroup, PublicObjectSearchRequest
from hubspot.crm.contacts import SimplePublicObjectInputForCreate as ContactInput
from hubspot.crm.contacts.exceptions import ApiException

from hubgraph.testing import ServerThread
from tests.support.portals import Portal


def test_contacts_do_search_by_email(sdk: Client) -> None:
    contacts = sdk.crm.contacts.basic_api
    contacts.create(ContactInput(properties={"email": "Ada@Example.com", "firstname": "Ada"}))
    contacts.create(ContactInput(properties={"email": "grace@example.com"}))
    request = PublicObjectSearchRequest(
        filter_groups=[
            FilterGroup(
                filters=[Filter(property_name="email", operator="EQ", value="ada@example.com")]
            )
        ],
        properties=["email", "firstname"],
    )
    page = sdk.crm.contacts.search_api.do_search(public_object_search_request=request)
    assert page.total == 1
    [ada] = page.results
    assert ada.properties["firstname"] == "Ada"
    assert ada.properties["hs_object_id"] == ada.id
    assert page.paging is None


def test_contacts_do_search_refuses_a_limit_above_200(sdk: Client) -> None:
    with pytest.raises(ApiException) as refused:
        sdk.crm.contacts.search_api.do_search(
            public_object_search_request=PublicObjectSearchRequest(limit=201)
        )
    assert refused.value.status == 400


def test_companies_do_search_sorted_and_paged(sdk: Client) -> None:
    companies = sdk.crm.companies.basic_api
    names = ["Delta", "alpha", "Charlie", "bravo", "Echo"]
    for name in names:
        companies.create(CompanyInput(properties={"name": name, "domain": f"{name.lower()}.io"}))
    seen: list[str] = []
    after: str | None = None
    while True:
        request = CompanySearch(
            filter_groups=[
                CompanyFilterGroup(
                    filters=[
                        CompanyFilter(
                            property_name="domain", operator="CONTAINS_TOKEN", value="*.io"
                        )
                    ]
                )
            ],
            sorts=["name"],
            properties=["name"],
            limit=2,
            after=after,
        )
        page = sdk.crm.companies.search_api.do_search(public_object_search_request=request)
        assert page.total == 5
        seen += [c.properties["name"] for c in page.results]
        if page.paging is None:
            break
        after = page.paging.next.after
    assert seen == sorted(names, key=str.lower)


def _epoch_ms(iso: str) -> int:
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


def _sync(http: httpx.Client, bookmark: int) -> list[dict[str, Any]]:
    """What the Meltano tap-hubspot does for an incremental stream: GTE on the replication
    key in epoch ms (a string), sorted ascending, 100 a page, ``after`` until no paging."""
    records: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        body: dict[str, Any] = {
            "filterGroups": [
                {
                    "filters": [
                        {
                            "propertyName": "hs_lastmodifieddate",
                            "operator": "GTE",
                            "value": str(bookmark),
                        }
                    ]
                }
            ],
            "sorts": [{"propertyName": "hs_lastmodifieddate", "direction": "ASCENDING"}],
            "limit": 100,
            "properties": ["name", "hs_lastmodifieddate"],
        }
        if after:
            body["after"] = after
        response = http.post("/crm/v3/objects/companies/search", json=body)
        assert response.status_code == 200, response.text
        page = response.json()
        records += page["results"]
        after = page.get("paging", {}).get("next", {}).get("after")
        if not after:
            return records


def test_incremental_sync_as_the_meltano_tap_does_it(server: ServerThread, portal: Portal) -> None:
    with httpx.Client(base_url=server.base_url, headers=portal.headers) as http:
        for start in range(0, 250, 50):
            inputs = [{"properties": {"name": f"co-{i}"}} for i in range(start, start + 50)]
            created = http.post("/crm/v3/objects/companies/batch/create", json={"inputs": inputs})
            assert created.status_code == 201, created.text
            time.sleep(0.002)
        full = _sync(http, 0)
        assert len(full) == 250
        stamps = [_epoch_ms(r["properties"]["hs_lastmodifieddate"]) for r in full]
        assert stamps == sorted(stamps)
        bookmark = max(stamps)
        time.sleep(0.002)
        changed = [full[3]["id"], full[120]["id"]]
        for record_id in changed:
            patched = http.patch(
                f"/crm/v3/objects/companies/{record_id}", json={"properties": {"name": "renamed"}}
            )
            assert patched.status_code == 200
        incremental = _sync(http, bookmark + 1)
        assert sorted(r["id"] for r in incremental) == sorted(changed)
        assert {r["properties"]["name"] for r in incremental} == {"renamed"}
        # The bookmark itself is included (GTE): the last batch's records come again.
        assert len(_sync(http, bookmark)) == 50 + 2
