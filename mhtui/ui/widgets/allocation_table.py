"""The reflection's time-allocation table: one row of fields per task type, live totals,
and the gap per row shown with an arrow and a sign."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Static

from mhtui.core import allocation
from mhtui.core.allocation import Row, ShareError
from mhtui.ui.widgets.text import show


class AllocationRowView(Horizontal):
    def __init__(self, row: Row) -> None:
        super().__init__(classes="alloc-row")
        self.row = row

    def compose(self) -> ComposeResult:
        yield Input(self.row.task_type, classes="alloc-type", placeholder="task type",
                    compact=True)
        yield Input(self.row.ideal, classes="alloc-ideal", placeholder="ideal %", compact=True)
        yield Input(self.row.current, classes="alloc-current", placeholder="now %",
                    compact=True)
        yield Static("", classes="alloc-gap")
        yield Input(self.row.actions, classes="alloc-actions", compact=True,
                    placeholder="what would move you toward the ideal?")
        yield Static("", classes="alloc-error error")

    def value(self) -> Row:
        return Row(self.query_one(".alloc-type", Input).value,
                   self.query_one(".alloc-ideal", Input).value,
                   self.query_one(".alloc-current", Input).value,
                   self.query_one(".alloc-actions", Input).value)

    def refresh_figures(self) -> None:
        row = self.value()
        show(self.query_one(".alloc-gap", Static), allocation.gap_text(row.ideal, row.current))
        problems = []
        for text in (row.ideal, row.current):
            try:
                allocation.parse_share(text)
            except ShareError as exc:
                problems.append(str(exc))
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

    def rows(self) -> list[Row]:
        return [view.value() for view in self.query(AllocationRowView)]

    def refresh_figures(self, role: str = "") -> None:
        for view in self.query(AllocationRowView):
            view.refresh_figures()
        rows = self.rows()
        ideal = allocation.total(r.ideal for r in rows)
        current = allocation.total(r.current for r in rows)
        marks = [f"{label} {value:g}%" + ("" if abs(value - 100) < 0.01 else " (needs 100)")
                 for label, value in (("ideal", ideal), ("now", current))]
        show(self.query_one("#alloc-totals", Static), "Totals: " + " · ".join(marks))
        asca = self.query_one("#alloc-asca", Static)
        if "counselor" in role.lower() and "school" in role.lower():
            ideal_s = allocation.student_services_share(rows, "ideal")
            now_s = allocation.student_services_share(rows, "current")
            show(asca, f"{allocation.ASCA_GUIDANCE} Your figures: {ideal_s:g}% ideal, "
                       f"{now_s:g}% now on services to students.")
        else:
            show(asca, "")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()  # the form hears of it once, as Edited
        self.post_message(self.Edited())

    async def add_row(self) -> None:
        view = AllocationRowView(Row("", "", ""))
        await self.mount(view, before=self.query_one("#alloc-totals"))
        view.query_one(".alloc-type", Input).focus()
        self.post_message(self.Edited())

    async def remove_row(self, view: AllocationRowView) -> None:
        await view.remove()
        self.post_message(self.Edited())
