"""The fast bulk path: records and associations generated inside the database.

The rows are computed by SQL (``generate_series`` on PostgreSQL, a recursive CTE on
SQLite) in chunks, so loading 10M+ associations costs the database's time only, never a
Python loop per row. On an empty PostgreSQL table the primary key is dropped for the load
and rebuilt once afterwards (a sort instead of 20M random index inserts).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

import psycopg
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from bench.data import (
    BACKWARD_TYPE_ID,
    COMPANY,
    CONTACT,
    FORWARD_TYPE_ID,
    HUB_ASSOCIATIONS,
    HUBSPOT_DEFINED,
    DataSet,
)
from bench.databases import driver_url, sqlite_path
from hubgraph.config import Settings
from hubgraph.services.access import portals
from hubgraph.services.context import Services

CHUNK = 250_000
PROPERTIES = '{"name": "bench"}'


def progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )


def prepare(url: str) -> tuple[int, str]:
    """Migrate, create a portal and a token with every CRM scope, through hubgraph itself."""
    services = Services.from_settings(Settings(database_url=url))
    try:
        portals.upgrade_database(services)
        portal_id = portals.create_portal(services, "bench")
        return portal_id, portals.create_token(services, portal_id)
    finally:
        services.close()


class Loader:
    def __init__(self, url: str) -> None:
        self.url = url
        self.postgres = not url.startswith("sqlite")
        self.now = int(time.time() * 1000)

    def _execute(self, statements: list[tuple[str, dict[str, int]]]) -> None:
        if self.postgres:
            with psycopg.connect(driver_url(self.url)) as conn:
                for sql, params in statements:
                    conn.execute(sql, params)  # type: ignore[arg-type]
        else:
            conn = sqlite3.connect(sqlite_path(self.url), isolation_level=None)
            try:
                conn.execute("BEGIN IMMEDIATE")
                for sql, params in statements:
                    conn.execute(sql.replace("%(", ":").replace(")s", ""), params)
                conn.execute("COMMIT")
            finally:
                conn.close()

    def _series(self, select: str) -> str:
        """``select`` over integers ``g`` from ``lo`` (inclusive) to ``hi`` (exclusive)."""
        if self.postgres:
            return f"{select} FROM generate_series(%(lo)s::bigint, %(hi)s::bigint - 1) AS s(g)"
        return (
            "WITH RECURSIVE s(g) AS (SELECT %(lo)s UNION ALL SELECT g + 1 FROM s "
            f"WHERE g + 1 < %(hi)s) {select} FROM s"
        )

    def _chunked(
        self, label: str, total: int, statement: Callable[[int, int], list[str]], per_k: int
    ) -> None:
        with progress() as bar:
            task = bar.add_task(label, total=total, rate="")
            started = time.perf_counter()
            for lo in range(0, total, CHUNK):
                hi = min(total, lo + CHUNK)
                self._execute([(sql, {"lo": lo, "hi": hi}) for sql in statement(lo, hi)])
                rate = hi * per_k / (time.perf_counter() - started)
                bar.update(task, completed=hi, rate=f"{rate:,.0f} rows/s")

    def load_records(self, data: DataSet) -> None:
        def objects(type_id: str, first: int) -> str:
            return self._series(
                "INSERT INTO objects (portal_id, object_type_id, id, properties, created_at, "
                f"updated_at, archived_at) SELECT {data.portal_id}, '{type_id}', {first} + g, "
                f"'{PROPERTIES}', {self.now}, {self.now}, NULL"
            )

        contacts = data.contacts + 1  # and the hub
        with progress() as bar:
            task = bar.add_task("records", total=contacts + data.companies, rate="")
            for type_id, count, first in (
                (CONTACT, contacts, data.contact_id(0)),
                (COMPANY, data.companies, data.company_id(0)),
            ):
                for lo in range(0, count, CHUNK):
                    hi = min(count, lo + CHUNK)
                    self._execute([(objects(type_id, first), {"lo": lo, "hi": hi})])
                    bar.advance(task, hi - lo)
        self._execute(
            [
                (
                    "UPDATE portals SET next_object_id = %(next)s WHERE id = %(portal)s",
                    {"next": data.first_id + data.record_count, "portal": data.portal_id},
                )
            ]
        )

    def _association_sql(self, data: DataSet, contact: str, company: str) -> list[str]:
        # SQLite needs the WHERE to tell ON CONFLICT from a join constraint.
        conflict = " WHERE true ON CONFLICT DO NOTHING"
        cols = "portal_id, from_type, from_id, to_type, to_id, category, type_id, created_at"
        return [
            self._series(
                f"INSERT INTO associations ({cols}) SELECT {data.portal_id}, '{CONTACT}', "
                f"{contact}, '{COMPANY}', {company}, {HUBSPOT_DEFINED}, {FORWARD_TYPE_ID}, "
                f"{self.now}"
            )
            + conflict,
            self._series(
                f"INSERT INTO associations ({cols}) SELECT {data.portal_id}, '{COMPANY}', "
                f"{company}, '{CONTACT}', {contact}, {HUBSPOT_DEFINED}, {BACKWARD_TYPE_ID}, "
                f"{self.now}"
            )
            + conflict,
        ]

    def load_associations(self, data: DataSet, count: int) -> None:
        """Associations ``0 <= k < count`` (both directions), into an empty table."""
        if count <= 0:
            return
        mod = "%%" if self.postgres else "%"
        statements = self._association_sql(
            data, data.sql_contact("g", mod), data.sql_company("g", mod)
        )
        rebuild = self.postgres and self._drop_primary_key()
        self._chunked("associations", count, lambda lo, hi: statements, 2)
        if rebuild:
            with progress() as bar:
                bar.add_task("primary key", total=None, rate="")
                self._execute(
                    [
                        (
                            f"ALTER TABLE associations ADD CONSTRAINT {rebuild} PRIMARY KEY "
                            "(portal_id, from_type, from_id, to_type, to_id, category, type_id)",
                            {},
                        )
                    ]
                )
        if self.postgres:
            self.analyze()

    def load_hub(self, data: DataSet) -> None:
        """The hub contact's ``HUB_ASSOCIATIONS`` companies."""
        contact = str(data.hub_contact_id)
        company = f"({data.company_id(0)} + g)"
        statements = self._association_sql(data, contact, company)
        self._execute([(sql, {"lo": 0, "hi": HUB_ASSOCIATIONS}) for sql in statements])

    def _drop_primary_key(self) -> str:
        with psycopg.connect(driver_url(self.url)) as conn:
            empty = conn.execute("SELECT NOT EXISTS (SELECT 1 FROM associations)").fetchone()
            name = conn.execute(
                "SELECT conname FROM pg_constraint WHERE conrelid = 'associations'::regclass "
                "AND contype = 'p'"
            ).fetchone()
            if not (empty and empty[0] and name):
                return ""
            conn.execute(f"ALTER TABLE associations DROP CONSTRAINT {name[0]}")
            return str(name[0])

    def analyze(self) -> None:
        """VACUUM ANALYZE the two big tables now, so autovacuum does not do it during the
        next measurement (PostgreSQL)."""
        with psycopg.connect(driver_url(self.url), autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE associations")
            conn.execute("VACUUM ANALYZE objects")

    def compress_wal(self) -> None:
        """``wal_compression = lz4`` for every later connection to this database (the raw
        driver's and hubgraph's alike), as docs/performance.md advises a deployment: after
        each checkpoint, the first insert into each page of the 12M-row primary key logs
        the whole 8 kB page (16.8 MB of WAL for 4,000 rows at 10M, mostly those pages).
        PostgreSQL only."""
        with psycopg.connect(driver_url(self.url), autocommit=True) as conn:
            database = conn.execute("SELECT current_database()").fetchone()
            assert database is not None
            conn.execute(f"ALTER DATABASE \"{database[0]}\" SET wal_compression = 'lz4'")

    def settle(self) -> None:
        """``analyze``, then a checkpoint: a timed write phase starts with no vacuum due and
        no dirty pages left by the one before it to be written meanwhile (PostgreSQL)."""
        self.analyze()
        with psycopg.connect(driver_url(self.url), autocommit=True) as conn:
            conn.execute("CHECKPOINT")

    def background_work(self) -> dict[str, int]:
        """How many autovacuums of the two big tables and checkpoints PostgreSQL has run so
        far: work that competes with a timed write phase for the same disk and cores."""
        with psycopg.connect(driver_url(self.url), autocommit=True) as conn:
            vacuums = conn.execute(
                "SELECT coalesce(sum(autovacuum_count + autoanalyze_count), 0) "
                "FROM pg_stat_user_tables WHERE relname IN ('associations', 'objects')"
            ).fetchone()
            checkpoints = conn.execute(
                "SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter"
            ).fetchone()
        assert vacuums is not None
        assert checkpoints is not None
        return {"autovacuums": int(vacuums[0]), "checkpoints": int(checkpoints[0])}
