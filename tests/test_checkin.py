"""The check-in, driven by a fake clock: keys, warning and overrun, crash and resume,
notes, quick actions, the agenda editor, the end and the minutes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import col, select
from textual.pilot import Pilot
from textual.widgets import DataTable, TextArea

from mhtui.cli import main
from mhtui.core.agenda_clock import AgendaClock, ItemClock
from mhtui.core.clock import FakeClock
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target
from mhtui.store.models import Action, ActionEvent, Meeting, MeetingItem
from mhtui.ui.app import MHApp
from mhtui.ui.screens.action_form import ActionForm
from mhtui.ui.screens.agenda_editor import AgendaEditor, AgendaItemForm
from mhtui.ui.screens.meeting import MeetingScreen
from mhtui.ui.screens.minutes import MinutesScreen
from mhtui.ui.widgets.big_text import BigText
from tests.helpers import db_arg, table_rows, text_of, until


def digits(app: MHApp) -> str:
    return app.screen.query_one("#meeting-digits", BigText).text


async def tick(pilot: Pilot[Any]) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, MeetingScreen)
    screen.tick()
    await pilot.pause()


async def start_checkin(pilot: Pilot[Any]) -> MeetingScreen:
    await pilot.pause()
    await pilot.press("c")
    await pilot.pause()
    await pilot.press("s")
    await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, MeetingScreen)
    return screen


def _meeting(db: Database) -> tuple[Meeting, list[MeetingItem]]:
    with db.read() as session:
        meeting = session.exec(select(Meeting).order_by(col(Meeting.id).desc())).first()
        assert meeting is not None
        items = list(session.exec(select(MeetingItem).where(MeetingItem.meeting_id == meeting.id)
                                  .order_by(col(MeetingItem.position))))
    return meeting, items


async def test_start_run_next_previous_and_adjust(demo_target: Target, clock: FakeClock,
                                                  open_db: Callable[[Target], Database]) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_checkin(pilot)
        assert digits(app) == "15:00"
        assert "PAUSED" in text_of(app, "#meeting-state")
        assert "Item 1 of 3: Review actions" in text_of(app, "#meeting-title")
        await pilot.press("space")
        clock.advance(600)
        await tick(pilot)
        assert digits(app) == "5:00" and "RUNNING" in text_of(app, "#meeting-state")
        await pilot.press("n")  # next, still running
        clock.advance(90)
        await tick(pilot)
        assert digits(app) == "28:30" and "Item 2 of 3" in text_of(app, "#meeting-title")
        await pilot.press("space")  # pause
        clock.advance(3600)  # paused time does not count
        await tick(pilot)
        assert digits(app) == "28:30"
        await pilot.press("left")  # previous
        await pilot.press("plus", "plus", "minus")  # one more minute for item 1
        await tick(pilot)
        assert digits(app) == "6:00"
        strip = text_of(app, "#meeting-strip")
        assert "10:00/16:00" in strip and "1:30/30:00" in strip
        assert "Meeting: 11:30 of 60:00" in text_of(app, "#meeting-elapsed")
    meeting, items = _meeting(open_db(demo_target))
    assert meeting.state == "running" and meeting.current_position == 0
    assert meeting.running_since is None
    assert [i.spent_seconds for i in items] == [600, 90, 0]
    assert items[0].planned_seconds == 16 * 60


async def test_warning_then_overrun_in_words(demo_target: Target, clock: FakeClock,
                                             open_db: Callable[[Target], Database]) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_checkin(pilot)
        await pilot.press("b")  # bell on
        await pilot.press("space")
        clock.advance(14 * 60)
        await tick(pilot)
        assert "⚠ 1:00 left" in text_of(app, "#meeting-warning")  # 5 min by default
        assert app.screen.query_one("#meeting-digits").has_class("-warn")
        clock.advance(60 + 83)
        await tick(pilot)
        assert digits(app) == "+1:23"
        assert "OVER TIME · 1:23 over the 15:00 planned" in text_of(app, "#meeting-state")
        assert "+1:23 over" in text_of(app, "#meeting-strip")
        assert app.screen.query_one("#meeting-digits").has_class("-over")
    meeting, _ = _meeting(open_db(demo_target))
    assert meeting.bell is True


async def test_killed_mid_item_resumes_running_with_the_time_away(
    demo_target: Target, clock: FakeClock
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_checkin(pilot)
        await pilot.press("space")
        clock.advance(300)
        await pilot.press("n")
        clock.advance(45)
        await tick(pilot)
    # The process dies here: nothing else is written. Time passes before the restart.
    clock.advance(120)
    again = MHApp(demo_target, clock=clock)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(again.screen, MeetingScreen)
        await tick(pilot)
        assert "Item 2 of 3" in text_of(again, "#meeting-title")
        assert digits(again) == "27:15"  # 30:00 - (45 s + 120 s away)
        assert "RUNNING" in text_of(again, "#meeting-state")


async def test_paused_meeting_resumes_paused(demo_target: Target, clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_checkin(pilot)
        await pilot.press("space")
        clock.advance(200)
        await pilot.press("space")
    clock.advance(999)
    again = MHApp(demo_target, clock=clock)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(again.screen, MeetingScreen)
        await tick(pilot)
        assert digits(again) == "11:40" and "PAUSED" in text_of(again, "#meeting-state")


async def test_notes_are_saved_as_typed(demo_target: Target, clock: FakeClock,
                                        open_db: Callable[[Target], Database]) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_checkin(pilot)
        await pilot.press("w", *"Room: ask Ms. Ortiz", "enter", *"n + p are text here")
        db = open_db(demo_target)
        typed = "Room: ask Ms. Ortiz\nn + p are text here"
        # The notes are written after a short quiet spell, not at each key.
        await until(pilot, lambda: _meeting(db)[1][0].notes == typed, "the notes written")
        _, items = _meeting(db)
        assert items[0].notes == "Room: ask Ms. Ortiz\nn + p are text here"
        assert "Item 1 of 3" in text_of(app, "#meeting-title")  # n and p did not move
        await pilot.press("escape", "n", "w", *"Barrier notes")
    # Leaving the app flushes notes typed moments before.
    _, items = _meeting(open_db(demo_target))
    assert items[1].notes == "Barrier notes"


async def test_review_item_changes_statuses_with_number_keys(
    demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database]
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_checkin(pilot)
        assert "Since last check-in: 2 new," in text_of(app, "#review-since")
        first_row = table_rows(app, "#review-table")[0]
        assert "overdue by 12 days" in first_row[3]  # overdue first
        await pilot.press("5")
        await pilot.pause()
        assert "is now ✔ completed" in text_of(app, "#meeting-status")
    meeting, _ = _meeting(open_db(demo_target))
    with open_db(demo_target).read() as session:
        event = session.exec(select(ActionEvent).where(ActionEvent.meeting_id == meeting.id)).one()
    assert event.new_value == "completed"


async def test_plans_item_adds_actions_that_need_an_owner(
    demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database]
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_checkin(pilot)
        await pilot.press("a")  # not the plans item yet: nothing happens
        assert isinstance(app.screen, MeetingScreen)
        await pilot.press("n", "n", "a")
        await pilot.pause()
        assert isinstance(app.screen, ActionForm)
        await pilot.press(*"Book the east wing room", "ctrl+s")
        await pilot.pause()
        assert "need an owner" in text_of(app, "#form-owner-error")
        await pilot.press("tab", *"John Smith", "tab", *"+1w", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert "Book the east wing room" in text_of(app, "#plans-panel-text")
    meeting, _ = _meeting(open_db(demo_target))
    with open_db(demo_target).read() as session:
        action = session.exec(select(Action).where(Action.text == "Book the east wing room")).one()
    assert action.meeting_id == meeting.id and action.owner == "John Smith"


async def test_template_editor_add_move_delete_and_warning(
    demo_target: Target, clock: FakeClock
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("c", "a")
        await pilot.pause()
        assert isinstance(app.screen, AgendaEditor)
        assert text_of(app, "#agenda-warning") == ""
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AgendaItemForm)
        await pilot.press(*"Celebrate wins", "tab", "ctrl+a", "ctrl+k", *"ten", "ctrl+s")
        await pilot.pause()
        assert "not a whole number" in text_of(app, "#item-error")
        await pilot.press("ctrl+a", "ctrl+k", *"10", "tab", *"What went well?", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AgendaEditor)
        warning = text_of(app, "#agenda-warning")
        assert "add up to 70 minutes, 10 more than the 60-minute meeting" in warning
        editor = app.screen
        editor.query_one("#agenda-table", DataTable).move_cursor(row=3)
        await pilot.press("K", "K", "K")
        await pilot.pause()
        assert editor.items[0].title == "Celebrate wins"
        await pilot.press("m", "end", "backspace", "backspace", *"75", "enter")
        await pilot.pause()
        assert text_of(app, "#agenda-warning") == ""
        await pilot.press("delete", "y")
        await pilot.pause()
        assert editor.items[0].title.startswith("Review actions")
        await pilot.press("escape")
        await pilot.pause()
        assert "Total 60 of 75 min" in text_of(app, "#agenda")


async def test_end_shows_minutes_and_export_matches(demo_target: Target, clock: FakeClock,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_checkin(pilot)
        await pilot.press("space")
        clock.advance(17 * 60)
        await pilot.press("5", "w", *"Decided to ask the principal.", "escape", "n")
        clock.advance(10 * 60)
        await pilot.press("n", "a", *"Move lunch duty", "tab", *"Ana", "ctrl+s")
        await pilot.pause()
        await pilot.press("e", "y")
        await pilot.pause()
        assert isinstance(app.screen, MinutesScreen)
        shown = app.screen.text
    assert "| 1. Review actions from the last check-in | 15:00 | 17:00 | +2:00 over |" in shown
    assert "| 2. Discuss barriers to using staff training | 30:00 | 10:00 | on time |" in shown
    assert "Decided to ask the principal." in shown
    assert "Move lunch duty (Ana; not started)" in shown
    assert "blocked or behind schedule → completed" in shown
    reviewed = shown.split("## Actions reviewed")[1].split("##")[0]
    assert ("| 2 | Find a private room for counseling sessions in the east wing | John Smith "
            "| blocked or behind schedule | completed |") in reviewed
    carried = shown.split("## Open actions carried into the next check-in")[1]
    assert "Move lunch duty (Ana" in carried and "Find a private room" not in carried
    assert main(["--db", db_arg(demo_target), "export", "meeting", "latest"]) == 0
    assert capsys.readouterr().out == shown
    assert main(["--db", db_arg(demo_target), "meetings", "list"]) == 0
    listed = capsys.readouterr().out
    assert "ended" in listed and "27:00" in listed  # 17 + 10 minutes held


def test_minutes_of_a_missing_meeting(demo_target: Target,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db_arg(demo_target), "export", "meeting", "99"]) == 1
    assert "No check-in #99" in capsys.readouterr().err


@given(st.lists(st.tuples(st.sampled_from(["toggle", "next", "prev", "wait"]),
                          st.integers(min_value=0, max_value=5000)), max_size=60))
def test_clock_never_drifts(steps: list[tuple[str, int]]) -> None:
    """Against a plain model: spent time is exactly the running seconds on each item."""
    clock = FakeClock()
    agenda = AgendaClock([ItemClock(900), ItemClock(1800), ItemClock(900)])
    expected = [0.0, 0.0, 0.0]
    running, current = False, 0
    for op, amount in steps:
        now = clock.now()
        if op == "toggle":
            agenda.toggle(now)
            running = not running
        elif op == "next":
            current = min(current + 1, 2) if agenda.go_to(current + 1, now) else current
        elif op == "prev":
            current = max(current - 1, 0) if agenda.go_to(current - 1, now) else current
        else:
            clock.advance(amount)
            if running:
                expected[current] += amount
    now = clock.now()
    assert [agenda.spent(i, now) for i in range(3)] == expected
    assert agenda.current == current and agenda.running == running
    assert agenda.elapsed(now) == sum(expected)


async def test_notes_reopen_with_the_cursor_after_what_is_there(demo_target: Target,
                                                                clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_checkin(pilot)
        await pilot.press("w", *"First thought.", "escape", "n", "p", "w", *" Second.",
                          "escape")
        await pilot.pause()
        notes = app.screen.query_one("#meeting-notes", TextArea).text
    assert notes == "First thought. Second."


async def test_the_hub_pages_through_many_check_ins_and_opens_the_oldest(
    demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database]
) -> None:
    """The hub's list of check-ins is read a page at a time: with 250 held, End reaches
    the oldest, whose line shows its planned and actual time summed by the database, and
    Enter opens its minutes."""
    from datetime import timedelta

    from mhtui.store.checkins import checkins

    db = open_db(demo_target)
    first = clock.now() - timedelta(days=7 * 400)
    with db.write() as session:
        for n in range(250):
            at = first + timedelta(days=7 * n)
            meeting = Meeting(team_id=1, scheduled_at=at, state="ended", started_at=at,
                              ended_at=at + timedelta(minutes=61))
            session.add(meeting)
            session.flush()
            assert meeting.id is not None
            for position, (planned, spent) in enumerate(((900, 960), (1800, 1700))):
                session.add(MeetingItem(meeting_id=meeting.id, position=position,
                                        title=f"Item {position}", planned_seconds=planned,
                                        spent_seconds=spent, questions=""))
    oldest_id = checkins.summaries(db, 1, clock.now())[-1].meeting.id
    assert checkins.summary_count(db, 1) == 252  # the demo's two and these
    assert checkins.summary_page(db, 1, clock.now(), 251, 10)[0].meeting.id == oldest_id

    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()
        rows = table_rows(app, "#meetings-table")
        assert len(rows) == 252
        assert rows[-1][1:] == ["ended", "45:00", "44:20", "on time"]
        assert long_date_of(first) == rows[-1][0]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MinutesScreen)
        assert app.screen.meeting_id == oldest_id


def long_date_of(moment: Any) -> str:
    from mhtui.core.wording import long_date

    return long_date(moment.astimezone().date())
