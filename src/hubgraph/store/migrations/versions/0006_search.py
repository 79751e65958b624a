# ruff: noqa: S608 - the SQL is built from this file's constants, never from input
"""The search index: one row per property value and per ``query`` token of every record.

Revision ID: 0006_search
Revises: 0005_properties

``object_search_index`` is derived from ``objects.properties`` by triggers, so every
writer (the API, imports, snapshot restores, bulk loads in SQL) keeps it exact and a
write is searchable as soon as it commits. It is the same design on SQLite and
PostgreSQL, so a search answers the same on both:

- ``name`` = the property, ``value`` = its value lower-cased and cut to 200 characters
  (the case rules of HubSpot's search are applied at query time), ``num`` = the value as a
  number when it is one (ranges and numeric equality use it);
- rows named ``#query`` hold the tokens of the properties HubSpot's ``query`` searches
  (reference §4.5), lower-cased, split on whitespace and ``@ . , ; : ( ) / " ' _ -``, cut
  to 100 characters; a ``query`` term matches a token it is a prefix of.

The primary key serves equality, ``IN``, ``HAS_PROPERTY`` and token prefixes; a second
index serves numeric ranges; a third, by record, checks a record's other filters. Live
``objects`` get indexes on ``created_at`` and ``updated_at`` (``createdate`` /
``hs_lastmodifieddate``, what incremental syncs filter and sort on).
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_search"
down_revision = "0005_properties"
branch_labels = None
depends_on = None

# HubSpot's default searchable properties per object type (reference §4.5; the
# search guide's table). Custom objects' schema-selected properties are not indexed.
QUERY_PROPERTIES = {
    "0-1": "firstname lastname email phone hs_additional_emails fax mobilephone company "
    "hs_marketable_until_renewal",
    "0-2": "website phone name domain",
    "0-3": "dealname pipeline dealstage description dealtype",
    "0-5": "subject content hs_pipeline_stage hs_ticket_category hs_ticket_id",
    "0-7": "name description price hs_sku",
    "0-14": "hs_sender_firstname hs_sender_lastname hs_proposal_slug hs_title "
    "hs_sender_company_name hs_sender_email hs_quote_number hs_public_url_key",
    "0-48": "hs_call_title hs_body_preview",
    "0-49": "hs_email_subject",
    "0-47": "hs_meeting_title hs_meeting_body",
    "0-46": "hs_note_body",
    "0-27": "hs_task_body hs_task_subject",
    "0-19": "hs_submission_name hs_content",
}
# ",0-1:firstname,0-1:lastname,…," — searched with instr/strpos on ",type:name,".
QUERY_KEYS = (
    "," + ",".join(f"{t}:{n}" for t, names in QUERY_PROPERTIES.items() for n in names.split()) + ","
)
# The token separators; tests/store/test_search_index.py pins both databases to them.
SEPARATORS = " \t\n\r@.,;:()/\"'_-"
VALUE_CHARS = 200
TOKEN_CHARS = 100
NUMBER_CHARS = 30


def _sql_string(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


# ---------------------------------------------------------------------------- SQLite


def _sqlite_separated(expr: str) -> str:
    """``expr`` with every separator replaced by a space (SQLite has no regex split)."""
    for ch in SEPARATORS[1:]:
        literal = {"\t": "char(9)", "\n": "char(10)", "\r": "char(13)"}.get(ch, _sql_string(ch))
        expr = f"replace({expr}, {literal}, ' ')"
    return expr


_SQLITE_NUMBER = (
    f"CASE WHEN length(p.value) <= {NUMBER_CHARS} "
    "AND (p.value GLOB '[0-9]*' OR p.value GLOB '-[0-9]*') "
    "AND NOT (substr(p.value, 2) GLOB '*[^0-9.]*' OR p.value GLOB '*.*.*' "
    "OR p.value GLOB '*.') THEN CAST(p.value AS REAL) END"
)


def _sqlite_entries(row: str) -> str:
    """SELECT of the index rows of the record ``row`` (``new`` or ``old``)."""
    tokens = (
        "json_each('[' || replace(json_quote("
        + _sqlite_separated("lower(p.value)")
        + "), ' ', '\",\"') || ']') t"
    )
    return (
        f"SELECT {row}.portal_id AS portal_id, {row}.object_type_id AS object_type_id, "
        f"p.key AS name, substr(lower(p.value), 1, {VALUE_CHARS}) AS value, "
        f"{_SQLITE_NUMBER} AS num, {row}.id AS id "
        f"FROM json_each({row}.properties) p "
        "WHERE p.type NOT IN ('null', 'object', 'array') AND p.value != '' "
        # Not UNION: INSERT OR IGNORE drops duplicate tokens without a sort per record.
        f"UNION ALL SELECT {row}.portal_id, {row}.object_type_id, '#query', "
        f"substr(t.value, 1, {TOKEN_CHARS}), NULL, {row}.id "
        f"FROM json_each({row}.properties) p, {tokens} "
        f"WHERE p.type = 'text' AND t.value != '' AND instr({_sql_string(QUERY_KEYS)}, "
        f"',' || {row}.object_type_id || ':' || p.key || ',') > 0"
    )


_COLUMNS = "portal_id, object_type_id, name, value, num, id"


def _sqlite_insert(row: str) -> str:
    return f"INSERT OR IGNORE INTO object_search_index ({_COLUMNS}) {_sqlite_entries(row)};"


def _sqlite_delete(row: str) -> str:
    return (
        "DELETE FROM object_search_index WHERE (portal_id, object_type_id, name, value, id) "
        "IN (SELECT portal_id, object_type_id, name, value, id "
        f"FROM ({_sqlite_entries(row)}));"
    )


def _sqlite_upgrade() -> None:
    op.execute(
        f"CREATE TRIGGER objects_search_insert AFTER INSERT ON objects BEGIN "
        f"{_sqlite_insert('new')} END"
    )
    op.execute(
        "CREATE TRIGGER objects_search_update AFTER UPDATE OF properties ON objects BEGIN "
        f"{_sqlite_delete('old')} {_sqlite_insert('new')} END"
    )
    op.execute(
        f"CREATE TRIGGER objects_search_delete AFTER DELETE ON objects BEGIN "
        f"{_sqlite_delete('old')} END"
    )
    op.execute(
        f"INSERT OR IGNORE INTO object_search_index ({_COLUMNS}) "
        + _sqlite_entries("o").replace(
            "FROM json_each(o.properties)", "FROM objects o, json_each(o.properties)"
        )
    )


# ------------------------------------------------------------------------ PostgreSQL

_PG_SEPARATORS = "[" + "".join("\\" + c if c in "-\\]" else c for c in SEPARATORS) + "]+"

_PG_FUNCTIONS = f"""
-- PostgreSQL text cannot hold NUL: json_each fails on a "\\u0000" in any key or value,
-- and the write with it. Such a record (or one with that escape written out) is not indexed.
CREATE FUNCTION hubgraph_search_text(properties json) RETURNS json
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN strpos(properties::text, '\\u0000') = 0 THEN properties ELSE '{{}}'::json END
$$;

CREATE FUNCTION hubgraph_search_entries(object_type_id text, properties json)
RETURNS TABLE (name text, value text, num double precision)
LANGUAGE sql IMMUTABLE AS $$
  SELECT p.key, left(lower(p.v), {VALUE_CHARS}),
         CASE WHEN length(p.v) <= {NUMBER_CHARS}
              AND p.v ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN p.v::double precision END
  FROM (SELECT key, value #>> '{{}}' AS v, json_typeof(value) AS t
        FROM json_each(hubgraph_search_text(properties))) p
  WHERE p.t IN ('string', 'number', 'boolean') AND p.v <> ''
  UNION
  SELECT '#query', left(tok, {TOKEN_CHARS}), NULL
  FROM (SELECT key, value #>> '{{}}' AS v, json_typeof(value) AS t
        FROM json_each(hubgraph_search_text(properties))) p,
       regexp_split_to_table(lower(p.v), {_sql_string(_PG_SEPARATORS)}) tok
  WHERE p.t = 'string' AND tok <> ''
    AND strpos({_sql_string(QUERY_KEYS)}, ',' || object_type_id || ':' || p.key || ',') > 0
$$;

CREATE FUNCTION hubgraph_search_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO object_search_index ({_COLUMNS})
  SELECT n.portal_id, n.object_type_id, e.name, e.value, e.num, n.id
  FROM new_rows n, hubgraph_search_entries(n.object_type_id, n.properties) e
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE FUNCTION hubgraph_search_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM object_search_index s
  USING old_rows o, hubgraph_search_entries(o.object_type_id, o.properties) e
  WHERE s.portal_id = o.portal_id AND s.object_type_id = o.object_type_id
    AND s.name = e.name AND s.value = e.value AND s.id = o.id;
  RETURN NULL;
END $$;

-- Only records whose properties changed: archiving touches archived_at alone.
CREATE FUNCTION hubgraph_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM object_search_index s
  USING old_rows o JOIN new_rows n USING (portal_id, object_type_id, id),
        hubgraph_search_entries(o.object_type_id, o.properties) e
  WHERE o.properties::text IS DISTINCT FROM n.properties::text
    AND s.portal_id = o.portal_id AND s.object_type_id = o.object_type_id
    AND s.name = e.name AND s.value = e.value AND s.id = o.id;
  INSERT INTO object_search_index ({_COLUMNS})
  SELECT n.portal_id, n.object_type_id, e.name, e.value, e.num, n.id
  FROM old_rows o JOIN new_rows n USING (portal_id, object_type_id, id),
       hubgraph_search_entries(n.object_type_id, n.properties) e
  WHERE o.properties::text IS DISTINCT FROM n.properties::text
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE FUNCTION hubgraph_search_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE object_search_index;
  RETURN NULL;
END $$;

CREATE TRIGGER objects_search_insert AFTER INSERT ON objects
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hubgraph_search_insert();
CREATE TRIGGER objects_search_update AFTER UPDATE ON objects
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION hubgraph_search_update();
CREATE TRIGGER objects_search_delete AFTER DELETE ON objects
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION hubgraph_search_delete();
CREATE TRIGGER objects_search_truncate AFTER TRUNCATE ON objects
  FOR EACH STATEMENT EXECUTE FUNCTION hubgraph_search_truncate();

INSERT INTO object_search_index ({_COLUMNS})
SELECT o.portal_id, o.object_type_id, e.name, e.value, e.num, o.id
FROM objects o, hubgraph_search_entries(o.object_type_id, o.properties) e
ON CONFLICT DO NOTHING;
"""


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    # Byte order on PostgreSQL, as on SQLite, so a token prefix is one index range.
    value_type = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")
    op.create_table(
        "object_search_index",
        sa.Column("portal_id", sa.BigInteger, nullable=False),
        sa.Column("object_type_id", sa.String(32), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("value", value_type, nullable=False),
        sa.Column("num", sa.Float(precision=53), nullable=True),
        sa.Column("id", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("portal_id", "object_type_id", "name", "value", "id"),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "object_search_index_num",
        "object_search_index",
        ["portal_id", "object_type_id", "name", "num"],
        postgresql_where=sa.text("num IS NOT NULL"),
        sqlite_where=sa.text("num IS NOT NULL"),
    )
    # A filter group's other filters are checked per candidate record: (record, property).
    op.create_index(
        "object_search_index_by_record",
        "object_search_index",
        ["portal_id", "object_type_id", "id", "name", "value", "num"],
    )
    # Live records by creation and last modification: what sorts and incremental syncs use;
    # partial, so counting a range reads the index alone.
    for column in ("created_at", "updated_at"):
        op.create_index(
            f"objects_live_{column}",
            "objects",
            # archived_at too: SQLite then counts a range from the index alone.
            ["portal_id", "object_type_id", column, "id", "archived_at"],
            postgresql_where=sa.text("archived_at IS NULL"),
            sqlite_where=sa.text("archived_at IS NULL"),
        )
    if postgres:
        op.execute(_PG_FUNCTIONS)
    else:
        _sqlite_upgrade()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for trigger in ("insert", "update", "delete", "truncate"):
            op.execute(f"DROP TRIGGER objects_search_{trigger} ON objects")
            op.execute(f"DROP FUNCTION hubgraph_search_{trigger}()")
        op.execute("DROP FUNCTION hubgraph_search_entries(text, json)")
        op.execute("DROP FUNCTION hubgraph_search_text(json)")
    else:
        for trigger in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER objects_search_{trigger}")
    for column in ("created_at", "updated_at"):
        op.drop_index(f"objects_live_{column}", table_name="objects")
    op.drop_table("object_search_index")
