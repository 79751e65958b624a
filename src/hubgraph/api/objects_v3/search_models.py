"""``PublicObjectSearchRequest`` and its parts, as HubSpot's objects v3 spec names them."""

from __future__ import annotations

from typing import Any

import orjson
from pydantic import Field, TypeAdapter

from hubgraph.api.http.body import HubSpotModel
from hubgraph.api.objects_v3.models import PropertyValue, simple_public_object
from hubgraph.domain.search import (
    DEFAULT_LIMIT,
    SYSTEM_COLUMNS,
    Filter,
    Operator,
    SearchRequest,
    Sort,
)
from hubgraph.errors import InvalidJsonInput
from hubgraph.services.clock import iso
from hubgraph.services.search.records import SearchPage


class PublicFilter(HubSpotModel):
    """``Filter``; the required fields are checked after parsing, with HubSpot's message."""

    propertyName: str | None = None
    operator: Operator | None = None
    # Numbers and booleans are read as strings, as HubSpot's parser does ("true", "42").
    value: PropertyValue = None
    highValue: PropertyValue = None
    values: list[PropertyValue] | None = None

    def as_filter(self) -> Filter:
        missing = [name for name in ("propertyName", "operator") if getattr(self, name) is None]
        if self.propertyName is None or self.operator is None:
            raise InvalidJsonInput(
                "Invalid input JSON: Cannot build Filter, some of required attributes are "
                f"not set [{', '.join(missing)}]"
            )
        values = tuple(v for v in self.values or () if v is not None)
        return Filter(self.propertyName, self.operator, self.value, self.highValue, values)


class PublicFilterGroup(HubSpotModel):
    filters: list[PublicFilter] = Field(default_factory=list)


class PublicSort(HubSpotModel):
    propertyName: str
    direction: str = "ASCENDING"


class PublicObjectSearchRequest(HubSpotModel):
    """The spec marks every field required, yet ``{}`` is a valid search (reference §4.1)."""

    filterGroups: list[PublicFilterGroup] = Field(default_factory=list)
    filters: list[PublicFilter] = Field(default_factory=list)
    """Top-level ``filters`` without groups: one AND group (docs example; nodejs#491)."""
    sorts: list[PublicSort | str] = Field(default_factory=list)
    query: str | None = None
    properties: list[str] | None = None
    limit: int | None = None
    after: str | None = None

    def as_request(self) -> SearchRequest:
        groups = [tuple(f.as_filter() for f in g.filters) for g in self.filterGroups]
        if self.filters:
            groups.append(tuple(f.as_filter() for f in self.filters))
        return SearchRequest(
            filter_groups=tuple(g for g in groups if g),
            query=self.query or None,
            sort=_sort(self.sorts[0]) if self.sorts else None,
            properties=tuple(self.properties) if self.properties else None,
            limit=DEFAULT_LIMIT if self.limit is None else self.limit,
            offset=_offset(self.after),
        )


def _sort(raw: PublicSort | str) -> Sort:
    """Only the first sort applies (reference §4.1): an object, ``"-name"``, ``"name"``, or
    an object serialised as a string (the Node SDK README's ``JSON.stringify(sort)``)."""
    if isinstance(raw, str):
        text = raw.strip()
        if text.startswith("{"):
            try:
                raw = PublicSort.model_validate(orjson.loads(text))
            except (orjson.JSONDecodeError, ValueError):
                raise InvalidJsonInput(f"Invalid input JSON: sorts: {text[:100]!r}") from None
        else:
            return Sort(text.removeprefix("-"), text.startswith("-"))
    return Sort(raw.propertyName, raw.direction.upper() == "DESCENDING")


def _offset(after: str | None) -> int:
    """``after`` is an offset, formatted as an integer (reference §4.1)."""
    if after is None or after == "":
        return 0
    text = after.strip()
    if not text.isdigit():
        raise InvalidJsonInput(
            f"Invalid input JSON: after: {after[:100]!r} is not a valid paging cursor; "
            "it must be an integer"
        )
    return int(text)


SEARCH_REQUEST = TypeAdapter(PublicObjectSearchRequest)


def collection_response_with_total(page: SearchPage) -> dict[str, Any]:
    """``CollectionResponseWithTotalSimplePublicObjectForwardPaging`` (reference §4.7)."""
    results = []
    for found in page.objects:
        body = simple_public_object(found, list(page.properties))
        properties = body["properties"]
        row = found.row
        derived = {"id": str(row.id), "created_at": iso(row.created_at)}
        derived["updated_at"] = iso(row.updated_at)
        for name in page.properties:
            column = SYSTEM_COLUMNS.get(name)
            if column is not None:
                properties[name] = derived[column]
        results.append(body)
    response: dict[str, Any] = {"total": page.total, "results": results}
    if page.next_after is not None:
        response["paging"] = {"next": {"after": page.next_after}}
    return response
