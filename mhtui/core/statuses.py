"""The five action statuses, in the order of the tracker's number keys."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    BLOCKED = "blocked or behind schedule"
    ABANDONED = "abandoned"
    COMPLETED = "completed"

    @property
    def key(self) -> str:
        return str(list(Status).index(self) + 1)

    @property
    def symbol(self) -> str:
        return _SYMBOLS[self]

    @property
    def short(self) -> str:
        """A label that fits a narrow column; the symbol keeps the meaning exact."""
        return "blocked/behind" if self is Status.BLOCKED else self.value

    @property
    def is_open(self) -> bool:
        return self not in (Status.ABANDONED, Status.COMPLETED)


# Symbols carry the status on a washed-out projector, where colour alone would not.
_SYMBOLS = {
    Status.NOT_STARTED: "○",
    Status.IN_PROGRESS: "◔",
    Status.BLOCKED: "⚠",
    Status.ABANDONED: "⊘",
    Status.COMPLETED: "✔",
}

OPEN_STATUSES = tuple(s for s in Status if s.is_open)
