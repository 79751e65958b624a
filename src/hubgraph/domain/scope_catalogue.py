"""HubSpot's scope names: a token or an app may be granted only scopes HubSpot has.

The catalogue (``data/scopes.json``) is reference data: the scopes HubSpot's OpenAPI specs
require somewhere, the object scopes hubgraph grants, and HubSpot's documented scope list.
A misspelt scope is refused with the nearest real ones, as a typo in a HubSpot app's scope
settings would be.
"""

from __future__ import annotations

import difflib
import json
from functools import cache
from importlib.resources import files

from hubgraph.errors import ValidationError


@cache
def known_scopes() -> frozenset[str]:
    raw = json.loads(files("hubgraph.domain").joinpath("data/scopes.json").read_text())
    return frozenset(raw["scopes"])


def nearest_scopes(name: str, limit: int = 3) -> list[str]:
    """The catalogue's names closest to ``name``, best first (none when nothing is close)."""
    return difflib.get_close_matches(name, sorted(known_scopes()), n=limit, cutoff=0.6)


def unknown_scopes(names: list[str]) -> list[str]:
    """``names`` that HubSpot does not have, in the order given."""
    return [n for n in names if n not in known_scopes()]


def unknown_scope_message(name: str) -> str:
    """One line naming an unknown scope and what was probably meant."""
    near = nearest_scopes(name)
    hint = f"; did you mean {' or '.join(near)}?" if near else ""
    return f"unknown scope {name!r}{hint}"


def require_known_scopes(names: list[str]) -> None:
    """Refuse scope names HubSpot does not have (a 400 over HTTP), naming the nearest."""
    unknown = unknown_scopes(names)
    if unknown:
        raise ValidationError("; ".join(unknown_scope_message(n) for n in unknown))
