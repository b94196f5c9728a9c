"""Two more demo schools for the district's view, added after the first two (whose rows,
ids and dates stay as they were): an elementary school that missed a check-in and a
high school that held every one, with actions in every status, reflections whose
barriers recur across schools, and grids with capacity flags.

Everything is laid out from the clock's today, as in demo.py.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, select

from mhtui.core import catalogue
from mhtui.core.schedule import schedule_from
from mhtui.core.statuses import Status
from mhtui.store.models import (
    Action,
    ActionEvent,
    AllocationRow,
    Capability,
    Meeting,
    MeetingAttendee,
    MeetingItem,
    Reflection,
    Role,
    Staff,
    Task,
    TaskCategory,
)
from mhtui.store.teams import seed

Shares = tuple[tuple[int, int], ...]  # (ideal, now) per allocation task type


@dataclass(frozen=True)
class RoleSpec:
    name: str
    audience: catalogue.Audience
    constrained: bool
    yes: frozenset[int]  # tasks (by position in the catalogue) the role can do now
    training: frozenset[int] = frozenset()
    no: frozenset[int] | None = None  # None: every other task is No


@dataclass(frozen=True)
class SchoolSpec:
    name: str
    created_days_ago: int
    cadence: str
    weeks: int | None
    next_in_days: int
    start: time
    place: str
    enrollment: int
    staff: tuple[tuple[str, str], ...]
    roles: tuple[RoleSpec, ...]
    missed: int  # how many scheduled check-ins of the last 90 days were not held
    actions: tuple[tuple[str, Status, str, int, int | None], ...]
    # (author or None, role, role kind, days ago, submitted, support, barriers, shares)
    reflections: tuple[tuple[str | None, str, str, int, bool, str, str, Shares], ...]
    notes: tuple[str, str, str]


_ALL = frozenset(range(18))
_H, _G, _T = catalogue.Audience.HEALTH, catalogue.Audience.GENERAL, catalogue.Audience.TEACHERS

SCHOOLS = (
    SchoolSpec(
        "Sojourner Truth Elementary School", 200, "weeks", 6, 12, time(14, 30),
        "Room 12, the counseling office", 520,
        (("Keisha Brown", "School counselor"), ("Tomás Ortega", "Counselor"),
         ("Rachel Adams", "LCSW"), ("Linh Nguyen", "Principal")),
        (RoleSpec("Licensed clinical provider (e.g. LCSW)", _H, True,
                  _ALL - {1, 12}, frozenset({1, 12})),
         RoleSpec("Other counselor or social worker", _H, False,
                  frozenset({0, 3, 4, 5, 6, 7, 8, 9, 10, 13}), frozenset({2, 14})),
         RoleSpec("School counselor", _H, True, _ALL - {1, 12}, frozenset({12})),
         RoleSpec("Family engagement specialist", _G, False, frozenset({8, 10, 11}),
                  frozenset({9})),
         RoleSpec("Administrator", _G, False, frozenset({11, 14, 15, 16, 17})),
         RoleSpec("Para-professional", _G, False, frozenset({11, 17}), frozenset({10})),
         RoleSpec("Teacher", _T, False, frozenset({5, 6, 11, 13, 17}), frozenset({7}))),
        1,
        (("Find a room with a door for small-group sessions", Status.BLOCKED,
          "Linh Nguyen", 60, -14),
         ("Move lunch and recess duty off the counselor's schedule", Status.IN_PROGRESS,
          "Linh Nguyen", 60, 10),
         ("Start a weekly Tier 2 friendship group for grade 3", Status.COMPLETED,
          "Keisha Brown", 60, -20),
         ("Ask the district for a part-time school psychologist", Status.NOT_STARTED,
          "Linh Nguyen", 45, -2),
         ("Train two para-professionals to run the clothing closet", Status.IN_PROGRESS,
          "Tomás Ortega", 45, 30),
         ("Send families the winter resources list", Status.ABANDONED, "Rachel Adams",
          30, -5),
         ("Set up a referral form teachers fill in before sending a student",
          Status.NOT_STARTED, "Keisha Brown", 8, 21)),
        (("Keisha Brown", "School counselor", "school counselor", 25, True,
          "Someone else at the lunch tables so I can run lunch groups.",
          "Lunch duty and class coverage. No private space to meet students.",
          ((5, 5), (35, 20), (20, 20), (15, 10), (10, 5), (10, 10), (5, 25), (0, 5))),
         (None, "Social worker", "school social worker", 15, True,
          "A room for family meetings.",
          "No private space to meet students; referrals come without any context.",
          ((10, 5), (40, 30), (20, 25), (15, 15), (10, 5), (5, 10), (0, 10), (0, 0))),
         ("Tomás Ortega", "Counselor", "other", 10, True,
          "Training on the new screening tool.",
          "Testing coordination takes two weeks every season.",
          ((5, 10), (30, 25), (25, 25), (20, 15), (10, 5), (10, 10), (0, 10), (0, 0))),
         ("Keisha Brown", "School counselor", "school counselor", 50, True,
          "A second counselor two days a week.",
          "Lunch duty and class coverage.",
          ((5, 5), (35, 25), (20, 20), (15, 10), (10, 5), (10, 10), (5, 20), (0, 5))),
         ("Rachel Adams", "LCSW", "school social worker", 2, False,
          "Time to call families back.", "", ())),
        ("Only two of four actions moved; the room is still blocked.",
         "Lunch duty keeps the counselor from lunch groups; no private space.",
         "Principal to take lunch duty to the staff meeting."),
    ),
    SchoolSpec(
        "Westview High School", 400, "monthly", None, 16, time(7, 45),
        "Main office conference room", 1900,
        (("Omar Haddad", "School counselor"), ("Sam Lee", "School counselor"),
         ("Priya Shah", "School psychologist"), ("Ben Carter", "School social worker"),
         ("Dana Whitfield", "Assistant principal")),
        (RoleSpec("School counselor", _H, True,
                  frozenset({0, 3, 4, 5, 6, 7, 8, 10, 12, 13, 14, 16, 17}),
                  frozenset({2}), frozenset({1, 11})),
         RoleSpec("School psychologist", _H, True, frozenset({0, 1, 3, 6, 7, 12, 13}),
                  frozenset({2}), frozenset({4, 5, 8, 10, 11, 14, 16, 17})),
         RoleSpec("School social worker", _H, False,
                  frozenset({0, 3, 4, 6, 7, 8, 10, 11, 13}), frozenset({2}),
                  frozenset({1, 5, 12, 14, 16, 17})),
         RoleSpec("Assistant principal", _G, False, frozenset({11, 14, 16, 17}),
                  no=frozenset({0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 13})),
         RoleSpec("Registrar", _G, False, frozenset({17}),
                  no=frozenset({0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 16})),
         RoleSpec("Teacher", _T, False, frozenset({5, 6, 11, 13, 17}), frozenset({7}),
                  frozenset({0, 1, 2, 3, 4, 8, 10, 12, 14, 16}))),
        0,
        (("Hire a registrar so counselors stop doing schedule changes", Status.IN_PROGRESS,
          "Dana Whitfield", 80, 40),
         ("Take counselors off master scheduling for the spring term", Status.BLOCKED,
          "Dana Whitfield", 80, -25),
         ("Book a private room for psychological assessments", Status.COMPLETED,
          "Priya Shah", 80, -40),
         ("Run a crisis intervention refresher for the front office", Status.COMPLETED,
          "Ben Carter", 50, -10),
         ("Share the Tier 2 group schedule with teachers", Status.NOT_STARTED,
          "Omar Haddad", 50, -8),
         ("Replace the paper attendance audit with a report from the SIS",
          Status.ABANDONED, "Dana Whitfield", 50, -3),
         ("Pilot a check-in/check-out program for grade 9", Status.IN_PROGRESS, "Sam Lee",
          20, 25),
         ("Write the 504 coordination hand-off to the assistant principal", Status.BLOCKED,
          "Omar Haddad", 20, -1),
         ("Publish the counseling office's drop-in hours", Status.NOT_STARTED, "", 5,
          None)),
        (("Omar Haddad", "School counselor", "school counselor", 18, True,
          "A registrar to take schedule changes.",
          "Master scheduling in the spring.\nData entry for 504 plans.",
          ((5, 5), (30, 15), (20, 20), (15, 10), (10, 5), (10, 20), (5, 25), (5, 0))),
         ("Sam Lee", "school  counselor", "school counselor", 9, True,
          "Protected time for grade 9 check-ins.",
          "Lunch duty and class coverage; master scheduling in the spring.",
          ((5, 5), (35, 20), (20, 25), (15, 10), (10, 5), (10, 10), (5, 25), (0, 0))),
         (None, "School Counselor", "school counselor", 4, True,
          "Fewer duties outside counseling.",
          "Testing coordination and hall duty take a third of my week.",
          ((5, 10), (35, 25), (20, 20), (15, 10), (10, 5), (10, 15), (5, 15), (0, 0))),
         ("Priya Shah", "School psychologist", "school psychologist", 30, True,
          "A second testing room.",
          "No private space to meet students.",
          ((40, 55), (20, 10), (10, 10), (10, 5), (10, 5), (10, 10), (0, 5), (0, 0))),
         (None, "School social worker", "school social worker", 12, True,
          "Coverage so I can keep my Tuesday groups.",
          "Lunch duty and class coverage.",
          ((5, 5), (40, 25), (20, 20), (20, 20), (5, 5), (10, 10), (0, 15), (0, 0))),
         ("Omar Haddad", "School counselor", "school counselor", 120, True,
          "Someone to own the master schedule.",
          "Master scheduling in the spring.",
          ((5, 5), (30, 20), (20, 20), (15, 10), (10, 5), (10, 15), (5, 25), (5, 0))),
         ("Ben Carter", "School social worker", "school social worker", 1, False,
          "A list of community partners with openings.", "", ())),
        ("Every earlier action reviewed; master scheduling is still blocked.",
         "Reflections again name lunch duty and master scheduling.",
         "Assistant principal to bring the registrar post to the district."),
    ),
)


def _school_day(day: date) -> date:
    """A weekend day moved to the Monday after."""
    return day + timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day


def _at(day: date, when: time) -> datetime:
    return datetime.combine(day, when).astimezone()


def build(session: Session, today: date, now: datetime) -> None:
    """Add the two schools, in order, after every row of the first two."""
    for spec in SCHOOLS:
        _school(session, spec, today, now)


def _school(session: Session, spec: SchoolSpec, today: date, now: datetime) -> None:
    team = seed.new_team(session, spec.name, now - timedelta(days=spec.created_days_ago))
    assert team.id is not None
    team.cadence, team.cadence_weeks, team.weekday = spec.cadence, spec.weeks, None
    team.next_checkin_on = _school_day(today + timedelta(days=spec.next_in_days))
    team.weekday = team.next_checkin_on.weekday()
    team.start_time, team.place = spec.start.strftime("%H:%M"), spec.place
    team.enrollment = spec.enrollment
    for name, role in spec.staff:
        session.add(Staff(team_id=team.id, name=name, role_name=role))
    _grid(session, team.id, spec.roles)
    schedule = schedule_from(spec.cadence, team.next_checkin_on, spec.weeks)
    assert schedule is not None
    # The check-ins of the last 130 days, held on their dates, but for the first
    # ``missed`` of the last 90 days.
    dates = schedule.between(today - timedelta(days=130), today - timedelta(days=1))
    recent = [d for d in dates if d >= today - timedelta(days=90)]
    skipped = set(recent[:spec.missed])
    meetings = [_meeting(session, team.id, day, spec) for day in dates if day not in skipped]
    for text, status, owner, ago, due_in in spec.actions:
        created = today - timedelta(days=ago)
        # Set at the check-in held in the two weeks before, if any: dated that day.
        held = next(((m, day) for m, day in reversed(meetings)
                     if timedelta(0) <= created - day <= timedelta(days=14)), None)
        origin = None if held is None else held[0]
        created = created if held is None else held[1]
        action = Action(team_id=team.id, created_on=created, text=text, status=status.value,
                        owner=owner,
                        due_on=None if due_in is None else today + timedelta(days=due_in),
                        meeting_id=origin, updated_at=now)
        session.add(action)
        session.flush()
        assert action.id is not None
        session.add(ActionEvent(action_id=action.id, at=_at(created, time(16)),
                                kind="created", new_value=text, meeting_id=origin))
        if status is not Status.NOT_STARTED:
            session.add(ActionEvent(
                action_id=action.id, at=_at(created + timedelta(days=ago // 2), time(10)),
                kind="status", field="status", old_value=Status.NOT_STARTED.value,
                new_value=status.value))
    for index, (author, role, kind, ago, submitted, support, barriers, shares) in enumerate(
            spec.reflections):
        day = today - timedelta(days=ago)
        reflection = Reflection(
            uid=str(uuid.uuid5(uuid.NAMESPACE_URL, f"mhtui-demo/{spec.name}/{index}")),
            team_id=team.id, reflected_on=day, author_name=author, role_name=role,
            role_kind=kind, support_needed=support, barriers=barriers,
            state="submitted" if submitted else "draft",
            submitted_at=_at(day, time(17)) if submitted else None, updated_at=now)
        session.add(reflection)
        session.flush()
        assert reflection.id is not None
        for position, (task_type, (ideal, current)) in enumerate(
                zip(catalogue.ALLOCATION_TASK_TYPES, shares, strict=False)):
            session.add(AllocationRow(reflection_id=reflection.id, position=position,
                                      task_type=task_type, ideal=str(ideal),
                                      current=str(current)))
    session.flush()


def _grid(session: Session, team_id: int, specs: tuple[RoleSpec, ...]) -> None:
    """The school's own roles and marks: a task no role has a mark for stays not
    assessed."""
    for role in session.exec(select(Role).where(Role.team_id == team_id)):
        session.delete(role)
    session.flush()
    roles = []
    for position, spec in enumerate(specs):
        role = Role(team_id=team_id, position=position, name=spec.name,
                    audience=spec.audience.value, capacity_constrained=spec.constrained)
        session.add(role)
        roles.append(role)
    session.flush()
    tasks = session.exec(
        select(Task).join(TaskCategory).where(TaskCategory.team_id == team_id)
        .order_by(TaskCategory.position, Task.position)  # type: ignore[arg-type]
    ).all()
    for index, task in enumerate(tasks):
        assert task.id is not None
        for role, spec in zip(roles, specs, strict=True):
            assert role.id is not None
            if index in spec.yes:
                value = catalogue.Capability.YES
            elif index in spec.training:
                value = catalogue.Capability.TRAINING
            elif spec.no is None or index in spec.no:
                value = catalogue.Capability.NO
            else:
                continue  # not assessed
            session.add(Capability(task_id=task.id, role_id=role.id, value=value.value))


def _meeting(session: Session, team_id: int, day: date,
             spec: SchoolSpec) -> tuple[int, date]:
    start = _at(day, spec.start)
    meeting = Meeting(team_id=team_id, scheduled_at=start, state="ended", started_at=start,
                      ended_at=start + timedelta(minutes=58), current_position=2)
    session.add(meeting)
    session.flush()
    assert meeting.id is not None
    for position, (item, note) in enumerate(
            zip(catalogue.DEFAULT_AGENDA, spec.notes, strict=True)):
        session.add(MeetingItem(meeting_id=meeting.id, position=position, title=item.title,
                                planned_seconds=item.minutes * 60,
                                spent_seconds=item.minutes * 60 - 60 * position,
                                questions="\n".join(item.questions), notes=note,
                                kind=item.kind))
    for name, role in spec.staff:
        session.add(MeetingAttendee(meeting_id=meeting.id, name=name, role_name=role))
    return meeting.id, day
