"""CRM search (reference §4): the request, its limits, and each filter resolved into a
predicate the store can answer from its search index.

HubSpot's rules applied here (§4.2, §4.3): filter values are case-insensitive except on
enumerations (case-sensitive for every operator); ``IN``/``NOT_IN`` on strings compare
with the values as sent, so only lower-case values can match; date properties compare in
epoch milliseconds (clients send ms strings or ISO-8601); numbers compare numerically.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from hubgraph.errors import ValidationError

MAX_FILTER_GROUPS = 5
MAX_FILTERS_PER_GROUP = 6
MAX_FILTERS = 18
MAX_LIMIT = 200
DEFAULT_LIMIT = 10
MAX_RESULTS = 10_000
MAX_QUERY_CHARS = 3_000
# The index keeps values cut to this many characters (migration 0006_search).
INDEXED_VALUE_CHARS = 200
INDEXED_TOKEN_CHARS = 100
# What splits values into tokens, for ``query`` and CONTAINS_TOKEN (migration 0006).
TOKEN_SEPARATORS = " \t\n\r@.,;:()/\"'_-"  # noqa: S105 - not a secret
ASSOCIATIONS_PREFIX = "associations."
# Search has its own limit: 5 requests a second per account, instead of the ten-secondly
# one (reference §4.4; the spec's x-hubspot-rate-limit-exemptions: ["ten-secondly"]).
SEARCH_PER_SECOND = 5
SEARCH_WINDOW_MS = 1_000
_SEARCH_PATH = re.compile(r"^/crm/(v3/objects|objects/2026-03)/[^/]+/search/?$")


class PropertyKind(StrEnum):
    """What a property's values are, as far as comparisons need: the Properties API's
    ``type`` (``phone_number`` compares as a string)."""

    STRING = "string"
    NUMBER = "number"
    DATETIME = "datetime"
    DATE = "date"
    ENUMERATION = "enumeration"
    BOOL = "bool"


def kind_of(property_type: str | None) -> PropertyKind:
    """The kind of a property of ``type`` (None: unknown to the catalogue, a string)."""
    try:
        return PropertyKind(property_type) if property_type else PropertyKind.STRING
    except ValueError:
        return PropertyKind.STRING


# System properties derived from the record row, never stored (api/objects_v3/models.py);
# every object type has them, custom objects too.
SYSTEM_COLUMNS = {
    "hs_object_id": "id",
    "createdate": "created_at",
    "hs_createdate": "created_at",
    "lastmodifieddate": "updated_at",
    "hs_lastmodifieddate": "updated_at",
}


def system_kind(name: str) -> PropertyKind | None:
    """The kind of a system property kept in a column, whatever the catalogue says."""
    column = SYSTEM_COLUMNS.get(name)
    if column is None:
        return None
    return PropertyKind.NUMBER if column == "id" else PropertyKind.DATETIME


def is_search(method: str, path: str) -> bool:
    return method == "POST" and _SEARCH_PATH.match(path) is not None


class Operator(StrEnum):
    EQ = "EQ"
    NEQ = "NEQ"
    LT = "LT"
    LTE = "LTE"
    GT = "GT"
    GTE = "GTE"
    BETWEEN = "BETWEEN"
    IN = "IN"
    NOT_IN = "NOT_IN"
    HAS_PROPERTY = "HAS_PROPERTY"
    NOT_HAS_PROPERTY = "NOT_HAS_PROPERTY"
    CONTAINS_TOKEN = "CONTAINS_TOKEN"  # noqa: S105 - an operator, not a secret
    NOT_CONTAINS_TOKEN = "NOT_CONTAINS_TOKEN"  # noqa: S105


NEGATIONS = {
    Operator.NEQ: Operator.EQ,
    Operator.NOT_IN: Operator.IN,
    Operator.NOT_HAS_PROPERTY: Operator.HAS_PROPERTY,
    Operator.NOT_CONTAINS_TOKEN: Operator.CONTAINS_TOKEN,
}
RANGES = frozenset({Operator.LT, Operator.LTE, Operator.GT, Operator.GTE, Operator.BETWEEN})


@dataclass(frozen=True, slots=True)
class Filter:
    property_name: str
    operator: Operator
    value: str | None = None
    high_value: str | None = None
    values: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Sort:
    property_name: str
    descending: bool = False


@dataclass(frozen=True, slots=True)
class SearchRequest:
    filter_groups: tuple[tuple[Filter, ...], ...] = ()
    query: str | None = None
    sort: Sort | None = None
    properties: tuple[str, ...] | None = None
    limit: int = DEFAULT_LIMIT
    offset: int = 0


# --------------------------------------------------------------------------- predicates


@dataclass(frozen=True, slots=True)
class ColumnPredicate:
    """A system property kept in a column of the record row (epoch ms, or the id)."""

    column: str
    operator: Operator  # never a negation: ``negated`` says so
    numbers: tuple[int, ...]
    negated: bool = False


@dataclass(frozen=True, slots=True)
class ValuePredicate:
    """A stored property, answered from the search index (and the JSON for exactness)."""

    name: str
    operator: Operator  # never a negation
    kind: PropertyKind
    texts: tuple[str, ...] = ()
    """Values as sent; the store lower-cases with the database's own ``lower``."""
    numbers: tuple[float, ...] = ()
    """The values as numbers (epoch ms for dates) for ranges and numeric equality."""
    negated: bool = False


@dataclass(frozen=True, slots=True)
class AssociationPredicate:
    """``associations.{type}``: records associated with the given records (§4.6)."""

    to_type_id: str
    operator: Operator  # EQ, IN or HAS_PROPERTY
    ids: tuple[int, ...]
    negated: bool = False


Predicate = ColumnPredicate | ValuePredicate | AssociationPredicate


@dataclass(frozen=True, slots=True)
class SortKey:
    column: str | None
    """``id``, ``created_at`` or ``updated_at``; None: a stored property."""
    name: str
    kind: PropertyKind
    descending: bool


# ------------------------------------------------------------------------------ values

_DIGITS = re.compile(r"-?\d+")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def epoch_ms(value: str) -> int | None:
    """Epoch ms from what clients send for dates: ``"1700000000000"`` or ISO-8601."""
    text = value.strip()
    if _DIGITS.fullmatch(text):
        return int(text)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return None
        moment = datetime(day.year, day.month, day.day)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def iso_bound(epoch: float, kind: PropertyKind) -> str:
    """A date bound as stored ISO text reads once lower-cased: ``2024-01-17t19:55:04.281z``."""
    moment = datetime.fromtimestamp(epoch / 1000, tz=UTC)
    if kind is PropertyKind.DATE:
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%dt%H:%M:%S.") + f"{int(epoch) % 1000:03d}z"


def number(value: str) -> float | None:
    text = value.strip()
    return float(text) if _NUMBER.fullmatch(text) else None


def query_terms(query: str) -> list[str]:
    """The ``query`` split as the index splits values; each term matches a token prefix."""
    pattern = "[" + re.escape(TOKEN_SEPARATORS) + "]+"
    return [t[:INDEXED_TOKEN_CHARS] for t in re.split(pattern, query) if t]


# ---------------------------------------------------------------------------- limits


def check_limits(request: SearchRequest) -> None:
    groups = request.filter_groups
    if len(groups) > MAX_FILTER_GROUPS:
        raise ValidationError(
            f"Too many filter groups ({len(groups)}). The maximum number of filter groups "
            f"is {MAX_FILTER_GROUPS}."
        )
    for group in groups:
        if len(group) > MAX_FILTERS_PER_GROUP:
            raise ValidationError(
                f"Too many filters in a filter group ({len(group)}). The maximum number of "
                f"filters per filter group is {MAX_FILTERS_PER_GROUP}."
            )
    total = sum(len(g) for g in groups)
    if total > MAX_FILTERS:
        raise ValidationError(
            f"Too many filters ({total}). The maximum number of filters across all filter "
            f"groups is {MAX_FILTERS}."
        )
    if request.query is not None and len(request.query) > MAX_QUERY_CHARS:
        raise ValidationError(
            f"Query is too long ({len(request.query)} characters). The maximum length is "
            f"{MAX_QUERY_CHARS} characters."
        )
    if request.limit > MAX_LIMIT:
        raise ValidationError(
            f"Invalid limit {request.limit}: the maximum number of results per page is {MAX_LIMIT}."
        )
    if request.limit < 0 or request.offset < 0:
        raise ValidationError("limit and after must not be negative.")
    if request.offset + request.limit > MAX_RESULTS:
        raise ValidationError(
            f"The search endpoints are limited to {MAX_RESULTS:,} total results for any "
            "given query: after + limit must not exceed it.",
            context={"after": [str(request.offset)], "limit": [str(request.limit)]},
        )


def check_filter(f: Filter) -> None:
    """What HubSpot's request parser refuses (reference §4.2; observed bodies)."""
    if f.operator is Operator.BETWEEN and f.high_value is None:
        raise ValidationError(
            "Invalid input JSON: Cannot construct instance of "
            "`com.hubspot.inbounddb.publicobject.core.v3.search.Filter`, problem: operator "
            "BETWEEN requires a highValue"
        )
    needs_value = f.operator not in (
        Operator.HAS_PROPERTY,
        Operator.NOT_HAS_PROPERTY,
        Operator.IN,
        Operator.NOT_IN,
    )
    if needs_value and f.value is None:
        raise ValidationError(
            f"Invalid input JSON: operator {f.operator} on {f.property_name} requires a value"
        )
    if f.operator in (Operator.IN, Operator.NOT_IN) and not f.values:
        raise ValidationError(
            f"Invalid input JSON: operator {f.operator} on {f.property_name} requires values"
        )


def resolve_filter(f: Filter, kind: PropertyKind) -> ColumnPredicate | ValuePredicate:
    """A property filter as a predicate on a column or on the index."""
    check_filter(f)
    negated = f.operator in NEGATIONS
    operator = NEGATIONS.get(f.operator, f.operator)
    raw = _raw_values(f, operator)
    column = SYSTEM_COLUMNS.get(f.property_name)
    if column is not None:
        convert = _id if column == "id" else epoch_ms
        numbers = [convert(v) for v in raw]
        return ColumnPredicate(
            column, operator, tuple(n for n in numbers if n is not None), negated
        )
    numbers_ = _numbers(raw, kind, operator)
    return ValuePredicate(f.property_name, operator, kind, tuple(raw), numbers_, negated)


def _raw_values(f: Filter, operator: Operator) -> list[str]:
    if operator is Operator.IN:
        return list(f.values)
    if operator is Operator.BETWEEN:
        return [f.value or "", f.high_value or ""]
    if operator is Operator.HAS_PROPERTY:
        return []
    return [f.value or ""]


def _numbers(raw: list[str], kind: PropertyKind, operator: Operator) -> tuple[float, ...]:
    """Numbers when the comparison is numeric; empty when it compares text."""
    if kind in (PropertyKind.DATETIME, PropertyKind.DATE):
        converted: list[float | None] = [_float(epoch_ms(v)) for v in raw]
    elif kind is PropertyKind.NUMBER or (kind is PropertyKind.STRING and operator in RANGES):
        converted = [number(v) for v in raw]
    else:
        return ()
    if any(n is None for n in converted):
        return ()
    return tuple(n for n in converted if n is not None)


def _float(value: int | None) -> float | None:
    return None if value is None else float(value)


def _id(value: str) -> int | None:
    text = value.strip()
    return int(text) if text.isdigit() else None


def resolve_association(f: Filter, to_type_id: str) -> AssociationPredicate:
    check_filter(f)
    negated = f.operator in NEGATIONS
    operator = NEGATIONS.get(f.operator, f.operator)
    if operator not in (Operator.EQ, Operator.IN, Operator.HAS_PROPERTY):
        raise ValidationError(
            f"Operator {f.operator} is not supported for {f.property_name}; use EQ, NEQ, "
            "IN, NOT_IN, HAS_PROPERTY or NOT_HAS_PROPERTY."
        )
    ids = [_id(v) for v in _raw_values(f, operator)]
    return AssociationPredicate(to_type_id, operator, tuple(i for i in ids if i), negated)


def sort_key(sort: Sort | None, kind: PropertyKind) -> SortKey:
    """No sort: oldest first, i.e. by id, which grows with creation (reference §4.5)."""
    if sort is None:
        return SortKey("id", "hs_object_id", PropertyKind.NUMBER, False)
    column = SYSTEM_COLUMNS.get(sort.property_name)
    return SortKey(column, sort.property_name, kind, sort.descending)
