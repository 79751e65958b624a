"""Seeding a portal from a fixture file (YAML or JSON): records, then associations.

    records:
      contacts:
        - ref: alice                     # a name for this record within the file
          properties: {email: alice@example.com, firstname: Alice}
      companies:
        - {ref: acme, properties: {name: Acme}}
    owners:                              # made before the records that name them
      - {id: 41629779, email: rep@example.com, firstName: Rea, teams: [{name: West}]}
    schemas:                             # custom objects (seed_schemas.py), made first
      - {name: cars, labels: {singular: Car, plural: Cars}, associatedObjects: [contacts],
         properties: [{name: model, label: Model}], requiredProperties: [model]}
    pipelines:                           # added to the default pipelines of each type
      deals:
        - id: renewals
          label: Renewals
          stages: [{id: due, label: Due, metadata: {probability: 0.5}}]
    associations:
      - {from: alice, to: acme}                    # the pair's default type
      - {from: alice, to: acme, type: Primary}     # by label, id, or CATEGORY/id
      - {from: {type: contacts, id: "1001"}, to: acme}   # a record already in the portal

Everything is written in one transaction, or nothing with an error naming the place.
Records are checked as record writes are: their pipeline, stage and owner values must name
the portal's pipelines, stages and owners (``services/pipelines/record_values.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import Connection

from hubgraph.domain.object_types import ObjectType, custom_object_type
from hubgraph.domain.text import BadText, check_tree
from hubgraph.errors import UnknownObjectType, ValidationError, property_values_message
from hubgraph.services.associations.definitions import (
    PortalAssociationTypes,
    portal_association_types,
)
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.services.custom_objects.required import required_properties
from hubgraph.services.custom_objects.schemas import CustomSchema
from hubgraph.services.ids import parse_object_id
from hubgraph.services.pipelines.record_values import check_record_values
from hubgraph.services.portability.file_associations import AssociationInput, write_associations
from hubgraph.services.portability.loading import rejected
from hubgraph.services.portability.seed_reference_data import seed_owners, seed_pipelines
from hubgraph.services.portability.seed_schemas import seed_schemas
from hubgraph.services.portability.snapshots import require_portal
from hubgraph.services.portability.type_specs import UnknownTypeSpec, resolve_type_spec
from hubgraph.services.properties.catalogue import load_properties
from hubgraph.services.properties.unique import UniqueWrite, claim_unique_values
from hubgraph.services.properties.validation import RecordWrite, WriteContext, validate_writes
from hubgraph.store import objects as object_store
from hubgraph.store import portals as portal_store

YAML_SUFFIXES = (".yaml", ".yml")
SECTIONS = ("schemas", "owners", "pipelines", "records", "associations")


@dataclass(frozen=True, slots=True)
class SeededRecord:
    object_type: ObjectType
    id: int


@dataclass(slots=True)
class SeedResult:
    records: dict[str, SeededRecord] = field(default_factory=dict)
    """The records the file named with ``ref``."""
    created: dict[str, list[int]] = field(default_factory=dict)
    """Every created record's id, per objectTypeId, in file order."""
    associations: int = 0
    owners: list[int] = field(default_factory=list)
    """Every created owner's id, in file order."""
    pipelines: dict[str, list[str]] = field(default_factory=dict)
    """Every created pipeline's id, per objectTypeId, in file order."""
    schemas: dict[str, CustomSchema] = field(default_factory=dict)
    """The custom objects the file created, by their ``name``."""

    def as_json(self) -> dict[str, Any]:
        return {
            "schemas": {
                name: {
                    "objectTypeId": s.object_type_id,
                    "fullyQualifiedName": s.fully_qualified_name,
                }
                for name, s in self.schemas.items()
            },
            "owners": [str(i) for i in self.owners],
            "pipelines": self.pipelines,
            "records": {
                ref: {"objectTypeId": r.object_type.id, "id": str(r.id)}
                for ref, r in self.records.items()
            },
            "created": {t: [str(i) for i in ids] for t, ids in self.created.items()},
            "associations": self.associations,
        }


def parse_fixture(text: bytes, filename: str = "fixture.json") -> object:
    """A fixture file's content: YAML for ``.yaml``/``.yml`` names, JSON otherwise.

    Strings with NUL or lone surrogates and non-finite numbers are refused here, where
    they are still a bad file rather than a failed database write.
    """
    parsed = _parse(text, filename)
    try:
        check_tree(parsed, filename)
    except BadText as exc:
        raise ValidationError(str(exc)) from None
    return parsed


def _parse(text: bytes, filename: str) -> object:
    if filename.lower().endswith(YAML_SUFFIXES):
        import yaml  # only needed for YAML fixtures

        # libyaml's loader where PyYAML was built with it: ~10x the pure-Python one.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        try:
            return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
        except yaml.YAMLError as exc:
            raise ValidationError(f"{filename}: not valid YAML: {exc}") from None
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise ValidationError(f"{filename}: not valid JSON: {exc}") from None


def seed_portal(services: Services, portal_id: int, fixture: object) -> SeedResult:
    if not isinstance(fixture, Mapping):
        raise ValidationError("A fixture must be an object with 'records' and 'associations'")
    unknown = sorted(set(fixture) - set(SECTIONS))
    if unknown:
        raise rejected(str(unknown[0]), f"unknown section; expected {', '.join(SECTIONS)}")
    result = SeedResult()
    with services.database.write() as conn:
        require_portal(conn, portal_id)
        for schema in seed_schemas(services, conn, portal_id, fixture.get("schemas") or []):
            result.schemas[schema.row.name] = schema
        types = _TypeNames(services, portal_id, result.schemas)
        result.owners = seed_owners(conn, portal_id, fixture.get("owners") or [])
        result.pipelines = seed_pipelines(services, conn, portal_id, fixture.get("pipelines") or {})
        planned = _plan_records(types, fixture.get("records") or {})
        ids = portal_store.allocate_object_ids(conn, portal_id, len(planned))
        now = now_ms()
        by_type: dict[ObjectType, list[tuple[int, str, dict[str, str | None]]]] = {}
        for object_id, (object_type, ref, properties, where) in zip(ids, planned, strict=True):
            by_type.setdefault(object_type, []).append((object_id, where, properties))
            result.created.setdefault(object_type.id, []).append(object_id)
            if ref is not None:
                result.records[ref] = SeededRecord(object_type, object_id)
        for object_type, records in by_type.items():
            _insert_valid(conn, portal_id, object_type, records, now)
        association_types = portal_association_types(services, conn, portal_id)
        inputs = _plan_associations(
            types, association_types, result, fixture.get("associations") or []
        )
        result.associations = write_associations(conn, portal_id, inputs)
    return result


def _insert_valid(
    conn: Connection,
    portal_id: int,
    object_type: ObjectType,
    records: list[tuple[int, str, dict[str, str | None]]],
    now: int,
) -> None:
    """Records are checked as the API checks them: a file can't hold what HubSpot refuses."""
    catalogue = load_properties(conn, portal_id, object_type)
    checked = validate_writes(
        WriteContext(conn, portal_id, catalogue), [RecordWrite(p) for _, _, p in records]
    )
    required = required_properties(conn, portal_id, object_type)
    for (_, where, _), result in zip(records, checked, strict=True):
        if result.invalid:
            raise rejected(
                f"{where}.properties", property_values_message(result.invalid, portal_id)
            )
        missing = required.missing(result.values)
        if missing is not None:
            names = ", ".join(missing.context["properties"])
            raise rejected(f"{where}.properties", f"{missing.message} ({names})")
    rows = [
        (object_id, result.values)
        for (object_id, _, _), result in zip(records, checked, strict=True)
    ]
    check_record_values(conn, portal_id, object_type, [(p, None) for _, p in rows])
    object_store.insert_objects(conn, portal_id, object_type.id, rows, now)
    claim_unique_values(conn, portal_id, catalogue, [UniqueWrite(i, v) for i, v in rows])


def _plan_records(
    types: _TypeNames, records: object
) -> list[tuple[ObjectType, str | None, dict[str, str | None], str]]:
    if not isinstance(records, Mapping):
        raise rejected("records", "must map object types to lists of records")
    planned: list[tuple[ObjectType, str | None, dict[str, str | None], str]] = []
    refs: set[str] = set()
    for type_name, items in records.items():
        object_type = types.resolve(f"records.{type_name}", type_name)
        if not isinstance(items, list):
            raise rejected(f"records.{type_name}", "must be a list of records")
        for index, item in enumerate(items):
            where = f"records.{type_name}[{index}]"
            if not isinstance(item, Mapping) or set(item) - {"ref", "properties"}:
                raise rejected(where, "a record is an object with 'ref' and 'properties'")
            ref = item.get("ref")
            if ref is not None:
                ref = str(ref)
                if ref in refs:
                    raise rejected(where, f"ref {ref!r} is used twice")
                refs.add(ref)
            properties = _properties(where, item.get("properties") or {})
            planned.append((object_type, ref, properties, where))
    return planned


def _properties(where: str, properties: object) -> dict[str, str | None]:
    if not isinstance(properties, Mapping):
        raise rejected(f"{where}.properties", "must be an object of property name to value")
    # HubSpot stores every property value as a string; numbers and booleans arrive as text.
    return {str(k): _as_property_value(v) for k, v in properties.items()}


def _as_property_value(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _TypeNames:
    """Object types as a seed file names them: HubSpot's names and ids, the portal's custom
    objects (``2-<n>``, ``p{portalId}_name``), and the schemas of this file by ``name``."""

    def __init__(
        self, services: Services, portal_id: int, schemas: Mapping[str, CustomSchema]
    ) -> None:
        self._services = services
        self._portal_id = portal_id
        self._mine: dict[str, ObjectType] = {}
        for name, schema in schemas.items():
            object_type = custom_object_type(schema.object_type_id)
            for key in (name, schema.object_type_id, schema.fully_qualified_name):
                self._mine[key.lower()] = object_type

    def resolve(self, where: str, name: object) -> ObjectType:
        found = self._mine.get(str(name).lower())
        if found is not None:
            return found
        try:
            return self._services.object_types.resolve(str(name), self._portal_id)
        except UnknownObjectType as exc:
            raise rejected(where, exc.message) from None


def _plan_associations(
    names: _TypeNames, types: PortalAssociationTypes, seeded: SeedResult, items: object
) -> list[AssociationInput]:
    if not isinstance(items, list):
        raise rejected("associations", "must be a list")
    inputs = []
    for index, item in enumerate(items):
        where = f"associations[{index}]"
        if not isinstance(item, Mapping) or not {"from", "to"} <= set(item):
            raise rejected(where, "an association is an object with 'from', 'to' and 'type'")
        from_type, from_id = _endpoint(names, seeded, f"{where}.from", item["from"])
        to_type, to_id = _endpoint(names, seeded, f"{where}.to", item["to"])
        try:
            chosen = resolve_type_spec(types, from_type, to_type, item.get("type"))
        except UnknownTypeSpec as exc:
            raise rejected(f"{where}.type", str(exc)) from None
        inputs.append(
            AssociationInput(
                where, from_type, from_id, to_type, to_id, chosen, types.inverse_of(chosen)
            )
        )
    return inputs


def _endpoint(
    names: _TypeNames, seeded: SeedResult, where: str, value: object
) -> tuple[ObjectType, int]:
    """A ref from this file, or ``{type, id}`` of a record already in the portal."""
    if isinstance(value, str):
        found = seeded.records.get(value)
        if found is None:
            raise rejected(where, f"no record has ref {value!r}")
        return found.object_type, found.id
    if isinstance(value, Mapping) and set(value) == {"type", "id"}:
        object_id = parse_object_id(str(value["id"]))
        if object_id is None:
            raise rejected(where, f"{value['id']!r} is not a record id")
        return names.resolve(where, value["type"]), object_id
    raise rejected(where, "must be a ref, or {type: <object type>, id: <record id>}")
