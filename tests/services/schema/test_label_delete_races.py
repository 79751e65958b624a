"""A label deleted while records are written with it (PostgreSQL, where writers overlap).

The label service row-locks the portal (``FOR UPDATE``) for every label change; writers
that use USER_DEFINED types take ``FOR KEY SHARE`` on the same row before reading the
labels. So a writer either sees the label gone or makes it "in use" before the delete
looks. Each test holds one side's transaction open and runs the real service on the other.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from hubgraph.domain.association_types import Category
from hubgraph.domain.associations import Association
from hubgraph.domain.scopes import all_crm_scopes
from hubgraph.errors import ValidationError
from hubgraph.services.access.portals import Principal
from hubgraph.services.associations import labelled_writes
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.services.schema import labels, limit_configurations
from hubgraph.services.schema.limit_configurations import LimitInput, Mode
from hubgraph.store import association_types as type_store
from hubgraph.store.associations import insert_associations
from tests.support.association_schema import create_label
from tests.support.associations_v4 import associated
from tests.support.locks import wait_until_blocked_or_done as _wait_until_blocked_or_done
from tests.support.portals import Portal

UD = Category.USER_DEFINED


@pytest.fixture
def postgresql(services: Services) -> None:
    if not services.settings.database_url.startswith("postgresql"):
        pytest.skip("SQLite runs one writer at a time; the row locks are PostgreSQL's")


def principal(portal: Portal) -> Principal:
    return Principal(portal.id, frozenset(all_crm_scopes()))


def in_thread(call: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    """Run ``call`` on a thread; its result or exception lands in the returned dict."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = call()
        except Exception as exc:  # handed back to the test
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def decider(portal: Portal) -> tuple[int, int]:
    created = create_label(portal, "contacts", "companies", "decider", "Decision maker", "Decides")
    ids = {r["label"]: r["typeId"] for r in created}
    return ids["Decision maker"], ids["Decides"]


@pytest.mark.usefixtures("postgresql")
def test_a_writer_waits_for_a_label_delete_and_then_finds_the_label_gone(
    portal: Portal, services: Services
) -> None:
    forward, backward = decider(portal)
    [c] = portal.create_records("contacts", 1)
    [co] = portal.create_records("companies", 1)

    def write() -> object:
        return labelled_writes.create_one(
            services, principal(portal), "contacts", c, "companies", co, [(UD, forward)]
        )

    with services.database.write() as conn:
        # labels.delete_label, between its lock and its commit.
        type_store.lock_portal_labels(conn, portal.id)
        writer, outcome = in_thread(write)
        blocked = _wait_until_blocked_or_done(services, writer)
        type_store.delete_types(conn, portal.id, [forward, backward])
    writer.join()
    assert blocked, "the writer read the labels without waiting for the label change"
    error = outcome["error"]
    assert isinstance(error, ValidationError)
    assert "INVALID_ASSOCIATION_TYPE_ID" in error.context
    assert associated(portal, "contacts", c, "companies") == {}


@pytest.mark.usefixtures("postgresql")
def test_a_label_delete_waits_for_a_writer_and_then_finds_the_label_in_use(
    portal: Portal, services: Services
) -> None:
    forward, backward = decider(portal)
    [c] = portal.create_records("contacts", 1)
    [co] = portal.create_records("companies", 1)

    def delete() -> None:
        labels.delete_label(services, principal(portal), "contacts", "companies", forward)

    with services.database.write() as conn:
        # labelled_writes.create_labelled, between its lock and its commit.
        type_store.share_portal_labels(conn, portal.id)
        deleter, outcome = in_thread(delete)
        blocked = _wait_until_blocked_or_done(services, deleter)
        rows = [
            Association("0-1", int(c), "0-2", int(co), UD, forward),
            Association("0-2", int(co), "0-1", int(c), UD, backward),
        ]
        insert_associations(conn, portal.id, rows, now_ms())
    deleter.join()
    assert blocked, "the label delete did not wait for the writer"
    assert isinstance(outcome["error"], ValidationError)
    assert "still used" in outcome["error"].message
    assert (UD.value, forward, "Decision maker") in associated(portal, "contacts", c, "companies")[
        int(co)
    ]


@pytest.mark.usefixtures("postgresql")
def test_a_limit_on_a_label_being_deleted_is_refused(portal: Portal, services: Services) -> None:
    forward, backward = decider(portal)
    limit = [LimitInput(UD.value, forward, 3)]

    def write() -> object:
        return limit_configurations.set_limits(
            services, principal(portal), "contacts", "companies", limit, Mode.CREATE
        )

    with services.database.write() as conn:
        type_store.lock_portal_labels(conn, portal.id)
        writer, outcome = in_thread(write)
        blocked = _wait_until_blocked_or_done(services, writer)
        type_store.delete_types(conn, portal.id, [forward, backward])
    writer.join()
    assert blocked
    assert outcome["result"].results == []
    assert "INVALID_ASSOCIATION_TYPE_ID" in outcome["result"].errors[0].context


@pytest.mark.usefixtures("postgresql")
def test_writers_with_labels_do_not_hold_up_record_creation(
    portal: Portal, services: Services
) -> None:
    with services.database.write() as conn:
        type_store.share_portal_labels(conn, portal.id)
        creator, outcome = in_thread(lambda: portal.create_records("contacts", 1))
        blocked = _wait_until_blocked_or_done(services, creator)
    creator.join()
    assert not blocked
    assert len(outcome["result"]) == 1
