"""How the screens look, pinned. Regenerate with `python3 dev.py test --snapshot-update`
after a deliberate change, and look at the SVGs before committing them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from mhtui.core.clock import FakeClock
from mhtui.store.target import Target
from mhtui.ui.app import MHApp

SnapCompare = Callable[..., bool]


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.pause()


class TestDashboardSmall:
    SIZE = (80, 24)

    def test_dashboard(self, snap_compare: SnapCompare, demo_target: Target,
                       clock: FakeClock) -> None:
        assert snap_compare(MHApp(demo_target, clock=clock), terminal_size=self.SIZE,
                            run_before=_settle)


class TestDashboardProjector:
    SIZE = (200, 50)

    def test_dashboard(self, snap_compare: SnapCompare, demo_target: Target,
                       clock: FakeClock) -> None:
        assert snap_compare(MHApp(demo_target, clock=clock), terminal_size=self.SIZE,
                            run_before=_settle)


async def _open_tracker(pilot: Pilot[Any]) -> None:
    await _settle(pilot)
    await pilot.press("t")
    await _settle(pilot)


class TestTrackerSmall:
    SIZE = (80, 24)

    def test_tracker(self, snap_compare: SnapCompare, demo_target: Target,
                     clock: FakeClock) -> None:
        assert snap_compare(MHApp(demo_target, clock=clock), terminal_size=self.SIZE,
                            run_before=_open_tracker)


class TestTrackerProjector:
    SIZE = (200, 50)

    def test_tracker(self, snap_compare: SnapCompare, demo_target: Target,
                     clock: FakeClock) -> None:
        assert snap_compare(MHApp(demo_target, clock=clock), terminal_size=self.SIZE,
                            run_before=_open_tracker)


def _running_checkin(clock: FakeClock) -> Callable[[Pilot[Any]], Any]:
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


class TestCheckinSmallProjector:
    SIZE = (80, 24)

    def test_running_checkin(self, snap_compare: SnapCompare, demo_target: Target,
                             clock: FakeClock) -> None:
        assert snap_compare(MHApp(demo_target, clock=clock), terminal_size=self.SIZE,
                            run_before=_running_checkin(clock))


class TestCheckinLargeProjector:
    SIZE = (200, 50)

    def test_running_checkin(self, snap_compare: SnapCompare, demo_target: Target,
                             clock: FakeClock) -> None:
        assert snap_compare(MHApp(demo_target, clock=clock), terminal_size=self.SIZE,
                            run_before=_running_checkin(clock))


async def _open_reflection(pilot: Pilot[Any]) -> None:
    await _settle(pilot)
    await pilot.press("r", "down", "enter")  # a submitted reflection, read-only
    await _settle(pilot)


async def _open_rollup(pilot: Pilot[Any]) -> None:
    await _settle(pilot)
    await pilot.press("r", "v")
    await _settle(pilot)


class TestReflectionSmall:
    SIZE = (80, 24)

    def test_form(self, snap_compare: SnapCompare, demo_target: Target,
                  clock: FakeClock) -> None:
        assert snap_compare(MHApp(demo_target, clock=clock), terminal_size=self.SIZE,
                            run_before=_open_reflection)

    def test_rollup(self, snap_compare: SnapCompare, demo_target: Target,
                    clock: FakeClock) -> None:
        assert snap_compare(MHApp(demo_target, clock=clock), terminal_size=self.SIZE,
                            run_before=_open_rollup)


class TestReflectionProjector:
    SIZE = (200, 50)

    def test_form(self, snap_compare: SnapCompare, demo_target: Target,
                  clock: FakeClock) -> None:
        assert snap_compare(MHApp(demo_target, clock=clock), terminal_size=self.SIZE,
                            run_before=_open_reflection)

    def test_rollup(self, snap_compare: SnapCompare, demo_target: Target,
                    clock: FakeClock) -> None:
        assert snap_compare(MHApp(demo_target, clock=clock), terminal_size=self.SIZE,
                            run_before=_open_rollup)


async def _open_grid(pilot: Pilot[Any]) -> None:
    await _settle(pilot)
    await pilot.press("g")
    await _settle(pilot)


class TestGridSmall:
    SIZE = (80, 24)

    def test_grid(self, snap_compare: SnapCompare, demo_target: Target,
                  clock: FakeClock) -> None:
        assert snap_compare(MHApp(demo_target, clock=clock), terminal_size=self.SIZE,
                            run_before=_open_grid)


class TestGridProjector:
    SIZE = (200, 50)

    def test_grid(self, snap_compare: SnapCompare, demo_target: Target,
                  clock: FakeClock) -> None:
        assert snap_compare(MHApp(demo_target, clock=clock), terminal_size=self.SIZE,
                            run_before=_open_grid)
