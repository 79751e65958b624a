"""Record ids as clients send them: strings of digits that must fit HubSpot's 64-bit ids."""

from __future__ import annotations

MAX_OBJECT_ID = 2**63 - 1


def parse_object_id(raw: str) -> int | None:
    """The id as an integer, or None when it cannot name a record."""
    # isdecimal() accepts other scripts' digits (e.g. Arabic-Indic); ids are ASCII only.
    if not raw.isascii() or not raw.isdigit() or len(raw) > 19:
        return None
    value = int(raw)
    return value if 0 < value <= MAX_OBJECT_ID else None
