"""A screen reads the store in a worker and draws the answer when it lands: a change
from elsewhere (``refresh_from_store``, the path another laptop's change will take) holds
no key, and what is typed meanwhile is kept when the read lands."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual.widgets import TextArea

from mhtui.core.clock import FakeClock
from mhtui.store.checkins import checkins
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target
from mhtui.ui.app import MHApp
from mhtui.ui.screens.base import MHScreen
from mhtui.ui.screens.tracker import TrackerScreen
from tests.helpers import loaded, tracker_open, until
from tests.test_checkin import start_checkin


class Held:
    """A store function whose first call waits until the test lets it go (a distant
    server); ``late`` says whether it gave up waiting (the test could not act meanwhile)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> None:
        self.go, self.began = threading.Event(), threading.Event()
        self.late: list[bool] = []
        real = getattr(owner, name)

        def held(*args: Any, **kwargs: Any) -> Any:
            if not self.began.is_set():  # the first call only
                self.began.set()
                self.late.append(not self.go.wait(10))
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, held)


@pytest.fixture
def hold(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Any, str], Held]]:
    made: list[Held] = []

    def start(owner: Any, name: str) -> Held:
        made.append(Held(monkeypatch, owner, name))
        return made[-1]

    yield start
    for held in made:
        held.go.set()


async def _refresh_held(pilot: Any, screen: MHScreen, held: Held) -> int:
    shown = screen.loads
    screen.refresh_from_store()
    await until(pilot, held.began.is_set, "the read to begin")
    return shown


async def test_notes_typed_while_the_check_in_is_read_are_kept(
        demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database],
        hold: Callable[[Any, str], Held]) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        meeting = await start_checkin(pilot)
        await pilot.press("w", *"First thought.")
        held = hold(checkins, "load")
        shown = await _refresh_held(pilot, meeting, held)
        await pilot.press(*" Typed meanwhile.")  # while the read is held
        assert not held.go.is_set()
        held.go.set()
        await loaded(pilot, meeting, shown)
        await pilot.press(*" After.", "escape")
        await pilot.pause()
        notes = meeting.query_one("#meeting-notes", TextArea).text
        assert held.late == [False]  # read on the screen's thread, every key waited
    assert notes == "First thought. Typed meanwhile. After."
    live = checkins.load(open_db(demo_target), meeting.meeting_id)
    assert live.items[live.clock.current].notes == notes


async def test_a_status_key_acts_while_the_tracker_is_read(
        demo_target: Target, clock: FakeClock, hold: Callable[[Any, str], Held]) -> None:
    """The list read again from elsewhere, held: 5 still changes the selected row at
    once, and the list that lands afterwards shows it changed (read after the write)."""
    from mhtui.store.actions import action_list

    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(160, 40)) as pilot:
        await tracker_open(pilot)
        tracker = app.screen
        assert isinstance(tracker, TrackerScreen)
        chosen = tracker.selected()
        assert chosen is not None and chosen.status != "completed"
        held = hold(action_list, "page")
        shown = await _refresh_held(pilot, tracker, held)
        await pilot.press("5")
        await until(pilot, lambda: "'completed'" in str(tracker.selected()), "the row changed")
        held.go.set()
        await loaded(pilot, tracker, shown)
        await pilot.pause()
        now = tracker.selected()
        assert held.late == [False]
        assert now is not None and now.id == chosen.id and now.status == "completed"
