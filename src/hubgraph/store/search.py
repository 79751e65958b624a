"""CRM search in SQL: predicates answered from ``object_search_index`` (migration 0006).

Each positive predicate on a stored property becomes ``id IN (SELECT id FROM the index
WHERE portal, type, name, value…)``: one range of the index's primary key (or of its
numeric index). Negations are ``NOT`` of the same; filter groups are ORed; a ``query``
term is a prefix range over the ``#query`` tokens. Values in the index are lower-cased
by the database's ``lower``, so query values are lower-cased by the same function.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Connection,
    Float,
    MetaData,
    Select,
    String,
    Table,
    Text,
    and_,
    case,
    false,
    func,
    literal,
    not_,
    or_,
    select,
    true,
)

from hubgraph.domain.search import (
    INDEXED_VALUE_CHARS,
    TOKEN_SEPARATORS,
    AssociationPredicate,
    ColumnPredicate,
    Operator,
    Predicate,
    SortKey,
    ValuePredicate,
    iso_bound,
)
from hubgraph.domain.search_property_types import PropertyKind
from hubgraph.store.objects import ObjectRow
from hubgraph.store.tables import associations, objects

# Not in tables.metadata: the index is derived data, kept by triggers, and must stay out
# of portal snapshots (store/snapshots.py copies every table of that metadata).
_index_metadata = MetaData()
search_index = Table(
    "object_search_index",
    _index_metadata,
    Column("portal_id", BigInteger, nullable=False),
    Column("object_type_id", String(32), nullable=False),
    Column("name", Text, nullable=False),
    Column("value", Text, nullable=False),
    Column("num", Float(precision=53), nullable=True),
    Column("id", BigInteger, nullable=False),
)

QUERY_TOKENS = "#query"
_LAST_CHAR = "\U0010ffff"

_COLUMNS = {
    "id": objects.c.id,
    "created_at": objects.c.created_at,
    "updated_at": objects.c.updated_at,
}


class _Scope:
    """One search's portal and object type, and the dialect's JSON access."""

    def __init__(self, conn: Connection, portal_id: int, object_type_id: str) -> None:
        self.portal_id = portal_id
        self.object_type_id = object_type_id
        self.postgres = conn.dialect.name == "postgresql"

    def index_ids(self, name: str, *conditions: ColumnElement[bool]) -> Select[Any]:
        return select(search_index.c.id).where(
            search_index.c.portal_id == self.portal_id,
            search_index.c.object_type_id == self.object_type_id,
            search_index.c.name == name,
            *conditions,
        )

    def stored(self, name: str) -> ColumnElement[Any]:
        """The property's stored value as text (NULL when absent)."""
        if self.postgres:
            return objects.c.properties.op("->>")(literal(name, Text))
        return func.json_extract(
            objects.c.properties, literal('$."' + name.replace('"', '""') + '"')
        )


def _lowered(value: str) -> ColumnElement[str]:
    return func.substr(func.lower(literal(value, Text)), 1, INDEXED_VALUE_CHARS)


def _in_index(scope: _Scope, name: str, *conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    return objects.c.id.in_(scope.index_ids(name, *conditions))


def _compare(
    left: ColumnElement[Any], operator: Operator, values: Sequence[Any]
) -> ColumnElement[bool]:
    if operator is Operator.BETWEEN:
        return left.between(values[0], values[1])
    if operator is Operator.IN:
        return left.in_(list(values))
    op = {
        Operator.EQ: left.__eq__,
        Operator.LT: left.__lt__,
        Operator.LTE: left.__le__,
        Operator.GT: left.__gt__,
        Operator.GTE: left.__ge__,
    }[operator]
    return op(values[0])


def _column(p: ColumnPredicate) -> ColumnElement[bool]:
    if p.operator is Operator.HAS_PROPERTY:
        return true()
    expected = 2 if p.operator is Operator.BETWEEN else 1
    if not p.numbers or (p.operator is not Operator.IN and len(p.numbers) < expected):
        return false()
    if p.operator is Operator.CONTAINS_TOKEN:
        return _COLUMNS[p.column] == p.numbers[0]
    return _compare(_COLUMNS[p.column], p.operator, p.numbers)


def _tokens_match(scope: _Scope, name: str, token: str) -> ColumnElement[bool]:
    """The stored value has ``token`` as a whole token; ``*`` is a wildcard (§4.2)."""
    stored: ColumnElement[Any] = func.lower(scope.stored(name))
    for ch in TOKEN_SEPARATORS[1:]:
        stored = func.replace(stored, ch, " ")
    padded = literal(" ") + stored + literal(" ")
    pattern = func.lower(literal(token, Text))
    escaped = func.replace(
        func.replace(func.replace(pattern, "\\", "\\\\"), "%", "\\%"), "_", "\\_"
    )
    wildcard = func.replace(escaped, "*", "%")
    if "*" in token:
        return func.lower(scope.stored(name)).like(wildcard, escape="\\")
    return padded.like(literal("% ") + wildcard + literal(" %"), escape="\\")


def _value(scope: _Scope, p: ValuePredicate) -> ColumnElement[bool]:
    if p.operator is Operator.HAS_PROPERTY:
        return _in_index(scope, p.name)
    if p.operator is Operator.CONTAINS_TOKEN:
        return and_(_in_index(scope, p.name), _tokens_match(scope, p.name, p.texts[0]))
    if p.numbers and (
        p.operator in (Operator.LT, Operator.LTE, Operator.GT, Operator.GTE, Operator.BETWEEN)
        or p.kind is PropertyKind.NUMBER
    ):
        matched = _in_index(scope, p.name, _compare(search_index.c.num, p.operator, p.numbers))
        if p.kind in (PropertyKind.DATETIME, PropertyKind.DATE):
            # Dates stored as ISO text compare as text with the ISO form of the bound.
            return or_(matched, _iso_range(scope, p))
        return matched
    if p.operator is Operator.IN:
        if p.kind is PropertyKind.ENUMERATION:
            candidates = _in_index(
                scope, p.name, search_index.c.value.in_([_lowered(t) for t in p.texts])
            )
            return and_(candidates, scope.stored(p.name).in_(list(p.texts)))
        # HubSpot compares IN values as sent: upper-case values never match (§4.3).
        return _in_index(scope, p.name, search_index.c.value.in_(list(p.texts)))
    lowered = [_lowered(t) for t in p.texts]
    matched = _in_index(scope, p.name, _compare(search_index.c.value, p.operator, lowered))
    if p.kind is PropertyKind.ENUMERATION:
        # Enumerations are case-sensitive for every operator (§4.3): check the JSON.
        return and_(matched, _compare(scope.stored(p.name), p.operator, list(p.texts)))
    if p.operator is Operator.EQ and len(p.texts[0]) > INDEXED_VALUE_CHARS:
        return and_(
            matched, func.lower(scope.stored(p.name)) == func.lower(literal(p.texts[0], Text))
        )
    return matched


def _iso_range(scope: _Scope, p: ValuePredicate) -> ColumnElement[bool]:
    bounds = [iso_bound(n, p.kind) for n in p.numbers]
    return _in_index(
        scope,
        p.name,
        search_index.c.num.is_(None),
        _compare(search_index.c.value, p.operator, bounds),
    )


def _association(scope: _Scope, p: AssociationPredicate) -> ColumnElement[bool]:
    # The reverse direction is a prefix of the primary key: (portal, from=other, from_id).
    a = associations
    query = select(a.c.to_id).where(
        a.c.portal_id == scope.portal_id,
        a.c.from_type == p.to_type_id,
        a.c.to_type == scope.object_type_id,
    )
    if p.operator is Operator.HAS_PROPERTY:
        query = select(a.c.from_id).where(
            a.c.portal_id == scope.portal_id,
            a.c.from_type == scope.object_type_id,
            a.c.to_type == p.to_type_id,
        )
    elif not p.ids:
        return false()
    else:
        query = query.where(a.c.from_id.in_(list(p.ids)))
    return objects.c.id.in_(query)


def _predicate(scope: _Scope, p: Predicate) -> ColumnElement[bool]:
    if isinstance(p, ColumnPredicate):
        clause = _column(p)
    elif isinstance(p, ValuePredicate):
        clause = _value(scope, p)
    else:
        clause = _association(scope, p)
    return not_(clause) if p.negated else clause


def _query_terms(scope: _Scope, terms: list[str]) -> list[ColumnElement[bool]]:
    clauses = []
    for term in terms:
        low = func.lower(literal(term, Text))
        clauses.append(
            _in_index(
                scope,
                QUERY_TOKENS,
                search_index.c.value >= low,
                search_index.c.value < low + literal(_LAST_CHAR, Text),
            )
        )
    return clauses


def where_clause(
    conn: Connection,
    portal_id: int,
    object_type_id: str,
    groups: Sequence[Sequence[Predicate]],
    query_terms: list[str],
) -> ColumnElement[bool]:
    scope = _Scope(conn, portal_id, object_type_id)
    clauses: list[ColumnElement[bool]] = [
        objects.c.portal_id == portal_id,
        objects.c.object_type_id == object_type_id,
        objects.c.archived_at.is_(None),
        *_query_terms(scope, query_terms),
    ]
    if groups:
        clauses.append(or_(*[and_(true(), *[_predicate(scope, p) for p in g]) for g in groups]))
    return and_(*clauses)


def _order(
    conn: Connection, portal_id: int, object_type_id: str, key: SortKey
) -> list[ColumnElement[Any]]:
    if key.column is not None:
        col: ColumnElement[Any] = _COLUMNS[key.column]
    else:
        stored = _Scope(conn, portal_id, object_type_id).stored(key.name)
        number = key.kind is PropertyKind.NUMBER
        col = _as_number(conn, stored) if number else func.lower(stored)
    primary = col.desc() if key.descending else col.asc()
    if conn.dialect.name == "postgresql" and key.column is None:
        primary = primary.nulls_last()
    tie = objects.c.id.desc() if key.descending else objects.c.id.asc()
    return [primary, tie] if key.column != "id" else [primary]


def _as_number(conn: Connection, stored: ColumnElement[Any]) -> ColumnElement[Any]:
    if conn.dialect.name == "postgresql":
        numeric = stored.op("~")(literal(r"^-?[0-9]+(\.[0-9]+)?$", Text))
        return case((numeric, func.cast(stored, Float(precision=53))), else_=None)
    return func.cast(stored, Float(precision=53))


def search(
    conn: Connection,
    where: ColumnElement[bool],
    key: SortKey,
    portal_id: int,
    object_type_id: str,
    *,
    limit: int,
    offset: int,
) -> tuple[int, list[ObjectRow]]:
    """(total, the page): two queries over the same WHERE."""
    total = conn.execute(select(func.count()).select_from(objects).where(where)).scalar_one()
    if limit == 0 or offset >= total:
        return int(total), []
    rows = conn.execute(
        select(objects)
        .where(where)
        .order_by(*_order(conn, portal_id, object_type_id, key))
        .limit(limit)
        .offset(offset)
    )
    return int(total), [
        ObjectRow(r.id, r.properties, r.created_at, r.updated_at, r.archived_at) for r in rows
    ]
