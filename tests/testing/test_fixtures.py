"""The plugin's fixtures used straight from our own suite (the plugin is installed here)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from hubspot.crm.objects import SimplePublicObjectInputForCreate
from hubspot.crm.objects.exceptions import ApiException
from typer.testing import CliRunner

from hubgraph.cli import app
from hubgraph.testing import HubgraphPortal, HubgraphServer


def fetch(url: str, method: str = "GET") -> Any:
    response = httpx.request(method, url, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_control_plane_answers_a_local_client_over_a_real_socket(
    hubgraph_portal: HubgraphPortal, hubspot_client: Any
) -> None:
    hubspot_client.crm.objects.basic_api.create(
        "contacts", SimplePublicObjectInputForCreate(properties={"email": "a@example.com"})
    )
    base = f"{hubgraph_portal.base_url}/_hubgraph/portals/{hubgraph_portal.id}"
    assert len(fetch(f"{base}/snapshot")["tables"]["objects"]) == 1
    assert fetch(f"{base}/reset", "POST")["deleted"]["objects"] == 1
    assert hubspot_client.crm.objects.basic_api.get_page("contacts").results == []


def test_snapshot_and_restore_through_the_portal_fixture(hubgraph_portal: HubgraphPortal) -> None:
    seeded = hubgraph_portal.seed(
        {
            "records": {"contacts": [{"ref": "a"}], "companies": [{"ref": "b"}]},
            "associations": [{"from": "a", "to": "b"}],
        }
    )
    saved = hubgraph_portal.snapshot()
    hubgraph_portal.reset()
    assert hubgraph_portal.associations() == []
    hubgraph_portal.restore(saved)
    assert hubgraph_portal.snapshot() == saved
    a, b = seeded["records"]["a"]["id"], seeded["records"]["b"]["id"]
    assert {(x["fromObjectId"], x["toObjectId"]) for x in hubgraph_portal.associations()} == {
        (a, b),
        (b, a),
    }


def test_a_token_with_fewer_scopes(
    hubgraph_server: HubgraphServer, hubgraph_portal: HubgraphPortal
) -> None:
    from hubspot import Client

    token = hubgraph_portal.new_token(["crm.objects.companies.read"])
    client = Client.create(access_token=token, host=hubgraph_server.base_url)
    with pytest.raises(ApiException) as info:
        client.crm.objects.basic_api.get_page("contacts")
    assert info.value.status == 403


def test_portals_are_apart(hubgraph_server: HubgraphServer) -> None:
    first, second = hubgraph_server.new_portal(), hubgraph_server.new_portal()
    first.seed({"records": {"contacts": [{"ref": "x"}]}})
    assert second.snapshot()["tables"]["objects"] == []


def test_seed_returns_what_the_cli_prints_for_the_examples_file(
    hubgraph_server: HubgraphServer,
) -> None:
    fixture = Path(__file__).resolve().parents[2] / "examples" / "crm.yaml"
    from_plugin = hubgraph_server.new_portal().seed(fixture)
    other = hubgraph_server.new_portal()
    database_url = hubgraph_server.services.settings.database_url
    printed = CliRunner().invoke(
        app, ["seed", str(fixture), "--portal", str(other.id), "--database", database_url]
    )
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.stdout) == from_plugin  # each portal numbers its records alike
    assert from_plugin["records"]["alice"] == {"objectTypeId": "0-1", "id": "1001"}
    assert from_plugin["associations"] == 4


def test_owners_through_the_portal_fixture(hubgraph_portal: HubgraphPortal) -> None:
    owner_id = hubgraph_portal.create_owner("rep@example.com", "Rea", teams=["West"])
    with httpx.Client(base_url=hubgraph_portal.base_url, headers=hubgraph_portal.headers) as http:
        owner = http.get(f"/crm/v3/owners/{owner_id}").json()
        assert (owner["email"], owner["teams"][0]["name"]) == ("rep@example.com", "West")
        deal = http.post(
            "/crm/v3/objects/deals",
            json={"properties": {"pipeline": "default", "hubspot_owner_id": owner_id}},
        )
        assert deal.status_code == 201
