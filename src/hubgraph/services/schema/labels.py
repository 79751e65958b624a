"""Association labels (``…/{fromObjectType}/{toObjectType}/labels``, reference §2.1).

HubSpot-defined types are listed but never changed; USER_DEFINED labels are created,
relabelled and deleted per portal. Every other endpoint sees a label through
``PortalAssociationTypes``, so a new label works everywhere at once.
"""

from __future__ import annotations

from hubgraph.domain.association_types import AssociationType, Category
from hubgraph.domain.labels import LabelDefinition, between, definition_count, name_problem
from hubgraph.domain.scopes import association_write_scopes, read_scopes
from hubgraph.errors import ValidationError
from hubgraph.services.access.portals import Principal
from hubgraph.services.associations.definitions import (
    PortalAssociationTypes,
    portal_association_types,
)
from hubgraph.services.associations.kernel import ObjectTypePair, resolve_pair
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.store import association_limits as limit_store
from hubgraph.store import association_types as type_store


def list_labels(
    services: Services, principal: Principal, from_name: str, to_name: str
) -> list[AssociationType]:
    """Every type of the ordered pair, HubSpot's and the portal's, by typeId."""
    pair = resolve_pair(services, from_name, to_name, principal.portal_id)
    principal.require_any(read_scopes(pair.from_type))
    with services.database.read() as conn:
        types = portal_association_types(services, conn, principal.portal_id)
    found = types.for_pair(pair.from_type.id, pair.to_type.id)
    return sorted(found, key=lambda t: (t.type_id, t.category.value))


def create_label(
    services: Services,
    principal: Principal,
    from_name: str,
    to_name: str,
    *,
    name: str,
    label: str,
    inverse_label: str | None,
) -> list[AssociationType]:
    """Create a single or paired label; its new types, inverse first as HubSpot lists them."""
    pair = resolve_pair(services, from_name, to_name, principal.portal_id)
    principal.require_any(association_write_scopes(pair.from_type, pair.to_type))
    _check_text(name=name, label=label, inverse_label=inverse_label)
    a, b = pair.from_type.id, pair.to_type.id
    _require_associable(services, pair, principal.portal_id)
    definition = LabelDefinition(a, b, label, inverse_label)
    with services.database.write() as conn:
        type_store.lock_portal_labels(conn, principal.portal_id)
        existing = type_store.user_defined_types(conn, principal.portal_id)
        cap = services.settings.max_labels_per_object_pair
        if definition_count(existing, a, b) >= cap:
            raise ValidationError(
                f"There can be at most {cap} association labels between "
                f"{pair.from_type.singular} and {pair.to_type.singular}",
                context={"maxLabels": [str(cap)]},
            )
        if name in type_store.names_between(conn, principal.portal_id, a, b):
            raise ValidationError(
                f"An association label named {name} already exists between "
                f"{pair.from_type.singular} and {pair.to_type.singular}",
                context={"name": [name]},
            )
        ids = type_store.allocate_type_ids(conn, principal.portal_id, definition.type_count)
        created = definition.types(ids)
        type_store.insert_types(conn, principal.portal_id, created, name, now_ms())
    return sorted(created, key=lambda t: -t.type_id)


def update_label(
    services: Services,
    principal: Principal,
    from_name: str,
    to_name: str,
    *,
    type_id: int,
    label: str,
    inverse_label: str | None,
) -> None:
    """Change a label's text (never its name or ids).

    ``inverseLabel`` sets the opposite direction's text. Without it, a single label
    (both directions showing the same text) keeps showing one text both ways.
    """
    pair = resolve_pair(services, from_name, to_name, principal.portal_id)
    principal.require_any(association_write_scopes(pair.from_type, pair.to_type))
    _check_text(label=label, inverse_label=inverse_label)
    with services.database.write() as conn:
        type_store.lock_portal_labels(conn, principal.portal_id)
        types = portal_association_types(services, conn, principal.portal_id)
        target = _user_label(types, pair, type_id, action="changed")
        inverse = types.inverse_of(target)
        labels = {target.type_id: label}
        if inverse.type_id != target.type_id:
            if inverse_label is not None:
                labels[inverse.type_id] = inverse_label
            elif inverse.label == target.label:
                labels[inverse.type_id] = label
        elif inverse_label is not None and inverse_label != label:
            raise ValidationError(
                f"USER_DEFINED={type_id} is a single label used in both directions; "
                "it cannot have an inverseLabel",
                context={"associationTypeId": [str(type_id)]},
            )
        type_store.set_labels(conn, principal.portal_id, labels)


def delete_label(
    services: Services, principal: Principal, from_name: str, to_name: str, type_id: int
) -> None:
    """Delete a label definition (both its directions) and any limits set on it."""
    pair = resolve_pair(services, from_name, to_name, principal.portal_id)
    principal.require_any(association_write_scopes(pair.from_type, pair.to_type))
    with services.database.write() as conn:
        type_store.lock_portal_labels(conn, principal.portal_id)
        types = portal_association_types(services, conn, principal.portal_id)
        target = _user_label(types, pair, type_id, action="deleted")
        both = list({target, types.inverse_of(target)})
        if type_store.in_use(conn, principal.portal_id, both):
            raise ValidationError(
                f"The association label {target.label!r} (USER_DEFINED={type_id}) is still "
                "used by associations between records. Remove the label from those "
                "associations before deleting it.",
                context={"associationTypeId": [str(type_id)]},
            )
        type_store.delete_types(conn, principal.portal_id, [t.type_id for t in both])
        limit_store.delete_limits(
            conn,
            principal.portal_id,
            [(t.from_type, t.to_type, t.category, t.type_id) for t in both],
        )


def _check_text(*, label: str, inverse_label: str | None, name: str | None = None) -> None:
    problem = None if name is None else name_problem(name)
    if problem is None and not label.strip():
        problem = "label must not be empty"
    if problem is None and inverse_label is not None and not inverse_label.strip():
        problem = "inverseLabel must not be empty"
    if problem is not None:
        raise ValidationError(f"Invalid association label: {problem}")


def _require_associable(services: Services, pair: ObjectTypePair, portal_id: int) -> None:
    """Labels refine an association, so the pair must be one records can be associated in:
    HubSpot's pairs, and a custom object's pairs once its schema defines them."""
    if pair.from_type.is_custom or pair.to_type.is_custom:
        with services.database.read() as conn:
            types = portal_association_types(services, conn, portal_id)
        default = types.default_for(pair.from_type.id, pair.to_type.id)
    else:
        default = services.association_types.default_for(pair.from_type.id, pair.to_type.id)
    if default is None:
        raise ValidationError(
            f"Association labels cannot be created between {pair.from_type.singular} "
            f"and {pair.to_type.singular}",
            context={"fromObjectType": [pair.from_type.id], "toObjectType": [pair.to_type.id]},
        )


def _user_label(
    types: PortalAssociationTypes, pair: ObjectTypePair, type_id: int, *, action: str
) -> AssociationType:
    """The USER_DEFINED type with this id joining the pair (either direction)."""
    found = types.get(Category.USER_DEFINED, type_id)
    if found is not None and between(found, pair.from_type.id, pair.to_type.id):
        return found
    hubspot = types.get(Category.HUBSPOT_DEFINED, type_id)
    if hubspot is not None and between(hubspot, pair.from_type.id, pair.to_type.id):
        raise ValidationError(
            f"HUBSPOT_DEFINED={type_id} is a HubSpot-defined association type; "
            f"only USER_DEFINED labels can be {action}",
            context={"associationTypeId": [str(type_id)]},
        )
    raise ValidationError(
        f"USER_DEFINED={type_id} is not a valid association definition id between "
        f"{pair.from_type.singular} and {pair.to_type.singular}",
        context={
            "INVALID_ASSOCIATION_TYPE_ID": [
                f"USER_DEFINED={type_id} is not a valid association definition id"
            ]
        },
    )
