"""The ``hubgraph`` command."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from typing import Annotated

import typer

from hubgraph import cli_data
from hubgraph.config import DEFAULT_DATABASE_URL, Settings
from hubgraph.domain.rate_limits import UnknownTier
from hubgraph.services.access import oauth, portals, rate_limits
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


# --- OAuth apps, rate-limit tiers, fault injection -------------------------------------

oauth_app = typer.Typer(help="OAuth apps (client id and secret).", no_args_is_help=True)
faults_app = typer.Typer(
    help="Inject faults into a running server (talks to its /_hubgraph/faults).",
    no_args_is_help=True,
)
app.add_typer(oauth_app, name="app")
app.add_typer(faults_app, name="faults")

UrlOption = Annotated[str, typer.Option("--url", help="The running server's base URL.")]


@oauth_app.command("create")
def app_create(
    name: Annotated[str, typer.Option(help="The app's name, shown on the consent page.")],
    redirect_uri: Annotated[
        list[str], typer.Option(help="A redirect URI the app may use (repeat it).")
    ],
    scope: Annotated[
        list[str] | None,
        typer.Option(help="A scope the app may ask for (repeat it); default: every CRM scope."),
    ] = None,
    developer_account: Annotated[
        int | None,
        typer.Option(help="The developer account that owns it; default: a new one, with a key."),
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Create an OAuth app; prints its client id and secret, and the developer API key that
    manages its webhooks (shown once, when its developer account is created)."""
    services = _services(database)
    try:
        created = oauth.create_app(services, name, redirect_uri, scope, developer_account)
    finally:
        services.close()
    typer.echo(f"app_id: {created.app_id}")
    typer.echo(f"client_id: {created.client_id}")
    typer.echo(f"client_secret: {created.client_secret}")
    typer.echo(f"developer_account_id: {created.developer_account_id}")
    if created.developer_api_key is not None:
        typer.echo(f"developer_api_key: {created.developer_api_key}")


@portal_app.command("rate-limits")
def portal_rate_limits(
    portal: Annotated[int, typer.Option(help="The portal id.")],
    tier: Annotated[
        str | None,
        typer.Option(help="free, starter, professional or enterprise; omit to switch limits off."),
    ] = None,
    add_ons: Annotated[int, typer.Option(min=0, max=2, help="API limit increase add-ons.")] = 0,
    ten_secondly_max: Annotated[
        int | None, typer.Option(min=1, help="Override the 10-second burst limit.")
    ] = None,
    daily_max: Annotated[int | None, typer.Option(min=1, help="Override the daily limit.")] = None,
    database: DatabaseOption = None,
) -> None:
    """Give a portal HubSpot's rate limits for a tier (HubSpot's API usage guidelines)."""
    services = _services(database)
    try:
        if tier is None:
            rate_limits.clear_tier(services, portal)
            typer.echo(f"portal {portal}: no rate limits")
            return
        limits = rate_limits.set_tier(
            services, portal, rate_limits.Tier(tier, add_ons, ten_secondly_max, daily_max)
        )
    except UnknownTier:
        typer.echo(f"unknown tier {tier!r}", err=True)
        raise typer.Exit(1) from None
    finally:
        services.close()
    typer.echo(f"portal {portal}: {limits.ten_secondly_max} per 10 s, {limits.daily_max} a day")


def _control(method: str, url: str, body: dict[str, object] | None = None) -> bytes:
    if not url.startswith(("http://", "https://")):
        typer.echo("--url must be an http(s) URL", err=True)
        raise typer.Exit(2)
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return bytes(response.read())
    except urllib.error.HTTPError as exc:
        typer.echo(exc.read().decode(errors="replace"), err=True)
        raise typer.Exit(1) from None


@faults_app.command("add")
def faults_add(
    route: Annotated[str, typer.Option(help="Path pattern, e.g. '/crm/v4/associations/*'.")],
    url: UrlOption = "http://127.0.0.1:8080",
    status: Annotated[
        int | None, typer.Option(help="Answer with 429, 423, 500, 502, 503 or 504.")
    ] = None,
    latency_ms: Annotated[int, typer.Option(help="Delay before answering.")] = 0,
    portal: Annotated[int | None, typer.Option(help="Only this portal's requests.")] = None,
    method: Annotated[str | None, typer.Option(help="Only this HTTP method.")] = None,
    rate: Annotated[float, typer.Option(help="Share of matching requests hit (0-1].")] = 1.0,
    count: Annotated[int | None, typer.Option(help="Stop after this many hits.")] = None,
) -> None:
    """Inject a fault; prints it as JSON."""
    body: dict[str, object] = {"route": route, "latencyMs": latency_ms, "rate": rate}
    body |= {
        k: v
        for k, v in {"status": status, "portalId": portal, "method": method, "count": count}.items()
        if v is not None
    }
    typer.echo(_control("POST", f"{url.rstrip('/')}/_hubgraph/faults", body).decode())


@faults_app.command("list")
def faults_list(url: UrlOption = "http://127.0.0.1:8080") -> None:
    """Print the faults in force, as JSON."""
    typer.echo(_control("GET", f"{url.rstrip('/')}/_hubgraph/faults").decode())


@faults_app.command("clear")
def faults_clear(
    url: UrlOption = "http://127.0.0.1:8080",
    portal: Annotated[int | None, typer.Option(help="Only this portal's faults.")] = None,
) -> None:
    """Remove faults (all of them, or one portal's)."""
    query = f"?portalId={portal}" if portal is not None else ""
    _control("DELETE", f"{url.rstrip('/')}/_hubgraph/faults{query}")
    typer.echo("faults cleared", err=True)
