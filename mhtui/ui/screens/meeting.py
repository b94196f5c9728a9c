"""The projected check-in: big digits for the current item, its guiding questions, the
whole agenda with planned and actual minutes, notes, and the item's own panel.

The clock's state is written to the database on every start, pause, move and minute
added, so a laptop that dies mid-item resumes on the same item with the right time.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Footer, Header, Input, Static, TextArea
from textual.worker import Worker, WorkerState

from mhtui.core.action_views import Sort, View
from mhtui.core.clock import local_today
from mhtui.core.merge import keep_both
from mhtui.core.statuses import Status
from mhtui.core.wording import clock_text
from mhtui.store import action_list, actions, checkins, rollup
from mhtui.store.action_list import Query
from mhtui.store.checkins import Live
from mhtui.store.conflict import ConflictError
from mhtui.store.db import Database
from mhtui.store.rollup import RollUp
from mhtui.ui.screens.base import CONFLICT_KEPT, MHScreen
from mhtui.ui.widgets.autosave import Autosaver
from mhtui.ui.widgets.meeting_panels import ReviewPanel, TextPanel, barriers_text, plans_text
from mhtui.ui.widgets.paged_table import PagedTable
from mhtui.ui.widgets.status_line import StatusLine
from mhtui.ui.widgets.text import literal, one_line, styled


def _timer_key(key: str, action: str, description: str, name: str,
               show: bool = True) -> Binding:
    # Priority, so the timer answers even while a table has the focus; check_action
    # lets these keys through to the notes while someone is typing.
    return Binding(key, action, description, id=f"meeting.{name}", show=show, priority=True)


class MeetingScreen(MHScreen):
    TITLE_TEXT = "mhtui · check-in"
    HELP = (
        "The check-in on the projector. space starts or pauses the clock; n or → moves to "
        "the next item and p or ← to the previous one (a running clock keeps running); + "
        "and - add or take away a minute from the current item; b rings the terminal bell "
        "when an item's time is up. The clock never moves to the next item by itself. "
        "Under two minutes left the item says so; past zero it counts up as time over, "
        "kept for the minutes. w writes notes for the current item (saved as you type; "
        "Esc leaves the notes). In the review item, 1-5 set the status of the selected "
        "action as in the tracker. In the plans item, a adds an action with its owner and "
        "date. g edits this meeting's agenda; e ends the check-in and shows its minutes."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        _timer_key("space", "start_pause", "Start/pause", "start_pause"),
        _timer_key("n", "move(1)", "Next", "next"),
        _timer_key("right", "move(1)", "Next", "next_arrow", show=False),
        _timer_key("p", "move(-1)", "Previous", "previous"),
        _timer_key("left", "move(-1)", "Previous", "previous_arrow", show=False),
        _timer_key("plus", "adjust(1)", "+1 min", "minute_more"),
        _timer_key("minus", "adjust(-1)", "-1 min", "minute_less"),
        _timer_key("b", "bell", "Bell", "bell"),
        _timer_key("w", "notes", "Notes", "notes"),
        _timer_key("a", "add_action", "Add action", "add_action"),
        _timer_key("g", "edit_agenda", "Agenda", "agenda"),
        _timer_key("e", "end", "End", "end"),
        *(_timer_key(s.key, f"status({s.key})", f"Status: {s.value}", f"status_{s.key}",
                     show=False)
          for s in Status),
    ]

    def __init__(self, meeting_id: int) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        self.live: Live | None = None
        self.since: datetime | None = None
        # The review item's actions; rows changed here stay listed until the view is left.
        self.review_query: Query | None = None
        self.rang_for: int | None = None
        self._notes_item: int | None = None
        self._notes_text = ""
        self.notes_saver: Autosaver  # made in compose, once the app's clock is at hand

    def compose(self) -> ComposeResult:
        self.notes_saver = Autosaver(self, self._write_notes, self._say_notes, self.mh.clock,
                                     saved="Notes saved")
        yield Header()
        with Horizontal(id="meeting-top"):
            with Vertical(id="meeting-clock"):
                yield Digits("0:00", id="meeting-digits")
                yield Static("", id="meeting-state")
            with Vertical(id="meeting-item"):
                yield Static("", id="meeting-title")
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

    # --- reading ------------------------------------------------------------------

    def reload(self) -> None:
        self.flush_notes()
        self.live = checkins.load(self.mh.db, self.meeting_id)
        self.since = checkins.previous_end(self.mh.db, self.live.meeting.team_id,
                                           self.live.meeting)
        self.show_item()

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
        questions = [q for q in item.questions.splitlines() if q.strip()]
        self.query_one("#meeting-questions", Static).update(
            literal("\n".join(f"• {q}" for q in questions) or "No guiding questions."))
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
        today = local_today(self.mh.clock)
        if kind == "review":
            self.show_review(live, today)
        elif kind == "barriers":  # every reflection since the last check-in: a worker
            self._read_rollup(self.mh.db, live.meeting.team_id, self.since)
        elif kind == "plans":
            self.query_one("#plans-panel", TextPanel).show(
                plans_text(checkins.created_in(self.mh.db, self.meeting_id)))
        else:
            self.query_one("#other-panel", TextPanel).show(
                "Use the notes for this item (w).")
        self.tick()

    @work(thread=True, exclusive=True, group="meeting-rollup", exit_on_error=False)
    def _read_rollup(self, db: Database, team_id: int, since: datetime | None) -> RollUp:
        return rollup.build(db, team_id, since)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "meeting-rollup":
            return
        # A failure is said by MHScreen's handler, run after this one.
        if (event.state is WorkerState.SUCCESS and isinstance(worker.result, RollUp)
                and self.live is not None and self.current_kind == "barriers"):
            self.query_one("#barriers-panel", TextPanel).show(
                barriers_text(worker.result, self.size.width * 2 // 3))

    def show_review(self, live: Live, today: date) -> None:
        """The open actions not set in this check-in, and what changed since the last."""
        if self.review_query is None:
            self.review_query = Query(team_id=live.meeting.team_id, view=View.OPEN,
                                      sort=Sort.DUE)
        page = action_list.page(self.mh.db, self.review_query, today, limit=200)
        changes = (action_list.since(self.mh.db, live.meeting.team_id, self.since, today)
                   if self.since else None)
        self.query_one(ReviewPanel).show(
            [a for a in page.rows if a.meeting_id != live.meeting.id], today, changes)

    def tick(self) -> None:
        """Redraw the clock from the stored state and the wall clock: nothing accumulates."""
        live = self.live
        if live is None:
            return
        now = self.mh.clock.now()
        clock = live.clock
        left = clock.remaining(now)
        digits = self.query_one("#meeting-digits", Digits)
        digits.update(clock_text(left) if left >= 0 else f"+{clock_text(-left)}")
        over = left < 0
        warn = clock.warning(now)
        digits.set_class(over, "-over")
        digits.set_class(warn, "-warn")
        state = "RUNNING" if clock.running else "PAUSED"
        if over:
            words = f"OVER TIME by {clock_text(-left)}"
        elif warn:
            words = f"under two minutes left ({clock_text(left)})"
        else:
            planned = clock.items[clock.current].planned_seconds
            words = f"{clock_text(left)} left of {clock_text(planned)}"
        self.query_one("#meeting-state", Static).update(
            styled("[b]$state[/b]\n$words", state=state, words=words))
        if over and clock.running and live.meeting.bell and self.rang_for != clock.current:
            self.rang_for = clock.current
            self.app.bell()
        strip = []
        # Each item gets an equal share of one line; titles give way first.
        title_width = max(6, (self.size.width - 2) // max(len(live.items), 1) - 24)
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

    def _save(self, message: str = "") -> None:
        assert self.live is not None
        self.live = checkins.save_clock(self.mh.db, self.live, self.mh.clock)
        if message:
            self.say(message)
        self.tick()

    def say(self, message: str) -> None:
        self.query_one("#meeting-status", StatusLine).say(message)

    def action_start_pause(self) -> None:
        assert self.live is not None
        self.live.clock.toggle(self.mh.clock.now())
        self._save("Clock running." if self.live.clock.running else "Clock paused.")

    def action_move(self, step: int) -> None:
        assert self.live is not None
        if not self._notes_kept("Not moved"):
            return
        if self.live.clock.go_to(self.live.clock.current + step, self.mh.clock.now()):
            self._save()
            self.show_item()

    def action_adjust(self, minutes: int) -> None:
        assert self.live is not None
        clock = self.live.clock
        clock.adjust(minutes)
        self._save(f"Item now {clock_text(clock.items[clock.current].planned_seconds)} long.")

    def action_bell(self) -> None:
        assert self.live is not None
        self.live = replace(self.live, meeting=checkins.set_bell(
            self.mh.db, self.meeting_id, self.live.meeting.version, not self.live.meeting.bell))
        self.say("The bell will ring when an item's time is up." if self.live.meeting.bell
                 else "Bell off.")
        self.tick()

    # --- notes, actions, agenda, end ------------------------------------------------

    def action_notes(self) -> None:
        self.query_one("#meeting-notes", TextArea).focus()

    @on(TextArea.Changed, "#meeting-notes")
    def _notes_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.text == self._notes_text:
            return  # the notes of another item, loaded: nothing typed
        self._notes_text = event.text_area.text
        self.notes_saver.changed()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
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
                self.show_conflict(conflict, CONFLICT_KEPT)
                self._keep_typed_notes(text)
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
            self.call_later(self.notes_saver.flush)  # at once: both are on screen now

    def on_screen_suspend(self) -> None:
        self.flush_notes()

    def flush(self) -> None:
        self.notes_saver.flush_or_raise()

    def on_unmount(self) -> None:
        self.flush_notes()

    def action_back(self) -> None:
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
            self.query_one("#review-table", PagedTable).focus()
        else:
            self.set_focus(None)

    def action_status(self, key: str) -> None:
        assert self.live is not None
        status = list(Status)[int(key) - 1]
        action = self.query_one(ReviewPanel).selected()
        if action is None:
            message = "No open actions to update."
        else:
            try:
                saved = actions.set_status(self.mh.db, action.id, action.version, status,
                                           self.mh.clock, meeting_id=self.meeting_id)
            except actions.ConflictError as error:
                message = f"! {error}"
            else:
                if self.review_query is not None:
                    self.review_query = replace(
                        self.review_query, sticky=self.review_query.sticky | {action.id})
                message = f"Saved: #{saved.id} is now {status.symbol} {status.value}."
        self.show_item()
        self.say(message)

    def action_add_action(self) -> None:
        from mhtui.store.actions import Fields
        from mhtui.ui.screens.action_form import ActionForm

        assert self.live is not None
        team_id = self.live.meeting.team_id

        def created(fields: Fields | None) -> None:
            if fields is None:
                return
            saved = actions.create(self.mh.db, team_id, fields, self.mh.clock,
                                   meeting_id=self.meeting_id)
            self.mh.action_to_select = saved.id
            self.show_item()
            self.say(f"Saved: action #{saved.id} for {saved.owner}.")

        self.app.push_screen(ActionForm("New action from this check-in",
                                        local_today(self.mh.clock), require_owner=True,
                                        save=created))

    def action_edit_agenda(self) -> None:
        from mhtui.store.agenda import Agenda
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
