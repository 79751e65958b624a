"""Which OAuth / private-app scopes an operation accepts.

HubSpot's spec lists ~80 alternative scopes on every association operation, so read
literally any object scope allows any call. We follow the safer reading of reference
§8.3: reading needs a read (or write) scope of the object read from; writing needs a
write scope of either side. Any one of the listed scopes is enough.
"""

from __future__ import annotations

from hubgraph.domain.object_types import CUSTOM_SCOPE, ObjectType, standard_object_types

SCHEMA_SCOPE_OBJECTS = ("contacts", "companies", "deals", "custom")

# Owners v3 (crmOwners.json): either scope reads owners.
OWNERS_READ_SCOPES = ["crm.objects.owners.read", "automation"]
# Settings users v3 (userProvisioning.json): users, and teams.
USERS_READ_SCOPES = ["settings.users.read", "crm.objects.users.read"]
TEAMS_READ_SCOPES = ["settings.users.teams.read"]
# Granted to new tokens beside the object scopes: a private app that syncs the CRM
# reads its owners, users and teams too.
REFERENCE_DATA_SCOPES = (
    "crm.objects.owners.read",
    "settings.users.read",
    "settings.users.teams.read",
)


def _is_legacy(scope_name: str) -> bool:
    return "." not in scope_name


def read_scopes(object_type: ObjectType) -> list[str]:
    scopes: list[str] = []
    for name in object_type.scope_names:
        if _is_legacy(name):
            scopes.append(name)
        else:
            scopes += [f"{name}.read", f"{name}.write", f"{name}.sensitive.read.v2"]
    return scopes


def write_scopes(object_type: ObjectType) -> list[str]:
    return [n if _is_legacy(n) else f"{n}.write" for n in object_type.scope_names]


def association_write_scopes(from_type: ObjectType, to_type: ObjectType) -> list[str]:
    return list(dict.fromkeys(write_scopes(from_type) + write_scopes(to_type)))


def pipeline_read_scopes(object_type: ObjectType) -> list[str]:
    """Pipelines v3 lists ~100 alternatives on reads; as for associations we take the safer
    reading: a read or write scope of the type, its schema read scope, or ``automation``.
    The legacy v1 path also takes ``contacts`` for deals (its docs: "contacts scope (to
    fetch deals pipelines) or the tickets scope")."""
    legacy = ["contacts"] if object_type.id == "0-3" else []
    scopes = [
        *read_scopes(object_type),
        *write_scopes(object_type),
        f"crm.schemas.{_schema_name(object_type)}.read",
        "automation",
        *legacy,
    ]
    return list(dict.fromkeys(scopes))


def pipeline_write_scopes(object_type: ObjectType) -> list[str]:
    """Pipelines v3 writes take the type's ``crm.schemas.<type>.write`` (custom objects:
    ``crm.schemas.custom.write``), the legacy ``tickets`` scope for tickets, and
    ``e-commerce`` / ``crm.pipelines.orders.write`` for orders."""
    extra = {
        "0-5": ["tickets"],
        "0-123": ["crm.pipelines.orders.write", "e-commerce"],
    }.get(object_type.id, [])
    return [f"crm.schemas.{_schema_name(object_type)}.write", *extra]


def _schema_name(object_type: ObjectType) -> str:
    return "custom" if object_type.id.startswith("2-") else object_type.plural


def all_crm_scopes() -> list[str]:
    """Every object scope: what a new private-app token gets unless told otherwise."""
    scopes: list[str] = list(REFERENCE_DATA_SCOPES)
    for object_type in standard_object_types():
        scopes += [*write_scopes(object_type), *read_scopes(object_type)]
    scopes += [f"{CUSTOM_SCOPE}.read", f"{CUSTOM_SCOPE}.write"]
    for name in SCHEMA_SCOPE_OBJECTS:
        scopes += [f"crm.schemas.{name}.read", f"crm.schemas.{name}.write"]
    return sorted(set(scopes))
