"""The figures on the home screen, each one query, none loading whole tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, literal_column
from sqlmodel import Session, col, select

from mhtui.core.statuses import OPEN_STATUSES, Status
from mhtui.store.db import Database
from mhtui.store.models import DUE_LAST, Action, Meeting, Reflection, Role, Team


@dataclass(frozen=True)
class DashboardFigures:
    team_name: str
    next_checkin: date | None
    last_checkin: datetime | None
    by_status: dict[Status, int] = field(default_factory=dict)
    overdue: int = 0
    reflections_since_last: int = 0
    drafts: int = 0
    constrained_roles: tuple[str, ...] = ()
    meetings: int = 0
    attention: tuple[Action, ...] = ()  # overdue first, then soonest due, open only


ATTENTION_LIMIT = 40  # the card crops to its height; 40 fills a projector


def last_checkin(session: Session, team_id: int) -> datetime | None:
    """When the team's most recent finished check-in ended."""
    query = select(func.max(Meeting.ended_at)).where(
        Meeting.team_id == team_id, Meeting.state == "ended"
    )
    return session.exec(query).one()


def figures(db: Database, team_id: int, today: date) -> DashboardFigures:
    with db.read() as session:
        team = session.get(Team, team_id)
        if team is None:
            raise LookupError(f"no team with id {team_id}")
        alive = (Action.team_id == team_id, col(Action.deleted_at).is_(None))
        counts = session.exec(
            select(Action.status, func.count()).where(*alive).group_by(Action.status)
        ).all()
        by_status = {s: 0 for s in Status}
        for status, count in counts:
            if status in by_status:
                by_status[Status(status)] = count
        overdue = session.exec(
            select(func.count()).where(
                *alive,
                literal_column(DUE_LAST) < today.isoformat(),
                col(Action.status).in_([s.value for s in OPEN_STATUSES]),
            )
        ).one()
        last = last_checkin(session, team_id)
        submitted = select(func.count()).where(
            Reflection.team_id == team_id, Reflection.state == "submitted"
        )
        if last is not None:
            submitted = submitted.where(col(Reflection.submitted_at) >= last)
        drafts = session.exec(
            select(func.count()).where(Reflection.team_id == team_id, Reflection.state == "draft")
        ).one()
        constrained = session.exec(
            select(Role.name)
            .where(Role.team_id == team_id, col(Role.capacity_constrained).is_(True))
            .order_by(col(Role.position))
        ).all()
        meetings = session.exec(select(func.count()).where(Meeting.team_id == team_id)).one()
        attention = session.exec(
            select(Action)
            .where(
                *alive,
                literal_column(DUE_LAST) < "9999-12-31",
                col(Action.status).in_([s.value for s in OPEN_STATUSES]),
            )
            .order_by(literal_column(DUE_LAST), col(Action.id))
            .limit(ATTENTION_LIMIT)
        ).all()
        from mhtui.store.invites import next_checkin

        return DashboardFigures(
            team_name=team.name,
            next_checkin=next_checkin(team, today),
            last_checkin=last,
            by_status=by_status,
            overdue=overdue,
            reflections_since_last=session.exec(submitted).one(),
            drafts=drafts,
            constrained_roles=tuple(constrained),
            meetings=meetings,
            attention=tuple(attention),
        )
