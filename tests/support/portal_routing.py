"""Whether a SQL statement can be routed to one portal's shard (Citus, docs/deploy.md).

A distributed PostgreSQL sends a query to one shard when every distributed table in it
is filtered on the distribution column with one value (or joined to such a table on it).
Here the distribution column is ``portal_id`` (``id`` for ``portals``); the global tables
(looked up by a token's digest, or an OAuth app's id) are reference tables, copied to
every node, and need no filter.

The check reads the SQL text SQLAlchemy sends (``before_cursor_execute``) for
PostgreSQL: qualified column names, ``%(name)s`` parameters. It is deliberately strict —
a statement it cannot read as routable is a violation, to be looked at.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from tests.support.sql_capture import Statement

# Distributed tables and their distribution column.
DISTRIBUTED: dict[str, str] = {
    "portals": "id",
    "objects": "portal_id",
    "associations": "portal_id",
    "association_types": "portal_id",
    "association_limits": "portal_id",
    "association_type_sequences": "portal_id",
    "high_usage_reports": "portal_id",
    "portal_rate_limits": "portal_id",
    "webhook_events": "portal_id",
    "webhook_attempts": "portal_id",
    "webhook_event_sequences": "portal_id",
    "owners": "portal_id",
    "pipelines": "portal_id",
    "pipeline_stages": "portal_id",
    "pipeline_audits": "portal_id",
    "portal_users": "portal_id",
    "properties": "portal_id",
    "property_groups": "portal_id",
    "unique_values": "portal_id",
    "custom_object_schemas": "portal_id",
}
# Reference (global) tables: found by a key that is not a portal's.
REFERENCE: frozenset[str] = frozenset(
    {
        "tokens",  # by the token's digest: the request has no portal yet
        "custom_object_type_sequence",  # one global counter: objectTypeIds never repeat
        "oauth_apps",  # an app serves many portals
        "oauth_codes",  # by the code's digest
        "oauth_refresh_tokens",  # by the token's digest
        "oauth_access_tokens",  # by the token's digest
        "developer_accounts",  # by the developer API key's digest
        "webhook_settings",  # an app's: it serves many portals
        "webhook_subscriptions",  # an app's
        "alembic_version",
    }
)

# Statements that look at every portal on purpose. On Citus they are multi-shard queries:
# correct, only not sent to one shard (docs/deploy.md lists them).
ACROSS_PORTALS: dict[str, str] = {
    r"SELECT max\(portals\.id\) AS max_1 FROM portals": "making a portal (under a lock)",
    r"SELECT portals\.id, portals\.name FROM portals ORDER BY": "the OAuth consent page",
    r"SELECT portals\.id FROM portals LIMIT": "`hubgraph serve`: is the database empty?",
    # The webhook delivery worker of every node polls the outbox of every portal, claims
    # due events (FOR UPDATE SKIP LOCKED) and leases them. Not routable by portal: on
    # Citus it needs a claim per shard or per portal (docs/deploy.md; untested).
    r"SELECT [\w., ]+ FROM webhook_events WHERE webhook_events\.state = ": "webhook outbox poll",
    r"UPDATE webhook_events SET claimed_until=\S+ WHERE \(webhook_events\.portal_id, "
    r"webhook_events\.id\) IN ": "webhook outbox lease",
    # /_hubgraph/metrics counts the outbox's pending events of every portal when scraped
    r"SELECT count\(\*\) AS \w+ FROM webhook_events WHERE webhook_events\.state = ": (
        "webhook pending gauge"
    ),
}
_ACROSS = re.compile("|".join(f"(?:{pattern})" for pattern in ACROSS_PORTALS))
_DDL = re.compile(r"^\s*(CREATE|ALTER|DROP|COMMENT)\b")
_BIND = r"%\((\w+)\)s(?:::\w+(?:\[\])?)?"
_COMPARE = re.compile(rf"\b(\w+)\.(\w+)\s*=\s*(?:{_BIND}|(\w+)\.(\w+)\b)")
_IN = re.compile(rf"\b(\w+)\.(\w+)\s+IN\s*\(\s*((?:{_BIND}\s*,?\s*)+)\)")
_ALIAS = re.compile(r"\b(\w+) AS (\w+)\b")
# at the start, or as a data-modifying CTE (``inserted AS (INSERT INTO …``)
_INSERT = re.compile(
    r"(?:^\s*|\bAS\s*\(\s*)INSERT INTO (\w+)\s*\(([^)]*)\)\s*(VALUES|SELECT)\s*(.*)$", re.S
)


@dataclass(frozen=True)
class Verdict:
    statement: Statement
    tables: frozenset[str]
    portal_values: frozenset[object]
    problem: str | None  # None: routable (or only reference tables)


def names_of(sql: str, table: str) -> set[str]:
    """The names a statement uses for ``table``: its own and its aliases."""
    names = {alias for t, alias in _ALIAS.findall(sql) if t == table}
    unaliased = rf"(?:FROM|JOIN|UPDATE|INTO)\s+{table}\b(?!\s+AS\b)|,\s*{table}\b(?!\s+AS\b)"
    if re.search(rf"\b{table}\.", sql) or re.search(unaliased, sql):
        names.add(table)
    return names


def check(statement: Statement) -> Verdict:
    sql = statement.sql
    if _DDL.match(sql) or _ACROSS.match(" ".join(sql.split())):
        # Migrations run once, on the coordinator (Citus propagates DDL to the shards).
        return Verdict(statement, frozenset(), frozenset(), None)
    # a table is what FROM/JOIN/INTO/UPDATE name, not a column of the same name
    tables = frozenset(
        t
        for t in (*DISTRIBUTED, *REFERENCE)
        if re.search(rf"(?:\bFROM|\bJOIN|\bINTO|\bUPDATE)\s+{t}\b(?![\w.(])", sql)
    )
    distributed = tables & DISTRIBUTED.keys()
    if not distributed:
        return Verdict(statement, tables, frozenset(), None)

    # name -> table, for every name a distributed table goes by
    names = {name: t for t in distributed for name in names_of(sql, t)}
    binds: dict[str, set[str]] = {}  # name -> bind parameters its column is compared with
    joins: list[tuple[str, str]] = []
    satisfied: set[str] = set()

    insert = _INSERT.search(sql)
    if insert and insert.group(1) in DISTRIBUTED:
        target, columns, kind, rest = insert.groups()
        column = DISTRIBUTED[target]
        position = [c.strip() for c in columns.split(",")].index(column)
        for row in _tuples(rest) if kind == "VALUES" else [_select_list(rest)]:
            found = re.fullmatch(rf"\s*{_BIND}(?:\s+AS\s+\w+)?\s*", row[position])
            if found is None and row[position].strip() == column and kind == "SELECT":
                continue  # INSERT … SELECT portal_id … FROM t WHERE portal_id = :p (below)
            if found is None:
                return Verdict(statement, tables, frozenset(), f"{target}.{column} not a parameter")
            binds.setdefault(target, set()).add(found.group(1))
        satisfied.add(target)

    for name, column, bind, other, other_column in _COMPARE.findall(sql):
        if name not in names or column != DISTRIBUTED[names[name]]:
            continue
        if bind:
            binds.setdefault(name, set()).add(bind)
        elif other in names and other_column == DISTRIBUTED[names[other]]:
            joins.append((name, other))
    # an unqualified ``portal_id = :p`` in a statement that reads one distributed table
    bare = re.findall(rf"(?<![\w.])portal_id\s*=\s*{_BIND}", sql)
    if bare and len(distributed) <= 2:
        for name in names:
            binds.setdefault(name, set()).update(bare)
    for name, column, listed, _ in _IN.findall(sql):
        if name in names and column == DISTRIBUTED[names[name]]:
            binds.setdefault(name, set()).update(re.findall(r"%\((\w+)\)s", listed))

    satisfied |= set(binds)
    changed = True
    while changed:  # a join on the distribution column carries the filter across
        changed = False
        for a, b in joins:
            for x, y in ((a, b), (b, a)):
                if x in satisfied and y not in satisfied:
                    satisfied.add(y)
                    changed = True
    values = frozenset(
        row[bind] for bound in binds.values() for bind in bound for row in statement.rows
    )
    unfiltered = sorted(set(names) - satisfied)
    if unfiltered:
        problem = f"no filter on the distribution column of {', '.join(unfiltered)}"
    elif len(values) != 1:
        problem = f"{len(values)} portal values: {sorted(map(repr, values))[:5]}"
    else:
        problem = None
    return Verdict(statement, tables, values, problem)


def violations(statements: Iterable[Statement]) -> list[Verdict]:
    seen: set[str] = set()
    found = []
    for statement in statements:
        verdict = check(statement)
        if verdict.problem and statement.sql not in seen:
            seen.add(statement.sql)
            found.append(verdict)
    return found


def _split_top(text: str) -> list[str]:
    """Split on commas outside parentheses."""
    parts, depth, current = [], 0, []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _tuples(values: str) -> list[list[str]]:
    """``(a, b), (c, d) ON CONFLICT …`` -> [[a, b], [c, d]]."""
    rows, depth, start = [], 0, 0
    for i, char in enumerate(values):
        if char == "(":
            if depth == 0:
                start = i + 1
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                rows.append(_split_top(values[start:i]))
                if not values[i + 1 :].lstrip().startswith(","):
                    break
    return rows


def _select_list(select: str) -> list[str]:
    """The items of ``a AS x, b, … FROM …`` (the part after INSERT … SELECT)."""
    depth = 0
    for i, char in enumerate(select):
        depth += char == "("
        depth -= char == ")"
        if depth == 0 and select.startswith(" FROM ", i):
            return _split_top(select[:i])
    return _split_top(select)
