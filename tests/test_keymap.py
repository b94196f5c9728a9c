"""Keys from one source: every binding has an id, the settings file's keymap moves a key
by its id, F1 help shows the key where it now is, and a broken entry is said and left
out without stopping anything."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual.binding import Binding
from textual.dom import DOMNode

from mhtui import settings
from mhtui.core.clock import FakeClock
from mhtui.core.statuses import Status
from mhtui.store.database.target import Target
from mhtui.ui import keymap
from mhtui.ui.app import MHApp
from mhtui.ui.screens.help import HelpScreen, key_words
from mhtui.ui.screens.tracker import TrackerScreen
from tests.helpers import table_rows

LUNCH = "Take the social workers off lunch duty"


def test_every_binding_has_an_id_of_its_own() -> None:
    where: dict[str, str] = {}
    for cls, binding in keymap.declared(MHApp):
        assert binding.id, f"{cls.__name__}: the {binding.key!r} binding has no id"
        assert where.setdefault(binding.id, cls.__name__) == cls.__name__, binding.id
    assert {"tracker.status_2", "screen.back", "dialog.cancel", "app.help"} <= set(where)


@pytest.mark.parametrize(("keys", "ok"), [
    ("i", True), ("?", True), ("question_mark", True), ("f5", True), ("ctrl+shift+up", True),
    ("a,b", True), ("ctrl+", False), ("", False), ("x2", False), ("cmd+a", False),
    (5, False),
])
def test_what_counts_as_a_key(keys: Any, ok: bool) -> None:
    good, problems = keymap.parse({"tracker.new": keys})
    assert (good == {"tracker.new": keys}) is ok
    assert len(problems) == (0 if ok else 1)


def test_a_keymap_that_is_not_a_table_is_one_problem() -> None:
    assert keymap.parse(["tracker.new", "i"]) == ({}, ["not a table of binding ids to keys"])


@pytest.mark.parametrize(("display", "words"), [
    ("^s", "Ctrl+s"), ("esc", "Esc"), ("f5", "F5"), ("⏎", "Enter"), ("space", "Space"),
    ("del", "Delete"), ("[", "["), ("+", "+"), ("shift+^x", "Ctrl+Shift+x"), ("K", "K"),
])
def test_help_spells_out_the_footers_short_key_names(display: str, words: str) -> None:
    assert key_words(display) == words


def _status_of_lunch(app: Any) -> str:
    row = next(r for r in table_rows(app) if r[2].startswith(LUNCH[:20]))
    return row[3]


async def _tracker_on_lunch(pilot: Any) -> TrackerScreen:
    await pilot.pause()
    await pilot.press("t")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, TrackerScreen)
    rows = table_rows(pilot.app)
    screen.table.move_cursor(row=next(i for i, r in enumerate(rows)
                                      if r[2].startswith(LUNCH[:20])))
    await pilot.pause()
    return screen


def _keymap_lines(app: MHApp) -> list[str]:
    return [str(n.message) for n in app._notifications if n.title == "Keymap"]


async def test_a_keymap_moves_the_trackers_status_key(demo_target: Target,
                                                     clock: FakeClock) -> None:
    settings.save(keymap={"tracker.status_2": "i"})
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(200, 50)) as pilot:
        await _tracker_on_lunch(pilot)
        await pilot.press("3")
        await pilot.pause()
        assert Status.BLOCKED.value in _status_of_lunch(app)
        await pilot.press("2")  # no longer a status key
        await pilot.pause()
        assert Status.BLOCKED.value in _status_of_lunch(app)
        await pilot.press("i")
        await pilot.pause()
        assert Status.IN_PROGRESS.value in _status_of_lunch(app)

        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = {label: key.strip() for key, label in app.screen.keys}
        assert keys["Status: in progress"] == "i"
        assert keys["Status: blocked or behind schedule"] == "3"
        assert "2" not in keys.values()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _keymap_lines(app) == []


async def test_a_broken_keymap_entry_is_said_in_one_line_and_left_out(
        demo_target: Target, clock: FakeClock) -> None:
    settings.save(keymap={"tracker.stauts_2": "i", "tracker.new": "ctrl+",
                          "tracker.status_3": "b"})
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(200, 50)) as pilot:
        await _tracker_on_lunch(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        said = _keymap_lines(app)
        assert len(said) == 1 and "\n" not in said[0], said
        assert "'tracker.stauts_2' is no key binding's id" in said[0]
        assert "'tracker.new': 'ctrl+' is not a key" in said[0]
        assert "status_3" not in said[0]
        # The good entry works; the keys of the broken ones are as they were.
        await pilot.press("b")
        await pilot.pause()
        assert Status.BLOCKED.value in _status_of_lunch(app)
        await pilot.press("2")
        await pilot.pause()
        assert Status.IN_PROGRESS.value in _status_of_lunch(app)
        await pilot.press("n")
        await pilot.pause()
        assert type(app.screen).__name__ == "ActionForm"


async def test_ids_that_cannot_be_checked_never_stop_the_app(
        demo_target: Target, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    def unreadable() -> Iterator[tuple[type[DOMNode], Binding]]:
        raise ImportError("a screen module could not be read")

    monkeypatch.setattr(keymap, "declared", unreadable)
    settings.save(keymap={"tracker.status_3": "b"})
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(200, 50)) as pilot:
        await _tracker_on_lunch(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and _keymap_lines(app) == []
        await pilot.press("b")
        await pilot.pause()
        assert Status.BLOCKED.value in _status_of_lunch(app)


async def test_a_keymap_moves_a_list_s_cursor_key(demo_target: Target,
                                                  clock: FakeClock) -> None:
    """The lists' own keys (LineTable's) have ids too, so they can be moved."""
    settings.save(keymap={"table.cursor_down": "j"})
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await _tracker_on_lunch(pilot)
        row = screen.table.cursor_row
        await pilot.press("j")
        await pilot.pause()
        assert screen.table.cursor_row == row + 1
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _keymap_lines(app) == []
