"""The role-capability grid: tasks by roles, Yes / No / With training."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Header, Static

from mhtui.core.catalogue import BARGAINING_REMINDER, NOT_ASSESSED_SYMBOL, Capability
from mhtui.ui.screens.base import MHScreen
from mhtui.ui.widgets.text import one_line

LEGEND = (
    "  ".join(f"{c.symbol} {c.label}" for c in Capability)
    + f"  {NOT_ASSESSED_SYMBOL} not assessed   ★ priority  ⇄ to shift  ▲ capacity-constrained"
)


class GridScreen(MHScreen):
    TITLE_TEXT = "mhtui · role-capability grid"
    HELP = (
        "Rows are tasks grouped by category; columns are roles. Each cell says whether a "
        "role can do the task now (Yes), could with district training, or could not. "
        "Marks: ★ a priority task for capacity-constrained staff, ⇄ a task to shift, "
        "▲ a capacity-constrained role. " + BARGAINING_REMINDER
    )

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(BARGAINING_REMINDER, id="bargaining", classes="reminder")
        yield DataTable(id="grid-table", cursor_type="cell")
        yield Static(LEGEND, id="legend", classes="statusline")
        yield Footer(compact=True)

    def reload(self) -> None:
        from mhtui.store import grid

        assert self.mh.team_id is not None
        data = grid.load(self.mh.db, self.mh.team_id)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column("Task", width=34, key="task")
        for role in data.roles:
            mark = "▲ " if role.capacity_constrained else ""
            table.add_column(one_line(mark + role.name, 14), key=f"role-{role.id}")
        for category, tasks in data.categories:
            table.add_row(f"[b]{one_line(category.name, 34)}[/b]",
                          *([""] * len(data.roles)), key=f"cat-{category.id}")
            for task in tasks:
                marks = ("★" if task.priority else " ") + ("⇄" if task.to_shift else " ")
                cells = []
                for role in data.roles:
                    value = data.cells.get((task.id or 0, role.id or 0))
                    cells.append(Capability(value).symbol if value else NOT_ASSESSED_SYMBOL)
                table.add_row(f"{marks} {one_line(task.name, 31)}", *cells,
                              key=f"task-{task.id}")
