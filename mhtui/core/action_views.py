"""The tracker's quick views and sort orders, as plain names the store understands."""

from __future__ import annotations

from enum import StrEnum


class View(StrEnum):
    OPEN = "open"
    OVERDUE = "overdue"
    SOON = "due in the next 14 days"
    ALL = "all"

    def next(self) -> View:
        order = list(View)
        return order[(order.index(self) + 1) % len(order)]


class Sort(StrEnum):
    DUE = "due"
    STATUS = "status"
    OWNER = "owner"
    CREATED = "created"

    def next(self) -> Sort:
        order = list(Sort)
        return order[(order.index(self) + 1) % len(order)]


SOON_DAYS = 14
