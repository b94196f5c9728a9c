"""The district's view across schools: the figures, how barriers are matched across
schools, anonymity, and `mhtui export district` / `mhtui actions list --all-teams`."""

from __future__ import annotations

import csv
import io
import json
import stat
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from mhtui.cli import main
from mhtui.core.clock import FakeClock, SystemClock, local_today
from mhtui.core.district import (
    BY_TASK_TYPE,
    BY_WORDS,
    HIDDEN_ROLE,
    DistrictView,
    barrier_items,
    barrier_key,
)
from mhtui.core.schedule import Schedule
from mhtui.core.statuses import Status
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target
from mhtui.store.district import district
from mhtui.store.models import AllocationRow, Reflection
from mhtui.store.reflections import anonymity
from mhtui.store.teams import teams
from tests.conftest import MakeTarget

LINCOLN, ROOSEVELT = "Lincoln High School", "Roosevelt Middle School"
SOJOURNER, WESTVIEW = "Sojourner Truth Elementary School", "Westview High School"


def _view(target: Target, open_db: Callable[[Target], Database], clock: FakeClock,
          **kwargs: object) -> DistrictView:
    return district.build(open_db(target), local_today(clock), **kwargs)  # type: ignore[arg-type]


def test_every_school_of_the_demo_with_its_figures(
        demo_target: Target, open_db: Callable[[Target], Database], clock: FakeClock) -> None:
    view = _view(demo_target, open_db, clock)
    assert [s.name for s in view.schools] == [LINCOLN, ROOSEVELT, SOJOURNER, WESTVIEW]
    assert view.start == local_today(clock) - timedelta(days=90)
    lincoln, roosevelt, sojourner, westview = view.schools
    assert [lincoln.by_status[s] for s in Status] == [4, 3, 2, 1, 2]
    assert lincoln.overdue == 3  # open and past due: blocked, not started, blocked
    # Monthly on the first Wednesday: 2 Sep, 7 Oct, 4 Nov in the 90 days; 2 were held.
    assert (lincoln.held, lincoln.expected) == (2, 3)
    assert lincoln.schedule == "every month, on the first Wednesday"
    # The draft is not counted; one anonymous table of the 7 is left out of the means,
    # which the named six's tables would give back (issue 25).
    assert (lincoln.reflections, lincoln.tables) == (7, 6)
    assert (lincoln.ideal_services, lincoln.now_services, lincoln.gap) == (87.5, 59.2, -28.3)
    assert lincoln.note == anonymity.LEFT_OUT
    assert lincoln.constrained_roles == ("LCSW", "Counselor")
    assert lincoln.tasks_nobody == () and lincoln.tasks_unassessed == 0
    # A school that has just joined: nothing yet, and says so.
    assert (roosevelt.actions, roosevelt.held, roosevelt.expected) == (0, 0, None)
    assert roosevelt.gap is None and roosevelt.tasks_unassessed == 18
    assert (sojourner.held, sojourner.expected, sojourner.overdue) == (1, 2, 2)
    assert sojourner.tasks_nobody == ("Psychological assessment",
                                      "Formal training of teachers and staff")
    assert westview.tasks_nobody == ("Threat assessment",)
    assert (westview.tasks_unassessed, westview.held, westview.expected) == (2, 3, 3)


def test_barriers_recur_by_task_type_and_by_the_same_words(
        demo_target: Target, open_db: Callable[[Target], Database], clock: FakeClock) -> None:
    view = _view(demo_target, open_db, clock)
    themes = {(b.kind, b.theme): b for b in view.barriers}
    duties = themes[(BY_TASK_TYPE, "Non-counseling duties")]
    assert duties.schools == (LINCOLN, SOJOURNER, WESTVIEW)
    roles = {r.role: r for r in duties.roles}
    assert roles["school counselor"].schools == (LINCOLN, SOJOURNER, WESTVIEW)
    # Tomás chose "other" as the kind: he is counted under his role's name.
    assert roles["Counselor"].schools == (SOJOURNER,)
    # Two anonymous answers whose role one person holds at their school.
    assert roles[HIDDEN_ROLE].schools == (SOJOURNER, WESTVIEW)
    assert duties.roles[-1].role == HIDDEN_ROLE
    lunch = themes[(BY_WORDS, "Lunch duty and class coverage")]
    assert lunch.schools == (LINCOLN, SOJOURNER, WESTVIEW)
    assert {r.role for r in lunch.roles} == {"school counselor", "school social worker",
                                            HIDDEN_ROLE}
    # Westview's anonymous counselor is one of 3 counselors there, but the only
    # anonymous one: the two named counselors would point at the third (issue 25).
    testing = themes[(BY_WORDS, "Testing coordination and hall duty take a third of my week")]
    assert [(r.role, r.schools) for r in testing.roles] == [
        ("school counselor", (LINCOLN,)), (HIDDEN_ROLE, (WESTVIEW,))]
    # A school's own repeated barrier does not recur across schools.
    assert all(len(b.schools) >= 2 for b in view.barriers)
    assert (BY_WORDS, "Data entry for 504 plans") not in themes


def test_only_the_teams_asked_for(demo_target: Target,
                                  open_db: Callable[[Target], Database],
                                  clock: FakeClock) -> None:
    view = _view(demo_target, open_db, clock, team_ids={3})
    assert [s.name for s in view.schools] == [SOJOURNER]
    assert view.barriers == ()  # one school: nothing recurs across schools
    assert [s.name for s in district.schools(open_db(demo_target), {1, 4})] == [
        LINCOLN, WESTVIEW]
    assert _view(demo_target, open_db, clock, team_ids=set()).schools == ()


def _reflect(db: Database, team_id: int, author: str | None, role: str, kind: str,
             barriers: str, shares: tuple[tuple[int, int], ...] = (), days_ago: int = 3,
             ) -> None:
    now = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
    with db.write() as session:
        reflection = Reflection(
            uid=f"{team_id}-{author}-{role}-{barriers}-{days_ago}", team_id=team_id,
            reflected_on=now.date(), author_name=author, role_name=role, role_kind=kind,
            barriers=barriers, state="submitted",
            submitted_at=now - timedelta(days=days_ago), updated_at=now)
        session.add(reflection)
        session.flush()
        assert reflection.id is not None
        for position, (task_type, (ideal, current)) in enumerate(zip(
                ("Assessment", "Non-counseling duties"), shares, strict=False)):
            session.add(AllocationRow(reflection_id=reflection.id, position=position,
                                      task_type=task_type, ideal=str(ideal),
                                      current=str(current)))


def test_an_anonymous_answer_keeps_its_role_only_in_a_group_of_three(
        empty_target: Target, open_db: Callable[[Target], Database],
        clock: FakeClock) -> None:
    db = open_db(empty_target)
    a = teams.create_team(db, "Adams", clock).id
    b = teams.create_team(db, "[/b] Baker", clock).id
    _reflect(db, a, None, "Social worker", "school social worker", "No room to meet.",
             ((50, 50), (0, 50)), days_ago=4)  # first written: its words name the theme
    _reflect(db, b, "Bo", "School social worker", "school social worker",
             "NO ROOM to meet!", ((50, 30), (0, 20)))
    _reflect(db, b, "Cy", "School social worker", "school social worker", "Lunch duty.")
    _reflect(db, b, "Di", "School social worker", "school social worker", "Bus duty.")
    # Outside the period: never counted.
    _reflect(db, a, "Ed", "Counselor", "", "Bus duty.", days_ago=200)
    view = district.build(db, local_today(clock))
    room = next(b for b in view.barriers if b.kind == BY_WORDS)
    assert room.theme == "No room to meet" and room.schools == ("Adams", "[/b] Baker")
    # Adams' one social worker wrote it unsigned: the role would name them.
    assert [(r.role, r.schools) for r in room.roles] == [
        ("school social worker", ("[/b] Baker",)), (HIDDEN_ROLE, ("Adams",))]
    duties = next(b for b in view.barriers if b.kind == BY_TASK_TYPE)
    assert duties.theme == "Non-counseling duties"
    # The hidden role's one report: its points over the ideal are that person's own.
    assert [(r.over, r.note) for r in duties.roles] == [(20.0, ""),
                                                        (None, anonymity.NOT_SHOWN)]
    assert len(view.barriers) == 2  # "Bus duty." at Adams is older than the period
    # Two named social workers more at Adams: the anonymous one is still alone among
    # the anonymous of its kind, so its role stays unsaid (issue 25).
    _reflect(db, a, "Fay", "Social worker", "school social worker", "Parking.")
    _reflect(db, a, "Gus", "social  WORKER", "school social worker", "Parking.")
    view = district.build(db, local_today(clock))
    room = next(b for b in view.barriers if b.kind == BY_WORDS and "room" in b.theme)
    assert room.roles[-1].role == HIDDEN_ROLE
    # Two more anonymous social workers: three share the kind, so it is shown.
    _reflect(db, a, None, "Social worker", "school social worker", "Parking.")
    _reflect(db, a, None, "social  WORKER", "school social worker", "Parking.")
    view = district.build(db, local_today(clock))
    room = next(b for b in view.barriers if b.kind == BY_WORDS and "room" in b.theme)
    assert [(r.role, r.schools) for r in room.roles] == [
        ("school social worker", ("Adams", "[/b] Baker"))]


def test_barrier_items_are_matched_folded() -> None:
    assert barrier_items("Lunch duty; no private space.\nData entry! Paperwork? x") == [
        "Lunch duty", "no private space.", "Data entry!", "Paperwork?"]
    assert barrier_key("  Zoë's  ROOM!! ") == barrier_key("zoe s room") == "zoe s room"
    assert barrier_items("") == [] and barrier_items("- \n;;") == []


@pytest.mark.parametrize(("schedule", "start", "end", "dates"), [
    (Schedule("monthly", date(2026, 12, 2)), date(2026, 8, 25), date(2026, 11, 23),
     [date(2026, 9, 2), date(2026, 10, 7), date(2026, 11, 4)]),
    (Schedule("weeks", date(2026, 12, 7), 6), date(2026, 8, 25), date(2026, 11, 23),
     [date(2026, 9, 14), date(2026, 10, 26)]),
    (Schedule("quarterly", date(2027, 1, 29)), date(2026, 1, 1), date(2027, 5, 1),
     [date(2026, 1, 30), date(2026, 4, 24), date(2026, 7, 31), date(2026, 10, 30),
      date(2027, 1, 29), date(2027, 4, 30)]),
])
def test_check_in_dates_before_the_first_follow_the_same_rule(
        schedule: Schedule, start: date, end: date, dates: list[date]) -> None:
    assert schedule.between(start, end) == dates
    # Forwards, the dates are the series' own.
    assert schedule.between(schedule.first, schedule.first + timedelta(days=200)) == [
        d for d in schedule.occurrences(12) if d <= schedule.first + timedelta(days=200)]


# --- the command line -------------------------------------------------------------------


@pytest.fixture
def today_demo(make_target: MakeTarget) -> Target:
    """The demo laid out from the real today: the command line reads the system clock
    (SystemClock, moved as the command's is in the run with --clock-ahead)."""
    return make_target("today.db", demo=True, clock=FakeClock(SystemClock().now()))


def _db(target: Target) -> str:
    """What to give --db: the file, or the server's URL."""
    return str(target.path) if target.path is not None else target.url


def _export(capsys: pytest.CaptureFixture[str], target: Target, *args: str) -> str:
    capsys.readouterr()
    assert main(["--db", _db(target), "export", "district", *args]) == 0
    return capsys.readouterr().out


@pytest.mark.real_clock
def test_export_district_as_csv_opens_in_a_spreadsheet(
        today_demo: Target, open_db: Callable[[Target], Database],
        capsys: pytest.CaptureFixture[str]) -> None:
    text = _export(capsys, today_demo)
    assert text.startswith("\ufeff") and "\r\n" in text  # Excel reads the BOM as UTF-8
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    blank = rows.index([])
    schools, barriers = rows[:blank], rows[blank + 1:]
    head = schools[0]
    assert head[:7] == ["School", *(s.value for s in Status), "Overdue"]
    by_name = {r[0]: dict(zip(head, r, strict=True)) for r in schools[1:]}
    assert list(by_name) == [LINCOLN, ROOSEVELT, SOJOURNER, WESTVIEW]
    view = district.build(open_db(today_demo), local_today(SystemClock()))
    for figures in view.schools:
        row = by_name[figures.name]
        assert row["Overdue"] == str(figures.overdue)
        assert row["Check-ins held"] == str(figures.held)
        assert row["Check-ins expected"] == ("" if figures.expected is None
                                             else str(figures.expected))
        assert row["Reflections"] == str(figures.reflections)
    lincoln = by_name[LINCOLN]
    assert [lincoln[s.value] for s in Status] == ["4", "3", "2", "1", "2"]
    assert lincoln["Overdue"] == "3" and lincoln["Check-ins held"] == "2"
    assert lincoln["Capacity-constrained roles"] == "LCSW; Counselor"
    assert by_name[WESTVIEW]["Tasks no role can do now"] == "Threat assessment"
    assert barriers[0][0] == "Recurring barrier"
    assert barriers[1][:2] == ["Non-counseling duties", "task type"]
    assert any(r[0] == "Lunch duty and class coverage" and r[3] == HIDDEN_ROLE
               for r in barriers[1:])


@pytest.mark.real_clock
def test_export_district_as_json_and_markdown(
        today_demo: Target, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(_export(capsys, today_demo, "--format", "json"))
    assert [s["school"] for s in data["schools"]] == [LINCOLN, ROOSEVELT, SOJOURNER, WESTVIEW]
    lincoln = data["schools"][0]
    assert lincoln["actions"]["not started"] == 4 and lincoln["overdue"] == 3
    assert lincoln["checkins"]["held"] == 2 and lincoln["reflections"] == 7
    assert lincoln["services_to_students"] == {"ideal": 87.5, "now": 59.2, "gap": -28.3,
                                               "note": anonymity.LEFT_OUT}
    assert data["schools"][1]["checkins"]["expected"] is None
    duties = data["recurring_barriers"][0]
    assert duties["barrier"] == "Non-counseling duties" and len(duties["schools"]) == 3
    md = _export(capsys, today_demo, "--format", "md", "--days", "365")
    assert md.startswith("# District: 4 schools, ")
    assert "| Lincoln High School | 4 | 3 | 2 | 1 | 2 | 3 | 2 of " in md
    assert "| Roosevelt Middle School | 0 | 0 | 0 | 0 | 0 | 0 | 0 held, no schedule |" in md
    assert "| Westview High School | School counselor; School psychologist | Threat " in md
    out = tmp_path / "district.md"
    assert main(["--db", _db(today_demo), "export", "district", "--format", "md",
                 "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("# District: 4 schools")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert main(["--db", _db(today_demo), "export", "district", "--days", "0"]) == 2


def test_hostile_school_names_in_the_export(
        empty_target: Target, open_db: Callable[[Target], Database], clock: FakeClock,
        capsys: pytest.CaptureFixture[str]) -> None:
    db = open_db(empty_target)
    for name in ("=HYPERLINK(\"http://x\")", "a | b [/b]", "李明中学 🏫"):
        teams.create_team(db, name, clock)
    rows = list(csv.reader(io.StringIO(_export(capsys, empty_target).removeprefix("\ufeff"))))
    names = [r[0] for r in rows[1:rows.index([])]]
    # No formula runs: a leading = gets an apostrophe, which the spreadsheet hides.
    assert names == ["a | b [/b]", "'=HYPERLINK(\"http://x\")", "李明中学 🏫"]
    md = _export(capsys, empty_target, "--format", "md")
    assert "| a \\| b [/b] |" in md and "| 李明中学 🏫 |" in md


@pytest.mark.real_clock
def test_actions_list_all_teams_has_a_school_column(
        today_demo: Target, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    db = ["--db", _db(today_demo)]
    capsys.readouterr()
    assert main([*db, "actions", "list", "--all-teams", "--format", "csv"]) == 0
    records = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(records) == 12 + 7 + 9
    assert [r["School"] for r in records][:1] == [LINCOLN]
    assert {r["School"] for r in records} == {LINCOLN, SOJOURNER, WESTVIEW}
    assert main([*db, "actions", "list", "--all-teams", "--overdue", "--format", "json"]) == 0
    overdue = json.loads(capsys.readouterr().out)
    assert [(r["school"], r["id"]) for r in overdue][:3] == [(LINCOLN, 2), (LINCOLN, 3),
                                                            (LINCOLN, 10)]
    assert {r["school"] for r in overdue} == {LINCOLN, SOJOURNER, WESTVIEW} and len(overdue) == 8
    monkeypatch.setenv("COLUMNS", "140")
    assert main([*db, "actions", "list", "--all-teams", "--owner", "DANA whitfield"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:3] == ["School", "#", "Created"]
    assert all(line.startswith(WESTVIEW) for line in table[2:] if line[:1].strip())
    assert main([*db, "actions", "list", "--all-teams", "--limit", "2"]) == 0
    assert "… 26 more of 28 not shown" in capsys.readouterr().out
    assert main([*db, "actions", "list", "--all-teams", "--team", LINCOLN]) == 2
    assert "leave out --team" in capsys.readouterr().err
