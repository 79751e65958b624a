"""Isolation: portal B's token on portal A's ids reads nothing and changes nothing of A's.

Generated from the app's route table: every route is called with B's token, its path
filled with A's object types and ids, its body built from HubSpot's spec schema for the
route (or ``{}`` where there is none) with A's ids in every id field. A new route is
covered without an edit. After each call a full dump of A's rows must be unchanged, and
nothing in the answer may carry A's data.

Two B portals: one whose ids are disjoint from A's (so any A id in a result is a leak),
and one whose records have exactly A's ids (so a query missing its portal filter would
hit A's rows).
"""

from __future__ import annotations

import dataclasses
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import insert, update

from hubgraph.app import create_app
from hubgraph.config import Settings
from hubgraph.domain.association_types import Category
from hubgraph.services.access import faults, oauth, rate_limits, users
from hubgraph.services.context import Services
from hubgraph.services.owners.owners import OwnerInput, create_owner
from hubgraph.store.associations import CATEGORY_CODES
from hubgraph.store.tables import association_limits, association_types, portals
from hubgraph.testing import ServerThread
from tests.support.live import LivePortal, dump_portal, make_live_portal
from tests.support.routes import (
    Route,
    api_routes,
    spec_operation,
    specs_available,
    specs_missing_reason,
)

ROUTES = api_routes(create_app(Settings(database_url="sqlite://")))
A_LABEL_TYPE_ID = 1001
A_USER_ID = 4242
A_REDIRECT = "https://a.example.com/callback"
ADMIN_TOKEN = "isolation-admin-token-not-sent-by-b"
ID_KEYS = {"id", "toObjectId", "fromObjectId", "objectId", "hs_object_id"}


@dataclass
class PortalA:
    portal: LivePortal
    secret: str
    contacts: list[str]
    companies: list[str]
    fault_ids: list[str]
    app: oauth.AppCredentials  # installed in A; B installs it too (one app, two portals)
    named: dict[str, str]  # path parameter -> A's own value (owner, pipeline, property, ...)

    @property
    def ids(self) -> set[str]:
        return set(self.contacts) | set(self.companies)


def _setup_a(services: Services, base_url: str) -> PortalA:
    a = make_live_portal(services, base_url)
    secret = f"secret-of-a-{uuid.uuid4()}"
    contacts = a.create_records("contacts", 3, jobtitle=secret)
    companies = a.create_records("companies", 3, description=secret)
    pairs = [(contacts[0], c) for c in companies] + [(contacts[1], companies[0])]
    with a.client() as http:
        response = http.post(
            "/crm/v4/associations/contacts/companies/batch/associate/default",
            json={"inputs": [{"from": {"id": f}, "to": {"id": t}} for f, t in pairs]},
        )
        assert response.status_code == 200, response.text
    with services.database.write() as conn:
        conn.execute(
            insert(association_limits).values(
                portal_id=a.id,
                from_type="0-1",
                to_type="0-2",
                category=CATEGORY_CODES[Category.HUBSPOT_DEFINED],
                type_id=279,
                max_to_object_ids=50,
            )
        )
        conn.execute(
            insert(association_types).values(
                portal_id=a.id,
                category=CATEGORY_CODES[Category.USER_DEFINED],
                type_id=A_LABEL_TYPE_ID,
                from_type="0-1",
                to_type="0-2",
                name=f"a_label_{secret[-8:]}",
                label=secret,
                inverse_type_id=A_LABEL_TYPE_ID + 1,
                created_at=0,
            )
        )
    named = _named_things(services, a)  # before A's fault makes its own calls fail
    # What else A owns that B must neither see nor change (issue 12): a rate-limit tier,
    # an injected fault, a high-usage report, OAuth grants and a portal user.
    with a.client() as http:
        report = http.post(f"/crm/v4/associations/usage/high-usage-report/{A_USER_ID}")
        assert report.status_code == 200, report.text
    rate_limits.set_tier(services, a.id, rate_limits.Tier("starter"))
    fault = faults.add_fault(services, route="/crm/*", portal_id=a.id, status=503, count=1000)
    app = oauth.create_app(services, f"A's app {secret}", [A_REDIRECT])
    code = oauth.issue_code(
        services, client_id=app.client_id, portal_id=a.id, redirect_uri=A_REDIRECT
    )
    form = {"grant_type": "authorization_code", "client_id": app.client_id, "code": code}
    oauth.exchange(
        services, form | {"client_secret": app.client_secret, "redirect_uri": A_REDIRECT}
    )
    oauth.issue_code(services, client_id=app.client_id, portal_id=a.id, redirect_uri=A_REDIRECT)
    users.create_user(services, a.id, f"a-{a.id}@example.com", "a-password-" + secret[-8:])
    return PortalA(a, secret, contacts, companies, [fault.id], app, named)


def _named_things(services: Services, a: LivePortal) -> dict[str, str]:
    """What A owns that routes name by id: an owner, a pipeline and stage, a property and
    group, so B's calls name A's real things instead of ids that exist nowhere."""
    owner = create_owner(services, a.id, OwnerInput(email=f"owner-{a.id}@example.com"))
    with a.client() as http:
        stage = {"label": "A stage", "displayOrder": 0, "metadata": {"probability": "0.5"}}
        pipeline = http.post(
            "/crm/v3/pipelines/deals",
            json={"label": "A's pipeline", "displayOrder": 1, "stages": [stage]},
        )
        assert pipeline.status_code == 201, pipeline.text
        group = http.post(
            "/crm/v3/properties/contacts/groups", json={"name": "a_group", "label": "A"}
        )
        assert group.status_code == 201, group.text
        prop = {"name": "a_property", "label": "A", "type": "string", "fieldType": "text"}
        made = http.post("/crm/v3/properties/contacts", json=prop | {"groupName": "a_group"})
        assert made.status_code == 201, made.text
    return {
        "ownerid": str(owner.id),
        "pipelineid": pipeline.json()["id"],
        "stageid": pipeline.json()["stages"][0]["id"],
        "propertyname": "a_property",
        "groupname": "a_group",
    }


@dataclass
class PortalB:
    portal: LivePortal
    grant: dict[str, Any]  # B's own OAuth tokens from A's app: what `{token}` names


def _setup_b(services: Services, base_url: str, a: PortalA, *, same_ids: bool) -> PortalB:
    b = make_live_portal(services, base_url)
    code = oauth.issue_code(
        services, client_id=a.app.client_id, portal_id=b.id, redirect_uri=A_REDIRECT
    )
    grant = oauth.exchange(
        services,
        {
            "grant_type": "authorization_code",
            "client_id": a.app.client_id,
            "client_secret": a.app.client_secret,
            "redirect_uri": A_REDIRECT,
            "code": code,
        },
    )
    if same_ids:
        # Same creation order as A: B's contact and company ids equal A's.
        b.create_records("contacts", 3)
        b.create_records("companies", 3)
        # ... and B calls with its OAuth access token from the app A installed too, the
        # multi-tenant case: one app's tokens for two portals.
        b = dataclasses.replace(b, token=grant["access_token"])
    else:
        with services.database.write() as conn:
            conn.execute(
                update(portals).where(portals.c.id == b.id).values(next_object_id=9_000_001)
            )
        b.create_records("contacts", 1)
    return PortalB(b, grant)


def _path(route: Route, a: PortalA, b: PortalB) -> str:
    values: dict[str, str] = {}
    type_names = iter(["contacts", "companies"])
    for name in route.params:
        lower = name.lower()
        if lower in a.named:
            values[name] = a.named[lower]
        elif lower == "token":
            # Tokens are secrets, not ids: B names its own, and must learn nothing of A.
            kind = "refresh_token" if "refresh-tokens" in route.path else "access_token"
            values[name] = b.grant[kind]
        elif lower == "appid":
            values[name] = str(a.app.app_id)
        elif "objecttype" in lower:
            values[name] = "companies" if lower.startswith("to") else next(type_names)
        elif "objectid" in lower or lower == "id":
            values[name] = a.companies[0] if lower.startswith("to") else a.contacts[0]
        elif "typeid" in lower:
            values[name] = str(A_LABEL_TYPE_ID)
        elif lower == "portalid":
            values[name] = str(a.portal.id)
        elif lower == "userid":
            values[name] = str(A_USER_ID)
        else:
            values[name] = a.contacts[0]
    return route.path.format(**values)


def _instance(schema: Any, components: dict[str, Any], a: PortalA, trail: tuple[str, ...]) -> Any:
    """A small instance of ``schema`` whose id fields hold A's ids."""
    if len(trail) > 12:
        return None
    if "$ref" in schema:
        return _instance(
            components["schemas"][schema["$ref"].rsplit("/", 1)[1]], components, a, trail
        )
    for combined in ("allOf", "oneOf", "anyOf"):
        if combined in schema:
            return _instance(schema[combined][0], components, a, trail)
    kind = schema.get("type")
    name = trail[-1] if trail else ""
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "object" or "properties" in schema:
        if "properties" not in schema:
            return {"secret": a.secret}
        return {
            key: _instance(sub, components, a, (*trail, key))
            for key, sub in schema["properties"].items()
        }
    if kind == "array":
        return [_instance(schema.get("items", {}), components, a, trail)]
    if kind == "integer":
        return A_LABEL_TYPE_ID if "typeid" in name.lower() else 1
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if name in ID_KEYS or name.lower().endswith("id"):
        return a.companies[0] if "to" in trail else a.contacts[0]
    return f"isolation-{name}"


def _body(route: Route, a: PortalA) -> Any:
    if route.method in ("GET", "DELETE"):
        return None
    found = spec_operation(route)
    if found is None:
        return {}
    content = found["operation"].get("requestBody", {}).get("content", {})
    media = content.get("application/json")
    if media is None or "schema" not in media:
        return None
    return _instance(media["schema"], found["components"], a, ())


def _query(route: Route) -> dict[str, str]:
    found = spec_operation(route)
    if found is None:
        return {}
    query: dict[str, str] = {}
    for parameter in found["operation"].get("parameters", []):
        if parameter.get("in") != "query" or parameter["name"] == "after":
            continue
        kind = parameter.get("schema", {}).get("type")
        query[parameter["name"]] = {"integer": "10", "boolean": "false"}.get(kind, "secret,name")
    return query


def _result_ids(body: Any, inside_errors: bool = False) -> Iterator[str]:
    """Id values in an answer, except inside ``errors`` (which echo the request's ids)."""
    if isinstance(body, dict):
        for key, value in body.items():
            if key in ("errors", "context", "message"):
                continue
            if key in ID_KEYS and isinstance(value, str | int):
                yield str(value)
            yield from _result_ids(value, inside_errors)
    elif isinstance(body, list):
        for item in body:
            yield from _result_ids(item, inside_errors)


@pytest.fixture(scope="module")
def tenant_server(settings: Settings, services: Services) -> Iterator[ServerThread]:
    """A server shared by tenants: the control plane is the admin's (admin token set), so a
    tenant's calls to it from this machine are not a local developer's."""
    shared = dataclasses.replace(
        services, settings=settings.model_copy(update={"admin_token": ADMIN_TOKEN})
    )
    with ServerThread(create_app(shared.settings, shared)) as running:
        yield running


@pytest.fixture(scope="module")
def portal_a(services: Services, tenant_server: ServerThread) -> PortalA:
    # One A per database: every test checks A is unchanged, so sharing it hides nothing.
    return _setup_a(services, tenant_server.base_url)


@pytest.mark.parametrize("same_ids", [False, True], ids=["disjoint-ids", "same-ids"])
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_portal_b_reads_and_changes_nothing_of_portal_a(
    route: Route, same_ids: bool, portal_a: PortalA, services: Services, tenant_server: ServerThread
) -> None:
    if not specs_available():
        # Without the specs every body is {}: the test would prove little (issue 12).
        if os.environ.get("CI") == "true":
            pytest.fail(f"{specs_missing_reason()} (CI must run the isolation test)")
        pytest.skip(str(specs_missing_reason()))
    a = portal_a
    setup = _setup_b(services, tenant_server.base_url, a, same_ids=same_ids)
    b = setup.portal
    before = dump_portal(services, a.portal.id)
    faults_before = faults.list_faults(services, a.portal.id)
    for table in (
        "portal_rate_limits",
        "high_usage_reports",
        "oauth_refresh_tokens",
        "portal_users",
        "owners",
        "pipelines",
        "properties",
    ):
        assert before[table], f"A has no {table} rows: nothing to leak, the test proves nothing"
    assert before["associations"]
    assert before["association_limits"]
    assert before["objects"]

    body = _body(route, a)
    with b.client() as http:
        response = http.request(
            route.method,
            _path(route, a, setup),
            params=_query(route),
            **({} if body is None else {"json": body}),
        )

    assert response.status_code < 500, response.text
    assert a.secret not in response.text
    assert dump_portal(services, a.portal.id) == before
    assert faults.list_faults(services, a.portal.id) == faults_before
    is_json = response.headers.get("content-type", "").startswith("application/json")
    if not same_ids and response.status_code < 300 and is_json and response.content:
        leaked = set(_result_ids(response.json())) & a.ids
        assert not leaked, f"{route} answered B with A's ids {leaked}: {response.text[:500]}"
