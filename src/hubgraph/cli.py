"""The ``hubgraph`` command."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from hubgraph import cli_data
from hubgraph.config import DEFAULT_DATABASE_URL, Settings
from hubgraph.services import portals
from hubgraph.services.context import Services

app = typer.Typer(
    help="hubgraph: a self-hosted, HubSpot-compatible CRM associations server.",
    no_args_is_help=True,
    add_completion=False,
)
portal_app = typer.Typer(help="Portals (HubSpot accounts).", no_args_is_help=True)
token_app = typer.Typer(help="Private-app tokens.", no_args_is_help=True)
db_app = typer.Typer(help="The database.", no_args_is_help=True)
app.add_typer(portal_app, name="portal")
app.add_typer(token_app, name="token")
app.add_typer(db_app, name="db")
cli_data.register(app)  # export, import, seed

DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database",
        help=f"sqlite:///PATH or postgresql://USER@HOST:PORT/DB [default: $HUBGRAPH_DATABASE_URL "
        f"or {DEFAULT_DATABASE_URL}]",
        show_default=False,
    ),
]


def _settings(database: str | None) -> Settings:
    if database:
        os.environ["HUBGRAPH_DATABASE_URL"] = database
    return Settings()


def _services(database: str | None) -> Services:
    services = Services.from_settings(_settings(database))
    portals.upgrade_database(services)
    return services


@db_app.command("upgrade")
def db_upgrade(database: DatabaseOption = None) -> None:
    """Apply the database migrations."""
    _services(database).close()
    typer.echo("database is up to date", err=True)


@portal_app.command("create")
def portal_create(
    name: Annotated[str, typer.Option(help="A name for the portal.")] = "hubgraph",
    database: DatabaseOption = None,
) -> None:
    """Create a portal; prints only its id."""
    services = _services(database)
    typer.echo(portals.create_portal(services, name))
    services.close()


@token_app.command("create")
def token_create(
    portal: Annotated[int, typer.Option(help="The portal id the token acts for.")],
    scope: Annotated[
        list[str] | None,
        typer.Option(help="A scope to grant (repeat it); default: every CRM object scope."),
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Create a private-app token; prints only the token."""
    services = _services(database)
    try:
        typer.echo(portals.create_token(services, portal, scope))
    except portals.UnknownPortal:
        typer.echo(f"no portal with id {portal}", err=True)
        raise typer.Exit(1) from None
    finally:
        services.close()


SDK_SNIPPET = """\
    from hubspot import Client
    client = Client.create(access_token="{token}", host="{base_url}")
    client.crm.associations.v4.batch_api.create_default("contacts", "companies", batch)"""


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    database: DatabaseOption = None,
) -> None:
    """Apply migrations and serve HubSpot's API; on an empty database, print a ready token."""
    import uvicorn

    services = _services(database)
    if not portals.any_portal(services):
        portal_id = portals.create_portal(services)
        token = portals.create_token(services, portal_id)
        base_url = f"http://{host}:{port}"
        typer.echo(f"Created portal {portal_id}.\nToken: {token}\n\nUse it with HubSpot's SDK:\n")
        typer.echo(SDK_SNIPPET.format(token=token, base_url=base_url) + "\n")
    else:
        typer.echo(
            "Portals exist already; mint a token with: hubgraph token create --portal ID",
            err=True,
        )
    services.close()
    uvicorn.run(
        "hubgraph.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )


def main() -> None:
    app()
