"""Live data for the contract fuzzer: what a request must name to get past 404 and 400.

The fuzzer's random ids almost never name a record, so without steering most operations
only ever answer 4xx and lists come back empty: a broken success body would pass (issue
12). ``LiveData`` is one portal's real records, associations, a label, a custom property
and group, a custom object schema, an owner, a pipeline and OAuth tokens, each made on
first use (a test only pays for what its operation names). ``steer_path`` and
``steer_body`` point a generated request at them; ``valid_request`` is one request per
operation that HubSpot would answer with a 2xx, run first as an explicit example so every
operation's success body is checked at least once, whatever the generated cases hit.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import httpx2 as httpx

from hubgraph.services.access import oauth
from hubgraph.services.context import Services
from hubgraph.services.owners.owners import OwnerInput, TeamInput, create_owner
from tests.support.live import LivePortal
from tests.support.records import named

ID_KEYS = {"id", "objectId", "fromObjectId", "toObjectId"}
# contact -> company, HUBSPOT_DEFINED: the unlabeled type (reference §4.2).
CONTACT_TO_COMPANY = 279
REDIRECT_URI = "https://fuzz.example.com/callback"
WEBHOOK_SETTINGS = {
    "targetUrl": "https://fuzz.example.com/hooks",
    "throttling": {"maxConcurrentRequests": 10},
}
_serial = itertools.count(1)


def _unique(prefix: str) -> str:
    return f"{prefix}_{next(_serial)}"


@dataclass(frozen=True)
class OAuthGrant:
    app: oauth.AppCredentials
    access_token: str
    refresh_token: str


@dataclass
class LiveData:
    """Two contacts and two companies, the first contact associated with both companies
    (unlabeled, and with a label to the first company); everything else on first use."""

    portal: LivePortal
    services: Services
    contacts: list[str] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)

    @classmethod
    def create(cls, portal: LivePortal, services: Services) -> LiveData:
        data = cls(portal, services)
        data.contacts = portal.create_records("contacts", 2)
        data.companies = portal.create_records("companies", 2)
        pairs = [{"from": {"id": data.contacts[0]}, "to": {"id": c}} for c in data.companies]
        data._post(
            "/crm/v4/associations/contacts/companies/batch/associate/default", {"inputs": pairs}
        )
        return data

    def _post(self, path: str, body: Any, expected: int = 200) -> Any:
        with self.portal.client() as http:
            response = http.post(path, json=body)
        assert response.status_code in (expected, 201), (path, response.text[:500])
        return response.json() if response.content else None

    def id_for(self, trail: tuple[str, ...]) -> str:
        """A company where the trail says "to", a contact otherwise."""
        to_side = any(part.lower().startswith("to") for part in trail)
        return self.companies[0] if to_side else self.contacts[0]

    def new_label(self) -> int:
        """A new USER_DEFINED contact -> company label's type id."""
        name = _unique("fuzz_label")
        labels = "/crm/v4/associations/contacts/companies/labels"
        self._post(labels, {"label": name, "name": name})
        # The answer holds both directions' types; the contact -> company one is listed here.
        with self.portal.client() as http:
            listed = http.get(labels).json()["results"]
        return next(int(t["typeId"]) for t in listed if t["label"] == name)

    @cached_property
    def label_type_id(self) -> int:
        """A label on the first contact and company."""
        type_id = self.new_label()
        types = [{"associationCategory": "USER_DEFINED", "associationTypeId": type_id}]
        pair = {"from": {"id": self.contacts[0]}, "to": {"id": self.companies[0]}, "types": types}
        self._post("/crm/v4/associations/contacts/companies/batch/create", {"inputs": [pair]}, 201)
        return type_id

    @cached_property
    def free_label_type_id(self) -> int:
        """A label no association uses."""
        return self.new_label()

    @cached_property
    def limit_configured(self) -> bool:
        """A limit on the unlabeled contact -> company type, for update and purge."""
        body = {"inputs": [{"category": "HUBSPOT_DEFINED", "typeId": 279, "maxToObjectIds": 50}]}
        self._post(
            "/crm/v4/associations/definitions/configurations/contacts/companies/batch/create",
            body,
        )
        return True

    @cached_property
    def group_name(self) -> str:
        name = _unique("fuzz_group")
        self._post("/crm/v3/properties/contacts/groups", {"name": name, "label": name}, 201)
        return name

    @cached_property
    def property_name(self) -> str:
        """A custom text property of contacts (HubSpot's own cannot be changed or deleted)."""
        return self.new_property("contactinformation")["name"]

    def new_property(self, group: str) -> dict[str, str]:
        name = _unique("fuzz_property")
        body = {"name": name, "label": name, "type": "string", "fieldType": "text"}
        body["groupName"] = group
        self._post("/crm/v3/properties/contacts", body, 201)
        return body

    @cached_property
    def schema(self) -> dict[str, Any]:
        """A custom object schema associated with contacts, and one of its records."""
        made: dict[str, Any] = self._post("/crm-object-schemas/v3/schemas", schema_egg(), 201)
        return made

    @cached_property
    def schema_association_id(self) -> str:
        body = {"fromObjectTypeId": self.schema["objectTypeId"], "toObjectTypeId": "0-2"}
        made = self._post(
            f"/crm-object-schemas/v3/schemas/{self.schema['objectTypeId']}/associations",
            body | {"name": _unique("fuzz_to_company")},
            201,
        )
        return str(made["id"])

    @cached_property
    def pipeline(self) -> dict[str, Any]:
        """A deal pipeline of two stages, it and its first stage relabelled (audited)."""
        made: dict[str, Any] = self._post("/crm/v3/pipelines/deals", _pipeline(), 201)
        with self.portal.client() as http:
            pipeline = f"/crm/v3/pipelines/deals/{made['id']}"
            stage = f"{pipeline}/stages/{made['stages'][0]['id']}"
            for path in (pipeline, stage):
                changed = http.patch(path, json={"label": _unique("Relabelled")})
                assert changed.status_code == 200, changed.text
        return made

    @cached_property
    def owner(self) -> tuple[int, int]:
        """(owner id, user id) of a PERSON owner in a team: a user of the portal too."""
        email = f"{_unique('owner')}@fuzz.example.com"
        teams = [TeamInput(name=_unique("Fuzzers"), primary=True)]
        row = create_owner(self.services, self.portal.id, OwnerInput(email=email, teams=teams))
        assert row.user_id is not None
        return row.id, row.user_id

    @cached_property
    def app(self) -> oauth.AppCredentials:
        return oauth.create_app(self.services, _unique("fuzz app"), [REDIRECT_URI])

    def code(self) -> str:
        return oauth.issue_code(
            self.services,
            client_id=self.app.client_id,
            portal_id=self.portal.id,
            redirect_uri=REDIRECT_URI,
        )

    @cached_property
    def grant(self) -> OAuthGrant:
        tokens = oauth.exchange(self.services, self.code_form(self.code()))
        return OAuthGrant(self.app, tokens["access_token"], tokens["refresh_token"])

    def webhooks(self, path: str, body: Any, method: str = "POST") -> Any:
        """A call to the Webhooks API as the app's developer (``?hapikey=``)."""
        with httpx.Client(base_url=self.portal.base_url, timeout=60) as http:
            response = http.request(
                method,
                f"/webhooks/v3/{self.app.app_id}{path}",
                params={"hapikey": self.app.developer_api_key},
                json=body,
            )
        assert response.status_code in (200, 201), (path, response.text[:500])
        return response.json()

    @cached_property
    def webhook_settings(self) -> bool:
        self.webhooks("/settings", WEBHOOK_SETTINGS, "PUT")
        return True

    @cached_property
    def subscription_id(self) -> str:
        made = self.webhooks("/subscriptions", {"eventType": "contact.creation", "active": True})
        return str(made["id"])

    def code_form(self, code: str) -> dict[str, str]:
        return {
            "grant_type": "authorization_code",
            "client_id": self.app.client_id,
            "client_secret": self.app.client_secret,
            "redirect_uri": REDIRECT_URI,
            "code": code,
        }


def schema_egg() -> dict[str, Any]:
    name = _unique("fuzz_widgets")
    return {
        "name": name,
        "labels": {"singular": "Widget", "plural": "Widgets"},
        "primaryDisplayProperty": "model",
        "requiredProperties": ["model"],
        "properties": [{"name": "model", "label": "Model"}],
        "associatedObjects": ["CONTACT"],
    }


# -- which live thing a parameter names -------------------------------------------------


def _object_type(name: str, path: str, data: LiveData) -> str:
    if path.startswith("/crm-object-schemas/"):
        return str(data.schema["objectTypeId"])
    if "/pipelines/" in path:
        return "deals"
    return "companies" if name.lower().startswith("to") else "contacts"


def path_value(name: str, path: str, data: LiveData) -> str | None:
    """The live value for path parameter ``name`` of ``path``; None leaves it generated."""
    lower = name.lower()
    if "objecttype" in lower:
        return _object_type(name, path, data)
    if "objectid" in lower:
        return data.id_for((name,))
    if lower == "associationtypeid":
        # Only DELETE .../labels/{associationTypeId} names one: a label still in use is
        # refused there, as on HubSpot.
        return str(data.free_label_type_id)
    if lower == "pipelineid":
        return str(data.pipeline["id"])
    if lower == "stageid":
        return str(data.pipeline["stages"][0]["id"])
    if lower == "ownerid":
        return str(data.owner[0])
    if lower == "userid":
        return str(data.owner[1])
    if lower == "propertyname":
        return data.property_name
    if lower == "groupname":
        return data.group_name
    if lower == "associationidentifier":
        return data.schema_association_id
    if lower == "appid":
        return str(data.app.app_id)
    if lower == "subscriptionid":
        return data.subscription_id
    if lower == "token":
        grant = data.grant
        return grant.refresh_token if "refresh-tokens" in path else grant.access_token
    return None


def steer_path(
    parameters: dict[str, Any] | None, path: str, data: LiveData
) -> dict[str, Any] | None:
    if not parameters:
        return parameters
    steered = dict(parameters)
    for name in parameters:
        value = path_value(name, path, data)
        if value is not None:
            steered[name] = value
    return steered


def _valid_properties(path: str, data: LiveData) -> dict[str, str]:
    if path.startswith("/crm-object-schemas/"):
        return {"model": _unique("widget")}
    return named("contacts", _unique("fuzzed"))


def steer_body(body: Any, path: str, data: LiveData, trail: tuple[str, ...] = ()) -> Any:
    """``body`` with every id field naming a live record, every association type a valid
    one (the label's on label operations), and record properties that exist."""
    labels = path.endswith("/labels")
    if isinstance(body, dict):
        steered: dict[str, Any] = {}
        for key, value in body.items():
            if key in ID_KEYS and isinstance(value, str | int) and not isinstance(value, bool):
                live = data.id_for((*trail, key))
                steered[key] = int(live) if isinstance(value, int) else live
            elif key in ("associationCategory", "category") and isinstance(value, str):
                steered[key] = "USER_DEFINED" if labels else "HUBSPOT_DEFINED"
            elif key in ("associationTypeId", "typeId") and isinstance(value, int):
                steered[key] = data.label_type_id if labels else CONTACT_TO_COMPANY
            elif key == "properties" and isinstance(value, dict) and "/objects/" in path:
                steered[key] = _valid_properties(path, data)
            else:
                steered[key] = steer_body(value, path, data, (*trail, key))
        return steered
    if isinstance(body, list):
        return [steer_body(item, path, data, trail) for item in body]
    return body


# -- one request per operation that HubSpot answers with a 2xx ----------------------------


@dataclass(frozen=True)
class ValidRequest:
    body: Any = None
    query: dict[str, Any] | None = None
    media_type: str | None = None


def _pair(data: LiveData, **extra: Any) -> dict[str, Any]:
    return {"from": {"id": data.contacts[0]}, "to": {"id": data.companies[0]}, **extra}


def _unlabeled() -> list[dict[str, Any]]:
    return [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": CONTACT_TO_COMPANY}]


def _labeled(data: LiveData) -> list[dict[str, Any]]:
    return [{"associationCategory": "USER_DEFINED", "associationTypeId": data.label_type_id}]


def _stage(label: str, order: int) -> dict[str, Any]:
    return {"label": label, "displayOrder": order, "metadata": {"probability": "0.5"}}


def _pipeline() -> dict[str, Any]:
    label = _unique("Fuzz pipeline")
    return {"label": label, "displayOrder": 3, "stages": [_stage("Open", 0), _stage("Won", 1)]}


def _bodies(method: str, tail: str, data: LiveData) -> Any:
    """The request body for ``method`` on ``tail`` (the path without its API prefix)."""
    contact, company = data.contacts[0], data.companies[0]
    match method, tail:
        # -- associations v4 / 2026-03 --------------------------------------------------
        case "POST", "associations/batch/archive":
            return {"inputs": [{"from": {"id": contact}, "to": [{"id": company}]}]}
        case "POST", "associations/batch/associate/default":
            return {"inputs": [_pair(data)]}
        case "POST", "associations/batch/create":
            return {"inputs": [_pair(data, types=_unlabeled())]}
        case "POST", "associations/batch/labels/archive":
            return {"inputs": [_pair(data, types=_labeled(data))]}
        case "POST", "associations/batch/read":
            return {"inputs": [{"id": contact}]}
        case "PUT", "associations/record":
            return _unlabeled()
        case "POST", "labels":
            name = _unique("fuzz_label")
            return {"label": name, "name": name}
        case "PUT", "labels":
            return {"associationTypeId": data.label_type_id, "label": _unique("renamed")}
        case "POST", "configurations/batch/create":
            return {
                "inputs": [
                    {"category": "USER_DEFINED", "typeId": data.label_type_id, "maxToObjectIds": 5}
                ]
            }
        case "POST", "configurations/batch/update":
            assert data.limit_configured
            return {
                "inputs": [{"category": "HUBSPOT_DEFINED", "typeId": 279, "maxToObjectIds": 20}]
            }
        case "POST", "configurations/batch/purge":
            assert data.limit_configured
            return {"inputs": [{"category": "HUBSPOT_DEFINED", "typeId": 279}]}
        # -- objects --------------------------------------------------------------------
        case "POST", "objects/create":
            return {"properties": named("contacts", _unique("created")), "associations": []}
        case "PATCH", "objects/record":
            return {"properties": named("contacts", _unique("updated"))}
        case "POST", "objects/batch/archive":
            return {"inputs": [{"id": data.contacts[1]}]}
        case "POST", "objects/batch/create":
            return {"inputs": [{"properties": named("contacts", _unique("created"))}]}
        case "POST", "objects/batch/read":
            return {
                "inputs": [{"id": contact}],
                "properties": ["firstname"],
                "propertiesWithHistory": [],
            }
        case "POST", "objects/batch/update":
            return {"inputs": [{"id": contact, "properties": named("contacts", "updated")}]}
        case "POST", "objects/batch/upsert":
            email = f"{_unique('upserted')}@fuzz.example.com"
            return {
                "inputs": [
                    {
                        "idProperty": "email",
                        "id": email,
                        "properties": named("contacts", "upserted"),
                    }
                ]
            }
        case "POST", "objects/search":
            return {
                "filterGroups": [],
                "sorts": [],
                "properties": ["firstname"],
                "limit": 10,
                "after": "0",
            }
        # -- pipelines ------------------------------------------------------------------
        case (("POST" | "PUT"), "pipelines/pipeline"):
            return _pipeline()
        case "PATCH", "pipelines/pipeline":
            return {"label": _unique("Renamed pipeline")}
        case (("POST" | "PUT"), "pipelines/stage"):
            return _stage(_unique("Stage"), 5)
        case "PATCH", "pipelines/stage":
            return {"label": _unique("Renamed stage")}
        # -- properties -----------------------------------------------------------------
        case "POST", "properties/create":
            name = _unique("fuzz_property")
            return {
                "name": name,
                "label": name,
                "type": "string",
                "fieldType": "text",
                "groupName": "contactinformation",
            }
        case "POST", "properties/batch/create":
            name = _unique("fuzz_property")
            return {
                "inputs": [
                    {
                        "name": name,
                        "label": name,
                        "type": "string",
                        "fieldType": "text",
                        "groupName": "contactinformation",
                    }
                ]
            }
        case "POST", "properties/batch/archive":
            return {"inputs": [{"name": data.property_name}]}
        case "POST", "properties/batch/read":
            return {
                "inputs": [{"name": "firstname"}],
                "archived": False,
                "dataSensitivity": "non_sensitive",
            }
        case "POST", "properties/groups":
            name = _unique("fuzz_group")
            return {"name": name, "label": name}
        case "PATCH", ("properties/group" | "properties/property"):
            return {"label": _unique("Relabelled")}
        # -- custom object schemas ------------------------------------------------------
        case "POST", "schemas/create":
            return schema_egg()
        case "POST", "schemas/batch/read":
            return {
                "inputs": [data.schema["objectTypeId"]],
                "includeAssociationDefinitions": True,
                "includeAuditMetadata": True,
                "includePropertyDefinitions": True,
            }
        case "PATCH", "schemas/schema":
            return {"labels": {"singular": "Gadget", "plural": "Gadgets"}}
        case "POST", "schemas/associations":
            return {
                "fromObjectTypeId": data.schema["objectTypeId"],
                "toObjectTypeId": "0-2",
                "name": _unique("fuzz_to_company"),
            }
        # -- webhooks (the app's developer) --------------------------------------------
        case "PUT", "webhooks/settings":
            return WEBHOOK_SETTINGS
        case "POST", "webhooks/subscriptions":
            return {"eventType": "contact.propertyChange", "propertyName": "email", "active": True}
        case "POST", "webhooks/subscriptions/batch/update":
            return {"inputs": [{"id": int(data.subscription_id), "active": False}]}
        case "PATCH", "webhooks/subscription":
            return {"active": False}
        # -- OAuth ----------------------------------------------------------------------
        case "POST", "oauth/token":
            return data.code_form(data.code())
    return None


# (regex on the path without its version segment, the tail _bodies knows it by)
_TAILS: list[tuple[str, str]] = [
    (
        r"/configurations/\{[^}]+\}/\{[^}]+\}/batch/(create|update|purge)$",
        r"configurations/batch/\1",
    ),
    (r"/definitions/configurations/", "configurations/read"),
    (r"^/crm/associations/\{[^}]+\}/\{[^}]+\}/batch/(.+)$", r"associations/batch/\1"),
    (r"/associations/\{toObjectType\}/\{toObjectId\}$", "associations/record"),
    (r"/labels$", "labels"),
    (r"^/crm/objects/\{objectType\}$", "objects/create"),
    (r"^/crm/objects/\{objectType\}/\{objectId\}$", "objects/record"),
    (r"^/crm/objects/\{objectType\}/(batch/\w+|search)$", r"objects/\1"),
    (r"^/crm/pipelines/\{objectType\}(?:/\{pipelineId\})?$", "pipelines/pipeline"),
    (r"/stages(?:/\{stageId\})?$", "pipelines/stage"),
    (r"/audit$", "pipelines/audit"),
    (r"^/crm/properties/\{objectType\}$", "properties/create"),
    (r"^/crm/properties/\{objectType\}/(batch/\w+|groups)$", r"properties/\1"),
    (r"/groups/\{groupName\}$", "properties/group"),
    (r"^/crm/properties/\{objectType\}/\{propertyName\}$", "properties/property"),
    (r"/schemas$", "schemas/create"),
    (r"/schemas/batch/read$", "schemas/batch/read"),
    (r"/schemas/\{objectType\}$", "schemas/schema"),
    (r"/schemas/\{objectType\}/associations$", "schemas/associations"),
    (r"^/oauth/token$", "oauth/token"),
    (r"^/webhooks/\{appId\}/settings$", "webhooks/settings"),
    (r"^/webhooks/\{appId\}/subscriptions$", "webhooks/subscriptions"),
    (r"^/webhooks/\{appId\}/subscriptions/batch/update$", "webhooks/subscriptions/batch/update"),
    (r"^/webhooks/\{appId\}/subscriptions/\{subscriptionId\}$", "webhooks/subscription"),
    (r"^/crm/owners", "owners"),
    (r"/users", "users"),
]
_VERSION = re.compile(r"/(?:v\d+|\d{4}-\d{2})(?=/|$)")


def operation_tail(path: str) -> str:
    """``path`` by what its request needs: the same for v4, 2026-03 and the aliases."""
    unversioned = _VERSION.sub("", path)
    for pattern, tail in _TAILS:
        found = re.search(pattern, unversioned)
        if found:
            return found.expand(tail)
    return unversioned


def _prepare(method: str, tail: str, data: LiveData) -> None:
    """Make what a read must find, so it answers with results rather than an empty list."""
    if tail == "configurations/read":
        assert data.limit_configured
    elif tail in ("owners", "users"):
        assert data.owner
    elif tail == "pipelines/audit":
        assert data.pipeline
    elif tail == "schemas/create" and method == "GET":
        assert data.schema
    elif tail == "webhooks/settings" and method != "PUT":
        assert data.webhook_settings
    elif tail == "webhooks/subscriptions" and method == "GET":
        assert data.subscription_id


def developer_query(path: str, data: LiveData) -> dict[str, str]:
    """The Webhooks API authenticates the app's developer by ``?hapikey=``, not a bearer."""
    if path.startswith("/webhooks/"):
        return {"hapikey": str(data.app.developer_api_key)}
    return {}


def valid_request(method: str, path: str, data: LiveData) -> ValidRequest:
    """What HubSpot answers with a 2xx for ``method path`` on ``data``'s portal."""
    tail = operation_tail(path)
    _prepare(method, tail, data)
    body = _bodies(method, tail, data)
    if tail == "oauth/token":
        return ValidRequest(body, media_type="application/x-www-form-urlencoded")
    return ValidRequest(body, query=developer_query(path, data) or None)
