"""What every ``hubgraph`` command shares: opening the services, or one line on failure."""

from __future__ import annotations

import os

import typer

from hubgraph.config import Settings
from hubgraph.services.context import Services
from hubgraph.services.operations import startup

DEBUG_VARIABLE = "HUBGRAPH_DEBUG"


def debug_requested() -> bool:
    """``hubgraph --debug …`` (or HUBGRAPH_DEBUG=1): tracebacks, not one-line explanations."""
    return os.environ.get(DEBUG_VARIABLE, "") not in ("", "0", "false")


def open_services(settings: Settings) -> Services:
    """Migrated services; a database or Redis that can't be reached → one line, exit 1."""
    try:
        return startup.open_services(settings)
    except startup.StartupError as exc:
        if debug_requested():
            raise
        typer.echo(f"hubgraph: {exc}", err=True)
        raise typer.Exit(1) from None
