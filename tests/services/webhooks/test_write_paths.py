"""Events from every write path the issue names, on both databases: objects v3 (property
changes per subscribed property, batch writes, restore, merge) and associations v4
(labelled, batch, deletes). Writes go through the official SDK; every request that
arrives is checked with the SDK's ``Signature.is_valid`` (v1 and v3)."""

from __future__ import annotations

from typing import Any

import httpx2 as httpx
from hubspot.crm.associations.v4 import (
    AssociationSpec,
    BatchInputPublicAssociationMultiArchive,
    BatchInputPublicAssociationMultiPost,
    BatchInputPublicDefaultAssociationMultiPost,
    PublicAssociationMultiArchive,
    PublicAssociationMultiPost,
    PublicDefaultAssociationMultiPost,
)
from hubspot.crm.contacts import (
    BatchInputSimplePublicObjectBatchInput,
    BatchInputSimplePublicObjectBatchInputForCreate,
    PublicMergeInput,
    SimplePublicObjectBatchInput,
    SimplePublicObjectBatchInputForCreate,
    SimplePublicObjectInputForCreate,
)
from hubspot.crm.objects import PublicObjectId

from hubgraph.testing.webhooks import HubgraphWebhooks
from tests.support.webhooks import assert_signed, by_type, request_of, sdk

PRIMARY = AssociationSpec(association_category="HUBSPOT_DEFINED", association_type_id=1)
UNLABELED = AssociationSpec(association_category="HUBSPOT_DEFINED", association_type_id=279)


def _create(hooks: HubgraphWebhooks, object_type: str, **properties: str) -> int:
    api = getattr(sdk(hooks.portal).crm, object_type).basic_api
    return int(api.create(SimplePublicObjectInputForCreate(properties=properties)).id)


def _sides(events: list[dict[str, Any]]) -> set[tuple[str, int, int, bool]]:
    return {
        (e["associationType"], e["fromObjectId"], e["toObjectId"], e["associationRemoved"])
        for e in events
        if e["subscriptionType"].endswith(".associationChange")
    }


def _all_signed(hooks: HubgraphWebhooks) -> None:
    assert hooks.receiver.requests
    for request in hooks.receiver.requests:
        assert_signed(hooks, request)


def test_property_changes_only_for_subscribed_properties(hooks: HubgraphWebhooks) -> None:
    hooks.subscribe("contact.propertyChange:email", "contact.propertyChange:firstname")
    email_sub, firstname_sub = hooks.subscriptions
    contacts = sdk(hooks.portal).crm.contacts
    one = _create(hooks, "contacts", firstname="Ada")
    two = _create(hooks, "contacts", firstname="Grace")
    contacts.basic_api.update(
        str(one), {"properties": {"firstname": "Augusta", "lastname": "King", "email": "a@k.org"}}
    )
    contacts.batch_api.update(
        BatchInputSimplePublicObjectBatchInput(
            inputs=[
                SimplePublicObjectBatchInput(id=str(two), properties={"firstname": "Amazing"}),
                SimplePublicObjectBatchInput(id=str(one), properties={"lastname": "Lovelace"}),
            ]
        )
    )
    contacts.basic_api.update(str(one), {"properties": {"email": ""}})  # cleared
    events = hooks.wait_for(4, "contact.propertyChange")
    got = sorted(
        (e["objectId"], e["subscriptionId"], e["propertyName"], e["propertyValue"]) for e in events
    )
    assert got == sorted(
        [
            (one, firstname_sub, "firstname", "Augusta"),
            (one, email_sub, "email", "a@k.org"),
            (two, firstname_sub, "firstname", "Amazing"),
            (one, email_sub, "email", ""),
        ]
    )
    assert all("changeFlag" not in e for e in events)
    _all_signed(hooks)


def test_restore_brings_back_the_record_and_its_associations(hooks: HubgraphWebhooks) -> None:
    hooks.subscribe(
        "contact.deletion",
        "contact.restore",
        "contact.associationChange",
        "company.associationChange",
    )
    contact = _create(hooks, "contacts", firstname="Lazarus")
    company = _create(hooks, "companies", name="Bethany")
    client = sdk(hooks.portal)
    client.crm.associations.v4.basic_api.create_default(
        "contacts", str(contact), "companies", str(company)
    )
    hooks.wait_for(2)  # the association's events, before the archive's
    client.crm.contacts.basic_api.archive(str(contact))
    [deleted] = hooks.wait_for(1, "contact.deletion")
    assert _sides(request_of(hooks, deleted).events) == {
        ("CONTACT_TO_COMPANY", contact, company, True),
        ("COMPANY_TO_CONTACT", company, contact, True),
    }
    with httpx.Client(base_url=hooks.portal.base_url) as http:
        restored = http.post(
            f"/_hubgraph/objects/contacts/{contact}/restore", headers=hooks.portal.headers
        )
    assert restored.status_code == 200, restored.text
    [event] = hooks.wait_for(1, "contact.restore")
    assert event["objectId"] == contact
    assert event["portalId"] == hooks.portal.id
    # §4.2: no fields beyond the common ones
    assert set(event) == {
        "eventId",
        "subscriptionId",
        "portalId",
        "appId",
        "occurredAt",
        "subscriptionType",
        "attemptNumber",
        "objectId",
        "changeSource",
    }
    # the associations come back with it (hubspot-associations.md §10.4): one event a side
    assert _sides(request_of(hooks, event).events) == {
        ("CONTACT_TO_COMPANY", contact, company, False),
        ("COMPANY_TO_CONTACT", company, contact, False),
    }
    _all_signed(hooks)


def test_merge_sends_a_merge_event_and_moves_associations(hooks: HubgraphWebhooks) -> None:
    hooks.subscribe(
        "contact.creation",
        "contact.deletion",
        "contact.merge",
        "contact.associationChange",
        "company.associationChange",
    )
    primary = _create(hooks, "contacts", firstname="Ada", email="ada@example.com")
    other = _create(hooks, "contacts", firstname="Augusta", lastname="King", jobtitle="Countess")
    company = _create(hooks, "companies", name="Analytical Engines")
    client = sdk(hooks.portal)
    client.crm.associations.v4.basic_api.create_default(
        "contacts", str(other), "companies", str(company)
    )
    hooks.wait_for(4)  # two creations, the association's two sides
    merged = client.crm.contacts.basic_api.merge(
        PublicMergeInput(primary_object_id=str(primary), object_id_to_merge=str(other))
    )
    new_id = int(merged.id)
    [event] = hooks.wait_for(1, "contact.merge")
    assert event["objectId"] == primary
    assert event["primaryObjectId"] == primary
    assert event["mergedObjectIds"] == [other]
    assert event["newObjectId"] == new_id
    assert event["numberOfPropertiesMoved"] == 2  # lastname and jobtitle came from `other`
    assert event["changeSource"] == "INTEGRATION"
    # the merge's events travel together: the merge, and the association moved to the new
    # record (removed from the merged one, added to the new one), seen from both sides
    together = request_of(hooks, event).events
    assert _sides(together) == {
        ("CONTACT_TO_COMPANY", other, company, True),
        ("COMPANY_TO_CONTACT", company, other, True),
        ("CONTACT_TO_COMPANY", new_id, company, False),
        ("COMPANY_TO_CONTACT", company, new_id, False),
    }
    assert len(together) == 5  # each row once, though the archive and the move both saw it
    # a merge is its own event: no deletion of the two, no creation of the third
    everything = hooks.receiver.events
    assert by_type(everything, "contact.deletion") == []
    assert [e["objectId"] for e in by_type(everything, "contact.creation")] == [primary, other]
    _all_signed(hooks)


def test_company_merge_event(hooks: HubgraphWebhooks) -> None:
    hooks.subscribe("company.merge")
    a = _create(hooks, "companies", name="Babbage & Co")
    b = _create(hooks, "companies", name="Difference Ltd", domain="difference.example")
    merged = sdk(hooks.portal).crm.companies.basic_api.merge(
        PublicMergeInput(primary_object_id=str(a), object_id_to_merge=str(b))
    )
    [event] = hooks.wait_for(1, "company.merge")
    assert (event["primaryObjectId"], event["mergedObjectIds"]) == (a, [b])
    assert event["newObjectId"] == int(merged.id)
    assert event["numberOfPropertiesMoved"] == 1  # domain
    _all_signed(hooks)


def test_labelled_batch_and_delete_association_writes(hooks: HubgraphWebhooks) -> None:
    hooks.subscribe("contact.associationChange", "company.associationChange")
    contact = _create(hooks, "contacts", firstname="Ada")
    a = _create(hooks, "companies", name="A")
    b = _create(hooks, "companies", name="B")
    c = _create(hooks, "companies", name="C")
    v4 = sdk(hooks.portal).crm.associations.v4

    # labelled single write: the primary label (type 1) beside the unlabelled one (279)
    v4.basic_api.create("contacts", str(contact), "companies", str(a), [PRIMARY, UNLABELED])
    labelled = hooks.wait_for(4)
    contact_side = by_type(labelled, "contact.associationChange")
    assert sorted(e["isPrimaryAssociation"] for e in contact_side) == [False, True]
    assert {(e["fromObjectId"], e["toObjectId"]) for e in contact_side} == {(contact, a)}
    assert {
        (e["associationType"], e["fromObjectId"], e["toObjectId"])
        for e in by_type(labelled, "company.associationChange")
    } == {("COMPANY_TO_CONTACT", a, contact)}
    assert not any(e["associationRemoved"] for e in labelled)

    # batch default and batch labelled writes
    v4.batch_api.create_default(
        "contacts",
        "companies",
        BatchInputPublicDefaultAssociationMultiPost(
            inputs=[
                PublicDefaultAssociationMultiPost(
                    _from=PublicObjectId(id=str(contact)), to=PublicObjectId(id=str(b))
                )
            ]
        ),
    )
    v4.batch_api.create(
        "contacts",
        "companies",
        BatchInputPublicAssociationMultiPost(
            inputs=[
                PublicAssociationMultiPost(
                    _from=PublicObjectId(id=str(contact)),
                    to=PublicObjectId(id=str(c)),
                    types=[UNLABELED],
                )
            ]
        ),
    )
    added = hooks.wait_for(8)[4:]
    assert _sides(added) == {
        ("CONTACT_TO_COMPANY", contact, b, False),
        ("COMPANY_TO_CONTACT", b, contact, False),
        ("CONTACT_TO_COMPANY", contact, c, False),
        ("COMPANY_TO_CONTACT", c, contact, False),
    }

    # deletes: a label only (batch/labels/archive), a pair (DELETE), pairs (batch/archive)
    v4.batch_api.archive_labels(
        "contacts",
        "companies",
        BatchInputPublicAssociationMultiPost(
            inputs=[
                PublicAssociationMultiPost(
                    _from=PublicObjectId(id=str(contact)),
                    to=PublicObjectId(id=str(a)),
                    types=[PRIMARY],
                )
            ]
        ),
    )
    label_gone = hooks.wait_for(10)[8:]  # the primary label's two rows, not the 279 pair
    assert _sides(label_gone) == {
        ("CONTACT_TO_COMPANY", contact, a, True),
        ("COMPANY_TO_CONTACT", a, contact, True),
    }
    assert all(e["isPrimaryAssociation"] for e in label_gone)
    v4.basic_api.archive("contacts", str(contact), "companies", str(b))
    v4.batch_api.archive(
        "contacts",
        "companies",
        BatchInputPublicAssociationMultiArchive(
            inputs=[
                PublicAssociationMultiArchive(
                    _from=PublicObjectId(id=str(contact)),
                    to=[PublicObjectId(id=str(a)), PublicObjectId(id=str(c))],
                )
            ]
        ),
    )
    removed = hooks.wait_for(16)[10:]
    assert _sides(removed) == {
        ("CONTACT_TO_COMPANY", contact, b, True),
        ("COMPANY_TO_CONTACT", b, contact, True),
        ("CONTACT_TO_COMPANY", contact, a, True),
        ("COMPANY_TO_CONTACT", a, contact, True),
        ("CONTACT_TO_COMPANY", contact, c, True),
        ("COMPANY_TO_CONTACT", c, contact, True),
    }
    events = hooks.receiver.events
    assert len({e["eventId"] for e in events}) == len(events) == 16
    _all_signed(hooks)


def test_generic_subscriptions_name_the_object_type(hooks: HubgraphWebhooks) -> None:
    from hubgraph.services.webhooks import management

    hooks.subscribe()
    app = management.DeveloperApp(hooks.app_id)
    services = hooks.portal.server.services
    management.create_subscription(services, app, "object.creation", None, "0-3", True)
    deal = _create(hooks, "deals", dealname="Generic")
    [event] = hooks.wait_for(1, "object.creation")
    assert (event["objectId"], event["objectTypeId"]) == (deal, "0-3")
    _all_signed(hooks)


def test_batch_writes_arrive_in_requests_of_at_most_100(hooks: HubgraphWebhooks) -> None:
    hooks.subscribe("contact.creation")
    batch = sdk(hooks.portal).crm.contacts.batch_api
    made: list[int] = []
    for size in (100, 50):
        created = batch.create(
            BatchInputSimplePublicObjectBatchInputForCreate(
                inputs=[
                    SimplePublicObjectBatchInputForCreate(properties={"firstname": f"n{i}"})
                    for i in range(size)
                ]
            )
        )
        made += [int(r.id) for r in created.results]
    events = hooks.wait_for(150)
    assert sorted(e["objectId"] for e in events) == sorted(made)
    assert len({e["eventId"] for e in events}) == 150
    sizes = [len(r.events) for r in hooks.receiver.requests]
    assert max(sizes) <= 100 < sum(sizes)
    assert len(sizes) < 150  # batched, not one request per event (§4.0)
    _all_signed(hooks)
