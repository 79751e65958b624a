"""``/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/...``"""

from __future__ import annotations

import threading
from contextlib import closing

import orjson
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph.api.associations_v4.models import (
    BATCH_INPUT_DEFAULT,
    BATCH_INPUT_FETCH,
    BATCH_INPUT_MULTI_ARCHIVE,
    BATCH_INPUT_MULTI_POST,
    batch_read_results_json,
    default_input_ids,
    labelled_inputs,
    labels_between_object_pair,
    pages_json,
    plain_default_batch,
    public_default_written_json,
)
from hubgraph.api.http.body import read_batch
from hubgraph.api.http.common import batch_response, no_content
from hubgraph.api.http.deferred_route import DeferredAPIRoute
from hubgraph.api.http.deps import PrincipalDep, ServicesDep
from hubgraph.services.associations import (
    default_writes,
    deletes,
    labelled_writes,
    reads,
)
from hubgraph.services.clock import now_ms
from hubgraph.services.results import ItemError

router = APIRouter(
    route_class=DeferredAPIRoute,
    prefix="/crm/v4/associations/{fromObjectType}/{toObjectType}/batch",
)

# Big batch/read answers are memory- and CPU-heavy; one at a time per process keeps a
# worker's RSS bounded, and leaves the event loop one thread, not two, to win the GIL
# back from under a flood of them (docs/reliability.md, "Under abuse").
BIG_READS_AT_ONCE = 1
_big_reads = threading.BoundedSemaphore(BIG_READS_AT_ONCE)


@router.post("/associate/default")
async def create_default(
    fromObjectType: str,
    toObjectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """BatchResponsePublicDefaultAssociation; always 200, the one code the SDK parses here."""
    started = now_ms()
    batch = await read_batch(
        request,
        BATCH_INPUT_DEFAULT,
        max_body=services.settings.max_body_bytes,
        max_inputs=services.settings.max_association_batch_inputs,
        plain=plain_default_batch,
    )
    from_ids, to_ids = default_input_ids(batch["inputs"])
    outcome = await run_in_threadpool(
        default_writes.create_default_columns,
        services,
        principal,
        fromObjectType,
        toObjectType,
        from_ids,
        to_ids,
    )
    results = public_default_written_json(outcome.written)
    return batch_response(results, outcome.errors, started, partial=200)


@router.post("/create")
async def create(
    fromObjectType: str,
    toObjectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """BatchResponseLabelsBetweenObjectPair: 201, or 207 when some inputs failed."""
    started = now_ms()
    batch = await read_batch(
        request,
        BATCH_INPUT_MULTI_POST,
        max_body=services.settings.max_body_bytes,
        max_inputs=services.settings.max_association_batch_inputs,
    )
    outcome = await run_in_threadpool(
        labelled_writes.create_labelled,
        services,
        principal,
        fromObjectType,
        toObjectType,
        labelled_inputs(batch),
        both_directions=True,
    )
    results = [labels_between_object_pair(r) for r in outcome.results]
    return batch_response(results, outcome.errors, started, 201)


@router.post("/read")
async def get_page(
    fromObjectType: str,
    toObjectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """BatchResponsePublicAssociationMultiWithLabel: 200, or 207 when any input has no
    associations (HubSpot's real behaviour, reference §1.7)."""
    started = now_ms()
    batch = await read_batch(
        request,
        BATCH_INPUT_FETCH,
        max_body=services.settings.max_body_bytes,
        max_inputs=services.settings.max_association_batch_read_inputs,
    )
    # An id sent twice is answered once (as batch_read does), so chunks never overlap.
    distinct: dict[str, str | None] = {}  # id -> cursor
    for i in batch.inputs:
        distinct.setdefault(i.id, i.after)
    inputs = list(distinct.items())

    def read_and_render() -> Response:
        # 1,000 inputs of 500 associations each render to ~50 MB: read, built and
        # serialised on a worker thread, never on the event loop, and at most
        # BIG_READS_AT_ONCE such answers are built at once per process. The inputs are
        # read in chunks and each chunk is serialised as soon as it is read, so at most
        # two chunks' rows live at once (this one and the one read meanwhile): with all
        # 100,000 rows alive, the garbage collector's full passes over them held the GIL
        # for 45-75 ms each, several per answer, and stalled the event loop
        # (docs/reliability.md).
        results: list[str] = []  # each answered input's JSON
        errors: list[ItemError] = []
        chunks = reads.batch_read_chunks(services, principal, fromObjectType, toObjectType, inputs)
        with _big_reads, closing(chunks):
            for outcome in chunks:
                rendered = pages_json(outcome.pages)
                results += batch_read_results_json(outcome.results, rendered)
                errors += outcome.errors
                del outcome, rendered
        body = orjson.Fragment("[" + ",".join(results) + "]")
        return batch_response(body, errors, started, 200)

    return await run_in_threadpool(read_and_render)


@router.post("/archive")
async def archive(
    fromObjectType: str,
    toObjectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """Every type between each pair, both directions; 204."""
    batch = await read_batch(
        request,
        BATCH_INPUT_MULTI_ARCHIVE,
        max_body=services.settings.max_body_bytes,
        max_inputs=services.settings.max_association_batch_inputs,
    )
    pairs = [(i.from_.id, to.id) for i in batch.inputs for to in i.to]
    await run_in_threadpool(
        deletes.archive_pairs, services, principal, fromObjectType, toObjectType, pairs
    )
    return no_content()


@router.post("/labels/archive")
async def archive_labels(
    fromObjectType: str,
    toObjectType: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Response:
    """Only the listed types (the unlabeled one takes the whole pair); 204."""
    batch = await read_batch(
        request,
        BATCH_INPUT_MULTI_POST,
        max_body=services.settings.max_body_bytes,
        max_inputs=services.settings.max_association_batch_inputs,
    )
    await run_in_threadpool(
        deletes.archive_labels,
        services,
        principal,
        fromObjectType,
        toObjectType,
        labelled_inputs(batch),
    )
    return no_content()
