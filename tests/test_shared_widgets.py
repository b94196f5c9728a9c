"""The pieces screens share: the status line, and the layouts Textual's breakpoints pick
for the width of the terminal."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult

from mhtui.core.clock import FakeClock
from mhtui.store.database.target import Target
from mhtui.ui.app import MHApp
from mhtui.ui.screens.grid import GridScreen
from mhtui.ui.screens.tracker import TrackerScreen
from mhtui.ui.widgets.status_line import StatusLine
from mhtui.ui.widgets.text import styled
from tests.helpers import text_of


class _OneLine(App[object]):
    def compose(self) -> ComposeResult:
        yield StatusLine(id="line")


async def test_the_status_line_shows_text_as_typed_on_one_line() -> None:
    app = _OneLine()
    async with app.run_test(size=(40, 10)) as pilot:
        line = app.query_one(StatusLine)
        line.say("Saved: '[b]Ana[/b]' [@click=app.quit]")
        await pilot.pause()
        assert text_of(app, "#line") == "Saved: '[b]Ana[/b]' [@click=app.quit]"
        line.say("a very long message " * 10)
        await pilot.pause()
        assert line.region.height == 1
        line.say(styled("[b]$who[/b] saved", who="[i]Ana"))
        await pilot.pause()
        assert text_of(app, "#line") == "[i]Ana saved"


def _beside(screen: Any, left: str, right: str) -> bool:
    """True when ``right`` is to the right of ``left``; False when it is under it."""
    a, b = screen.query_one(left).region, screen.query_one(right).region
    return bool(b.x >= a.right and b.y < a.bottom)


async def test_the_breakpoints_move_the_side_panels_under_the_table(
        demo_target: Target, clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        tracker = app.screen
        assert isinstance(tracker, TrackerScreen)
        assert tracker.has_class("-wide") and not tracker.has_class("-narrow")
        assert _beside(tracker, "#tracker-left", "#tracker-detail-box")

        await pilot.resize_terminal(110, 40)
        await pilot.pause()
        assert tracker.has_class("-narrow") and not tracker.has_class("-wide")
        assert not _beside(tracker, "#tracker-left", "#tracker-detail-box")

        # The grid's panel moves below 130 columns, the tracker's below 150.
        await pilot.press("escape", "g")
        await pilot.pause()
        await pilot.resize_terminal(125, 40)
        await pilot.pause()
        grid = app.screen
        assert isinstance(grid, GridScreen)
        assert grid.has_class("-narrow")
        assert not _beside(grid, "#grid-table", "#grid-side")
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        assert grid.has_class("-wide")

        # A screen resized while another was shown is laid out for the new width.
        await pilot.press("escape", "t")
        await pilot.pause()
        assert app.screen is tracker
        assert tracker.has_class("-wide")
        assert _beside(tracker, "#tracker-left", "#tracker-detail-box")
