"""Default associations: each pair gets its pair's default type, in both directions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import Connection

from hubgraph.domain.association_types import AssociationType
from hubgraph.domain.associations import Association
from hubgraph.domain.scopes import association_write_scopes
from hubgraph.services.access.portals import Principal
from hubgraph.services.associations.kernel import (
    LiveRecords,
    ObjectPair,
    ObjectTypePair,
    admit_within_limits,
    default_types,
    invalid_object_ids_error,
    resolve_pair,
    row,
    wanted_ids,
)
from hubgraph.services.associations.labelled_writes import as_request_error
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.services.ids import parse_object_id, parse_object_ids
from hubgraph.services.results import BatchOutcome, ItemError
from hubgraph.store import association_limits as limit_store
from hubgraph.store import associations as association_store
from hubgraph.store import default_associations as default_store


@dataclass(frozen=True, slots=True)
class WrittenPairs:
    """Inputs written in both directions, as columns: ``forward`` from ``from_type`` to
    ``to_type`` for each ``(from_id, to_id)``, ``backward`` the other way. Pairs are in
    input order without repeats; no object per row is built unless ``rows()`` is asked."""

    from_type: str
    to_type: str
    forward: AssociationType
    backward: AssociationType
    pairs: list[tuple[int, int]]

    def rows(self) -> list[Association]:
        """Both rows of every pair, in order, without repeats (with one object type on
        both sides, one input's backward row can be another's forward row)."""
        ft, tt, fw, bw = self.from_type, self.to_type, self.forward, self.backward
        written: dict[Association, None] = {}
        for from_id, to_id in self.pairs:
            written[Association(ft, from_id, tt, to_id, fw.category, fw.type_id)] = None
            written[Association(tt, to_id, ft, from_id, bw.category, bw.type_id)] = None
        return list(written)


@dataclass(slots=True)
class DefaultOutcome:
    """The batch's per-input errors and what it wrote: pairs, or rows when limits chose."""

    written: WrittenPairs | list[Association]
    errors: list[ItemError] = field(default_factory=list)

    def rows(self) -> list[Association]:
        return self.written.rows() if isinstance(self.written, WrittenPairs) else self.written


def create_default(
    services: Services,
    principal: Principal,
    from_type_name: str,
    to_type_name: str,
    inputs: list[ObjectPair],
) -> BatchOutcome[Association]:
    """Associate each pair with its default type in both directions; bad pairs become errors.

    Valid inputs are written even when others fail; all writes commit together.
    """
    outcome = create_default_batch(services, principal, from_type_name, to_type_name, inputs)
    return BatchOutcome(outcome.rows(), outcome.errors)


def create_default_batch(
    services: Services,
    principal: Principal,
    from_type_name: str,
    to_type_name: str,
    inputs: list[ObjectPair],
) -> DefaultOutcome:
    """``create_default`` for the bulk endpoint: what was written, as columns when it can."""
    return create_default_columns(
        services,
        principal,
        from_type_name,
        to_type_name,
        [i.from_id for i in inputs],
        [i.to_id for i in inputs],
    )


def create_default_columns(
    services: Services,
    principal: Principal,
    from_type_name: str,
    to_type_name: str,
    from_ids: list[str],
    to_ids: list[str],
) -> DefaultOutcome:
    """``create_default_batch`` of the inputs' ids as two columns, exactly as sent: no
    object per input is built on the way (docs/performance.md)."""
    pair = resolve_pair(services, from_type_name, to_type_name, principal.portal_id)
    principal.require_any(association_write_scopes(pair.from_type, pair.to_type))
    types = default_types(services, pair, principal.portal_id)
    raw = _RawIds(from_ids, to_ids)
    from_parsed, to_parsed = parse_object_ids(from_ids), parse_object_ids(to_ids)
    with services.database.write() as conn:
        ends = (pair.from_type.id, pair.to_type.id)
        if limit_store.any_limit_between(conn, principal.portal_id, *ends):
            parsed = list(zip(from_parsed, to_parsed, strict=True))
            limited: BatchOutcome[Association] = BatchOutcome()
            _write_within_limits(services, conn, principal, pair, types, raw, parsed, limited)
            return DefaultOutcome(limited.results, limited.errors)
        return _write_all_live(conn, principal, pair, types, raw, from_parsed, to_parsed)


@dataclass(frozen=True, slots=True)
class _RawIds:
    """The inputs' ids as sent, for the errors that name them."""

    from_ids: list[str]
    to_ids: list[str]


def _write_all_live(
    conn: Connection,
    principal: Principal,
    pair: ObjectTypePair,
    types: tuple[AssociationType, AssociationType],
    raw: _RawIds,
    from_parsed: list[int | None],
    to_parsed: list[int | None],
) -> DefaultOutcome:
    """No limit applies: the database checks the records and writes in one go, and
    answers with the invalid inputs only (docs/performance.md)."""
    forward, backward = types
    invalid = default_store.associate_live_pairs(
        conn,
        principal.portal_id,
        pair.from_type.id,
        pair.to_type.id,
        forward,
        backward,
        from_parsed,
        to_parsed,
        now_ms(),
    )
    errors = []
    for i in invalid:
        ends = []
        if not i.from_ok:
            ends.append((pair.from_type, raw.from_ids[i.index]))
        if not i.to_ok:
            ends.append((pair.to_type, raw.to_ids[i.index]))
        errors.append(invalid_object_ids_error(ends))
    parsed: Iterable[tuple[int | None, int | None]] = zip(from_parsed, to_parsed, strict=True)
    if invalid:
        bad = {i.index for i in invalid}
        parsed = (p for n, p in enumerate(parsed) if n not in bad)
    # Every id left parsed (an unparsable one made its input invalid).
    pairs = cast(list[tuple[int, int]], list(dict.fromkeys(parsed)))
    written = WrittenPairs(pair.from_type.id, pair.to_type.id, forward, backward, pairs)
    return DefaultOutcome(written, errors)


def _write_within_limits(
    services: Services,
    conn: Connection,
    principal: Principal,
    pair: ObjectTypePair,
    types: tuple[AssociationType, AssociationType],
    raw: _RawIds,
    parsed: list[tuple[int | None, int | None]],
    outcome: BatchOutcome[Association],
) -> None:
    forward, backward = types
    candidates: list[list[Association]] = []
    live = LiveRecords(conn, principal.portal_id, wanted_ids(pair, parsed))
    for raw_from, raw_to, (from_id, to_id) in zip(raw.from_ids, raw.to_ids, parsed, strict=True):
        invalid = []
        if not live.contains(pair.from_type, from_id):
            invalid.append((pair.from_type, raw_from))
        if not live.contains(pair.to_type, to_id):
            invalid.append((pair.to_type, raw_to))
        if invalid:
            outcome.errors.append(invalid_object_ids_error(invalid))
            continue
        assert from_id is not None
        assert to_id is not None
        candidates.append(
            [
                row(pair.from_type, from_id, pair.to_type, to_id, forward),
                row(pair.to_type, to_id, pair.from_type, from_id, backward),
            ]
        )
    rows = admit_within_limits(services, conn, principal.portal_id, candidates, outcome)
    outcome.results = list(rows)
    association_store.insert_associations(conn, principal.portal_id, outcome.results, now_ms())


def create_default_one(
    services: Services,
    principal: Principal,
    from_type_name: str,
    from_id: str,
    to_type_name: str,
    to_id: str,
) -> list[Association]:
    """Both directions of the pair's default association (reference §1.2)."""
    outcome = create_default(
        services,
        principal,
        from_type_name,
        to_type_name,
        [ObjectPair(from_id, to_id)],
    )
    if outcome.errors:
        raise as_request_error(outcome.errors[0])
    return outcome.results


async def create_default_one_on_loop(
    services: Services,
    principal: Principal,
    from_type_name: str,
    from_id: str,
    to_type_name: str,
    to_id: str,
) -> list[Association] | None:
    """``create_default_one``'s common case, on the event loop: live records of standard
    types, no limit between them, nothing listening to changes; on SQLite, the writer
    free too. None when it is not that case, with nothing written: the caller then runs
    ``create_default_one``, which writes or answers why not (docs/performance.md). The
    checks that raise here raise exactly as there, in the same order."""
    sqlite = services.database.engine.dialect.name == "sqlite"
    pool = None if sqlite else services.loop_reads()
    if not sqlite and (pool is None or not services.database.unheard_without_asking()):
        return None
    from_type = services.object_types.standard(from_type_name)
    to_type = services.object_types.standard(to_type_name)
    if from_type is None or to_type is None:  # a custom type's name is looked up in the database
        return None
    pair = ObjectTypePair(from_type, to_type)
    principal.require_any(association_write_scopes(from_type, to_type))
    forward, backward = default_types(services, pair, principal.portal_id)
    from_parsed, to_parsed = parse_object_id(from_id), parse_object_id(to_id)
    if from_parsed is None or to_parsed is None:
        return None
    live = default_store.LivePair(
        principal.portal_id, from_type.id, to_type.id, forward, backward, from_parsed, to_parsed
    )
    if pool is None:
        written = default_store.associate_live_pair_now_if_free(services.database, live, now_ms())
    else:
        written = await default_store.associate_live_pair_on_loop(pool, live, now_ms())
    if not written:
        return None
    pairs = [(from_parsed, to_parsed)]
    return WrittenPairs(from_type.id, to_type.id, forward, backward, pairs).rows()
