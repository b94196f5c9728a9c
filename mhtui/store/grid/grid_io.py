"""The grid between the database and the CSV / Markdown documents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import func
from sqlmodel import Session, SQLModel, col, select

from mhtui.core.csv_grid import GridDoc
from mhtui.core.wording import plural
from mhtui.store.database.db import Database
from mhtui.store.database.dbfile import StorageProblem
from mhtui.store.grid import grid
from mhtui.store.models import Action, Capability, Role, ShiftPlan, Task, TaskCategory

Row = TypeVar("Row", bound=SQLModel)


def document(db: Database, team_id: int) -> GridDoc:
    data = grid.load(db, team_id)
    return GridDoc(
        roles=[(r.name, r.capacity_constrained) for r in data.roles],
        categories=[
            (category.name, [(t.name, t.priority, t.to_shift,
                              [data.cells.get((t.id or 0, r.id or 0)) for r in data.roles])
                             for t in tasks])
            for category, tasks in data.categories
        ],
    )


@dataclass(frozen=True)
class PlanAtStake:
    """A task the import would remove that has a shift plan (and maybe actions made
    from it): removing the task deletes the plan and unlinks the actions."""

    category: str
    task: str
    state: str
    actions: int

    def __str__(self) -> str:
        linked = f", {plural(self.actions, 'linked action')}" if self.actions else ""
        return f"{self.category!r} / {self.task!r} (plan {self.state}{linked})"


class PlansAtStake(StorageProblem):
    """The import would remove tasks with shift plans and was not told to; nothing was
    written."""

    def __init__(self, plans: list[PlanAtStake]) -> None:
        self.plans = plans
        super().__init__("it would remove " + plural(len(plans), "task")
                         + " with a shift plan: " + "; ".join(map(str, plans)))


@dataclass(frozen=True)
class GridChange:
    changed: int  # rows added, changed or removed: 0 when the grid was already the file
    dropped: tuple[PlanAtStake, ...] = ()  # shift plans removed with their tasks


def replace(db: Database, team_id: int, doc: GridDoc, *, drop_plans: bool = False,
            dry_run: bool = False) -> GridChange:
    """Make the team's grid exactly the document, in one transaction: roles, categories
    and tasks are matched by name and changed in place, so what hangs on them (a task's
    shift plan and the actions made from it, a role's FTE) stays, and an unchanged file
    changes nothing. A task not in the file is removed only with ``drop_plans`` if it has
    a shift plan (PlansAtStake, nothing written, otherwise)."""
    with db.write() as session:
        sync = _Sync(session, team_id)
        old_roles = list(session.exec(select(Role).where(Role.team_id == team_id)
                                      .order_by(col(Role.position), col(Role.id))))
        roles = sync.match(old_roles, [name for name, _ in doc.roles])
        old_cats = list(session.exec(select(TaskCategory).where(TaskCategory.team_id == team_id)
                                     .order_by(col(TaskCategory.position), col(TaskCategory.id))))
        cats = sync.match(old_cats, [name for name, _ in doc.categories])
        cat_name = {c.id: c.name for c in old_cats}
        old_tasks = list(session.exec(select(Task).where(
            col(Task.category_id).in_([c.id for c in old_cats]))
            .order_by(col(Task.position), col(Task.id))))
        tasks = _match_tasks(old_tasks, cat_name, doc)
        gone = [t for t in old_tasks if all(t is not m for m in tasks.values())]
        at_stake = _plans_of(session, gone, cat_name)
        if at_stake and not drop_plans:
            raise PlansAtStake(at_stake)
        for task in gone:
            sync.remove(task)
        role_rows = []
        for position, (name, constrained) in enumerate(doc.roles):
            role_rows.append(sync.put(roles.get(position), Role, team_id=team_id,
                                      position=position, name=name,
                                      capacity_constrained=constrained))
        for cat_position, (name, task_rows) in enumerate(doc.categories):
            category = sync.put(cats.get(cat_position), TaskCategory, team_id=team_id,
                                position=cat_position, name=name)
            for position, (task_name, priority, shift, cells) in enumerate(task_rows):
                task = sync.put(tasks.get((cat_position, position)), Task,
                                category_id=category.id, position=position, name=task_name,
                                priority=priority, to_shift=shift)
                for role, value in zip(role_rows, cells, strict=True):
                    sync.cell(task, role, value)
        # Last: the database's cascade would take a category's tasks (moved out by now)
        # and a role's cells with them.
        sync.remove_unmatched(old_cats, cats)
        sync.remove_unmatched(old_roles, roles)
        if dry_run:
            session.rollback()
        return GridChange(sync.changed, tuple(at_stake))


class _Sync:
    """The writes of one import, counted: a row is written only if it differs."""

    def __init__(self, session: Session, team_id: int) -> None:
        self.session, self.team_id = session, team_id
        self.changed = 0
        self.cells: dict[tuple[int, int], Capability] | None = None

    def match(self, rows: list[Any], names: list[str]) -> dict[int, Any]:
        """The existing row each position of ``names`` takes, matched by name in order."""
        free: dict[str, list[Any]] = {}
        for row in rows:
            free.setdefault(row.name, []).append(row)
        return {i: free[name].pop(0) for i, name in enumerate(names) if free.get(name)}

    def remove(self, row: SQLModel) -> None:
        self.session.delete(row)
        self.session.flush()  # the database's cascade takes the cells and a task's plan
        self.changed += 1

    def remove_unmatched(self, rows: list[Any], kept: dict[int, Any]) -> None:
        for row in rows:
            if all(row is not k for k in kept.values()):
                self.remove(row)

    def put(self, row: Row | None, kind: type[Row], **values: Any) -> Row:
        """``row`` with ``values`` (its version moved on if any differs), or a new one."""
        if row is None:
            row = kind(**values)
        elif all(getattr(row, k) == v for k, v in values.items()):
            return row
        else:
            for key, value in values.items():
                setattr(row, key, value)
            row.version += 1  # type: ignore[attr-defined]  # an open grid's next key is refused
        self.session.add(row)
        self.session.flush()
        self.changed += 1
        return row

    def cell(self, task: Task, role: Role, value: str | None) -> None:
        if self.cells is None:  # read once, after the removals took their cells
            self.cells = {(c.task_id, c.role_id): c for c in self.session.exec(
                select(Capability).join(Role).where(Role.team_id == self.team_id))}
        assert task.id is not None and role.id is not None
        held = self.cells.get((task.id, role.id))
        if held is not None and held.value == value:
            return
        if value is None:
            assert held is not None
            self.remove(held)
        elif held is None:
            self.put(None, Capability, task_id=task.id, role_id=role.id, value=value)
        else:
            self.put(held, Capability, value=value)


def _match_tasks(old: list[Task], cat_name: dict[int | None, str], doc: GridDoc
                 ) -> dict[tuple[int, int], Task]:
    """The existing task each (category position, task position) of the file takes: by
    category and name, else by name alone when only one task left has it (a category
    renamed in the spreadsheet keeps its tasks' plans)."""
    free: dict[tuple[str, str], list[Task]] = {}
    for task in old:
        free.setdefault((cat_name[task.category_id], task.name), []).append(task)
    found: dict[tuple[int, int], Task] = {}
    rest = []
    for c, (category, tasks) in enumerate(doc.categories):
        for t, (name, *_) in enumerate(tasks):
            if free.get((category, name)):
                found[c, t] = free[category, name].pop(0)
            else:
                rest.append((c, t, name))
    left = [task for same in free.values() for task in same]
    for c, t, name in rest:
        named = [task for task in left if task.name == name]
        if len(named) == 1 and sum(1 for *_, n in rest if n == name) == 1:
            found[c, t] = named[0]
            left.remove(named[0])
    return found


def _plans_of(session: Session, tasks: list[Task], cat_name: dict[int | None, str]
              ) -> list[PlanAtStake]:
    """The shift plans of these tasks, with how many live actions each has."""
    if not tasks:
        return []
    by_id = {t.id: t for t in tasks}
    plans = session.exec(select(ShiftPlan).where(col(ShiftPlan.task_id).in_(list(by_id))))
    found = []
    for plan in plans:
        linked = session.exec(select(func.count()).select_from(Action).where(
            Action.shift_plan_id == plan.id, col(Action.deleted_at).is_(None))).one()
        task = by_id[plan.task_id]
        found.append(PlanAtStake(cat_name[task.category_id], task.name, plan.state, linked))
    return found
