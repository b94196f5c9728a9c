"""The demo database: the toolkit's example district, shared by `--demo` and the tests.

Dates are laid out relative to the clock's today, so "overdue" and "since the last
check-in" always have something to show.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta

from sqlmodel import Session

from mhtui.core import catalogue
from mhtui.core.clock import Clock, local_today
from mhtui.core.statuses import Status
from mhtui.store.database.db import Database
from mhtui.store.demo import demo_district
from mhtui.store.grid.example import example_district_grid
from mhtui.store.models import (
    Action,
    ActionEvent,
    AllocationRow,
    Meeting,
    MeetingAttendee,
    MeetingItem,
    Reflection,
    Setting,
    Staff,
)
from mhtui.store.teams import seed

DEMO_TEAM = "Lincoln High School"
SECOND_TEAM = "Roosevelt Middle School"

STAFF = (  # example.org: addresses that reach no one
    ("Maria Lopez", "LCSW", "maria.lopez@lincoln.example.org"),
    ("Dev Patel", "Counselor", "dev.patel@lincoln.example.org"),
    ("Grace Kim", "Counselor", "grace.kim@lincoln.example.org"),
    ("John Smith", "Assistant principal", ""),
)


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0)).astimezone()


def _meeting(session: Session, team_id: int, day: date, notes: tuple[str, str, str]) -> int:
    start = _at(day, 15)
    meeting = Meeting(
        team_id=team_id, scheduled_at=start, state="ended", started_at=start,
        ended_at=start + timedelta(minutes=64), current_position=2,
    )
    session.add(meeting)
    session.flush()
    assert meeting.id is not None
    actual = (17 * 60, 31 * 60 + 30, 15 * 60 + 30)
    for position, (spec, spent, note) in enumerate(
        zip(catalogue.DEFAULT_AGENDA, actual, notes, strict=True)
    ):
        session.add(
            MeetingItem(
                meeting_id=meeting.id, position=position, title=spec.title,
                planned_seconds=spec.minutes * 60, spent_seconds=spent,
                questions="\n".join(spec.questions), notes=note, kind=spec.kind,
            )
        )
    for name, role, _email in STAFF:
        session.add(MeetingAttendee(meeting_id=meeting.id, name=name, role_name=role))
    return meeting.id


ACTIONS = (
    # (text, status, owner, created days ago, due in days, from meeting 0/1/None)
    ("Take the social workers off lunch duty so they can meet with students during "
     "lunch hours", Status.IN_PROGRESS, "John Smith", 58, 6, 0),
    ("Find a private room for counseling sessions in the east wing",
     Status.BLOCKED, "John Smith", 58, -12, 0),
    ("Move 504 plan data entry from counselors to the front office",
     Status.NOT_STARTED, "Dev Patel", 58, -3, 0),
    ("Ask the district about Youth Mental Health First Aid dates for teachers",
     Status.COMPLETED, "Maria Lopez", 58, -20, 0),
    ("Draft a referral form for families in temporary housing",
     Status.IN_PROGRESS, "Grace Kim", 58, 15, 0),
    ("Set up a shared calendar of scheduled Tier 2 groups",
     Status.ABANDONED, "Dev Patel", 58, -30, 0),
    ("Train para-professionals to run the school supplies closet",
     Status.NOT_STARTED, "John Smith", 28, 20, 1),
    ("Hire a family engagement para-professional for next school year",
     Status.IN_PROGRESS, "John Smith", 28, 45, 1),
    ("Protect Tuesday and Thursday mornings for Tier 3 sessions",
     Status.COMPLETED, "Maria Lopez", 28, -5, 1),
    ("Replace paper hall passes for counseling visits with the SIS pass",
     Status.BLOCKED, "Grace Kim", 28, -1, 1),
    ("Share the crisis response checklist with new teachers",
     Status.NOT_STARTED, "", 10, None, None),
    ("Review master-scheduling duties with the principal",
     Status.NOT_STARTED, "Dev Patel", 3, 10, None),
)

REFLECTIONS = (
    # (name or None, role, days ago, submitted, support, barriers, (ideal, current) x 8)
    ("Maria Lopez", "LCSW", 20, True,
     "Protected time for Tier 3 caseload; a room with a door that closes.",
     "I cover lunch duty three days a week and lose the hour students can come.",
     ((10, 5), (45, 30), (15, 15), (10, 15), (10, 5), (10, 10), (0, 20), (0, 0))),
    ("Dev Patel", "Counselor", 12, True,
     "Someone else to own 504 data entry.",
     "Data entry and master scheduling eat most of my Mondays.",
     ((5, 5), (35, 20), (20, 15), (15, 15), (10, 5), (10, 15), (5, 25), (0, 0))),
    (None, "Counselor", 6, True,
     "Training for teachers on what to do before they refer a student.",
     "Referrals arrive without context, so the first session is spent on paperwork.",
     ((5, 5), (40, 25), (20, 25), (10, 10), (10, 5), (10, 20), (5, 10), (0, 0))),
    ("Grace Kim", "Counselor", 40, True,
     "A clear process for families in temporary housing.",
     "No private space: I meet students in the hallway.",
     ((5, 5), (40, 30), (20, 20), (15, 20), (10, 5), (10, 10), (0, 10), (0, 0))),
    ("Grace Kim", "Counselor", 1, False,
     "A standing slot with the vice principal to escalate blockers.",
     "", ()),
    # Older ones, for the trend: before the first check-in, and between the two.
    ("Dev Patel", "Counselor", 70, True,
     "Fewer duties outside counseling.",
     "Testing coordination and hall duty take a third of my week.",
     ((5, 5), (35, 15), (20, 10), (15, 10), (10, 5), (10, 20), (5, 35), (0, 0))),
    ("Maria Lopez", "LCSW", 64, True,
     "A schedule where Tier 3 sessions are not cancelled for coverage.",
     "Lunch duty and class coverage.",
     ((10, 5), (45, 20), (15, 10), (10, 10), (10, 5), (10, 15), (0, 30), (0, 5))),
    ("Dev Patel", "Counselor", 35, True,
     "Someone to take the 504 meetings' paperwork.",
     "Master scheduling in the spring.",
     ((5, 5), (35, 20), (20, 10), (15, 10), (10, 5), (10, 25), (5, 20), (0, 5))),
)
# The kind of role each demo role is, for the ASCA guidance (the form asks for it).
ROLE_KINDS = {"LCSW": "school social worker", "Counselor": "school counselor"}


def build(db: Database, clock: Clock) -> None:
    """Fill an empty, migrated database with the demo teams and their history."""
    today = local_today(clock)
    now = clock.now()
    with db.write() as session:
        team = seed.new_team(session, DEMO_TEAM, now - timedelta(days=90))
        assert team.id is not None
        team.cadence, team.weekday, team.start_time = "monthly", 1, "15:00"
        nine_days = today + timedelta(days=9)  # moved off a weekend to the Monday after
        team.place, team.next_checkin_on, team.enrollment = "Library seminar room", (
            nine_days + timedelta(days=7 - nine_days.weekday() if nine_days.weekday() >= 5 else 0)
        ), 1450
        example_district_grid(session, team.id)
        for name, role, email in STAFF:
            session.add(Staff(team_id=team.id, name=name, role_name=role, email=email))
        meetings = (
            _meeting(session, team.id, today - timedelta(days=58), (
                "Lunch duty is the biggest drain for the social workers.",
                "No private room in the east wing; counselors meet in the hallway.",
                "Owners agreed for six actions; John to talk to the principal.",
            )),
            _meeting(session, team.id, today - timedelta(days=28), (
                "Four of six earlier actions moved. The private room is still blocked.",
                "Reflections show 20-25% of counselor time on non-counseling duties.",
                "Plan to shift family engagement and goods provision to para-professionals.",
            )),
        )
        for text, status, owner, ago, due_in, origin in ACTIONS:
            created = today - timedelta(days=ago)
            action = Action(
                team_id=team.id, created_on=created, text=text, status=status.value,
                owner=owner, due_on=None if due_in is None else today + timedelta(days=due_in),
                meeting_id=None if origin is None else meetings[origin],
                updated_at=now,
            )
            session.add(action)
            session.flush()
            assert action.id is not None
            session.add(ActionEvent(action_id=action.id, at=_at(created, 16), kind="created",
                                    new_value=text, meeting_id=action.meeting_id))
            if status is not Status.NOT_STARTED:
                session.add(ActionEvent(
                    action_id=action.id, at=_at(created + timedelta(days=ago // 2), 10),
                    kind="status", field="status", old_value=Status.NOT_STARTED.value,
                    new_value=status.value,
                ))
        for author, role, ago, submitted, support, barriers, shares in REFLECTIONS:
            day = today - timedelta(days=ago)
            reflection = Reflection(
                uid=str(uuid.uuid5(uuid.NAMESPACE_URL, f"mhtui-demo/{ago}/{role}")),
                team_id=team.id, reflected_on=day, author_name=author, role_name=role,
                role_kind=ROLE_KINDS.get(role, ""), support_needed=support, barriers=barriers,
                state="submitted" if submitted else "draft",
                submitted_at=_at(day, 17) if submitted else None, updated_at=now,
            )
            session.add(reflection)
            session.flush()
            assert reflection.id is not None
            for position, (task_type, pair) in enumerate(
                zip(catalogue.ALLOCATION_TASK_TYPES, shares, strict=False)
            ):
                session.add(AllocationRow(
                    reflection_id=reflection.id, position=position, task_type=task_type,
                    ideal=str(pair[0]), current=str(pair[1]),
                ))
        second = seed.new_team(session, SECOND_TEAM, now - timedelta(days=10))
        session.add(Staff(team_id=second.id or 0, name="Ana Ruiz", role_name="School counselor"))
        session.add(Setting(key="active_team_id", value=str(team.id)))
        # Two more schools for the district's view, after every row above.
        demo_district.build(session, today, now)
