"""The role-capability grid: tasks by roles, Yes / No / With training, the marks that turn
it into a decision, and the way to each shift plan."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.coordinate import Coordinate
from textual.widgets import Footer, Header, Static

from mhtui.core import grid_analysis
from mhtui.core.catalogue import BARGAINING_REMINDER, NOT_ASSESSED_SYMBOL, Capability
from mhtui.core.grid_analysis import RoleInfo
from mhtui.store.database.conflict import ConflictError
from mhtui.store.grid import grid, grid_edit
from mhtui.store.grid.grid import CategoryView, GridData, RoleView, TaskView
from mhtui.store.grid.grid_undo import GridStep, GridUndo
from mhtui.ui.screens.base import MHScreen
from mhtui.ui.widgets.grid_text import cell, info, role_label, side_panel, task_label
from mhtui.ui.widgets.line_table import Cell, Column, LineTable, ListRows
from mhtui.ui.widgets.status_line import StatusLine
from mhtui.ui.widgets.text import one_line, styled, table_cell

LEGEND = (
    "  ".join(f"{c.symbol} {c.label}" for c in Capability)
    + f"  {NOT_ASSESSED_SYMBOL} not assessed   ★ priority  ⇄ to shift  ▲ capacity-constrained"
    + "  ⚑ only constrained roles can do it  ✖ gap: nobody can do it now  ! only 1 role"
)
# Below the one line's width (175 columns), two lines that fit 80: cut to one line, the
# gap flags lost their words after "▲".
LEGEND_TWO_LINES = (
    "  ".join(f"{c.symbol} {'training' if c.label == 'With training' else c.label}"
              for c in Capability)
    + f"  {NOT_ASSESSED_SYMBOL} not assessed  ★ priority  ⇄ to shift  ▲ constrained\n"
    + "⚑ only ▲ roles can do it  ✖ gap: nobody can do it now  ! only 1 role"
)
COVERAGE_WIDTH = 21
# A staff login on a district's server: the fence (migration 0009) shows it no row of
# the grid or the shift plans, so it is told why instead of shown an empty grid.
FENCED = ("[b]$team's grid is kept by the school's facilitators: it is not shown to a "
          "staff login.[/b] Esc goes back.")
FENCED_HELP = (
    "The role-capability grid (tasks by roles, the capacity-constrained roles and the "
    "shift plans) is kept by each school's facilitators and the district. Your login is "
    "staff of this school on the district's server, so the server shows it none of the "
    "grid and nothing here can be read or changed; ask a facilitator to see it. Esc goes "
    "back to the dashboard."
)
NARROW_BELOW = 130
FIXED = 2  # the task and its coverage stay in view as the cursor moves right

# A row of the grid: its key ("cat-3", "task-12"), and the category or task it shows.
GridRow = tuple[str, CategoryView | TaskView]


class GridTable(LineTable[GridRow]):
    """The grid's table: a line-API table with a cell cursor, named by coordinates and
    keys as a DataTable's are (the screen and its tests move it that way)."""

    @property
    def cursor_coordinate(self) -> Coordinate:
        return Coordinate(self.cursor_row, self.cursor_column)

    @cursor_coordinate.setter
    def cursor_coordinate(self, value: Coordinate) -> None:
        self.move_cursor(row=value.row, column=value.column)

    def get_column_index(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    def get_row_index(self, key: str) -> int:
        source = self.source
        assert isinstance(source, ListRows)
        return next(i for i, row in enumerate(source.rows) if row[0] == key)


class GridScreen(MHScreen):
    TITLE_TEXT = "mhtui · role-capability grid"
    # Textual sets the class for the width; screens.tcss lays the panels out by it.
    # (Textual types it as an instance variable, so no ClassVar here.)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_BELOW, "-wide")]  # noqa: RUF012
    HELP = (
        "Rows are tasks grouped by category; columns are roles. On a cell: y Yes (has the "
        "skills through certification or credentials), t With training (could, with district "
        "training), n No (could not, even with training), space cycles, x clears to not "
        "assessed. p marks the row's task as a priority, s as a task to shift; c marks the "
        "column's role as capacity-constrained. u undoes your grid edits (cells, marks, "
        "moves, renames, added and deleted tasks, categories and roles: a deleted one "
        "comes back with its cells and marks, in its place) one by one and ctrl+r redoes "
        "them. The coverage column flags gaps "
        "first: ✖ nobody can do the task now, ! only one role can; then it counts the roles "
        "that can do a task now and with training; ⚑ flags tasks only constrained roles can "
        "do. The task and coverage columns stay in view as you move right; the side panel "
        "names the cursor's role in full. For a task to shift, the side panel lists candidate"
        " roles (ready now first, then with training, with suitable trainings) and P opens "
        "its shift plan; L lists every plan. Structure: a adds a task, g a category, A a "
        "role; r renames the row's task or category, R the column's role; K/J move a row, [ "
        "and ] move a role; Delete removes the row's task or category, D the column's role "
        "(asking first when assessed cells would be lost). f sets enrollment and FTE to "
        "compare with the recommended ratios; E loads the toolkit's example district. "
        + BARGAINING_REMINDER
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "set('yes')", "Yes", id="grid.yes"),
        Binding("t", "set('training')", "Training", id="grid.training"),
        Binding("n", "set('no')", "No", id="grid.no"),
        Binding("space", "cycle", "Cycle", id="grid.cycle", show=False),
        Binding("x", "set('')", "Clear", id="grid.clear", show=False),
        Binding("p", "mark('priority')", "Priority", id="grid.priority"),
        Binding("s", "mark('to_shift')", "Shift", id="grid.shift"),
        Binding("c", "constrained", "Constrained", id="grid.constrained"),
        Binding("u", "undo", "Undo", id="grid.undo"),
        Binding("ctrl+r", "redo", "Redo", id="grid.redo"),
        Binding("P", "plan", "Plan", id="grid.plan"),
        Binding("L", "plans", "Plans", id="grid.plans"),
        Binding("f", "capacity", "Capacity", id="grid.capacity"),
        Binding("a", "add('task')", "Add task", id="grid.add_task", show=False),
        Binding("g", "add('category')", "Add category", id="grid.add_category", show=False),
        Binding("A", "add('role')", "Add role", id="grid.add_role", show=False),
        Binding("r", "rename_row", "Rename row", id="grid.rename_row", show=False),
        Binding("R", "rename_role", "Rename role", id="grid.rename_role", show=False),
        Binding("K", "move_row(-1)", "Row up", id="grid.row_up", show=False),
        Binding("J", "move_row(1)", "Row down", id="grid.row_down", show=False),
        Binding("left_square_bracket", "move_role(-1)", "Role left", id="grid.role_left",
                show=False),
        Binding("right_square_bracket", "move_role(1)", "Role right", id="grid.role_right",
                show=False),
        Binding("delete", "delete_row", "Delete row", id="grid.delete_row", show=False),
        Binding("D", "delete_role", "Delete role", id="grid.delete_role", show=False),
        Binding("E", "example", "Example district", id="grid.example", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: GridData | None = None
        self.task_width = 34
        self.tasks: dict[int, TaskView] = {}
        self.roles: list[RoleInfo] = []
        self.row_index: dict[str, int] = {}  # a row's key -> its index in the table
        self.laid_out_for = 0  # the width the grid was last laid out for
        self.undo_stack = GridUndo()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(BARGAINING_REMINDER, id="bargaining", classes="reminder")
        fenced = Static("", id="grid-fenced")
        fenced.display = False  # only for a login the server shows no grid (staff)
        yield fenced
        with Horizontal(id="grid-main"):
            yield GridTable(id="grid-table", cursor_type="cell", fixed_columns=FIXED)
            with VerticalScroll(id="grid-side"):
                yield Static("", id="grid-detail")
        yield StatusLine(LEGEND, id="legend")
        yield StatusLine(id="grid-status")
        yield Footer(compact=True)

    # --- reading ------------------------------------------------------------------

    @property
    def table(self) -> GridTable:
        return self.query_one(GridTable)

    fenced = False  # the server shows this login no row of the team's grid (staff)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """For a staff login, whom the server shows no grid, only Esc: every other key
        would read or change rows it cannot see."""
        return not self.fenced or action == "back"

    def _show_fenced(self, fenced: bool) -> None:
        """The grid, or in its place one line saying why a staff login sees none."""
        if fenced != self.fenced:
            self.fenced = fenced
            self.refresh_bindings()
        # What F1 says (the help reads the screen's HELP): this screen's own, while fenced.
        if fenced:
            vars(self)["HELP"] = FENCED_HELP
        else:
            vars(self).pop("HELP", None)
        for selector in ("#grid-main", "#legend", "#grid-status"):
            self.query_one(selector).display = not fenced
        box = self.query_one("#grid-fenced", Static)
        box.display = fenced
        if fenced:
            box.update(styled(FENCED, team=self.sub_title))  # the team's name (read_title)

    def read(self) -> GridData | None:
        """The team's grid, or None for a login the server shows none of it (staff)."""
        from mhtui.store.database import access

        db, team_id = self.mh.db, self.mh.team_id
        assert team_id is not None
        return grid.load(db, team_id) if access.reach(db).sees_grid(team_id) else None

    def show(self, data: GridData | None) -> None:
        if data is None or self.fenced:
            self._show_fenced(data is None)
        self.data = data
        if data is not None:
            self._lay_out(data)

    def _lay_out(self, data: GridData) -> None:
        """The table for the screen's width, from ``data`` (no store call)."""
        self.laid_out_for = self.size.width
        narrow = self.size.width < NARROW_BELOW  # as the breakpoint class says
        one_line_legend = self.size.width - 2 >= cell_len(LEGEND)
        legend = self.query_one("#legend", StatusLine)
        legend.styles.height = 1 if one_line_legend else 2
        legend.say(LEGEND if one_line_legend else LEGEND_TWO_LINES)
        # Task names get what the roles leave, between 24 and 64 cells.
        roles_width = sum(len(role_label(r)) + 2 for r in data.roles)
        free = self.size.width - (0 if narrow else 45) - COVERAGE_WIDTH - 2 - roles_width - 6
        self.task_width = max(24, min(64, free))
        self.tasks = {t.id: t for _, ts in data.categories for t in ts}
        self.roles = [info(r) for r in data.roles]
        rows: list[GridRow] = []
        for category, tasks in data.categories:
            rows.append((f"cat-{category.id}", category))
            rows += [(f"task-{task.id}", task) for task in tasks]
        self.row_index = {key: index for index, (key, _) in enumerate(rows)}
        table = self.table
        keep = table.cursor_coordinate
        # The task's name and its coverage (gaps first) stay in view when moving right;
        # a role's column is as wide as its name (its cells are one symbol).
        table.set_columns([
            Column("task", "Task", self.task_width),
            Column("coverage", "Coverage", COVERAGE_WIDTH),
            *(Column(f"role-{role.id}", label, max(1, cell_len(label)))
              for role in data.roles for label in [role_label(role)]),
        ])
        # Start on the first task (row 0 is its category's heading).
        row = keep.row if keep.row or len(rows) < 2 else 1
        table.set_source(ListRows(rows, lambda r: r[0], self._cells), cursor_row=row)
        if rows:
            table.move_cursor(column=max(keep.column, FIXED))
        self.show_detail()

    def _cells(self, row: GridRow, columns: Sequence[Column]) -> list[Cell]:
        """A row as the table draws it: read when it comes into view, from self.data."""
        key, item = row
        data = self.data
        assert data is not None
        roles = len(columns) - FIXED
        if key.startswith("cat-"):
            return [table_cell(one_line(item.name, self.task_width), "bold"), "",
                    *([""] * roles)]
        assert isinstance(item, TaskView)
        task = self.tasks.get(item.id, item)
        cover = grid_analysis.coverage(task.id, self.roles, data.cells)
        return [table_cell(task_label(task, self.task_width)), cover.text(),
                *(cell(data.cells.get((task.id, r.id))) for r in data.roles)]

    def _redraw_task(self, task_id: int) -> None:
        """Only this task's line is drawn again (its cells, marks or coverage changed)."""
        index = self.row_index.get(f"task-{task_id}")
        if index is not None:
            self.table.refresh_row(index)

    def on_resize(self) -> None:
        # Not for the Resize that follows the first load at the same width: laying out
        # the grid twice doubled the time to open it.
        if self.data is not None and self.is_current and self.size.width != self.laid_out_for:
            self._lay_out(self.data)

    def here(self) -> tuple[str, int | None, RoleView | None]:
        """What the cursor is on: ("task"|"cat"|"", id, the role of its column)."""
        table, data = self.table, self.data
        if data is None or not table.row_count:
            return "", None, None
        row = table.cursor_key or ""
        kind, _, number = row.partition("-")
        column = table.columns[table.cursor_column].key if table.columns else ""
        role = next((r for r in data.roles if f"role-{r.id}" == column), None)
        return kind, int(number), role

    def current_task(self) -> TaskView | None:
        kind, number, _ = self.here()
        return self.tasks.get(number or 0) if kind == "task" else None

    def current_category(self) -> CategoryView | None:
        kind, number, _ = self.here()
        if self.data is None:
            return None
        if kind == "cat":
            return next((c for c, _ in self.data.categories if c.id == number), None)
        task = self.current_task()
        return next((c for c, _ in self.data.categories
                     if task is not None and c.id == task.category_id), None)

    @on(LineTable.CellHighlighted)
    def show_detail(self) -> None:
        task, data = self.current_task(), self.data
        box = self.query_one("#grid-detail", Static)
        if task is None or data is None:
            box.update("Move onto a task row to see its coverage and candidates.")
            return
        roles = [info(r) for r in data.roles]
        cover = grid_analysis.coverage(task.id, roles, data.cells)
        candidates = grid_analysis.candidates(task.id, roles, data.cells)
        _, _, role = self.here()
        box.update(side_panel(task, cover, candidates, data.plans.get(task.id), role,
                              data.cells.get((task.id, role.id)) if role else None))

    def say(self, message: str) -> None:
        self.query_one("#grid-status", StatusLine).say(message)

    # --- cells and marks ------------------------------------------------------------

    async def _write_cell(self, value: str | None) -> None:
        task = self.current_task()
        _, _, role = self.here()
        if task is None or role is None:
            self.say("Move onto a task's cell under a role first.")
            return
        assert self.data is not None
        key = (task.id, role.id)
        before, db = self.data.cells.get(key), self.mh.db
        # Based on the cell as shown: a change made elsewhere meanwhile is not overwritten.
        stamp = await asyncio.to_thread(grid_edit.set_cell, db, task.id, role.id, value,
                                        self.data.stamps.get(key))
        assert self.data is not None  # (a read landed meanwhile: the cell goes on it)
        if before != value:
            self.undo_stack.record(GridStep(
                "cell", f"{one_line(task.name, 30)} × {role.name}", task.id, role.id,
                before, value))
        self.data = self.data.with_cell(key, value, stamp)
        # Only this cell and this row's coverage change: this row's line is drawn again.
        self._redraw_task(task.id)
        label = Capability(value).label if value else "not assessed"
        self.say(f"Saved: {one_line(task.name, 40)} × {role.name}: {label}.")
        self.show_detail()
        self.wrote()  # drawn in place: a read on its way may predate it

    async def action_set(self, value: str) -> None:
        await self._write_cell(value or None)

    async def action_cycle(self) -> None:
        task = self.current_task()
        _, _, role = self.here()
        if task is None or role is None or self.data is None:
            self.say("Move onto a task's cell under a role first.")
            return
        await self._write_cell(grid_analysis.next_value(self.data.cells.get((task.id, role.id))))

    async def action_mark(self, mark: str) -> None:
        task = self.current_task()
        if task is None or self.data is None:
            self.say("Move onto a task row first.")
            return
        saved = await asyncio.to_thread(grid_edit.toggle_task_mark, self.mh.db, task.id,
                                        task.version, mark)
        assert self.data is not None
        self.undo_stack.record(GridStep("mark", f"{one_line(task.name, 30)}: {mark}",
                                        task.id, before=mark))
        on_now = saved.priority if mark == "priority" else saved.to_shift
        self.data = self.data.with_task(saved)
        self.tasks[saved.id] = saved
        self._redraw_task(saved.id)
        what = "priority task" if mark == "priority" else "task to shift"
        self.say(f"{one_line(task.name, 40)}: {'marked' if on_now else 'no longer'} a {what}.")
        self.show_detail()
        self.wrote()  # drawn in place: a read on its way may predate it

    async def action_constrained(self) -> None:
        _, _, role = self.here()
        if role is None:
            self.say("Move into a role's column first.")
            return
        on_now = (await asyncio.to_thread(grid_edit.toggle_constrained, self.mh.db, role.id,
                                          role.version)).capacity_constrained
        self.undo_stack.record(GridStep("constrained", f"{role.name}: constrained",
                                        role_id=role.id))
        await self.read_now()
        self.say(f"{role.name}: {'capacity-constrained' if on_now else 'not constrained'}.")

    # --- undo and redo ---------------------------------------------------------------

    async def _undo_or_redo(self, forward: bool) -> None:
        assert self.data is not None
        stack = self.undo_stack
        try:
            step = await asyncio.to_thread(stack.redo if forward else stack.undo,
                                           self.mh.db, self.data)
        except ConflictError as error:
            await self.read_now()
            self.say(f"{'Redo' if forward else 'Undo'} refused: {error}")
            return
        if step is None:
            self.say("Nothing to redo." if forward else "Nothing to undo.")
            return
        await self.read_now()
        self.say(f"{'Redone' if forward else 'Undone'}: {step.words}.")

    async def action_undo(self) -> None:
        await self._undo_or_redo(forward=False)

    async def action_redo(self) -> None:
        await self._undo_or_redo(forward=True)

    # --- structure (grid_structure.py holds the dialogs) -------------------------------

    def action_add(self, kind: str) -> None:
        from mhtui.ui.screens.grid_structure import add

        add(self, kind)

    def action_rename_row(self) -> None:
        from mhtui.ui.screens.grid_structure import rename_row

        rename_row(self)

    def action_rename_role(self) -> None:
        from mhtui.ui.screens.grid_structure import rename_role

        rename_role(self)

    async def action_move_row(self, step: int) -> None:
        kind, number, _ = self.here()
        if number is None or kind not in ("task", "cat"):
            return
        item = self.current_task() if kind == "task" else self.current_category()
        if item is None:
            return
        moved = "task" if kind == "task" else "category"
        await asyncio.to_thread(grid_edit.move, self.mh.db, moved, number, item.version, step)
        self.undo_stack.record(GridStep("move", f"{moved} moved", move_kind=moved,
                                        move_id=number, step=step))
        await self.read_now()
        self.table.move_cursor(row=self.row_index[f"{kind}-{number}"])

    async def action_move_role(self, step: int) -> None:
        _, _, role = self.here()
        if role is None:
            return
        await asyncio.to_thread(grid_edit.move, self.mh.db, "role", role.id, role.version, step)
        self.undo_stack.record(GridStep("move", f"{role.name} moved", move_kind="role",
                                        move_id=role.id, step=step))
        await self.read_now()
        self.table.move_cursor(column=self.table.get_column_index(f"role-{role.id}"))

    async def action_delete_row(self) -> None:
        from mhtui.ui.screens.grid_structure import delete_row

        await delete_row(self)

    async def action_delete_role(self) -> None:
        from mhtui.ui.screens.grid_structure import delete_role

        await delete_role(self)

    def action_example(self) -> None:
        from mhtui.ui.screens.grid_structure import load_example

        load_example(self)

    # --- plans and capacity ------------------------------------------------------------

    def action_plan(self) -> None:
        from mhtui.ui.screens.shift_plan import ShiftPlanScreen

        task = self.current_task()
        if task is None or not task.to_shift:
            self.say("Move onto a task marked to shift (s) to plan its shift.")
            return
        self.app.push_screen(ShiftPlanScreen(task.id))

    def action_plans(self) -> None:
        from mhtui.ui.screens.shift_plan import PlansScreen

        self.app.push_screen(PlansScreen())

    async def action_capacity(self) -> None:
        from mhtui.ui.screens.capacity import CapacityScreen

        assert self.mh.team_id is not None
        stored = await asyncio.to_thread(grid.capacity, self.mh.db, self.mh.team_id)
        self.app.push_screen(CapacityScreen(stored))
