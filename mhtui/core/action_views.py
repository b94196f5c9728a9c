"""The tracker's quick views and sort orders, as plain names the store understands."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

E = TypeVar("E", bound=StrEnum)


def following(member: E) -> E:
    """The next member of an enum, wrapping round: what a cycling key moves to."""
    order = list(type(member))
    return order[(order.index(member) + 1) % len(order)]


class View(StrEnum):
    OPEN = "open"
    OVERDUE = "overdue"
    SOON = "due in the next 14 days"
    ALL = "all"


class Sort(StrEnum):
    DUE = "due"
    STATUS = "status"
    OWNER = "owner"
    CREATED = "created"


SOON_DAYS = 14
