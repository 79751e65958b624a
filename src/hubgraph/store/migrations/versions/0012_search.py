# ruff: noqa: S608 - the SQL is built from this file's constants, never from input
"""Search: ``query`` tokens of custom objects, per property.

Revision ID: 0012_search
Revises: 0011_custom_objects

``query`` on a custom object searches its schema's ``searchableProperties`` (reference
§4.5), which the schemas API may change at any time. So the triggers of 0006_search now
also write, for every record of a custom object type (``2-<n>``), the tokens of each of its
text properties under the name ``#query.<property>``; a search reads the schema and looks
up the tokens of just those properties, and a changed ``searchableProperties`` needs no
re-indexing. Standard types keep their ``#query`` rows as before. Tokens are split and cut
exactly as 0006 does; existing custom object records are indexed here.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_search"
down_revision = "0011_custom_objects"
branch_labels = None
depends_on = None

# As in 0006_search (HubSpot's default searchable properties, reference §4.5).
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
QUERY_KEYS = (
    "," + ",".join(f"{t}:{n}" for t, names in QUERY_PROPERTIES.items() for n in names.split()) + ","
)
SEPARATORS = " \t\n\r@.,;:()/\"'_-"
VALUE_CHARS = 200
TOKEN_CHARS = 100
NUMBER_CHARS = 30
_COLUMNS = "portal_id, object_type_id, name, value, num, id"


def _sql_string(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


# ---------------------------------------------------------------------------- SQLite


def _sqlite_separated(expr: str) -> str:
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


def _sqlite_entries(row: str, custom: bool) -> str:
    """SELECT of the index rows of the record ``row``; ``custom``: with 0012's tokens."""
    tokens = (
        "json_each('[' || replace(json_quote("
        + _sqlite_separated("lower(p.value)")
        + "), ' ', '\",\"') || ']') t"
    )
    standard = (
        f"instr({_sql_string(QUERY_KEYS)}, ',' || {row}.object_type_id || ':' || p.key || ',') > 0"
    )
    if custom:
        is_custom = f"substr({row}.object_type_id, 1, 2) = '2-'"
        name = f"CASE WHEN {is_custom} THEN '#query.' || p.key ELSE '#query' END"
        which = f"({is_custom} OR {standard})"
    else:
        name, which = "'#query'", standard
    return (
        f"SELECT {row}.portal_id AS portal_id, {row}.object_type_id AS object_type_id, "
        f"p.key AS name, substr(lower(p.value), 1, {VALUE_CHARS}) AS value, "
        f"{_SQLITE_NUMBER} AS num, {row}.id AS id "
        f"FROM json_each({row}.properties) p "
        "WHERE p.type NOT IN ('null', 'object', 'array') AND p.value != '' "
        f"UNION ALL SELECT {row}.portal_id, {row}.object_type_id, {name}, "
        f"substr(t.value, 1, {TOKEN_CHARS}), NULL, {row}.id "
        f"FROM json_each({row}.properties) p, {tokens} "
        f"WHERE p.type = 'text' AND t.value != '' AND {which}"
    )


def _sqlite_triggers(custom: bool) -> None:
    def insert(row: str) -> str:
        return (
            f"INSERT OR IGNORE INTO object_search_index ({_COLUMNS}) "
            f"{_sqlite_entries(row, custom)};"
        )

    def delete(row: str) -> str:
        return (
            "DELETE FROM object_search_index WHERE (portal_id, object_type_id, name, value, id) "
            "IN (SELECT portal_id, object_type_id, name, value, id "
            f"FROM ({_sqlite_entries(row, custom)}));"
        )

    for trigger in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER objects_search_{trigger}")
    op.execute(
        f"CREATE TRIGGER objects_search_insert AFTER INSERT ON objects BEGIN {insert('new')} END"
    )
    op.execute(
        "CREATE TRIGGER objects_search_update AFTER UPDATE OF properties ON objects BEGIN "
        f"{delete('old')} {insert('new')} END"
    )
    op.execute(
        f"CREATE TRIGGER objects_search_delete AFTER DELETE ON objects BEGIN {delete('old')} END"
    )


# ------------------------------------------------------------------------ PostgreSQL

_PG_SEPARATORS = "[" + "".join("\\" + c if c in "-\\]" else c for c in SEPARATORS) + "]+"


def _pg_entries(custom: bool) -> str:
    standard = (
        f"strpos({_sql_string(QUERY_KEYS)}, ',' || object_type_id || ':' || p.key || ',') > 0"
    )
    if custom:
        is_custom = "left(object_type_id, 2) = '2-'"
        name = f"CASE WHEN {is_custom} THEN '#query.' || p.key ELSE '#query' END"
        which = f"({is_custom} OR {standard})"
    else:
        name, which = "'#query'", standard
    return f"""
CREATE OR REPLACE FUNCTION hubgraph_search_entries(object_type_id text, properties json)
RETURNS TABLE (name text, value text, num double precision)
LANGUAGE sql IMMUTABLE AS $$
  SELECT p.key, left(lower(p.v), {VALUE_CHARS}),
         CASE WHEN length(p.v) <= {NUMBER_CHARS}
              AND p.v ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN p.v::double precision END
  FROM (SELECT key, value #>> '{{}}' AS v, json_typeof(value) AS t
        FROM json_each(hubgraph_search_text(properties))) p
  WHERE p.t IN ('string', 'number', 'boolean') AND p.v <> ''
  UNION
  SELECT {name}, left(tok, {TOKEN_CHARS}), NULL
  FROM (SELECT key, value #>> '{{}}' AS v, json_typeof(value) AS t
        FROM json_each(hubgraph_search_text(properties))) p,
       regexp_split_to_table(lower(p.v), {_sql_string(_PG_SEPARATORS)}) tok
  WHERE p.t = 'string' AND tok <> '' AND {which}
$$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_pg_entries(custom=True))
        op.execute(
            f"INSERT INTO object_search_index ({_COLUMNS}) "
            "SELECT o.portal_id, o.object_type_id, e.name, e.value, e.num, o.id "
            "FROM objects o, hubgraph_search_entries(o.object_type_id, o.properties) e "
            "WHERE left(o.object_type_id, 2) = '2-' AND left(e.name, 7) = '#query.' "
            "ON CONFLICT DO NOTHING"
        )
    else:
        _sqlite_triggers(custom=True)
        custom_records = "(SELECT * FROM objects WHERE substr(object_type_id, 1, 2) = '2-') o"
        entries = _sqlite_entries("o", custom=True).replace(
            "FROM json_each(o.properties)", f"FROM {custom_records}, json_each(o.properties)"
        )
        op.execute(
            f"INSERT OR IGNORE INTO object_search_index ({_COLUMNS}) "
            f"SELECT * FROM ({entries}) WHERE substr(name, 1, 7) = '#query.'"
        )


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM object_search_index WHERE substr(name, 1, 7) = '#query.'"))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_pg_entries(custom=False))
    else:
        _sqlite_triggers(custom=False)
