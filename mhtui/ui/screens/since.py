"""What changed since the team's last check-in: the first thing a check-in reviews.

The changes are read a page at a time, like the tracker's rows: the counts of each group
come from SQLite, and the table never holds more than one page, so the view opens as
fast with 100,000 changes as with ten.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static
from textual.worker import Worker

from mhtui.core.statuses import Status
from mhtui.store.actions.action_list import PAGE_SIZE, Change, SinceSummary
from mhtui.ui.screens.base import Read, run_store
from mhtui.ui.widgets.line_table import Cell, Column, ListRows
from mhtui.ui.widgets.paged_table import PagedTable
from mhtui.ui.widgets.status_line import StatusLine
from mhtui.ui.widgets.text import literal, one_line, styled

if TYPE_CHECKING:
    from mhtui.ui.app_api import MH

GROUPS = (
    ("new", "New actions"),
    ("status", "Status changes"),
    ("completed", "Completed"),
    ("overdue", "Newly overdue"),
)

BOX_MOST = 140  # columns: the box's max-width in screens.tcss

# Reads the changes from an offset (0 first): the screen calls it for each page.
ReadPage = Callable[[int], tuple[Change, ...]]
# Counts the changes of each group (in a worker, while the first page shows).
Count = Callable[[], SinceSummary]
# A row of the table: the change's place in the whole list (its key), and the change.
Numbered = tuple[int, Change]


def _detail(change: Change, width: int) -> str:
    """The change in words, or in the tracker's status symbols where the words do not
    fit ("○→⚠ blocked/behind", "was due 2026-11-11")."""
    if len(change.detail) <= width:
        return change.detail
    if change.what == "overdue" and change.action.due_on is not None:
        return f"was due {change.action.due_on}"
    try:
        old, new = Status(change.old), Status(change.new)
    except ValueError:
        return change.detail
    return f"{old.symbol}→{new.symbol} {new.short}"


def render_summary(summary: SinceSummary) -> Content:
    if summary.since_at is None:
        return literal("No check-in has been held yet, so there is nothing to compare with.")
    if summary.counts is None:
        return literal("Counting the changes…")
    if not summary.total:
        return literal("Nothing has changed since the last check-in.")
    return Content(" · ").join(
        styled("[b]$title[/b] ($count)", title=title, count=f"{counts[what]:,}")
        for counts in [summary.counts] for what, title in GROUPS)


def heading(summary: SinceSummary) -> str:
    if summary.counts is None:
        return "Since the last check-in"
    total = summary.total
    return f"Since the last check-in: {total:,} {'change' if total == 1 else 'changes'}"


class Counted(Read[SinceSummary]):
    """The changes counted, once the first page is on screen."""


class SinceScreen(ModalScreen[None]):
    TITLE_TEXT = "since the last check-in"
    HELP = (
        "Everything that moved since the team's last check-in ended: actions added, "
        "status changes, actions completed, and actions whose due date has passed since, "
        "in that order, with how many of each at the top (counted while the first page "
        "shows). The changes are read a page at a time: moving past the last row reads "
        "the next page, Home and End go to the first and the last change."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", id="since.close"),
    ]

    def __init__(self, summary: SinceSummary, first: tuple[Change, ...], read_page: ReadPage,
                 count: Count) -> None:
        super().__init__()
        self.summary = summary
        self.count = count
        self.rows = first
        self.start = 0
        self.laid_for = 0  # the screen width the table was laid out for
        self.read_page = read_page

    def compose(self) -> ComposeResult:
        with Vertical(id="since-box", classes="dialog") as box:
            box.border_title = literal(heading(self.summary))
            box.border_subtitle = "esc closes"
            yield Static(render_summary(self.summary), id="since-body")
            yield StatusLine(id="since-rows")
            yield PagedTable[Numbered](id="since-table", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._fill()
        if self.summary.counts is None:
            run_store(self, self.count, Counted)

    @on(Counted)
    def _counted(self, counted: Counted) -> None:
        self.summary = counted.result
        self._say_counts()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A failure is said by the app's one handler (the message does not bubble).
        cast("MH", self.app).on_worker_state_changed(event)

    @property
    def table(self) -> PagedTable[Numbered]:
        return cast("PagedTable[Numbered]", self.query_one(PagedTable))

    def _widths(self) -> tuple[int, int, int, int]:
        """#, change, action and owner: the action takes what the others leave."""
        # The box's width as screens.tcss sets it (90%, at most 140), less its border
        # and padding; known before the first layout, so the first page is laid out once.
        inner = max(min(self.app.size.width * 9 // 10, BOX_MOST) - 4, 40)
        wide = inner >= 100
        number, change, owner = 7, 32 if wide else 18, 24 if wide else 10
        # Each column has a cell of padding either side, and the scroll bar takes two.
        return number, change, max(inner - number - change - owner - 10, 10), owner

    def _fill(self, cursor_row: int | None = None) -> None:
        table = self.table
        self.laid_for = self.app.size.width
        number, change, text, owner = self._widths()
        table.set_columns([Column(label.lower(), label, width) for label, width in (
            ("#", number), ("Change", change), ("Action", text), ("Owner", owner))])

        def cells(row: Numbered, _columns: object) -> list[Cell]:
            c = row[1]
            return [str(c.action.id), one_line(_detail(c, change), change),
                    one_line(c.action.text, text), one_line(c.action.owner, owner) or "—"]

        # Drawn a line at a time as the rows come into view; the page is all it holds.
        table.set_source(ListRows(list(enumerate(self.rows, self.start)),
                                  lambda row: str(row[0]), cells),
                         cursor_row=cursor_row or 0)
        self._say_counts()

    def _say_counts(self) -> None:
        """The counts, the rows shown of how many, and whether there is more to page to."""
        total = self.summary.total
        table = self.table
        table.has_previous = self.start > 0
        # Until they are counted, the first page is all there is to move in.
        table.has_next = self.start + len(self.rows) < total
        self.query_one("#since-box").border_title = literal(heading(self.summary))
        self.query_one("#since-body", Static).update(render_summary(self.summary))
        shown = f"rows {self.start + 1:,}–{self.start + len(self.rows):,}"
        if self.summary.counts is not None:
            shown += f" of {total:,} {'change' if total == 1 else 'changes'}"
        self.query_one("#since-rows", StatusLine).say(shown if self.rows else "")

    def on_resize(self) -> None:
        if self.is_mounted and self.app.size.width != self.laid_for:
            self._fill(cursor_row=self.table.cursor_row)

    @on(PagedTable.PageRequest)
    async def _page(self, event: PagedTable.PageRequest) -> None:
        total = self.summary.total
        if event.where == "first":
            offset, row = 0, 0
        elif event.where == "last":
            offset, row = max(total - 1, 0) // PAGE_SIZE * PAGE_SIZE, PAGE_SIZE
        else:
            offset = max(0, self.start + event.step * PAGE_SIZE)
            row = 0 if event.step > 0 else PAGE_SIZE
        # In a thread, before the next key: it moves in the page read.
        self.rows, self.start = await asyncio.to_thread(self.read_page, offset), offset
        self._fill(cursor_row=row)
