"""What the services need from the app: the database and HubSpot's reference data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hubgraph.config import Settings
from hubgraph.domain.association_types import AssociationTypeCatalog, hubspot_defined_types
from hubgraph.domain.object_types import (
    CustomLookup,
    ObjectTypeRegistry,
    standard_object_types,
)
from hubgraph.services.state.shared_state import SharedState
from hubgraph.store import custom_objects as custom_object_store
from hubgraph.store.engine import Database, create_engine, writer_lock

if TYPE_CHECKING:
    # psycopg's async pool: PostgreSQL only (a SQLite worker never loads libpq)
    from hubgraph.store.loop_reads import LoopReadPool


@dataclass(frozen=True)
class Services:
    settings: Settings
    database: Database
    object_types: ObjectTypeRegistry = field(default_factory=standard_object_types)
    association_types: AssociationTypeCatalog = field(default_factory=hubspot_defined_types)
    # Rate-limit counters and injected faults (Redis when HUBGRAPH_REDIS_URL is set).
    shared: SharedState = field(default_factory=SharedState)

    @classmethod
    def from_settings(cls, settings: Settings) -> Services:
        engine = create_engine(
            settings.database_url,
            busy_timeout_ms=settings.sqlite_busy_timeout_ms,
            pool_size=settings.pool_size,
            pooler=settings.database_pooler,
        )
        loop_reads = None
        if engine.dialect.name == "postgresql":
            from hubgraph.store.loop_reads import LoopReadPool  # loads libpq: PostgreSQL only

            loop_reads = LoopReadPool.for_engine(
                engine, settings.database_pooler, settings.pool_size
            )
        database = Database(engine, writer_lock(settings.database_url), loop_reads)
        return cls(
            settings=settings,
            database=database,
            object_types=standard_object_types().with_custom(_custom_lookup(database)),
            shared=SharedState.from_settings(settings),
        )

    def loop_reads(self) -> LoopReadPool | None:
        """The PostgreSQL pool whose reads this event loop may await (store/loop_reads.py);
        None on SQLite (its reads run inline already, api/http/offload.py) or in an app run
        without its lifespan, where a read takes a worker thread instead."""
        pool = self.database.loop_reads
        return pool if pool is not None and pool.serves_this_loop() else None

    def close(self) -> None:
        self.database.dispose()
        self.shared.close()


def _custom_lookup(database: Database) -> CustomLookup:
    """Custom object types live in the database: one short read per resolution."""

    def lookup(portal_id: int, value: str) -> str | None:
        with database.read() as conn:
            found = custom_object_store.find(conn, portal_id, value)
        return None if found is None else found.object_type_id

    return lookup
