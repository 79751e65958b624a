"""Text no API accepts: NUL, lone surrogates, non-finite numbers; and the cheap pre-scan."""

from __future__ import annotations

import pytest

from hubgraph.domain.text import BadText, check_tree, may_hold_bad_text, needs_strict_parse


@pytest.mark.parametrize(
    ("value", "where"),
    [
        ({"a": "x\x00"}, "body.a contains a NUL character"),
        ({"a": ["ok", {"b": "\ud800"}]}, "body.a.1.b contains a lone UTF-16 surrogate"),
        ({"k\x00": 1}, "body (a key) contains a NUL character"),
        ({"n": float("nan")}, "body.n is not a finite number"),
        ([float("inf")], "body.0 is not a finite number"),
    ],
)
def test_bad_text_is_found_and_located(value: object, where: str) -> None:
    with pytest.raises(BadText, match=where.replace("(", r"\(").replace(")", r"\)")):
        check_tree(value)


def test_good_text_passes() -> None:
    check_tree({"name": "Zoë \U0001f600 \u00e9", "n": 1.5, "list": [1, None, True]})


@pytest.mark.parametrize(
    ("raw", "strict"),
    [
        (b'{"a": NaN}', True),
        (b'{"a": -Infinity}', True),
        (b'{"a": 1e400}', True),
        (b'{"a": 1E+308}', True),
        (b'{"a": "\\u0000"}', True),
        (b'{"a": "\\uD83D"}', True),
        (b'{"a": 1.5e3, "b": "\\u00e9", "c": "Nancy"}', False),
    ],
)
def test_the_pre_scan_sends_suspicious_bodies_to_the_strict_parser(
    raw: bytes, strict: bool
) -> None:
    assert needs_strict_parse(raw) is strict


def test_may_hold_bad_text_only_for_nul_or_surrogate_escapes() -> None:
    assert may_hold_bad_text(b'"\\u0000"')
    assert may_hold_bad_text(b'"\\udc00"')
    assert not may_hold_bad_text(b'"\\u00e9 \\ud7ff"')
