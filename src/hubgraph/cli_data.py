"""``hubgraph export | import | seed``: a portal's data in and out of files.

Progress goes to stderr (a rich bar with rate and ETA), data to stdout, so
``hubgraph export --portal 10000001 > dump.jsonl`` works as it reads.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, BinaryIO

import orjson
import typer

from hubgraph.cli_support import open_services
from hubgraph.config import Settings
from hubgraph.errors import HubSpotError
from hubgraph.services.context import Services
from hubgraph.services.portability import seed, transfer

Database = Annotated[
    str | None,
    typer.Option(
        "--database",
        help="sqlite:///PATH or postgresql://… [default: $HUBGRAPH_DATABASE_URL or the default]",
        show_default=False,
    ),
]
PortalId = Annotated[int, typer.Option("--portal", help="The portal's id.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]


class ImportFormat(StrEnum):
    auto = "auto"
    jsonl = "jsonl"
    csv = "csv"


@contextmanager
def _services(database: str | None) -> Iterator[Services]:
    settings = Settings(database_url=database) if database else Settings()
    services = open_services(settings)
    try:
        yield services
    except HubSpotError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from None
    finally:
        services.close()


@contextmanager
def _progress(description: str, in_bytes: bool, quiet: bool) -> Iterator[transfer.Progress]:
    # rich is imported only by the commands that draw a bar: `hubgraph serve` starts
    # without it (docs/performance.md).
    from hubgraph.cli_progress import progress_bar

    with progress_bar(description, in_bytes, quiet) as bar:
        yield bar


def export(
    portal: PortalId,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    quiet: Quiet = False,
    database: Database = None,
) -> None:
    """Write a portal's records, associations, labels and limits as JSON Lines."""
    with _services(database) as services, _progress("export", False, quiet) as bar:
        if output is None:
            counts = transfer.export_portal(services, portal, sys.stdout.buffer, bar)
        else:
            with output.open("wb") as out:
                counts = transfer.export_portal(services, portal, out, bar)
    typer.echo(_summary("exported", counts), err=True)


def import_(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The file.")],
    portal: PortalId,
    file_format: Annotated[
        ImportFormat,
        typer.Option(
            "--format",
            help="jsonl: a hubgraph export; csv: associations. auto: by the file's suffix.",
        ),
    ] = ImportFormat.auto,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace the portal's data (JSON Lines only).")
    ] = False,
    quiet: Quiet = False,
    database: Database = None,
) -> None:
    """Load a file into a portal, all or nothing: one bad row and nothing is written.

    JSON Lines (from hubgraph export) go into an empty portal, ids kept. CSV rows
    from_type,from_id,to_type,to_id,type associate records already in the portal.
    """
    is_csv = file_format is ImportFormat.csv or (
        file_format is ImportFormat.auto and file.suffix.lower() == ".csv"
    )
    with _services(database) as services, _progress("import", True, quiet) as bar:
        if is_csv:
            written = transfer.import_associations_csv(services, portal, file, bar)
            summary = f"imported {written:,} associations"
        else:
            counts = transfer.import_portal(services, portal, file, bar, replace=replace)
            summary = _summary("imported", counts)
    typer.echo(summary, err=True)


def seed_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="YAML or JSON.")],
    portal: PortalId,
    database: Database = None,
) -> None:
    """Create a fixture file's records and associations; prints each ref's id as JSON."""
    with _services(database) as services:
        fixture = seed.parse_fixture(file.read_bytes(), file.name)
        result = seed.seed_portal(services, portal, fixture)
    _write_stdout(orjson.dumps(result.as_json(), option=orjson.OPT_INDENT_2) + b"\n")


def _write_stdout(data: bytes, out: BinaryIO | None = None) -> None:
    (out or sys.stdout.buffer).write(data)
    (out or sys.stdout.buffer).flush()


def _summary(verb: str, counts: dict[str, int]) -> str:
    return f"{verb} " + ", ".join(f"{n:,} {table}" for table, n in counts.items())


def register(app: typer.Typer) -> None:
    app.command("export")(export)
    app.command("import")(import_)
    app.command("seed")(seed_command)
