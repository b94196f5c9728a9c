"""Changing the role-capability grid: cells, marks, roles, categories, tasks, capacity."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from mhtui.core.catalogue import TASK_CATALOGUE
from mhtui.core.catalogue import Capability as CellValue
from mhtui.core.wording import plural
from mhtui.store.database.conflict import ConflictError, changed, claim, drop, gone, refusal
from mhtui.store.database.db import Database
from mhtui.store.grid.example import example_district_grid
from mhtui.store.grid.grid import (
    CategoryView,
    CellStamp,
    RoleView,
    TaskView,
    category_view,
    role_view,
    task_view,
)
from mhtui.store.models import Action, Capability, Role, ShiftPlan, Task, TaskCategory, Team


class GridError(ValueError):
    pass


NOT_ASSESSED = "not assessed"


def _cell_words(cell: Capability) -> str:
    value = CellValue(cell.value)
    return f"{value.symbol} {value.label}"


def _task_words(task: Task) -> str:
    return (f"{task.name!r} ({'★ priority' if task.priority else 'not a priority'}, "
            f"{'⇄ to shift' if task.to_shift else 'not to shift'})")


def _role_words(role: Role) -> str:
    mark = "▲ capacity-constrained" if role.capacity_constrained else "not constrained"
    fte = "" if role.fte is None else f", {role.fte:g} FTE"
    return f"{role.name!r} ({mark}{fte})"


def _category_words(category: TaskCategory) -> str:
    return repr(category.name)


def set_cell(db: Database, task_id: int, role_id: int, value: str | None,
             based_on: CellStamp | None) -> CellStamp | None:
    """Set one cell (None: not assessed), based on the cell as the screen showed it (its
    row's id and version; None: not assessed). Returns the cell's new stamp."""
    with db.write() as session:
        task, role = session.get(Task, task_id), session.get(Role, role_id)
        if task is None or role is None:
            raise ConflictError(gone("this task" if task is None else "this role"))
        what = f"the cell {task.name!r} × {role.name}"
        cell = session.exec(select(Capability).where(Capability.task_id == task_id,
                                                     Capability.role_id == role_id)).first()
        if cell is None or cell.id is None:
            if based_on is not None:  # cleared by someone else
                raise ConflictError(changed(what, NOT_ASSESSED))
            if value is None:
                return None
            cell = Capability(task_id=task_id, role_id=role_id, value=value)
            session.add(cell)
            session.flush()
            assert cell.id is not None
            return cell.id, cell.version
        refuse = refusal(what, _cell_words)
        if based_on is None or based_on[0] != cell.id:  # set (again) by someone else
            raise refuse(cell)
        if value is None:
            drop(session, Capability, cell.id, based_on[1], refuse)
            return None
        return cell.id, claim(session, Capability, cell.id, based_on[1], refuse,
                              value=value).version


def toggle_task_mark(db: Database, task_id: int, version: int, mark: str) -> TaskView:
    """Flip a task's priority or to-shift mark; returns the task as saved."""
    assert mark in ("priority", "to_shift")
    with db.write() as session:
        task = claim(session, Task, task_id, version, refusal("the task", _task_words))
        setattr(task, mark, not getattr(task, mark))
        session.flush()
        return task_view(task)


def toggle_constrained(db: Database, role_id: int, version: int) -> RoleView:
    """Flip a role's capacity-constrained mark; returns the role as saved."""
    with db.write() as session:
        role = claim(session, Role, role_id, version, refusal("the role", _role_words))
        role.capacity_constrained = not role.capacity_constrained
        session.flush()
        return role_view(role)


Item = Role | TaskCategory | Task


def _claim(session: Session, kind: str, item_id: int, version: int) -> Item:
    """The role, category or task, if still at ``version``; ConflictError if not."""
    if kind == "role":
        return claim(session, Role, item_id, version, refusal("the role", _role_words))
    if kind == "category":
        return claim(session, TaskCategory, item_id, version,
                     refusal("the category", _category_words))
    return claim(session, Task, item_id, version, refusal("the task", _task_words))


def _name(name: str, what: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise GridError(f"A {what} needs a name.")
    return cleaned


def _view(item: Item) -> RoleView | CategoryView | TaskView:
    if isinstance(item, Role):
        return role_view(item)
    if isinstance(item, TaskCategory):
        return category_view(item)
    return task_view(item)


def add(db: Database, kind: str, parent_id: int, name: str
        ) -> RoleView | CategoryView | TaskView:
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
        item.position = len(_siblings(session, item))
        session.add(item)
        session.flush()
        return _view(item)


def rename(db: Database, kind: str, item_id: int, version: int, name: str) -> None:
    cleaned = _name(name, kind)
    with db.write() as session:
        _claim(session, kind, item_id, version).name = cleaned


def cells_in(db: Database, kind: str, item_id: int) -> int:
    """How many assessed cells deleting this role, category or task would lose."""
    with db.read() as session:
        return _count_cells(session, kind, item_id)


def _count_cells(session: Session, kind: str, item_id: int) -> int:
    query = select(func.count()).select_from(Capability)
    if kind == "role":
        query = query.where(Capability.role_id == item_id)
    elif kind == "task":
        query = query.where(Capability.task_id == item_id)
    else:
        query = query.join(Task).where(Task.category_id == item_id)
    return session.exec(query).one()


Record = tuple[tuple[str, object], ...]  # one row's columns and values, frozen


@dataclass(frozen=True)
class Removed:
    """What deleting a role, category or task took with it, row for row, to put back:
    the item itself, a category's tasks, the cells, the tasks' shift plans and which
    actions named those plans."""

    kind: str
    item_id: int
    item: Record
    tasks: tuple[Record, ...] = ()
    cells: tuple[Record, ...] = ()
    plans: tuple[Record, ...] = ()
    plan_actions: tuple[tuple[int, int], ...] = ()  # (action id, shift plan id)


_MODELS: dict[str, type[Role] | type[TaskCategory] | type[Task]] = {
    "role": Role, "category": TaskCategory, "task": Task}


def _record(row: Role | TaskCategory | Task | Capability | ShiftPlan) -> Record:
    return tuple(row.model_dump().items())


def _snapshot(session: Session, kind: str, item: Item) -> Removed:
    assert item.id is not None
    if isinstance(item, Role):
        tasks: list[Task] = []
        cells = session.exec(select(Capability).where(Capability.role_id == item.id)).all()
    else:
        tasks = ([item] if isinstance(item, Task) else list(
            session.exec(select(Task).where(Task.category_id == item.id))))
        task_ids = [t.id for t in tasks]
        cells = session.exec(select(Capability)
                             .where(col(Capability.task_id).in_(task_ids))).all()
    task_ids = [t.id for t in tasks]
    plans = session.exec(select(ShiftPlan).where(col(ShiftPlan.task_id).in_(task_ids))).all()
    links = session.execute(
        select(col(Action.id), col(Action.shift_plan_id))
        .where(col(Action.shift_plan_id).in_([p.id for p in plans]))).all() if plans else []
    return Removed(kind, item.id, _record(item),
                   tuple(_record(t) for t in tasks if t is not item),
                   tuple(_record(c) for c in cells), tuple(_record(p) for p in plans),
                   tuple((a, p) for a, p in links if p is not None))


def remove(db: Database, kind: str, item_id: int, version: int,
           cells: int | None = None) -> Removed:
    """Delete a role, category or task still at ``version``; with ``cells``, only if it
    still has that many assessed cells (the number the person was asked about). Returns
    what went, for ``restore``."""
    with db.write() as session:
        item = _claim(session, kind, item_id, version)
        if cells is not None:
            now = _count_cells(session, kind, item_id)
            if now != cells:
                raise ConflictError(
                    f"Not deleted: someone else changed the {kind}'s cells meanwhile; it "
                    f"now has {plural(now, 'assessed cell')}, all kept.")
        session.flush()
        removed = _snapshot(session, kind, item)
        session.delete(item)
        session.flush()
        _renumber(session, _siblings(session, item))
        return removed


def restore(db: Database, removed: Removed) -> None:
    """Put back what ``remove`` took, with the same ids and values, in its old place.
    Refused (nothing written) when something it belongs to went meanwhile (the team,
    the category, a role of its cells) or its id was taken again."""
    kind = removed.kind
    with db.write() as session:
        item = _MODELS[kind].model_validate(dict(removed.item))
        if session.get(_MODELS[kind], removed.item_id) is not None:
            raise ConflictError(f"Not restored: the {kind}'s place was taken meanwhile.")
        parent_gone = (session.get(TaskCategory, item.category_id) is None
                       if isinstance(item, Task) else session.get(Team, item.team_id) is None)
        if parent_gone:
            raise ConflictError(
                f"Not restored: someone else deleted the {kind}'s "
                f"{'category' if kind == 'task' else 'team'} meanwhile.")
        cells = [Capability.model_validate(dict(c)) for c in removed.cells]
        other: type[Task] | type[Role] = Task if kind == "role" else Role
        wanted = {c.task_id if kind == "role" else c.role_id for c in cells}
        if any(session.get(other, number) is None for number in wanted):
            raise ConflictError(
                f"Not restored: someone else deleted a {'task' if kind == 'role' else 'role'}"
                f" of its assessed cells meanwhile.")
        siblings: list[Item] = list(_siblings(session, item))
        siblings.insert(min(item.position, len(siblings)), item)
        item.version += 1  # a copy still showing the deleted row cannot write over it
        session.add(item)
        session.flush()
        _renumber(session, siblings)
        for task in removed.tasks:
            session.add(Task.model_validate(dict(task)))
        session.flush()
        session.add_all(cells)
        session.add_all(ShiftPlan.model_validate(dict(p)) for p in removed.plans)
        session.flush()
        for action_id, plan_id in removed.plan_actions:
            # Only actions still without a plan (the delete emptied it): no version bump,
            # as the delete's SET NULL made none.
            session.execute(update(Action).where(col(Action.id) == action_id,
                                                 col(Action.shift_plan_id).is_(None))
                            .values(shift_plan_id=plan_id))


def _siblings(session: Session, item: Item) -> list[Role] | list[TaskCategory] | list[Task]:
    if isinstance(item, Role):
        return list(session.exec(select(Role).where(Role.team_id == item.team_id)
                                 .order_by(col(Role.position))))
    if isinstance(item, TaskCategory):
        return list(session.exec(select(TaskCategory)
                                 .where(TaskCategory.team_id == item.team_id)
                                 .order_by(col(TaskCategory.position))))
    return list(session.exec(select(Task).where(Task.category_id == item.category_id)
                             .order_by(col(Task.position))))


def _renumber(session: Session, siblings: Sequence[Item]) -> None:
    for position, sibling in enumerate(siblings):
        sibling.position = position
        session.add(sibling)


def move(db: Database, kind: str, item_id: int, version: int, step: int) -> None:
    """Move the item (still at ``version``) one place; the others keep their versions,
    since only their order changes."""
    with db.write() as session:
        item = _claim(session, kind, item_id, version)
        siblings: list[Item] = list(_siblings(session, item))
        index = next(i for i, s in enumerate(siblings) if s.id == item_id)
        target = index + step
        if 0 <= target < len(siblings):
            siblings[index], siblings[target] = siblings[target], siblings[index]
            _renumber(session, siblings)


def load_example_district(db: Database, team_id: int) -> None:
    """Reset the team's grid to the toolkit's example district, cell for cell."""
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


def _team_words(team: Team) -> str:
    return f"enrollment {team.enrollment or 'not given'}"


def set_capacity(db: Database, team_id: int, enrollment: tuple[int, int | None] | None,
                 roles: dict[int, tuple[int, float | None, str | None]]) -> None:
    """Store what the person changed, all or nothing: ``enrollment`` as (the team's
    version, students), None when unchanged; ``roles`` maps each changed role's id to
    (its version, FTE, ratio kind)."""
    with db.write() as session:
        if enrollment is not None:
            version, students = enrollment
            claim(session, Team, team_id, version, refusal("the team's enrollment",
                                                           _team_words), enrollment=students)
        for role_id, (version, fte, kind) in roles.items():
            claim(session, Role, role_id, version, refusal("the role", _role_words),
                  fte=fte, ratio_kind=kind)
