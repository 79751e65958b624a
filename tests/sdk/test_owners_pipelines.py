"""The official SDK's ``crm.owners``, ``crm.pipelines`` and ``settings.users`` APIs."""

from __future__ import annotations

import pytest
from hubspot import Client
from hubspot.crm.owners import CollectionResponsePublicOwnerForwardPaging, PublicOwner
from hubspot.crm.owners.exceptions import NotFoundException as OwnerNotFound
from hubspot.crm.pipelines import (
    Pipeline,
    PipelineInput,
    PipelinePatchInput,
    PipelineStage,
    PipelineStageInput,
    PipelineStagePatchInput,
)
from hubspot.crm.pipelines.exceptions import ApiException as PipelineApiException
from hubspot.crm.pipelines.exceptions import NotFoundException as PipelineNotFound

from tests.support.owners import create_owner
from tests.support.portals import Portal


def test_owners_round_trip(sdk: Client, portal: Portal) -> None:
    made = [
        create_owner(
            portal, email=f"rep{i}@example.com", firstName=f"Rep{i}", teams=[{"name": "Sales"}]
        )
        for i in range(3)
    ]
    first = sdk.crm.owners.owners_api.get_page(limit=2)
    assert isinstance(first, CollectionResponsePublicOwnerForwardPaging)
    assert [o.id for o in first.results] == [made[0]["id"], made[1]["id"]]
    rest = sdk.crm.owners.owners_api.get_page(limit=2, after=first.paging.next.after)
    assert [o.id for o in rest.results] == [made[2]["id"]]
    assert rest.paging is None
    (by_email,) = sdk.crm.owners.owners_api.get_page(email="rep1@example.com").results
    assert by_email.first_name == "Rep1"
    owner = sdk.crm.owners.owners_api.get_by_id(int(made[0]["id"]))
    assert isinstance(owner, PublicOwner)
    assert (owner.email, owner.type, owner.archived) == ("rep0@example.com", "PERSON", False)
    assert owner.teams[0].name == "Sales"
    assert owner.teams[0].primary is True
    by_user = sdk.crm.owners.owners_api.get_by_id(owner.user_id, id_property="userId")
    assert by_user.id == owner.id
    with pytest.raises(OwnerNotFound):
        sdk.crm.owners.owners_api.get_by_id(owner.user_id)


def test_pipelines_round_trip(sdk: Client) -> None:
    api = sdk.crm.pipelines.pipelines_api
    (default,) = api.get_all("deals").results
    assert isinstance(default, Pipeline)
    assert default.id == "default"
    assert default.stages[0].metadata == {"isClosed": "false", "probability": "0.2"}
    created = api.create(
        "deals",
        PipelineInput(
            label="Renewals",
            display_order=1,
            stages=[
                PipelineStageInput(label="Due", display_order=0, metadata={"probability": "0.5"}),
                PipelineStageInput(
                    label="Renewed", display_order=1, metadata={"probability": "1.0"}
                ),
            ],
        ),
    )
    assert [s.label for s in created.stages] == ["Due", "Renewed"]
    assert created.stages[1].metadata["isClosed"] == "true"
    updated = api.update("deals", created.id, PipelinePatchInput(label="Renewal deals"))
    assert updated.label == "Renewal deals"
    assert api.get_by_id("deals", created.id).label == "Renewal deals"
    audits = sdk.crm.pipelines.pipeline_audits_api.get_audit("deals", created.id).results
    assert [a.action for a in audits] == ["UPDATE", "CREATE"]
    api.archive("deals", created.id)
    with pytest.raises(PipelineNotFound):
        api.get_by_id("deals", created.id)


def test_stages_round_trip(sdk: Client) -> None:
    stages = sdk.crm.pipelines.pipeline_stages_api
    assert [s.id for s in stages.get_all("tickets", "0").results] == ["1", "2", "3", "4"]
    new = stages.create(
        "tickets",
        "0",
        PipelineStageInput(label="Escalated", display_order=2, metadata={"ticketState": "OPEN"}),
    )
    assert isinstance(new, PipelineStage)
    patched = stages.update(
        "tickets", "0", new.id, PipelineStagePatchInput(metadata={"ticketState": "CLOSED"})
    )
    assert patched.metadata == {"ticketState": "CLOSED", "isClosed": "true"}
    assert stages.get_by_id("tickets", "0", new.id).label == "Escalated"
    stages.archive("tickets", "0", new.id)
    with pytest.raises(PipelineNotFound):
        stages.get_by_id("tickets", "0", new.id)
    with pytest.raises(PipelineApiException) as refused:
        stages.create("tickets", "0", PipelineStageInput(label="New", display_order=0, metadata={}))
    assert refused.value.status == 400


def test_users_and_teams(sdk: Client, portal: Portal) -> None:
    lead = create_owner(
        portal,
        email="lead@example.com",
        firstName="Lea",
        teams=[{"name": "West", "primary": True}, {"name": "East"}],
    )
    rep = create_owner(portal, email="rep@example.com", teams=[{"name": "East", "primary": True}])
    create_owner(portal, type="QUEUE", firstName="Inbox")
    users = sdk.settings.users.users_api.get_page().results
    assert [u.email for u in users] == ["lead@example.com", "rep@example.com"]
    assert users[0].id == str(lead["userId"])
    assert users[0].super_admin is False
    by_email = sdk.settings.users.users_api.get_by_id("REP@example.com", id_property="EMAIL")
    assert by_email.id == str(rep["userId"])
    teams = {t.name: t for t in sdk.settings.users.teams_api.get_all().results}
    assert teams["West"].user_ids == [str(lead["userId"])]
    assert teams["East"].user_ids == [str(rep["userId"])]
    assert teams["East"].secondary_user_ids == [str(lead["userId"])]
    assert users[0].primary_team_id == teams["West"].id
    assert users[0].secondary_team_ids == [teams["East"].id]
