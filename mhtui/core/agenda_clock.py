"""The check-in's clock: how long each agenda item has run, worked out from stored facts.

Nothing ticks: the state is "seconds spent in finished stretches" per item plus, while
running, the wall time the current stretch began. Every figure is computed from the
injected clock when asked, so there is no drift from timer ticks, and a state read back
after a crash gives the right time (the time away counts, as on a wall clock).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

DEFAULT_WARN_MINUTES = 5  # a team that set nothing is warned 5 minutes before the end
SHORT_ITEM_SECONDS = 600  # ... of items 10 minutes or longer


def warn_seconds(planned_seconds: int, warn_minutes: int | None) -> int:
    """How long before an item's end the check-in warns: the team's own minutes (0:
    never), or by default 5 minutes, and not at all for items under 10 minutes. A warning
    as long as the item or longer would be on from the start: none then either."""
    if warn_minutes is None:
        seconds = DEFAULT_WARN_MINUTES * 60 if planned_seconds >= SHORT_ITEM_SECONDS else 0
    else:
        seconds = max(warn_minutes, 0) * 60
    return seconds if seconds < planned_seconds else 0


@dataclass
class ItemClock:
    planned_seconds: int
    spent_seconds: float = 0.0


@dataclass
class AgendaClock:
    items: list[ItemClock]
    current: int = 0
    running_since: datetime | None = None
    changed: set[int] = field(default_factory=set)  # items whose figures need saving
    warn_minutes: int | None = None  # the team's setting (see warn_seconds)

    @property
    def running(self) -> bool:
        return self.running_since is not None

    def spent(self, index: int, now: datetime) -> float:
        item = self.items[index]
        extra = 0.0
        if index == self.current and self.running_since is not None:
            extra = max(0.0, (now - self.running_since).total_seconds())
        return item.spent_seconds + extra

    def remaining(self, now: datetime) -> float:
        """Seconds left in the current item; negative once it runs over."""
        return self.items[self.current].planned_seconds - self.spent(self.current, now)

    def over(self, index: int, now: datetime) -> float:
        return max(0.0, self.spent(index, now) - self.items[index].planned_seconds)

    def warn_seconds(self) -> int:
        """How long before the current item's end the warning comes (0: none)."""
        return warn_seconds(self.items[self.current].planned_seconds, self.warn_minutes)

    def warning(self, now: datetime) -> bool:
        return 0 <= self.remaining(now) < self.warn_seconds()

    def elapsed(self, now: datetime) -> float:
        return sum(self.spent(i, now) for i in range(len(self.items)))

    def planned(self) -> int:
        return sum(item.planned_seconds for item in self.items)

    def _bank(self, now: datetime) -> None:
        """Fold the running stretch into the current item's spent time."""
        if self.running_since is not None:
            self.items[self.current].spent_seconds = self.spent(self.current, now)
            self.changed.add(self.current)
            self.running_since = now

    def start(self, now: datetime) -> None:
        if self.running_since is None:
            self.running_since = now

    def pause(self, now: datetime) -> None:
        self._bank(now)
        self.running_since = None

    def toggle(self, now: datetime) -> None:
        if self.running:
            self.pause(now)
        else:
            self.start(now)

    def go_to(self, index: int, now: datetime) -> bool:
        """Move to another item; a running clock keeps running on the new item."""
        if not 0 <= index < len(self.items) or index == self.current:
            return False
        was_running = self.running
        self._bank(now)
        self.current = index
        self.running_since = now if was_running else None
        return True

    def adjust(self, minutes: int) -> None:
        """Give the current item a minute more (or less, never below one minute)."""
        item = self.items[self.current]
        item.planned_seconds = max(60, item.planned_seconds + minutes * 60)
        self.changed.add(self.current)
