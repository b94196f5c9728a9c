"""Reading the role-capability grid of a team in four queries, as read models.

The screens get frozen views (RoleView, CategoryView, TaskView, GridData), never ORM rows:
what they show is what was read, and each change names the version it was based on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from sqlalchemy import select as core_select
from sqlmodel import col, select

from mhtui.store.database.conflict import ConflictError, gone
from mhtui.store.database.db import Database
from mhtui.store.models import Capability, Role, ShiftPlan, Task, TaskCategory, Team

CellStamp = tuple[int, int]  # a cell row's id and version
Cell = tuple[int, int]  # (task_id, role_id)


@dataclass(frozen=True)
class RoleView:
    id: int
    name: str
    position: int
    audience: str
    capacity_constrained: bool
    fte: float | None
    ratio_kind: str | None
    version: int


@dataclass(frozen=True)
class CategoryView:
    id: int
    name: str
    position: int
    version: int


@dataclass(frozen=True)
class TaskView:
    id: int
    category_id: int
    name: str
    position: int
    priority: bool
    to_shift: bool
    version: int


def role_view(role: Role) -> RoleView:
    assert role.id is not None
    return RoleView(role.id, role.name, role.position, role.audience,
                    role.capacity_constrained, role.fte, role.ratio_kind, role.version)


def category_view(category: TaskCategory) -> CategoryView:
    assert category.id is not None
    return CategoryView(category.id, category.name, category.position, category.version)


def task_view(task: Task) -> TaskView:
    assert task.id is not None
    return TaskView(task.id, task.category_id, task.name, task.position, task.priority,
                    task.to_shift, task.version)


@dataclass(frozen=True)
class GridData:
    roles: tuple[RoleView, ...]
    categories: tuple[tuple[CategoryView, tuple[TaskView, ...]], ...]
    cells: Mapping[Cell, str]  # (task_id, role_id) -> yes / no / training
    # (task_id, role_id) -> (the cell row's id, its version): what a change of the cell
    # is based on. The id too, as a cleared cell set again starts over at version 1.
    stamps: Mapping[Cell, CellStamp] = field(default_factory=dict)
    plans: Mapping[int, str] = field(default_factory=dict)  # task_id -> its plan's state

    def with_cell(self, key: Cell, value: str | None, stamp: CellStamp | None) -> GridData:
        """The grid after one cell was saved (None: not assessed), without reading again."""
        cells, stamps = dict(self.cells), dict(self.stamps)
        if value is None or stamp is None:
            cells.pop(key, None)
            stamps.pop(key, None)
        else:
            cells[key], stamps[key] = value, stamp
        return replace(self, cells=cells, stamps=stamps)

    def with_task(self, task: TaskView) -> GridData:
        """The grid after one task was saved (its marks), without reading again."""
        return replace(self, categories=tuple(
            (c, tuple(task if t.id == task.id else t for t in ts)) for c, ts in self.categories))


def load(db: Database, team_id: int) -> GridData:
    with db.read() as session:
        roles = session.exec(
            select(Role).where(Role.team_id == team_id).order_by(col(Role.position))
        ).all()
        cats = session.exec(
            select(TaskCategory)
            .where(TaskCategory.team_id == team_id)
            .order_by(col(TaskCategory.position))
        ).all()
        tasks = session.exec(
            select(Task)
            .where(col(Task.category_id).in_([c.id for c in cats]))
            .order_by(col(Task.position))
        ).all()
        cells = session.execute(
            core_select(col(Capability.task_id), col(Capability.role_id),
                        col(Capability.value), col(Capability.id),
                        col(Capability.version)).where(
                col(Capability.role_id).in_([r.id for r in roles])
            )
        ).all()
        plans = session.execute(
            core_select(col(ShiftPlan.task_id), col(ShiftPlan.state))
            .join(Task, col(Task.id) == col(ShiftPlan.task_id))
            .join(TaskCategory, col(TaskCategory.id) == col(Task.category_id))
            .where(col(TaskCategory.team_id) == team_id)
        ).all()
    by_cat: dict[int, list[TaskView]] = {}
    for task in tasks:
        by_cat.setdefault(task.category_id, []).append(task_view(task))
    return GridData(
        roles=tuple(role_view(r) for r in roles),
        categories=tuple((category_view(c), tuple(by_cat.get(c.id or 0, []))) for c in cats),
        cells={(t, r): v for t, r, v, _, _ in cells},
        stamps={(t, r): (i or 0, n) for t, r, _, i, n in cells},
        plans={t: state for t, state in plans},
    )


@dataclass(frozen=True)
class CapacityView:
    """A team's enrollment and its roles' staffing, with the versions a change names."""

    team_version: int
    enrollment: int | None
    roles: tuple[RoleView, ...]


def capacity(db: Database, team_id: int) -> CapacityView:
    with db.read() as session:
        team = session.get(Team, team_id)
        if team is None:
            raise ConflictError(gone("this team"))
        roles = session.exec(
            select(Role).where(Role.team_id == team_id).order_by(col(Role.position))).all()
        return CapacityView(team.version, team.enrollment, tuple(role_view(r) for r in roles))
