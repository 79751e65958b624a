"""``/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/...``"""

from __future__ import annotations

import threading

import orjson
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from hubgraph.api.associations_v4.models import (
    BATCH_INPUT_DEFAULT,
    BATCH_INPUT_FETCH,
    BATCH_INPUT_MULTI_ARCHIVE,
    BATCH_INPUT_MULTI_POST,
    labelled_inputs,
    labels_between_object_pair,
    public_association_multi_with_label,
    public_default_written_json,
)
from hubgraph.api.http.body import read_batch
from hubgraph.api.http.common import batch_response, no_content
from hubgraph.api.http.deps import PrincipalDep, ServicesDep
from hubgraph.services.associations import (
    default_writes,
    deletes,
    labelled_writes,
    reads,
)
from hubgraph.services.associations.kernel import ObjectPair
from hubgraph.services.clock import now_ms

router = APIRouter(prefix="/crm/v4/associations/{fromObjectType}/{toObjectType}/batch")

# Big batch/read answers are memory- and CPU-heavy; two at a time keep a worker's RSS and
# the event loop's share of the GIL bounded under a flood of them (docs/reliability.md).
BIG_READS_AT_ONCE = 2
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
    )
    inputs = batch["inputs"]
    pairs = [ObjectPair(i["from"]["id"], i["to"]["id"]) for i in inputs]
    outcome = await run_in_threadpool(
        default_writes.create_default_batch,
        services,
        principal,
        fromObjectType,
        toObjectType,
        pairs,
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
    inputs = [reads.FetchInput(i.id, i.after) for i in batch.inputs]

    def read_and_render() -> Response:
        # 1,000 inputs of 500 associations each render to ~50 MB: read, built and
        # serialised on a worker thread, never on the event loop; each input is serialised
        # as soon as it is built, so only one input's dicts live at a time (not 500,000),
        # and at most BIG_READS_AT_ONCE such answers are built at once per process.
        with _big_reads:
            outcome = reads.batch_read(services, principal, fromObjectType, toObjectType, inputs)
            results = [
                orjson.Fragment(orjson.dumps(public_association_multi_with_label(r)))
                for r in outcome.results
            ]
            return batch_response(results, outcome.errors, started, 200)

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
