"""The UI's pages over HTTP, on both databases: what each shows, its links, its errors."""

from __future__ import annotations

import dataclasses
import re

import pytest
from fastapi.testclient import TestClient

from hubgraph.app import create_app
from hubgraph.config import Settings
from hubgraph.services.context import Services
from hubgraph.services.operations import explorer
from tests.support.portals import Portal
from tests.support.ui import UiScenario, seed_ui_scenario

UI = "/_hubgraph/ui"
LOOPBACK = ("127.0.0.1", 50000)


@pytest.fixture
def scenario(portal: Portal) -> UiScenario:
    return seed_ui_scenario(portal)


def html(client: TestClient, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    return response.text


def test_the_portals_page_lists_each_portal_with_its_counts(
    client: TestClient, portal: Portal, scenario: UiScenario
) -> None:
    page = html(client, f"{UI}/")
    row = re.search(
        rf'<tr>\s*<td class="mono"><a href="{UI}/portals/{portal.id}">.*?</tr>', page, re.S
    )
    assert row, page
    cells = re.findall(r'<td class="num">(\d+)</td>', row.group(0))
    # 2 contacts + 2 companies + 1 deal; 5 associated pairs (the label adds no pair)
    assert cells == ["5", "5"]
    assert f"{UI}/portals/{portal.id}/objects/contacts" in row.group(0)


def test_ui_without_the_slash_redirects(client: TestClient) -> None:
    response = client.get(UI, follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == f"{UI}/"


def test_records_are_paged_and_filtered(client: TestClient, portal: Portal) -> None:
    ids = portal.create_records("companies", 60)
    base = f"{UI}/portals/{portal.id}/objects/companies"
    first = html(client, base)
    shown = re.findall(rf'<td class="mono"><a href="{base}/(\d+)">', first)
    assert shown == ids[:50]
    assert f'href="{base}?after={ids[49]}"' in first
    second = html(client, f"{base}?after={ids[49]}")
    assert re.findall(rf'<td class="mono"><a href="{base}/(\d+)">', second) == ids[50:]
    assert 'rel="next"' not in second

    filtered = html(client, f"{base}?q=COMPANIES-7")
    assert re.findall(rf'<td class="mono"><a href="{base}/(\d+)">', filtered) == [ids[7]]
    by_id = html(client, f"{base}?q={ids[3]}")
    assert ids[3] in re.findall(rf'<td class="mono"><a href="{base}/(\d+)">', by_id)
    # LIKE's wildcards are matched literally
    assert "No companies match" in html(client, f"{base}?q=%25")


def test_a_record_shows_properties_and_associations_grouped_with_labels(
    client: TestClient, portal: Portal, scenario: UiScenario
) -> None:
    page = html(client, f"{UI}/portals/{portal.id}/objects/contacts/{scenario.alice}")
    assert "alice@example.com" in page
    assert '<h2 class="grow flush">Alice Smith <small>contact' in page
    groups = re.findall(r'<section class="association-group" data-to-type="([^"]+)"', page)
    assert groups == ["0-2", "0-3"]  # companies, then deals
    companies = page[page.index('data-to-type="0-2"') : page.index('data-to-type="0-3"')]
    acme_row = re.search(rf"<tr>.*?/objects/companies/{scenario.acme}\".*?</tr>", companies, re.S)
    assert acme_row
    categories = re.findall(r'data-category="([A-Z_]+)"', acme_row.group(0))
    assert categories == ["HUBSPOT_DEFINED", "USER_DEFINED"]
    assert "Manager" in acme_row.group(0)
    assert f'href="{UI}/portals/{portal.id}/objects/companies/{scenario.globex}"' in companies


def test_the_associated_record_links_back(
    client: TestClient, portal: Portal, scenario: UiScenario
) -> None:
    page = html(client, f"{UI}/portals/{portal.id}/objects/companies/{scenario.acme}")
    assert f'href="{UI}/portals/{portal.id}/objects/contacts/{scenario.alice}"' in page
    assert "Managed by" in page  # the inverse label, seen from the company


def test_associations_are_paged_per_object_type(client: TestClient, portal: Portal) -> None:
    (contact,) = portal.create_records("contacts", 1)
    companies = portal.create_records("companies", 30)
    response = portal.post(
        "/crm/v4/associations/contacts/companies/batch/associate/default",
        json={"inputs": [{"from": {"id": contact}, "to": {"id": c}} for c in companies]},
    )
    assert response.status_code == 200, response.text
    record = f"{UI}/portals/{portal.id}/objects/contacts/{contact}"
    page = html(client, record)
    linked = re.findall(
        rf'class="associated" href="{UI}/portals/{portal.id}/objects/companies/(\d+)"', page
    )
    assert linked == companies[:25]
    more = f"{record}/associations/companies?after={companies[24]}"
    assert f'href="{more}"' in page
    rest = html(client, more)
    assert (
        re.findall(
            rf'class="associated" href="{UI}/portals/{portal.id}/objects/companies/(\d+)"', rest
        )
        == companies[25:]
    )


def test_the_graph_json_grows_by_hops(
    client: TestClient, portal: Portal, scenario: UiScenario
) -> None:
    url = f"{UI}/portals/{portal.id}/objects/contacts/{scenario.bob}/graph.json"
    one = client.get(url, params={"hops": 1}).json()
    assert one["root"] == f"0-1:{scenario.bob}"
    assert {n["key"] for n in one["nodes"]} == {f"0-1:{scenario.bob}", f"0-2:{scenario.acme}"}
    assert one["expanded"] == [f"0-1:{scenario.bob}"]
    two = client.get(url, params={"hops": 2}).json()
    keys = {n["key"] for n in two["nodes"]}
    assert keys == {
        f"0-1:{scenario.bob}",
        f"0-2:{scenario.acme}",
        f"0-1:{scenario.alice}",
        f"0-3:{scenario.deal}",
    }
    acme_alice = next(
        e
        for e in two["edges"]
        if {e["from"], e["to"]} == {f"0-2:{scenario.acme}", f"0-1:{scenario.alice}"}
    )
    assert {label["category"] for label in acme_alice["labels"]} == {
        "HUBSPOT_DEFINED",
        "USER_DEFINED",
    }
    # each pair once, whichever end it was read from
    assert len({frozenset((e["from"], e["to"])) for e in two["edges"]}) == len(two["edges"])
    node = next(n for n in two["nodes"] if n["key"] == f"0-1:{scenario.alice}")
    assert node["url"] == f"{UI}/portals/{portal.id}/objects/contacts/{scenario.alice}"
    assert client.get(url, params={"hops": 3}).status_code == 400


def test_the_graph_page_names_its_json(
    client: TestClient, portal: Portal, scenario: UiScenario
) -> None:
    page = html(client, f"{UI}/portals/{portal.id}/objects/contacts/{scenario.alice}/graph")
    assert (
        f'data-src="{UI}/portals/{portal.id}/objects/contacts/{scenario.alice}/graph.json"' in page
    )
    assert f'data-root="0-1:{scenario.alice}"' in page


def test_labels_and_limits_per_pair(
    client: TestClient, portal: Portal, scenario: UiScenario
) -> None:
    page = html(client, f"{UI}/portals/{portal.id}/labels?from=contacts&to=companies")
    manager = re.search(r"<tr>(?:(?!</tr>).)*Manager(?:(?!</tr>).)*</tr>", page, re.S)
    assert manager
    assert "USER_DEFINED" in manager.group(0)
    assert "manager" in manager.group(0)
    unlabeled = re.search(
        r"<tr>(?:(?!</tr>).)*<td class=\"num\">279</td>(?:(?!</tr>).)*</tr>", page, re.S
    )
    assert unlabeled
    assert "<strong>10</strong>" in unlabeled.group(0)
    assert f"{UI}/portals/{portal.id}/labels?from=contacts&amp;to=companies" in page


@pytest.mark.parametrize(
    "path",
    [
        "/portals/1",
        "/portals/1/objects/contacts",
        "/portals/{portal}/objects/contacts/999999999",
        "/portals/{portal}/objects/contacts/not-an-id",
        "/portals/{portal}/objects/contacts/999999999/graph",
        "/static/nothing.js",
    ],
)
def test_what_is_not_there_is_an_html_404(client: TestClient, portal: Portal, path: str) -> None:
    page = html(client, UI + path.format(portal=portal.id), status=404)
    assert "OBJECT_NOT_FOUND" in page


def test_an_unknown_object_type_is_an_html_400(client: TestClient, portal: Portal) -> None:
    page = html(client, f"{UI}/portals/{portal.id}/objects/widgets", status=400)
    assert "widgets" in page


def test_assets_are_served_by_hubgraph(client: TestClient) -> None:
    for name, media_type in (
        ("ui.css", "text/css"),
        ("ui.js", "text/javascript"),
        ("graph.js", "text/javascript"),
    ):
        response = client.get(f"{UI}/static/{name}")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(media_type)
        assert b"http://" not in response.content.replace(b"http://www.w3.org/2000/svg", b"")
        assert b"https://" not in response.content


def test_the_ui_has_the_control_planes_guard(settings: Settings, services: Services) -> None:
    with TestClient(create_app(settings, services), client=("192.0.2.10", 4000)) as remote:
        assert remote.get(f"{UI}/").status_code == 403
        assert remote.get(f"{UI}/static/ui.css").status_code == 403
    guarded = Settings(database_url=settings.database_url, admin_token="ui-admin-token")
    with TestClient(
        create_app(guarded, dataclasses.replace(services, settings=guarded)), client=LOOPBACK
    ) as local:
        assert local.get(f"{UI}/").status_code == 401
        ok = local.get(f"{UI}/", headers={"Authorization": "Bearer ui-admin-token"})
        assert ok.status_code == 200


def test_an_archived_record_opens_without_its_associations(
    client: TestClient, portal: Portal, scenario: UiScenario
) -> None:
    assert portal.delete(f"/crm/v3/objects/companies/{scenario.globex}").status_code == 204
    page = html(client, f"{UI}/portals/{portal.id}/objects/companies/{scenario.globex}")
    assert "archived" in page
    assert "its associations are hidden" in page
    alice = html(client, f"{UI}/portals/{portal.id}/objects/contacts/{scenario.alice}")
    assert f"/objects/companies/{scenario.globex}" not in alice
    companies = html(client, f"{UI}/portals/{portal.id}/objects/companies")
    assert f"/objects/companies/{scenario.globex}" not in companies


def test_counts_stop_at_the_cap(
    client: TestClient, portal: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(explorer, "COUNT_CAP", 3)
    (contact,) = portal.create_records("contacts", 1)
    companies = portal.create_records("companies", 5)
    response = portal.post(
        "/crm/v4/associations/contacts/companies/batch/associate/default",
        json={"inputs": [{"from": {"id": contact}, "to": {"id": c}} for c in companies[:3]]},
    )
    assert response.status_code == 200
    record = f"{UI}/portals/{portal.id}/objects/contacts/{contact}"
    assert "Companies <small>3</small>" in html(client, record)
    response = portal.post(
        "/crm/v4/associations/contacts/companies/batch/associate/default",
        json={"inputs": [{"from": {"id": contact}, "to": {"id": companies[3]}}]},
    )
    assert "Companies <small>3+</small>" in html(client, record)
    # an archived target leaves the count
    assert portal.delete(f"/crm/v3/objects/companies/{companies[0]}").status_code == 204
    assert "Companies <small>3</small>" in html(client, record)
