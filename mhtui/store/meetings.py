"""Reading check-ins and a team's agenda template."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from mhtui.store.db import Database
from mhtui.store.models import AgendaTemplateItem, Meeting, MeetingItem


@dataclass(frozen=True)
class MeetingSummary:
    meeting: Meeting
    items: list[MeetingItem]


def template(db: Database, team_id: int) -> list[AgendaTemplateItem]:
    with db.read() as session:
        return list(
            session.exec(
                select(AgendaTemplateItem)
                .where(AgendaTemplateItem.team_id == team_id)
                .order_by(col(AgendaTemplateItem.position))
            )
        )


def recent(db: Database, team_id: int, limit: int = 20) -> list[MeetingSummary]:
    """The team's check-ins, newest first, each with its agenda items."""
    with db.read() as session:
        meetings = session.exec(
            select(Meeting)
            .where(Meeting.team_id == team_id)
            .order_by(col(Meeting.scheduled_at).desc())
            .limit(limit)
        ).all()
        ids = [m.id for m in meetings]
        items = session.exec(
            select(MeetingItem)
            .where(col(MeetingItem.meeting_id).in_(ids))
            .order_by(col(MeetingItem.position))
        ).all()
    by_meeting: dict[int, list[MeetingItem]] = {}
    for item in items:
        by_meeting.setdefault(item.meeting_id, []).append(item)
    return [MeetingSummary(m, by_meeting.get(m.id or 0, [])) for m in meetings]
