"""The reflection's time-allocation table: one row per task type, its name a fixed label
shown in full (wrapped), then the ideal and now shares, the gap (with an arrow and a
sign, so it reads without colour) and the actions. Tab goes ideal -> now -> actions and
on to the next row; naming a row is a key of the form's own (ctrl+n, ctrl+r)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Static

from mhtui.core import allocation
from mhtui.core.allocation import Problem, Row, ShareError
from mhtui.ui.widgets.fields import Input
from mhtui.ui.widgets.text import show

COLUMNS = {"ideal": ".alloc-ideal", "now": ".alloc-current"}


class AllocationRowView(Horizontal):
    def __init__(self, row: Row) -> None:
        super().__init__(classes="alloc-row")
        self.row = row
        self.task_type = row.task_type

    def compose(self) -> ComposeResult:
        # A label, not a field: a slip of the keys cannot rename the task type.
        yield Static(self.task_type or "(no name)", classes="alloc-type", markup=False)
        yield Input(self.row.ideal, classes="alloc-ideal", placeholder="ideal %", compact=True)
        yield Input(self.row.current, classes="alloc-current", placeholder="now %",
                    compact=True)
        yield Static("", classes="alloc-gap")
        yield Input(self.row.actions, classes="alloc-actions", compact=True,
                    placeholder="what would move you toward the ideal?")
        yield Static("", classes="alloc-error error", markup=False)

    def on_mount(self) -> None:
        self.refresh_figures()

    def rename(self, task_type: str) -> None:
        self.task_type = task_type
        show(self.query_one(".alloc-type", Static), task_type or "(no name)")

    def value(self) -> Row:
        if not self.query(".alloc-ideal"):  # mounted, its fields not made yet
            return Row(self.task_type, self.row.ideal, self.row.current, self.row.actions)
        return Row(self.task_type,
                   self.query_one(".alloc-ideal", Input).value,
                   self.query_one(".alloc-current", Input).value,
                   self.query_one(".alloc-actions", Input).value)

    def refresh_figures(self) -> None:
        if not self.query(".alloc-gap"):
            return  # its figures are drawn once it is composed (on_mount)
        row = self.value()
        show(self.query_one(".alloc-gap", Static), allocation.gap_text(row.ideal, row.current))
        problems = []
        for label, text in (("ideal", row.ideal), ("now", row.current)):
            try:
                allocation.parse_share(text)
            except ShareError as exc:
                problems.append(f"{label}: {exc}")
        show(self.query_one(".alloc-error", Static), " ".join(problems))
        self.query_one(".alloc-error", Static).display = bool(problems)


class AllocationTable(Vertical):
    class Edited(Message):
        pass

    def __init__(self, rows: list[Row]) -> None:
        super().__init__(id="allocation")
        self.initial = rows

    def compose(self) -> ComposeResult:
        yield Static("Task type · ideal % · now % · gap (now - ideal) · actions",
                     classes="alloc-head")
        for row in self.initial:
            yield AllocationRowView(row)
        yield Static("", id="alloc-totals")
        yield Static("", id="alloc-asca", classes="reminder")

    def on_mount(self) -> None:
        self.refresh_figures()

    def views(self) -> list[AllocationRowView]:
        return list(self.query(AllocationRowView))

    def rows(self) -> list[Row]:
        return [view.value() for view in self.views()]

    def refresh_figures(self, role_kind: str = "") -> None:
        for view in self.views():
            view.refresh_figures()
        rows = self.rows()
        ideal = allocation.total(r.ideal for r in rows)
        current = allocation.total(r.current for r in rows)
        marks = [f"{label} {value:g}%" + ("" if abs(value - 100) < 0.01 else " (needs 100)")
                 for label, value in (("ideal", ideal), ("now", current))]
        show(self.query_one("#alloc-totals", Static), "Totals: " + " · ".join(marks))
        show(self.query_one("#alloc-asca", Static), allocation.asca_note(rows, role_kind))

    def cell(self, problem: Problem) -> Input:
        """The field a problem is about: its cell, or for a column's total the first
        empty cell of that column (else its first)."""
        views = self.views()
        selector = COLUMNS[problem.column]
        if problem.row is not None and problem.row < len(views):
            return views[problem.row].query_one(selector, Input)
        cells = [v.query_one(selector, Input) for v in views]
        return next((c for c in cells if not c.value.strip()), cells[0])

    def row_name(self, problem: Problem) -> str:
        views = self.views()
        if problem.row is None or problem.row >= len(views):
            return ""
        return views[problem.row].task_type or f"row {problem.row + 1}"

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()  # the form hears of it once, as Edited
        self.post_message(self.Edited())

    async def add_row(self, task_type: str) -> None:
        view = AllocationRowView(Row(task_type, "", ""))
        await self.mount(view, before=self.query_one("#alloc-totals"))
        # After the dialog that named it has closed and given the focus back.
        self.call_after_refresh(view.query_one(".alloc-ideal", Input).focus)
        self.post_message(self.Edited())

    def rename_row(self, view: AllocationRowView, task_type: str) -> None:
        view.rename(task_type)
        self.post_message(self.Edited())

    async def remove_row(self, view: AllocationRowView) -> None:
        await view.remove()
        self.post_message(self.Edited())
