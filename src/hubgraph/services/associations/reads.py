"""Reading a record's associations: one entry per associated record, all its types.

Archived records neither appear as targets nor have associations of their own, though
their rows are kept (reference §10.4). Pages are ascending by toObjectId; the cursor is
opaque to clients (reference §7).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from hubgraph.domain.association_types import AssociationTypeCatalog, Category
from hubgraph.domain.scopes import read_scopes
from hubgraph.errors import ValidationError
from hubgraph.services.access.portals import Principal
from hubgraph.services.associations.definitions import (
    portal_association_types,
)
from hubgraph.services.associations.kernel import ObjectTypePair, resolve_pair
from hubgraph.services.context import Services
from hubgraph.services.ids import parse_object_id
from hubgraph.services.results import ItemError
from hubgraph.store.association_pages import (
    PageRow,
    page_rows,
    page_rows_on_loop,
    send_page_rows,
)
from hubgraph.store.associations import CATEGORIES_BY_CODE, CATEGORY_CODES
from hubgraph.store.driver import statement_pipeline

if TYPE_CHECKING:
    # psycopg's async pool: PostgreSQL only (a SQLite worker never loads libpq)
    from hubgraph.store.loop_reads import LoopReadPool

MAX_PAGE_SIZE = 500
_FROM_ID = itemgetter(0)


# One input of ``batch/read``: the record's id as sent, and its page's cursor. A pair, not
# an object: 1,000 read into frozen dataclasses took 1.3 ms, into pairs 0.4.
FetchInput = tuple[str, str | None]


def encode_cursor(last_to_id: int) -> str:
    """Base64 of the last id, percent-encoded as HubSpot sends it (``…%3D``, reference §7)."""
    return quote(base64.b64encode(f"0-{last_to_id}".encode()).decode(), safe="")


def decode_cursor(after: str) -> int:
    """The last id of the previous page; accepts the cursor percent-encoded or not."""
    text = after
    for _ in range(3):  # sent back as received, decoded once, or encoded once more
        if "%" not in text:
            break
        text = unquote(text)
    try:
        decoded = base64.b64decode(text.encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        decoded = ""
    prefix, _, raw_id = decoded.partition("-")
    last = parse_object_id(raw_id) if prefix == "0" else None
    if last is None:
        raise ValidationError(f"Invalid paging cursor: {after}", context={"after": [after]})
    return last


@dataclass(frozen=True, slots=True)
class PageRows:
    """Pages as plain rows, for rendering straight to JSON (``api/associations_v4/models``).

    ``rows`` are ``(from_id, to_id, category code, type_id, label)`` ordered by from_id,
    to_id, category, type_id, fetched for ``size + 1`` targets per from-record (the extra
    one only says more remain); ``label`` is None on HubSpot-defined rows, whose labels are
    in ``hubspot``. ``default`` is the pair's unlabeled type (category code, typeId),
    listed first among a target's types.
    """

    rows: list[PageRow]
    size: int
    default: tuple[int, int] | None
    hubspot: AssociationTypeCatalog


def category_of(code: int) -> Category:
    """The category a ``PageRows`` row's code stands for."""
    return CATEGORIES_BY_CODE[code]


def _rows_of(
    services: Services,
    portal_id: int,
    pair: ObjectTypePair,
    after_by_from: dict[int, int],
    size: int,
) -> PageRows:
    rows = page_rows(
        services.database.engine,
        portal_id,
        pair.from_type.id,
        pair.to_type.id,
        after_by_from,
        size + 1,
    )
    return _page_rows(services, portal_id, pair, rows, size)


def _page_rows(
    services: Services, portal_id: int, pair: ObjectTypePair, rows: list[PageRow], size: int
) -> PageRows:
    default = None
    if rows:
        found = services.association_types.default_for(pair.from_type.id, pair.to_type.id)
        if found is None:  # a custom object's pair: the portal's unlabeled type
            with services.database.read() as conn:
                types = portal_association_types(services, conn, portal_id)
            found = types.default_for(pair.from_type.id, pair.to_type.id)
        if found is not None:
            default = (CATEGORY_CODES[found.category], found.type_id)
    return PageRows(rows, size, default, services.association_types)


def get_page_rows(
    services: Services,
    principal: Principal,
    from_type_name: str,
    raw_id: str,
    to_type_name: str,
    *,
    limit: int,
    after: str | None,
) -> PageRows:
    """``get_page`` as rows (one statement): the same checks, the same answer."""
    pair = resolve_pair(services, from_type_name, to_type_name, principal.portal_id)
    size, cursor, from_id = _page_request(principal, pair, raw_id, limit, after)
    if from_id is None:
        return PageRows([], size, None, services.association_types)
    return _rows_of(services, principal.portal_id, pair, {from_id: cursor}, size)


async def get_page_rows_on_loop(
    services: Services,
    pool: LoopReadPool,
    principal: Principal,
    from_type_name: str,
    raw_id: str,
    to_type_name: str,
    *,
    limit: int,
    after: str | None,
) -> PageRows | None:
    """``get_page_rows`` between two standard types, awaited on the event loop; None for
    any other pair (custom types and their labels are looked up in the database), which
    the caller then sends to ``get_page_rows``."""
    from_type = services.object_types.standard(from_type_name)
    to_type = services.object_types.standard(to_type_name)
    if from_type is None or to_type is None:
        return None
    found = services.association_types.default_for(from_type.id, to_type.id)
    if found is None:
        return None
    pair = ObjectTypePair(from_type, to_type)
    size, cursor, from_id = _page_request(principal, pair, raw_id, limit, after)
    default = (CATEGORY_CODES[found.category], found.type_id)
    if from_id is None:
        return PageRows([], size, None, services.association_types)
    rows = await page_rows_on_loop(
        pool, principal.portal_id, from_type.id, to_type.id, from_id, cursor, size + 1
    )
    return PageRows(rows, size, default if rows else None, services.association_types)


def _page_request(
    principal: Principal, pair: ObjectTypePair, raw_id: str, limit: int, after: str | None
) -> tuple[int, int, int | None]:
    """A page's size, cursor and from-record id (None when the id is not one), checked."""
    principal.require_any(read_scopes(pair.from_type))
    size = min(limit, MAX_PAGE_SIZE)
    if size < 1:
        raise ValidationError(
            f"limit must be at least 1, got {limit}", context={"limit": [str(limit)]}
        )
    cursor = decode_cursor(after) if after else 0
    return size, cursor, parse_object_id(raw_id)


@dataclass(slots=True)
class BatchRows:
    """``batch_read`` as rows: each answered input's raw id and record id, in input order."""

    pages: PageRows
    results: list[tuple[str, int]] = field(default_factory=list)
    errors: list[ItemError] = field(default_factory=list)


# batch/read reads its inputs in chunks: the first FIRST_CHUNK inputs (a page holds up to
# 500 associations each, and nothing is known yet of the rows per input), then as many as
# hold ROWS_PER_CHUNK rows by the rows per input so far. Each chunk's statement is sent
# before the chunk before it is handed over, so the database runs it while the caller
# renders that one (PostgreSQL; driver.statement_pipeline): 1,000 inputs of 12 rows at
# 12M stored, ~22 -> ~17 ms in-process. Only two chunks' rows are alive at once.
FIRST_CHUNK = 20
ROWS_PER_CHUNK = 3_000
# A chunk takes the inputs left when they are at most 1/TAIL_SHARE more than it would.
TAIL_SHARE = 4


def batch_read_chunks(
    services: Services,
    principal: Principal,
    from_type_name: str,
    to_type_name: str,
    inputs: Sequence[FetchInput],
) -> Generator[BatchRows, None, None]:
    """``batch_read`` as rows (the same checks, the same answer), chunk by chunk in input
    order; at least one chunk, so an empty batch still has its types and scopes checked.
    Close it (``contextlib.closing``) if it is not read to the end: it holds a database
    connection until then."""
    pair = resolve_pair(services, from_type_name, to_type_name, principal.portal_id)
    principal.require_any(read_scopes(pair.from_type))
    size = services.settings.association_batch_read_page_size
    distinct: dict[str, str | None] = {}
    for raw_id, after in inputs:
        distinct.setdefault(raw_id, after)
    # Every cursor decoded before any statement: a bad one is a 400 with nothing read.
    parsed: list[tuple[str, int | None, int]] = []
    for raw_id, after in distinct.items():
        from_id = parse_object_id(raw_id)
        cursor = decode_cursor(after) if after and from_id is not None else 0
        parsed.append((raw_id, from_id, cursor))
    engine = services.database.engine
    with statement_pipeline(engine) as pipe:

        def send(chunk: list[tuple[str, int | None, int]]) -> Callable[[], BatchRows]:
            cursors = {from_id: after for _, from_id, after in chunk if from_id is not None}
            pending = send_page_rows(
                pipe,
                engine.dialect.name,
                principal.portal_id,
                pair.from_type.id,
                pair.to_type.id,
                cursors,
                size + 1,
            )
            return lambda: _batch_rows(services, principal.portal_id, pair, chunk, pending(), size)

        chunk = parsed[:FIRST_CHUNK]
        outcome = send(chunk)()
        start, rows = 0, 0
        while True:
            start += len(chunk)
            rows += len(outcome.pages.rows)
            ahead = None
            if start < len(parsed):
                chunk = parsed[start : start + _chunk_size(len(parsed) - start, start, rows)]
                ahead = send(chunk)
            yield outcome
            if ahead is None:
                return
            del outcome
            outcome = ahead()


def _chunk_size(left: int, done: int, rows: int) -> int:
    size = max(FIRST_CHUNK, ROWS_PER_CHUNK * done // max(rows, 1))
    if left <= size + size // TAIL_SHARE:
        return left  # the rest in this chunk, not a small one after it
    return size


def _batch_rows(
    services: Services,
    portal_id: int,
    pair: ObjectTypePair,
    parsed: list[tuple[str, int | None, int]],
    rows: list[PageRow],
    size: int,
) -> BatchRows:
    pages = _page_rows(services, portal_id, pair, rows, size)
    answered = set(map(_FROM_ID, pages.rows))
    out = BatchRows(pages)
    for raw_id, from_id, _ in parsed:
        if from_id is not None and from_id in answered:
            out.results.append((raw_id, from_id))
        else:
            out.errors.append(no_associations_error(pair, raw_id))
    return out


def no_associations_error(pair: ObjectTypePair, raw_id: str) -> ItemError:
    """HubSpot's batch read item for an input with nothing to return (reference §1.7)."""
    return ItemError(
        category="OBJECT_NOT_FOUND",
        sub_category="crm.associations.NO_ASSOCIATIONS_FOUND",
        message=(
            f"No {pair.to_type.singular} is associated with {pair.from_type.singular} {raw_id}."
        ),
        context={
            "fromObjectId": [raw_id],
            "fromObjectType": [pair.from_type.singular],
            "toObjectType": [pair.to_type.singular],
        },
    )
