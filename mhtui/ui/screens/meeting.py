"""The projected check-in: a clock in solid blocks sized to the terminal, RUNNING,
PAUSED or OVER TIME in large words, the current item's guiding questions, the whole agenda
with planned and actual minutes, notes, and the item's own panel; f shows the clock, the
title and the questions alone, for the wall.

The clock's state is written to the database on every start, pause, move and minute
added, so a laptop that dies mid-item resumes on the same item with the right time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Input, Static, TextArea

from mhtui.core.action_views import Sort, View
from mhtui.core.clock import local_today
from mhtui.core.merge import keep_both
from mhtui.core.wording import clock_text
from mhtui.store.actions import action_list, actions
from mhtui.store.actions.action_list import ActionPage, Query
from mhtui.store.actions.actions import ActionItem
from mhtui.store.checkins import checkin_clock, checkins
from mhtui.store.checkins.checkins import Live
from mhtui.store.database.conflict import ConflictError
from mhtui.store.database.db import Database
from mhtui.store.reflections import rollup
from mhtui.store.reflections.rollup import RollUp
from mhtui.ui import status_keys
from mhtui.ui.screens.base import CONFLICT_KEPT, Read
from mhtui.ui.screens.meeting_clock import ClockQuestions
from mhtui.ui.widgets.autosave import Autosaver
from mhtui.ui.widgets.big_text import BigText
from mhtui.ui.widgets.line_table import LineTable
from mhtui.ui.widgets.meeting_panels import (
    ReviewPanel,
    TextPanel,
    barriers_text,
    plans_text,
    raised_barriers,
)
from mhtui.ui.widgets.status_line import StatusLine
from mhtui.ui.widgets.text import literal, one_line, styled


def _timer_key(key: str, action: str, description: str, name: str,
               show: bool = True) -> Binding:
    # Priority, so the timer answers even while a table has the focus; check_action
    # lets these keys through to the notes while someone is typing.
    return Binding(key, action, description, id=f"meeting.{name}", show=show, priority=True)


class RollupRead(Read[RollUp]):
    """The reflections since the last check-in, for the barriers and plans items."""


@dataclass(frozen=True)
class MeetingRead:
    """What the check-in screen shows: the check-in, when the one before ended, and the
    current item's own rows: the review's query and actions, or the actions set here
    (plans); ``seen`` when the clock was last seen running, read on opening only."""

    live: Live
    since: datetime | None
    review: tuple[Query, ActionPage] | None = None
    created: list[ActionItem] | None = None
    seen: datetime | None = None


class SinceCounts(Read[dict[str, int] | None]):
    """The review's counts of changes since the last check-in (None: no check-in yet)."""


def clock_rows(height: int, focus: bool) -> int:
    """How tall the clock is drawn: a third of the terminal (at least 5 rows), or two
    fifths in the focus view."""
    if focus:
        return max(5, height * 2 // 5)
    return 5 if height < 30 else max(5, height // 3)


class MeetingScreen(ClockQuestions):
    TITLE_TEXT = "mhtui · check-in"
    HELP = (
        "The check-in on the projector. The clock is drawn in blocks as large as the "
        "terminal allows, and says RUNNING, PAUSED or OVER TIME in words. space starts or "
        "pauses the clock; n or → moves to the next item and p or ← to the previous one (a "
        "running clock keeps running); + and - add or take away a minute from the current "
        "item; T corrects the time spent on it by hand (the minutes say so). The clock "
        "never moves to the next item by itself. Before an item ends a ⚠ warning says how "
        "long is left: W sets how many minutes before (by default 5, and none for items "
        "under 10 minutes), for this team's check-ins; b turns the bell on or off for the "
        "warning and the end of an item, remembered for the team. Past zero the clock "
        "counts up as time over, kept for the minutes. f shows only the clock, the item "
        "and its guiding questions, large, for the wall (f or Esc again goes back). w "
        "writes notes for the current item (saved as you type; Esc leaves the notes; below "
        "110 columns the notes take the place of the item's panel while you write). In the "
        "review item, 1-5 set the status of the selected action as in the tracker; an "
        "action changed here stays listed until the check-in ends. In the plans item, a "
        "adds an action with its owner and date, beside the barriers raised. g edits this "
        "meeting's agenda; e ends the check-in and shows its minutes. Quitting with the "
        "clock running asks whether to keep it running; reopening a check-in whose clock "
        "ran more than 10 minutes with mhtui closed asks whether that time counts. On a "
        "narrow terminal the footer shows the first keys only: all of them are here."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        _timer_key("space", "start_pause", "Start/pause", "start_pause"),
        _timer_key("n", "move(1)", "Next", "next"),
        _timer_key("w", "notes", "Notes", "notes"),
        _timer_key("e", "end", "End", "end"),
        _timer_key("f", "focus_view", "Focus", "focus"),
        _timer_key("right", "move(1)", "Next", "next_arrow", show=False),
        _timer_key("p", "move(-1)", "Previous", "previous"),
        _timer_key("left", "move(-1)", "Previous", "previous_arrow", show=False),
        _timer_key("plus", "adjust(1)", "+1 min", "minute_more"),
        _timer_key("minus", "adjust(-1)", "-1 min", "minute_less"),
        _timer_key("T", "correct_time", "Time spent", "correct_time"),
        _timer_key("W", "warning", "Warning", "warning"),
        _timer_key("b", "bell", "Bell", "bell"),
        _timer_key("a", "add_action", "Add action", "add_action"),
        _timer_key("g", "edit_agenda", "Agenda", "agenda"),
        *status_keys.bindings("meeting", priority=True),
    ]

    def __init__(self, meeting_id: int) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        self.live: Live | None = None
        self.since: datetime | None = None
        # The review item's actions; rows changed here stay listed until the view is left.
        self.review_query: Query | None = None
        self.rang_for: tuple[int, str] | None = None  # (item, "warn" or "over") rung for
        self.seen_mark: float | None = None  # monotonic time seen_at was last written
        self.away_checked = False
        self.seen_ok = False  # seen_at is written only once the time away is settled
        self._notes_item: int | None = None
        self.rolled: RollUp | None = None  # the reflections, for the plans item's barriers
        self._notes_text = ""
        self.keep_mine = False  # their notes are being read: what is typed goes below
        self.created: list[ActionItem] = []  # the actions set here, for the plans item
        self.review_rows: list[ActionItem] = []
        self.notes_saver: Autosaver  # made in compose, once the app's clock is at hand

    def compose(self) -> ComposeResult:
        self.notes_saver = Autosaver(self, self._write_notes, self._say_notes, self.mh.clock,
                                     saved="Notes saved")
        yield Header()
        with Horizontal(id="meeting-top"):
            with Vertical(id="meeting-clock"):
                yield BigText("0:00", id="meeting-digits")
                yield BigText("PAUSED", shorten=True, id="meeting-words")
            with Vertical(id="meeting-item"):
                yield BigText("", id="meeting-big-title")
                yield Static("", id="meeting-title")
                yield Static("", id="meeting-state")
                yield Static("", id="meeting-warning")
                yield Static("", id="meeting-questions")
        yield Static("", id="meeting-strip")
        yield StatusLine(id="meeting-elapsed")
        with Horizontal(id="meeting-body"):
            with Vertical(id="meeting-panel"):
                yield ReviewPanel()
                yield TextPanel("barriers-panel")
                yield TextPanel("plans-panel")
                yield TextPanel("other-panel")
            with Vertical(id="meeting-notes-box"):
                yield StatusLine("Notes (w to write, saved as you type)",
                                 id="meeting-notes-state")
                yield TextArea("", id="meeting-notes", soft_wrap=True, tab_behavior="focus")
        yield StatusLine(id="meeting-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.set_interval(0.25, self.tick)
        self.lay_out(self.app.size.width, self.app.size.height)

    def on_resize(self, event: events.Resize) -> None:
        self.lay_out(event.size.width, event.size.height)
        if self.live is not None and self.current_kind == "review":
            self.query_one(ReviewPanel).draw_rows()  # its columns follow the new width
        self.tick()  # the agenda strip's titles too

    def lay_out(self, width: int, height: int) -> None:
        """Size the clock to the terminal: a third of its height (5 rows at least), or
        nearly half in the focus view; below 110 columns the notes give way to the panel."""
        focus = self.has_class("-focus")
        self.set_class(width < 110, "-narrow")
        digits = clock_rows(height, focus)
        self.query_one("#meeting-digits", BigText).styles.height = digits
        self.query_one("#meeting-top").styles.height = (
            "1fr" if focus else digits + 5)
        self.size_title(width)

    def size_title(self, width: int) -> None:
        """The focus view's title: in blocks when it fits the width, else in bold over as
        many lines as it takes."""
        import textwrap

        big_title = self.query_one("#meeting-big-title", BigText)
        # Not "auto": the block text's height depends on its box, so it cannot size it.
        big_title.styles.height = (5 if big_title.fits(width - 6)
                                   else max(1, len(textwrap.wrap(big_title.text, width - 6))))

    # --- reading ------------------------------------------------------------------

    def before_read(self) -> None:
        self.flush_notes()  # written first, so the read has them

    def read(self) -> MeetingRead:
        db = self.mh.db
        live = checkins.load(db, self.meeting_id)
        since = checkins.previous_end(db, live.meeting.team_id, live.meeting)
        seen = None if self.away_checked else checkin_clock.seen_at(db, self.meeting_id)
        kind = live.items[live.clock.current].kind
        if kind == "plans":
            return MeetingRead(live, since, created=checkins.created_in(db, self.meeting_id),
                               seen=seen)
        if kind != "review":
            return MeetingRead(live, since, seen=seen)
        query = self.review_query or Query(team_id=live.meeting.team_id, view=View.OPEN,
                                           sort=Sort.DUE)
        # Changed in this check-in, even before this screen was opened: listed until it ends.
        changed = checkin_clock.status_changed_in(db, live.meeting.id)
        if not changed <= query.sticky:
            query = replace(query, sticky=query.sticky | changed)
        page = action_list.page(db, query, local_today(self.mh.clock), limit=200)
        return MeetingRead(live, since, (query, page), seen=seen)

    def show(self, read: MeetingRead) -> None:
        self.live, self.since = read.live, read.since
        if read.review is not None:
            self.review_query, page = read.review
            self.review_rows = [a for a in page.rows if a.meeting_id != read.live.meeting.id]
        if read.created is not None:
            self.created = read.created
        mine = self._notes_text if self.keep_mine else None
        self.keep_mine = False
        self.show_item()
        if mine is not None:
            self._keep_typed_notes(mine)
        if not self.away_checked:
            self.away_checked = True
            self.ask_about_time_away(read.seen)

    @property
    def current_kind(self) -> str:
        assert self.live is not None
        return self.live.items[self.live.clock.current].kind

    def show_item(self) -> None:
        live = self.live
        assert live is not None
        item = live.items[live.clock.current]
        count = len(live.items)
        self.query_one("#meeting-title", Static).update(styled(
            "[b]Item $number of $count: $title[/b]", number=live.clock.current + 1,
            count=count, title=item.title))
        self.query_one("#meeting-big-title", BigText).update(one_line(item.title, 200))
        self.size_title(self.app.size.width)
        questions = [q for q in item.questions.splitlines() if q.strip()]
        gap = "\n\n" if self.has_class("-focus") else "\n"
        self.query_one("#meeting-questions", Static).update(
            literal(gap.join(f"• {q}" for q in questions) or "No guiding questions."))
        notes = self.query_one("#meeting-notes", TextArea)
        if self._notes_item != item.id:
            self._notes_item = item.id
            self._notes_text = item.notes
            notes.load_text(item.notes)
            # w goes on writing after what is there, not in front of it.
            notes.move_cursor(notes.document.end)
        kind = self.current_kind
        for panel in ("review-panel", "barriers-panel", "plans-panel", "other-panel"):
            self.query_one(f"#{panel}").display = panel.startswith(kind)
        self.refresh_bindings()  # a (add action) and 1-5 depend on the item's kind
        today = local_today(self.mh.clock)
        if kind == "review":
            self.show_review(live, today)
            if not self.query_one("#meeting-notes", TextArea).has_focus:
                # Back from another item the list was hidden and lost the focus: Down did
                # nothing and the next status key changed the row left under the cursor.
                self.query_one("#review-table", LineTable).focus()
        elif kind == "barriers":  # every reflection since the last check-in: a worker
            self._read_rollup(live.meeting.team_id)
        elif kind == "plans":  # the barriers raised, from a worker, beside the actions
            self.show_plans()
            self._read_rollup(live.meeting.team_id)
        else:
            self.query_one("#other-panel", TextPanel).show(
                "Use the notes for this item (w).")
        self.tick()

    def _read_rollup(self, team_id: int) -> None:
        db, since = self.mh.db, self.since
        self.run_store(lambda: rollup.build(db, team_id, since), RollupRead)

    @on(RollupRead)
    def _rollup_read(self, read: RollupRead) -> None:
        if self.live is None:
            return
        if self.current_kind == "barriers":
            self.query_one("#barriers-panel", TextPanel).show(
                barriers_text(read.result, self.size.width * 2 // 3))
        elif self.current_kind == "plans":
            self.rolled = read.result
            self.show_plans()

    @on(SinceCounts)
    def _since_counted(self, read: SinceCounts) -> None:
        if self.live is not None and self.current_kind == "review":
            self.query_one(ReviewPanel).show_since(read.result)

    def show_plans(self) -> None:
        assert self.live is not None
        self.query_one("#plans-panel", TextPanel).show(plans_text(
            self.created, raised_barriers(self.live.items, self.rolled)))

    def show_review(self, live: Live, today: date) -> None:
        """The open actions not set in this check-in, and what changed since the last."""
        self.query_one(ReviewPanel).show(self.review_rows, today)
        # The counts since the last check-in follow from a worker: the rows are drawn
        # without waiting for them (about 30 ms at 100,000 actions).
        self._recount_since(live.meeting.team_id, today)

    def _recount_since(self, team_id: int, today: date) -> None:
        db, since = self.mh.db, self.since
        self.run_store(lambda: _since_counts(db, team_id, today, since), SinceCounts)

    def tick(self) -> None:
        """Redraw the clock from the stored state and the wall clock: nothing accumulates."""
        live = self.live
        if live is None:
            return
        now = self.mh.clock.now()
        clock = live.clock
        left = clock.remaining(now)
        shown = clock_text(left) if left >= 0 else f"+{clock_text(-left)}"
        over = left < 0
        warn = clock.warning(now)
        state = "RUNNING" if clock.running else "PAUSED"
        for big, text in (("#meeting-digits", shown),
                          ("#meeting-words", f"OVER TIME {shown}" if over else state)):
            widget = self.query_one(big, BigText)
            widget.update(text)
            widget.set_class(over, "-over")
            widget.set_class(warn, "-warn")
        planned = clock.items[clock.current].planned_seconds
        if over:
            words = f"{clock_text(-left)} over the {clock_text(planned)} planned"
        else:
            words = f"{clock_text(left)} left of {clock_text(planned)}"
        self.query_one("#meeting-state", Static).update(
            styled("[b]$state[/b] · $words", state="OVER TIME" if over else state,
                   words=words))
        self.query_one("#meeting-warning", Static).update(
            styled("[b]⚠ $left left: time to wrap up this item[/b]", left=clock_text(left))
            if warn else "")
        ring = "over" if over else ("warn" if warn else None)
        if (ring and clock.running and live.meeting.bell
                and self.rang_for != (clock.current, ring)):
            self.rang_for = (clock.current, ring)
            self.app.bell()
        if self.seen_ok and clock.running and (self.seen_mark is None
                              or self.mh.clock.monotonic() - self.seen_mark >= 60):
            self.mark_seen()
        strip = []
        # Each item gets an equal share of one line; titles give way first.
        title_width = max(3, (self.app.size.width - 2) // max(len(live.items), 1) - 30)
        for index, item in enumerate(live.items):
            spent = clock.spent(index, now)
            planned = clock.items[index].planned_seconds
            mark = "▶" if index == clock.current else ("✓" if spent else " ")
            extra = f" +{clock_text(spent - planned)} over" if spent > planned else ""
            strip.append(f"{mark} {index + 1}. {one_line(item.title, title_width)} "
                         f"{clock_text(spent)}/{clock_text(planned)}{extra}")
        self.query_one("#meeting-strip", Static).update(literal("  ".join(strip)))
        elapsed, planned_all = clock.elapsed(now), live.meeting.planned_minutes * 60
        bell = "bell on" if live.meeting.bell else "bell off"
        warn_at = clock.warn_seconds()
        bell += (f"  ·  ⚠ {clock_text(warn_at)} before the end" if warn_at
                 else "  ·  no warning for this item")
        self.query_one("#meeting-elapsed", StatusLine).say(
            f"Meeting: {clock_text(elapsed)} of {clock_text(planned_all)}"
            + (f"  (+{clock_text(elapsed - planned_all)} over)" if elapsed > planned_all
               else "") + f"  ·  {bell}")

    # --- the clock ----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        typing = isinstance(self.app.focused, TextArea | Input)
        if typing and action not in {"back"}:
            return False  # let the keys type into the notes
        if action == "status" and (self.live is None or self.current_kind != "review"):
            return False
        return not (action == "add_action"
                    and (self.live is None or self.current_kind != "plans"))

    def say(self, message: str) -> None:
        self.query_one("#meeting-status", StatusLine).say(message)

    def action_start_pause(self) -> None:
        assert self.live is not None
        self.live.clock.toggle(self.mh.clock.now())
        self._save("Clock running." if self.live.clock.running else "Clock paused.")

    async def action_move(self, step: int) -> None:
        assert self.live is not None
        if not self._notes_kept("Not moved"):
            return
        if self.live.clock.go_to(self.live.clock.current + step, self.mh.clock.now()):
            self._save()
            await self.read_now()  # the new item's rows, before the next key

    def action_adjust(self, minutes: int) -> None:
        assert self.live is not None
        clock = self.live.clock
        clock.adjust(minutes)
        self._save(f"Item now {clock_text(clock.items[clock.current].planned_seconds)} long.")

    def action_focus_view(self) -> None:
        self.set_class(not self.has_class("-focus"), "-focus")
        self.lay_out(self.app.size.width, self.app.size.height)
        if self.live is not None:
            self.show_item()

    # --- notes, actions, agenda, end ------------------------------------------------

    def action_notes(self) -> None:
        if self.has_class("-focus"):
            self.action_focus_view()  # the notes are not in the focus view
        self.add_class("-writing")  # on a narrow screen the notes take the panel's place
        self.query_one("#meeting-notes", TextArea).focus()

    @on(TextArea.Changed, "#meeting-notes")
    def _notes_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.text == self._notes_text:
            return  # the notes of another item, loaded: nothing typed
        self._notes_text = event.text_area.text
        self.notes_saver.changed()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if event.widget.id == "meeting-notes":
            self.remove_class("-writing")
        self.flush_notes()  # leaving the notes writes them

    def flush_notes(self) -> bool:
        """Write the notes typed so far; also called on leaving, so none are lost."""
        return self.notes_saver.flush()

    def _notes_kept(self, refused: str) -> bool:
        """Write the notes before they leave the screen; if they cannot be, say so."""
        if self.flush_notes():
            return True
        self.say(f"{refused}: the notes are not saved ({self.notes_saver.problem}).")
        self.app.bell()
        return False

    def _say_notes(self, message: str) -> None:
        for line in self.query("#meeting-notes-state").results(StatusLine):
            line.say(f"{message} (w to write)")

    def _write_notes(self) -> None:
        if self.live is None or self._notes_item is None:
            return
        text = self._notes_text
        item = next((i for i in self.live.items if i.id == self._notes_item), None)
        if item is not None and item.notes != text:
            try:
                saved = checkins.save_notes(self.mh.db, self._notes_item, item.version, text)
            except ConflictError as conflict:
                # Someone else wrote these notes meanwhile: read theirs, and keep what was
                # typed here below them, written again at once (nothing typed is lost).
                self._notes_item = None
                self.keep_mine = True  # what is in the box then, once theirs is read
                self.show_conflict(conflict, CONFLICT_KEPT)
                raise
            # Kept as typed, so the next flush compares with what is in the box.
            self.live = self.live.with_item(replace(saved, notes=text))

    def _keep_typed_notes(self, mine: str) -> None:
        if self.live is None or self._notes_item is None:
            return
        item = next((i for i in self.live.items if i.id == self._notes_item), None)
        if item is None:
            return
        both = keep_both(item.notes, mine)
        if both != item.notes:
            self._notes_text = both
            self.query_one("#meeting-notes", TextArea).load_text(both)
            # At once: both are on screen now (forced: a flush on leaving the notes
            # meanwhile found nothing to write, theirs not read yet).
            self.call_later(self.notes_saver.flush, True)

    def on_screen_suspend(self) -> None:
        self.flush_notes()

    def flush(self) -> None:
        self.notes_saver.flush_or_raise()

    def on_unmount(self) -> None:
        self.flush_notes()
        if self.seen_ok and self.live is not None and self.live.clock.running:
            self.mark_seen()

    def action_back(self) -> None:
        if self.has_class("-focus"):
            self.action_focus_view()
            return
        notes = self.query_one("#meeting-notes", TextArea)
        if notes.has_focus:
            self.flush_notes()
            self.focus_panel()
            return
        if self.flush_notes():
            super().action_back()
            return
        from mhtui.ui.screens.dialog import ask_to_discard

        ask_to_discard(self.app, super().action_back, "Leave with the notes not saved?",
                       f"{self.notes_saver.problem} y leaves without them; n stays.")

    def focus_panel(self) -> None:
        if self.live is not None and self.current_kind == "review":
            self.query_one("#review-table", LineTable).focus()
        else:
            self.set_focus(None)

    async def action_status(self, key: str) -> None:
        assert self.live is not None
        status = status_keys.status_of(key)
        action = self.query_one(ReviewPanel).selected()
        table = self.query_one("#review-table", LineTable)
        if action is None:
            message = "No open actions to update."
        elif not table.has_focus:
            # The keys are not on the list, so no row is the chosen one: nothing changes.
            table.focus()
            message = "Nothing changed: no action selected. Pick one with ↑/↓, then the key."
        else:
            try:
                saved, message = await status_keys.set_status(
                    self.mh.db, action, status, self.mh.clock, meeting_id=self.meeting_id)
            except actions.ConflictError as error:
                message = f"! {error}"
            else:
                if self.review_query is not None:
                    self.review_query = replace(
                        self.review_query, sticky=self.review_query.sticky | {action.id})
                if self.query_one(ReviewPanel).replace(saved):
                    # Its row alone is drawn again (the list is as it was: the action
                    # stays listed); the counts since the last check-in follow from a
                    # worker, as reading the list again took ~0.5 s at 100,000 actions.
                    self.say(message)
                    self._recount_since(self.live.meeting.team_id,
                                        local_today(self.mh.clock))
                    self.wrote()
                    return
        await self.read_now()
        self.say(message)

    def action_add_action(self) -> None:
        from mhtui.store.actions.actions import Fields
        from mhtui.ui.screens.action_form import ActionForm

        assert self.live is not None
        team_id = self.live.meeting.team_id

        def created(fields: Fields | None) -> None:
            if fields is None:
                return
            saved = actions.create(self.mh.db, team_id, fields, self.mh.clock,
                                   meeting_id=self.meeting_id)
            self.mh.action_to_select = saved.id
            self.read_soon()  # before the next key
            self.say(f"Saved: action #{saved.id} for {saved.owner}.")

        self.app.push_screen(ActionForm("New action from this check-in",
                                        local_today(self.mh.clock), require_owner=True,
                                        save=created))

    def action_edit_agenda(self) -> None:
        from mhtui.store.checkins.agenda import Agenda
        from mhtui.ui.screens.agenda_editor import AgendaEditor

        self.flush_notes()
        self.app.push_screen(AgendaEditor(Agenda("meeting", self.meeting_id)))

    def action_end(self) -> None:
        from mhtui.ui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            assert self.live is not None
            if not self._notes_kept("Not ended"):
                return
            self.live = checkins.end(self.mh.db, self.live, self.mh.clock)
            self.mh.show_minutes(self.meeting_id)

        self.app.push_screen(ConfirmScreen(
            "End this check-in?", "The clock stops and the minutes are shown. Notes and "
            "actions are already saved."), answered)


def _since_counts(db: Database, team_id: int, today: date,
                  since: datetime | None) -> dict[str, int] | None:
    # Only the counts are shown: the database counts them, the changes are never read.
    return action_list.since_summary(db, team_id, today, since).counts if since else None
