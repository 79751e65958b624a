"""What a batch service call hands back: results, and an error per failed input."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ItemError:
    """One entry of a batch's ``errors`` (HubSpot's StandardError)."""

    category: str
    message: str
    context: dict[str, list[str]] = field(default_factory=dict)
    sub_category: str | None = None


@dataclass(slots=True)
class BatchOutcome(Generic[T]):
    results: list[T] = field(default_factory=list)
    errors: list[ItemError] = field(default_factory=list)
