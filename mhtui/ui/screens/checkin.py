"""The check-in hub: start or resume a check-in, edit the agenda, read past minutes."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from mhtui.core.minutes import over_text
from mhtui.core.wording import clock_text, long_date
from mhtui.store.checkins import checkins
from mhtui.store.checkins.checkins import MeetingRow, Summary
from mhtui.store.database.db import Database
from mhtui.ui.screens.base import MHScreen
from mhtui.ui.screens.start_form import Started, StartForm, parse_when
from mhtui.ui.widgets.line_table import Cell, Column, LineTable
from mhtui.ui.widgets.text import literal, styled

if TYPE_CHECKING:
    from mhtui.store.checkins.agenda import Item

__all__ = ["CheckinScreen", "StartForm", "parse_when"]  # the start form lives beside


COLUMNS = [Column("held", "Held", 15), Column("state", "State", 7),
           Column("planned", "Planned", 7), Column("actual", "Actual", 7),
           Column("over", "", 14)]


class HeldRows:
    """The team's check-ins, newest first, a page at a time (a RowSource): opening the
    hub costs the same at 2,000 check-ins as at two. Made with the page the cursor is
    on, read with the screen; any other page is read in a worker when the table asks."""

    def __init__(self, db: Database, team_id: int, now: datetime, offset: int,
                 limit: int) -> None:  # in the screen's worker: the count and one page
        self.db, self.team_id, self.now = db, team_id, now
        self.total = checkins.summary_count(db, team_id)
        self.first = (offset, self.read(offset, limit))

    def count(self) -> int:
        return self.total

    def page(self, offset: int, limit: int) -> Sequence[Summary] | None:
        return self.first[1] if offset == self.first[0] else None

    def read(self, offset: int, limit: int) -> Sequence[Summary]:
        return checkins.summary_page(self.db, self.team_id, self.now, offset, limit)

    def key(self, row: Summary) -> str:
        return str(row.meeting.id)

    def cells(self, row: Summary, columns: Sequence[Column]) -> Sequence[Cell]:
        return (long_date(row.meeting.scheduled_at.astimezone().date()), row.meeting.state,
                clock_text(row.planned), clock_text(row.spent),
                over_text(row.planned, row.spent))


@dataclass(frozen=True)
class Hub:
    """What the hub shows: the check-in in progress, the agenda template and its
    length, and the held check-ins around the cursor."""

    live: MeetingRow | None
    items: Sequence[Item]
    length: int
    held: HeldRows


class CheckinScreen(MHScreen):
    TITLE_TEXT = "mhtui · check-in"
    HELP = (
        "A check-in is a one-hour meeting in three timeboxed items: review the actions "
        "from last time, discuss the barriers staff face, and set plans with an owner and "
        "a date for each. s starts a check-in (attendance ticked from the team's roster; "
        "or Enter resumes the one in progress); a "
        "edits the agenda template every new check-in starts from; S sets the schedule "
        "(first date, time, how often, length, place); i shows the invitation email and "
        "saves it with a calendar file; Enter on a past check-in shows its minutes."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "start", "Start", id="checkin.start"),
        Binding("r", "resume", "Resume", id="checkin.resume"),
        Binding("a", "template", "Agenda", id="checkin.template"),
        Binding("S", "schedule", "Schedule", id="checkin.schedule"),
        Binding("i", "invite", "Invite", id="checkin.invite"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="checkin-body"):
            yield Static("", id="checkin-live", classes="card")
            yield Static("", id="agenda", classes="card")
            yield LineTable[Summary](id="meetings-table")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#checkin-live", Static).border_title = "Now"
        self.query_one("#agenda", Static).border_title = "Agenda template"
        self.query_one("#meetings-table").focus()  # arrows, Home/End and Enter on the list

    held_page = (0, 100)  # the page the cursor is on (offset, size), for the next read

    def before_read(self) -> None:
        table: LineTable[Summary] = self.query_one("#meetings-table", LineTable)
        size = table.page_size
        self.held_page = (table.cursor_row // size * size, size)

    def read(self) -> Hub:
        from mhtui.store.checkins import agenda
        from mhtui.store.checkins.agenda import Agenda

        db, team_id = self.mh.db, self.mh.team_id
        assert team_id is not None
        which = Agenda("template", team_id)
        return Hub(checkins.in_progress(db, team_id), agenda.items(db, which),
                   agenda.length(db, which),
                   HeldRows(db, team_id, self.mh.clock.now(), *self.held_page))

    def show(self, hub: Hub) -> None:
        if hub.live is not None:
            held = long_date(hub.live.scheduled_at.astimezone().date())
            now = styled("[b]A check-in is in progress[/b] (from $held). Press r to go back "
                         "to it.", held=held)
        else:
            now = literal("No check-in in progress. Press s to start one.")
        self.query_one("#checkin-live", Static).update(now)
        items, length = hub.items, hub.length
        total = sum(i.minutes for i in items)
        lines = [f"{n}. {i.title} ({i.minutes} min)" for n, i in enumerate(items, start=1)]
        lines.append(f"Total {total} of {length} min" + (
            f"  ! {total - length} min more than the meeting" if total > length else ""))
        lines.append("Press a to edit it.")
        self.query_one("#agenda", Static).update(literal("\n".join(lines)))
        table: LineTable[Summary] = self.query_one("#meetings-table", LineTable)
        if not table.columns:
            table.set_columns(COLUMNS)
        table.set_source(hub.held, cursor_row=table.cursor_row)

    @on(LineTable.PageWanted, "#meetings-table")
    def _page_wanted(self, wanted: LineTable.PageWanted) -> None:
        rows = wanted.source
        assert isinstance(rows, HeldRows)
        self.read_rows(wanted, lambda: rows.read(wanted.offset, wanted.limit))

    def action_start(self) -> None:
        from mhtui.store.teams import staff

        team_id = self.mh.team_id
        assert team_id is not None
        # On the screen's thread (two small reads): the form opens with the key's frame.
        if checkins.in_progress(self.mh.db, team_id):
            self.notify("A check-in is already in progress: r resumes it, e there ends it.")
            return

        def chosen(result: Started | None) -> None:
            if result is None:
                return
            # On the screen's thread: the check-in opens on what this wrote.
            meeting = checkins.start(self.mh.db, team_id, *result)
            assert meeting.id is not None
            self.mh.open_meeting(meeting.id)

        # Attendance is ticked from the roster (start_form.py).
        roster = staff.roster(self.mh.db, team_id, include_inactive=False)
        self.app.push_screen(StartForm(self.mh.clock.now(), roster), chosen)

    async def action_resume(self) -> None:
        db, team_id = self.mh.db, self.mh.team_id
        assert team_id is not None
        live = await asyncio.to_thread(lambda: checkins.in_progress(db, team_id))
        if live is None or live.id is None:
            self.notify("No check-in in progress. Press s to start one.")
            return
        self.mh.open_meeting(live.id)

    def action_schedule(self) -> None:
        from mhtui.ui.screens.invite import ScheduleScreen

        self.app.push_screen(ScheduleScreen())

    def action_invite(self) -> None:
        from mhtui.ui.screens.invite import InviteScreen

        self.app.push_screen(InviteScreen())

    def action_template(self) -> None:
        from mhtui.store.checkins.agenda import Agenda
        from mhtui.ui.screens.agenda_editor import AgendaEditor

        assert self.mh.team_id is not None
        self.app.push_screen(AgendaEditor(Agenda("template", self.mh.team_id)))

    @on(LineTable.RowSelected, "#meetings-table")
    async def _open(self, event: LineTable.RowSelected) -> None:
        if event.row_key is None:
            return
        meeting_id, db = int(event.row_key), self.mh.db
        live = await asyncio.to_thread(lambda: checkins.load(db, meeting_id))
        if live.meeting.state == "ended":
            self.mh.show_minutes(meeting_id)
        else:
            self.mh.open_meeting(meeting_id)
