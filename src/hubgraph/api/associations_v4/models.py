"""Request models and response renderers, named as HubSpot's v4 spec names its schemas."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from operator import itemgetter
from typing import Any, cast

import orjson
from pydantic import ConfigDict, Field, TypeAdapter
from typing_extensions import TypedDict

from hubgraph.api.http.body import HubSpotModel
from hubgraph.domain.association_types import AssociationTypeCatalog, Category
from hubgraph.domain.associations import Association
from hubgraph.services.associations.default_writes import WrittenPairs
from hubgraph.services.associations.labelled_writes import LabelledInput, LabelsBetweenObjectPair
from hubgraph.services.associations.reads import (
    PageRows,
    category_of,
    encode_cursor,
)


class PublicObjectId(HubSpotModel):
    id: str


class PublicDefaultAssociationMultiPost(HubSpotModel):
    from_: PublicObjectId = Field(alias="from")
    to: PublicObjectId


class BatchInputPublicDefaultAssociationMultiPost(HubSpotModel):
    inputs: list[PublicDefaultAssociationMultiPost]


# The bulk path validates into TypedDicts of the same shape: pydantic-core then builds
# plain dicts instead of 2 x 2,000 model instances, about 3x faster (docs/performance.md).
class PublicObjectIdDict(TypedDict):
    __pydantic_config__ = ConfigDict(coerce_numbers_to_str=True)  # type: ignore[misc]
    id: str


PublicDefaultAssociationMultiPostDict = TypedDict(
    "PublicDefaultAssociationMultiPostDict", {"from": PublicObjectIdDict, "to": PublicObjectIdDict}
)


class BatchInputPublicDefaultAssociationMultiPostDict(TypedDict):
    inputs: list[PublicDefaultAssociationMultiPostDict]


BATCH_INPUT_DEFAULT = TypeAdapter(BatchInputPublicDefaultAssociationMultiPostDict)

_FROM, _TO, _ID = itemgetter("from"), itemgetter("to"), itemgetter("id")


def default_input_ids(
    inputs: list[PublicDefaultAssociationMultiPostDict],
) -> tuple[list[str], list[str]]:
    """The inputs' from- and to-ids as two columns (C loops, no Python call per input)."""
    return list(map(_ID, map(_FROM, inputs))), list(map(_ID, map(_TO, inputs)))


def plain_default_batch(parsed: Any) -> BatchInputPublicDefaultAssociationMultiPostDict | None:
    """The parsed body as ``BATCH_INPUT_DEFAULT`` would validate it, when it plainly is one:
    every input an object whose ``from`` and ``to`` are objects with a string ``id``
    (keys beyond those are never read). Anything else (None) gets validation's errors."""
    inputs = parsed.get("inputs") if type(parsed) is dict else None
    if type(inputs) is not list:
        return None
    try:
        from_ids, to_ids = default_input_ids(inputs)
    except (TypeError, KeyError):  # not an object, or a key missing, somewhere
        return None
    if not set(map(type, from_ids)).union(map(type, to_ids)) <= {str}:
        return None  # numbers are made strings by validation
    return cast(BatchInputPublicDefaultAssociationMultiPostDict, parsed)


@functools.cache
def _association_spec(category: str, type_id: int) -> dict[str, Any]:
    # One shared dict per type: orjson writes it the same, and 4,000 rows allocate less.
    return {"associationCategory": category, "associationTypeId": type_id}


def public_default_association(row: Association) -> dict[str, Any]:
    """``PublicDefaultAssociation``: ids as strings, as HubSpot sends them in this shape."""
    return {
        "from": {"id": str(row.from_id)},
        "to": {"id": str(row.to_id)},
        "associationSpec": _association_spec(row.category.value, row.type_id),
    }


# --- record-level and batch label endpoints ----------------------------------------------


class AssociationSpec(HubSpotModel):
    associationCategory: Category
    associationTypeId: int

    @property
    def key(self) -> tuple[Category, int]:
        return (self.associationCategory, self.associationTypeId)


class PublicAssociationMultiPost(HubSpotModel):
    from_: PublicObjectId = Field(alias="from")
    to: PublicObjectId
    types: list[AssociationSpec]


class BatchInputPublicAssociationMultiPost(HubSpotModel):
    inputs: list[PublicAssociationMultiPost]


class PublicAssociationMultiArchive(HubSpotModel):
    from_: PublicObjectId = Field(alias="from")
    to: list[PublicObjectId]


class BatchInputPublicAssociationMultiArchive(HubSpotModel):
    inputs: list[PublicAssociationMultiArchive]


class PublicFetchAssociationsBatchRequest(HubSpotModel):
    id: str
    after: str | None = None


class BatchInputPublicFetchAssociationsBatchRequest(HubSpotModel):
    inputs: list[PublicFetchAssociationsBatchRequest]


ASSOCIATION_SPECS = TypeAdapter(list[AssociationSpec])
BATCH_INPUT_MULTI_POST = TypeAdapter(BatchInputPublicAssociationMultiPost)
BATCH_INPUT_MULTI_ARCHIVE = TypeAdapter(BatchInputPublicAssociationMultiArchive)
BATCH_INPUT_FETCH = TypeAdapter(BatchInputPublicFetchAssociationsBatchRequest)


def labelled_inputs(batch: BatchInputPublicAssociationMultiPost) -> list[LabelledInput]:
    return [LabelledInput(i.from_.id, i.to.id, [t.key for t in i.types]) for i in batch.inputs]


def labels_between_object_pair(r: LabelsBetweenObjectPair) -> dict[str, Any]:
    """``LabelsBetweenObjectPair``: object ids as JSON numbers, as HubSpot sends them (§1.13)."""
    return {
        "fromObjectTypeId": r.from_type,
        "fromObjectId": r.from_id,
        "toObjectTypeId": r.to_type,
        "toObjectId": r.to_id,
        "labels": r.labels,
    }


def pages_json(pages: PageRows) -> dict[int, tuple[str, str | None]]:
    """Each from-record of ``pages`` → its ``to`` list as JSON (the bytes orjson writes for
    ``[{"toObjectId": …, "associationTypes": [{"category", "typeId", "label"}, …]}, …]``)
    and the cursor of its next page: one pass over the rows, one string per target, each type's JSON
    rendered once, no object per row (docs/performance.md, round 3)."""
    size, hubspot = pages.size, pages.hubspot
    default_code, default_type = pages.default or (-1, -1)
    specs: dict[tuple[int, int, str | None], str] = {}
    out: dict[int, tuple[str, str | None]] = {}
    items: list[str] = []  # the current from-record's targets, rendered
    # The current target's types, rendered, the unlabeled one first: most targets have
    # one, so no list is made per target (with the type kept from the row before, 6.9 ->
    # 4.9 ms of CPU for 11,000 rows).
    head = ""
    more: list[str] = []
    from_id = to_id = shown = -1  # shown: the page's last target, once it has ``size``
    spec, last_code, last_type, last_label = "", -1, -1, None
    for f, t, code, type_id, label in pages.rows:
        # Consecutive rows mostly have the same type: no key is built for those.
        if type_id != last_type or code != last_code or label != last_label:
            last_code, last_type, last_label = code, type_id, label
            found = specs.get((code, type_id, label))
            if found is None:
                found = specs[(code, type_id, label)] = _type_json(hubspot, code, type_id, label)
            spec = found
        if t == to_id and f == from_id:  # another type of the same target
            if type_id == default_type and code == default_code:
                more.insert(0, head)
                head = spec
            else:
                more.append(spec)
            continue
        if head:
            if more:
                head += "," + ",".join(more)
                more = []
            items.append(f'{{"toObjectId":{to_id},"associationTypes":[{head}]}}')
            if len(items) == size:
                shown = to_id
        if f != from_id:
            if items:
                out[from_id] = _page_json(items, shown, size)
                items = []
            from_id = f
        to_id = t
        head = spec
    if head:
        if more:
            head += "," + ",".join(more)
        items.append(f'{{"toObjectId":{to_id},"associationTypes":[{head}]}}')
        if len(items) == size:
            shown = to_id
    if items:
        out[from_id] = _page_json(items, shown, size)
    return out


def _type_json(hubspot: AssociationTypeCatalog, code: int, type_id: int, label: str | None) -> str:
    category = category_of(code)
    if category is Category.HUBSPOT_DEFINED:
        known = hubspot.get(category, type_id)
        label = known.label if known is not None else None
    return orjson.dumps({"category": category.value, "typeId": type_id, "label": label}).decode()


def _page_json(items: list[str], shown: int, size: int) -> tuple[str, str | None]:
    """Rows were fetched for ``size + 1`` targets; the extra one only says more remain."""
    if len(items) <= size:
        return "[" + ",".join(items) + "]", None
    return "[" + ",".join(items[:size]) + "]", encode_cursor(shown)


def page_body_json(pages: PageRows) -> bytes:
    """``CollectionResponseMultiAssociatedObjectWithLabelForwardPaging`` of one record."""
    found = pages_json(pages)
    if not found:
        return b'{"results":[]}'
    ((to, after),) = found.values()
    return orjson.dumps({"results": orjson.Fragment(to), **forward_paging(after)})


def forward_paging(after: str | None) -> dict[str, Any]:
    """``paging`` only when more results exist (reference §1.4)."""
    return {} if after is None else {"paging": {"next": {"after": after}}}


def batch_read_results_json(
    answered: Iterable[tuple[str, int]], rendered: Mapping[int, tuple[str, str | None]]
) -> list[str]:
    """Each answered input of ``batch/read`` (its raw id, its record's id) as
    ``PublicAssociationMultiWithLabel`` JSON, its targets from ``pages_json``: the bytes
    orjson writes for ``{"from": {"id": …}, "to": […], "paging": …}`` (paging only when
    more remain), one string per input, no dict or second pass of orjson over the targets
    (1,000 inputs, with the envelope written around them: 2.5 -> 0.7 ms)."""
    out: list[str] = []
    for raw_id, from_id in answered:
        to, after = rendered[from_id]
        head = '{"from":{"id":' + orjson.dumps(raw_id).decode() + '},"to":' + to
        if after is None:
            out.append(head + "}")
        else:
            cursor = orjson.dumps(after).decode()
            out.append(head + ',"paging":{"next":{"after":' + cursor + "}}}")
    return out


@functools.cache
def _association_spec_json(category: str, type_id: int) -> str:
    return orjson.dumps(_association_spec(category, type_id)).decode()


def public_default_associations_json(rows: Iterable[Association]) -> orjson.Fragment:
    """A list of ``PublicDefaultAssociation`` as ready JSON, the same bytes orjson would
    write for ``public_default_association`` of each row: one string per row instead of four
    dicts, for the bulk path (docs/performance.md). Ids are integers, so need no escaping.
    """
    spec = _association_spec_json
    items = [
        f'{{"from":{{"id":"{r.from_id}"}},"to":{{"id":"{r.to_id}"}},'
        f'"associationSpec":{spec(r.category.value, r.type_id)}}}'
        for r in rows
    ]
    return orjson.Fragment("[" + ",".join(items) + "]")


def public_default_written_json(written: WrittenPairs | list[Association]) -> orjson.Fragment:
    """``public_default_associations_json`` of what a default batch wrote, rendered
    straight from its id pairs: one string per input for both directions."""
    if not isinstance(written, WrittenPairs) or written.from_type == written.to_type:
        # Rows of one type pair on both sides can coincide across inputs: dedupe by row.
        rows = written.rows() if isinstance(written, WrittenPairs) else written
        return public_default_associations_json(rows)
    fw, bw = written.forward, written.backward
    forward = _association_spec_json(fw.category.value, fw.type_id)
    backward = _association_spec_json(bw.category.value, bw.type_id)
    items = [
        f'{{"from":{{"id":"{f}"}},"to":{{"id":"{t}"}},"associationSpec":{forward}}},'
        f'{{"from":{{"id":"{t}"}},"to":{{"id":"{f}"}},"associationSpec":{backward}}}'
        for f, t in written.pairs
    ]
    return orjson.Fragment("[" + ",".join(items) + "]")
