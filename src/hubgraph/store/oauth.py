"""OAuth apps, authorization codes and tokens (migration 0004_oauth). Secrets are stored hashed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Row,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
)

from hubgraph.store.tables import metadata, portals

oauth_apps = Table(
    "oauth_apps",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("name", Text, nullable=False),
    Column("client_id", String(64), nullable=False, unique=True),
    Column("client_secret_hash", String(64), nullable=False),
    Column("redirect_uris", Text, nullable=False),
    Column("scopes", Text, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    # Migration 0010: the developer account that owns the app (its webhooks key), and the
    # client secret itself, which webhook signatures are keyed with (v1 and v3 need it).
    Column("developer_account_id", BigInteger, nullable=True),
    Column("client_secret", Text, nullable=True),
)

developer_accounts = Table(
    "developer_accounts",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("api_key_hash", String(64), nullable=False, unique=True),
    Column("created_at", BigInteger, nullable=False),
)

oauth_codes = Table(
    "oauth_codes",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("portal_id", BigInteger, nullable=False),
    Column("app_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("redirect_uri", Text, nullable=False),
    Column("scopes", Text, nullable=False),
    Column("code_challenge", String(128), nullable=True),
    Column("code_challenge_method", String(8), nullable=True),
    Column("expires_at", BigInteger, nullable=False),
)

oauth_refresh_tokens = Table(
    "oauth_refresh_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("portal_id", BigInteger, nullable=False),
    Column("app_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("scopes", Text, nullable=False),
    Column("created_at", BigInteger, nullable=False),
)

oauth_access_tokens = Table(
    "oauth_access_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("portal_id", BigInteger, nullable=True),
    Column("app_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=True),
    Column("scopes", Text, nullable=False),
    Column("token_use", String(32), nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Column("created_at", BigInteger, nullable=False),
)

FIRST_APP_ID = 1_000_001


@dataclass(frozen=True, slots=True)
class AppRow:
    id: int
    name: str
    client_id: str
    client_secret_hash: str
    redirect_uris: list[str]
    scopes: list[str]


@dataclass(frozen=True, slots=True)
class CodeRow:
    portal_id: int
    app_id: int
    user_id: int
    redirect_uri: str
    scopes: list[str]
    code_challenge: str | None
    code_challenge_method: str | None
    expires_at: int


@dataclass(frozen=True, slots=True)
class RefreshTokenRow:
    portal_id: int
    app_id: int
    user_id: int
    scopes: list[str]


@dataclass(frozen=True, slots=True)
class AccessTokenRow:
    portal_id: int | None
    app_id: int
    user_id: int | None
    scopes: list[str]
    token_use: str
    expires_at: int


def create_app(
    conn: Connection,
    *,
    name: str,
    client_id: str,
    client_secret_hash: str,
    redirect_uris: list[str],
    scopes: list[str],
    now_ms: int,
    client_secret: str | None = None,
    developer_account_id: int | None = None,
) -> int:
    highest = conn.execute(select(func.max(oauth_apps.c.id))).scalar()
    app_id = FIRST_APP_ID if highest is None else int(highest) + 1
    conn.execute(
        insert(oauth_apps).values(
            id=app_id,
            name=name,
            client_id=client_id,
            client_secret_hash=client_secret_hash,
            redirect_uris=" ".join(redirect_uris),
            scopes=" ".join(scopes),
            created_at=now_ms,
            client_secret=client_secret,
            developer_account_id=developer_account_id,
        )
    )
    return app_id


def _app(row: Row[Any]) -> AppRow:
    return AppRow(
        id=int(row.id),
        name=row.name,
        client_id=row.client_id,
        client_secret_hash=row.client_secret_hash,
        redirect_uris=row.redirect_uris.split(),
        scopes=row.scopes.split(),
    )


def find_app_by_client_id(conn: Connection, client_id: str) -> AppRow | None:
    row = conn.execute(select(oauth_apps).where(oauth_apps.c.client_id == client_id)).first()
    return None if row is None else _app(row)


def find_app(conn: Connection, app_id: int) -> AppRow | None:
    row = conn.execute(select(oauth_apps).where(oauth_apps.c.id == app_id)).first()
    return None if row is None else _app(row)


def add_code(conn: Connection, code_hash: str, code: CodeRow) -> None:
    conn.execute(
        insert(oauth_codes).values(
            code_hash=code_hash,
            portal_id=code.portal_id,
            app_id=code.app_id,
            user_id=code.user_id,
            redirect_uri=code.redirect_uri,
            scopes=" ".join(code.scopes),
            code_challenge=code.code_challenge,
            code_challenge_method=code.code_challenge_method,
            expires_at=code.expires_at,
        )
    )


def take_code(conn: Connection, code_hash: str) -> CodeRow | None:
    """Delete and return the code in one statement: of two concurrent takers, one wins."""
    row = conn.execute(
        delete(oauth_codes).where(oauth_codes.c.code_hash == code_hash).returning(oauth_codes)
    ).first()
    if row is None:
        return None
    return CodeRow(
        portal_id=int(row.portal_id),
        app_id=int(row.app_id),
        user_id=int(row.user_id),
        redirect_uri=row.redirect_uri,
        scopes=row.scopes.split(),
        code_challenge=row.code_challenge,
        code_challenge_method=row.code_challenge_method,
        expires_at=int(row.expires_at),
    )


def add_refresh_token(
    conn: Connection, token_hash: str, token: RefreshTokenRow, now_ms: int
) -> None:
    conn.execute(
        insert(oauth_refresh_tokens).values(
            token_hash=token_hash,
            portal_id=token.portal_id,
            app_id=token.app_id,
            user_id=token.user_id,
            scopes=" ".join(token.scopes),
            created_at=now_ms,
        )
    )


def find_refresh_token(conn: Connection, token_hash: str) -> RefreshTokenRow | None:
    row = conn.execute(
        select(oauth_refresh_tokens).where(oauth_refresh_tokens.c.token_hash == token_hash)
    ).first()
    if row is None:
        return None
    return RefreshTokenRow(
        portal_id=int(row.portal_id),
        app_id=int(row.app_id),
        user_id=int(row.user_id),
        scopes=row.scopes.split(),
    )


def delete_refresh_token(conn: Connection, token_hash: str) -> bool:
    result = conn.execute(
        delete(oauth_refresh_tokens).where(oauth_refresh_tokens.c.token_hash == token_hash)
    )
    return result.rowcount > 0


def add_access_token(conn: Connection, token_hash: str, token: AccessTokenRow, now_ms: int) -> None:
    conn.execute(
        insert(oauth_access_tokens).values(
            token_hash=token_hash,
            portal_id=token.portal_id,
            app_id=token.app_id,
            user_id=token.user_id,
            scopes=" ".join(token.scopes),
            token_use=token.token_use,
            expires_at=token.expires_at,
            created_at=now_ms,
        )
    )


def find_access_token(conn: Connection, token_hash: str) -> AccessTokenRow | None:
    row = conn.execute(
        select(oauth_access_tokens).where(oauth_access_tokens.c.token_hash == token_hash)
    ).first()
    if row is None:
        return None
    return AccessTokenRow(
        portal_id=None if row.portal_id is None else int(row.portal_id),
        app_id=int(row.app_id),
        user_id=None if row.user_id is None else int(row.user_id),
        scopes=row.scopes.split(),
        token_use=row.token_use,
        expires_at=int(row.expires_at),
    )


def portal_exists(conn: Connection, portal_id: int) -> bool:
    return conn.execute(select(portals.c.id).where(portals.c.id == portal_id)).first() is not None


def portal_names(conn: Connection, portal_ids: Iterable[int]) -> dict[int, str]:
    """Names of the given portals (the consent page names the signed-in user's portals).

    Asked by id: a user's portals can sit anywhere among thousands, so a first-N listing
    would miss them.
    """
    wanted = sorted(set(portal_ids))
    if not wanted:
        return {}
    rows = conn.execute(select(portals.c.id, portals.c.name).where(portals.c.id.in_(wanted)))
    return {int(r.id): r.name for r in rows}


FIRST_DEVELOPER_ACCOUNT_ID = 20_000_001


# --- developer accounts: they own apps; their API key manages the apps' webhooks ---


def create_developer_account(conn: Connection, api_key_hash: str, now_ms: int) -> int:
    highest = conn.execute(select(func.max(developer_accounts.c.id))).scalar()
    account_id = FIRST_DEVELOPER_ACCOUNT_ID if highest is None else int(highest) + 1
    conn.execute(
        insert(developer_accounts).values(
            id=account_id, api_key_hash=api_key_hash, created_at=now_ms
        )
    )
    return account_id


def developer_account_by_key(conn: Connection, api_key_hash: str) -> int | None:
    found = conn.execute(
        select(developer_accounts.c.id).where(developer_accounts.c.api_key_hash == api_key_hash)
    ).scalar()
    return None if found is None else int(found)


def developer_account_exists(conn: Connection, account_id: int) -> bool:
    query = select(developer_accounts.c.id).where(developer_accounts.c.id == account_id)
    return conn.execute(query).first() is not None


def app_owner(conn: Connection, app_id: int) -> int | None:
    """The developer account that owns the app, if the app exists and has one."""
    found = conn.execute(
        select(oauth_apps.c.developer_account_id).where(oauth_apps.c.id == app_id)
    ).scalar()
    return None if found is None else int(found)


def app_client_secret(conn: Connection, app_id: int) -> str | None:
    """The secret webhook deliveries are signed with (None for apps made before 0010)."""
    found = conn.execute(
        select(oauth_apps.c.client_secret).where(oauth_apps.c.id == app_id)
    ).scalar()
    return None if found is None else str(found)
