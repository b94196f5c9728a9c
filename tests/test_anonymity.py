"""One anonymity rule for every read model (issue 25 §1): no list, detail view, export,
roll-up, trend or district figure singles out an anonymous writer
(store/reflections/anonymity.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import col, select
from textual.widgets import DataTable

from mhtui.core import district as district_text
from mhtui.core import trend as trend_text
from mhtui.core.allocation import NON_COUNSELING, Row
from mhtui.core.clock import FakeClock, local_today
from mhtui.store.database import opening
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target
from mhtui.store.district import district
from mhtui.store.models import Meeting, Reflection
from mhtui.store.reflections import (
    anonymity,
    reflection_edit,
    reflection_io,
    reflections,
    rollup,
    trend,
)
from mhtui.store.reflections.reflection_edit import Draft, default_rows
from mhtui.store.teams import teams
from mhtui.ui.app import MHApp
from mhtui.ui.screens.reflection_anonymous import AnonymousReflection
from mhtui.ui.screens.reflection_form import ReflectionForm
from mhtui.ui.widgets.rollup_view import full_text
from mhtui.ui.widgets.rollup_view import trend_text as trend_chart
from tests.conftest import MakeTarget
from tests.helpers import screen_lines, table_rows

SERVICE = "Scheduled student mental health support"
ROLES = ("School Counselor", "school counselor", "School psychologist", "social worker",
         "Nurse")


@dataclass(frozen=True)
class Writer:
    anonymous: bool
    role: str  # as typed; a unique mark is added to it
    kind: str  # chosen on the form, or ""
    table: tuple[int, int]  # % of time on SERVICE, ideal and now (the rest on duties)


def _table(ideal: int, now: int) -> list[Row]:
    shares = {SERVICE: (ideal, now), NON_COUNSELING: (100 - ideal, 100 - now)}
    return [Row(r.task_type, *(str(v) for v in shares.get(r.task_type, ("", ""))))
            for r in default_rows()]


def _mark(index: int) -> str:
    return f"Zq{index}x"  # in no word mhtui writes


def _fill(db: Database, clock: FakeClock, writers: list[Writer]) -> int:
    team = teams.active_team(db, clock).id or 0
    for index, w in enumerate(writers):
        made = reflection_edit.new_draft(db, team, Draft(
            local_today(clock), None if w.anonymous else f"Named {index}",
            f"{w.role} {_mark(index)}", f"need {index}", f"barrier {index}",
            _table(*w.table), w.kind), clock)
        reflection_edit.submit(db, made.id, made.version, clock)
        clock.advance(61)
    return team


def _everything(db: Database, team: int, clock: FakeClock) -> list[str]:
    """All a person can read of the team's reflections: the list, the exports, the
    roll-up and trend as screens draw them and as files, the district view's files.

    Each as its lines, sorted, with every reflection id said as "#": on a server ids
    are drawn at random (migration 0013), and reflections of one day come in the order
    of their ids, so two fills of the same team differ in nothing else."""
    listed = reflections.recent(db, team)
    items = reflection_io.submitted(db, team, None)
    summed = rollup.build(db, team, None)
    points = trend.build(db, team)
    view = district.build(db, local_today(clock), 90)
    read = [
        "\n".join(repr((r.id, r.role_name, r.role_kind, r.author_name, r.submitted_at,
                         r.support_needed, r.barriers)) for r in listed),
        reflection_io.to_csv(items), reflection_io.to_markdown("T", items),
        "\n".join(map(repr, (summed.by_role, *summed.entries, summed.averages,
                             summed.note))),
        full_text(summed, 120).plain, trend_chart(points, 120).plain,
        trend_text.to_csv(points), trend_text.to_json("T", points),
        trend_text.to_markdown("T", points), district_text.to_csv(view),
        district_text.to_json(view), district_text.to_markdown(view),
    ]
    ids = re.compile("|".join(rf"\b{r.id}\b" for r in listed) or "(?!)")
    return ["\n".join(sorted(ids.sub("#", text).splitlines())) for text in read]


TEAMS = st.lists(st.builds(
    Writer, anonymous=st.booleans(), role=st.sampled_from(ROLES),
    kind=st.sampled_from(("", "school counselor", "school psychologist", "other")),
    table=st.tuples(st.integers(0, 100), st.integers(0, 100))), min_size=1, max_size=5)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writers=TEAMS, other=st.lists(st.tuples(st.integers(0, 100), st.integers(0, 100)),
                                     min_size=5, max_size=5))
def test_no_read_model_singles_out_an_anonymous_writer(
    make_target: MakeTarget, writers: list[Writer], other: list[tuple[int, int]]
) -> None:
    anonymous = [i for i, w in enumerate(writers) if w.anonymous]
    # The same team, the anonymous writers' tables changed: with fewer than 3 of them
    # to any figures, with 3 or more passed round among them (only their sum may show).
    changed = list(writers)
    for n, i in enumerate(anonymous):
        table = (other[n] if len(anonymous) < anonymity.MIN_GROUP
                 else writers[anonymous[(n + 1) % len(anonymous)]].table)
        changed[i] = Writer(True, writers[i].role, writers[i].kind, table)
    seen = []
    for team in (writers, changed):
        clock = FakeClock()
        db = opening.connect(make_target())
        try:
            seen.append(_everything(db, _fill(db, clock, team), clock))
            listed = reflections.recent(db, teams.active_team(db, clock).id or 0)
            summed = rollup.build(db, teams.active_team(db, clock).id or 0, None)
        finally:
            db.close()
    # Nothing read changes with what the anonymous writers' tables hold.
    assert seen[0] == seen[1]
    text = "\n".join(seen[0])
    for i in anonymous:  # the role as typed is never shown, in any case or spacing
        assert _mark(i).casefold() not in text.casefold()
    # An anonymous role is its kind, and only where 3 anonymous ones share the kind.
    kinds = [anonymity.kind(w.kind, f"{w.role} {_mark(i)}") for i, w in enumerate(writers)]
    shared = {k for k in kinds if sum(1 for i in anonymous if kinds[i] == k) >= 3}
    assert {r.role_name for r in listed if r.author_name is None} <= {
        anonymity.ROLE_NOT_SHOWN, *shared}
    assert {e.role.casefold() for e in summed.entries if e.author is None} <= {
        rollup.HIDDEN_ROLE.casefold(), *shared}
    # Times to the day only, and the time table not at all.
    assert all(r.submitted_at is not None and r.submitted_at.time() == time()
               for r in listed if r.author_name is None)
    # A group of under 3 holding an anonymous one shows no figure at all.
    if anonymous and len(writers) < anonymity.MIN_GROUP:
        assert summed.averages == [] and summed.note == anonymity.NOT_SHOWN
        assert "fewer than 3: not shown" in seen[0][7]  # the trend's CSV


def test_the_rule_on_figures() -> None:
    # 2 named (10, 20) and 1 anonymous (90): the anonymous one is left out, or 3 x mean
    # - 30 would give its 90 back.
    assert anonymity.mean((30.0, 2), (90.0, 1), 3, 1) == anonymity.Figure(
        15.0, 2, anonymity.LEFT_OUT)
    assert anonymity.mean((10.0, 1), (90.0, 1), 2, 1).note == anonymity.NOT_SHOWN
    assert anonymity.mean((10.0, 1), (240.0, 3), 4, 3) == anonymity.Figure(62.5, 4)
    assert anonymity.mean((10.0, 1), (0.0, 0), 1, 0) == anonymity.Figure(10.0, 1)
    assert [anonymity.kind("", r) for r in ("School COUNSELOR", "Psychologist",
                                             "LCSW social worker", "Nurse")] == [
        "school counselor", "school psychologist", "school social worker", "other"]


def _small_team(target: Target, clock: FakeClock) -> None:
    """A team with one psychologist and one social worker; the psychologist unsigned."""
    db = opening.connect(target)
    try:
        _fill(db, clock, [Writer(True, "School psychologist", "school psychologist", (40, 35)),
                          Writer(False, "School social worker", "school social worker",
                                 (70, 50)),
                          Writer(False, "School Counselor", "school counselor", (80, 60))])
    finally:
        db.close()


async def test_the_list_and_the_detail_view_show_no_anonymous_role(
    make_target: MakeTarget, clock: FakeClock
) -> None:
    target = make_target()
    _small_team(target, clock)
    app = MHApp(target, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        rows = table_rows(app)
        unsigned = next(r for r in rows if "(anonymous)" in r)
        assert "role not shown" in unsigned
        assert "psych" not in " ".join(" ".join(r) for r in rows).casefold()
        await pilot.press(*["down"] * rows.index(unsigned), "enter")
        await pilot.pause()
        assert isinstance(app.screen, AnonymousReflection)
        shown = "\n".join(screen_lines(app))
        assert "barrier 0" in shown and "need 0" in shown
        assert str(local_today(clock)) in shown
        assert "psych" not in shown.casefold() and SERVICE not in shown
        assert "15:0" not in shown  # no time of day (FakeClock starts at 15:00 UTC)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, AnonymousReflection)
        named = next(r for r in table_rows(app) if "Named 1" in r)
        app.screen.query_one(DataTable).move_cursor(row=table_rows(app).index(named))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReflectionForm)  # a named one opens as before


def test_exports_name_no_anonymous_role(make_target: MakeTarget, clock: FakeClock) -> None:
    target = make_target()
    _small_team(target, clock)
    db = opening.connect(target)
    try:
        team = teams.active_team(db, clock).id or 0
        items = reflection_io.submitted(db, team, None)
        text = reflection_io.to_csv(items) + reflection_io.to_markdown("T", items)
        points = trend.build(db, team)
    finally:
        db.close()
    assert "psych" not in text.casefold()
    assert f"## {date.isoformat(local_today(clock))} · Anonymous · role not shown" in text
    # The anonymous table's shares, as numbers of their own (a random id on a server,
    # migration 0013, may hold the digits 35 or 65).
    assert not re.search(r"(?<![\d.])(35|65)(?![\d])", text)
    # Three reflections, one anonymous: the period's means are the named two's only.
    assert (points[0].now_services, points[0].tables, points[0].note) == (
        55.0, 2, anonymity.LEFT_OUT)


def test_hidden_roles_are_not_told_apart_by_their_order(make_target: MakeTarget) -> None:
    # Listed by role as typed, 'role not shown' put the psychologist before the social
    # worker whichever wrote first. Now in the order of their ids, whatever the roles:
    # the order written on a file, a random one on a server (migration 0013).
    for writers in ([Writer(True, "Zeta psychologist", "", (50, 50)),
                     Writer(True, "Alpha social worker", "", (50, 50))],
                    [Writer(True, "Alpha social worker", "", (50, 50)),
                     Writer(True, "Zeta psychologist", "", (50, 50))]):
        clock = FakeClock()
        target = make_target()
        db = opening.connect(target)
        try:
            summed = rollup.build(db, _fill(db, clock, writers), None)
            with db.read() as session:
                by_id = list(session.exec(select(Reflection.barriers).order_by(
                    col(Reflection.id))))
        finally:
            db.close()
        assert [e.barriers for e in summed.entries] == by_id
        if target.path is not None:
            assert by_id == ["barrier 0", "barrier 1"]


def test_windows_across_periods_never_count_anonymous_tables(
        make_target: MakeTarget) -> None:
    # Three anonymous tables before a check-in and a fourth after it: all time held 4
    # and the first period 3, so all time's mean less the period's gave the 4th back.
    seen = []
    for fourth in ((10, 90), (60, 20)):
        clock = FakeClock()
        db = opening.connect(make_target())
        try:
            writers = [Writer(True, "School counselor", "", (50, 40 + n)) for n in range(3)]
            team = _fill(db, clock, [*writers, Writer(False, "LCSW", "", (70, 30))])
            with db.write() as session:
                session.add(Meeting(team_id=team, scheduled_at=clock.now(), state="ended",
                                    started_at=clock.now(), ended_at=clock.now()))
            clock.advance(60)
            _fill(db, clock, [Writer(True, "Psychologist", "", fourth),
                              Writer(False, "LCSW", "", (80, 50)),
                              Writer(False, "LCSW", "", (60, 50))])
            points = trend.build(db, team)
            seen.append([rollup.build(db, team, None).averages,
                         rollup.build(db, team, clock.now() - timedelta(days=90)).averages,
                         district.build(db, local_today(clock), 90).schools, points[1:]])
        finally:
            db.close()
        # The first period's own figures hold its three anonymous tables.
        assert (points[0].tables, points[0].note) == (4, "")
    assert seen[0] == seen[1]
