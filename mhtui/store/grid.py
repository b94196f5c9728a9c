"""Reading the role-capability grid of a team in three queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select as core_select
from sqlmodel import col, select

from mhtui.store.db import Database
from mhtui.store.models import Capability, Role, Task, TaskCategory

CellStamp = tuple[int, int]  # a cell row's id and version


@dataclass(frozen=True)
class GridData:
    roles: list[Role]
    categories: list[tuple[TaskCategory, list[Task]]]
    cells: dict[tuple[int, int], str]  # (task_id, role_id) -> yes / no / training
    # (task_id, role_id) -> (the cell row's id, its version): what a change of the cell
    # is based on. The id too, as a cleared cell set again starts over at version 1.
    stamps: dict[tuple[int, int], CellStamp] = field(default_factory=dict)


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
    by_cat: dict[int, list[Task]] = {}
    for task in tasks:
        by_cat.setdefault(task.category_id, []).append(task)
    return GridData(
        roles=list(roles),
        categories=[(c, by_cat.get(c.id or 0, [])) for c in cats],
        cells={(t, r): v for t, r, v, _, _ in cells},
        stamps={(t, r): (i or 0, n) for t, r, _, i, n in cells},
    )
