"""POST /_hubgraph/objects/{objectType}/{objectId}/restore, and archived records' associations."""

from __future__ import annotations

from hubgraph.services.context import Services
from tests.support.associations_v4 import associated, put_labels, spec, with_scopes
from tests.support.portals import Portal


def test_archive_hides_associations_and_restore_brings_them_back(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    assert (
        put_labels(portal, "contacts", contact, "companies", company, [spec(1)]).status_code == 201
    )
    before_forward = associated(portal, "contacts", contact, "companies")
    before_back = associated(portal, "companies", company, "contacts")

    assert portal.delete(f"/crm/v3/objects/contacts/{contact}").status_code == 204
    assert associated(portal, "companies", company, "contacts") == {}
    read = portal.post(
        "/crm/v4/associations/contacts/companies/batch/read", json={"inputs": [{"id": contact}]}
    )
    assert read.status_code == 207
    # deletes of an archived record's associations leave its rows for the restore
    assert (
        portal.delete(
            f"/crm/v4/objects/companies/{company}/associations/contacts/{contact}"
        ).status_code
        == 204
    )

    response = portal.post(f"/_hubgraph/objects/contacts/{contact}/restore")
    assert response.status_code == 200
    assert response.json()["id"] == contact
    assert response.json()["archived"] is False
    assert portal.get(f"/crm/v3/objects/contacts/{contact}").status_code == 200
    assert associated(portal, "contacts", contact, "companies") == before_forward
    assert associated(portal, "companies", company, "contacts") == before_back


def test_restoring_a_live_record_changes_nothing(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    response = portal.post(f"/_hubgraph/objects/0-1/{contact}/restore")
    assert response.status_code == 200
    assert response.json()["id"] == contact


def test_restoring_a_missing_record_is_a_404(portal: Portal, other_portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    for who, record in ((portal, "424242424242"), (portal, "abc"), (other_portal, contact)):
        response = who.post(f"/_hubgraph/objects/contacts/{record}/restore")
        assert response.status_code == 404
        assert response.json()["category"] == "OBJECT_NOT_FOUND"


def test_restoring_needs_the_write_scope(portal: Portal, services: Services) -> None:
    [contact] = portal.create_records("contacts", 1)
    reader = with_scopes(services, portal, ["crm.objects.contacts.read"])
    assert reader.post(f"/_hubgraph/objects/contacts/{contact}/restore").status_code == 403
