"""Issue 24 §5, "the right row, the right field": a status key changes the row the
cursor shows, a key after Esc acts where Esc left it, no field opens with its text
selected, quitting asks about a running check-in clock from any screen, and a form's
save state stays in view."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from mhtui.core.clock import FakeClock
from mhtui.store.database.target import Target
from mhtui.ui.app import MHApp
from mhtui.ui.screens.reflection_form import ReflectionForm
from mhtui.ui.widgets.fields import Input
from mhtui.ui.widgets.line_table import LineTable
from mhtui.ui.widgets.meeting_panels import ReviewPanel
from tests.helpers import WRITTEN_HERE, db_rows, table_rows, text_of
from tests.test_checkin import start_checkin
from tests.test_reflection_form import _new_form


async def test_back_to_the_review_the_table_has_the_keys_again(
        demo_target: Target, clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_checkin(pilot)
        rows = table_rows(app, "#review-table")
        second = screen.query_one(ReviewPanel).rows[1].id
        before = dict(db_rows(demo_target, "SELECT id, status FROM action"))
        await pilot.press("n", "p")  # to the barriers item and back
        await pilot.pause()
        assert "Item 1 of 3" in text_of(app, "#meeting-title")
        table = app.screen.query_one("#review-table", LineTable)
        assert app.focused is table
        await pilot.press("down", "4")
        await pilot.pause()
        assert table_rows(app, "#review-table")[1][1] == "⊘ abandoned"
        assert table_rows(app, "#review-table")[0] == rows[0]  # the first is as it was
        assert "is now ⊘ abandoned" in text_of(app, "#meeting-status")
    after = dict(db_rows(demo_target, "SELECT id, status FROM action"))
    assert {i: s for i, s in after.items() if before[i] != s} == {second: "abandoned"}


async def test_a_status_key_with_no_row_under_the_cursor_changes_nothing(
        demo_target: Target, clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_checkin(pilot)
        before = db_rows(demo_target, "SELECT id, status FROM action ORDER BY id")
        app.screen.set_focus(None)  # the list shows no cursor of its own now
        await pilot.pause()
        await pilot.press("4")
        await pilot.pause()
        assert "Nothing changed: no action selected" in text_of(app, "#meeting-status")
    assert db_rows(demo_target, "SELECT id, status FROM action ORDER BY id") == before


def _parsed(data: str) -> list[tuple[str, str | None]]:
    """The keys Textual's terminal parser reads from ``data`` (its ESC delay run out)."""
    from textual import events
    from textual._xterm_parser import XTermParser

    from mhtui.ui.escape_keys import read_esc_then_key

    read_esc_then_key()
    parser = XTermParser()
    got = [*parser.feed(data), *parser.feed("")]  # "" is the end of input
    return [(e.key, e.character) for e in got if isinstance(e, events.Key)]


def test_the_terminal_bytes_of_esc_then_a_digit_read_as_esc_then_the_digit() -> None:
    """Textual's private table of sequences, changed by mhtui/ui/escape_keys.py: this
    fails the day a Textual release changes how it is read."""
    assert _parsed("\x1b4") == [("escape", None), ("4", "4")]
    assert _parsed("\x1b4\x1b[B5") == [("escape", None), ("4", "4"), ("down", None),
                                       ("5", "5")]
    assert _parsed("\x1b") == [("escape", "\x1b")]
    assert "≠" not in [char for _, char in _parsed("\x1b=")]  # alt+=: Esc then = (below)


def test_alt_and_a_printable_key_is_esc_then_the_key() -> None:
    from textual import events

    from mhtui.ui.escape_keys import esc_then

    keys = esc_then(events.Key("alt+y", "y"))
    assert keys is not None
    assert [(k.key, k.character) for k in keys] == [("escape", "\x1b"), ("y", "y")]
    upper = esc_then(events.Key("alt+shift+a", "A"))
    assert upper is not None and upper[1].key == "A"
    assert esc_then(events.Key("alt+backspace", "\x7f")) is None
    assert esc_then(events.Key("ctrl+y", None)) is None


# --- no field opens with its text selected; Tab stops at the last cell --------------------


def _newest_reflection(target: Target) -> tuple[object, ...]:
    rows = db_rows(target, "SELECT id, reflected_on, author_name, role_name FROM reflection "
                           f"WHERE {WRITTEN_HERE}")
    return rows[0]


async def test_a_reopened_draft_keeps_its_name_when_a_key_is_typed(
        demo_target: Target, clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await _new_form(pilot)
        await pilot.press(*"Ana Ruiz", "escape")  # saved on leaving
        await pilot.pause()
        reflection_id = _newest_reflection(demo_target)[0]
        assert isinstance(reflection_id, int)
        await app.push_screen(ReflectionForm(reflection_id))
        await pilot.pause()
        name = app.screen.query_one("#r-name", Input)
        assert app.focused is name and name.selected_text == ""
        await pilot.press("x", "ctrl+s")
        await pilot.pause()
        assert name.value == "Ana Ruizx"
    assert _newest_reflection(demo_target)[2] == "Ana Ruizx"


async def test_tab_at_the_last_cell_stays_there(demo_target: Target, clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _new_form(pilot)
        await pilot.press(*"Ana Ruiz", "tab", *"Counselor")
        await pilot.pause()
        last = form.query(".alloc-actions").results(Input)
        cell = list(last)[-1]
        cell.focus()
        await pilot.pause()
        await pilot.press("tab", "tab", *"ok")
        await pilot.pause()
        assert app.focused is cell and cell.value == "ok"
        assert form.query_one("#r-name", Input).value == "Ana Ruiz"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert _newest_reflection(demo_target)[2:] == ("Ana Ruiz", "Counselor")


def test_every_text_field_is_made_from_mhtuis_own_input() -> None:
    """Textual's Input selects its text on focus; mhtui's (widgets/fields.py) does not.
    No screen makes Textual's own."""
    import re
    from pathlib import Path

    ui = Path(__file__).resolve().parent.parent / "mhtui" / "ui"
    makers = []
    for source in ui.rglob("*.py"):
        if source.name == "fields.py":
            continue  # the one place it is made from
        text = source.read_text(encoding="utf-8")
        textual_input = re.search(r"^from textual\.widgets import [^\n]*\bInput\b", text, re.M)
        if textual_input and re.search(r"\bInput\(", text):
            makers.append(source.name)
    assert makers == []


# --- quitting from any screen asks about a running check-in clock ------------------------


async def _running_then_dashboard(pilot: Pilot[None], clock: FakeClock) -> None:
    await start_checkin(pilot)
    await pilot.press("space")  # the clock runs
    clock.advance(120)
    await pilot.press("escape", "escape")  # to the hub, then the dashboard
    await pilot.pause()
    assert len(pilot.app.screen_stack) == 1


def _clock_state(target: Target) -> list[tuple[object, ...]]:
    return db_rows(target, "SELECT running_since IS NULL, seen_at IS NULL FROM meeting "
                           "ORDER BY id DESC LIMIT 1")


async def test_ctrl_q_on_the_dashboard_asks_about_the_running_clock(
        demo_target: Target, clock: FakeClock) -> None:
    from mhtui.ui.screens.meeting_dialogs import ChoiceScreen

    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await _running_then_dashboard(pilot, clock)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen) and app.is_running
        assert "The check-in's clock is running." in text_of(app, "#choice-question")
        await pilot.press("n")  # stay
        await pilot.pause()
        assert app.is_running and len(app.screen_stack) == 1
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("p")  # pause it, and quit
        await pilot.pause()
    assert app.return_code == 0
    assert _clock_state(demo_target)[0][0] == 1  # paused


async def test_the_palettes_quit_asks_too_and_keep_running_notes_when(
        demo_target: Target, clock: FakeClock) -> None:
    from mhtui.ui.screens.meeting_dialogs import ChoiceScreen

    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await _running_then_dashboard(pilot, clock)
        await app.action_quit()  # what the palette's "app: quit" runs
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen) and app.is_running
        await pilot.press("k")  # keep it running, and quit
        await pilot.pause()
    assert app.return_code == 0
    assert _clock_state(demo_target) == [(0, 0)]  # still running, and when it was seen


# --- the reflection form's save state stays in view ----------------------------------------


async def test_at_80x24_a_failed_save_is_in_view_at_the_last_cell_and_in_a_notice(
        demo_target: Target, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    from mhtui.store.database.dbfile import StorageProblem
    from mhtui.store.reflections import reflection_edit
    from tests.helpers import screen_lines

    def disk_full(*_: object, **__: object) -> None:
        raise StorageProblem("The disk is full; free some space and try again.")

    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _new_form(pilot)
        cell = list(form.query(".alloc-actions").results(Input))[-1]
        cell.focus()  # the last cell: the form scrolled to its bottom
        await pilot.pause()
        assert form.query_one("#reflection-body").scroll_y > 0
        monkeypatch.setattr(reflection_edit, "save_draft", disk_full)
        await pilot.press(*"Ask for a room", "ctrl+s", "x")
        await pilot.pause()
        assert any(line.strip().startswith("Not saved: The disk is full")
                   for line in screen_lines(app))
        errors = [n for n in app._notifications if n.severity == "error"]
        assert [n.title for n in errors] == ["Not saved"]  # once, not at every retry
        assert "The disk is full" in errors[0].message
        monkeypatch.undo()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any(line.strip().startswith("Draft saved") for line in screen_lines(app))


async def test_an_alt_key_is_esc_then_the_key_unless_a_keymap_binds_it(
        demo_target: Target, clock: FakeClock) -> None:
    from textual import events

    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("t")  # the tracker
        await pilot.pause()
        await pilot.press("slash", *"duty")
        await pilot.pause()
        box = app.screen.query_one("#tracker-filter", Input)
        app.post_message(events.Key("alt+f", "f"))  # as the terminal's ESC f is read
        await pilot.pause()
        await pilot.pause()
        assert box.value == "" and not box.has_focus  # Esc closed the filter
        app.set_keymap({"app.help": "alt+h"})
        app.post_message(events.Key("alt+h", "h"))
        await pilot.pause()
        await pilot.pause()
        from mhtui.ui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
