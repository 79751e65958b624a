"""Custom association limits (``…/definitions/configurations/…``, reference §2.2).

Inputs are applied in order, each seeing the ones before it, so one batch may set a
pair's unlabeled limit and a label limit below it. Invalid inputs become per-item
errors; the valid ones are written with one statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from hubgraph.domain.association_types import AssociationType, Category
from hubgraph.domain.limits import MIN_LIMIT, AssociationLimit, allowed_range
from hubgraph.domain.object_types import standard_object_types
from hubgraph.domain.scopes import association_write_scopes, read_scopes
from hubgraph.services.access.portals import Principal
from hubgraph.services.associations.definitions import (
    PortalAssociationTypes,
    portal_association_types,
)
from hubgraph.services.associations.kernel import ObjectTypePair, resolve_pair
from hubgraph.services.context import Services
from hubgraph.services.results import BatchOutcome, ItemError
from hubgraph.store import association_limits as limit_store
from hubgraph.store import association_types as type_store


@dataclass(frozen=True, slots=True)
class LimitInput:
    """One ``PublicAssociationDefinitionConfigurationCreateRequest`` (or update) input."""

    category: str
    type_id: int
    max_to_object_ids: int


@dataclass(frozen=True, slots=True)
class TypeSpec:
    """One ``PublicAssociationSpec`` input of a purge."""

    category: str
    type_id: int


@dataclass(frozen=True, slots=True)
class ConfiguredLimit:
    """A limit with its type's label: ``PublicAssociationDefinitionUserConfiguration``."""

    limit: AssociationLimit
    label: str | None


class Mode(Enum):
    CREATE = "create"
    UPDATE = "update"


def list_all(services: Services, principal: Principal) -> list[ConfiguredLimit]:
    """Every custom limit of the portal, across all pairs."""
    principal.require_any(_any_read_scope())
    with services.database.read() as conn:
        limits = limit_store.list_limits(conn, principal.portal_id)
        types = portal_association_types(services, conn, principal.portal_id)
    return [_with_label(types, limit) for limit in limits]


def list_for_pair(
    services: Services, principal: Principal, from_name: str, to_name: str
) -> list[ConfiguredLimit]:
    pair = resolve_pair(services, from_name, to_name, principal.portal_id)
    principal.require_any(read_scopes(pair.from_type))
    with services.database.read() as conn:
        limits = limit_store.list_limits(
            conn, principal.portal_id, (pair.from_type.id, pair.to_type.id)
        )
        types = portal_association_types(services, conn, principal.portal_id)
    return [_with_label(types, limit) for limit in limits]


def set_limits(
    services: Services,
    principal: Principal,
    from_name: str,
    to_name: str,
    inputs: list[LimitInput],
    mode: Mode,
) -> BatchOutcome[ConfiguredLimit]:
    """batch/create (``mode`` CREATE) or batch/update (UPDATE) of a pair's limits."""
    pair = resolve_pair(services, from_name, to_name, principal.portal_id)
    principal.require_any(association_write_scopes(pair.from_type, pair.to_type))
    a, b = pair.from_type.id, pair.to_type.id
    outcome: BatchOutcome[ConfiguredLimit] = BatchOutcome()
    with services.database.write() as conn:
        if any(i.category == Category.USER_DEFINED.value for i in inputs):
            # A limit on a label deleted meanwhile would outlive it.
            type_store.share_portal_labels(conn, principal.portal_id)
        types = portal_association_types(services, conn, principal.portal_id)
        current = {
            (limit.category, limit.type_id): limit.max_to_object_ids
            for limit in limit_store.list_limits(conn, principal.portal_id, (a, b))
        }
        written: dict[tuple[Category, int], AssociationLimit] = {}
        for item in inputs:
            t = _pair_type(types, pair, item.category, item.type_id)
            if isinstance(t, ItemError):
                outcome.errors.append(t)
                continue
            error = _check(services, types, pair, t, item, current, mode)
            if error is not None:
                outcome.errors.append(error)
                continue
            key = (t.category, t.type_id)
            current[key] = item.max_to_object_ids
            written[key] = AssociationLimit(a, b, t.category, t.type_id, item.max_to_object_ids)
            outcome.results.append(ConfiguredLimit(written[key], t.label))
        write = limit_store.insert_limits if mode is Mode.CREATE else limit_store.update_limits
        write(conn, principal.portal_id, list(written.values()))
    return outcome


def purge_limits(
    services: Services, principal: Principal, from_name: str, to_name: str, specs: list[TypeSpec]
) -> None:
    """Back to HubSpot's default ("Many") for each listed type; unknown ones are ignored."""
    pair = resolve_pair(services, from_name, to_name, principal.portal_id)
    principal.require_any(association_write_scopes(pair.from_type, pair.to_type))
    keys = [
        (pair.from_type.id, pair.to_type.id, Category(s.category), s.type_id)
        for s in specs
        if s.category in Category.__members__
    ]
    with services.database.write() as conn:
        limit_store.delete_limits(conn, principal.portal_id, keys)


def _any_read_scope() -> list[str]:
    scopes: list[str] = []
    for object_type in standard_object_types():
        scopes += read_scopes(object_type)
    return list(dict.fromkeys(scopes))


def _with_label(types: PortalAssociationTypes, limit: AssociationLimit) -> ConfiguredLimit:
    t = types.get(limit.category, limit.type_id)
    return ConfiguredLimit(limit, None if t is None else t.label)


def _pair_type(
    types: PortalAssociationTypes, pair: ObjectTypePair, category: str, type_id: int
) -> AssociationType | ItemError:
    """The input's type, when it is a type of this ordered pair."""
    spec = f"{category}={type_id}"
    t = types.get(Category(category), type_id) if category in Category.__members__ else None
    if t is not None and (t.from_type, t.to_type) == (pair.from_type.id, pair.to_type.id):
        return t
    return ItemError(
        category="VALIDATION_ERROR",
        message=(
            f"{spec} is not a valid association definition id from "
            f"{pair.from_type.singular} to {pair.to_type.singular}"
        ),
        context={
            "associationSpec": [spec],
            "INVALID_ASSOCIATION_TYPE_ID": [f"{spec} is not a valid association definition id"],
        },
    )


def _check(
    services: Services,
    types: PortalAssociationTypes,
    pair: ObjectTypePair,
    t: AssociationType,
    item: LimitInput,
    current: dict[tuple[Category, int], int],
    mode: Mode,
) -> ItemError | None:
    spec = f"{t.category.value}={t.type_id}"
    key = (t.category, t.type_id)
    if mode is Mode.CREATE and key in current:
        return _error(f"{spec} already has a limit; change it with batch/update", spec)
    if mode is Mode.UPDATE and key not in current:
        return _error(f"{spec} has no limit to update; set one with batch/create", spec)
    ceiling = services.settings.max_association_limit
    default = types.default_for(pair.from_type.id, pair.to_type.id)
    allowed = allowed_range(t, default, current, ceiling)
    if item.max_to_object_ids in allowed:
        return None
    why = ""
    if allowed.high < ceiling:
        why = "; a label's limit cannot exceed the limit of the unlabeled association type"
    elif allowed.low > MIN_LIMIT:
        why = "; the unlabeled association type's limit cannot be below a label's limit"
    return _error(
        f"maxToObjectIds {item.max_to_object_ids} is out of range for {spec}: it must be "
        f"between {allowed.low} and {allowed.high}{why}",
        spec,
        allowedRange=[str(allowed.low), str(allowed.high)],
    )


def _error(message: str, spec: str, **context: list[str]) -> ItemError:
    return ItemError(
        category="VALIDATION_ERROR",
        message=message,
        context={"associationSpec": [spec], **context},
    )
