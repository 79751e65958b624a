"""Array literals reach PostgreSQL as the values they were built from."""

from __future__ import annotations

import os

import psycopg
import pytest

from hubgraph.store.arrays import array_literal
from tests.support.portals import POSTGRES_ADMIN_URL


def test_ints_and_strings_render_as_array_literals() -> None:
    assert array_literal([1, 22, 9_223_372_036_854_775_807]) == "{1,22,9223372036854775807}"
    assert array_literal(["0-1", "2-123"]) == '{"0-1","2-123"}'
    assert array_literal([]) == "{}"


@pytest.mark.postgresql
def test_postgresql_reads_back_every_value_even_quotes_and_backslashes() -> None:
    try:
        conn = psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is not reachable: {exc}")
        pytest.skip(f"PostgreSQL is not reachable: {exc}")
    values = ["plain", 'with "quotes"', "back\\slash", "comma,brace{}", " space ", "NULL"]
    with conn:
        back = conn.execute("SELECT %s::text::text[]", (array_literal(values),)).fetchone()
    assert back is not None
    assert back[0] == values
