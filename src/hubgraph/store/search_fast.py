# ruff: noqa: S608 - the SQL is built from constants and SortKey's columns, never from input
"""The searches integrations make most, each in one fixed statement: one ``EQ`` on one
string property (an email, a domain, an external id: finding a record before writing
it), and a ``query`` of one term without filters (a search box).

The general path (``store/search.py``) builds its SQL with SQLAlchemy per request, which
costs a few milliseconds of Python, more than the database's work for a point lookup.
These statements are text, compiled once per shape and sort; they answer exactly as the
general path does: the index's lower-cased value (cut to ``INDEXED_VALUE_CHARS``) or a
token prefix, live records only, the total as a window count over ids, then the page's
rows by primary key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from sqlalchemy import Connection, TextualSelect, text

from hubgraph.domain.search import (
    INDEXED_VALUE_CHARS,
    Operator,
    Predicate,
    PropertyKind,
    SortKey,
    ValuePredicate,
)
from hubgraph.store.objects import ObjectRow
from hubgraph.store.tables import objects

_FAST_KINDS = (PropertyKind.STRING, PropertyKind.BOOL)
_LAST_CHAR = "\U0010ffff"
_CONDITIONS = {
    "equal": f"s.value = substr(lower(CAST(:value AS TEXT)), 1, {INDEXED_VALUE_CHARS})",
    # A token prefix: one range of the primary key, as store/search.py's ``_term``.
    "prefix": "s.value >= lower(CAST(:value AS TEXT)) "
    "AND s.value < lower(CAST(:value AS TEXT)) || CAST(:last AS TEXT)",
}


@dataclass(frozen=True, slots=True)
class Lookup:
    """One index lookup that decides the whole search."""

    shape: str
    """``equal`` or ``prefix``."""
    name: str
    value: str


def single_lookup(
    groups: Sequence[Sequence[Predicate]],
    query_terms: list[str],
    token_names: tuple[str, ...],
    key: SortKey,
) -> Lookup | None:
    """The search as one lookup these statements answer, else None."""
    if key.column is None:
        return None
    if not groups and len(query_terms) == 1 and len(token_names) == 1:
        return Lookup("prefix", token_names[0], query_terms[0])
    if query_terms or len(groups) != 1 or len(groups[0]) != 1:
        return None
    p = groups[0][0]
    if not isinstance(p, ValuePredicate) or p.negated or p.operator is not Operator.EQ:
        return None
    if p.kind not in _FAST_KINDS or len(p.texts[0]) > INDEXED_VALUE_CHARS:
        return None
    return Lookup("equal", p.name, p.texts[0])


# The lookup's records, each once (a record has several tokens with the same prefix).
_MATCHING_IDS = (
    "SELECT DISTINCT s.id FROM object_search_index AS s "
    "WHERE s.portal_id = :portal_id AND s.object_type_id = :object_type_id "
    "AND s.name = :name AND {condition}"
)
_PAGE_COLUMNS = "SELECT o.id, o.properties, o.created_at, o.updated_at, o.archived_at, page.total "


@cache
def _statement(shape: str, column: str, descending: bool) -> TextualSelect:
    direction = "DESC" if descending else "ASC"
    if column == "id":
        return _by_id(shape, direction)
    order = f"{{t}}.{column} {direction}, {{t}}.id {direction}"
    return text(
        # The matching ids first, on their own: given ``r.id IN (…)`` with an ORDER BY id,
        # PostgreSQL walked the by-record index of the whole type in id order instead
        # (1.5 s for a prefix matching half of 100k records; 0.65 s this way).
        f"WITH found AS MATERIALIZED ({_MATCHING_IDS.format(condition=_CONDITIONS[shape])}) "
        + _PAGE_COLUMNS
        + "FROM (SELECT r.id, r.created_at, r.updated_at, count(*) OVER () AS total "
        "FROM objects AS r JOIN found ON r.portal_id = :portal_id "
        "AND r.object_type_id = :object_type_id AND r.id = found.id "
        "WHERE r.archived_at IS NULL "
        f"ORDER BY {order.format(t='r')} LIMIT :limit OFFSET :offset) page "
        "JOIN objects AS o ON o.portal_id = :portal_id AND o.object_type_id = :object_type_id "
        f"AND o.id = page.id ORDER BY {order.format(t='page')}"
    ).columns(properties=objects.c.properties.type)  # decoded as the table's JSON is


def _by_id(shape: str, direction: str) -> TextualSelect:
    """Sorted by id, the page needs nothing of the matches but their ids: the live ones are
    the index's ids less the archived records' (a small partial index), so no record is
    read but the page's. Joining every match to ``objects`` to check it was live made
    PostgreSQL, misjudging a prefix's matches (670 for 5,500), merge-join the type's whole
    primary key: 210 ms for a `query` with 5,500 matches at 1M contacts, 5 ms this way."""
    return text(
        _PAGE_COLUMNS + "FROM (SELECT f.id, count(*) OVER () AS total FROM ("
        f"{_MATCHING_IDS.format(condition=_CONDITIONS[shape])}) AS f "
        "WHERE NOT EXISTS (SELECT 1 FROM objects AS a WHERE a.portal_id = :portal_id "
        "AND a.object_type_id = :object_type_id AND a.id = f.id "
        "AND a.archived_at IS NOT NULL) "
        f"ORDER BY f.id {direction} LIMIT :limit OFFSET :offset) page "
        "JOIN objects AS o ON o.portal_id = :portal_id AND o.object_type_id = :object_type_id "
        f"AND o.id = page.id ORDER BY page.id {direction}"
    ).columns(properties=objects.c.properties.type)


def search_lookup(
    conn: Connection,
    portal_id: int,
    object_type_id: str,
    lookup: Lookup,
    key: SortKey,
    *,
    limit: int,
    offset: int,
) -> tuple[int, list[ObjectRow]] | None:
    """(total, the page), or None when only a count can tell the total (an empty page
    past the first, or ``limit`` 0), which the general path then answers."""
    if limit <= 0:
        return None
    assert key.column is not None, "single_lookup checked it"
    params: dict[str, object] = {
        "portal_id": portal_id,
        "object_type_id": object_type_id,
        "name": lookup.name,
        "value": lookup.value,
        "limit": limit,
        "offset": offset,
    }
    if lookup.shape == "prefix":
        params["last"] = _LAST_CHAR
    found = conn.execute(_statement(lookup.shape, key.column, key.descending), params).all()
    if not found:
        return (0, []) if offset == 0 else None
    rows = [ObjectRow(r.id, r.properties, r.created_at, r.updated_at, r.archived_at) for r in found]
    return int(found[0].total), rows
