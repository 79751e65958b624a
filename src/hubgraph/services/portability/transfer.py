"""``hubgraph export`` / ``hubgraph import``: a portal as JSON Lines, associations as CSV.

Export streams the portal's data tables, one row per line, after a header line. Import
reads the file once, checks each line, writes in chunks of 1,000 rows, and commits only
at the end: a bad line anywhere means nothing is written (one transaction per import).
Ids are kept as they are (they are per portal), so a dump imported into a new portal is
the same portal again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import orjson
from sqlalchemy import Connection

from hubgraph import __version__
from hubgraph.errors import UnknownObjectType, ValidationError
from hubgraph.services.associations.definitions import (
    PortalAssociationTypes,
    portal_association_types,
)
from hubgraph.services.context import Services
from hubgraph.services.ids import parse_object_id
from hubgraph.services.portability.file_associations import AssociationInput, write_associations
from hubgraph.services.portability.loading import BulkLoader, rejected, row_matches
from hubgraph.services.portability.snapshots import next_object_id_of, portal_header, require_portal
from hubgraph.services.portability.type_specs import UnknownTypeSpec, resolve_type_spec
from hubgraph.store import snapshots as snapshot_store

EXPORT_FORMAT = "hubgraph-export"
FORMAT_VERSION = 1
CSV_COLUMNS = ("from_type", "from_id", "to_type", "to_id", "type")
CSV_CHUNK_ROWS = 1000


class Progress(Protocol):
    """Where a long transfer reports how far it is (the CLI draws a bar on stderr)."""

    def start(self, total: int) -> None: ...

    def advance(self, amount: int) -> None: ...


class NoProgress:
    def start(self, total: int) -> None:
        pass

    def advance(self, amount: int) -> None:
        pass


def export_portal(
    services: Services, portal_id: int, out: BinaryIO, progress: Progress | None = None
) -> dict[str, int]:
    """Write the portal as JSON Lines from one consistent read; rows written per table."""
    progress = progress or NoProgress()
    with snapshot_store.consistent_read(services.database.engine) as conn:
        state = require_portal(conn, portal_id)
        tables = snapshot_store.portal_data_tables()
        counts = {str(t.name): snapshot_store.count_rows(conn, portal_id, t) for t in tables}
        header = {
            "format": EXPORT_FORMAT,
            "version": FORMAT_VERSION,
            "hubgraphVersion": __version__,
            "portal": portal_header(portal_id, state),
            "counts": counts,
        }
        out.write(orjson.dumps(header) + b"\n")
        progress.start(sum(counts.values()))
        for table in tables:
            buffer = bytearray()
            for n, row in enumerate(snapshot_store.iter_rows(conn, portal_id, table), 1):
                buffer += orjson.dumps({"table": str(table.name), "row": row}) + b"\n"
                if n % 1000 == 0:
                    out.write(bytes(buffer))
                    buffer.clear()
                    progress.advance(1000)
            out.write(bytes(buffer))
            progress.advance(counts[table.name] % 1000)
    return counts


def import_portal(
    services: Services,
    portal_id: int,
    source: Path,
    progress: Progress | None = None,
    *,
    replace: bool = False,
) -> dict[str, int]:
    """Load a ``hubgraph export`` file into a portal, all or nothing; rows written per table.

    The portal must hold no data unless ``replace``, which deletes its data first (in the
    same transaction, so a failed import leaves the old data in place).
    """
    progress = progress or NoProgress()
    progress.start(source.stat().st_size)
    with services.database.write() as conn, source.open("rb") as lines:
        require_portal(conn, portal_id)
        _make_room(conn, portal_id, replace)
        loader = BulkLoader(services, conn, portal_id)
        header: dict[str, Any] | None = None
        for number, line in _numbered(lines, progress):
            document = _parse_line(line, number)
            if header is None:
                header = _check_header(document, number)
                continue
            if not isinstance(document, dict) or set(document) != {"table", "row"}:
                raise rejected(f"line {number}", 'expected {"table": …, "row": {…}}')
            loader.add(document["table"], document["row"], f"line {number}")
        if header is None:
            raise rejected("line 1", "the file is empty; expected a hubgraph export")

        def locate(table: str, wanted: dict[str, Any]) -> str | None:
            return _find_line(source, table, wanted)

        counts = loader.finish(locate)
        snapshot_store.set_next_object_id(
            conn,
            portal_id,
            snapshot_store.next_free_object_id(
                conn, portal_id, next_object_id_of(header.get("portal"))
            ),
        )
    return counts


def _make_room(conn: Connection, portal_id: int, replace: bool) -> None:
    if replace:
        snapshot_store.delete_portal_data(conn, portal_id)
    elif snapshot_store.has_data(conn, portal_id):
        raise ValidationError(
            f"Portal {portal_id} already holds data; import into a new portal "
            "(hubgraph portal create) or pass --replace to replace its data"
        )


def _numbered(lines: BinaryIO, progress: Progress) -> Iterator[tuple[int, bytes]]:
    for number, line in enumerate(lines, 1):
        progress.advance(len(line))
        if line.strip():
            yield number, line


def _parse_line(line: bytes, number: int) -> object:
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise rejected(f"line {number}", f"not JSON ({exc})") from None


def _check_header(document: object, number: int) -> dict[str, Any]:
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise rejected(
            f"line {number}",
            f"not a hubgraph export: the first line must be a header with "
            f'"format": "{EXPORT_FORMAT}"',
        )
    if document.get("version") != FORMAT_VERSION:
        raise rejected(
            f"line {number}",
            f"unsupported export version {document.get('version')!r}; this hubgraph reads "
            f"version {FORMAT_VERSION}",
        )
    return document


def _find_line(source: Path, table: str, wanted: dict[str, Any]) -> str | None:
    """Scan the file again for the line holding a row: only ever on the error path."""
    with source.open("rb") as lines:
        for number, line in enumerate(lines, 1):
            try:
                document = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue
            if (
                isinstance(document, dict)
                and document.get("table") == table
                and row_matches(document.get("row"), wanted)
            ):
                return f"line {number}"
    return None


def import_associations_csv(
    services: Services, portal_id: int, source: Path, progress: Progress | None = None
) -> int:
    """Associate existing records from ``from_type,from_id,to_type,to_id,type`` rows.

    Each row is written in both directions; rows already there are kept as they are. All
    rows or none: the first bad row stops the import with its line number.
    """
    progress = progress or NoProgress()
    progress.start(source.stat().st_size)
    written = 0
    with services.database.write() as conn, source.open("rb") as raw:
        require_portal(conn, portal_id)
        types = portal_association_types(services, conn, portal_id)
        chunk: list[AssociationInput] = []
        for where, row in _csv_rows(raw, progress):
            chunk.append(_association_input(services, types, where, row))
            if len(chunk) >= CSV_CHUNK_ROWS:
                written += write_associations(conn, portal_id, chunk)
                chunk = []
        written += write_associations(conn, portal_id, chunk)
    return written


def _csv_rows(raw: BinaryIO, progress: Progress) -> Iterator[tuple[str, dict[str, str]]]:
    counted = _CountingReader(raw, progress.advance)
    text = io.TextIOWrapper(io.BufferedReader(counted), encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text)
    header = reader.fieldnames or []
    missing = [c for c in CSV_COLUMNS[:4] if c not in header]
    if missing:
        raise rejected(
            "line 1", f"the header must name {', '.join(CSV_COLUMNS)}; missing {', '.join(missing)}"
        )
    try:
        for row in reader:
            yield f"line {reader.line_num}", row
    except csv.Error as exc:
        raise rejected(f"line {reader.line_num}", f"not CSV ({exc})") from None
    except UnicodeDecodeError:
        raise rejected(f"line {reader.line_num + 1}", "not UTF-8 text") from None


def _association_input(
    services: Services, types: PortalAssociationTypes, where: str, row: dict[str, str]
) -> AssociationInput:
    values = {c: (row.get(c) or "").strip() for c in CSV_COLUMNS}
    try:
        from_type = services.object_types.resolve(values["from_type"])
        to_type = services.object_types.resolve(values["to_type"])
    except UnknownObjectType as exc:
        raise rejected(where, exc.message) from None
    ids = []
    for column in ("from_id", "to_id"):
        parsed = parse_object_id(values[column])
        if parsed is None:
            raise rejected(where, f"{column} {values[column]!r} is not a record id")
        ids.append(parsed)
    try:
        chosen = resolve_type_spec(types, from_type, to_type, values["type"] or None)
    except UnknownTypeSpec as exc:
        raise rejected(where, str(exc)) from None
    return AssociationInput(
        where, from_type, ids[0], to_type, ids[1], chosen, types.inverse_of(chosen)
    )


class _CountingReader(io.RawIOBase):
    """Passes bytes through and reports how many were read, for the progress bar."""

    def __init__(self, raw: BinaryIO, on_read: Callable[[int], None]) -> None:
        self._raw = raw
        self._on_read = on_read

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self._on_read(len(data))
        return len(data)
