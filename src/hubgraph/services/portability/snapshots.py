"""Reset a portal, snapshot it to one JSON document, restore it from one.

A snapshot holds the portal's data tables (records, associations, labels, limits: see
``store/snapshots.py``) as lists of plain rows, and the portal's id counter. Tokens are
never in it, and a reset or restore keeps them, so a test's client stays signed in.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from hubgraph import __version__
from hubgraph.errors import ObjectNotFound, ValidationError
from hubgraph.services.access import faults
from hubgraph.services.context import Services
from hubgraph.services.portability.loading import BulkLoader, rejected, row_matches
from hubgraph.store import snapshots as snapshot_store
from hubgraph.store.snapshots import PortalState

SNAPSHOT_FORMAT = "hubgraph-snapshot"
FORMAT_VERSION = 1


def require_portal(conn: Connection, portal_id: int) -> PortalState:
    state = snapshot_store.portal_state(conn, portal_id)
    if state is None:
        raise ObjectNotFound(f"There is no portal {portal_id}")
    return state


def reset_portal(services: Services, portal_id: int) -> dict[str, int]:
    """Delete the portal's records, associations, labels, limits and injected faults.

    Returns the rows deleted per table. Tokens, OAuth grants and the rate-limit tier stay.
    """
    with services.database.write() as conn:
        require_portal(conn, portal_id)
        deleted = snapshot_store.delete_portal_data(conn, portal_id)
    faults.clear_faults(services, portal_id)
    return deleted


def take_snapshot(services: Services, portal_id: int) -> dict[str, Any]:
    with snapshot_store.consistent_read(services.database.engine) as conn:
        state = require_portal(conn, portal_id)
        tables = {
            str(t.name): list(snapshot_store.iter_rows(conn, portal_id, t))
            for t in snapshot_store.portal_data_tables()
        }
    return {
        "format": SNAPSHOT_FORMAT,
        "version": FORMAT_VERSION,
        "hubgraphVersion": __version__,
        "portal": portal_header(portal_id, state),
        "tables": tables,
    }


def portal_header(portal_id: int, state: PortalState) -> dict[str, Any]:
    return {"id": portal_id, "name": state.name, "nextObjectId": state.next_object_id}


def restore_snapshot(services: Services, portal_id: int, snapshot: object) -> dict[str, int]:
    """Replace the portal's data with the snapshot's, all or nothing; rows written per table.

    The snapshot may come from another portal: ids are per portal, so they are kept.
    """
    tables, next_object_id = _check_envelope(snapshot, SNAPSHOT_FORMAT)
    with services.database.write() as conn:
        require_portal(conn, portal_id)
        snapshot_store.delete_portal_data(conn, portal_id)
        loader = BulkLoader(services, conn, portal_id)
        for name, rows in tables.items():
            if not isinstance(rows, list):
                raise rejected(f"tables.{name}", "must be a list of rows")
            for index, row in enumerate(rows):
                loader.add(name, row, f"tables.{name}[{index}]")

        def locate(table: str, wanted: dict[str, Any]) -> str | None:
            rows = tables.get(table) or []
            found = next((i for i, r in enumerate(rows) if row_matches(r, wanted)), None)
            return None if found is None else f"tables.{table}[{found}]"

        counts = loader.finish(locate)
        snapshot_store.set_next_object_id(
            conn,
            portal_id,
            snapshot_store.next_free_object_id(conn, portal_id, next_object_id),
        )
    return counts


def _check_envelope(document: object, expected_format: str) -> tuple[dict[str, Any], int]:
    if not isinstance(document, dict) or document.get("format") != expected_format:
        raise ValidationError(f"Not a hubgraph snapshot: 'format' must be {expected_format!r}")
    version = document.get("version")
    if version != FORMAT_VERSION:
        raise ValidationError(
            f"Unsupported snapshot version {version!r}; this hubgraph reads version "
            f"{FORMAT_VERSION}"
        )
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise ValidationError("'tables' must be an object of table name to rows")
    return tables, next_object_id_of(document.get("portal"))


def next_object_id_of(portal: object) -> int:
    value = portal.get("nextObjectId") if isinstance(portal, dict) else None
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(f"portal.nextObjectId must be a positive integer, not {value!r}")
    return value
