"""Owners and pipelines in seed files, snapshots, resets and export/import."""

from __future__ import annotations

from pathlib import Path

import pytest

from hubgraph.errors import ValidationError
from hubgraph.services.access import portals
from hubgraph.services.context import Services
from hubgraph.services.portability import seed, snapshots, transfer
from tests.support.portals import Portal

FIXTURE = b"""
owners:
  - {id: 41629779, email: rep@example.com, firstName: Rea, teams: [{name: West}]}
  - {email: other@example.com}
pipelines:
  deals:
    - id: renewals
      label: Renewals
      stages:
        - {id: due, label: Due, metadata: {probability: 0.5}}
        - {id: renewed, label: Renewed, metadata: {probability: 1.0}}
  tickets:
    - {label: Escalations, stages: [{label: Triage}]}
records:
  deals:
    - ref: big
      properties: {dealname: Big, pipeline: renewals, dealstage: due, hubspot_owner_id: "41629779"}
"""


def test_seed_owners_pipelines_and_records_that_use_them(
    portal: Portal, services: Services
) -> None:
    result = seed.seed_portal(services, portal.id, seed.parse_fixture(FIXTURE, "f.yaml"))
    body = result.as_json()
    assert body["owners"][0] == "41629779"
    assert body["pipelines"]["0-3"] == ["renewals"]
    owners = portal.get("/crm/v3/owners/").json()["results"]
    # the chosen id moved the counter past it: the second owner comes after
    assert [o["email"] for o in owners] == ["rep@example.com", "other@example.com"]
    deals = portal.get("/crm/v3/pipelines/deals").json()["results"]
    assert [p["id"] for p in deals] == ["default", "renewals"]
    assert deals[1]["stages"][1]["metadata"] == {"probability": "1.0", "isClosed": "true"}
    (tickets_extra,) = portal.get("/crm/v3/pipelines/tickets").json()["results"][1:]
    assert tickets_extra["stages"][0]["metadata"]["ticketState"] == "OPEN"


@pytest.mark.parametrize(
    ("fixture", "where"),
    [
        (b"records: {deals: [{properties: {pipeline: default, dealstage: nope}}]}", None),
        (b"owners: [{email: a@example.com, bogus: 1}]", "owners[0]"),
        (b"pipelines: {contacts: [{label: X}]}", "pipelines.contacts"),
        (b"pipelines: {deals: [{label: X, stages: [{label: S}]}]}", "pipelines.deals[0]"),
    ],
)
def test_a_bad_seed_writes_nothing(
    portal: Portal, services: Services, fixture: bytes, where: str | None
) -> None:
    prefix = b"owners: [{email: first@example.com}]\n" if not fixture.startswith(b"owners") else b""
    with pytest.raises(ValidationError) as refused:
        seed.seed_portal(services, portal.id, seed.parse_fixture(prefix + fixture, "f.yaml"))
    if where is not None:
        assert refused.value.message.startswith(where)
    assert portal.get("/crm/v3/owners/").json() == {"results": []}
    assert len(portal.get("/crm/v3/pipelines/deals").json()["results"]) == 1


def test_snapshots_and_exports_carry_owners_and_pipelines(
    portal: Portal, services: Services, tmp_path: Path
) -> None:
    seed.seed_portal(services, portal.id, seed.parse_fixture(FIXTURE, "f.yaml"))
    taken = snapshots.take_snapshot(services, portal.id)
    for table in ("owners", "pipelines", "pipeline_stages", "pipeline_audits"):
        assert taken["tables"][table], table

    copy = portals.create_portal(services, "copy")
    snapshots.restore_snapshot(services, copy, taken)
    assert snapshots.take_snapshot(services, copy)["tables"] == taken["tables"]

    dump = tmp_path / "dump.jsonl"
    with dump.open("wb") as out:
        counts = transfer.export_portal(services, portal.id, out)
    assert counts["owners"] == 2
    imported = portals.create_portal(services, "imported")
    transfer.import_portal(services, imported, dump)
    assert snapshots.take_snapshot(services, imported)["tables"] == taken["tables"]


def test_a_reset_portal_starts_again_from_the_defaults(portal: Portal, services: Services) -> None:
    seed.seed_portal(services, portal.id, seed.parse_fixture(FIXTURE, "f.yaml"))
    snapshots.reset_portal(services, portal.id)
    assert portal.get("/crm/v3/owners/").json() == {"results": []}
    assert [p["id"] for p in portal.get("/crm/v3/pipelines/deals").json()["results"]] == ["default"]
