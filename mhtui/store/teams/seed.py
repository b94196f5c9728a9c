"""A new team's starting content: the default agenda, roles and task catalogue."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from mhtui.core import catalogue
from mhtui.store.models import AgendaTemplateItem, Role, Task, TaskCategory, Team, Training


def ensure_trainings(session: Session) -> None:
    if session.exec(select(Training.id).limit(1)).first() is None:
        for audience, name in catalogue.TRAININGS:
            session.add(Training(audience=audience.value, name=name))


def new_team(session: Session, name: str, now: datetime) -> Team:
    """Create a team with the default agenda template, roles and tasks."""
    team = Team(name=name, created_at=now, meeting_minutes=catalogue.DEFAULT_MEETING_MINUTES)
    session.add(team)
    session.flush()
    assert team.id is not None
    for position, item in enumerate(catalogue.DEFAULT_AGENDA):
        session.add(
            AgendaTemplateItem(
                team_id=team.id,
                position=position,
                title=item.title,
                minutes=item.minutes,
                questions="\n".join(item.questions),
                kind=item.kind,
            )
        )
    for position, role in enumerate(catalogue.DEFAULT_ROLES):
        session.add(
            Role(team_id=team.id, position=position, name=role.name, audience=role.audience)
        )
    for cat_position, (category, tasks) in enumerate(catalogue.TASK_CATALOGUE):
        cat = TaskCategory(team_id=team.id, position=cat_position, name=category)
        session.add(cat)
        session.flush()
        assert cat.id is not None
        for position, task in enumerate(tasks):
            session.add(Task(category_id=cat.id, position=position, name=task))
    ensure_trainings(session)
    session.flush()
    return team
