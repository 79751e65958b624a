"""POST /crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read"""

from __future__ import annotations

from typing import Any

import pytest

from hubgraph.services.associations.reads import FIRST_CHUNK
from hubgraph.services.context import Services
from tests.support.associations_v4 import (
    add_label,
    associate_many,
    batch_create,
    put_labels,
    spec,
    with_scopes,
)
from tests.support.portals import Portal

URL = "/crm/v4/associations/{}/{}/batch/read"


def read(
    portal: Portal, *inputs: dict[str, Any], path: tuple[str, str] = ("contacts", "companies")
) -> Any:
    return portal.post(URL.format(*path), json={"inputs": list(inputs)})


def test_200_with_every_type_of_every_associated_record(portal: Portal, services: Services) -> None:
    add_label(services, portal, "0-1", "0-2", 28, "Billing")
    [contact] = portal.create_records("contacts", 1)
    a, b = portal.create_records("companies", 2)
    put_labels(portal, "contacts", contact, "companies", a, [spec(1), spec(28, "USER_DEFINED")])
    put_labels(portal, "contacts", contact, "companies", b, [])
    response = read(portal, {"id": contact})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "COMPLETE"
    assert "errors" not in body
    assert body["results"] == [
        {
            "from": {"id": contact},
            "to": [
                {
                    "toObjectId": int(a),
                    "associationTypes": [
                        {"category": "HUBSPOT_DEFINED", "typeId": 279, "label": None},
                        {"category": "HUBSPOT_DEFINED", "typeId": 1, "label": "Primary"},
                        {"category": "USER_DEFINED", "typeId": 28, "label": "Billing"},
                    ],
                },
                {
                    "toObjectId": int(b),
                    "associationTypes": [
                        {"category": "HUBSPOT_DEFINED", "typeId": 279, "label": None}
                    ],
                },
            ],
        }
    ]


def test_reads_the_reverse_direction_too(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    [company] = portal.create_records("companies", 1)
    put_labels(portal, "contacts", contact, "companies", company, [spec(1)])
    body = read(portal, {"id": company}, path=("companies", "contacts")).json()
    assert body["results"][0]["to"] == [
        {
            "toObjectId": int(contact),
            "associationTypes": [
                {"category": "HUBSPOT_DEFINED", "typeId": 280, "label": None},
                {"category": "HUBSPOT_DEFINED", "typeId": 2, "label": "Primary"},
            ],
        }
    ]


def test_inputs_without_associations_are_207_error_items(portal: Portal) -> None:
    with_one, without = portal.create_records("contacts", 2)
    [company] = portal.create_records("companies", 1)
    associate_many(portal, with_one, [company])
    response = read(portal, {"id": with_one}, {"id": without}, {"id": "424242424242"})
    assert response.status_code == 207
    body = response.json()
    assert [r["from"]["id"] for r in body["results"]] == [with_one]
    assert body["numErrors"] == 2
    assert body["errors"][0] == {
        "status": "error",
        "category": "OBJECT_NOT_FOUND",
        "subCategory": "crm.associations.NO_ASSOCIATIONS_FOUND",
        "message": f"No company is associated with contact {without}.",
        "context": {
            "fromObjectId": [without],
            "fromObjectType": ["contact"],
            "toObjectType": ["company"],
        },
        "errors": [],
        "links": {},
    }
    assert body["errors"][1]["message"] == "No company is associated with contact 424242424242."


def test_207_even_when_every_input_fails(portal: Portal) -> None:
    response = read(portal, {"id": "424242"}, {"id": "abc"}, path=("deals", "companies"))
    assert response.status_code == 207
    body = response.json()
    assert body["results"] == []
    assert body["errors"][0]["message"] == "No company is associated with deal 424242."


def test_each_input_pages_on_its_own_across_three_pages(portal: Portal) -> None:
    big, small = portal.create_records("contacts", 2)
    companies = portal.create_records("companies", 1001)
    associate_many(portal, big, companies)
    associate_many(portal, small, companies[:1])
    body = read(portal, {"id": big}, {"id": small}).json()
    first, other = body["results"]
    assert len(first["to"]) == 500
    assert "paging" in first
    assert other == {
        "from": {"id": small},
        "to": [
            {
                "toObjectId": int(companies[0]),
                "associationTypes": [{"category": "HUBSPOT_DEFINED", "typeId": 279, "label": None}],
            }
        ],
    }
    seen = [t["toObjectId"] for t in first["to"]]
    after = first["paging"]["next"]["after"]
    pages = 1
    while True:
        response = read(portal, {"id": big, "after": after})
        assert response.status_code == 200
        [page] = response.json()["results"]
        pages += 1
        seen += [t["toObjectId"] for t in page["to"]]
        if "paging" not in page:
            break
        after = page["paging"]["next"]["after"]
    assert pages == 3
    assert seen == [int(c) for c in companies]


def test_a_page_holds_500_records_however_many_types_each_has(
    portal: Portal, services: Services
) -> None:
    # Two types a target: the first 501 rows of the page are only 251 records.
    add_label(services, portal, "0-1", "0-2", 28, "Billing")
    big, small = portal.create_records("contacts", 2)
    companies = portal.create_records("companies", 502)
    associate_many(portal, big, companies)
    associate_many(portal, small, companies[:2])
    labelled = [(big, c, [spec(28, "USER_DEFINED")]) for c in companies]
    assert batch_create(portal, "contacts", "companies", labelled).status_code == 201
    both = [
        {"category": "HUBSPOT_DEFINED", "typeId": 279, "label": None},
        {"category": "USER_DEFINED", "typeId": 28, "label": "Billing"},
    ]
    first, other = read(portal, {"id": big}, {"id": small}).json()["results"]
    assert [t["toObjectId"] for t in first["to"]] == [int(c) for c in companies[:500]]
    assert all(t["associationTypes"] == both for t in first["to"])
    assert len(other["to"]) == 2
    after = first["paging"]["next"]["after"]
    [rest] = read(portal, {"id": big, "after": after}, {"id": small}).json()["results"][:1]
    assert [t["toObjectId"] for t in rest["to"]] == [int(c) for c in companies[500:]]
    assert "paging" not in rest


def test_archived_records_are_hidden(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    kept, gone = portal.create_records("companies", 2)
    associate_many(portal, contact, [kept, gone])
    portal.delete(f"/crm/v3/objects/companies/{gone}")
    body = read(portal, {"id": contact}).json()
    assert [t["toObjectId"] for t in body["results"][0]["to"]] == [int(kept)]
    portal.delete(f"/crm/v3/objects/contacts/{contact}")
    response = read(portal, {"id": contact})
    assert response.status_code == 207
    assert response.json()["results"] == []


def test_an_id_sent_twice_is_answered_once(portal: Portal) -> None:
    [contact] = portal.create_records("contacts", 1)
    associate_many(portal, contact, portal.create_records("companies", 1))
    body = read(portal, {"id": contact}, {"id": contact}).json()
    assert len(body["results"]) == 1


def test_1000_inputs_are_accepted_and_1001_refused(portal: Portal) -> None:
    inputs = [{"id": str(i)} for i in range(1, 1002)]
    response = read(portal, *inputs[:1000])
    assert response.status_code == 207
    assert response.json()["numErrors"] == 1000
    response = read(portal, *inputs)
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"
    assert response.json()["message"] == (
        "The maximum number of inputs supported in a batch is 1000. "
        "Please reduce the number of items and try again"
    )


def test_needs_a_read_scope_of_the_from_type(portal: Portal, services: Services) -> None:
    wrong = with_scopes(services, portal, ["crm.objects.companies.read"])
    assert read(wrong, {"id": "1"}).status_code == 403
    right = with_scopes(services, portal, ["crm.objects.contacts.read"])
    assert read(right, {"id": "1"}).status_code == 207


@pytest.mark.parametrize(
    "body", [{}, {"inputs": [{}]}, {"inputs": [{"id": "1", "after": "junk!"}]}]
)
def test_bad_bodies_are_a_400(portal: Portal, body: Any) -> None:
    response = portal.post(URL.format("contacts", "companies"), json=body)
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"


def test_inputs_read_in_several_chunks_answer_in_input_order(portal: Portal) -> None:
    # 45 inputs: a first chunk of FIRST_CHUNK (20), then the rest
    contacts = portal.create_records("contacts", 44)
    companies = portal.create_records("companies", 2)
    for n, contact in enumerate(contacts):
        if n % 3:
            associate_many(portal, contact, companies[: 1 + n % 2])
    inputs = [*reversed(contacts), "424242424242"]
    body = read(portal, *({"id": c} for c in inputs)).json()
    answered = [c for c in inputs if c in contacts and contacts.index(c) % 3]
    assert [r["from"]["id"] for r in body["results"]] == answered
    assert [len(r["to"]) for r in body["results"]] == [1 + contacts.index(c) % 2 for c in answered]
    missing = [c for c in inputs if c not in answered]
    assert [e["context"]["fromObjectId"] for e in body["errors"]] == [[c] for c in missing]


def test_a_bad_cursor_past_the_first_chunk_is_a_400(portal: Portal) -> None:
    inputs = [{"id": str(100 + n)} for n in range(FIRST_CHUNK + 5)]
    inputs.append({"id": "999", "after": "junk!"})
    response = read(portal, *inputs)
    assert response.status_code == 400
    body = response.json()
    assert body["category"] == "VALIDATION_ERROR"
    assert body["message"] == "Invalid paging cursor: junk!"
