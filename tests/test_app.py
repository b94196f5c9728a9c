"""The app shell driven as a user would: keys, the palette, help, teams and themes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mhtui.core.clock import FakeClock
from mhtui.store.database.target import Target
from mhtui.ui.app import MHApp
from mhtui.ui.screens.checkin import CheckinScreen
from mhtui.ui.screens.dashboard import DashboardScreen
from mhtui.ui.screens.grid import GridScreen
from mhtui.ui.screens.help import HelpScreen
from mhtui.ui.screens.reflection import ReflectionScreen
from mhtui.ui.screens.teams import TeamPicker
from mhtui.ui.screens.tracker import TrackerScreen
from mhtui.ui.themes import DEFAULT_THEME, PROJECTOR_THEME
from tests.helpers import palette_offers, screen_lines, table_rows, text_of, until

SCREENS = {
    "c": CheckinScreen,
    "t": TrackerScreen,
    "r": ReflectionScreen,
    "g": GridScreen,
}


async def test_dashboard_shows_the_teams_figures(demo_target: Target, clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await until(pilot, lambda: app.screen.sub_title == "Lincoln High School",
                    "the team's name in the title")
        nxt = text_of(app, "#next-checkin")
        assert "Wed 2 Dec 2026" in nxt and "in 9 days" in nxt
        assert "Last held 26 Oct (28 days ago)" in nxt
        attention = text_of(app, "#attention").splitlines()
        assert attention[0].startswith("! overdue by 12 days")
        assert "John Smith" in attention[0] and "private room" in attention[0]
        actions = text_of(app, "#actions")
        assert "○ not started" in actions and "4" in actions
        assert "! 3 actions overdue" in actions
        assert "3 submitted since last check-in" in text_of(app, "#reflections")
        capacity = text_of(app, "#capacity")
        assert "▲ LCSW" in capacity and "▲ Counselor" in capacity


async def test_first_run_makes_a_default_team(empty_target: Target, clock: FakeClock) -> None:
    app = MHApp(empty_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await until(pilot, lambda: app.screen.sub_title == "My school",
                    "the team's name in the title")
        assert "Not scheduled yet" in text_of(app, "#next-checkin")
        assert "No overdue actions" in text_of(app, "#actions")


@pytest.mark.parametrize("key", list(SCREENS))
async def test_each_part_opens_by_key_and_closes(demo_target: Target, clock: FakeClock,
                                                 key: str) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, SCREENS[key])
        await until(pilot, lambda: app.screen.sub_title == "Lincoln High School",
                    "the team's name in the title")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


@pytest.mark.parametrize(("command", "screen"), [
    ("go: check-in", CheckinScreen), ("go: tracker", TrackerScreen),
    ("go: reflection", ReflectionScreen), ("go: grid", GridScreen),
])
async def test_each_part_opens_from_the_palette(demo_target: Target, clock: FakeClock,
                                                command: str, screen: type) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*command)
        await palette_offers(pilot, command)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, screen)
        # The palette moves between parts too, without stacking screens up.
        await pilot.press("ctrl+p")
        await pilot.press(*"go: dashboard")
        await palette_offers(pilot, "go: dashboard")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert len(app.screen_stack) == 1


async def test_screens_show_what_the_store_holds(demo_target: Target, clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        rows = table_rows(app)
        assert len(rows) == 9  # the open view: completed and abandoned are left out
        lunch = next(r for r in rows if "social workers" in r[2])
        assert "◔ in progress" in lunch and "John Smith" in lunch and "due in 6 days" in lunch
        assert lunch[-1] == "2026-09-26"  # the check-in it came from
        assert any("! overdue by 12 days" in r for r in rows)
        assert "rows 1–9 of 9" in text_of(app, "#tracker-bar")
        await pilot.press("escape", "g")
        await pilot.pause()
        grid = table_rows(app)
        screening = next(r for r in grid if "Screening" in r[0])
        assert screening[1:] == ["2 now · 0 train ⚑", "✓", "✓", "✗", "✗"]
        assert "collective bargaining" in text_of(app, "#bargaining")
        await pilot.press("escape", "r")
        await pilot.pause()
        reflections = table_rows(app)
        assert len(reflections) == 8
        assert any("(anonymous)" in r for r in reflections)
        await pilot.press("escape", "c")
        await pilot.pause()
        assert "Review actions from the last check-in" in text_of(app, "#agenda")
        held = table_rows(app, "#meetings-table")
        assert held[0][:5] == ["Mon 26 Oct 2026", "ended", "60:00", "64:00", "+4:00 over"]


async def test_help_lists_the_keys_of_the_screen_you_came_from(
    demo_target: Target, clock: FakeClock
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = dict((label, key) for key, label in app.screen.keys)
        assert keys["Tracker"] == "t" and keys["Grid"] == "g" and keys["Teams"] == "s"
        await pilot.press("escape")
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        labels = [label for _, label in app.screen.keys]
        assert "Back" in labels and "Tracker" not in labels
        assert "overdue" in app.screen.about
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, TrackerScreen)


async def test_switch_team_and_create_one(demo_target: Target, clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, TeamPicker)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await until(pilot, lambda: app.screen.sub_title == "Roosevelt Middle School",
                    "the team's name in the title")
        assert "None marked yet" in text_of(app, "#capacity")
        # A name already taken is refused with a message; a new one is created.
        await pilot.press("s", "n")
        await pilot.press(*"Lincoln High School", "enter")
        await pilot.pause()
        assert "already a team" in str(app.screen.query_one("#team-error").render())
        await pilot.press("ctrl+a", "ctrl+k")
        await pilot.press(*"Washington Elementary", "enter")
        await pilot.pause()
        await until(pilot, lambda: app.screen.sub_title == "Washington Elementary",
                    "the team's name in the title")
    # The choice is remembered for the next start.
    again = MHApp(demo_target, clock=clock)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await until(pilot, lambda: again.screen.sub_title == "Washington Elementary",
                    "the team's name in the title")


async def test_team_switch_from_the_palette(demo_target: Target, clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"team: switch to Roosevelt")
        await palette_offers(pilot, "team: switch to Roosevelt")
        await pilot.press("enter")
        await pilot.pause()
        await until(pilot, lambda: app.screen.sub_title == "Roosevelt Middle School",
                    "the team's name in the title")


async def test_theme_toggle_is_remembered(demo_target: Target, clock: FakeClock,
                                          private_dirs: Path) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == DEFAULT_THEME
        await pilot.press("f2")
        await pilot.pause()
        assert app.theme == PROJECTOR_THEME
    saved = json.loads((private_dirs / "config" / "mhtui" / "settings.json").read_text())
    assert saved["theme"] == PROJECTOR_THEME
    again = MHApp(demo_target, clock=clock)
    async with again.run_test(size=(80, 24)) as pilot:
        assert again.theme == PROJECTOR_THEME
        await pilot.press("ctrl+p", *"theme: default")
        await palette_offers(pilot, "theme: default")
        await pilot.press("enter")
        await pilot.pause()
        assert again.theme == DEFAULT_THEME


@pytest.mark.parametrize(("keys", "expected"), [
    (("g",), {"y": "Yes", "[": "Role left", "E": "Example district", "P": "Plan"}),
    (("c", "s", "ctrl+s"), {"Space": "Start/pause", "+": "+1 min", "e": "End"}),
    (("r", "n"), {"F5": "Submit", "Ctrl+s": "Save", "Ctrl+n": "Add row"}),
])
async def test_help_tells_the_truth_on_every_part(demo_target: Target, clock: FakeClock,
                                                  keys: tuple[str, ...],
                                                  expected: dict[str, str]) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = {key.strip(): label for key, label in app.screen.keys}
        for key, label in expected.items():
            assert shown.get(key) == label, (key, shown)


async def test_team_picker_has_help_and_says_how_to_rename(demo_target: Target,
                                                          clock: FakeClock) -> None:
    # F1 did nothing in the team picker (a modal screen stops the app's keys), which has
    # no footer either: nothing said how to make a team or rename the active one.
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, TeamPicker)
        footer = " ".join(screen_lines(app)[-1].split())
        assert "n New team" in footer and "f1 Help" in footer
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "N renames" in app.screen.about
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, TeamPicker)


async def test_f1_opens_the_help_of_a_form(demo_target: Target, clock: FakeClock) -> None:
    # Forms are modal screens, which stop the app's F1: their help text was never shown.
    from mhtui.ui.screens.roster import PersonForm

    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("p", "a")
        await pilot.pause()
        assert isinstance(app.screen, PersonForm)
        assert "f1 Help" in " ".join(screen_lines(app)[-1].split())
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PersonForm)


async def test_a_key_acts_while_the_figures_are_read(
        demo_target: Target, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dashboard reads its figures in a worker (from a file too): with that read
    held up (a distant server, a busy disk), t still opens the tracker at once, and the
    figures come."""
    import threading

    held = threading.Event()
    read = MHApp.read_figures

    def slow(self: MHApp, today: Any) -> Any:
        held.wait(30)
        return read(self, today)

    monkeypatch.setattr(MHApp, "read_figures", slow)
    app = MHApp(demo_target, clock=clock)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            dashboard = app.screen
            assert isinstance(dashboard, DashboardScreen)
            assert "Opening…" in text_of(app, "#next-checkin") and dashboard.loads == 0
            await pilot.press("t")
            await pilot.pause()
            assert isinstance(app.screen, TrackerScreen)  # while the read is held
            assert dashboard.loads == 0
            held.set()
            await pilot.press("escape")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, DashboardScreen)
            assert "Wed 2 Dec 2026" in text_of(app, "#next-checkin")
    finally:
        held.set()
