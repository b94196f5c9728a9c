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


# Symbols carry the status on a washed-out projector, where colour alone would not; in
# the statuses' order: not started ○, in progress ◔, blocked ⚠, abandoned ⊘, completed ✔.
_SYMBOLS = dict(zip(Status, "○◔⚠⊘✔", strict=True))

OPEN_STATUSES = tuple(s for s in Status if s.is_open)


# Words people write in a spreadsheet's status column, mapped to the five statuses.
_VARIANTS = {
    "not started": Status.NOT_STARTED, "not yet started": Status.NOT_STARTED,
    "to do": Status.NOT_STARTED, "todo": Status.NOT_STARTED, "new": Status.NOT_STARTED,
    "open": Status.NOT_STARTED, "": Status.NOT_STARTED,
    "in progress": Status.IN_PROGRESS, "started": Status.IN_PROGRESS,
    "ongoing": Status.IN_PROGRESS, "underway": Status.IN_PROGRESS,
    "doing": Status.IN_PROGRESS, "wip": Status.IN_PROGRESS,
    "blocked or behind schedule": Status.BLOCKED, "blocked": Status.BLOCKED,
    "behind schedule": Status.BLOCKED, "behind": Status.BLOCKED, "delayed": Status.BLOCKED,
    "late": Status.BLOCKED, "stuck": Status.BLOCKED, "blocked/behind": Status.BLOCKED,
    "abandoned": Status.ABANDONED, "dropped": Status.ABANDONED,
    "cancelled": Status.ABANDONED, "canceled": Status.ABANDONED,
    "won't do": Status.ABANDONED, "wont do": Status.ABANDONED,
    "completed": Status.COMPLETED, "complete": Status.COMPLETED, "done": Status.COMPLETED,
    "finished": Status.COMPLETED, "closed": Status.COMPLETED,
}

STATUS_WORDS = ", ".join(repr(s.value) for s in Status)


class StatusError(ValueError):
    pass


def parse_status(word: str) -> Status:
    """A status from any case and the obvious variants ("Done", "In-Progress", "blocked")."""
    key = " ".join(word.replace("-", " ").replace("_", " ").lower().split())
    if key.isascii() and key.isdigit() and 1 <= int(key) <= len(Status):
        return list(Status)[int(key) - 1]
    try:
        return _VARIANTS[key]
    except KeyError:
        message = f"{word.strip()!r} is not a status. Use one of: {STATUS_WORDS}."
        raise StatusError(message) from None
