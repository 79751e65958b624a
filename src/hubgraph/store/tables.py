"""The schema (DESIGN §3). Every key starts with portal_id so no query crosses portals."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
)

metadata = MetaData()

portals = Table(
    "portals",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("name", Text, nullable=False),
    # Object ids are handed out from one counter per portal, across object types.
    Column("next_object_id", BigInteger, nullable=False),
    Column("created_at", BigInteger, nullable=False),
)

tokens = Table(
    "tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("portal_id", BigInteger, nullable=False),
    Column("scopes", Text, nullable=False),
    Column("created_at", BigInteger, nullable=False),
)

objects = Table(
    "objects",
    metadata,
    Column("portal_id", BigInteger, nullable=False),
    Column("object_type_id", String(32), nullable=False),
    Column("id", BigInteger, nullable=False),
    Column("properties", JSON, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Column("archived_at", BigInteger, nullable=True),
    PrimaryKeyConstraint("portal_id", "object_type_id", "id"),
    sqlite_with_rowid=False,
)

# Each association is stored twice, once per direction, so every read in either
# direction is one range scan of the primary key.
associations = Table(
    "associations",
    metadata,
    Column("portal_id", BigInteger, nullable=False),
    Column("from_type", String(32), nullable=False),
    Column("from_id", BigInteger, nullable=False),
    Column("to_type", String(32), nullable=False),
    Column("to_id", BigInteger, nullable=False),
    Column("category", SmallInteger, nullable=False),
    Column("type_id", Integer, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    PrimaryKeyConstraint(
        "portal_id", "from_type", "from_id", "to_type", "to_id", "category", "type_id"
    ),
    sqlite_with_rowid=False,
)

# USER_DEFINED labels; HubSpot-defined types are reference data in hubgraph.domain.
association_types = Table(
    "association_types",
    metadata,
    Column("portal_id", BigInteger, nullable=False),
    Column("category", SmallInteger, nullable=False),
    Column("type_id", Integer, nullable=False),
    Column("from_type", String(32), nullable=False),
    Column("to_type", String(32), nullable=False),
    Column("name", Text, nullable=False),
    Column("label", Text, nullable=True),
    Column("inverse_type_id", Integer, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    PrimaryKeyConstraint("portal_id", "category", "type_id"),
)

association_limits = Table(
    "association_limits",
    metadata,
    Column("portal_id", BigInteger, nullable=False),
    Column("from_type", String(32), nullable=False),
    Column("to_type", String(32), nullable=False),
    Column("category", SmallInteger, nullable=False),
    Column("type_id", Integer, nullable=False),
    Column("max_to_object_ids", Integer, nullable=False),
    PrimaryKeyConstraint("portal_id", "from_type", "to_type", "category", "type_id"),
)

# The next USER_DEFINED typeId per portal. A counter rather than max()+1, so the id of a
# deleted label is never handed out again (a client may still hold it).
association_type_sequences = Table(
    "association_type_sequences",
    metadata,
    Column("portal_id", BigInteger, primary_key=True, autoincrement=False),
    Column("next_type_id", Integer, nullable=False),
)


# High-usage reports (POST /crm/v4/associations/usage/high-usage-report/{userId}): HubSpot
# e-mails them; we keep them, readable under /_hubgraph/reports/high-usage/{userId}.
high_usage_reports = Table(
    "high_usage_reports",
    metadata,
    Column("portal_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("enqueued_at", BigInteger, nullable=False),
    Column("records", JSON, nullable=False),
    PrimaryKeyConstraint("portal_id", "user_id"),
)

# Owners (Owners v3): the people and queues records are assigned to through
# ``hubspot_owner_id``. ``teams`` is the owner's list of ``{id, name, primary}``; users and
# teams (Settings v3) are read from these rows (migration 0009).
owners = Table(
    "owners",
    metadata,
    Column("portal_id", BigInteger, nullable=False),
    Column("id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=True),
    Column("email", Text, nullable=True),
    Column("first_name", Text, nullable=True),
    Column("last_name", Text, nullable=True),
    Column("type", String(16), nullable=False),
    Column("teams", JSON, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Column("archived_at", BigInteger, nullable=True),
    PrimaryKeyConstraint("portal_id", "id"),
)

# Pipelines and their stages, per object type. A portal without rows for a type has the
# default pipelines of ``domain/data/default_pipelines.json``; the first change writes
# them here. Deleting archives (``archived_at``), so archived pipelines can be restored.
pipelines = Table(
    "pipelines",
    metadata,
    Column("portal_id", BigInteger, nullable=False),
    Column("object_type_id", String(32), nullable=False),
    Column("id", String(64), nullable=False),
    Column("label", Text, nullable=False),
    Column("display_order", Integer, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Column("archived_at", BigInteger, nullable=True),
    PrimaryKeyConstraint("portal_id", "object_type_id", "id"),
)

# Stage ids are unique within an object type: a deal's dealstage alone names its stage.
pipeline_stages = Table(
    "pipeline_stages",
    metadata,
    Column("portal_id", BigInteger, nullable=False),
    Column("object_type_id", String(32), nullable=False),
    Column("id", String(64), nullable=False),
    Column("pipeline_id", String(64), nullable=False),
    Column("label", Text, nullable=False),
    Column("display_order", Integer, nullable=False),
    Column("metadata", JSON, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Column("archived_at", BigInteger, nullable=True),
    PrimaryKeyConstraint("portal_id", "object_type_id", "id"),
)

# What changed a pipeline or a stage, for the audit endpoints (``PublicAuditInfo``).
pipeline_audits = Table(
    "pipeline_audits",
    metadata,
    Column("portal_id", BigInteger, nullable=False),
    Column("id", BigInteger, nullable=False),
    Column("object_type_id", String(32), nullable=False),
    Column("pipeline_id", String(64), nullable=False),
    Column("stage_id", String(64), nullable=True),
    Column("action", String(32), nullable=False),
    Column("at", BigInteger, nullable=False),
    Column("raw_object", JSON, nullable=False),
    PrimaryKeyConstraint("portal_id", "id"),
)

# A portal's custom properties, and its edits of HubSpot's default ones (which live in
# hubgraph.domain): the whole ``Property`` definition as JSON (migration 0005).
properties = Table(
    "properties",
    metadata,
    Column("portal_id", BigInteger, nullable=False),
    Column("object_type_id", String(32), nullable=False),
    Column("name", Text, nullable=False),
    Column("definition", JSON, nullable=False),
    Column("archived_at", BigInteger, nullable=True),
    PrimaryKeyConstraint("portal_id", "object_type_id", "name"),
)

property_groups = Table(
    "property_groups",
    metadata,
    Column("portal_id", BigInteger, nullable=False),
    Column("object_type_id", String(32), nullable=False),
    Column("name", Text, nullable=False),
    Column("label", Text, nullable=False),
    Column("display_order", Integer, nullable=False),
    Column("archived_at", BigInteger, nullable=True),
    PrimaryKeyConstraint("portal_id", "object_type_id", "name"),
)

# Custom object schemas (migration 0011). ``type_number`` is the ``n`` of ``2-<n>``, handed
# out by one counter for the server, so a new schema's id names no other portal's; an
# imported copy keeps its source's id (keys are per portal). The name stays taken
# (``name_key``, lower case) until the schema is purged (reference §6.6).
custom_object_schemas = Table(
    "custom_object_schemas",
    metadata,
    Column("portal_id", BigInteger, nullable=False),
    Column("type_number", BigInteger, nullable=False),
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False),
    Column("definition", JSON, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Column("archived_at", BigInteger, nullable=True),
    PrimaryKeyConstraint("portal_id", "type_number"),
    Index("custom_object_schemas_name", "portal_id", "name_key", unique=True),
)

# The next ``2-<n>`` number: a counter, not max()+1, so a purged schema's id is never handed
# out again (a client may still hold it). One row; global because the ids are.
custom_object_type_sequence = Table(
    "custom_object_type_sequence",
    metadata,
    Column("id", SmallInteger, primary_key=True, autoincrement=False),
    Column("next_number", BigInteger, nullable=False),
)

# Which live record holds each value of a unique property (contact ``email``, custom
# ``hasUniqueValue`` properties): the key refuses a second holder, and ``idProperty``
# lookups are one key read. Values are stored in canonical form (emails lower-cased).
unique_values = Table(
    "unique_values",
    metadata,
    Column("portal_id", BigInteger, nullable=False),
    Column("object_type_id", String(32), nullable=False),
    Column("property_name", Text, nullable=False),
    Column("value", Text, nullable=False),
    Column("object_id", BigInteger, nullable=False),
    PrimaryKeyConstraint("portal_id", "object_type_id", "property_name", "value"),
    sqlite_with_rowid=False,
)

# The values one record holds, to release them when it is archived or merged.
Index(
    "unique_values_holder",
    unique_values.c.portal_id,
    unique_values.c.object_type_id,
    unique_values.c.object_id,
)

# Archived records, for reads that leave them out (migration 0002).
Index(
    "objects_archived",
    objects.c.portal_id,
    objects.c.object_type_id,
    objects.c.id,
    postgresql_where=objects.c.archived_at.is_not(None),
    sqlite_where=objects.c.archived_at.is_not(None),
)
