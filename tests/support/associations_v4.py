"""Helpers for the v4 record API tests: labels and limits written as the schema API would."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert

from hubgraph.domain.association_types import Category
from hubgraph.services.access import portals
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.store.associations import CATEGORY_CODES
from hubgraph.store.tables import association_limits, association_types
from tests.support.portals import Portal

USER = CATEGORY_CODES[Category.USER_DEFINED]


def add_label(
    services: Services,
    portal: Portal,
    from_type: str,
    to_type: str,
    type_id: int,
    label: str,
    inverse_id: int | None = None,
    inverse_label: str | None = None,
) -> None:
    """A USER_DEFINED label and its inverse, as the label API stores them."""
    inverse_id = type_id + 1 if inverse_id is None else inverse_id
    rows = [
        (type_id, from_type, to_type, label, inverse_id),
        (inverse_id, to_type, from_type, inverse_label or label, type_id),
    ]
    if inverse_id == type_id:
        rows = rows[:1]
    with services.database.write() as conn:
        conn.execute(
            insert(association_types),
            [
                {
                    "portal_id": portal.id,
                    "category": USER,
                    "type_id": t,
                    "from_type": f,
                    "to_type": to,
                    "name": name.lower().replace(" ", "_"),
                    "label": name,
                    "inverse_type_id": inv,
                    "created_at": now_ms(),
                }
                for t, f, to, name, inv in rows
            ],
        )


def add_limit(
    services: Services,
    portal: Portal,
    from_type: str,
    to_type: str,
    category: Category,
    type_id: int,
    limit: int,
) -> None:
    with services.database.write() as conn:
        conn.execute(
            insert(association_limits).values(
                portal_id=portal.id,
                from_type=from_type,
                to_type=to_type,
                category=CATEGORY_CODES[category],
                type_id=type_id,
                max_to_object_ids=limit,
            )
        )


def spec(type_id: int, category: str = "HUBSPOT_DEFINED") -> dict[str, Any]:
    return {"associationCategory": category, "associationTypeId": type_id}


def associated(
    portal: Portal, from_type: str, from_id: str, to_type: str
) -> dict[int, set[tuple[str, int, str | None]]]:
    """toObjectId → {(category, typeId, label)} through GET list (every page)."""
    found: dict[int, set[tuple[str, int, str | None]]] = {}
    after: str | None = None
    while True:
        params = {"after": after} if after else {}
        response = portal.get(
            f"/crm/v4/objects/{from_type}/{from_id}/associations/{to_type}", params=params
        )
        assert response.status_code == 200, response.text
        body = response.json()
        for r in body["results"]:
            found[r["toObjectId"]] = {
                (t["category"], t["typeId"], t["label"]) for t in r["associationTypes"]
            }
        if "paging" not in body:
            return found
        after = body["paging"]["next"]["after"]


def put_labels(
    portal: Portal,
    from_type: str,
    from_id: str,
    to_type: str,
    to_id: str,
    specs: list[dict[str, Any]],
) -> Any:
    return portal.put(
        f"/crm/v4/objects/{from_type}/{from_id}/associations/{to_type}/{to_id}", json=specs
    )


def put_default(portal: Portal, from_type: str, from_id: str, to_type: str, to_id: str) -> Any:
    return portal.put(
        f"/crm/v4/objects/{from_type}/{from_id}/associations/default/{to_type}/{to_id}"
    )


def with_scopes(services: Services, portal: Portal, scopes: list[str]) -> Portal:
    """Another token for the same portal, granted only ``scopes``."""
    return Portal(portal.id, portals.create_token(services, portal.id, scopes), portal.client)


def batch_create(
    portal: Portal, from_type: str, to_type: str, inputs: list[tuple[str, str, list[Any]]]
) -> Any:
    body = {"inputs": [{"from": {"id": f}, "to": {"id": t}, "types": s} for f, t, s in inputs]}
    return portal.post(f"/crm/v4/associations/{from_type}/{to_type}/batch/create", json=body)


def associate_many(portal: Portal, contact: str, companies: list[str]) -> None:
    """The contact's default association to each company, through the v4 batch."""
    body = {"inputs": [{"from": {"id": contact}, "to": {"id": c}} for c in companies]}
    response = portal.post(
        "/crm/v4/associations/contacts/companies/batch/associate/default", json=body
    )
    assert response.status_code == 200
