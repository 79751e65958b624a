"""The SDK's ``host`` as people paste it: with a trailing slash (``//crm/v3/…`` on the wire)."""

from __future__ import annotations

import httpx2 as httpx
from hubspot import Client

from hubgraph.testing import ServerThread
from tests.support.portals import Portal


def test_a_trailing_slash_in_the_sdk_host_works(server: ServerThread, portal: Portal) -> None:
    sdk = Client.create(access_token=portal.token, host=server.base_url + "/")
    created = sdk.crm.objects.basic_api.create("contacts", {"properties": {"email": "a@x.io"}})
    fetched = sdk.crm.objects.basic_api.get_by_id("contacts", created.id)
    assert fetched.id == created.id
    page = sdk.crm.associations.v4.basic_api.get_page("contacts", created.id, "companies")
    assert page.results == []


def test_only_leading_slashes_are_merged(server: ServerThread, portal: Portal) -> None:
    headers = {"Authorization": f"Bearer {portal.token}"}
    leading = httpx.get(f"{server.base_url}///crm/v3/objects/contacts", headers=headers)
    assert leading.status_code == 200
    inside = httpx.get(f"{server.base_url}/crm/v3//objects/contacts", headers=headers)
    assert inside.status_code == 404
    assert inside.json()["status"] == "error"  # HubSpot's envelope, as for any unknown path
