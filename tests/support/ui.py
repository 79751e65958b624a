"""A small portal worth looking at in the web UI: people, companies, a deal, a label, a limit.

Built through HubSpot's API (the seeding path a user's own tests take), with any client
that has ``post``/``put`` returning an httpx-style response: the in-process TestClient
portal and a live server's client alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


class _Response(Protocol):
    status_code: int
    text: str

    def json(self) -> Any: ...


class ApiClient(Protocol):
    def post(self, path: str, **kwargs: Any) -> _Response: ...

    def put(self, path: str, **kwargs: Any) -> _Response: ...


@dataclass(frozen=True)
class UiScenario:
    alice: str
    bob: str
    acme: str
    globex: str
    deal: str
    manager_type_id: int


def _ok(response: _Response) -> Any:
    assert response.status_code < 300, response.text
    return response.json() if response.text else None


def _create(client: ApiClient, object_type: str, properties: list[dict[str, str]]) -> list[str]:
    body = _ok(
        client.post(
            f"/crm/v3/objects/{object_type}/batch/create",
            json={"inputs": [{"properties": p} for p in properties]},
        )
    )
    # batch/create answers in input order
    return [r["id"] for r in body["results"]]


def seed_ui_scenario(client: ApiClient) -> UiScenario:
    alice, bob = _create(
        client,
        "contacts",
        [
            {"firstname": "Alice", "lastname": "Smith", "email": "alice@example.com"},
            {"firstname": "Bob", "lastname": "Jones", "email": "bob@example.com"},
        ],
    )
    acme, globex = _create(
        client, "companies", [{"name": "Acme", "domain": "acme.test"}, {"name": "Globex"}]
    )
    (deal,) = _create(client, "deals", [{"dealname": "Big deal", "amount": "1000"}])
    default = "/crm/v4/associations/{}/{}/batch/associate/default"
    for from_type, to_type, pairs in (
        ("contacts", "companies", [(alice, acme), (bob, acme), (alice, globex)]),
        ("contacts", "deals", [(alice, deal)]),
        ("companies", "deals", [(acme, deal)]),
    ):
        _ok(
            client.post(
                default.format(from_type, to_type),
                json={"inputs": [{"from": {"id": f}, "to": {"id": t}} for f, t in pairs]},
            )
        )
    created = _ok(
        client.post(
            "/crm/v4/associations/contacts/companies/labels",
            json={"label": "Manager", "name": "manager", "inverseLabel": "Managed by"},
        )
    )
    manager = next(t["typeId"] for t in created["results"] if t["label"] == "Manager")
    _ok(
        client.put(
            f"/crm/v4/objects/contacts/{alice}/associations/companies/{acme}",
            json=[{"associationCategory": "USER_DEFINED", "associationTypeId": manager}],
        )
    )
    _ok(
        client.post(
            "/crm/v4/associations/definitions/configurations/contacts/companies/batch/create",
            json={"inputs": [{"category": "HUBSPOT_DEFINED", "typeId": 279, "maxToObjectIds": 10}]},
        )
    )
    return UiScenario(alice, bob, acme, globex, deal, manager)
