"""The check-in's keys and questions that keep its clock honest: the bell and the
warning, kept for the team; time spent corrected by hand; and, when mhtui was closed with
the clock running, whether that time counts. ``MeetingScreen`` draws; this asks and saves.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual.screen import ModalScreen

from mhtui.core.wording import clock_text
from mhtui.store.checkins import checkin_clock, checkins
from mhtui.store.checkins.checkins import Live
from mhtui.ui.screens.base import MHScreen

if TYPE_CHECKING:
    from mhtui.ui.store_worker import UsesStore


def away_words(seconds: float) -> str:
    """'1 h 05 min', '25 min': a stretch of time away, said as people say it."""
    minutes = int(seconds // 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


class ClockQuestions(MHScreen):
    """What the check-in screen asks about its clock, and writes."""

    # The apps that have settled the time away once: a check-in left and opened again in
    # the same run was not closed meanwhile, so that is not asked about.
    settled: ClassVar[weakref.WeakSet[object]] = weakref.WeakSet()

    live: Live | None
    meeting_id: int
    rang_for: tuple[int, str] | None  # (item, "warn" or "over") the bell rang for
    seen_mark: float | None  # monotonic time seen_at was last written
    seen_ok: bool  # seen_at is written only once the time away is settled

    def tick(self) -> None:
        """Redraw the clock (the check-in screen does)."""

    def _save(self, message: str = "") -> None:
        assert self.live is not None
        self.live = checkins.save_clock(self.mh.db, self.live, self.mh.clock)
        if message:
            self.say(message)
        self.tick()

    async def action_bell(self) -> None:
        assert self.live is not None
        db, live = self.mh.db, self.live

        def ring() -> Live:  # in a thread; the next key waits for it
            team = checkin_clock.settings(db, live.meeting.team_id)
            return checkin_clock.set_bell(db, live, team.version, not live.meeting.bell)[0]

        self.live = await asyncio.to_thread(ring)
        self.say("Bell on: it rings at the warning and when an item's time is up, in this "
                 "team's check-ins from now on." if self.live.meeting.bell
                 else "Bell off, for this team's check-ins from now on.")
        self.tick()

    async def action_warning(self) -> None:
        from mhtui.ui.screens.meeting_dialogs import ValueForm, WarnChoice, parse_warning

        assert self.live is not None
        db, team_id = self.mh.db, self.live.meeting.team_id
        team = await asyncio.to_thread(lambda: checkin_clock.settings(db, team_id))

        def chosen(choice: WarnChoice | None) -> None:
            if choice is None:
                return
            assert self.live is not None
            minutes = choice.minutes
            checkin_clock.set_warning(self.mh.db, team.team_id, team.version, minutes)
            self.live.clock.warn_minutes = minutes
            self.rang_for = None
            self.say("Warning: " + ("5 minutes before the end, none for items under 10 "
                                    "minutes (the default)." if minutes is None else
                                    "none." if minutes == 0 else
                                    f"{minutes} min before the end of each item.")
                     + " Kept for this team's check-ins.")
            self.tick()

        self.app.push_screen(ValueForm[WarnChoice](
            "Warning before an item ends",
            "Minutes before the end (0: no warning; empty: 5, none under 10-minute items)",
            "" if team.warn_minutes is None else str(team.warn_minutes), parse_warning),
            chosen)

    def action_correct_time(self) -> None:
        from mhtui.ui.screens.meeting_dialogs import ValueForm, parse_duration

        assert self.live is not None
        index = self.live.clock.current
        spent = self.live.clock.spent(index, self.mh.clock.now())

        def chosen(seconds: float | None) -> None:
            if seconds is None:
                return
            assert self.live is not None
            self.live = checkin_clock.correct_spent(self.mh.db, self.live, index, seconds,
                                                    self.mh.clock)
            self.say(f"Time spent on item {index + 1} set to {clock_text(seconds)} by hand; "
                     "the minutes say it was corrected.")
            self.tick()

        self.app.push_screen(ValueForm[float](
            "Time spent on this item", "Time spent, as 12:30 or 12 (minutes)",
            clock_text(spent), parse_duration), chosen)

    # --- time away --------------------------------------------------------------------

    def mark_seen(self) -> None:
        """Note that the check-in is open now: a reopening later knows how long it was
        closed."""
        self.seen_ok = True
        self.seen_mark = self.mh.clock.monotonic()
        checkin_clock.mark_seen(self.mh.db, self.meeting_id, self.mh.clock.now())

    def ask_about_time_away(self, seen: datetime | None) -> None:
        """The clock ran more than 10 minutes with mhtui closed (``seen``: when it was
        last seen running, read with the check-in): ask whether that counts."""
        from mhtui.ui.screens.meeting_dialogs import ChoiceScreen

        assert self.live is not None
        away = checkin_clock.time_away(self.live, seen, self.mh.clock.now())
        opened_before = self.app in ClockQuestions.settled  # mhtui stayed open meanwhile
        ClockQuestions.settled.add(self.app)
        if not away or seen is None or opened_before:
            self.seen_ok = True
            if self.live.clock.running:
                self.mark_seen()
            return
        closed = seen.astimezone()

        def answered(choice: str | None) -> None:
            assert self.live is not None
            if choice == "stop":
                self.live = checkin_clock.stop_when_closed(self.mh.db, self.live, seen,
                                                           self.mh.clock)
                self.seen_ok = True
                self.say(f"Clock stopped at {closed:%H:%M}, when mhtui closed; space "
                         "starts it.")
            else:
                self.mark_seen()
                self.say(f"The {away_words(away)} away count: the clock kept running.")
            self.tick()

        self.app.push_screen(ChoiceScreen(
            f"The clock ran for {away_words(away)} with mhtui closed.",
            f"mhtui closed at {closed:%H:%M} on {closed:%Y-%m-%d} with the clock running on "
            f"item {self.live.clock.current + 1}. Does that time count?",
            [("c", "count the time away (the meeting went on without mhtui)", "count"),
             ("s", f"stop the clock at {closed:%H:%M}, when mhtui closed", "stop")]),
            answered)

    def ask_before_quit(self, quit_now: Callable[[], object]) -> bool:
        """Quitting with the clock running: ask whether to keep it running or pause it.
        True when the question is asked (the quit waits for the answer)."""
        if self.live is None or not self.live.clock.running:
            return False

        def answered(choice: str | None) -> None:
            if choice == "stay" or self.live is None:
                return
            if choice == "pause":
                self.live.clock.pause(self.mh.clock.now())
                self._save()
            else:
                self.mark_seen()
            quit_now()

        self.app.push_screen(keep_or_pause("stay in the check-in"), answered)
        return True


def keep_or_pause(stay: str) -> ModalScreen[str]:
    """The question quitting asks while a check-in's clock runs; Esc stays."""
    from mhtui.ui.screens.meeting_dialogs import ChoiceScreen

    return ChoiceScreen(
        "The check-in's clock is running.",
        "Keep it running while mhtui is closed (the time counts, and reopening asks if "
        "you are away more than 10 minutes), or pause it now?",
        [("k", "keep it running and quit", "keep"), ("p", "pause the clock and quit",
                                                      "pause"),
         ("n", stay, "stay")])


def ask_before_quit_elsewhere(app: UsesStore, quit_now: Callable[[], object]) -> bool:
    """Quitting from any other screen (the dashboard, the tracker, the palette's quit)
    while a check-in's clock runs: the check-in's own question, so its time does not go
    on counting unasked. True when asked (the quit waits for the answer)."""
    from mhtui.store.teams import teams

    db = app.db
    try:
        running = [live for team in teams.list_teams(db) if team.id is not None
                   and (row := checkins.in_progress(db, team.id)) is not None
                   and (live := checkins.load(db, row.id)).clock.running]
    except Exception:  # a database that cannot be read never keeps anyone in the app
        return False
    if not running:
        return False

    def answered(choice: str | None) -> None:
        if choice in (None, "stay"):
            return
        now = app.clock.now()
        for live in running:
            if choice == "pause":
                live.clock.pause(now)
                checkins.save_clock(db, live, app.clock)
            else:  # kept running: the next start counts the time away from now
                checkin_clock.mark_seen(db, live.meeting.id, now)
        quit_now()

    app.push_screen(keep_or_pause("stay in mhtui"), answered)
    return True
