"""Random runs of tracker keys against a model of what the table and the file must hold.

A hypothesis state machine presses status keys, moves the cursor, edits, deletes,
filters, undoes and redoes in the real app (through Pilot); after every key the table
shows exactly the rows the model expects, with the statuses it expects, and the
database holds the model's statuses, texts and deletions.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from textual import events
from textual.coordinate import Coordinate
from textual.widgets import Input, TextArea

from mhtui.core.clock import FakeClock
from mhtui.core.statuses import Status
from mhtui.store import demo, opening
from mhtui.store.target import from_path
from mhtui.ui.app import MHApp
from mhtui.ui.screens.action_form import ActionForm
from mhtui.ui.screens.tracker import TrackerScreen

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


class _Template:
    path: Path | None = None

    @classmethod
    def copy(cls, folder: Path) -> Path:
        if cls.path is None:
            base = Path(tempfile.mkdtemp(prefix="mhtui-model-"))
            target = from_path(base / "template.db")
            opening.prepare(target)
            db = opening.connect(target)
            demo.build(db, FakeClock())
            db.close()
            cls.path = base / "template.db"
        shutil.copy(cls.path, folder / "demo.db")
        return folder / "demo.db"


class TrackerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="mhtui-run-"))
        self.path = _Template.copy(self.folder)
        conn = sqlite3.connect(self.path)
        self.rows = {i: Row(s, t, o) for i, s, t, o in conn.execute(
            "SELECT id, status, text, owner FROM action WHERE deleted_at IS NULL")}
        conn.close()
        self.done: list[Step] = []
        self.undone: list[Step] = []
        self.filter_words = ""  # not `filter`: that is the rule below
        self.sticky: set[int] = set()
        self.loop = asyncio.new_event_loop()
        self.app = MHApp(from_path(self.path), clock=FakeClock())
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
        shown = {}
        for index in range(table.row_count):
            key = table.coordinate_to_cell_key(Coordinate(index, 0)).row_key.value
            assert key is not None
            status_cell = str(table.get_cell(key, "status"))
            shown[int(key)] = status_cell
        assert set(shown) == self.expected_visible()
        for action_id, cell in shown.items():
            status = Status(self.rows[action_id].status)
            assert cell == f"{status.symbol} {status.value}"

    @invariant()
    def file_holds_the_model(self) -> None:
        conn = sqlite3.connect(self.path)
        stored = {i: Row(s, t, o, d is not None) for i, s, t, o, d in conn.execute(
            "SELECT id, status, text, owner, deleted_at FROM action")}
        conn.close()
        assert stored == self.rows

    def teardown(self) -> None:
        self.run(None)
        self.loop.run_until_complete(self.session)
        self.loop.close()
        shutil.rmtree(self.folder, ignore_errors=True)


TrackerMachine.TestCase.settings = settings(
    max_examples=10, stateful_step_count=25, deadline=None, derandomize=True,
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow])
test_tracker_keys_against_a_model = TrackerMachine.TestCase
