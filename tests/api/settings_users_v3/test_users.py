"""``/settings/v3/users/``, ``…/{userId}``, ``…/teams``, ``…/roles``: users read from owners."""

from __future__ import annotations

from hubgraph.services.access import portals
from hubgraph.services.context import Services
from tests.support.owners import create_owner
from tests.support.portals import Portal


def test_users_on_every_list_path_and_paging(portal: Portal) -> None:
    made = [create_owner(portal, email=f"u{i}@example.com", firstName=f"U{i}") for i in range(3)]
    expected = [str(o["userId"]) for o in made]
    for path in ("/settings/v3/users", "/settings/v3/users/", "/settings/users/v3"):
        assert [u["id"] for u in portal.get(path).json()["results"]] == expected
    first = portal.get("/settings/v3/users/?limit=2").json()
    assert [u["id"] for u in first["results"]] == expected[:2]
    after = first["paging"]["next"]["after"]
    rest = portal.get(f"/settings/v3/users/?limit=2&after={after}").json()
    assert [u["id"] for u in rest["results"]] == expected[2:]
    assert first["results"][0] == {
        "id": expected[0],
        "email": "u0@example.com",
        "firstName": "U0",
        "roleIds": [],
        "secondaryTeamIds": [],
        "superAdmin": False,
    }


def test_get_by_user_id_or_email(portal: Portal) -> None:
    made = create_owner(portal, email="who@example.com")
    user_id = str(made["userId"])
    assert portal.get(f"/settings/v3/users/{user_id}").json()["email"] == "who@example.com"
    by_email = portal.get("/settings/v3/users/who@example.com?idProperty=EMAIL")
    assert by_email.json()["id"] == user_id
    assert portal.get("/settings/v3/users/12345").status_code == 404
    assert portal.get(f"/settings/v3/users/{user_id}?idProperty=NAME").status_code == 400


def test_archived_owners_and_queues_are_not_users(portal: Portal) -> None:
    gone = create_owner(portal, email="gone@example.com")
    create_owner(portal, type="QUEUE", firstName="Inbox")
    portal.client.delete(f"/_hubgraph/portals/{portal.id}/owners/{gone['id']}")
    assert portal.get("/settings/v3/users").json() == {"results": []}


def test_teams_and_roles(portal: Portal) -> None:
    a = create_owner(portal, email="a@example.com", teams=[{"name": "West", "primary": True}])
    b = create_owner(portal, email="b@example.com", teams=[{"name": "West"}])
    (west,) = portal.get("/settings/v3/users/teams").json()["results"]
    assert west["name"] == "West"
    assert west["userIds"] == [str(a["userId"]), str(b["userId"])]
    assert west["secondaryUserIds"] == []
    assert a["teams"][0]["id"] == b["teams"][0]["id"] == west["id"]
    assert portal.get("/settings/v3/users/roles").json() == {"results": []}


def test_scopes(services: Services, portal: Portal) -> None:
    token = portals.create_token(services, portal.id, ["settings.users.read"])
    headers = {"Authorization": f"Bearer {token}"}
    assert portal.client.get("/settings/v3/users", headers=headers).status_code == 200
    teams = portal.client.get("/settings/v3/users/teams", headers=headers)
    assert teams.status_code == 403
    assert teams.json()["errors"][0]["context"]["requiredGranularScopes"] == [
        "settings.users.teams.read"
    ]
