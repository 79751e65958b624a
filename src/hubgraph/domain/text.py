"""Text no HubSpot API stores: NUL characters and lone UTF-16 surrogates.

PostgreSQL's text and jsonb cannot hold U+0000 and UTF-8 cannot encode a lone surrogate,
so either would fail deep inside a write; HubSpot's own parser refuses them as bad input.
Every string that enters through an edge (JSON, forms, YAML, paths, query strings) is
checked here first.
"""

from __future__ import annotations

import math
import re
from typing import Any

_BAD = re.compile("[\x00\ud800-\udfff]")
# A JSON body can only carry NUL or a surrogate as an escape (raw control characters are
# not JSON; raw surrogates are not UTF-8), so bodies without one skip the walk.
_BAD_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89abcdefABCDEF][0-9a-fA-F]{2})")


class BadText(ValueError):
    """A string with a character no API accepts; the message names where it is."""


def describe(char: str) -> str:
    return "a NUL character" if char == "\x00" else "a lone UTF-16 surrogate"


def check_string(value: str, where: str) -> None:
    found = _BAD.search(value)
    if found:
        raise BadText(f"{where} contains {describe(found.group())}")


def check_tree(value: Any, where: str = "body") -> None:
    """Every key and string value of a parsed JSON or YAML document, and its floats
    (YAML's ``.nan`` and ``.inf`` are no more a number than JSON's ``NaN``)."""
    stack: list[tuple[Any, str]] = [(value, where)]
    while stack:
        item, at = stack.pop()
        if isinstance(item, str):
            check_string(item, at)
        elif isinstance(item, float) and not math.isfinite(item):
            raise BadText(f"{at} is not a finite number")
        elif isinstance(item, dict):
            for key, sub in item.items():
                if isinstance(key, str):
                    check_string(key, f"{at} (a key)")
                stack.append((sub, f"{at}.{key}"))
        elif isinstance(item, list | tuple):
            stack.extend((sub, f"{at}.{i}") for i, sub in enumerate(item))


# An exponent of three digits or more: the one way a short number overflows a double. (A
# 309-digit literal does too; bodies small enough to hold one cheaply are always parsed
# strictly, see api/http/body.py, and in bigger ones it stays a string of digits.)
_LONG_NUMBER = re.compile(rb"[eE]\+?[0-9]{3}")


def needs_strict_parse(raw: bytes) -> bool:
    """Whether a JSON body may hold what pydantic-core accepts and HubSpot's parser does
    not: ``NaN``, ``Infinity``, a number beyond a double, an escaped NUL or surrogate.

    Literal searches first (memmem speed); the one regex only for what they cannot say.
    """
    return (
        b"NaN" in raw
        or b"Infinity" in raw
        or b"\x00" in raw
        or (b"\\u" in raw and _BAD_ESCAPE.search(raw) is not None)
        or _LONG_NUMBER.search(raw) is not None
    )


def may_hold_bad_text(raw: bytes) -> bool:
    """Whether a JSON body has an escape that could decode to NUL or a surrogate."""
    return b"\x00" in raw or _BAD_ESCAPE.search(raw) is not None
