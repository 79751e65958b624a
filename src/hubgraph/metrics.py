"""hubgraph's Prometheus metrics, served at ``/_hubgraph/metrics``.

Metrics belong to the process, as Prometheus's client keeps them. With ``hubgraph serve
--workers N`` every worker writes its values to files in ``PROMETHEUS_MULTIPROC_DIR``
(``hubgraph serve`` makes a fresh folder) and a scrape, whichever worker answers it, adds
them up; with one worker they stay in memory. The environment variable must be set
before ``prometheus_client`` is imported, which ``hubgraph serve`` does for its workers.
"""

from __future__ import annotations

import os
import warnings

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    values,
)

MULTIPROCESS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST

REQUESTS = Counter(
    "hubgraph_http_requests",
    "HTTP requests answered, by route template, method and status.",
    ["route", "method", "status"],
)
REQUEST_SECONDS = Histogram(
    "hubgraph_http_request_duration_seconds",
    "Time from a request's arrival to its last byte, by route template and method.",
    ["route", "method"],
)
BATCH_INPUTS = Histogram(
    "hubgraph_batch_inputs",
    "Inputs per batch request, by route template.",
    ["route"],
    buckets=(1, 10, 50, 100, 250, 500, 1000, 2000, 5000, 10000),
)
ASSOCIATION_ROWS_WRITTEN = Counter(
    "hubgraph_association_rows_written",
    "Association directions sent to the database by writes (rows already there included).",
)
RATE_LIMIT_REFUSALS = Counter(
    "hubgraph_rate_limit_refusals",
    "Requests refused with 429 by a portal's rate limits, by policy.",
    ["policy"],
)
POOL_CONNECTIONS_IN_USE = Gauge(
    "hubgraph_db_pool_connections_in_use",
    "Database connections checked out of the pool after a request, summed over workers.",
    multiprocess_mode="livesum",
)

# App webhooks (docs/webhooks.md): what the outbox takes in and what its deliveries meet.
WEBHOOK_EVENTS_ENQUEUED = Counter(
    "hubgraph_webhook_events_enqueued",
    "Events written to the webhook outbox by write transactions, by subscription type.",
    ["subscription_type"],
)
WEBHOOK_DELIVERY_ATTEMPTS = Counter(
    "hubgraph_webhook_delivery_attempts",
    "Event delivery attempts by outcome: success (2xx), http_3xx, http_4xx, http_5xx, "
    "http_other, timeout, connection_error.",
    ["outcome"],
)
WEBHOOK_RETRIES_SCHEDULED = Counter(
    "hubgraph_webhook_retries_scheduled",
    "Failed event attempts given another attempt by the retry schedule.",
)
WEBHOOK_EVENTS_DROPPED = Counter(
    "hubgraph_webhook_events_dropped",
    "Events given up after the last attempt of the retry schedule failed.",
)
WEBHOOK_EVENTS_PENDING = Gauge(
    "hubgraph_webhook_events_pending",
    "Outbox events still to be delivered (first attempt or retry), read at scrape time.",
    multiprocess_mode="mostrecent",
)


_ALL = (
    REQUESTS,
    REQUEST_SECONDS,
    BATCH_INPUTS,
    ASSOCIATION_ROWS_WRITTEN,
    RATE_LIMIT_REFUSALS,
    POOL_CONNECTIONS_IN_USE,
    WEBHOOK_EVENTS_ENQUEUED,
    WEBHOOK_DELIVERY_ATTEMPTS,
    WEBHOOK_RETRIES_SCHEDULED,
    WEBHOOK_EVENTS_DROPPED,
    WEBHOOK_EVENTS_PENDING,
)


def write_to_shared_folder() -> None:
    """In a worker forked from ``hubgraph serve``: values go to the workers' folder.

    prometheus_client chooses where values live when it is imported, and the parent
    imported it (with the CLI) before it made the folder; a forked worker inherits that
    choice, so it is made again here, before the worker counts anything. A no-op where
    the folder was set before the import (spawned workers) or is not set (one worker).
    """
    if not os.environ.get(MULTIPROCESS_DIR_VARIABLE) or values.ValueClass is not values.MutexValue:
        return
    values.ValueClass = values.MultiProcessValue()  # type: ignore[no-untyped-call]
    with warnings.catch_warnings():
        # clear() warns that it cannot remove values already in the folder's files; a worker
        # just forked has written none, and it printed on every `serve --workers N`.
        warnings.filterwarnings("ignore", "Clearing labels", UserWarning)
        for metric in _ALL:
            if metric._labelnames:
                metric.clear()  # children are made again, with the new class, when counted
            else:
                metric._metric_init()  # prometheus_client's own (re)initialisation of a value


def exposition() -> bytes:
    """The text format Prometheus scrapes, every worker's values included."""
    if os.environ.get(MULTIPROCESS_DIR_VARIABLE):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return bytes(generate_latest(registry))
    return bytes(generate_latest(REGISTRY))
