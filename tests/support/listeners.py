"""A fixed answer to "does anything listen to changes?" (store/engine.py ChangeListeners)."""

from __future__ import annotations


class FixedListeners:
    """``known`` is the answer without reading the database (None: not known)."""

    def __init__(self, known: bool | None) -> None:
        self.answer = known

    def __call__(self) -> bool:
        return bool(self.answer)

    def known(self) -> bool | None:
        return self.answer
