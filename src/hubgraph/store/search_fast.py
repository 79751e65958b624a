# ruff: noqa: S608 - the SQL is built from constants and SortKey's columns, never from input
"""The search integrations make most — one ``EQ`` on one string property (an email, a
domain, an external id) to find a record before writing it — in one fixed statement.

The general path (``store/search.py``) builds its SQL with SQLAlchemy per request, which
costs a few milliseconds of Python, more than the database's work for a point lookup.
This statement is text, compiled once per sort; it answers exactly as the general path
does: the index's lower-cased value (cut to ``INDEXED_VALUE_CHARS``), live records only,
the total as a window count over ids, then the page's rows by primary key.
"""

from __future__ import annotations

from collections.abc import Sequence
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


def single_equality(
    groups: Sequence[Sequence[Predicate]], query_terms: list[str], key: SortKey
) -> ValuePredicate | None:
    """The request's one filter when it is an ``EQ`` this statement answers, else None."""
    if query_terms or len(groups) != 1 or len(groups[0]) != 1 or key.column is None:
        return None
    p = groups[0][0]
    if not isinstance(p, ValuePredicate) or p.negated or p.operator is not Operator.EQ:
        return None
    if p.kind not in _FAST_KINDS or len(p.texts[0]) > INDEXED_VALUE_CHARS:
        return None
    return p


@cache
def _statement(column: str, descending: bool) -> TextualSelect:
    direction = "DESC" if descending else "ASC"
    order = f"{{t}}.{column} {direction}"
    if column != "id":
        order += f", {{t}}.id {direction}"
    return text(
        "SELECT o.id, o.properties, o.created_at, o.updated_at, o.archived_at, page.total "
        "FROM (SELECT r.id, r.created_at, r.updated_at, count(*) OVER () AS total "
        "FROM object_search_index s JOIN objects r ON r.portal_id = s.portal_id "
        "AND r.object_type_id = s.object_type_id AND r.id = s.id "
        "WHERE s.portal_id = :portal_id AND s.object_type_id = :object_type_id "
        "AND s.name = :name "
        f"AND s.value = substr(lower(CAST(:value AS TEXT)), 1, {INDEXED_VALUE_CHARS}) "
        f"AND r.archived_at IS NULL ORDER BY {order.format(t='r')} "
        "LIMIT :limit OFFSET :offset) page "
        "JOIN objects o ON o.portal_id = :portal_id AND o.object_type_id = :object_type_id "
        f"AND o.id = page.id ORDER BY {order.format(t='page')}"
    ).columns(properties=objects.c.properties.type)  # decoded as the table's JSON is


def search_equality(
    conn: Connection,
    portal_id: int,
    object_type_id: str,
    p: ValuePredicate,
    key: SortKey,
    *,
    limit: int,
    offset: int,
) -> tuple[int, list[ObjectRow]] | None:
    """(total, the page), or None when only a count can tell the total (an empty page
    past the first), which the general path then answers."""
    if limit <= 0:
        return None
    assert key.column is not None, "single_equality checked it"
    found = conn.execute(
        _statement(key.column, key.descending),
        {
            "portal_id": portal_id,
            "object_type_id": object_type_id,
            "name": p.name,
            "value": p.texts[0],
            "limit": limit,
            "offset": offset,
        },
    ).all()
    if not found:
        return (0, []) if offset == 0 else None
    rows = [ObjectRow(r.id, r.properties, r.created_at, r.updated_at, r.archived_at) for r in found]
    return int(found[0].total), rows
