"""The grid, roster, reflections, agenda, invitation and shift plans read the store in a
worker (MHScreen.read) and draw what it read (show): while a read is held up (a busy
disk, a distant server), keys act, and the screen is drawn when the read lands."""

from __future__ import annotations

import importlib
import threading
from typing import Any

import pytest

from mhtui.core.clock import FakeClock
from mhtui.store.database.target import Target
from mhtui.ui.app import MHApp
from mhtui.ui.screens.base import MHScreen
from mhtui.ui.screens.help import HelpScreen
from tests.helpers import background_done, loaded, until

# The keys from the dashboard to the screen, and the store function its read calls.
SCREENS = {
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
        module = importlib.import_module(module_name)
        read = getattr(module, function)
        late: list[bool] = []  # the read waited out its time: the test never let it go

        def slow(*args: Any, **kwargs: Any) -> Any:
            waited.set()
            late.append(not held.wait(5))
            return read(*args, **kwargs)

        monkeypatch.setattr(module, function, slow)
        shown = screen.loads
        screen.refresh_from_store()
        await until(pilot, waited.is_set, "the read to begin")
        await pilot.press("f1")  # help, at once, while the read is held
        assert isinstance(app.screen, HelpScreen) and not held.is_set()
        held.set()
        await loaded(pilot, screen, shown)
        assert late == [False]  # on the screen's thread, it held every key for 5 s
