"""Changing the role-capability grid: cells, marks, roles, categories, tasks, capacity."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from mhtui.core.catalogue import TASK_CATALOGUE
from mhtui.store.db import Database
from mhtui.store.models import Capability, Role, Task, TaskCategory, Team


class GridError(ValueError):
    pass


def set_cell(db: Database, task_id: int, role_id: int, value: str | None) -> None:
    with db.write() as session:
        cell = session.exec(select(Capability).where(Capability.task_id == task_id,
                                                     Capability.role_id == role_id)).first()
        if value is None:
            if cell is not None:
                session.delete(cell)
            return
        if cell is None:
            session.add(Capability(task_id=task_id, role_id=role_id, value=value))
        else:
            cell.value = value
            cell.version += 1
            session.add(cell)


def toggle_task_mark(db: Database, task_id: int, mark: str) -> bool:
    """Flip a task's priority or to-shift mark; returns the new value."""
    with db.write() as session:
        task = session.get(Task, task_id)
        assert task is not None and mark in ("priority", "to_shift")
        setattr(task, mark, not getattr(task, mark))
        task.version += 1
        session.add(task)
        return bool(getattr(task, mark))


def toggle_constrained(db: Database, role_id: int) -> bool:
    with db.write() as session:
        role = session.get(Role, role_id)
        assert role is not None
        role.capacity_constrained = not role.capacity_constrained
        role.version += 1
        session.add(role)
        return role.capacity_constrained


Item = Role | TaskCategory | Task


def _get(session: Session, kind: str, item_id: int) -> Item | None:
    if kind == "role":
        return session.get(Role, item_id)
    if kind == "category":
        return session.get(TaskCategory, item_id)
    return session.get(Task, item_id)


def _name(name: str, what: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise GridError(f"A {what} needs a name.")
    return cleaned


def add(db: Database, kind: str, parent_id: int, name: str) -> Item:
    """A new role or category (parent: the team) or task (parent: its category), last."""
    cleaned = _name(name, kind)
    with db.write() as session:
        item: Item
        if kind == "role":
            item = Role(team_id=parent_id, position=0, name=cleaned)
        elif kind == "category":
            item = TaskCategory(team_id=parent_id, position=0, name=cleaned)
        else:
            item = Task(category_id=parent_id, position=0, name=cleaned)
        item.position = len(_siblings(session, kind, item))
        session.add(item)
        session.flush()
        return item


def rename(db: Database, kind: str, item_id: int, name: str) -> None:
    with db.write() as session:
        item = _get(session, kind, item_id)
        assert item is not None
        item.name = _name(name, kind)
        session.add(item)


def cells_in(db: Database, kind: str, item_id: int) -> int:
    """How many assessed cells deleting this role, category or task would lose."""
    with db.read() as session:
        query = select(func.count()).select_from(Capability)
        if kind == "role":
            query = query.where(Capability.role_id == item_id)
        elif kind == "task":
            query = query.where(Capability.task_id == item_id)
        else:
            query = query.join(Task).where(Task.category_id == item_id)
        return session.exec(query).one()


def remove(db: Database, kind: str, item_id: int) -> None:
    with db.write() as session:
        item = _get(session, kind, item_id)
        if item is not None:
            session.delete(item)
            session.flush()
            _renumber(session, kind, item)


def _siblings(session: Session, kind: str, item: Item
              ) -> list[Role] | list[TaskCategory] | list[Task]:
    if isinstance(item, Role):
        return list(session.exec(select(Role).where(Role.team_id == item.team_id)
                                 .order_by(col(Role.position))))
    if isinstance(item, TaskCategory):
        return list(session.exec(select(TaskCategory)
                                 .where(TaskCategory.team_id == item.team_id)
                                 .order_by(col(TaskCategory.position))))
    return list(session.exec(select(Task).where(Task.category_id == item.category_id)
                             .order_by(col(Task.position))))


def _renumber(session: Session, kind: str, item: Item) -> None:
    for position, sibling in enumerate(_siblings(session, kind, item)):
        sibling.position = position
        session.add(sibling)


def move(db: Database, kind: str, item_id: int, step: int) -> None:
    with db.write() as session:
        item = _get(session, kind, item_id)
        assert item is not None
        siblings: list[Item] = list(_siblings(session, kind, item))
        index = next(i for i, s in enumerate(siblings) if s.id == item_id)
        target = index + step
        if 0 <= target < len(siblings):
            siblings[index], siblings[target] = siblings[target], siblings[index]
            for position, sibling in enumerate(siblings):
                sibling.position = position
                session.add(sibling)


def load_example_district(db: Database, team_id: int) -> None:
    """Reset the team's grid to the toolkit's example district, cell for cell."""
    from mhtui.store.demo import example_district_grid

    with db.write() as session:
        for category in session.exec(select(TaskCategory)
                                     .where(TaskCategory.team_id == team_id)):
            session.delete(category)
        session.flush()
        for position, (name, tasks) in enumerate(TASK_CATALOGUE):
            category = TaskCategory(team_id=team_id, position=position, name=name)
            session.add(category)
            session.flush()
            assert category.id is not None
            for task_position, task in enumerate(tasks):
                session.add(Task(category_id=category.id, position=task_position, name=task))
        session.flush()
        example_district_grid(session, team_id)


def set_capacity(db: Database, team_id: int, enrollment: int | None,
                 roles: dict[int, tuple[float | None, str | None]]) -> None:
    with db.write() as session:
        team = session.get(Team, team_id)
        assert team is not None
        team.enrollment = enrollment
        session.add(team)
        for role_id, (fte, kind) in roles.items():
            role = session.get(Role, role_id)
            assert role is not None
            role.fte, role.ratio_kind = fte, kind
            session.add(role)
