"""Which OAuth / private-app scopes an operation accepts.

HubSpot's spec lists ~80 alternative scopes on every association operation, so read
literally any object scope allows any call. We follow the safer reading of reference
§8.3: reading needs a read (or write) scope of the object read from; writing needs a
write scope of either side. Any one of the listed scopes is enough.
"""

from __future__ import annotations

from hubgraph.domain.object_types import CUSTOM_SCOPE, ObjectType, standard_object_types

SCHEMA_SCOPE_OBJECTS = ("contacts", "companies", "deals", "custom")


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


def all_crm_scopes() -> list[str]:
    """Every object scope: what a new private-app token gets unless told otherwise."""
    scopes: list[str] = []
    for object_type in standard_object_types():
        scopes += [*write_scopes(object_type), *read_scopes(object_type)]
    scopes += [f"{CUSTOM_SCOPE}.read", f"{CUSTOM_SCOPE}.write"]
    for name in SCHEMA_SCOPE_OBJECTS:
        scopes += [f"crm.schemas.{name}.read", f"crm.schemas.{name}.write"]
    return sorted(set(scopes))
