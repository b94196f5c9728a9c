"""How the screens look, pinned. Regenerate with `python3 dev.py test --snapshot-update`
after a deliberate change, and look at the SVGs before committing them.

One class per terminal size; each test opens one screen from the dashboard by keys.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from mhtui.core.clock import FakeClock
from mhtui.store.database.target import Target
from mhtui.ui.app import MHApp

pytestmark = pytest.mark.sqlite_only(
    "screens pinned pixel for pixel from the demo file; what a server adds (the "
    "dashboard's server line) is pinned by "
    "tests/test_fence.py::test_the_dashboard_says_who_is_signed_in")

SnapCompare = Callable[..., bool]
RunBefore = Callable[[Pilot[Any]], Awaitable[None]]


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.pause()


def _keys(*keys: str) -> Callable[[FakeClock], RunBefore]:
    def make(_clock: FakeClock) -> RunBefore:
        async def run_before(pilot: Pilot[Any]) -> None:
            await _settle(pilot)
            for key in keys:
                await pilot.press(key)
            await _settle(pilot)

        return run_before

    return make


def _rollup(*keys: str) -> Callable[[FakeClock], RunBefore]:
    """The roll-up (read in a worker), then ``keys`` (t: the trend)."""

    def make(_clock: FakeClock) -> RunBefore:
        async def run_before(pilot: Pilot[Any]) -> None:
            await _settle(pilot)
            await pilot.press("r", "v")
            await pilot.app.workers.wait_for_complete()
            await _settle(pilot)
            for key in keys:
                await pilot.press(key)
            await _settle(pilot)

        return run_before

    return make


def _running_checkin(clock: FakeClock) -> RunBefore:
    """A check-in 13:25 into its first item, in the projector theme."""

    async def run_before(pilot: Pilot[Any]) -> None:
        from mhtui.ui.screens.meeting import MeetingScreen
        from mhtui.ui.themes import PROJECTOR_THEME

        pilot.app.theme = PROJECTOR_THEME
        await _settle(pilot)
        await pilot.press("c", "s", "ctrl+s")
        await _settle(pilot)
        await pilot.press("space")
        clock.advance(13 * 60 + 25)
        screen = pilot.app.screen
        assert isinstance(screen, MeetingScreen)
        screen.tick()
        await _settle(pilot)

    return run_before


def _focus_view(clock: FakeClock) -> RunBefore:
    """The same check-in in its focus view (f): the clock, the title and the questions."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await _running_checkin(clock)(pilot)
        await pilot.press("f")
        await _settle(pilot)

    return run_before


def _since(_clock: FakeClock) -> RunBefore:
    """The tracker's changes since the last check-in (l), read in a worker."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("t")
        await _settle(pilot)
        await pilot.press("l")
        await pilot.app.workers.wait_for_complete()  # the first page
        await _settle(pilot)
        await pilot.app.workers.wait_for_complete()  # the counts
        await _settle(pilot)

    return run_before


def _district(_clock: FakeClock) -> RunBefore:
    """The district's view (d): every school of the demo, read in a worker."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("d")
        await pilot.app.workers.wait_for_complete()
        await _settle(pilot)

    return run_before


SCREENS: dict[str, Callable[[FakeClock], RunBefore]] = {
    "dashboard": _keys(),
    "tracker": _keys("t"),
    "since": _since,
    "running_checkin": _running_checkin,
    "focus_view": _focus_view,
    # A named submitted one; the anonymous one above it opens as its answers alone.
    "reflection_form": _keys("r", "down", "down", "enter"),
    "anonymous_reflection": _keys("r", "down", "enter"),
    "rollup": _rollup(),
    "rollup_trend": _rollup("t"),
    "grid": _keys("g"),
    "roster": _keys("p"),
    "start_checkin": _keys("c", "s"),
    "district": _district,
}


def _compare(snap_compare: SnapCompare, target: Target, clock: FakeClock, name: str,
             size: tuple[int, int]) -> bool:
    return snap_compare(MHApp(target, clock=clock), terminal_size=size,
                        run_before=SCREENS[name](clock))


class TestSmallTerminal:
    SIZE = (80, 24)

    @pytest.mark.parametrize("name", list(SCREENS))
    def test_screen(self, snap_compare: SnapCompare, demo_target: Target, clock: FakeClock,
                    name: str) -> None:
        assert _compare(snap_compare, demo_target, clock, name, self.SIZE)


class TestProjector:
    SIZE = (200, 50)

    @pytest.mark.parametrize("name", list(SCREENS))
    def test_screen(self, snap_compare: SnapCompare, demo_target: Target, clock: FakeClock,
                    name: str) -> None:
        assert _compare(snap_compare, demo_target, clock, name, self.SIZE)
