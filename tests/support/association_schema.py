"""Helpers shared by the Associations Schema v4 tests (labels, limits)."""

from __future__ import annotations

from typing import Any

import httpx2 as httpx
from sqlalchemy import insert

from hubgraph.domain.association_types import Category
from hubgraph.domain.associations import Association
from hubgraph.domain.labels import LabelDefinition
from hubgraph.domain.object_types import standard_object_types
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.store import association_types as type_store
from hubgraph.store.associations import insert_associations
from hubgraph.store.tables import association_type_sequences
from tests.support.portals import Portal

# The current spec's prefix and the one the official Python SDK calls.
PREFIXES = ["/crm/associations/v4", "/crm/v4/associations"]
SPEC, SDK = PREFIXES


def labels_url(from_type: str, to_type: str, prefix: str = SDK) -> str:
    return f"{prefix}/{from_type}/{to_type}/labels"


def configurations_url(from_type: str, to_type: str, op: str = "", prefix: str = SDK) -> str:
    url = f"{prefix}/definitions/configurations/{from_type}/{to_type}"
    return f"{url}/batch/{op}" if op else url


def create_label(
    portal: Portal,
    from_type: str,
    to_type: str,
    name: str,
    label: str,
    inverse_label: str | None = None,
    prefix: str = SDK,
) -> list[dict[str, Any]]:
    body: dict[str, Any] = {"name": name, "label": label}
    if inverse_label is not None:
        body["inverseLabel"] = inverse_label
    response = portal.post(labels_url(from_type, to_type, prefix), json=body)
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def legacy_label(
    portal: Portal,
    from_type: str,
    to_type: str,
    name: str,
    label: str,
    inverse_label: str | None = None,
    *,
    first_id: int,
) -> list[dict[str, Any]]:
    """A label numbered from ``first_id`` even where HubSpot defines that typeId.

    hubgraph no longer hands such ids out (migration 0008), but a snapshot or an export
    from before can still carry them; the code must keep telling types apart by category.
    """
    services: Services = portal.client.app.state.services  # type: ignore[attr-defined]
    registry = standard_object_types()
    a, b = registry.resolve(from_type).id, registry.resolve(to_type).id
    definition = LabelDefinition(a, b, label, inverse_label)
    created = definition.types(list(range(first_id, first_id + definition.type_count)))
    with services.database.write() as conn:
        type_store.insert_types(conn, portal.id, created, name, now_ms())
        conn.execute(
            insert(association_type_sequences).values(
                portal_id=portal.id, next_type_id=first_id + definition.type_count
            )
        )
    return [
        {"category": t.category.value, "typeId": t.type_id, "label": t.label}
        for t in sorted(created, key=lambda t: -t.type_id)
    ]


def listed(
    portal: Portal, from_type: str, to_type: str, prefix: str = SDK
) -> set[tuple[str, int, str | None]]:
    response = portal.get(labels_url(from_type, to_type, prefix))
    assert response.status_code == 200, response.text
    return {(t["category"], t["typeId"], t["label"]) for t in response.json()["results"]}


def set_limits(
    portal: Portal,
    from_type: str,
    to_type: str,
    limits: list[tuple[str, int, int]],
    op: str = "create",
) -> httpx.Response:
    inputs = [{"category": c, "typeId": t, "maxToObjectIds": m} for c, t, m in limits]
    return portal.post(configurations_url(from_type, to_type, op), json={"inputs": inputs})


def purge(
    portal: Portal, from_type: str, to_type: str, specs: list[tuple[str, int]]
) -> httpx.Response:
    inputs = [{"category": c, "typeId": t} for c, t in specs]
    return portal.post(configurations_url(from_type, to_type, "purge"), json={"inputs": inputs})


def associate(
    portal: Portal, from_type: str, to_type: str, pairs: list[tuple[str, str]]
) -> httpx.Response:
    body = {"inputs": [{"from": {"id": f}, "to": {"id": t}} for f, t in pairs]}
    return portal.post(
        f"/crm/v4/associations/{from_type}/{to_type}/batch/associate/default", json=body
    )


def store_labelled(
    services: Services,
    portal: Portal,
    rows: list[tuple[str, str, str, str, int]],
) -> None:
    """Write USER_DEFINED association rows straight to the store: (from type id, from id,
    to type id, to id, typeId). The labelled record endpoints are another branch's work."""
    with services.database.write() as conn:
        insert_associations(
            conn,
            portal.id,
            [
                Association(f, int(fi), t, int(ti), Category.USER_DEFINED, type_id)
                for f, fi, t, ti, type_id in rows
            ],
            now_ms(),
        )
