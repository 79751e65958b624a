"""DELETE /crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}"""

from __future__ import annotations

from hubgraph.services.context import Services
from tests.support.associations_v4 import (
    add_label,
    associated,
    put_default,
    put_labels,
    spec,
    with_scopes,
)
from tests.support.portals import Portal

URL = "/crm/v4/objects/{}/{}/associations/{}/{}"


def test_removes_every_type_in_both_directions(portal: Portal, services: Services) -> None:
    add_label(services, portal, "0-1", "0-2", 31, "Decision maker")
    [contact] = portal.create_records("contacts", 1)
    kept, gone = portal.create_records("companies", 2)
    put_labels(portal, "contacts", contact, "companies", gone, [spec(1), spec(31, "USER_DEFINED")])
    put_default(portal, "contacts", contact, "companies", kept)
    response = portal.delete(URL.format("contacts", contact, "companies", gone))
    assert response.status_code == 204
    assert response.content == b""
    assert set(associated(portal, "contacts", contact, "companies")) == {int(kept)}
    assert associated(portal, "companies", gone, "contacts") == {}
    assert set(associated(portal, "companies", kept, "contacts")) == {int(contact)}


def test_deleting_from_the_other_side_removes_both_directions(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    put_default(portal, "contacts", contact, "companies", company)
    assert portal.delete(URL.format("0-2", company, "contact", contact)).status_code == 204
    assert associated(portal, "contacts", contact, "companies") == {}
    assert associated(portal, "companies", company, "contacts") == {}


def test_is_idempotent(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    put_default(portal, "contacts", contact, "companies", company)
    for _ in range(2):
        assert (
            portal.delete(URL.format("contacts", contact, "companies", company)).status_code == 204
        )
    assert portal.delete(URL.format("contacts", "424242", "companies", "x")).status_code == 204


def test_needs_a_write_scope(portal: Portal, services: Services) -> None:
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    put_default(portal, "contacts", contact, "companies", company)
    reader = with_scopes(services, portal, ["crm.objects.contacts.read"])
    assert reader.delete(URL.format("contacts", contact, "companies", company)).status_code == 403
    assert set(associated(portal, "contacts", contact, "companies")) == {int(company)}


def test_unknown_object_type_is_a_400(portal: Portal) -> None:
    response = portal.delete(URL.format("widgets", "1", "companies", "2"))
    assert response.status_code == 400
    assert response.json()["message"] == "Unable to infer object type from: widgets"
