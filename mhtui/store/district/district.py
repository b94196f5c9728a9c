"""The district's view across schools (teams), read with a handful of grouped queries
whatever the number of schools: counts are made by the database (GROUP BY team), and
only what needs Python's reading of typed text (time shares, barrier answers) is read
row by row, for the period's submitted reflections alone.

Every function takes ``team_ids``, the teams to include (None: every team): a district
login on a shared server passes the teams it may see. Portable SQL only: bound
parameters, dates compared as dates, no dialect's own functions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import case, func
from sqlalchemy import select as core_select
from sqlmodel import col, select

from mhtui.core.allocation import STUDENT_SERVICES, Row, role_key, share_of, try_share
from mhtui.core.district import (
    BY_TASK_TYPE,
    BY_WORDS,
    HIDDEN_ROLE,
    OVER_POINTS,
    DistrictView,
    Report,
    SchoolFigures,
    barrier_items,
    barrier_key,
    recurring,
    shown_item,
)
from mhtui.core.folding import fold
from mhtui.core.schedule import schedule_from
from mhtui.core.statuses import OPEN_STATUSES, Status
from mhtui.store.database import access
from mhtui.store.database.db import Database
from mhtui.store.models import (
    Action,
    AllocationRow,
    Capability,
    Meeting,
    Reflection,
    Role,
    Task,
    TaskCategory,
    Team,
)
from mhtui.store.reflections import anonymity


@dataclass(frozen=True)
class School:
    """A team as the district lists it."""

    id: int
    name: str


def school_order(name: str, team_id: int | None) -> tuple[str, str, str, int]:
    """Schools A-Z as the team picker lists them (teams.list_teams): by the name folded,
    case, accents and punctuation set aside, the same on SQLite and on a server."""
    folded = fold(name)
    return "".join(c for c in folded if c.isalnum()), folded, name, team_id or 0


def schools(db: Database, team_ids: Collection[int] | None = None) -> list[School]:
    """The teams included, by name."""
    query = select(Team.id, Team.name)
    if team_ids is not None:
        query = query.where(col(Team.id).in_(sorted(team_ids)))
    with db.read() as session:
        found = [School(i, n) for i, n in session.exec(query) if i is not None]
    return sorted(found, key=lambda s: school_order(s.name, s.id))


def _in(column: Any, team_ids: Collection[int] | None) -> list[Any]:
    return [] if team_ids is None else [col(column).in_(sorted(team_ids))]


def build(db: Database, today: date, days: int = 90,
          team_ids: Collection[int] | None = None) -> DistrictView:
    """Every included school's figures over the ``days`` before ``today`` (and today),
    and the barriers two or more of them report."""
    start = today - timedelta(days=days)
    # The period's bounds as moments: local midnight, as the app writes local times.
    since = datetime.combine(start, time()).astimezone()
    until = datetime.combine(today + timedelta(days=1), time()).astimezone()
    teams_q = select(Team)
    if team_ids is not None:
        teams_q = teams_q.where(col(Team.id).in_(sorted(team_ids)))
    alive = [col(Action.deleted_at).is_(None), *_in(Action.team_id, team_ids)]
    in_period = [Reflection.state == "submitted", col(Reflection.submitted_at) >= since,
                 col(Reflection.submitted_at) < until, *_in(Reflection.team_id, team_ids)]
    with db.read() as session:
        teams = sorted(session.exec(teams_q), key=lambda t: school_order(t.name, t.id))
        by_status: dict[int, dict[Status, int]] = {}
        for team_id, status, count in session.execute(
                select(Action.team_id, Action.status, func.count()).where(*alive)
                .group_by(col(Action.team_id), col(Action.status))):
            if status in Status._value2member_map_:
                by_status.setdefault(team_id, {})[Status(status)] = count
        overdue: dict[int, int] = dict(session.execute(
            select(Action.team_id, func.count()).where(
                *alive, col(Action.status).in_([s.value for s in OPEN_STATUSES]),
                col(Action.due_on).is_not(None), col(Action.due_on) < today)
            .group_by(col(Action.team_id))).all())
        held: dict[int, int] = dict(session.execute(
            select(Meeting.team_id, func.count()).where(
                Meeting.state == "ended", col(Meeting.scheduled_at) >= since,
                col(Meeting.scheduled_at) < until, *_in(Meeting.team_id, team_ids))
            .group_by(col(Meeting.team_id))).all())
        reflections = list(session.execute(
            core_select(col(Reflection.id), col(Reflection.team_id),
                        col(Reflection.author_name).is_(None), col(Reflection.role_name),
                        col(Reflection.role_kind), col(Reflection.barriers))
            .where(*in_period).order_by(col(Reflection.submitted_at), col(Reflection.id))))
        rows = session.execute(
            select(AllocationRow.reflection_id, AllocationRow.task_type, AllocationRow.ideal,
                   AllocationRow.current).join(Reflection).where(*in_period)
            .order_by(col(AllocationRow.reflection_id), col(AllocationRow.position))).all()
        constrained: dict[int, list[str]] = {}
        for team_id, name in session.execute(
                select(Role.team_id, Role.name).where(
                    col(Role.capacity_constrained), *_in(Role.team_id, team_ids))
                .order_by(col(Role.team_id), col(Role.position), col(Role.id))):
            constrained.setdefault(team_id, []).append(name)
        # Per task: how many roles can do it now, and how many of its cells are marked.
        yes = func.sum(case((col(Capability.value) == "yes", 1), else_=0))
        tasks = session.execute(
            select(TaskCategory.team_id, Task.name, yes, func.count(col(Capability.id)))
            .select_from(Task).join(TaskCategory)
            .outerjoin(Capability, col(Capability.task_id) == col(Task.id))
            .where(*_in(TaskCategory.team_id, team_ids))
            .group_by(col(TaskCategory.team_id), col(TaskCategory.position),
                      col(Task.position), col(Task.id), col(Task.name))
            .order_by(col(TaskCategory.team_id), col(TaskCategory.position),
                      col(Task.position), col(Task.id))).all()
    nobody: dict[int, list[str]] = {}
    unassessed: Counter[int] = Counter()
    for team_id, name, can, marked in tasks:
        if not marked:
            unassessed[team_id] += 1
        elif not can:
            nobody.setdefault(team_id, []).append(name)
    tables: dict[int, list[Row]] = {}
    for reflection_id, task_type, ideal, current in rows:
        tables.setdefault(reflection_id, []).append(Row(task_type, ideal, current))
    names = {t.id: t.name for t in teams}
    per_team: dict[int, list[int]] = {}
    unsigned = {r[0] for r in reflections if r[2]}
    for r in reflections:
        per_team.setdefault(r[1], []).append(r[0])
    reach = access.reach(db)
    figures = []
    for team in teams:
        assert team.id is not None
        schedule = schedule_from(team.cadence, team.next_checkin_on, team.cadence_weeks)
        made = team.created_at.astimezone().date()
        mine = per_team.get(team.id, [])
        ideal, now = (_school_mean(mine, unsigned, tables, column)
                      for column in ("ideal", "current"))
        figures.append(SchoolFigures(
            team_id=team.id, name=team.name,
            by_status={s: by_status.get(team.id, {}).get(s, 0) for s in Status},
            overdue=overdue.get(team.id, 0), held=held.get(team.id, 0),
            expected=None if schedule is None
            else len(schedule.between(max(start, made), today)),
            schedule=schedule.words() if schedule is not None else "",
            reflections=len(mine), ideal_services=ideal.value, now_services=now.value,
            tables=now.count, note=anonymity.worst([ideal.note, now.note]),
            constrained_roles=tuple(constrained.get(team.id, [])),
            tasks_nobody=tuple(nobody.get(team.id, [])),
            tasks_unassessed=unassessed[team.id],
            grid_hidden=not reach.sees_grid(team.id)))
    reports = _reports(reflections, tables, names)
    return DistrictView(start, today, tuple(figures),
                        recurring(reports, [t.name for t in teams], _pool))


def _school_mean(mine: list[int], unsigned: set[int], tables: dict[int, list[Row]],
                 column: str) -> anonymity.Figure:
    """A school's mean share on services to students, the school the group."""
    values = [(i in unsigned, v) for i in mine
              if (v := share_of(tables.get(i, []), column, STUDENT_SERVICES)) is not None]
    # The district's days cut across check-in periods: named values only (anonymity.py).
    figure = anonymity.mean_of(values, len(mine), sum(1 for i in mine if i in unsigned),
                               pool=False)
    return anonymity.Figure(None if figure.value is None else round(figure.value, 1),
                            figure.count, figure.note)


def _pool(values: Sequence[tuple[bool, float]], reflections: int,
          anonymous: int) -> tuple[float | None, str]:
    """A role's mean points over the ideal, the role's reports the group."""
    figure = anonymity.mean_of(values, reflections, anonymous, pool=False)
    return figure.value, figure.note


def _kind(kind: str) -> str:
    """A kind of role that groups across schools: "other" says too little, so a role of
    that kind goes by its name."""
    return "" if kind == "other" else kind


def _reports(reflections: Iterable[Any], tables: dict[int, list[Row]],
             names: dict[int | None, str]) -> list[Report]:
    """Each reflection's barriers, by task type and by words, under the role shown.

    Named roles are the kind of role chosen on the form, or else (no kind, or "other")
    the role's name, grouped whatever its case and spacing. An anonymous answer's role
    is what anonymity.roles shows among its school's reflections of the period (its kind
    where 3 anonymous ones share it, else HIDDEN_ROLE), since a role one or two people
    hold would name its author.
    """
    found = list(reflections)
    group = {r[0]: (_kind(r[4]) or role_key(r[3])) for r in found}
    spellings: dict[str, Counter[str]] = {}
    for r in found:
        if not _kind(r[4]) and not r[2]:
            spellings.setdefault(group[r[0]], Counter())[" ".join(r[3].split())] += 1
    shown: dict[int, str] = {}
    for team_id in {r[1] for r in found}:
        members = [r for r in found if r[1] == team_id]
        shown.update(zip((r[0] for r in members), anonymity.roles(
            [anonymity.Member(r[2], r[3], r[4]) for r in members]), strict=True))
    reports = []
    for reflection_id, team_id, anonymous, _role, kind, barriers in found:
        key = group[reflection_id]
        if anonymous:
            role = HIDDEN_ROLE if shown[reflection_id] == anonymity.ROLE_NOT_SHOWN \
                else shown[reflection_id]
        elif _kind(kind):
            role = kind
        else:
            role = spellings[key].most_common(1)[0][0] or "no role given"
        school = names[team_id]
        over: dict[str, tuple[str, float]] = {}
        for row in tables.get(reflection_id, []):
            ideal, now = try_share(row.ideal), try_share(row.current)
            if ideal is not None and now is not None and now - ideal >= OVER_POINTS:
                task_key = role_key(row.task_type)
                if task_key not in over or now - ideal > over[task_key][1]:
                    over[task_key] = (" ".join(row.task_type.split()), now - ideal)
        reports += [Report(BY_TASK_TYPE, k, theme, school, role, points, anonymous)
                    for k, (theme, points) in over.items()]
        items = {barrier_key(item): shown_item(item) for item in
                 reversed(barrier_items(barriers))}  # the first spelling wins
        reports += [Report(BY_WORDS, k, theme, school, role, anonymous=anonymous)
                    for k, theme in items.items()]
    return reports
