"""Random runs of tracker keys against a model of what the table and the file must hold.

A hypothesis state machine presses status keys, moves the cursor, edits, deletes,
filters, undoes and redoes in the real app (through Pilot); after every key the table
shows exactly the rows the model expects, with the statuses it expects, and the
database holds the model's statuses, texts and deletions.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from textual import events
from textual.widgets import Input, TextArea

from mhtui.core.clock import FakeClock
from mhtui.core.statuses import Status
from mhtui.store.demo.demo import DEMO_TEAM
from mhtui.ui.app import MHApp
from mhtui.ui.screens.action_form import ActionForm
from mhtui.ui.screens.tracker import TrackerScreen
from tests.conftest import MakeTarget
from tests.helpers import db_rows

FILTERS = ("", "room", "lunch", "data", "plan", "zzz")


@dataclass
class Row:
    status: str
    text: str
    owner: str
    deleted: bool = False


@dataclass
class Step:
    action_id: int
    field: str  # status, text or deleted
    before: object
    after: object


_MAKE: list[MakeTarget] = []  # the running test's make_target: a machine takes no fixture


@pytest.fixture(autouse=True)
def _databases(make_target: MakeTarget) -> Iterator[None]:
    _MAKE.append(make_target)
    yield
    _MAKE.clear()


# The tracker shows the demo's first school; the demo holds other schools' actions too.
_DEMO_SCHOOL = "team_id = (SELECT id FROM team WHERE name = ?)"


class TrackerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.target = _MAKE[-1]("demo.db", demo=True)  # a copy of the demo data
        self.rows = {i: Row(s, t, o) for i, s, t, o in db_rows(
            self.target, "SELECT id, status, text, owner FROM action WHERE deleted_at IS NULL"
            f" AND {_DEMO_SCHOOL}", DEMO_TEAM)}
        self.done: list[Step] = []
        self.undone: list[Step] = []
        self.filter_words = ""  # not `filter`: that is the rule below
        self.sticky: set[int] = set()
        self.loop = asyncio.new_event_loop()
        self.app = MHApp(self.target, clock=FakeClock())
        self.jobs: asyncio.Queue[Any] = asyncio.Queue()
        self.session = self.loop.create_task(self._session())
        self.keys("t")
        for _ in range(3):  # open -> overdue -> due soon -> all
            self.keys("f")
        assert "view: all" in str(self.screen.query_one("#tracker-bar").render())

    # --- driving the app ------------------------------------------------------------

    async def _session(self) -> None:
        """One task holds the app for the whole run; each step is a job handed to it."""
        async with self.app.run_test(size=(200, 50)) as pilot:
            while True:
                job, done = await self.jobs.get()
                if job is None:
                    done.set_result(None)
                    return
                try:
                    done.set_result(await job(pilot))
                except Exception as error:  # shown in the rule that sent the job
                    done.set_exception(error)

    def run(self, job: Any) -> Any:
        done = self.loop.create_future()
        self.jobs.put_nowait((job, done))
        return self.loop.run_until_complete(done)

    def keys(self, *keys: str) -> None:
        async def press(pilot: Any) -> None:
            await pilot.press(*keys)
            await pilot.pause()
        self.run(press)

    def paste(self, widget: Any, text: str) -> None:
        async def paste(pilot: Any) -> None:
            widget.focus()
            await pilot.pause()
            pilot.app.post_message(events.Paste(text))  # as the terminal driver does
            await pilot.pause()
        self.run(paste)

    def select_all(self, box: TextArea) -> None:
        async def select(pilot: Any) -> None:
            box.select_all()
            await pilot.pause()
        self.run(select)

    def clear(self, box: Input) -> None:
        async def clear(pilot: Any) -> None:
            box.value = ""
            await pilot.pause()
        self.run(clear)

    @property
    def screen(self) -> TrackerScreen:
        screen = self.app.screen
        assert isinstance(screen, TrackerScreen)
        return screen

    def selected(self) -> int | None:
        action = self.screen.selected()
        return action.id if action is not None else None

    def record(self, step: Step) -> None:
        self.done.append(step)
        self.undone.clear()
        self.sticky.add(step.action_id)

    def apply(self, step: Step, forward: bool) -> None:
        setattr(self.rows[step.action_id], step.field, step.after if forward else step.before)
        self.sticky.add(step.action_id)

    # --- the keys -------------------------------------------------------------------

    @rule(key=st.sampled_from([s.key for s in Status]))
    def status_key(self, key: str) -> None:
        chosen = self.selected()
        self.keys(key)
        if chosen is None:
            return
        new = list(Status)[int(key) - 1].value
        row = self.rows[chosen]
        if row.status != new:
            self.record(Step(chosen, "status", row.status, new))
            row.status = new
        self.sticky.add(chosen)

    @rule(key=st.sampled_from(["down", "up", "down", "end", "home"]))
    def move(self, key: str) -> None:
        self.keys(key)

    @rule(words=st.sampled_from(["Meet with the room team", "Plan lunch coverage",
                                 "Data entry moved to the office", "Nothing to do with it"]))
    def edit(self, words: str) -> None:
        chosen = self.selected()
        self.keys("e")
        if chosen is None:
            assert isinstance(self.app.screen, TrackerScreen)
            return
        form = self.app.screen
        assert isinstance(form, ActionForm)
        box = form.query_one("#form-text", TextArea)
        self.select_all(box)
        self.paste(box, words)
        self.keys("ctrl+s")
        row = self.rows[chosen]
        if row.text != words:
            self.record(Step(chosen, "text", row.text, words))
            row.text = words
        self.sticky.add(chosen)

    @rule(confirm=st.booleans())
    def delete(self, confirm: bool) -> None:
        chosen = self.selected()
        self.keys("delete")
        if chosen is None:
            return
        self.keys("y" if confirm else "n")
        if confirm:
            self.record(Step(chosen, "deleted", False, True))
            self.rows[chosen].deleted = True

    @rule(words=st.sampled_from(FILTERS))
    def filter(self, words: str) -> None:
        self.keys("slash")
        self.clear(self.screen.query_one("#tracker-filter", Input))
        if words:
            self.keys(*words)
        self.keys("enter")
        self.filter_words = words
        self.sticky = set()  # a new query starts without the rows kept in view

    @rule()
    def undo(self) -> None:
        self.keys("u")
        if self.done:
            step = self.done.pop()
            self.apply(step, forward=False)
            self.undone.append(step)

    @rule()
    def redo(self) -> None:
        self.keys("ctrl+r")
        if self.undone:
            step = self.undone.pop()
            self.apply(step, forward=True)
            self.done.append(step)

    # --- what must hold -------------------------------------------------------------

    def expected_visible(self) -> set[int]:
        wanted = self.filter_words.lower()
        return {i for i, r in self.rows.items() if not r.deleted and (
            not wanted or wanted in r.text.lower() or wanted in r.owner.lower()
            or i in self.sticky)}

    @invariant()
    def table_shows_the_model(self) -> None:
        table = self.screen.table
        status_at = [c.key for c in table.columns].index("status")
        shown = {}
        for index, cells in enumerate(table.plain_rows()):
            key = table.key_at(index)
            assert key is not None
            shown[int(key)] = cells[status_at]
        assert set(shown) == self.expected_visible()
        for action_id, cell in shown.items():
            status = Status(self.rows[action_id].status)
            assert cell == f"{status.symbol} {status.value}"

    @invariant()
    def file_holds_the_model(self) -> None:
        stored = {i: Row(s, t, o, d is not None) for i, s, t, o, d in db_rows(
            self.target, f"SELECT id, status, text, owner, deleted_at FROM action WHERE "
            f"{_DEMO_SCHOOL}", DEMO_TEAM)}
        assert stored == self.rows

    def teardown(self) -> None:
        self.run(None)
        self.loop.run_until_complete(self.session)
        self.loop.close()


TrackerMachine.TestCase.settings = settings(
    max_examples=10, stateful_step_count=25, deadline=None, derandomize=True,
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow])
test_tracker_keys_against_a_model = TrackerMachine.TestCase
