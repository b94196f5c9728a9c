"""The check-in in the room (issue 15, parts 1 and 3): a clock the back row can read, its
words, the warning and bell kept per team, the focus view, the 80x24 review, and a clock
that cannot go wrong quietly (time away, quitting, time corrected by hand)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import col, select
from textual.pilot import Pilot

from mhtui.core.agenda_clock import warn_seconds
from mhtui.core.big_font import draw
from mhtui.core.clock import FakeClock
from mhtui.core.questionable import due_doubt, schedule_doubts
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target
from mhtui.store.models import Action, Meeting, MeetingItem, Team
from mhtui.ui.app import MHApp
from mhtui.ui.screens.action_form import ActionForm
from mhtui.ui.screens.agenda_editor import AgendaEditor, AgendaItemForm
from mhtui.ui.screens.confirm import ConfirmScreen
from mhtui.ui.screens.meeting import MeetingScreen
from mhtui.ui.screens.meeting_dialogs import ChoiceScreen, ValueForm, parse_duration
from mhtui.ui.widgets.big_text import BigText
from tests.helpers import screen_lines, table_rows, text_of
from tests.test_checkin import start_checkin as start


async def tick(pilot: Pilot[Any]) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, MeetingScreen)
    screen.tick()
    await pilot.pause()


def block_rows(app: MHApp, widget_id: str) -> int:
    """How many screen rows the widget fills with solid blocks."""
    widget = app.screen.query_one(widget_id, BigText)
    region = widget.region
    lines = screen_lines(app)[region.y:region.y + region.height]
    return sum(1 for line in lines if "█" in line[region.x:region.right])


def _meeting(db: Database) -> tuple[Meeting, list[MeetingItem]]:
    with db.read() as session:
        meeting = session.exec(select(Meeting).order_by(col(Meeting.id).desc())).first()
        assert meeting is not None
        items = list(session.exec(select(MeetingItem).where(MeetingItem.meeting_id == meeting.id)
                                  .order_by(col(MeetingItem.position))))
    return meeting, items


# --- 1. a clock the back row can read -------------------------------------------------


async def test_clock_fills_a_third_of_the_projector_and_follows_a_resize(
    demo_target: Target, clock: FakeClock
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot)
        assert block_rows(app, "#meeting-digits") >= 5
        assert screen.query_one("#meeting-digits", BigText).text == "15:00"
        narrow = table_rows(app, "#review-table")[0][0]
        await pilot.resize_terminal(200, 50)  # the projector is plugged in mid-meeting
        await pilot.pause()
        await pilot.pause()
        assert block_rows(app, "#meeting-digits") >= 16
        wide = table_rows(app, "#review-table")[0][0]
        assert len(wide) > len(narrow)  # the action column widened with the screen
        assert "Find a private room for counseling sessions in the east wing" in wide


async def test_running_paused_and_over_time_in_large_words(demo_target: Target,
                                                           clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await start(pilot)
        words = screen.query_one("#meeting-words", BigText)
        assert words.text == "PAUSED" and block_rows(app, "#meeting-words") == 5
        await pilot.press("space")
        await tick(pilot)
        assert words.text == "RUNNING"
        clock.advance(15 * 60 + 192)
        await tick(pilot)
        assert words.text == "OVER TIME +3:12"
        assert words.has_class("-over")  # red too, but never red alone
        assert screen.query_one("#meeting-digits", BigText).text == "+3:12"
        assert block_rows(app, "#meeting-words") == 5


def test_big_font_fills_the_height_and_keeps_to_the_width() -> None:
    drawn = draw("+13:12", 200, 16)
    assert drawn is not None and drawn.height == 16 and drawn.width <= 200
    assert set("".join(drawn.lines)) <= {"█", " "}
    assert draw("12:00", 3, 5) is None  # too narrow: the widget falls back to plain text
    assert draw("é", 50, 5) is None


@given(st.text(alphabet="0123456789:+- ", min_size=1, max_size=8),
       st.integers(min_value=1, max_value=300), st.integers(min_value=5, max_value=60))
def test_big_font_never_overflows(text: str, width: int, height: int) -> None:
    drawn = draw(text, width, height)
    if drawn is not None:
        assert drawn.height == height and drawn.width <= width


async def test_focus_view_shows_only_the_clock_title_and_questions(
    demo_target: Target, clock: FakeClock
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await start(pilot)
        await pilot.press("f")
        await pilot.pause()
        assert not screen.query_one("#meeting-body").display
        assert not screen.query_one("#meeting-strip").display
        assert block_rows(app, "#meeting-digits") >= 20
        assert block_rows(app, "#meeting-big-title") == 5  # the title in blocks too
        shown = "\n".join(screen_lines(app))
        assert "What is behind schedule, and what would it take to catch up?" in shown
        await pilot.press("space", "n")  # the clock keys still work on the wall
        await tick(pilot)
        assert screen.query_one("#meeting-big-title", BigText).text.startswith("Discuss")
        await pilot.resize_terminal(80, 24)  # the projector unplugged: the title in words
        await pilot.pause()
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "Discuss barriers to using staff training" in shown
        assert "What would help you serve students better this term?" in shown
        await pilot.resize_terminal(200, 50)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert screen.query_one("#meeting-body").display
        assert isinstance(app.screen, MeetingScreen)


def test_default_warning_rule() -> None:
    assert warn_seconds(15 * 60, None) == 300
    assert warn_seconds(9 * 60, None) == 0  # under 10 minutes: none unless set
    assert warn_seconds(9 * 60, 2) == 120
    assert warn_seconds(30 * 60, 0) == 0  # 0: never
    assert warn_seconds(5 * 60, 5) == 0  # as long as the item: it would be on from the start


async def test_warning_in_words_set_per_team_and_bell_remembered(
    demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database]
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start(pilot)
        await pilot.press("space")
        clock.advance(9 * 60 + 59)
        await tick(pilot)
        assert text_of(app, "#meeting-warning") == ""
        clock.advance(2)  # 4:59 left of 15:00: the default warning, in words and a symbol
        await tick(pilot)
        assert "⚠ 4:59 left: time to wrap up this item" in text_of(app, "#meeting-warning")
        assert screen.query_one("#meeting-digits").has_class("-warn")
        await pilot.press("W")
        await pilot.pause()
        assert isinstance(app.screen, ValueForm)
        await pilot.press("ctrl+a", "ctrl+k", *"ten", "enter")
        await pilot.pause()
        assert "give whole minutes" in text_of(app, "#value-error")
        await pilot.press("ctrl+a", "ctrl+k", "2", "enter")
        await pilot.pause()
        assert text_of(app, "#meeting-warning") == ""  # 4:59 left, warned at 2 minutes now
        assert "⚠ 2:00 before the end" in text_of(app, "#meeting-elapsed")
        await pilot.press("b")
        await pilot.pause()
        assert "bell on" in text_of(app, "#meeting-elapsed")
        await pilot.press("e", "y")
        await pilot.pause()
    with open_db(demo_target).read() as session:
        team = session.exec(select(Team).order_by(col(Team.id))).first()  # the app opens it
        assert team is not None and team.warn_minutes == 2 and team.bell is True
    again = MHApp(demo_target, clock=clock)
    async with again.run_test(size=(120, 40)) as pilot:
        await start(pilot)  # the next check-in keeps the team's bell and warning
        assert "bell on" in text_of(again, "#meeting-elapsed")
        assert "⚠ 2:00 before the end" in text_of(again, "#meeting-elapsed")


async def test_review_at_80x24_keeps_status_owner_when_and_the_footer(
    demo_target: Target, clock: FakeClock
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        lines = screen_lines(app)
        shown = "\n".join(lines)
        head = next(line for line in lines if "Action" in line and "Status" in line)
        assert "Owner" in head and "When" in head
        assert "! overdue by 12 days" in shown and "⚠ blocked/behind" in shown
        footer = lines[-1]
        assert "n Next" in footer and "w Notes" in footer and "e End" in footer
        await pilot.press("w", *"Room booked")  # the notes take the panel's place
        await pilot.pause()
        assert app.screen.query_one("#meeting-notes-box").display
        assert not app.screen.query_one("#meeting-panel").display
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#meeting-panel").display


# --- 3. a clock that cannot go wrong quietly ------------------------------------------


async def _closed_with_clock_running(target: Target, clock: FakeClock) -> None:
    app = MHApp(target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot)
        await pilot.press("space")
        clock.advance(300)
        await tick(pilot)
    # closed (killed: ctrl+q would ask) with the clock running; a day passes


async def test_reopened_after_a_day_can_stop_the_clock_when_mhtui_closed(
    demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database]
) -> None:
    await _closed_with_clock_running(demo_target, clock)
    clock.advance(24 * 3600)
    again = MHApp(demo_target, clock=clock)
    async with again.run_test(size=(120, 40)) as pilot:
        for _ in range(4):
            await pilot.pause()
        assert isinstance(again.screen, ChoiceScreen)
        assert "The clock ran for 24 h 00 min with mhtui closed." in text_of(
            again, "#choice-question")
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(again.screen, MeetingScreen)
        await tick(pilot)
        assert again.screen.query_one("#meeting-digits", BigText).text == "10:00"
        assert "PAUSED" in text_of(again, "#meeting-state")
    meeting, items = _meeting(open_db(demo_target))
    assert meeting.running_since is None and items[0].spent_seconds == 300


async def test_reopened_after_a_day_can_count_the_time_away(
    demo_target: Target, clock: FakeClock
) -> None:
    await _closed_with_clock_running(demo_target, clock)
    clock.advance(3600)
    again = MHApp(demo_target, clock=clock)
    async with again.run_test(size=(120, 40)) as pilot:
        for _ in range(4):
            await pilot.pause()
        assert isinstance(again.screen, ChoiceScreen)
        await pilot.press("c")
        await tick(pilot)
        assert "OVER TIME" in text_of(again, "#meeting-state")  # 65 minutes on a 15


async def test_quitting_with_the_clock_running_asks(
    demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database]
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot)
        await pilot.press("space")
        clock.advance(120)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("n")  # stay
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen) and app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("p")  # pause and quit
        await pilot.pause()
    assert app.return_code == 0
    meeting, items = _meeting(open_db(demo_target))
    assert meeting.running_since is None and items[0].spent_seconds == 120


async def test_time_spent_corrected_by_hand_is_marked(
    demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database]
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot)
        await pilot.press("space")
        clock.advance(25 * 60)  # forgot to move on
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(app.screen, ValueForm)
        await pilot.press("ctrl+a", "ctrl+k", *"12:61", "enter")
        await pilot.pause()
        assert "go up to 59" in text_of(app, "#value-error")
        await pilot.press("ctrl+a", "ctrl+k", *"14:30", "enter")
        await pilot.pause()
        await tick(pilot)
        assert app.screen.query_one("#meeting-digits", BigText).text == "0:30"
        assert "corrected" in text_of(app, "#meeting-status")
        clock.advance(10)  # still running, from the corrected figure
        await tick(pilot)
        assert app.screen.query_one("#meeting-digits", BigText).text == "0:20"
    _, items = _meeting(open_db(demo_target))
    assert items[0].spent_by_clock == 25 * 60
    assert items[1].spent_by_clock is None


@given(st.text(max_size=12))
def test_duration_parser_reads_or_refuses(text: str) -> None:
    try:
        seconds = parse_duration(text)
    except ValueError as exc:
        assert str(exc)
    else:
        assert 0 <= seconds <= 24 * 3600


def test_duration_forms() -> None:
    assert parse_duration("12") == 720 and parse_duration("12:30") == 750
    assert parse_duration("1:02:03") == 3723


async def test_changed_actions_stay_listed_until_the_check_in_ends(
    demo_target: Target, clock: FakeClock
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot)
        first = table_rows(app, "#review-table")[0][0]
        await pilot.press("5")  # completed: by mistake
        await pilot.pause()
        await pilot.press("escape")  # leave the check-in, and come back to it
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        rows = table_rows(app, "#review-table")
        assert any(row[0] == first and "completed" in row[1] for row in rows)
        await pilot.press("2")  # put right
        await pilot.pause()
        assert any(row[0] == first and "in progress" in row[1]
                   for row in table_rows(app, "#review-table"))


async def test_plans_item_shows_the_barriers_raised(demo_target: Target,
                                                   clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot)
        await pilot.press("n", "w", *"No private room [/b] for sessions", "escape", "n")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = text_of(app, "#plans-panel-text")
        assert "Barriers raised" in shown
        assert "• No private room [/b] for sessions" in shown
        assert "No actions set in this check-in yet." in shown


async def test_agenda_item_kind_chosen_in_the_editor_and_reset_to_default(
    demo_target: Target, clock: FakeClock
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("c", "a")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, AgendaEditor)
        await pilot.press("delete", "y")  # the review item: gone, and its table with it
        await pilot.pause()
        assert [i.kind for i in editor.items] == ["barriers", "plans"]
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AgendaItemForm)
        await pilot.press(*"Look back [b]", "tab", "ctrl+a", "ctrl+k", "5", "tab",
                          *"What moved?", "tab")
        await pilot.press("enter", "up", "up", "up", "enter")  # notes only -> review
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AgendaEditor)
        assert editor.items[-1].kind == "review" and editor.items[-1].title == "Look back [b]"
        assert table_rows(app, "#agenda-table")[-1][4] == "review"
        await pilot.press("R", "y")
        await pilot.pause()
        assert [i.kind for i in editor.items] == ["review", "barriers", "plans"]
        assert editor.items[0].title == "Review actions from the last check-in"
        await pilot.press("escape")
        await pilot.pause()
        screen = await start(pilot)  # a check-in from the reset template shows the table
        assert screen.query_one("#review-panel").display
        await pilot.press("g")
        await pilot.pause()
        await pilot.press("delete", "y")  # in this check-in's own agenda
        await pilot.pause()
        await pilot.press("R", "y")
        await pilot.pause()
        own = app.screen
        assert isinstance(own, AgendaEditor)
        assert [i.kind for i in own.items] == ["review", "barriers", "plans"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        # It stays on the item it was on (the barriers, first once the review went).
        assert "Item 2 of 3: Discuss barriers" in text_of(app, "#meeting-title")
        await pilot.press("p")
        await pilot.pause()
        assert "Item 1 of 3: Review actions" in text_of(app, "#meeting-title")
        assert len(table_rows(app, "#review-table")) > 3


def test_questionable_dates_and_times() -> None:
    today = date(2026, 11, 23)
    assert due_doubt(date(2029, 11, 23), today) is None
    assert "more than 3 years" in (due_doubt(date(2029, 11, 24), today) or "")
    assert due_doubt(None, today) is None
    assert due_doubt(date(2031, 3, 1), date(2028, 2, 29)) is not None  # 29 February
    assert due_doubt(date(2031, 2, 28), date(2028, 2, 29)) is None
    assert schedule_doubts(date(2026, 12, 2), time(15, 0), today) == []
    assert schedule_doubts(date(2026, 12, 2), time(21, 0), today) == []
    past, late = schedule_doubts(date(2026, 11, 22), time(21, 1), today)
    assert "in the past" in past and "outside the school day (06:00-21:00)" in late
    assert schedule_doubts(None, time(5, 59), today)


async def test_a_due_date_years_ahead_asks_before_it_is_saved(
    demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database]
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot)
        await pilot.press("n", "n", "a")
        await pilot.pause()
        await pilot.press(*"Renovate the east wing", "tab", *"Ana", "tab", *"2035-01-01",
                          "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Due 2035-01-01: more than 3 years" in text_of(app, "#confirm-question")
        await pilot.press("n")  # back to the form, nothing saved
        await pilot.pause()
        assert isinstance(app.screen, ActionForm)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")  # meant it
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
    with open_db(demo_target).read() as session:
        action = session.exec(select(Action).where(Action.text == "Renovate the east wing")).one()
    assert action.due_on == date(2035, 1, 1)


async def test_a_schedule_in_the_past_or_at_night_asks(
    demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database]
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("c", "S")
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k", *"2026-11-02", "tab", "ctrl+a", "ctrl+k",
                          *"22:30", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        question = text_of(app, "#confirm-question")
        assert "2026-11-02 is in the past" in question and "22:30 is outside" in question
        await pilot.press("n")
        await pilot.pause()
        with open_db(demo_target).read() as session:
            team = session.exec(select(Team).order_by(col(Team.id))).first()  # the app opens it
            assert team is not None and team.start_time != "22:30"  # nothing saved yet
        await pilot.press("ctrl+s", "y")
        await pilot.pause()
    with open_db(demo_target).read() as session:
        team = session.exec(select(Team).order_by(col(Team.id))).first()  # the app opens it
        assert team is not None and team.start_time == "22:30"
        assert team.next_checkin_on == date(2026, 11, 2)


async def test_a_new_team_s_first_review_says_there_is_nothing_yet(
    empty_target: Target, clock: FakeClock
) -> None:
    app = MHApp(empty_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        assert "No open actions to review yet" in text_of(app, "#review-since")
        assert block_rows(app, "#meeting-digits") >= 5


async def test_the_bell_rings_once_at_the_warning_and_once_at_the_end(
    demo_target: Target, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = MHApp(demo_target, clock=clock)
    rang: list[float] = []
    monkeypatch.setattr(app, "bell", lambda: rang.append(clock.monotonic()))
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot)
        await pilot.press("b", "space")
        clock.advance(9 * 60)
        await tick(pilot)
        assert rang == []
        clock.advance(2 * 60)  # 4:00 left: the default warning
        await tick(pilot)
        await tick(pilot)
        assert len(rang) == 1
        clock.advance(5 * 60)  # over time
        await tick(pilot)
        await tick(pilot)
        assert len(rang) == 2


async def test_leaving_the_check_in_open_in_mhtui_is_not_time_away(
    demo_target: Target, clock: FakeClock
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot)
        await pilot.press("space", "escape")  # to the dashboard, the clock running
        await pilot.pause()
        clock.advance(20 * 60)
        await pilot.press("c", "r")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)  # no question: mhtui never closed
        await tick(pilot)
        assert "OVER TIME" in text_of(app, "#meeting-state")  # the 20 minutes count


async def test_footer_offers_add_action_only_on_the_plans_item(
    demo_target: Target, clock: FakeClock
) -> None:
    # Back from the plans item to the review, the footer said "a Add action", and a did
    # nothing there.
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(200, 50)) as pilot:
        await start(pilot)
        assert "a Add action" not in screen_lines(app)[-1]
        await pilot.press("n", "n")
        await pilot.pause()
        assert "a Add action" in screen_lines(app)[-1]
        await pilot.press("p", "p")
        await pilot.pause()
        assert "a Add action" not in screen_lines(app)[-1]


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
async def test_warning_and_time_spent_forms_show_their_whole_question(
    demo_target: Target, clock: FakeClock, size: tuple[int, int]
) -> None:
    # The warning's question was cut off at "(Enter sa", even at 200 columns.
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=size) as pilot:
        await start(pilot)
        for key in ("W", "T"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, ValueForm)
            shown = " ".join(" ".join(line.strip(" █").split())
                             for line in screen_lines(app))
            assert "(Enter saves, Esc cancels)" in shown
            await pilot.press("escape")
            await pilot.pause()


async def test_narrow_footer_ends_cleanly_at_the_palette_key(
    demo_target: Target, clock: FakeClock
) -> None:
    # At 80x24 the check-in's keys run under the docked palette key, and the "1" of
    # "+1 min" showed in the last column: "▏^p palette1".
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        assert screen_lines(app)[-1].rstrip().endswith("^p palette")


async def test_status_legend_whole_in_the_review_at_80x24(
    demo_target: Target, clock: FakeClock
) -> None:
    # The review's key legend lost its last word at 80 columns: "... 4⊘ abandoned  5✔".
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        lines = screen_lines(app)
        legend = next(line for line in lines if "1○ not started" in line)
        assert legend.rstrip().endswith("5✔ completed")
        head = next(line for line in lines if "Action" in line and "Status" in line)
        assert legend.index("1○") == head.index("Action")  # in line with the table


async def test_changes_since_the_last_check_in_fit_at_80x24(
    demo_target: Target, clock: FakeClock
) -> None:
    # The line ran to 86 columns and lost its end at 80: "... 1 completed, 3".
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        line = next(line for line in screen_lines(app) if "Since last check-in" in line)
        assert line.strip() == ("Since last check-in: 2 new, 2 status changes, 1 completed, "
                                "3 newly overdue")
