"""A portal with some of everything a snapshot or export must carry, for round-trip tests."""

from __future__ import annotations

from sqlalchemy import insert, update

from hubgraph.services.context import Services
from hubgraph.store.tables import association_limits, association_types, objects
from tests.support.portals import Portal


def populate(portal: Portal, services: Services) -> dict[str, list[str]]:
    """Records (one archived), default associations, a label, a limit; the record ids."""
    contacts = portal.create_records("contacts", 3)
    companies = portal.create_records("companies", 2)
    inputs = [{"from": {"id": c}, "to": {"id": companies[0]}} for c in contacts]
    inputs.append({"from": {"id": contacts[0]}, "to": {"id": companies[1]}})
    response = portal.post(
        "/crm/v4/associations/contacts/companies/batch/associate/default", json={"inputs": inputs}
    )
    assert response.status_code == 200, response.text
    assert portal.delete(f"/crm/v3/objects/companies/{companies[1]}").status_code == 204
    with services.database.write() as conn:
        conn.execute(
            insert(association_types).values(
                portal_id=portal.id,
                category=2,
                type_id=1001,
                from_type="0-1",
                to_type="0-2",
                name="manager",
                label="Manager",
                inverse_type_id=1002,
                created_at=1,
            )
        )
        conn.execute(
            insert(association_limits).values(
                portal_id=portal.id,
                from_type="0-1",
                to_type="0-2",
                category=1,
                type_id=279,
                max_to_object_ids=5,
            )
        )
        # a property value that needs care in JSON: unicode, quotes, a null
        conn.execute(
            update(objects)
            .where(objects.c.portal_id == portal.id, objects.c.id == int(contacts[1]))
            .values(properties={"firstname": 'Zoë "Z" O\'Neil\n', "email": None})
        )
    return {"contacts": contacts, "companies": companies}
