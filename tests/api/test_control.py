"""The control plane: /_hubgraph/portals/... (reset, snapshot, restore, seed) and its guard."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from hubgraph.app import create_app
from hubgraph.config import Settings
from hubgraph.services.context import Services
from tests.support.populate import populate
from tests.support.portals import LOCAL, LOOPBACK, Portal


@pytest.fixture(scope="module")
def control(settings: Settings, services: Services) -> Iterator[TestClient]:
    """A client that connects from 127.0.0.1, as a local test suite would."""
    with TestClient(create_app(settings, services), client=LOOPBACK, base_url=LOCAL) as client:
        yield client


def snapshot(control: TestClient, portal_id: int) -> dict[str, object]:
    response = control.get(f"/_hubgraph/portals/{portal_id}/snapshot")
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_snapshot_reset_restore_round_trips_exactly(
    control: TestClient, portal: Portal, services: Services
) -> None:
    ids = populate(portal, services)
    before = snapshot(control, portal.id)
    tables = before["tables"]
    assert isinstance(tables, dict)
    # Tables this portal has no rows in (sequences, reports, ...) are listed with 0 rows.
    assert {name: len(rows) for name, rows in tables.items() if rows} == {
        "objects": 5,
        "associations": 8,
        "association_types": 1,
        "association_limits": 1,
    }

    reset = control.post(f"/_hubgraph/portals/{portal.id}/reset")
    assert reset.status_code == 200
    assert {name: n for name, n in reset.json()["deleted"].items() if n} == {
        "objects": 5,
        "associations": 8,
        "association_types": 1,
        "association_limits": 1,
    }
    assert portal.get(f"/crm/v3/objects/contacts/{ids['contacts'][0]}").status_code == 404
    emptied = snapshot(control, portal.id)
    assert all(rows == [] for rows in emptied["tables"].values())  # type: ignore[union-attr]

    restored = control.put(f"/_hubgraph/portals/{portal.id}/snapshot", json=before)
    assert restored.status_code == 200, restored.text
    assert restored.json()["restored"]["associations"] == 8
    assert snapshot(control, portal.id) == before
    # the token survived the reset, and the records are back behind it
    got = portal.get(f"/crm/v3/objects/contacts/{ids['contacts'][1]}")
    assert got.json()["properties"]["firstname"] == 'Zoë "Z" O\'Neil\n'


def test_reset_starts_ids_over_and_restore_continues_them(
    control: TestClient, portal: Portal, services: Services
) -> None:
    first = portal.create_records("contacts", 2)
    saved = snapshot(control, portal.id)
    control.post(f"/_hubgraph/portals/{portal.id}/reset")
    assert portal.create_records("contacts", 1) == [first[0]]
    control.put(f"/_hubgraph/portals/{portal.id}/snapshot", json=saved)
    [after] = portal.create_records("contacts", 1)
    assert int(after) == int(first[1]) + 1


def test_restore_into_another_portal_keeps_ids(
    control: TestClient, portal: Portal, other_portal: Portal, services: Services
) -> None:
    ids = populate(portal, services)
    saved = snapshot(control, portal.id)
    assert (
        control.put(f"/_hubgraph/portals/{other_portal.id}/snapshot", json=saved).status_code == 200
    )
    copy = snapshot(control, other_portal.id)
    assert copy["tables"] == saved["tables"]
    got = other_portal.get(f"/crm/v3/objects/companies/{ids['companies'][0]}")
    assert got.status_code == 200


def test_bad_restore_is_400_naming_the_row_and_changes_nothing(
    control: TestClient, portal: Portal
) -> None:
    portal.create_records("contacts", 1)
    before = snapshot(control, portal.id)
    bad = {
        **before,
        "tables": {"objects": [{"object_type_id": "0-1", "id": "not a number"}]},
    }
    response = control.put(f"/_hubgraph/portals/{portal.id}/snapshot", json=bad)
    assert response.status_code == 400
    body = response.json()
    assert body["category"] == "VALIDATION_ERROR"
    assert body["message"].startswith("tables.objects[0]: objects.id must be an integer")
    assert snapshot(control, portal.id) == before


def test_restore_refuses_an_association_to_a_missing_record(
    control: TestClient, portal: Portal
) -> None:
    row = {
        "from_type": "0-1",
        "from_id": 5,
        "to_type": "0-2",
        "to_id": 6,
        "category": 1,
        "type_id": 279,
        "created_at": 1,
    }
    document = {"format": "hubgraph-snapshot", "version": 1, "tables": {"associations": [row]}}
    response = control.put(f"/_hubgraph/portals/{portal.id}/snapshot", json=document)
    assert response.status_code == 400
    assert response.json()["message"] == (
        "tables.associations[0]: association to a record that is not there: "
        "0-1 5 -> 0-2 6 (category 1, type 279)"
    )


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "Not a hubgraph snapshot: 'format' must be 'hubgraph-snapshot'"),
        (
            {"format": "hubgraph-snapshot", "version": 9, "tables": {}},
            "Unsupported snapshot version 9; this hubgraph reads version 1",
        ),
        (
            {"format": "hubgraph-snapshot", "version": 1, "tables": {"tokens": []}},
            "tables.tokens[0]",
        ),
    ],
)
def test_restore_rejects_what_is_not_a_snapshot(
    control: TestClient, portal: Portal, document: object, message: str
) -> None:
    if isinstance(document, dict) and "tokens" in document["tables"]:
        document["tables"]["tokens"] = [{}]
    response = control.put(f"/_hubgraph/portals/{portal.id}/snapshot", json=document)
    assert response.status_code == 400
    assert response.json()["message"].startswith(message)


def test_unknown_portal_is_404(control: TestClient) -> None:
    for method, path in [("POST", "reset"), ("GET", "snapshot")]:
        response = control.request(method, f"/_hubgraph/portals/99999999999/{path}")
        assert response.status_code == 404
        assert response.json()["message"] == "There is no portal 99999999999"


def test_create_portal_returns_a_working_token(control: TestClient) -> None:
    response = control.post("/_hubgraph/portals", json={"name": "ci"})
    assert response.status_code == 201
    body = response.json()
    created = control.post(
        "/crm/v3/objects/contacts",
        json={"properties": {"email": "a@example.com"}},
        headers={"Authorization": f"Bearer {body['token']}"},
    )
    assert created.status_code == 201


SEED_YAML = """
records:
  contacts:
    - ref: alice
      properties: {email: alice@example.com, annualrevenue: 41, jobtitle: true}
    - ref: bob
      properties: {email: bob@example.com}
  companies:
    - {ref: acme, properties: {name: Acme}}
associations:
  - {from: alice, to: acme}
  - {from: bob, to: acme, type: Primary}
  - {from: alice, to: bob}
"""


def test_seed_from_yaml_creates_records_and_associations(
    control: TestClient, portal: Portal
) -> None:
    response = control.post(
        f"/_hubgraph/portals/{portal.id}/seed",
        content=SEED_YAML,
        headers={"Content-Type": "application/yaml"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    refs = {ref: r["id"] for ref, r in body["records"].items()}
    assert body["records"]["acme"]["objectTypeId"] == "0-2"
    assert body["associations"] == 3
    alice = portal.get(f"/crm/v3/objects/contacts/{refs['alice']}").json()
    assert alice["properties"]["annualrevenue"] == "41"
    assert alice["properties"]["jobtitle"] == "true"
    rows = snapshot(control, portal.id)["tables"]["associations"]  # type: ignore[index]
    got = {(r["from_id"], r["to_id"], r["type_id"]) for r in rows}
    a, b, c = int(refs["alice"]), int(refs["bob"]), int(refs["acme"])
    assert got == {(a, c, 279), (c, a, 280), (b, c, 1), (c, b, 2), (a, b, 449), (b, a, 449)}


def test_seed_json_with_existing_records_and_type_ids(control: TestClient, portal: Portal) -> None:
    [company] = portal.create_records("companies", 1)
    fixture = {
        "records": {"contacts": [{"ref": "c"}]},
        "associations": [
            {"from": "c", "to": {"type": "companies", "id": company}, "type": 1},
            {
                "from": "c",
                "to": {"type": "0-2", "id": company},
                "type": {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 279},
            },
        ],
    }
    response = control.post(f"/_hubgraph/portals/{portal.id}/seed", json=fixture)
    assert response.status_code == 200, response.text
    assert response.json()["associations"] == 2


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        (
            {"records": {"widgets": []}},
            "records.widgets: Unable to infer object type from: widgets",
        ),
        (
            {"associations": [{"from": "nobody", "to": "x"}]},
            "associations[0].from: no record has ref 'nobody'",
        ),
        (
            {
                "records": {"contacts": [{"ref": "a"}, {"ref": "b"}]},
                "associations": [{"from": "a", "to": "b", "type": "Best friend"}],
            },
            "associations[0].type: no association type labelled 'Best friend' "
            "from contact to contact",
        ),
        (
            {"records": {"contacts": [{"ref": "a", "name": "x"}]}},
            "records.contacts[0]: a record is an object with 'ref' and 'properties'",
        ),
        (
            {
                "records": {"contacts": [{"ref": "a"}]},
                "associations": [{"from": "a", "to": {"type": "companies", "id": "777777"}}],
            },
            "associations[0]: company 777777 is not a record of this portal",
        ),
    ],
)
def test_bad_seed_is_400_naming_the_place_and_writes_nothing(
    control: TestClient, portal: Portal, fixture: object, message: str
) -> None:
    response = control.post(f"/_hubgraph/portals/{portal.id}/seed", json=fixture)
    assert response.status_code == 400
    assert response.json()["message"] == message
    tables = snapshot(control, portal.id)["tables"]
    assert tables["objects"] == []  # type: ignore[index]


def test_seed_rejects_bad_yaml(control: TestClient, portal: Portal) -> None:
    response = control.post(
        f"/_hubgraph/portals/{portal.id}/seed",
        content="records: [unclosed",
        headers={"Content-Type": "text/yaml"},
    )
    assert response.status_code == 400
    assert response.json()["message"].startswith("fixture.yaml: not valid YAML")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/_hubgraph/portals/{portal}/reset"),
        ("GET", "/_hubgraph/portals/{portal}/snapshot"),
        ("POST", "/_hubgraph/faults"),
        ("DELETE", "/_hubgraph/faults"),
        ("POST", "/_hubgraph/oauth/apps"),
        ("POST", "/_hubgraph/oauth/codes"),
        ("PUT", "/_hubgraph/portals/{portal}/rate-limits"),
    ],
)
def test_control_plane_refuses_clients_off_the_machine(
    settings: Settings, services: Services, portal: Portal, method: str, path: str
) -> None:
    # TestClient's default peer address is "testclient", not a loopback address
    with TestClient(create_app(settings, services)) as remote:
        response = remote.request(method, path.format(portal=portal.id), json={})
        assert response.status_code == 403
        assert response.json()["category"] == "FORBIDDEN"
        assert "HUBGRAPH_ADMIN_TOKEN" in response.json()["message"]
        assert remote.get("/_hubgraph/health").status_code == 200


def test_admin_token_is_required_from_everyone_once_set(
    settings: Settings, services: Services, portal: Portal
) -> None:
    guarded = dataclasses.replace(
        services, settings=settings.model_copy(update={"admin_token": "s3cret"})
    )
    app = create_app(guarded.settings, guarded)
    with TestClient(app, client=LOOPBACK, base_url=LOCAL) as local, TestClient(app) as remote:
        path = f"/_hubgraph/portals/{portal.id}/snapshot"
        assert local.get(path).status_code == 401
        assert local.get(path, headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert remote.get(path, headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_reset_clears_the_portals_injected_faults(control: TestClient, portal: Portal) -> None:
    added = control.post(
        "/_hubgraph/faults", json={"route": "/crm/*", "portalId": portal.id, "status": 503}
    )
    assert added.status_code == 201, added.text
    url = "/crm/v4/associations/contacts/companies/batch/associate/default"
    assert portal.post(url, json={"inputs": []}).status_code == 503
    assert control.post(f"/_hubgraph/portals/{portal.id}/reset").status_code == 200
    assert portal.post(url, json={"inputs": []}).status_code == 200


def test_a_seed_with_an_unknown_property_names_the_record(
    control: TestClient, portal: Portal
) -> None:
    fixture = {"records": {"contacts": [{"properties": {"email": "a@example.com", "age": 1}}]}}
    response = control.post(f"/_hubgraph/portals/{portal.id}/seed", json=fixture)
    assert response.status_code == 400
    message = response.json()["message"]
    assert message.startswith("records.contacts[0].properties")
    assert "PROPERTY_DOESNT_EXIST" in message
