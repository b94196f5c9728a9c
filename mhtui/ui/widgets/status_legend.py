"""The key legend for setting an action's status, shared by the tracker and the check-in."""

from __future__ import annotations

from mhtui.core.statuses import Status

# Shown on the screen itself, for everyone in the room to read: each status as its key,
# its symbol and its short name (markup of our own words only).
STATUS_LEGEND = "  ".join(f"[b]{s.key}[/b]{s.symbol} {s.short}" for s in Status)
