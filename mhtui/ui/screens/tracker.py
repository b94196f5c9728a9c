"""The action tracker: every action with its owner, due date and status, changed by
single keys while the group talks. Every change is saved the moment it is made.

Typing a filter, the list's pages beyond the first and the changes since the last
check-in are read in workers (``run_store``) and come back as typed messages: the filter
box takes each key at once and the table shows the newest filter's rows.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Footer, Header, Static

from mhtui.core.action_views import Sort, View, following
from mhtui.core.clock import local_today
from mhtui.core.statuses import Status
from mhtui.store.actions import action_list, actions
from mhtui.store.actions.action_list import ActionPage, Change, Query, SinceSummary
from mhtui.store.actions.action_undo import Step, UndoStack, fields_of
from mhtui.store.actions.actions import ActionItem, ConflictError, Fields, HistoryLine
from mhtui.store.database.db import Database
from mhtui.store.grid import shift_plans
from mhtui.ui import status_keys
from mhtui.ui.screens.base import MHScreen, Read
from mhtui.ui.widgets.action_cells import cells, columns_for, detail
from mhtui.ui.widgets.fields import Input
from mhtui.ui.widgets.line_table import Cell, Column, LineTable
from mhtui.ui.widgets.status_legend import STATUS_LEGEND
from mhtui.ui.widgets.status_line import StatusLine
from mhtui.ui.widgets.text import literal, one_line

# Columns; below this the detail panel moves under the table. At 120 the panel beside it
# left the table 63 cells: the legend, the dates and "overdue by N days" were cut.
NARROW_BELOW = 150
# Seconds without a key before the filter's rows are read: a word typed at speed is read
# once, not once per letter; each key still shows in the box and the bar at once.
FILTER_PAUSE = 0.15
DETAIL_WIDTH = 56

@dataclass(frozen=True)
class Wanted:
    """Where the cursor goes when the list is read again: on action ``select`` (its
    page found first), else on the row keyed ``keep`` if the page read holds it, else
    on row ``row`` of the whole list, whose page is read (None: the page at
    ``page_offset``)."""

    row: int | None = None
    keep: str | None = None
    select: int | None = None


@dataclass(frozen=True)
class Listed:
    """The page of the list read for ``wanted``, with the query and day it was read for."""

    query: Query
    today: date
    page: ActionPage
    wanted: Wanted


class DetailRead(Read[tuple[ActionItem, list[HistoryLine], str | None]]):
    """The selected action's history and shift-plan task, for the detail panel."""


class ActionPageRead(Read[tuple["ActionRows", int, ActionPage]]):
    """A page of the list the table asked for (LineTable.PageWanted)."""


class SinceRead(Read[tuple[SinceSummary, tuple[Change, ...]]]):
    """The changes since the last check-in: the summary and the first page."""


class ActionRows:
    """The tracker's rows for its LineTable: the list of a query, a page at a time.

    Made with the page the screen has just read (the rows around the cursor), which it
    hands out once; the table asks the screen for any other page (``took`` keeps it).
    """

    def __init__(self, db: Database, query: Query, today: date, first: ActionPage,
                 wider: Callable[[], object]) -> None:
        self.db, self.query, self.today = db, query, today
        self.first: ActionPage | None = first
        self.total = first.total
        self.meetings = dict(first.meetings)
        self.id_digits = _digits(first.rows)
        self.wider = wider  # called when a page's numbers need a wider "#" column

    def count(self) -> int:
        return self.total

    def page(self, offset: int, limit: int) -> Sequence[ActionItem] | None:
        first, self.first = self.first, None
        return first.rows if first is not None and first.offset == offset else None

    def read_page(self, offset: int, limit: int) -> ActionPage:
        """A page from the store (in a worker); ``took`` then hands it to the table."""
        return action_list.page(self.db, self.query, self.today, offset, limit)

    def read(self, offset: int, limit: int) -> Sequence[ActionItem]:
        return self.took(offset, self.read_page(offset, limit))

    def took(self, offset: int, read: ActionPage) -> Sequence[ActionItem]:
        """The rows of a page read for the table, their meetings and widths noted."""
        self.meetings.update(read.meetings)
        if _digits(read.rows) > self.id_digits:
            self.id_digits = _digits(read.rows)
            self.wider()
        # A shorter list than counted (rows deleted elsewhere): the table draws blanks.
        return read.rows if read.offset == offset else ()

    def key(self, row: ActionItem) -> str:
        return str(row.id)

    def cells(self, row: ActionItem, columns: Sequence[Column]) -> Sequence[Cell]:
        return cells(row, [(c.label, c.width) for c in columns], self.today, self.meetings)


def _digits(rows: Sequence[ActionItem]) -> int:
    return len(str(max((a.id for a in rows), default=1)))


class TrackerScreen(MHScreen):
    TITLE_TEXT = "mhtui · action tracker"
    # Textual sets the class for the width; screens.tcss lays the panels out by it.
    # (Textual types it as an instance variable, so no ClassVar here.)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_BELOW, "-wide")]  # noqa: RUF012
    HELP = (
        "Every barrier gets an action with an owner and a due date. On the selected row, "
        "1-5 set the status (1 not started, 2 in progress, 3 blocked or behind schedule, "
        "4 abandoned, 5 completed). Every change is saved at once with a line in the "
        "action's history, shown in the detail panel. u undoes your changes one by one "
        "and ctrl+r redoes them. f cycles the views (open, overdue, due in the next 14 "
        "days, all); o cycles the sort; / filters by words in the action or owner (every "
        "word, in any order; capitals and accents do not matter: zoe finds Zoë). An "
        "action is overdue when its date has passed and it is neither completed nor "
        "abandoned: the row says so in words, with a ! mark. If another copy of mhtui "
        "changed an action since you looked, your change is refused and the newer values "
        "are shown. Rows come from the database a page at a time; moving past the last "
        "row loads the next page."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        *status_keys.bindings("tracker"),
        Binding("n", "new", "New", id="tracker.new"),
        Binding("e", "edit", "Edit", id="tracker.edit"),
        Binding("u", "undo", "Undo", id="tracker.undo"),
        Binding("ctrl+r", "redo", "Redo", id="tracker.redo"),
        Binding("delete", "delete", "Delete", id="tracker.delete"),
        Binding("slash", "filter", "Filter", id="tracker.filter"),
        Binding("f", "cycle_view", "View", id="tracker.view"),
        Binding("o", "cycle_sort", "Sort", id="tracker.sort"),
        Binding("l", "since", "Since last", id="tracker.since"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.query_state: Query | None = None
        self.rows: ActionRows | None = None  # the list the table shows
        self.page_offset = 0  # the first row of the page read when the list is shown
        self.bar_text = ""
        self.undo_stack = UndoStack()
        self.columns: list[tuple[str, int]] = []
        self.laid_out_for = 0  # the width the page was last laid out for
        # The pause after a filter key, before its rows are read.
        self.filter_timer: Timer | None = None
        self.wanted = Wanted()  # where the next read puts the cursor

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="tracker-main"):
            with Vertical(id="tracker-left"):
                yield StatusLine(id="tracker-bar")
                yield StatusLine(STATUS_LEGEND, id="status-legend")
                yield LineTable[ActionItem](id="actions-table", cursor_type="row",
                                            zebra_stripes=True, page_size=action_list.PAGE_SIZE)
                yield Input(placeholder="filter: words in the action or owner (Enter keeps, "
                            "Esc clears)", id="tracker-filter", classes="hidden")
            with VerticalScroll(id="tracker-detail-box"):
                yield Static("", id="tracker-detail")
        yield StatusLine(id="tracker-status")
        yield Footer(compact=True)

    # --- reading ------------------------------------------------------------------

    @property
    def table(self) -> LineTable[ActionItem]:
        return self.query_one("#actions-table", LineTable)

    def before_read(self) -> None:
        """Back on the screen, or the data changed under it: the list is read again
        with the cursor on its row (or on the action another screen asks for)."""
        select, self.mh.action_to_select = self.mh.action_to_select, None
        self.wanted = Wanted(self.table.cursor_row, self.selected_key(), select)

    def read(self) -> Listed:
        db, team_id, query, wanted = self.mh.db, self.mh.team_id, self.query_state, self.wanted
        assert team_id is not None
        offset, size = self.page_offset, action_list.PAGE_SIZE
        if query is None or query.team_id != team_id:  # first, or another team's
            query, offset = Query(team_id=team_id, view=View.OPEN), 0
            wanted = Wanted(0, select=wanted.select)
        elif wanted.row is not None:
            offset = wanted.row // size * size
        today = local_today(self.mh.clock)
        if wanted.select is not None:
            where = action_list.position(db, query, today, wanted.select)
            if where is not None:
                offset = where // size * size
        return Listed(query, today, action_list.page(db, query, today, offset), wanted)

    def show(self, listed: Listed) -> None:
        self.query_state = listed.query
        wanted = listed.wanted
        keep = str(wanted.select) if wanted.select is not None else wanted.keep
        self._lay_out(listed.page, keep, wanted.row if wanted.select is None else None)

    def show_page(self, wanted: Wanted) -> None:
        """Read the list again before the next key acts (the key gate waits for it)."""
        self._drop_filter_timer()
        self.wanted = wanted
        self.read_soon()

    @property
    def filter_pending(self) -> bool:
        """A filter typed whose rows the table does not show yet."""
        return self.filter_timer is not None or self.reads != self.shown

    def _lay_out(self, page: ActionPage, keep_key: str | None = None,
                 cursor_row: int | None = None) -> None:
        assert self.query_state is not None
        self.rows = ActionRows(self.mh.db, self.query_state, local_today(self.mh.clock), page,
                               wider=lambda: self.call_later(self._fit_columns))
        self.page_offset = page.offset
        self._fit_columns()
        row = page.offset if cursor_row is None else cursor_row
        if keep_key is not None:
            row = next((page.offset + i for i, a in enumerate(page.rows)
                        if str(a.id) == keep_key), row)
        self.table.set_source(self.rows, cursor_row=row)
        self.update_bar()
        self.show_detail()

    def _fit_columns(self) -> None:
        """The columns for the screen's width; a resize changes only these."""
        self.laid_out_for = self.size.width
        narrow = self.size.width < NARROW_BELOW  # as the breakpoint class says
        digits = self.rows.id_digits if self.rows is not None else 1
        self.columns = columns_for(self.size.width - (0 if narrow else DETAIL_WIDTH + 1),
                                   digits)
        self.table.set_columns([Column(label.lower(), label, width)
                                for label, width in self.columns])

    def update_bar(self) -> None:
        """Where the list stands: the hundred rows around the cursor, of how many."""
        assert self.query_state is not None and self.rows is not None
        q, total = self.query_state, self.rows.total
        size = action_list.PAGE_SIZE
        start = self.table.cursor_row // size * size
        shown = f"{start + 1}–{min(start + size, total)} of {total:,}" if total else "none"
        parts = [f"view: {q.view.value}", f"sort: {q.sort.value}", f"rows {shown}"]
        if q.text:
            parts.insert(2, f"filter: “{one_line(q.text, 20)}”")
        text = "  ·  ".join(parts)
        if text != self.bar_text:
            self.bar_text = text
            self.query_one("#tracker-bar", StatusLine).say(text)

    def selected(self) -> ActionItem | None:
        return self.table.cursor_value

    def selected_key(self) -> str | None:
        return self.table.cursor_key

    def show_detail(self) -> None:
        action = self.selected()
        box = self.query_one("#tracker-detail", Static)
        if action is None:
            q = self.query_state
            if q is not None and q.text and not self.table.row_count:
                # Not "press n": the team has actions, the filter hides them.
                box.update(literal(f"No action in the view {q.view.value} matches "
                                   f"“{one_line(q.text, 40)}”. / then Esc clears the "
                                   "filter; f changes the view."))
            else:
                box.update("No action selected. Press n to add one.")
            return
        db = self.mh.db
        self.run_store(lambda: (action, actions.history(db, action.id), (
            shift_plans.plan_task(db, action.shift_plan_id)
            if action.shift_plan_id is not None else None)), DetailRead)

    @on(DetailRead)
    def _detail_read(self, read: DetailRead) -> None:
        action, history, plan = read.result
        if self.selected() != action:
            return  # the cursor moved on, or the row changed: a newer read is coming
        origin = self.rows.meetings.get(action.meeting_id or 0) if self.rows else None
        self.query_one("#tracker-detail", Static).update(
            detail(action, history, local_today(self.mh.clock), origin, plan))

    def say(self, message: str) -> None:
        self.query_one("#tracker-status", StatusLine).say(message)

    @on(LineTable.PageWanted, "#actions-table")
    def _page_wanted(self, wanted: LineTable.PageWanted) -> None:
        rows, offset = wanted.source, wanted.offset
        assert isinstance(rows, ActionRows)
        self.run_store(lambda: (rows, offset, rows.read_page(offset, wanted.limit)), ActionPageRead,
                       exclusive=False)

    @on(ActionPageRead)
    def _page_read(self, message: ActionPageRead) -> None:
        rows, offset, page = message.result
        self.table.fill_page(rows, offset, rows.took(offset, page))

    @on(LineTable.RowHighlighted, "#actions-table")
    def _highlighted(self) -> None:
        if self.rows is not None:
            self.update_bar()
        # After the cursor's lines are on screen, as after a status key.
        self.call_after_refresh(self.show_detail)

    def on_resize(self, _event: events.Resize) -> None:
        # Only the columns follow the width: the rows are as they were. (The first
        # Resize comes just after the first load, at the same width: nothing to do.)
        if self.rows is not None and self.size.width != self.laid_out_for:
            self._fit_columns()

    # --- writing ------------------------------------------------------------------

    def _after_write(self, action: ActionItem, message: str) -> None:
        """Show the row as the database now holds it, and keep it in view."""
        assert self.query_state is not None
        sticky = self.query_state.sticky | {action.id}
        self.query_state = replace(self.query_state, sticky=frozenset(sticky))
        # While a filter's rows are still being read, the table is not that filter's.
        if self.filter_pending or not self._replace_row(action):
            self._show_row(action.id)
        self.say(message)

    def _show_row(self, action_id: int) -> None:
        """Open the page that holds ``action_id`` with the cursor on it: after a new
        action is saved, the next key must change that action, not the one before."""
        self.show_page(Wanted(select=action_id))

    def _replace_row(self, action: ActionItem) -> bool:
        """Redraw one row in place when the table holds it: only that row's line is
        drawn again, so a keypress costs the same with 100 actions or 100,000. False
        when the list must be read again."""
        if self.rows is None or action.deleted_at is not None:
            return False
        if not self.table.replace_row(str(action.id), action):
            return False
        # The detail panel (its history re-read and re-wrapped) after the row is on
        # screen: the row is what the room watches, and it then shows in the next frame.
        self.call_after_refresh(self.show_detail)
        return True

    def _conflict(self, error: ConflictError) -> None:
        """Show the newer row where the stale one was, with what changed in words."""
        current = error.current
        if current is not None and not current.deleted_at:
            self._after_write(current, f"! {error}")
        else:
            self.show_page(Wanted(self.table.cursor_row))
            self.say(f"! {error}")
        self.app.bell()

    async def action_status(self, key: str) -> None:
        action = self.selected()
        if action is None:
            self.say("No action selected.")
            return
        status, before = status_keys.status_of(key), Status(action.status)
        try:
            saved, said = await status_keys.set_status(self.mh.db, action, status,
                                                       self.mh.clock)
        except ConflictError as error:
            self._conflict(error)
            return
        if before is not status:
            self.undo_stack.record(Step(action.id, "status", saved.version, before, status))
        self._after_write(saved, said)

    def action_new(self) -> None:
        from mhtui.ui.screens.action_form import ActionForm

        def created(fields: Fields | None) -> None:
            if fields is None:
                return
            assert self.mh.team_id is not None
            saved = actions.create(self.mh.db, self.mh.team_id, fields, self.mh.clock)
            self.undo_stack.record(Step(saved.id, "create", saved.version))
            self._after_write(saved, f"Saved: new action #{saved.id}.")

        # The form writes through `created` and stays open if the write fails.
        self.app.push_screen(ActionForm("New action", local_today(self.mh.clock), save=created))

    def action_edit(self) -> None:
        from mhtui.ui.screens.action_form import ActionForm

        action = self.selected()
        if action is None:
            self.say("No action selected.")
            return
        action_id, version, before = action.id, action.version, fields_of(action)

        def edited(fields: Fields | None) -> None:
            if fields is None or fields == before:
                return
            try:
                saved = actions.edit(self.mh.db, action_id, version, fields, self.mh.clock)
            except ConflictError as error:
                self._conflict(error)
                raise  # the form stays open with the text, saying why
            self.undo_stack.record(Step(action_id, "edit", saved.version, before,
                                        fields_of(saved)))
            self._after_write(saved, f"Saved: #{action_id} edited.")

        self.app.push_screen(
            ActionForm(f"Edit action #{action_id}", local_today(self.mh.clock), before,
                       save=edited))

    @on(LineTable.RowSelected, "#actions-table")
    def _enter(self) -> None:
        self.action_edit()

    def action_delete(self) -> None:
        from mhtui.ui.screens.confirm import ConfirmScreen

        action = self.selected()
        if action is None:
            self.say("No action selected.")
            return
        action_id, version = action.id, action.version

        def answered(yes: bool | None) -> None:
            if not yes:
                self.say("Nothing deleted.")
                return
            try:
                saved = actions.delete(self.mh.db, action_id, version, self.mh.clock)
            except ConflictError as error:
                self._conflict(error)
                return
            self.undo_stack.record(Step(action_id, "delete", saved.version))
            self.show_page(Wanted(self.table.cursor_row))
            self.say(f"Deleted #{action_id}. Press u to undo.")

        self.app.push_screen(
            ConfirmScreen("Delete this action?", one_line(action.text, 200)), answered
        )

    async def _undo_redo(self, redo: bool) -> None:
        stack = self.undo_stack
        try:  # in a thread, as a status key's write (status_keys)
            step, saved = await asyncio.to_thread(stack.redo if redo else stack.undo,
                                                  self.mh.db, self.mh.clock)
        except IndexError:
            self.say("Nothing to redo." if redo else "Nothing to undo in this session.")
            return
        except ConflictError as error:
            self._conflict(error)
            return
        verb = "Redone" if redo else "Undone"
        self._after_write(saved, f"{verb}: {step.describe()} on #{step.action_id}.")

    async def action_undo(self) -> None:
        await self._undo_redo(redo=False)

    async def action_redo(self) -> None:
        await self._undo_redo(redo=True)

    # --- views ----------------------------------------------------------------------

    def _requery(self, **changes: object) -> None:
        assert self.query_state is not None
        self.query_state = replace(self.query_state, sticky=frozenset(), **changes)  # type: ignore[arg-type]
        self.show_page(Wanted(0))

    def action_cycle_view(self) -> None:
        assert self.query_state is not None
        self._requery(view=following(self.query_state.view))

    def action_cycle_sort(self) -> None:
        assert self.query_state is not None
        self._requery(sort=following(self.query_state.sort))

    def set_sort(self, sort: Sort) -> None:
        self._requery(sort=sort)

    def set_view(self, view: View) -> None:
        self._requery(view=view)

    def commands(self) -> Iterable[SystemCommand]:
        for sort in Sort:
            yield SystemCommand(f"sort: by {sort.value}", "Order the tracker's rows",
                                lambda s=sort: self.set_sort(s))
        for view in View:
            yield SystemCommand(f"view: {view.value}", "Which actions the tracker shows",
                                lambda v=view: self.set_view(v))
        yield SystemCommand("tracker: since the last check-in", "What changed since then",
                            self.action_since)

    def action_filter(self) -> None:
        box = self.query_one("#tracker-filter", Input)
        box.remove_class("hidden")
        box.focus()

    @on(Input.Changed, "#tracker-filter")
    def _filter_typed(self, event: Input.Changed) -> None:
        # Only the query: Esc clears the box (a Changed too) and hands the keys back to
        # the table, and taking the focus here sent the next "2" into the hidden box.
        assert self.query_state is not None
        if event.value != self.query_state.text:
            self.query_state = replace(self.query_state, sticky=frozenset(), text=event.value)
            self.reads += 1  # a read in flight is not this filter's: not shown
            self.update_bar()  # the words show at once; the rows follow from the worker
            if self.filter_timer is not None:
                self.filter_timer.stop()
            self.filter_timer = self.set_timer(FILTER_PAUSE, self._start_filter_read)

    def _start_filter_read(self) -> None:
        self.filter_timer = None
        self.wanted = Wanted(0)
        self.read_later()

    def _drop_filter_timer(self) -> None:
        if self.filter_timer is not None:
            self.filter_timer.stop()
            self.filter_timer = None

    async def settle_filter(self) -> None:
        """Show the newest filter's rows now if they are still being read: the keys are
        going back to the table, and the next one must act on a row of that filter."""
        if self.filter_pending:
            self._drop_filter_timer()
            self.wanted = Wanted(0)
            await self.read_now()

    @on(Input.Submitted, "#tracker-filter")
    async def _filter_done(self) -> None:
        await self.settle_filter()
        self.table.focus()

    @on(Input.Blurred, "#tracker-filter")
    async def _filter_left(self) -> None:
        await self.settle_filter()

    def action_back(self) -> None:
        if self.query_one("#tracker-filter", Input).has_focus:
            self.call_later(self._leave_filter)  # the next key waits for it
            return
        super().action_back()

    async def _leave_filter(self) -> None:
        """Esc clears the filter and keeps the action that was selected in it, so the
        next status key changes the row the person was looking at."""
        await self.settle_filter()
        key = self.selected_key()
        box = self.query_one("#tracker-filter", Input)
        box.value = ""
        box.add_class("hidden")
        self.table.focus()
        assert self.query_state is not None
        if self.query_state.text:
            self.query_state = replace(self.query_state, sticky=frozenset(), text="")
            self.show_page(Wanted(0, select=None if key is None else int(key)))

    def action_since(self) -> None:
        team_id, db, today = self.mh.team_id, self.mh.db, local_today(self.mh.clock)
        assert team_id is not None
        self.run_store(lambda: _since_first(db, team_id, today), SinceRead)

    @on(SinceRead)
    def _show_since(self, read: SinceRead) -> None:
        from mhtui.ui.screens.since import SinceScreen

        if self.app.screen is not self:
            return
        summary, first = read.result
        db = self.mh.db

        counted = summary

        def count() -> SinceSummary:
            nonlocal counted
            counted = action_list.since_summary(db, summary.team_id, summary.today,
                                                summary.since_at)
            return counted

        def read_page(offset: int) -> tuple[Change, ...]:
            return action_list.since_page(db, counted, offset)

        self.app.push_screen(SinceScreen(summary, first, read_page, count))


def _since_first(db: Database, team_id: int,
                 today: date) -> tuple[SinceSummary, tuple[Change, ...]]:
    # The first page only; the screen counts the changes in a worker of its own and
    # reads the rest a page at a time.
    summary = action_list.since_begin(db, team_id, today)
    return summary, action_list.since_page(db, summary)
