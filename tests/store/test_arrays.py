"""Array literals reach PostgreSQL as the values they were built from."""

from __future__ import annotations

import psycopg
import pytest

from hubgraph.store.arrays import array_literal


def test_ints_and_strings_render_as_array_literals() -> None:
    assert array_literal([1, 22, 9_223_372_036_854_775_807]) == "{1,22,9223372036854775807}"
    assert array_literal(["0-1", "2-123"]) == '{"0-1","2-123"}'
    assert array_literal([]) == "{}"


@pytest.mark.postgresql
def test_postgresql_reads_back_every_value_even_quotes_and_backslashes(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL array syntax")
    values = ["plain", 'with "quotes"', "back\\slash", "comma,brace{}", " space ", "NULL"]
    with psycopg.connect(database_url) as conn:
        back = conn.execute("SELECT %s::text::text[]", (array_literal(values),)).fetchone()
    assert back is not None
    assert back[0] == values
