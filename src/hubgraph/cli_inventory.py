"""``hubgraph portal list``, ``token list``, ``token revoke``, ``app list``.

Tokens are stored hashed, so a token is listed (and can be revoked) by its fingerprint:
the first hex digits of its SHA-256.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated

import typer

from hubgraph.cli_support import open_services
from hubgraph.config import Settings
from hubgraph.services.access import inventory

Database = Annotated[
    str | None,
    typer.Option(
        "--database", help="Database URL [default: $HUBGRAPH_DATABASE_URL].", show_default=False
    ),
]


def _settings(database: str | None) -> Settings:
    return Settings(database_url=database) if database else Settings()


def _when(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    cells = [list(header), *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for row in cells:
        typer.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def portal_list(database: Database = None) -> None:
    """List the portals: id, name, tokens, created."""
    services = open_services(_settings(database))
    try:
        found = inventory.list_portals(services)
    finally:
        services.close()
    rows = [(p.id, p.name, p.tokens, _when(p.created_at)) for p in found]
    _table(("PORTAL", "NAME", "TOKENS", "CREATED"), rows)


def token_list(
    portal: Annotated[int | None, typer.Option(help="Only this portal's tokens.")] = None,
    database: Database = None,
) -> None:
    """List private-app tokens by fingerprint (tokens are stored hashed)."""
    services = open_services(_settings(database))
    try:
        found = inventory.list_tokens(services, portal)
    finally:
        services.close()
    rows = [(t.fingerprint, t.portal_id, t.scopes, _when(t.created_at)) for t in found]
    _table(("FINGERPRINT", "PORTAL", "SCOPES", "CREATED"), rows)


def token_revoke(
    token: Annotated[str, typer.Argument(help="The token (pat-…) or its fingerprint.")],
    database: Database = None,
) -> None:
    """Revoke a private-app token; prints its fingerprint."""
    services = open_services(_settings(database))
    try:
        fingerprint = inventory.revoke_token(services, token)
    except inventory.UnknownToken as exc:
        typer.echo(f"hubgraph: {exc} (hubgraph token list shows them)", err=True)
        raise typer.Exit(1) from None
    finally:
        services.close()
    typer.echo(f"revoked {fingerprint}")


def app_list(database: Database = None) -> None:
    """List OAuth apps: id, name, client id, redirect URIs (secrets are stored hashed)."""
    services = open_services(_settings(database))
    try:
        found = inventory.list_apps(services)
    finally:
        services.close()
    rows = [
        (a.id, a.name, a.client_id, " ".join(a.redirect_uris), _when(a.created_at)) for a in found
    ]
    _table(("APP", "NAME", "CLIENT_ID", "REDIRECT_URIS", "CREATED"), rows)


def register(portal_app: typer.Typer, token_app: typer.Typer, oauth_app: typer.Typer) -> None:
    portal_app.command("list")(portal_list)
    token_app.command("list")(token_list)
    token_app.command("revoke")(token_revoke)
    oauth_app.command("list")(app_list)
