"""POST /crm/v4/associations/{from}/{to}/batch/associate/default"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from hubgraph.services.context import Services
from tests.support.portals import Portal, new_portal

URL = "/crm/v4/associations/{}/{}/batch/associate/default"

# Reference §4.3, the first 15 rows: (from, to, default typeId, inverse typeId).
DEFAULT_PAIRS = [
    ("contacts", "companies", 279, 280),
    ("contacts", "contacts", 449, 449),
    ("companies", "companies", 450, 450),
    ("contacts", "deals", 4, 3),
    ("contacts", "tickets", 15, 16),
    ("deals", "companies", 341, 342),
    ("tickets", "companies", 339, 340),
    ("deals", "deals", 451, 451),
    ("tickets", "tickets", 452, 452),
    ("deals", "tickets", 27, 28),
    ("deals", "line_items", 19, 20),
    ("deals", "quotes", 63, 64),
    ("quotes", "line_items", 67, 68),
    ("quotes", "contacts", 69, 70),
    ("quotes", "companies", 71, 72),
]


def associate(portal: Portal, from_type: str, to_type: str, pairs: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    body = {"inputs": [{"from": {"id": f}, "to": {"id": t}} for f, t in pairs]}
    return portal.post(URL.format(from_type, to_type), json=body)


def specs(body: dict) -> set[tuple[str, str, str, int]]:  # type: ignore[type-arg]
    return {
        (
            r["from"]["id"],
            r["to"]["id"],
            r["associationSpec"]["associationCategory"],
            r["associationSpec"]["associationTypeId"],
        )
        for r in body["results"]
    }


@pytest.mark.parametrize(("from_type", "to_type", "type_id", "inverse_id"), DEFAULT_PAIRS)
def test_default_type_and_inverse_for_each_pair(
    portal: Portal, from_type: str, to_type: str, type_id: int, inverse_id: int
) -> None:
    [a] = portal.create_records(from_type, 1)
    [b] = portal.create_records(to_type, 1)
    response = associate(portal, from_type, to_type, [(a, b)])
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "COMPLETE"
    assert "errors" not in body
    assert specs(body) == {
        (a, b, "HUBSPOT_DEFINED", type_id),
        (b, a, "HUBSPOT_DEFINED", inverse_id),
    }


def test_envelope_timestamps_are_iso_utc_with_milliseconds(portal: Portal) -> None:
    [c] = portal.create_records("contacts", 1)
    [co] = portal.create_records("companies", 1)
    body = associate(portal, "contacts", "companies", [(c, co)]).json()
    for key in ("startedAt", "completedAt"):
        assert body[key].endswith("Z")
        assert len(body[key]) == len("2024-10-21T20:22:42.152Z")
    assert body["startedAt"] <= body["completedAt"]


@pytest.mark.parametrize(
    ("from_path", "to_path"),
    [("contacts", "companies"), ("contact", "company"), ("Contacts", "COMPANIES"), ("0-1", "0-2")],
)
def test_every_path_form_names_the_same_types(portal: Portal, from_path: str, to_path: str) -> None:
    [c] = portal.create_records("contacts", 1)
    [co] = portal.create_records("companies", 1)
    response = associate(portal, from_path, to_path, [(c, co)])
    assert response.status_code == 200
    assert specs(response.json()) == {
        (c, co, "HUBSPOT_DEFINED", 279),
        (co, c, "HUBSPOT_DEFINED", 280),
    }


def test_unknown_object_type_is_400_with_hubspots_message(portal: Portal) -> None:
    response = associate(portal, "contacts", "widgets", [("1", "2")])
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "Unable to infer object type from: widgets"
    assert body["status"] == "error"


def test_pair_without_default_type_is_400(portal: Portal) -> None:
    response = associate(portal, "products", "contacts", [("1", "2")])
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"


def test_repeating_a_pair_creates_nothing_new(portal: Portal, services: Services) -> None:
    [c] = portal.create_records("contacts", 1)
    [co] = portal.create_records("companies", 1)
    first = associate(portal, "contacts", "companies", [(c, co)])
    again = associate(portal, "contacts", "companies", [(c, co), (c, co)])
    reverse = associate(portal, "companies", "contacts", [(co, c)])
    assert specs(first.json()) == specs(again.json())
    assert {(f, t, n) for f, t, _, n in specs(reverse.json())} == {(co, c, 280), (c, co, 279)}
    assert count_rows(services, portal.id) == 2


def count_rows(services: Services, portal_id: int) -> int:
    from sqlalchemy import func, select

    from hubgraph.store.tables import associations

    with services.database.read() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(associations)
                .where(associations.c.portal_id == portal_id)
            ).scalar_one()
        )


def test_missing_ids_are_errors_and_valid_inputs_still_written(
    portal: Portal, services: Services
) -> None:
    [c1, c2] = portal.create_records("contacts", 2)
    [co] = portal.create_records("companies", 1)
    response = associate(
        portal, "contacts", "companies", [(c1, co), (c2, "999999999"), ("abc", co)]
    )
    assert response.status_code == 200
    body = response.json()
    assert specs(body) == {(c1, co, "HUBSPOT_DEFINED", 279), (co, c1, "HUBSPOT_DEFINED", 280)}
    assert body["numErrors"] == 2
    contexts = [e["context"]["INVALID_OBJECT_IDS"] for e in body["errors"]]
    assert ["COMPANY=999999999 is not valid"] in contexts
    assert ["CONTACT=abc is not valid"] in contexts
    for error in body["errors"]:
        assert error["status"] == "error"
        assert error["category"] == "VALIDATION_ERROR"
        assert error["message"] == "One or more associations are invalid"
    assert count_rows(services, portal.id) == 2


def test_ids_of_the_wrong_object_type_are_invalid(portal: Portal) -> None:
    [c] = portal.create_records("contacts", 1)
    [d] = portal.create_records("deals", 1)
    body = associate(portal, "contacts", "companies", [(c, d)]).json()
    assert body["results"] == []
    assert body["errors"][0]["context"]["INVALID_OBJECT_IDS"] == [f"COMPANY={d} is not valid"]


def test_archived_records_cannot_be_associated(portal: Portal) -> None:
    [c] = portal.create_records("contacts", 1)
    [co] = portal.create_records("companies", 1)
    assert portal.delete(f"/crm/v3/objects/companies/{co}").status_code == 204
    body = associate(portal, "contacts", "companies", [(c, co)]).json()
    assert body["results"] == []
    assert body["errors"][0]["context"]["INVALID_OBJECT_IDS"] == [f"COMPANY={co} is not valid"]


@pytest.mark.parametrize(
    "bad_id", ["-5", "0", "1.5", "99999999999999999999999999999", "١٢٣", " 12", ""]
)
def test_ids_that_cannot_name_a_record_are_per_item_errors(portal: Portal, bad_id: str) -> None:
    [co] = portal.create_records("companies", 1)
    response = associate(portal, "contacts", "companies", [(bad_id, co)])
    assert response.status_code == 200
    assert response.json()["errors"][0]["context"]["objectId"] == [bad_id]


def test_all_inputs_invalid_still_answers_200(portal: Portal) -> None:
    response = associate(portal, "contacts", "companies", [("1", "2"), ("3", "4")])
    assert response.status_code == 200
    body = response.json()
    assert body["results"] == []
    assert body["numErrors"] == 2


def test_empty_inputs_are_fine(portal: Portal) -> None:
    response = associate(portal, "contacts", "companies", [])
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_more_than_2000_inputs_is_400(portal: Portal) -> None:
    pairs = [(str(i + 1), str(i + 1)) for i in range(2001)]
    response = associate(portal, "contacts", "companies", pairs)
    assert response.status_code == 400
    body = response.json()
    assert body["category"] == "VALIDATION_ERROR"
    assert "2000" in body["message"]


def test_exactly_2000_inputs_are_accepted(portal: Portal, services: Services) -> None:
    contacts = portal.create_records("contacts", 1000)
    companies = portal.create_records("companies", 2)
    pairs = [(c, co) for c in contacts for co in companies]
    assert len(pairs) == 2000
    response = associate(portal, "contacts", "companies", pairs)
    assert response.status_code == 200
    assert len(response.json()["results"]) == 4000
    assert count_rows(services, portal.id) == 4000


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"", "a request body was expected, but none found"),
        (b"{", "Invalid input JSON"),
        (b'{"inputs": [}', "Invalid input JSON"),
        (b'"inputs"', "Invalid input JSON"),
        (b"[]", "Invalid input JSON"),
        (b'{"inputs": {"from": {"id": "1"}}}', "inputs"),
        (b'{"inputs": [{"from": {"id": "1"}}]}', "inputs.0.to"),
        (b'{"inputs": [{"from": {"id": null}, "to": {"id": "1"}}]}', "inputs.0.from.id"),
        (b'{"inputs": [{"from": "1", "to": "2"}]}', "inputs.0.from"),
        (b'{"inputs": null}', "inputs"),
        (b"{}", "inputs"),
    ],
)
def test_malformed_bodies_are_400_in_hubspots_envelope(
    portal: Portal, body: bytes, fragment: str
) -> None:
    response = portal.post(
        URL.format("contacts", "companies"),
        content=body,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    payload = response.json()
    assert payload["status"] == "error"
    assert payload["category"] == "VALIDATION_ERROR"
    assert fragment in payload["message"] or fragment in str(payload.get("errors"))
    assert payload["correlationId"] == response.headers["X-HubSpot-Correlation-Id"]


def test_numeric_ids_are_accepted_as_jackson_does(portal: Portal) -> None:
    [c] = portal.create_records("contacts", 1)
    [co] = portal.create_records("companies", 1)
    body = {"inputs": [{"from": {"id": int(c)}, "to": {"id": int(co)}}]}
    response = portal.post(URL.format("contacts", "companies"), json=body)
    assert response.status_code == 200
    assert len(response.json()["results"]) == 2


def test_portals_never_see_each_others_records(
    portal: Portal, other_portal: Portal, services: Services
) -> None:
    [c] = portal.create_records("contacts", 1)
    [co] = portal.create_records("companies", 1)
    body = associate(other_portal, "contacts", "companies", [(c, co)]).json()
    assert body["results"] == []
    assert body["numErrors"] == 1
    assert count_rows(services, other_portal.id) == 0
    assert count_rows(services, portal.id) == 0


def test_read_only_token_is_403_missing_scopes(services: Services, client: TestClient) -> None:
    reader = new_portal(services, client, scopes=["crm.objects.contacts.read"])
    response = associate(reader, "contacts", "companies", [("1", "2")])
    assert response.status_code == 403
    body = response.json()
    assert body["category"] == "MISSING_SCOPES"
    required = body["errors"][0]["context"]["requiredGranularScopes"]
    assert "crm.objects.contacts.write" in required
    assert "crm.objects.companies.write" in required


def test_one_side_write_scope_is_enough(services: Services, client: TestClient) -> None:
    writer = new_portal(services, client, scopes=["crm.objects.contacts.write"])
    response = associate(writer, "contacts", "companies", [("1", "2")])
    assert response.status_code == 200
