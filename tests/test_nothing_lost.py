"""Nothing typed is lost: drafts and notes are written while typing (at the latest
MAX_WAIT seconds after the first unwritten key), when a field is left and when the app
quits; a bad field never holds back the others; typed text is dropped only after a yes;
a form whose save fails stays open with its text, and no status line says "saved".

Deadlines are read from the app's clock, so these tests move the FakeClock instead of
typing for seconds (the pseudo-terminal tests in test_typing_survives.py type for real).
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from mhtui.core.clock import FakeClock
from mhtui.store.actions import actions
from mhtui.store.checkins import checkins
from mhtui.store.database.dbfile import StorageProblem
from mhtui.store.database.target import Target
from mhtui.store.reflections import reflection_edit
from mhtui.ui.app import MHApp
from mhtui.ui.screens.action_form import ActionForm
from mhtui.ui.screens.agenda_editor import AgendaItemForm
from mhtui.ui.screens.capacity import CapacityScreen
from mhtui.ui.screens.checkin import StartForm
from mhtui.ui.screens.confirm import ConfirmScreen
from mhtui.ui.screens.invite import ScheduleScreen
from mhtui.ui.screens.meeting import MeetingScreen
from mhtui.ui.screens.prompt import PromptScreen
from mhtui.ui.screens.reflection_form import ReflectionForm
from mhtui.ui.screens.tracker import TrackerScreen
from mhtui.ui.widgets.autosave import QUIET
from tests.helpers import WRITTEN_HERE, db_rows, text_of
from tests.test_checkin import start_checkin
from tests.test_reflection import _new_form
from tests.test_tracker import _open_tracker


def _one(target: Target, sql: str) -> tuple[Any, ...]:
    rows = db_rows(target, sql)
    assert rows
    return rows[0]


def _draft(target: Target) -> tuple[Any, ...]:
    return _one(target, "SELECT support_needed, barriers, reflected_on FROM reflection "
                f"WHERE {WRITTEN_HERE}")


def _disk_full(*_: object, **__: object) -> None:
    raise StorageProblem("The disk is full; free some space and try again.")


async def test_steady_typing_is_written_within_two_seconds_of_the_first_key(
    demo_target: Target, clock: FakeClock
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await _new_form(pilot)
        await pilot.press("tab", "tab")  # the support box
        # A key every 0.4 s of the app's clock: never the half second of quiet a plain
        # debounce waits for, so it would write nothing however long the typing goes on.
        for key in "Protected":
            await pilot.press(key)
            await pilot.pause(0.05)
            clock.advance(0.4)
        await pilot.pause(0.05)
        support, _, _ = _draft(demo_target)
        assert "Protected".startswith(support) and len(support) >= len("Protected") - 5
        assert "Draft saved 15:00:" in text_of(app, "#reflection-state")


async def test_leaving_a_field_writes_it_at_once(demo_target: Target, clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await _new_form(pilot)
        await pilot.press("tab", "tab", *"A quiet room", "tab")
        await pilot.pause()  # no half second of quiet: the blur wrote it
        assert _draft(demo_target)[0] == "A quiet room"


async def test_a_shift_plan_is_written_as_it_is_typed(demo_target: Target,
                                                     clock: FakeClock) -> None:
    from tests.test_grid import goto, open_grid

    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(160, 45)) as pilot:
        grid = await open_grid(pilot)
        goto(grid, "Proactive family engagement", "Teacher")
        await pilot.pause()
        await pilot.press("P")
        await pilot.pause()
        await pilot.press(*"Para-professionals")
        await pilot.pause(QUIET + 0.3)  # no ctrl+s: written after the typing stops
        assert _one(demo_target, "SELECT roles FROM shiftplan") == ("Para-professionals",)
        assert text_of(app, "#plan-saved") == "Plan saved 15:00:00"
        await pilot.press("tab", *"Next year", "tab")  # leaving the field writes it
        await pilot.pause()
        assert _one(demo_target, "SELECT \"when\" FROM shiftplan") == ("Next year",)


async def test_a_bad_date_does_not_hold_back_the_rest(demo_target: Target,
                                                      clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await _new_form(pilot)
        stored_on = _draft(demo_target)[2]
        form.query_one("#r-date", Input).value = "2026-02-30"
        form.query_one("#r-barriers", TextArea).focus()
        await pilot.press(*"Lunch duty", "ctrl+s")
        await pilot.pause()
        _, barriers, reflected_on = _draft(demo_target)
        assert (barriers, reflected_on) == ("Lunch duty", stored_on)  # the date kept
        assert "keeps" in text_of(app, "#r-date-error")  # the message by the field
        assert "all but the date" in text_of(app, "#reflection-state")
        # Leaving with the bad date asks; n stays, with everything on screen.
        await pilot.press("escape")
        await pilot.pause()
        asking = app.screen
        assert isinstance(asking, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#r-date", Input).value == "2026-02-30"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert not isinstance(app.screen, ReflectionForm)


async def test_a_draft_that_fails_to_save_never_says_saved(
    demo_target: Target, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await _new_form(pilot)
        monkeypatch.setattr(reflection_edit, "save_draft", _disk_full)
        await pilot.press("tab", "tab", *"Lost?", "ctrl+s")
        await pilot.pause()
        state = text_of(app, "#reflection-state")
        assert state.startswith("Not saved: The disk is full") and "Draft saved" not in state
        await pilot.press("escape")  # leaving asks: the text is not in the database
        await pilot.pause()
        asking = app.screen
        assert isinstance(asking, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form and form.query_one("#r-support", TextArea).text == "Lost?"
        monkeypatch.undo()  # space again: the next key writes everything
        await pilot.press("tab")
        await pilot.pause()
        assert "Draft saved" in text_of(app, "#reflection-state")
    assert _draft(demo_target)[0] == "Lost?"


async def test_esc_on_a_typed_action_form_asks_and_no_keeps_the_text(
    demo_target: Target, clock: FakeClock
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_tracker(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("escape")  # untouched: closes at once
        await pilot.pause()
        assert isinstance(app.screen, TrackerScreen)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Book the east wing", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Discard what you typed?" in text_of(app, "#confirm-question")
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActionForm)
        assert form.query_one("#form-text", TextArea).text == "Book the east wing"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, TrackerScreen)


async def test_an_action_that_fails_to_save_keeps_its_form_open(
    demo_target: Target, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        tracker = await _open_tracker(pilot)
        monkeypatch.setattr(actions, "create", _disk_full)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Book the east wing", "ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActionForm)
        assert form.query_one("#form-text", TextArea).text == "Book the east wing"
        assert text_of(app, "#form-save-error").startswith("Not saved: The disk is full")
        assert "Saved" not in str(tracker.query_one("#tracker-status").render())
        monkeypatch.undo()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TrackerScreen)
        assert "Saved: new action" in text_of(app, "#tracker-status")


FORMS = {  # where to go from the dashboard, the key that opens it, its first field
    "agenda item": ("c", "a", AgendaItemForm, "#item-title", "a"),
    "start check-in": ("c", "", StartForm, "#start-when", "s"),
    "schedule": ("c", "", ScheduleScreen, "#sched-place", "S"),
    "prompt": ("g", "", PromptScreen, "#prompt-input", "A"),
    "capacity": ("g", "", CapacityScreen, "#enrollment", "f"),
}


@pytest.mark.parametrize("form", list(FORMS))
async def test_other_forms_ask_before_dropping_typed_text(
    demo_target: Target, clock: FakeClock, form: str
) -> None:
    place, inner, kind, field, opener = FORMS[form]
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        await pilot.press(place)
        await pilot.pause()
        if inner:
            await pilot.press(inner)  # the agenda template
            await pilot.pause()
        await pilot.press(opener)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, kind)
        await pilot.press("escape")  # untouched: closes at once
        await pilot.pause()
        assert app.screen is not screen and not isinstance(app.screen, ConfirmScreen)
        await pilot.press(opener)
        await pilot.pause()
        screen = app.screen
        screen.query_one(field, Input).focus()
        await pilot.press("end", *"12", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen and screen.query_one(field, Input).value.endswith("12")
        await pilot.press("escape", "y")
        await pilot.pause()
        assert app.screen is not screen and not isinstance(app.screen, ConfirmScreen)


async def test_notes_say_saved_only_when_they_were(
    demo_target: Target, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_checkin(pilot)
        monkeypatch.setattr(checkins, "save_notes", _disk_full)
        await pilot.press("w", *"Room: ask Ms. Ortiz", "escape")  # leaving writes
        await pilot.pause()
        line = text_of(app, "#meeting-notes-state")
        assert line.startswith("Not saved: The disk is full") and "saved 1" not in line
        await pilot.press("n")  # the notes would go with the item: not moved
        await pilot.pause()
        assert "Item 1 of" in text_of(app, "#meeting-title")
        assert "Not moved" in text_of(app, "#meeting-status")
        monkeypatch.undo()
        await pilot.press("w", "escape")
        await pilot.pause()
        assert text_of(app, "#meeting-notes-state").startswith("Notes saved 15:00:00")
        assert isinstance(app.screen, MeetingScreen) and screen.live is not None
    assert _one(demo_target, "SELECT notes FROM meetingitem ORDER BY meeting_id DESC, "
                "position LIMIT 1") == ("Room: ask Ms. Ortiz",)


async def test_quitting_saves_a_complete_action_typed_in_an_open_form(
    demo_target: Target, clock: FakeClock
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_checkin(pilot)
        await pilot.press("n", "n", "a")
        await pilot.pause()
        assert isinstance(app.screen, ActionForm)
        await pilot.press(*"Book the east wing room", "tab", *"John Smith", "ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
    assert _one(demo_target, "SELECT owner FROM action WHERE text = "
                "'Book the east wing room'") == ("John Smith",)


async def test_quitting_with_an_incomplete_form_asks_once(demo_target: Target,
                                                          clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_checkin(pilot)
        await pilot.press("n", "n", "a")
        await pilot.pause()
        await pilot.press(*"Book the east wing room", "ctrl+q")  # no owner: cannot save
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ActionForm)
        assert any("ctrl+q again" in str(n.message) for n in app._notifications)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_palette_quit_writes_what_was_typed(demo_target: Target,
                                                  clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await _new_form(pilot)
        await pilot.press("tab", "tab", *"Typed just now")
        commands = list(app.get_system_commands(app.screen))
        quit_command = next(c for c in commands if c.title == "app: quit")
        await _run(pilot, quit_command.callback)
    assert app.return_code == 0
    assert _draft(demo_target)[0] == "Typed just now"


async def _run(pilot: Pilot[Any], callback: Any) -> None:
    pilot.app.call_later(callback)  # as the palette runs a chosen command
    await pilot.pause()


async def test_quitting_asks_again_once_the_answer_is_old(demo_target: Target, clock: FakeClock,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """ctrl+q with something unsaved asks; a second ctrl+q soon after leaves. Much later
    (the person stayed and worked on) the question is asked again, not skipped."""
    from mhtui.ui import leaving

    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("n", *"Book the east wing room")
        monkeypatch.setattr("mhtui.ui.screens.action_form.ActionForm.flush", _fails)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running
        clock.advance(leaving.QUIT_AGAIN_WITHIN + 1)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running  # asked again
        assert sum("ctrl+q again" in str(n.message) for n in app._notifications) == 2
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


def _fails(self: object) -> None:
    from mhtui.store.database.dbfile import StorageProblem

    raise StorageProblem("Not saved: the disk is full.")
