"""Which scopes the Properties API accepts (spec security, reference §1.1).

Reads take any read scope of the object (as records do) or its schema read scope;
writes take the object's ``crm.schemas.<objects>.write`` scope, or its records' write
scope (the spec lists some ``crm.objects.*.write`` scopes among the alternatives).
"""

from __future__ import annotations

from hubgraph.domain.object_types import ObjectType
from hubgraph.domain.scopes import read_scopes, write_scopes


def _schema_scopes(object_type: ObjectType, access: str) -> list[str]:
    # Every custom object shares ``crm.schemas.custom.*`` (spec crm-schemas-v3).
    name = "custom" if object_type.is_custom else object_type.plural
    return [f"crm.schemas.{name}.{access}"]


def property_read_scopes(object_type: ObjectType) -> list[str]:
    return list(dict.fromkeys([*read_scopes(object_type), *_schema_scopes(object_type, "read")]))


def property_write_scopes(object_type: ObjectType) -> list[str]:
    return list(dict.fromkeys([*_schema_scopes(object_type, "write"), *write_scopes(object_type)]))
