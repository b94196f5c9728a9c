"""The grid between the database and the CSV / Markdown documents."""

from __future__ import annotations

from sqlmodel import select

from mhtui.core.csv_grid import GridDoc
from mhtui.store import grid
from mhtui.store.db import Database
from mhtui.store.models import Capability, Role, Task, TaskCategory


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


def replace(db: Database, team_id: int, doc: GridDoc) -> None:
    """Make the team's grid exactly the document, in one transaction."""
    with db.write() as session:
        for old_category in session.exec(select(TaskCategory)
                                         .where(TaskCategory.team_id == team_id)):
            session.delete(old_category)
        for old_role in session.exec(select(Role).where(Role.team_id == team_id)):
            session.delete(old_role)
        session.flush()
        roles = []
        for position, (name, constrained) in enumerate(doc.roles):
            role = Role(team_id=team_id, position=position, name=name,
                        capacity_constrained=constrained)
            session.add(role)
            roles.append(role)
        session.flush()
        for cat_position, (name, tasks) in enumerate(doc.categories):
            category = TaskCategory(team_id=team_id, position=cat_position, name=name)
            session.add(category)
            session.flush()
            assert category.id is not None
            for position, (task_name, priority, shift, cells) in enumerate(tasks):
                task = Task(category_id=category.id, position=position, name=task_name,
                            priority=priority, to_shift=shift)
                session.add(task)
                session.flush()
                assert task.id is not None
                for role, value in zip(roles, cells, strict=True):
                    if value is not None:
                        assert role.id is not None
                        session.add(Capability(task_id=task.id, role_id=role.id, value=value))
