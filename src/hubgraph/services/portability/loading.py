"""Bulk-loading raw table rows into a portal: checked row by row, written in chunks.

Used by snapshot restore and by ``hubgraph import``. Rows are the store's plain dicts
(``store/snapshots.py``), checked against their table's columns, plus, for the tables
whose meaning hubgraph knows, the few rules that keep them readable (``row_rules``);
an unknown table added later loads on its columns alone. Each row carries a label
("line 12", "tables.objects[3]") that every error names. The caller owns the
transaction, so a failure anywhere writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError

from hubgraph.errors import ValidationError
from hubgraph.services.context import Services
from hubgraph.services.properties.catalogue import load_properties
from hubgraph.store import integrity
from hubgraph.store import objects as object_store
from hubgraph.store import snapshots as snapshot_store
from hubgraph.store import unique_values as unique_store
from hubgraph.store.associations import CATEGORIES_BY_CODE
from hubgraph.store.snapshots import RowRejected

CHUNK_ROWS = 1000

# Finds where an offending association row came from, for the error message; the caller
# knows its source (a file to scan again, a list to search), the loader does not.
Locate = Callable[[str, dict[str, Any]], str | None]


def rejected(where: str, reason: str) -> ValidationError:
    return ValidationError(f"{where}: {reason}", context={"at": [where]})


class BulkLoader:
    """Buffers decoded rows per table and inserts each full chunk with one statement."""

    def __init__(self, services: Services, conn: Connection, portal_id: int) -> None:
        self._services = services
        self._conn = conn
        self._portal_id = portal_id
        self._codecs = snapshot_store.row_codecs()
        self._rules = row_rules(services)
        self._pending: dict[str, list[tuple[str, dict[str, Any]]]] = {n: [] for n in self._codecs}
        self.counts: dict[str, int] = dict.fromkeys(self._codecs, 0)

    def add(self, table_name: object, row: object, where: str) -> None:
        codec = self._codecs.get(table_name) if isinstance(table_name, str) else None
        if codec is None:
            known = ", ".join(self._codecs)
            raise rejected(where, f"unknown table {table_name!r} (known: {known})")
        try:
            decoded = codec.decode(row)
            check = self._rules.get(codec.name)
            if check is not None:
                check(decoded)
        except RowRejected as exc:
            raise rejected(where, str(exc)) from None
        pending = self._pending[codec.name]
        pending.append((where, decoded))
        if len(pending) >= CHUNK_ROWS:
            self._flush(codec.name)

    def finish(self, locate: Locate | None = None) -> dict[str, int]:
        """Write what is buffered, then check that every association joins two records."""
        for name in list(self._pending):
            self._flush(name)
        self._check_associations(locate)
        self._check_properties()
        return dict(self.counts)

    def _check_properties(self) -> None:
        """Records may only carry properties their type defines (the portal's, loaded too),
        and their unique values are indexed, whether or not the rows came with the index."""
        carried: dict[str, set[str]] = {}
        for type_id, name in object_store.property_names(self._conn, self._portal_id):
            carried.setdefault(type_id, set()).add(name)
        for type_id in sorted(carried):
            object_type = self._services.object_types.by_id(type_id)
            catalogue = load_properties(self._conn, self._portal_id, object_type)
            unknown = sorted(carried[type_id] - catalogue.definitions.keys())
            if unknown:
                raise rejected(
                    "objects",
                    f"{object_type.plural} carry properties that do not exist: "
                    + ", ".join(unknown[:10]),
                )
            for name in catalogue.unique_names():
                definition = catalogue.definitions[name]
                unique_store.index_existing(
                    self._conn,
                    self._portal_id,
                    type_id,
                    name,
                    lower=definition.validation == "email",
                )

    def _flush(self, table_name: str) -> None:
        pending, self._pending[table_name] = self._pending[table_name], []
        if not pending:
            return
        table = self._codecs[table_name].table
        try:
            with self._conn.begin_nested():
                rows = [r for _, r in pending]
                snapshot_store.insert_rows(self._conn, self._portal_id, table, rows)
        except DBAPIError:
            raise self._find_conflict(table_name, pending) from None
        self.counts[table_name] += len(pending)

    def _find_conflict(
        self, table_name: str, pending: list[tuple[str, dict[str, Any]]]
    ) -> ValidationError:
        """Insert the failed chunk's rows one at a time to name the row that conflicts."""
        table = self._codecs[table_name].table
        for where, row in pending:
            try:
                with self._conn.begin_nested():
                    snapshot_store.insert_rows(self._conn, self._portal_id, table, [row])
            except DBAPIError as exc:
                detail = str(exc.orig).splitlines()[0] if exc.orig else type(exc).__name__
                problem = (
                    "conflicts with another" if isinstance(exc, IntegrityError) else "is refused"
                )
                return rejected(where, f"this {table_name} row {problem} ({detail})")
        return rejected(pending[0][0], f"a chunk of {table_name} rows could not be written")

    def _check_associations(self, locate: Locate | None) -> None:
        checks = [
            (integrity.dangling_associations, "association to a record that is not there"),
            (integrity.one_way_associations, "association without its opposite direction"),
        ]
        for find, problem in checks:
            bad = find(self._conn, self._portal_id, 1)
            if bad:
                row = bad[0]
                where = (locate(snapshot_store.ASSOCIATIONS, row) if locate else None) or "row"
                raise rejected(where, f"{problem}: {describe(row)}")


def row_rules(services: Services) -> dict[str, Callable[[dict[str, Any]], None]]:
    """What the tables' column types can't say, for the tables whose meaning we know:
    a row that breaks these would load, then fail every read that meets it."""

    def known_type(value: object, where: str) -> None:
        try:
            services.object_types.by_id(str(value))
        except KeyError:
            raise RowRejected(f"{where} {value!r} is not an object type id") from None

    def known_category(row: dict[str, Any], table: str) -> None:
        if row.get("category") not in CATEGORIES_BY_CODE:
            codes = ", ".join(map(str, sorted(CATEGORIES_BY_CODE)))
            raise RowRejected(f"{table}.category must be one of {codes}")

    def record(row: dict[str, Any]) -> None:
        known_type(row.get("object_type_id"), "objects.object_type_id")
        properties = row.get("properties")
        if not isinstance(properties, dict) or not all(
            v is None or isinstance(v, str) for v in properties.values()
        ):
            raise RowRejected("objects.properties must be an object of strings (or nulls)")

    def typed_pair(table: str) -> Callable[[dict[str, Any]], None]:
        def check(row: dict[str, Any]) -> None:
            known_category(row, table)
            known_type(row.get("from_type"), f"{table}.from_type")
            known_type(row.get("to_type"), f"{table}.to_type")

        return check

    return {
        "objects": record,
        "associations": typed_pair("associations"),
        "association_types": typed_pair("association_types"),
        "association_limits": typed_pair("association_limits"),
    }


def describe(row: dict[str, Any]) -> str:
    return (
        f"{row['from_type']} {row['from_id']} -> {row['to_type']} {row['to_id']} "
        f"(category {row['category']}, type {row['type_id']})"
    )


def row_matches(candidate: object, wanted: dict[str, Any]) -> bool:
    return isinstance(candidate, dict) and all(candidate.get(k) == v for k, v in wanted.items())
