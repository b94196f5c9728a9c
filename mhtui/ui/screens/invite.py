"""The team's schedule, and the invitation made from it: email text and calendar file."""

from __future__ import annotations

import asyncio
from datetime import date, time
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Label, Select, Static

from mhtui.core.dates import DateError, parse_calendar_date
from mhtui.core.schedule import CADENCES
from mhtui.core.wording import is_whole_number
from mhtui.store.checkins import invites
from mhtui.store.teams import teams
from mhtui.store.teams.teams import TeamView
from mhtui.ui.screens.base import MHScreen
from mhtui.ui.widgets.autosave import NotSaved, form_values
from mhtui.ui.widgets.fields import Input
from mhtui.ui.widgets.status_line import StatusLine
from mhtui.ui.widgets.text import literal

CADENCE_CHOICES = [("every month", "monthly"), ("every quarter", "quarterly"),
                   ("every N weeks", "weeks")]


class ScheduleScreen(MHScreen):
    TITLE_TEXT = "mhtui · check-in schedule"
    HELP = ("When the team's check-ins happen: the first (or next) date, the time, how "
            "often, how long and where. Monthly and quarterly check-ins keep the weekday of "
            "the first one (e.g. the first Wednesday). ctrl+s saves; a bad value is named "
            "and nothing is saved; a date in the past or a time outside 06:00-21:00 is "
            "asked about first. Esc goes back (asking first if something typed is not "
            "saved).")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="schedule.save", priority=True),
    ]

    team_version: int | None = None  # the schedule the fields were filled from: a save's base

    def read(self) -> TeamView:
        """The team as stored: what the fields show, and a save is based on."""
        team = teams.get_team(self.mh.db, self.mh.team_id or 0)
        assert team is not None
        return team

    def show(self, team: TeamView) -> None:
        """The first read fills the fields (keys typed meanwhile wait for it); a later
        one (back from a question) leaves what is typed."""
        if self.team_version is None:
            self._fill(team)

    def reread(self) -> None:
        """After a refused save: the fields show the schedule as stored now (read in a
        thread; keys typed next wait for it)."""
        self.call_later(self._refill)

    async def _refill(self) -> None:
        self._fill(await asyncio.to_thread(self.read))

    def _fill(self, team: TeamView) -> None:
        self.team_version = team.version
        for name, value in (
                ("first", team.next_checkin_on.isoformat() if team.next_checkin_on else ""),
                ("time", team.start_time or "15:00"), ("weeks", str(team.cadence_weeks or 4)),
                ("minutes", str(team.meeting_minutes)), ("place", team.place)):
            self.query_one(f"#sched-{name}", Input).value = value
        self.query_one("#sched-cadence", Select).value = (
            team.cadence if team.cadence in CADENCES else "monthly")
        self.untouched = form_values(self)

    def compose(self) -> ComposeResult:
        yield Header()
        # The fields are filled by the first read (show).
        with VerticalScroll(id="schedule-body"):
            yield Label("First (or next) check-in date")
            yield Input(id="sched-first", compact=True,
                        placeholder="type the date, e.g. 2026-12-02 or 12/2/2026")
            yield Label("Time (24-hour)")
            yield Input(id="sched-time", compact=True)
            yield Label("How often")
            yield Select(CADENCE_CHOICES, id="sched-cadence", allow_blank=False, compact=True)
            yield Label("N, for every N weeks")
            yield Input(id="sched-weeks", compact=True)
            yield Label("Length in minutes")
            yield Input(id="sched-minutes", compact=True)
            yield Label("Place")
            yield Input(id="sched-place", compact=True)
            yield Static("", id="sched-error", classes="error")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#schedule-body").can_focus = False
        self.query_one("#sched-first", Input).focus()
        self.untouched = form_values(self)  # what is saved: Esc asks if it differs

    def value(self, name: str) -> str:
        return self.query_one(f"#sched-{name}", Input).value.strip()

    confirmed: tuple[object, ...] = ()  # a past date or odd hour said yes to

    def action_save(self, ask: bool = True) -> bool:
        """Save the whole schedule, or none of it; True once saved. A date in the past or
        a time outside 06:00-21:00 is asked about first (not when quitting)."""
        error = self.query_one("#sched-error", Static)
        try:
            first = parse_calendar_date(self.value("first"))
        except DateError as exc:
            error.update(literal(f"Date: {exc}"))
            return False
        parts = self.value("time").split(":")
        if len(parts) != 2 or not all(is_whole_number(p) for p in parts) or not (
                int(parts[0]) < 24 and int(parts[1]) < 60):
            error.update(literal(f"Time {self.value('time')!r} is not a time like 15:30."))
            return False
        for name in ("weeks", "minutes"):
            if not is_whole_number(self.value(name)):
                error.update(f"{name.capitalize()} must be a whole number.")
                return False
        cadence = self.query_one("#sched-cadence", Select).value
        at = time(int(parts[0]), int(parts[1]))
        if ask and self._doubted(first, at):
            return False
        try:
            self.team_version = invites.set_schedule(
                self.mh.db, self.mh.team_id or 0, self.team_version or 0, str(cadence),
                int(self.value("weeks")), first, time(int(parts[0]), int(parts[1])),
                int(self.value("minutes")), self.value("place")).version
        except invites.ScheduleError as exc:
            error.update(literal(str(exc)))
            return False
        error.update("")
        self.untouched = form_values(self)
        self.notify("Schedule saved.", timeout=2)
        return True

    def _doubted(self, first: date | None, at: time) -> bool:
        from mhtui.core.clock import local_today
        from mhtui.core.questionable import schedule_doubts
        from mhtui.ui.screens.confirm import ConfirmScreen

        doubts = schedule_doubts(first, at, local_today(self.mh.clock))
        if not doubts or self.confirmed == (first, at):
            return False

        def answered(yes: bool | None) -> None:
            if yes:
                self.confirmed = (first, at)
                self.action_save()

        self.app.push_screen(ConfirmScreen(" ".join(doubts) + " Save it anyway?",
                                           "y saves the schedule as typed; n goes back to "
                                           "it."), answered)
        return True

    def flush(self) -> None:
        """Quitting saves what was typed; a value that does not read is named instead."""
        if form_values(self) != self.untouched and not self.action_save(ask=False):
            raise NotSaved(f"Schedule: {self.query_one('#sched-error', Static).content}")

    def action_back(self) -> None:
        from mhtui.ui.screens.dialog import ask_to_discard

        if form_values(self) == self.untouched:
            self.app.pop_screen()
        else:
            ask_to_discard(self.app, self.app.pop_screen)


class InviteScreen(MHScreen):
    TITLE_TEXT = "mhtui · invitation"
    HELP = ("The invitation email for the team's check-ins, written from the schedule: one "
            "copy for everyone and one for each active person on the roster with an email "
            "(n shows the next; people are added with p on the dashboard). c copies the "
            "text to the clipboard; s saves every email, one file per person, and the "
            "calendar file (.ics, a recurring event in this computer's time zone; sent "
            "again after a change of schedule, it updates the event) and says where.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next", "Next person", id="invite.next"),
        Binding("c", "copy", "Copy", id="invite.copy"),
        Binding("s", "save", "Save files", id="invite.save"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.invitation: invites.Invitation | None = None
        self.index = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield StatusLine(id="invite-who")
        with VerticalScroll(id="invite-body"):
            yield Static("", id="invite-text", markup=False)
        yield Footer(compact=True)

    def read(self) -> invites.Invitation | str:
        """The invitation, or why there is none yet (no schedule)."""
        try:
            return invites.build(self.mh.db, self.mh.team_id or 0, self.mh.clock.now())
        except invites.ScheduleError as exc:
            return f"{exc} (S on the check-in screen)"

    def show(self, read: invites.Invitation | str) -> None:
        self.invitation = None if isinstance(read, str) else read
        if isinstance(read, str):
            self.query_one("#invite-text", Static).update(read)
        self.show_letter()

    def current(self) -> tuple[str | None, str]:
        assert self.invitation is not None
        letters = self.invitation.letters
        letter = letters[self.index % len(letters)]
        return letter.name, letter.text

    def show_letter(self) -> None:
        if self.invitation is None:
            return
        name, text = self.current()
        count = len(self.invitation.letters)
        who = (f"For: {name or 'everyone'} ({self.index % count + 1} of {count})"
               if count > 1 else "For: everyone (add people with an email on the roster, "
               "p on the dashboard, for one each)")
        self.query_one("#invite-who", StatusLine).say(
            f"{who} · {self.invitation.schedule.words()}")
        self.query_one("#invite-text", Static).update(text)

    def action_next(self) -> None:
        self.index += 1
        self.show_letter()

    def action_copy(self) -> None:
        if self.invitation is not None:
            self.app.copy_to_clipboard(self.current()[1])
            self.notify("Email text copied to the clipboard.", timeout=3)

    async def action_save(self) -> None:
        from mhtui.atomic import WriteFailed
        from mhtui.store.checkins.invite_files import default_folder, write_files

        invitation = self.invitation
        if invitation is None:
            return

        def write() -> tuple[Path, list[Path]]:
            folder = default_folder(invitation.team.name)
            return folder, write_files(invitation, folder)

        try:
            folder, written = await asyncio.to_thread(write)
        except (OSError, WriteFailed) as exc:  # a full disk: said, and the app goes on
            self.app.bell()
            self.notify(str(exc), title="Not saved", severity="error", timeout=20)
            return
        self.notify(f"Saved {len(written)} files (emails and checkins.ics) in {folder}",
                    timeout=8)

    def action_back(self) -> None:
        self.app.pop_screen()
