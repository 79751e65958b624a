"""Checking one property value on a record write, and its canonical (stored) form.

Values arrive as strings (reference §0). Each check answers the value as HubSpot stores
and returns it, or an ``InvalidProperty`` with HubSpot's code and message (§2.2):

- number: digits with at most one decimal point → ``INVALID_INTEGER``; stored without
  redundant zeros (``"1000.50"`` → ``"1000.5"``);
- datetime: ISO 8601 or epoch milliseconds → stored and returned as ISO with ms (``Z``);
- date: ``YYYY-MM-DD`` or epoch ms at midnight UTC → ``INVALID_DATE`` otherwise;
- enumeration: option *values*; multiple checkboxes joined by ``;``, a leading ``;``
  appends to the current value (§2.4) → ``INVALID_OPTION``;
- bool: ``true``/``false``;
- non-string values with surrounding whitespace → ``LEADING_TRAILING_WHITESPACE``;
- ``email`` properties → ``INVALID_EMAIL``.

An empty string clears a value of any type (§2.4) and is never checked.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation

from hubgraph.domain.properties import PropertyDefinition
from hubgraph.errors import InvalidProperty

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_EPOCH_MS = re.compile(r"-?\d{1,16}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# One @, no spaces, a dotted domain whose last label is alphabetic (HubSpot also checks
# the top-level domain against its list, which we do not carry; docs/compat.md).
_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,}"
)
_DAY_MS = 86_400_000

NOT_STRING_TYPES = frozenset({"number", "date", "datetime", "enumeration", "bool"})


def does_not_exist(name: str) -> InvalidProperty:
    return InvalidProperty(name, "PROPERTY_DOESNT_EXIST", f'Property "{name}" does not exist')


def read_only(name: str) -> InvalidProperty:
    return InvalidProperty(
        name, "READ_ONLY_VALUE", f'"{name}" is a read only property; its value cannot be set.'
    )


def iso_ms(epoch_ms: int) -> str:
    """``2024-10-21T20:22:42.152Z``: HubSpot's rendering of a point in time."""
    moment = datetime.fromtimestamp(epoch_ms / 1000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{epoch_ms % 1000:03d}Z"


def canonical_value(
    definition: PropertyDefinition, value: str, current: str | None = None
) -> str | InvalidProperty:
    """``value`` as stored, or why HubSpot refuses it. ``current``: the record's value now."""
    if value == "":
        return value
    if definition.type in NOT_STRING_TYPES and value != value.strip():
        return InvalidProperty(
            definition.name,
            "LEADING_TRAILING_WHITESPACE",
            f'"{value}" includes leading or trailing whitespace.',
            value,
        )
    match definition.type:
        case "number":
            return _number(definition.name, value)
        case "datetime":
            return _datetime(definition.name, value)
        case "date":
            return _date(definition.name, value)
        case "bool":
            return _bool(definition.name, value)
        case "enumeration":
            return _enumeration(definition, value, current)
    if definition.validation == "email":
        return _email(definition.name, value)
    return value


def _number(name: str, value: str) -> str | InvalidProperty:
    if not _NUMBER.fullmatch(value):
        return _invalid_number(name, value)
    try:
        number = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        return _invalid_number(name, value)
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "+0") else text


def _invalid_number(name: str, value: str) -> InvalidProperty:
    return InvalidProperty(name, "INVALID_INTEGER", f"{value} was not a valid number.", value)


def _epoch_ms(value: str) -> int | None:
    """Epoch milliseconds, from digits or from an ISO 8601 date or date-time."""
    if _EPOCH_MS.fullmatch(value):
        return int(value)
    try:
        parsed = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)  # HubSpot's times are UTC (reference §1.4)
    delta = parsed - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def _invalid_long(name: str, value: str) -> InvalidProperty:
    return InvalidProperty(name, "INVALID_LONG", f"{value} was not a valid long.", value)


def _datetime(name: str, value: str) -> str | InvalidProperty:
    ms = _epoch_ms(value)
    if ms is None:
        return _invalid_long(name, value)
    try:
        return iso_ms(ms)
    except (OverflowError, OSError, ValueError):
        return _invalid_long(name, value)


def _date(name: str, value: str) -> str | InvalidProperty:
    if _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            return _invalid_long(name, value)
    ms = _epoch_ms(value)
    if ms is None:
        return _invalid_long(name, value)
    into_day = ms % _DAY_MS
    if into_day:
        return InvalidProperty(
            name, "INVALID_DATE", f"{ms} is at {_clock(into_day)} UTC, not midnight!", value
        )
    try:
        return datetime.fromtimestamp(ms / 1000, tz=UTC).date().isoformat()
    except (OverflowError, OSError, ValueError):
        return _invalid_long(name, value)


def _clock(ms_into_day: int) -> str:
    """HubSpot's unpadded ``H:M:S.f`` (``4:0:0.0``, ``4:10:33.600``; reference §2.2)."""
    moment = time(ms_into_day // 3_600_000, ms_into_day // 60_000 % 60, ms_into_day // 1000 % 60)
    return f"{moment.hour}:{moment.minute}:{moment.second}.{ms_into_day % 1000}"


def _bool(name: str, value: str) -> str | InvalidProperty:
    lowered = value.lower()
    if lowered in ("true", "false"):
        return lowered
    return _not_an_option(name, value, ["true", "false"])


def _not_an_option(name: str, value: str, options: list[str]) -> InvalidProperty:
    listed = ", ".join(options)
    return InvalidProperty(
        name, "INVALID_OPTION", f"{value} was not one of the allowed options: [{listed}]", value
    )


def _enumeration(
    definition: PropertyDefinition, value: str, current: str | None
) -> str | InvalidProperty:
    # Options kept elsewhere (owners, pipelines' stages) are checked by their own checks.
    if definition.external_options:
        return value
    allowed = definition.option_values()
    if not definition.is_multi_valued:
        return value if value in allowed else _not_an_option(definition.name, value, allowed)
    chosen = [v for v in value.split(";") if v]
    for choice in chosen:
        if choice not in allowed:
            return _not_an_option(definition.name, choice, allowed)
    if value.startswith(";") and current:
        chosen = current.split(";") + chosen
    return ";".join(dict.fromkeys(chosen))


def _email(name: str, value: str) -> str | InvalidProperty:
    if not _EMAIL.fullmatch(value) or ".." in value:
        return InvalidProperty(name, "INVALID_EMAIL", f"Email address {value} is invalid", value)
    return value.lower()
