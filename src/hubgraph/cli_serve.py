"""``hubgraph serve``: migrate, say where it serves, hand over the first token, run uvicorn.

It says one start-up line, logs one line per request (``--no-access-log`` to stop it) as
text or JSON (``--log-format json``), and shows the first portal's token only where it is
safe: on a terminal, with ``--show-token``, or in a file only its owner can read.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import logging.config
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.engine import make_url

from hubgraph import __version__
from hubgraph.cli_support import open_services
from hubgraph.config import DEFAULT_DATABASE_URL, Settings
from hubgraph.logs import LogFormat, log_config
from hubgraph.metrics import MULTIPROCESS_DIR_VARIABLE
from hubgraph.services.access import portals

log = logging.getLogger("hubgraph")
# The app uvicorn's workers load (create_app_from_env), named: the CLI sits below it.
APP_MODULE = "hubgraph.app"
DEFAULT_TOKEN_FILE = Path("hubgraph.token")

SDK_SNIPPET = """\
    from hubspot import Client
    client = Client.create(access_token="{token}", host="{base_url}")
    objects, links = client.crm.objects.basic_api, client.crm.associations.v4.basic_api
    contact = objects.create("contacts", {{"properties": {{"email": "alice@example.com"}}}})
    company = objects.create("companies", {{"properties": {{"name": "Acme"}}}})
    links.create_default("contacts", contact.id, "companies", company.id)
    print(links.get_page("contacts", contact.id, "companies").results)"""


def describe_database(url: str) -> str:
    """``SQLite ./hubgraph.db`` or ``PostgreSQL user@host:port/db``; never a password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite {parsed.database or ':memory:'}"
    user = f"{parsed.username}@" if parsed.username else ""
    return f"PostgreSQL {user}{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database}"


def start_up_line(base_url: str, database_url: str, workers: int) -> str:
    plural = "" if workers == 1 else "s"
    return (
        f"hubgraph {__version__} serving HubSpot's API on {base_url}  ·  "
        f"{describe_database(database_url)}  ·  {workers} worker{plural}"
    )


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by its owner only (0600), whatever the umask."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        os.fchmod(out.fileno(), 0o600)
        out.write(text + "\n")


def hand_over_first_token(
    portal_id: int, token: str, base_url: str, show_token: bool, token_file: Path | None
) -> None:
    """On a terminal (or asked to), print the token and a snippet; else write a 0600 file.

    Standard output that is not a terminal usually goes to a log collector, where a
    never-expiring, full-scope token must not end up (issue 12).
    """
    if show_token or (token_file is None and sys.stdout.isatty()):
        typer.echo(f"Created portal {portal_id}.\nToken: {token}\n\nUse it with HubSpot's SDK:\n")
        typer.echo(SDK_SNIPPET.format(token=token, base_url=base_url) + "\n")
        if importlib.util.find_spec("hubspot") is None:
            typer.echo("(HubSpot's SDK is not installed here: pip install hubspot-api-client)\n")
        return
    path = token_file or DEFAULT_TOKEN_FILE
    write_private(path, token)
    typer.echo(
        f"Created portal {portal_id}; its token is in {path} (readable by you only). "
        "hubgraph serve --show-token prints it instead."
    )


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    database: Annotated[
        str | None,
        typer.Option(
            "--database",
            help=f"sqlite:///PATH or postgresql://USER@HOST:PORT/DB [default: "
            f"$HUBGRAPH_DATABASE_URL or {DEFAULT_DATABASE_URL}]",
            show_default=False,
        ),
    ] = None,
    access_log: Annotated[
        bool, typer.Option("--access-log/--no-access-log", help="One log line per request.")
    ] = True,
    log_format: Annotated[
        LogFormat, typer.Option(help="text for people, json (one object a line) for collectors.")
    ] = "text",
    show_token: Annotated[
        bool,
        typer.Option(help="Print a new database's first token even when not on a terminal."),
    ] = False,
    token_file: Annotated[
        Path | None,
        typer.Option(help="Write a new database's first token to this file (mode 0600)."),
    ] = None,
) -> None:
    """Apply migrations and serve HubSpot's API; a new database gets a portal and a token."""
    import uvicorn

    from hubgraph.forked_workers import forked_workers
    from hubgraph.serving import is_loopback_name, server_options

    if database:
        os.environ["HUBGRAPH_DATABASE_URL"] = database
    if not is_loopback_name(host) and not Settings().admin_token:
        # Closed unless deliberately opened: off loopback the control plane (portals,
        # tokens, faults, snapshots) would answer nobody, so say so instead of starting.
        typer.echo(
            f"Refusing to listen on {host}: a server reachable from other machines needs "
            "HUBGRAPH_ADMIN_TOKEN (a long random secret; the control plane then asks every "
            "caller for it). See docs/reliability.md, 'Deploying safely'.",
            err=True,
        )
        raise typer.Exit(2)
    # Workers build their app from the environment (create_app_from_env).
    os.environ["HUBGRAPH_ACCESS_LOG"] = "true" if access_log else "false"
    config = log_config(log_format)
    logging.config.dictConfig(config)
    settings = Settings()
    base_url = f"http://{host}:{port}"
    services = open_services(settings)
    try:
        if not portals.any_portal(services):
            portal_id = portals.create_portal(services)
            token = portals.create_token(services, portal_id)
            hand_over_first_token(portal_id, token, base_url, show_token, token_file)
        else:
            typer.echo(
                "Portals exist already: hubgraph portal list shows them, "
                "hubgraph token create --portal ID mints a token.",
                err=True,
            )
    finally:
        services.close()
    log.info(start_up_line(base_url, settings.database_url, workers))
    metrics_dir = _multiprocess_metrics_dir(workers)
    if workers > 1:
        # Imported once, here, then forked into every worker (forked_workers.py); the
        # module uvicorn loads by name below.
        importlib.import_module(APP_MODULE)
    try:
        with forked_workers(workers):
            uvicorn.run(
                f"{APP_MODULE}:create_app_from_env",
                factory=True,
                host=host,
                port=port,
                workers=workers,
                log_config=config,
                log_level="warning",
                access_log=False,
                **server_options(),
            )
    finally:
        if metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)


def _multiprocess_metrics_dir(workers: int) -> str | None:
    """A fresh folder where several workers share their metrics; None for one worker.

    Spawned workers import prometheus_client anew and see the variable; a folder the
    operator set is theirs to keep.
    """
    if workers == 1 or os.environ.get(MULTIPROCESS_DIR_VARIABLE):
        return None
    directory = tempfile.mkdtemp(prefix="hubgraph-metrics-")
    os.environ[MULTIPROCESS_DIR_VARIABLE] = directory
    return directory


def register(app: typer.Typer) -> None:
    app.command()(serve)
