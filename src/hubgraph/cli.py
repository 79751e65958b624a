"""The ``hubgraph`` command."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from typing import Annotated

import typer

from hubgraph import cli_data, cli_inventory, cli_serve
from hubgraph.cli_support import DEBUG_VARIABLE, open_services
from hubgraph.config import DEFAULT_DATABASE_URL, Settings
from hubgraph.domain.rate_limits import UnknownTier
from hubgraph.errors import HubSpotError
from hubgraph.services.access import oauth, portals, rate_limits, users
from hubgraph.services.context import Services
from hubgraph.services.owners import owners

app = typer.Typer(
    help="hubgraph: a self-hosted, HubSpot-compatible CRM associations server.",
    no_args_is_help=True,
    add_completion=False,
)
portal_app = typer.Typer(help="Portals (HubSpot accounts).", no_args_is_help=True)
token_app = typer.Typer(help="Private-app tokens.", no_args_is_help=True)
db_app = typer.Typer(help="The database.", no_args_is_help=True)
owner_app = typer.Typer(help="Owners (the users records are assigned to).", no_args_is_help=True)

user_app = typer.Typer(
    help="Portal users (who may sign in to the consent page).", no_args_is_help=True
)
app.add_typer(portal_app, name="portal")
app.add_typer(owner_app, name="owner")
app.add_typer(token_app, name="token")
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")


@app.callback()
def _options(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks instead of one-line explanations.")
    ] = False,
) -> None:
    """hubgraph: a self-hosted, HubSpot-compatible CRM associations server."""
    if debug:
        os.environ[DEBUG_VARIABLE] = "1"


cli_data.register(app)  # export, import, seed
cli_serve.register(app)  # serve

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
    return open_services(_settings(database))


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
        typer.echo(f"no portal with id {portal} (hubgraph portal list shows them)", err=True)
        raise typer.Exit(1) from None
    except HubSpotError as exc:  # an unknown scope, with the nearest real ones
        typer.echo(f"hubgraph: {exc.message}", err=True)
        raise typer.Exit(2) from None
    finally:
        services.close()


@owner_app.command("create")
def owner_create(
    portal: Annotated[int, typer.Option(help="The portal id the owner belongs to.")],
    email: Annotated[str | None, typer.Option(help="The owner's e-mail address.")] = None,
    first_name: Annotated[str | None, typer.Option(help="First name.")] = None,
    last_name: Annotated[str | None, typer.Option(help="Last name.")] = None,
    user_id: Annotated[
        int | None, typer.Option(help="The user's id; default: a new one (none for a QUEUE).")
    ] = None,
    owner_type: Annotated[str, typer.Option("--type", help="PERSON or QUEUE.")] = "PERSON",
    team: Annotated[
        list[str] | None,
        typer.Option(help="A team the owner is on (repeat it); the first is the primary team."),
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Create an owner (what HubSpot makes for each user); prints only its id."""
    services = _services(database)
    given = owners.OwnerInput(
        email=email,
        first_name=first_name,
        last_name=last_name,
        user_id=user_id,
        type=owner_type,
        teams=[owners.TeamInput(name, index == 0) for index, name in enumerate(team or [])],
    )
    try:
        typer.echo(owners.create_owner(services, portal, given).id)
    except HubSpotError as exc:
        typer.echo(exc.message, err=True)
        raise typer.Exit(1) from None
    finally:
        services.close()


@user_app.command("create")
def user_create(
    portal: Annotated[int, typer.Option(help="The portal id the user belongs to.")],
    email: Annotated[str, typer.Option(help="The user's e-mail address (their sign-in).")],
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            envvar="HUBGRAPH_USER_PASSWORD",
            help="Asked for when not given; or set HUBGRAPH_USER_PASSWORD.",
        ),
    ],
    first_name: Annotated[str, typer.Option(help="First name.")] = "",
    last_name: Annotated[str, typer.Option(help="Last name.")] = "",
    database: DatabaseOption = None,
) -> None:
    """Add a user to a portal; prints only the user id. The password is stored scrypt-hashed;
    an e-mail already in another portal is the same user, whose password this becomes."""
    services = _services(database)
    try:
        created = users.create_user(services, portal, email, password, first_name, last_name)
    except users.UnknownPortal:
        typer.echo(f"no portal with id {portal}", err=True)
        raise typer.Exit(1) from None
    except users.EmailTaken:
        typer.echo(f"{email} is a user of portal {portal} already", err=True)
        raise typer.Exit(1) from None
    except ValueError as exc:  # WeakPassword, a missing e-mail address
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    finally:
        services.close()
    typer.echo(created.user_id)


@user_app.command("list")
def user_list(
    portal: Annotated[int, typer.Option(help="The portal id.")],
    database: DatabaseOption = None,
) -> None:
    """A portal's users, one per line: user id, e-mail, name."""
    services = _services(database)
    try:
        for row in users.list_users(services, portal):
            typer.echo(f"{row.user_id}\t{row.email}\t{row.first_name} {row.last_name}".rstrip())
    finally:
        services.close()


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
cli_inventory.register(portal_app, token_app, oauth_app)  # portal/token/app list, token revoke

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
    except HubSpotError as exc:  # an unknown scope, with the nearest real ones
        typer.echo(f"hubgraph: {exc.message}", err=True)
        raise typer.Exit(2) from None
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
