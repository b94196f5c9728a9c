"""The demo builder gives every screen something real to show."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime

from sqlmodel import select

from mhtui.core.clock import FakeClock
from mhtui.core.statuses import Status
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target
from mhtui.store.grid import grid
from mhtui.store.models import Action, Meeting, MeetingItem, Reflection, Team
from tests.conftest import MakeTarget


def test_demo_holds_the_example_district(demo_target: Target,
                                         open_db: Callable[[Target], Database]) -> None:
    db = open_db(demo_target)
    with db.read() as session:
        teams = session.exec(select(Team)).all()
        # The example district first (ids 1 and 2), then the district view's two schools.
        assert [(t.id, t.name) for t in sorted(teams, key=lambda t: t.id or 0)] == [
            (1, "Lincoln High School"), (2, "Roosevelt Middle School"),
            (3, "Sojourner Truth Elementary School"), (4, "Westview High School")]
        lincoln = next(t for t in teams if t.name == "Lincoln High School")
        actions = session.exec(select(Action).where(Action.team_id == lincoln.id)).all()
        meetings = session.exec(select(Meeting).where(Meeting.team_id == lincoln.id)).all()
        notes = session.exec(select(MeetingItem.notes).join(Meeting)
                             .where(Meeting.team_id == lincoln.id)).all()
        reflections = session.exec(select(Reflection)).all()
    assert len(actions) == 12
    assert set(Counter(a.status for a in actions)) == {s.value for s in Status}
    lunch = next(a for a in actions if "lunch duty" in a.text)
    assert lunch.owner == "John Smith" and lunch.status == Status.IN_PROGRESS
    assert len(meetings) == 2 and all(m.state == "ended" for m in meetings)
    assert sum(1 for n in notes if n) == 6
    assert any(r.author_name is None for r in reflections)
    assert any(r.state == "draft" for r in reflections)

    assert lincoln.id is not None
    data = grid.load(db, lincoln.id)
    assert [r.name for r in data.roles] == [
        "LCSW", "Counselor", "Administrator/para-professional", "Teacher"
    ]
    assert [r.capacity_constrained for r in data.roles] == [True, True, False, False]
    tasks = [t for _, ts in data.categories for t in ts]
    assert len(tasks) == 18 and len(data.categories) == 7
    ids = [r.id for r in data.roles]

    def row(task_name: str) -> list[str]:
        task = next(t for t in tasks if t.name.startswith(task_name))
        return [data.cells[(task.id or 0, rid or 0)] for rid in ids]

    assert row("Screening") == ["yes", "yes", "no", "no"]
    assert row("Scheduled Tier 1") == ["yes", "yes", "no", "yes"]
    assert row("Proactive family engagement") == ["yes", "yes", "yes", "yes"]
    assert row("Program management") == ["yes", "yes", "yes", "no"]
    assert row("Formal training") == ["yes", "yes", "no", "no"]
    assert row("Non-counseling duties") == ["yes", "yes", "yes", "yes"]


def test_python_dash_m_runs_the_cli() -> None:
    out = subprocess.run([sys.executable, "-m", "mhtui", "--help"], capture_output=True,
                         text=True, check=True).stdout
    assert "--demo" in out and "--db" in out and "info" in out


def test_demo_next_check_in_is_on_a_school_day(make_target: MakeTarget) -> None:
    # Opened on a Thursday, the demo's next check-in was "Sat 5 Dec 2026".
    from mhtui.store.database import opening
    from mhtui.store.demo import demo

    for day in range(23, 30):  # Monday 23 to Sunday 29 November 2026
        target = make_target(f"demo-{day}.db")
        db = opening.connect(target)
        demo.build(db, FakeClock(datetime(2026, 11, day, 15, 0, tzinfo=UTC)))
        with db.read() as session:
            team = session.exec(select(Team).where(Team.name == "Lincoln High School")).one()
        db.close()
        assert team.next_checkin_on is not None
        assert team.next_checkin_on.weekday() < 5, (day, team.next_checkin_on)


def test_the_district_schools_come_after_the_example_district(
        demo_target: Target, open_db: Callable[[Target], Database]) -> None:
    """The two schools added for the district's view leave every earlier row as it was:
    Lincoln's actions, check-ins and reflections keep their numbers."""
    from mhtui.store.district import district

    db = open_db(demo_target)
    with db.read() as session:
        lincoln_actions = session.exec(select(Action.id).where(Action.team_id == 1)
                                       .order_by(Action.id)).all()  # type: ignore[arg-type]
        first_meetings = session.exec(select(Meeting.id).where(Meeting.team_id == 1)).all()
        lincoln_reflections = session.exec(select(Reflection.id).where(
            Reflection.team_id == 1)).all()
    assert list(lincoln_actions) == list(range(1, 13))
    assert sorted(m or 0 for m in first_meetings) == [1, 2]
    if demo_target.path is not None:  # on a server ids are drawn at random (0013)
        assert sorted(r or 0 for r in lincoln_reflections) == list(range(1, 9))
    assert len(lincoln_reflections) == 8
    view = district.build(db, FakeClock().now().date())
    sojourner, westview = view.schools[2], view.schools[3]
    # Every status, some overdue, a missed check-in, capacity flags.
    assert all(sojourner.by_status[s] for s in Status) and sojourner.overdue == 2
    assert all(westview.by_status[s] for s in Status) and westview.overdue == 3
    assert (sojourner.held, sojourner.expected) == (1, 2)
    assert (westview.held, westview.expected) == (3, 3)
    assert sojourner.tasks_nobody and westview.tasks_nobody and westview.tasks_unassessed
    assert len([b for b in view.barriers if len(b.schools) == 3]) >= 2
