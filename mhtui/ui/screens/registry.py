"""The parts reachable from the dashboard, by key, by palette and by name."""

from __future__ import annotations

from textual.screen import Screen

# key -> (title used in "go: <title>", one-line description)
PLACES: dict[str, tuple[str, str]] = {
    "checkin": ("check-in", "The agenda timer for this team's check-in meetings"),
    "tracker": ("tracker", "Actions with owners, due dates and their five statuses"),
    "reflection": ("reflection", "Staff reflections on support, barriers and time"),
    "grid": ("grid", "Which roles can do which tasks, and what to shift"),
    "roster": ("roster", "The team's people: who is invited and who attends"),
    "district": ("district", "Every school side by side, and the barriers they share"),
}


def make(where: str) -> Screen[None]:
    if where == "checkin":
        from mhtui.ui.screens.checkin import CheckinScreen

        return CheckinScreen()
    if where == "tracker":
        from mhtui.ui.screens.tracker import TrackerScreen

        return TrackerScreen()
    if where == "reflection":
        from mhtui.ui.screens.reflection import ReflectionScreen

        return ReflectionScreen()
    if where == "grid":
        from mhtui.ui.screens.grid import GridScreen

        return GridScreen()
    if where == "roster":
        from mhtui.ui.screens.roster import RosterScreen

        return RosterScreen()
    if where == "rollup":  # from the reflections (v), above them
        from mhtui.ui.screens.rollup import RollupScreen

        return RollupScreen()
    if where == "district":
        from mhtui.ui.screens.district import DistrictScreen

        return DistrictScreen()
    raise KeyError(where)
