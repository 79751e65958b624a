"""The properties HubSpot maintains on every record, derived from the record's row.

They are never stored: the id and the two timestamps are the truth, so a value can't
drift from ``createdAt``/``updatedAt`` (reference §1.6-1.7). Contacts keep both the
legacy ``lastmodifieddate`` and ``hs_lastmodifieddate``; incremental syncs read either.
"""

from __future__ import annotations

from collections.abc import Callable

CONTACTS = "0-1"

# Sent on every record whatever ``properties`` asked for: what HubSpot's responses always
# carry (reference §4.7 example: ``createdate``, ``hs_object_id``, ``lastmodifieddate``),
# plus ``hs_lastmodifieddate``, which the other types' responses carry.
_ALWAYS = ("createdate", "hs_lastmodifieddate", "hs_object_id")
_ALWAYS_CONTACTS = (*_ALWAYS, "lastmodifieddate")

_DERIVED: dict[str, Callable[[int, int, int], int | str]] = {
    "hs_object_id": lambda object_id, created, updated: str(object_id),
    "createdate": lambda object_id, created, updated: created,
    "hs_createdate": lambda object_id, created, updated: created,
    "hs_lastmodifieddate": lambda object_id, created, updated: updated,
}
_DERIVED_CONTACTS = {**_DERIVED, "lastmodifieddate": _DERIVED["hs_lastmodifieddate"]}


# Derived unless the record holds its own value: ``createdate`` may be written (imports and
# migrations set it; reference §1.7). The others are read-only and always derived.
WRITABLE = frozenset({"createdate"})


def always_returned(object_type_id: str) -> tuple[str, ...]:
    return _ALWAYS_CONTACTS if object_type_id == CONTACTS else _ALWAYS


def derived_names(object_type_id: str) -> frozenset[str]:
    return frozenset(_DERIVED_CONTACTS if object_type_id == CONTACTS else _DERIVED)


def derived_value(
    object_type_id: str,
    name: str,
    object_id: int,
    created_at: int,
    updated_at: int,
    render_time: Callable[[int], str],
) -> str | None:
    """The value of a maintained property, or None when ``name`` is not one of them
    (callers keep a stored value of a ``WRITABLE`` one instead)."""
    derive = (_DERIVED_CONTACTS if object_type_id == CONTACTS else _DERIVED).get(name)
    if derive is None:
        return None
    value = derive(object_id, created_at, updated_at)
    return value if isinstance(value, str) else render_time(value)
