"""``GET /crm/v3/owners/`` and ``GET /crm/v3/owners/{ownerId}``."""

from __future__ import annotations

from hubgraph.services.access import portals
from hubgraph.services.context import Services
from tests.support.owners import create_owner
from tests.support.portals import Portal


def test_owner_model_and_both_list_paths(portal: Portal) -> None:
    made = create_owner(
        portal,
        email="jsmith@example.com",
        firstName="John",
        lastName="Smith",
        teams=[{"name": "West Coast Sales", "primary": True}, {"name": "California Sales"}],
    )
    assert made["id"].isdigit()
    assert made["type"] == "PERSON"
    assert isinstance(made["userId"], int)
    assert made["userIdIncludingInactive"] == made["userId"]
    assert made["archived"] is False
    assert [(t["name"], t["primary"]) for t in made["teams"]] == [
        ("West Coast Sales", True),
        ("California Sales", False),
    ]
    for path in ("/crm/v3/owners/", "/crm/v3/owners"):
        body = portal.get(path).json()
        assert body == {"results": [made]}


def test_paging_follows_after_and_link(portal: Portal) -> None:
    made = [create_owner(portal, email=f"o{i}@example.com")["id"] for i in range(5)]
    first = portal.get("/crm/v3/owners/?limit=2").json()
    assert [o["id"] for o in first["results"]] == made[:2]
    nxt = first["paging"]["next"]
    assert nxt["after"] == made[1]
    assert nxt["link"].startswith("http")
    assert f"after={made[1]}" in nxt["link"]
    second = portal.get(f"/crm/v3/owners/?limit=2&after={nxt['after']}").json()
    assert [o["id"] for o in second["results"]] == made[2:4]
    last = portal.get(f"/crm/v3/owners/?limit=2&after={second['paging']['next']['after']}")
    assert [o["id"] for o in last.json()["results"]] == made[4:]
    assert "paging" not in last.json()


def test_email_filter_ignores_case(portal: Portal) -> None:
    create_owner(portal, email="a@example.com")
    b = create_owner(portal, email="b@example.com")
    assert portal.get("/crm/v3/owners/?email=B@Example.com").json()["results"] == [b]


def test_archived_owners_are_listed_only_when_asked(portal: Portal) -> None:
    live = create_owner(portal, email="live@example.com")
    gone = create_owner(portal, email="gone@example.com")
    assert (
        portal.client.delete(f"/_hubgraph/portals/{portal.id}/owners/{gone['id']}").status_code
        == 204
    )
    assert portal.get("/crm/v3/owners/").json()["results"] == [live]
    archived = portal.get("/crm/v3/owners/?archived=True").json()["results"]
    assert [o["id"] for o in archived] == [gone["id"]]
    assert archived[0]["archived"] is True
    assert portal.get(f"/crm/v3/owners/{gone['id']}").status_code == 404
    assert portal.get(f"/crm/v3/owners/{gone['id']}?archived=true").status_code == 200


def test_get_by_id_or_user_id(portal: Portal) -> None:
    made = create_owner(portal, email="u@example.com", userId=1296619)
    assert portal.get(f"/crm/v3/owners/{made['id']}").json() == made
    by_user = portal.get("/crm/v3/owners/1296619?idProperty=userId")
    assert by_user.json() == made
    missing = portal.get("/crm/v3/owners/1296619")
    assert missing.status_code == 404
    assert missing.json()["category"] == "OBJECT_NOT_FOUND"
    bad = portal.get(f"/crm/v3/owners/{made['id']}?idProperty=email")
    assert bad.status_code == 400
    assert bad.json()["category"] == "VALIDATION_ERROR"


def test_queues_have_no_user(portal: Portal) -> None:
    queue = create_owner(portal, type="QUEUE", firstName="Support queue")
    assert queue["type"] == "QUEUE"
    assert "userId" not in queue


def test_owners_belong_to_their_portal(portal: Portal, other_portal: Portal) -> None:
    made = create_owner(portal, email="mine@example.com")
    assert other_portal.get("/crm/v3/owners/").json() == {"results": []}
    assert other_portal.get(f"/crm/v3/owners/{made['id']}").status_code == 404


def test_reading_owners_needs_the_owners_scope(services: Services, portal: Portal) -> None:
    token = portals.create_token(services, portal.id, ["crm.objects.contacts.read"])
    response = portal.client.get("/crm/v3/owners/", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403
    body = response.json()
    assert body["category"] == "MISSING_SCOPES"
    assert "crm.objects.owners.read" in body["errors"][0]["context"]["requiredGranularScopes"]


def test_control_plane_refuses_a_duplicate_email(portal: Portal) -> None:
    create_owner(portal, email="dup@example.com")
    again = portal.client.post(
        f"/_hubgraph/portals/{portal.id}/owners", json={"email": "DUP@example.com"}
    )
    assert again.status_code == 400
    assert again.json()["category"] == "VALIDATION_ERROR"


def test_ids_and_cursors_outside_int32_are_400_not_500(portal: Portal) -> None:
    """Found by contract fuzzing: the spec types ownerId as an int32."""
    for path in (
        "/crm/v3/owners/99999999999999999999999",
        "/crm/v3/owners/²",
        "/crm/v3/owners/?after=99999999999999999999999",
        "/settings/v3/users/?after=abc",
    ):
        response = portal.get(path)
        assert response.status_code == 400, path
        assert response.json()["category"] == "VALIDATION_ERROR"
