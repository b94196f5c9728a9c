"""The toolkit's example district, as a grid: its four roles, which of the 18 default
tasks each could do, which are priorities and which should shift. The grid screen's
"load the example" and the demo data both draw it from here."""

from __future__ import annotations

from sqlmodel import Session, select

from mhtui.core import catalogue
from mhtui.store.models import Capability, Role, Task, TaskCategory

EXAMPLE_ROLES = (
    ("LCSW", catalogue.Audience.HEALTH, True),
    ("Counselor", catalogue.Audience.HEALTH, True),
    ("Administrator/para-professional", catalogue.Audience.GENERAL, False),
    ("Teacher", catalogue.Audience.TEACHERS, False),
)

# Which of the 18 default tasks (by position in the catalogue) each non-clinical role
# could do in the toolkit's example district. LCSW and Counselor could do every task.
_FAMILY, _GOODS = 10, 11
_ADMIN_TASKS = {_FAMILY, _GOODS, 14, 15, 16, 17}
_TEACHER_TASKS = {5, 6, 7, 8, 9, _FAMILY, _GOODS, 13, 17}
PRIORITY_TASKS = {0, 1, 2, 3, 4, 7}
SHIFT_TASKS = {_FAMILY, _GOODS, 14, 15, 16, 17}


def example_district_grid(session: Session, team_id: int) -> None:
    """Replace the team's roles and cells with the toolkit's example district."""
    for role in session.exec(select(Role).where(Role.team_id == team_id)):
        session.delete(role)
    session.flush()
    roles = []
    for position, (name, audience, constrained) in enumerate(EXAMPLE_ROLES):
        role = Role(
            team_id=team_id, position=position, name=name, audience=audience.value,
            capacity_constrained=constrained,
        )
        session.add(role)
        roles.append(role)
    session.flush()
    tasks = session.exec(
        select(Task)
        .join(TaskCategory)
        .where(TaskCategory.team_id == team_id)
        .order_by(TaskCategory.position, Task.position)  # type: ignore[arg-type]
    ).all()
    for index, task in enumerate(tasks):
        assert task.id is not None
        task.priority = index in PRIORITY_TASKS
        task.to_shift = index in SHIFT_TASKS
        can = (True, True, index in _ADMIN_TASKS, index in _TEACHER_TASKS)
        for role, yes in zip(roles, can, strict=True):
            assert role.id is not None
            value = catalogue.Capability.YES if yes else catalogue.Capability.NO
            session.add(Capability(task_id=task.id, role_id=role.id, value=value.value))
