"""Adding, renaming and deleting the grid's roles, categories and tasks: each write, and
the grid read again after it, off the screen's thread, the next key waiting for both."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Protocol

from mhtui.core.wording import plural
from mhtui.store.database.conflict import ConflictError
from mhtui.store.database.dbfile import StorageProblem
from mhtui.store.grid import grid_edit
from mhtui.store.grid.grid_undo import GridStep
from mhtui.ui.screens.confirm import ConfirmScreen
from mhtui.ui.screens.prompt import PromptScreen
from mhtui.ui.widgets.text import one_line

if TYPE_CHECKING:
    from textual.app import App

    from mhtui.store.grid.grid import CategoryView, RoleView, TaskView
    from mhtui.store.grid.grid_undo import GridUndo
    from mhtui.ui.app_api import MH


class Grid(Protocol):
    """What these dialogs use of the grid's screen (grid.py, which imports them)."""

    undo_stack: GridUndo

    @property
    def app(self) -> App[object]: ...
    @property
    def mh(self) -> MH: ...
    async def read_now(self) -> None: ...
    def say(self, message: str) -> None: ...
    def here(self) -> tuple[str, int | None, RoleView | None]: ...
    def current_task(self) -> TaskView | None: ...
    def current_category(self) -> CategoryView | None: ...


async def _saved(screen: Grid, message: str) -> None:
    await screen.read_now()
    screen.say(message)


def add(screen: Grid, kind: str) -> None:
    team_id = screen.mh.team_id
    assert team_id is not None
    category = screen.current_category()
    if kind == "task" and category is None:
        screen.say("Move into a category first (or add one with g).")
        return

    async def named(name: str | None) -> None:
        if name is None:
            return
        try:
            parent = team_id
            if kind == "task":
                assert category is not None
                parent = category.id
            added = await asyncio.to_thread(grid_edit.add, screen.mh.db, kind, parent, name)
        except grid_edit.GridError as exc:
            screen.say(str(exc))
            return
        except StorageProblem as problem:  # the name stays on screen, Esc drops it
            screen.mh.report_storage_problem(problem)
            screen.app.push_screen(PromptScreen(title, label, name), named)
            return
        screen.undo_stack.record(GridStep("add", f"{kind} {one_line(added.name, 30)!r} added",
                                          move_kind=kind, move_id=added.id))
        await _saved(screen, f"Added {kind} {name.strip()!r}.")

    where = f" to {category.name!r}" if kind == "task" and category else ""
    title, label = f"New {kind}{where}", f"Name of the {kind}"
    screen.app.push_screen(PromptScreen(title, label), named)


def _rename(screen: Grid, kind: str, item_id: int, version: int, current: str) -> None:
    async def named(name: str | None) -> None:
        if name is not None:
            try:
                await asyncio.to_thread(grid_edit.rename, screen.mh.db, kind, item_id, version,
                                        name)
            except StorageProblem as problem:
                screen.mh.report_storage_problem(problem)
                if not isinstance(problem, ConflictError):  # the name stays on screen
                    screen.app.push_screen(PromptScreen(f"Rename {kind}", "New name", name),
                                           named)
                return
            screen.undo_stack.record(GridStep("rename", f"{kind} renamed", before=current,
                                              after=name.strip(), move_kind=kind,
                                              move_id=item_id))
            await _saved(screen, f"Renamed to {name.strip()!r}.")

    screen.app.push_screen(PromptScreen(f"Rename {kind}", "New name", current), named)


def _row_item(screen: Grid) -> tuple[str, int, int, str] | None:
    """The task under the cursor, or the category when the cursor is on its heading:
    kind, id, the version shown (what a change is based on) and name."""
    task, category = screen.current_task(), screen.current_category()
    if task is not None:
        return "task", task.id, task.version, task.name
    if category is not None:
        return "category", category.id, category.version, category.name
    return None


def rename_row(screen: Grid) -> None:
    item = _row_item(screen)
    if item is not None:
        _rename(screen, *item)


def rename_role(screen: Grid) -> None:
    _, _, role = screen.here()
    if role is None:
        screen.say("Move into a role's column first.")
        return
    _rename(screen, "role", role.id, role.version, role.name)


async def _delete(screen: Grid, kind: str, item_id: int, version: int, name: str) -> None:
    lost = await asyncio.to_thread(grid_edit.cells_in, screen.mh.db, kind, item_id)

    async def answered(yes: bool | None) -> None:
        if yes:
            # Only as asked: not if it changed, or gained cells, meanwhile.
            removed = await asyncio.to_thread(grid_edit.remove, screen.mh.db, kind, item_id,
                                              version, cells=lost)
            screen.undo_stack.record(GridStep(
                "delete", f"{kind} {one_line(name, 30)!r} deleted", move_kind=kind,
                move_id=item_id, removed=removed))
            await _saved(screen, f"Deleted {kind} {one_line(name, 30)!r}; u undoes it.")

    if lost == 0 and kind != "category":
        await answered(True)
        return
    detail = (f"{plural(lost, 'assessed cell')} will be lost (u undoes the delete)." if lost
              else "Its tasks go with it (u undoes the delete).")
    screen.app.push_screen(ConfirmScreen(f"Delete the {kind} {name!r}?", detail), answered)


async def delete_row(screen: Grid) -> None:
    item = _row_item(screen)
    if item is not None:
        await _delete(screen, *item)


async def delete_role(screen: Grid) -> None:
    _, _, role = screen.here()
    if role is None:
        screen.say("Move into a role's column first.")
        return
    await _delete(screen, "role", role.id, role.version, role.name)


def load_example(screen: Grid) -> None:
    team_id = screen.mh.team_id
    assert team_id is not None

    async def answered(yes: bool | None) -> None:
        if yes:
            await asyncio.to_thread(grid_edit.load_example_district, screen.mh.db, team_id)
            await _saved(screen, "Loaded the toolkit's example district.")

    screen.app.push_screen(ConfirmScreen(
        "Replace this grid with the example district?",
        "Roles, tasks, cells and marks are replaced by the toolkit's example: LCSW, "
        "Counselor, Administrator/para-professional and Teacher."), answered)
