"""Routable by portal: what a distributed PostgreSQL (Citus) needs to shard by portal_id.

1. The schema: every table is either distributed (its primary key and every unique
   constraint or index start with the distribution column) or a listed reference table.
2. The statements: a broad run of the API on PostgreSQL, every statement captured
   (SQLAlchemy's ``before_cursor_execute``); each one that touches a distributed table
   filters it on exactly one portal value (tests/support/portal_routing.py).
The whole suite can be checked the same way: HUBGRAPH_CHECK_PORTAL_ROUTING=1.
"""

from __future__ import annotations

import httpx2 as httpx
import pytest
from sqlalchemy import Index, UniqueConstraint

from hubgraph.services.context import Services
from hubgraph.store import oauth, rate_limits  # noqa: F401 - their tables join the metadata
from hubgraph.store.tables import metadata
from tests.support.portal_routing import DISTRIBUTED, REFERENCE, check, violations
from tests.support.portals import Portal
from tests.support.sql_capture import Statement, captured


def test_every_table_is_distributed_by_portal_or_a_reference_table() -> None:
    assert set(metadata.tables) == set(DISTRIBUTED) | (REFERENCE - {"alembic_version"})
    for name, column in DISTRIBUTED.items():
        table = metadata.tables[name]
        assert next(c.name for c in table.primary_key.columns) == column, name
        for constraint in table.constraints:
            if isinstance(constraint, UniqueConstraint):
                assert next(c.name for c in constraint.columns) == column, constraint
        for index in table.indexes:
            if isinstance(index, Index) and index.unique:
                assert next(c.name for c in index.columns) == column, index


@pytest.mark.parametrize(
    ("sql", "rows", "problem"),
    [
        (
            "SELECT objects.id FROM objects WHERE objects.object_type_id = %(t)s",
            {"t": "0-1"},
            "no filter",
        ),
        (
            "SELECT objects.id FROM objects WHERE objects.portal_id IN (%(a)s, %(b)s)",
            {"a": 1, "b": 2},
            "2 portal values",
        ),
        (
            "SELECT a.id FROM objects AS a JOIN associations ON associations.from_id = a.id "
            "WHERE a.portal_id = %(p)s",
            {"p": 1},
            "no filter on the distribution column of associations",
        ),
        ("UPDATE portals SET name=%(n)s", {"n": "x"}, "no filter"),
        (
            "INSERT INTO objects (portal_id, id) VALUES (%(p_m0)s, %(i_m0)s), (%(p_m1)s, %(i_m1)s)",
            {"p_m0": 1, "i_m0": 1, "p_m1": 2, "i_m1": 2},
            "2 portal values",
        ),
    ],
)
def test_the_check_catches_what_cannot_be_routed(
    sql: str, rows: dict[str, object], problem: str
) -> None:
    verdict = check(Statement(sql, (rows,)))
    assert verdict.problem is not None
    assert verdict.problem.startswith(problem), verdict.problem


@pytest.mark.parametrize(
    ("sql", "rows"),
    [
        (
            "SELECT a.id FROM objects AS a JOIN associations "
            "ON associations.portal_id = a.portal_id WHERE a.portal_id = %(p)s",
            {"p": 7},
        ),
        (
            "INSERT INTO associations (portal_id, from_id) SELECT %(portal_id)s::BIGINT AS anon_1, "
            "x.from_id  FROM unnest(%(ids)s) AS x",
            {"portal_id": 7, "ids": "{1}"},
        ),
        ("SELECT tokens.portal_id FROM tokens WHERE tokens.token_hash = %(h)s", {"h": "ab"}),
    ],
)
def test_the_check_passes_what_can_be_routed(sql: str, rows: dict[str, object]) -> None:
    assert check(Statement(sql, (rows,))).problem is None


def exercise(portal: Portal) -> None:
    """Every family of the API once or more: records, associations, labels, limits, reports,
    restore, snapshots, seed, rate limits."""

    def ok(response: httpx.Response) -> None:
        # Each call must do its work, so its statements are the real ones.
        assert response.status_code < 300, response.text

    contacts = portal.create_records("contacts", 4)
    companies = portal.create_records("companies", 3)
    deals = portal.create_records("deals", 2)
    c0, c1, c2 = contacts[0], contacts[1], contacts[2]
    co0, co1 = companies[0], companies[1]
    v4 = "/crm/v4/associations/contacts/companies"
    pairs = {"inputs": [{"from": {"id": c}, "to": {"id": co0}} for c in contacts]}
    ok(portal.post(f"{v4}/batch/associate/default", json=pairs))
    label = portal.post(
        f"{v4}/labels", json={"name": "boss", "label": "Boss", "inverseLabel": "Staff"}
    )
    ok(label)
    type_id = min(r["typeId"] for r in label.json()["results"])
    ok(portal.put(f"{v4}/labels", json={"associationTypeId": type_id, "label": "Chief"}))
    ok(portal.get(f"{v4}/labels"))
    labelled = {"associationCategory": "USER_DEFINED", "associationTypeId": type_id}
    ok(
        portal.post(
            f"{v4}/batch/create",
            json={"inputs": [{"from": {"id": c1}, "to": {"id": co1}, "types": [labelled]}]},
        )
    )
    ok(portal.put(f"/crm/v4/objects/contacts/{c2}/associations/companies/{co1}", json=[labelled]))
    ok(portal.put(f"/crm/v4/objects/contacts/{c2}/associations/default/companies/{co0}"))
    ok(portal.get(f"/crm/v4/objects/contacts/{c0}/associations/companies"))
    ok(portal.post(f"{v4}/batch/read", json={"inputs": [{"id": c} for c in contacts]}))
    ok(
        portal.post(
            f"{v4}/batch/labels/archive",
            json={"inputs": [{"from": {"id": c1}, "to": {"id": co1}, "types": [labelled]}]},
        )
    )
    ok(
        portal.post(
            f"{v4}/batch/archive", json={"inputs": [{"from": {"id": c0}, "to": [{"id": co0}]}]}
        )
    )
    ok(portal.delete(f"/crm/v4/objects/contacts/{c2}/associations/companies/{co1}"))
    ok(portal.delete(f"{v4}/labels/{type_id}"))
    limits = "/crm/v4/associations/definitions/configurations/deals/companies"
    limit = {"category": "HUBSPOT_DEFINED", "typeId": 341, "maxToObjectIds": 2}
    ok(portal.post(f"{limits}/batch/create", json={"inputs": [limit]}))
    ok(portal.post(f"{limits}/batch/update", json={"inputs": [{**limit, "maxToObjectIds": 3}]}))
    ok(portal.get(limits))
    ok(portal.get("/crm/v4/associations/definitions/configurations/all"))
    ok(
        portal.post(
            "/crm/v4/associations/deals/companies/batch/associate/default",
            json={"inputs": [{"from": {"id": deals[0]}, "to": {"id": c}} for c in companies]},
        )
    )
    ok(
        portal.post(
            f"{limits}/batch/purge",
            json={"inputs": [{"category": "HUBSPOT_DEFINED", "typeId": 341}]},
        )
    )
    ok(portal.post("/crm/v4/associations/usage/high-usage-report/1"))
    ok(portal.get("/_hubgraph/reports/high-usage/1"))
    # records
    objects = "/crm/v3/objects/contacts"
    ok(
        portal.post(
            objects,
            json={
                "properties": {"email": "a@example.com"},
                "associations": [
                    {
                        "to": {"id": co0},
                        "types": [
                            {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 279}
                        ],
                    }
                ],
            },
        )
    )
    ok(portal.get(f"{objects}?associations=companies&limit=10"))
    ok(portal.get(f"{objects}/{c0}?associations=companies,deals"))
    ok(portal.request("PATCH", f"{objects}/{c0}", json={"properties": {"firstname": "x"}}))
    ok(
        portal.post(
            f"{objects}/batch/read",
            json={"inputs": [{"id": c} for c in contacts], "properties": ["name"]},
        )
    )
    ok(
        portal.post(
            f"{objects}/batch/update",
            json={"inputs": [{"id": c1, "properties": {"lastname": "b"}}]},
        )
    )
    ok(portal.post(f"{objects}/batch/archive", json={"inputs": [{"id": c1}]}))
    ok(portal.delete(f"{objects}/{contacts[3]}"))
    ok(portal.post(f"/_hubgraph/objects/contacts/{c1}/restore"))
    # the control plane: a tier, a snapshot and its restore, a seed, a reset
    ok(portal.put(f"/_hubgraph/portals/{portal.id}/rate-limits", json={"tier": "starter"}))
    ok(portal.get(f"{objects}/{c0}"))
    ok(portal.delete(f"/_hubgraph/portals/{portal.id}/rate-limits"))
    snapshot = portal.get(f"/_hubgraph/portals/{portal.id}/snapshot")
    ok(snapshot)
    ok(portal.put(f"/_hubgraph/portals/{portal.id}/snapshot", json=snapshot.json()))
    ok(
        portal.post(
            f"/_hubgraph/portals/{portal.id}/seed",
            json={
                "records": {
                    "contacts": [{"ref": "s1", "properties": {"firstname": "s"}}],
                    "companies": [{"ref": "s2", "properties": {"name": "t"}}],
                },
                "associations": [{"from": "s1", "to": "s2"}],
            },
        )
    )
    ok(portal.post(f"/_hubgraph/portals/{portal.id}/reset"))


def test_a_broad_run_of_the_api_is_routable_by_portal(
    database_url: str, services: Services, portal: Portal
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("the property is PostgreSQL's (Citus); SQLite runs the same statements")
    with captured(services.database.engine) as capture:
        exercise(portal)
    distributed = [s for s in capture.statements if check(s).tables & DISTRIBUTED.keys()]
    assert len(distributed) > 80, "the run touched too little to mean anything"
    found = violations(capture.statements)
    assert not found, "\n".join(f"{v.problem}: {v.statement.sql}" for v in found)
    # The same portal throughout: every routed statement names this portal's id.
    assert {value for s in distributed for value in check(s).portal_values} == {portal.id}
