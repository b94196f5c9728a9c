"""The grid, roster, reflections, agenda, invitation and shift plans read the store in a
worker (MHScreen.read) and draw what it read (show): while a read is held up (a busy
disk, a distant server), keys act, and the screen is drawn when the read lands; a form
read again after a refused save keeps what is typed meanwhile."""

from __future__ import annotations

import asyncio
import importlib
import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from mhtui.core.clock import FakeClock
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target
from mhtui.ui.app import MHApp
from mhtui.ui.screens.base import MHScreen
from mhtui.ui.screens.help import HelpScreen
from tests.helpers import background_done, loaded, until

# The keys from the dashboard to the screen, and the store function its read calls.
# The dashboard's is the path a change from another laptop takes (refresh_from_store).
SCREENS = {
    "dashboard": ((), "mhtui.ui.app", "MHApp.read_figures"),
    "grid": (("g",), "mhtui.store.grid.grid", "load"),
    "roster": (("p",), "mhtui.store.teams.staff", "roster"),
    "reflections": (("r",), "mhtui.store.reflections.reflections", "recent"),
    "agenda": (("c", "a"), "mhtui.store.checkins.agenda", "items"),
    "invitation": (("c", "i"), "mhtui.store.checkins.invites", "build"),
    "shift plans": (("g", "L"), "mhtui.store.grid.shift_plans", "listing"),
}


@pytest.mark.parametrize("name", list(SCREENS))
async def test_a_key_acts_while_the_screen_is_read(
        demo_target: Target, clock: FakeClock, monkeypatch: pytest.MonkeyPatch,
        name: str) -> None:
    keys, module_name, function = SCREENS[name]
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await background_done(pilot)
        await pilot.press(*keys)
        screen = app.screen
        assert isinstance(screen, MHScreen)
        await loaded(pilot, screen, 0)
        held, waited = threading.Event(), threading.Event()
        owner: Any = importlib.import_module(module_name)
        *path, function = function.split(".")
        for name_in in path:
            owner = getattr(owner, name_in)
        read = getattr(owner, function)
        late: list[bool] = []  # the read waited out its time: the test never let it go

        def slow(*args: Any, **kwargs: Any) -> Any:
            waited.set()
            late.append(not held.wait(5))
            return read(*args, **kwargs)

        monkeypatch.setattr(owner, function, slow)
        shown = screen.loads
        screen.refresh_from_store()
        await until(pilot, waited.is_set, "the read to begin")
        await pilot.press("f1")  # help, at once, while the read is held
        assert isinstance(app.screen, HelpScreen) and not held.is_set()
        held.set()
        await loaded(pilot, screen, shown)
        assert late == [False]  # on the screen's thread, it held every key for 5 s


async def test_a_refused_draft_is_read_again_off_the_screens_thread(
        demo_target: Target, clock: FakeClock, monkeypatch: pytest.MonkeyPatch,
        open_db: Callable[[Target], Database]) -> None:
    """A draft changed elsewhere: ctrl+s is refused, and their version is read in a
    thread (the app goes on meanwhile; the keys typed next wait for it): the answer
    shows theirs, what was typed here below it, and both are saved."""
    from textual.widgets import TextArea

    from mhtui.core.merge import keep_both
    from mhtui.store.reflections import reflection_edit
    from mhtui.store.reflections.reflection_edit import Draft
    from mhtui.ui.screens.reflection_form import ReflectionForm

    db = open_db(demo_target)
    made = reflection_edit.new_draft(db, 1, Draft(date(2030, 1, 1), None, "Counselor"), clock)
    assert made.id is not None
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await background_done(pilot)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("enter")  # the newest first: the draft made above
        form = app.screen
        assert isinstance(form, ReflectionForm)
        reflection_edit.save_draft(db, made.id, made.version, Draft(
            date(2030, 1, 1), None, "Counselor", support_needed="Theirs"), clock)
        held, waited = threading.Event(), threading.Event()
        load = reflection_edit.load
        late: list[bool] = []

        def slow(*args: Any) -> Any:
            waited.set()
            late.append(not held.wait(5))
            return load(*args)

        monkeypatch.setattr(reflection_edit, "load", slow)
        # Refused: theirs is read. (A task: the pilot would wait for the read.)
        keys = asyncio.create_task(pilot.press("tab", "tab", *"Mine", "ctrl+s"))
        deadline = time.monotonic() + 20
        while not waited.is_set() and time.monotonic() < deadline:
            await asyncio.sleep(0.01)  # the app's loop runs: the read is not on it
        held.set()
        await keys
        box = form.query_one("#r-support", TextArea)
        both = keep_both("Theirs", "Mine")
        await until(pilot, lambda: box.text == both, "theirs, and what was typed below")
        await until(pilot, lambda: load(db, made.id or 0)[1].support_needed == both,
                    "both saved")
        assert late == [False]  # read on the screen's thread, it held the app for 5 s


# Forms made from what they read: the keys that open them, the store function read, the
# form. The read runs in a thread (the keys typed next wait for it, the app does not).
FORMS = {
    "team picker": (("s",), "mhtui.store.teams.teams", "list_teams", "TeamPicker"),
    "capacity": (("g", "f"), "mhtui.store.grid.grid", "capacity", "CapacityScreen"),
    "shift plan": (("g", "L", "enter"), "mhtui.store.grid.shift_plans", "get_or_create",
                   "ShiftPlanScreen"),
    "schedule": (("c", "S"), "mhtui.store.teams.teams", "get_team", "ScheduleScreen"),
    "reflection": (("r", "enter"), "mhtui.store.reflections.reflection_edit", "load",
                   "ReflectionForm"),
}


@pytest.mark.parametrize("name", list(FORMS))
async def test_a_form_is_read_off_the_screens_thread(
        demo_target: Target, clock: FakeClock, monkeypatch: pytest.MonkeyPatch,
        name: str) -> None:
    keys, module_name, function, form = FORMS[name]
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await background_done(pilot)
        await pilot.press(*keys[:-1])
        await pilot.pause()
        owner: Any = importlib.import_module(module_name)
        *path, function = function.split(".")
        for name_in in path:
            owner = getattr(owner, name_in)
        read = getattr(owner, function)
        held, waited = threading.Event(), threading.Event()
        late: list[bool] = []

        def slow(*args: Any, **kwargs: Any) -> Any:
            if not waited.is_set():
                waited.set()
                late.append(not held.wait(5))
            return read(*args, **kwargs)

        monkeypatch.setattr(owner, function, slow)
        opening = asyncio.create_task(pilot.press(keys[-1]))  # the pilot waits for it
        deadline = time.monotonic() + 20
        while not waited.is_set() and time.monotonic() < deadline:
            await asyncio.sleep(0.01)  # the app's loop runs: the read is not on it
        held.set()
        await opening
        await until(pilot, lambda: type(app.screen).__name__ == form, f"the {name} form")
        assert late == [False]  # read on the screen's thread, it held the app for 5 s


async def test_a_shift_plan_opens_at_its_top_on_a_small_screen(
        demo_target: Target, clock: FakeClock) -> None:
    """Its head (the task, its candidates, the first question) is filled in by the read
    after the first box took the focus; at 80x24 that had scrolled the head out of view."""
    from mhtui.ui.screens.shift_plan import ShiftPlanScreen
    from tests.helpers import screen_lines

    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await background_done(pilot)
        await pilot.press("g", "L", "down", "down", "enter")
        await until(pilot, lambda: isinstance(app.screen, ShiftPlanScreen)
                    and app.screen.loads > 0, "the shift plan read")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "Candidates:" in shown and "Which role or roles will take it on?" in shown
        assert app.focused is not None and app.focused.id == "plan-roles"
