"""Screens built once and kept: opened again, the same screen shows what the store holds
now (issue 20), never what it showed the first time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from mhtui.core.clock import FakeClock
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target
from mhtui.store.reflections import reflection_edit
from mhtui.store.reflections.reflection_edit import Draft
from mhtui.ui.app import MHApp
from mhtui.ui.screens.rollup import RollupScreen
from tests.helpers import text_of


async def test_the_rollup_is_kept_and_read_again_when_shown(
    demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database]
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("r", "v")
        await app.workers.wait_for_complete()
        await pilot.pause()
        first = app.screen
        assert isinstance(first, RollupScreen)
        assert "3 reflections submitted since the last check-in" in text_of(
            app, "#rollup-summary")
        await pilot.press("escape")  # back to the reflections
        await pilot.pause()
        # Someone else submits one meanwhile (another laptop, the same file).
        db = open_db(demo_target)
        made = reflection_edit.new_draft(db, 1, Draft(date(2026, 11, 23), "Zoë [/b]",
                                                      "Counselor", "", "Bus duty 🚌"), clock)
        reflection_edit.submit(db, made.id, made.version, clock)
        await pilot.press("v")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is first  # the same screen, not a new one
        assert isinstance(first, RollupScreen)
        assert "4 reflections submitted since the last check-in" in text_of(
            app, "#rollup-summary")
        assert any("Barrier (Zoë [/b]): Bus duty 🚌" in line.plain
                   for _, _, line in first.lines)
