"""A limit is checked on the state a request leaves: rows the same request removes (a
replaced label, a demoted primary) free their slot."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.association_schema import create_label, set_limits
from tests.support.associations_v4 import associated, batch_create, put_labels, spec
from tests.support.portals import Portal

HD, UD = "HUBSPOT_DEFINED", "USER_DEFINED"
UNLABELED = (HD, 279, None)
PRIMARY = (HD, 1, "Primary")


@pytest.mark.parametrize("path", ["put", "batch", "batch from the company"])
def test_switching_the_primary_company_within_a_limit_of_one(portal: Portal, path: str) -> None:
    assert set_limits(portal, "contacts", "companies", [(HD, 1, 1)]).status_code == 201
    [c] = portal.create_records("contacts", 1)
    co1, co2 = portal.create_records("companies", 2)
    assert put_labels(portal, "contacts", c, "companies", co1, [spec(1)]).status_code == 201
    if path == "put":
        response = put_labels(portal, "contacts", c, "companies", co2, [spec(1)])
    elif path == "batch":
        response = batch_create(portal, "contacts", "companies", [(c, co2, [spec(1)])])
    else:
        response = batch_create(portal, "companies", "contacts", [(co2, c, [spec(2)])])
    assert response.status_code == 201, response.text
    assert associated(portal, "contacts", c, "companies") == {
        int(co1): {UNLABELED},
        int(co2): {UNLABELED, PRIMARY},
    }


def decider(portal: Portal, limit: int) -> int:
    created = create_label(portal, "contacts", "companies", "decider", "Decision maker", "Decides")
    forward = next(r["typeId"] for r in created if r["label"] == "Decision maker")
    assert set_limits(portal, "contacts", "companies", [(UD, forward, limit)]).status_code == 201
    return forward


@pytest.mark.parametrize("removal_first", [True, False])
def test_moving_a_label_in_one_batch(portal: Portal, removal_first: bool) -> None:
    label = decider(portal, 1)
    [c] = portal.create_records("contacts", 1)
    co1, co2 = portal.create_records("companies", 2)
    put_labels(portal, "contacts", c, "companies", co1, [spec(label, UD)])
    inputs: list[tuple[str, str, list[Any]]] = [(c, co1, []), (c, co2, [spec(label, UD)])]
    response = batch_create(
        portal, "contacts", "companies", inputs if removal_first else inputs[::-1]
    )
    assert response.status_code == 201, response.text
    assert associated(portal, "contacts", c, "companies") == {
        int(co1): {UNLABELED},
        int(co2): {UNLABELED, (UD, label, "Decision maker")},
    }


def test_a_refused_input_frees_nothing(portal: Portal) -> None:
    """The removal is credited only when its input is written."""
    label = decider(portal, 1)
    assert set_limits(portal, "contacts", "companies", [(HD, 931, 1)]).status_code == 201
    [c] = portal.create_records("contacts", 1)
    co1, co2, co3 = portal.create_records("companies", 3)
    put_labels(portal, "contacts", c, "companies", co1, [spec(label, UD)])
    put_labels(portal, "contacts", c, "companies", co3, [spec(931)])
    # Input 1 would drop the label from co1, but its billing contact type is over its limit.
    inputs: list[tuple[str, str, list[Any]]] = [
        (c, co1, [spec(931)]),
        (c, co2, [spec(label, UD)]),
    ]
    response = batch_create(portal, "contacts", "companies", inputs)
    assert response.status_code == 207, response.text
    assert response.json()["numErrors"] == 2
    assert associated(portal, "contacts", c, "companies") == {
        int(co1): {UNLABELED, (UD, label, "Decision maker")},
        int(co3): {UNLABELED, (HD, 931, "Billing contact")},
    }


def test_a_label_replaced_on_the_same_pair_stays_within_its_limit(portal: Portal) -> None:
    label = decider(portal, 1)
    [c] = portal.create_records("contacts", 1)
    co1, co2 = portal.create_records("companies", 2)
    put_labels(portal, "contacts", c, "companies", co1, [spec(label, UD)])
    # Still one label on c after the request: replaced on co1 by primary, added on co2.
    assert put_labels(portal, "contacts", c, "companies", co1, [spec(1)]).status_code == 201
    assert put_labels(portal, "contacts", c, "companies", co2, [spec(label, UD)]).status_code == 201
    over = put_labels(portal, "contacts", c, "companies", co1, [spec(1), spec(label, UD)])
    assert over.status_code == 400
    assert associated(portal, "contacts", c, "companies")[int(co1)] == {UNLABELED, PRIMARY}


def test_an_archived_primary_is_demoted_and_the_new_one_is_within_the_limit(
    portal: Portal,
) -> None:
    assert set_limits(portal, "contacts", "companies", [(HD, 1, 1)]).status_code == 201
    [c] = portal.create_records("contacts", 1)
    co1, co2 = portal.create_records("companies", 2)
    put_labels(portal, "contacts", c, "companies", co1, [spec(1)])
    assert portal.delete(f"/crm/v3/objects/companies/{co1}").status_code == 204
    assert put_labels(portal, "contacts", c, "companies", co2, [spec(1)]).status_code == 201
    assert associated(portal, "contacts", c, "companies") == {int(co2): {UNLABELED, PRIMARY}}
    # Restored, co1 comes back without its primary: c keeps one.
    assert portal.post(f"/_hubgraph/objects/companies/{co1}/restore").status_code == 200
    assert associated(portal, "contacts", c, "companies") == {
        int(co1): {UNLABELED},
        int(co2): {UNLABELED, PRIMARY},
    }
