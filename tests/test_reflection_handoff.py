"""Reflections between laptops, the roll-up for a small team, and the trend (issue 16)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from mhtui.cli import main
from mhtui.core.allocation import Row
from mhtui.core.clock import FakeClock, local_today
from mhtui.core.trend import TrendPoint
from mhtui.store.database import opening
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target
from mhtui.store.models import Reflection
from mhtui.store.reflections import anonymity, reflection_edit, reflection_io, rollup, trend
from mhtui.store.reflections.reflection_edit import Draft, default_rows
from mhtui.store.reflections.reflections import ReflectionRow
from mhtui.store.teams import teams
from mhtui.ui.app import MHApp
from mhtui.ui.screens.reflection_anonymous import AnonymousReflection
from mhtui.ui.screens.reflection_form import ReflectionForm
from mhtui.ui.screens.rollup import RollupScreen
from tests.conftest import MakeTarget
from tests.helpers import db_arg, screen_lines, table_rows, text_of

FULL = [("10", "5"), ("40", "25"), ("20", "20"), ("10", "15"), ("10", "5"), ("10", "10"),
        ("0", "20"), ("0", "0")]


def _laptop(make_target: MakeTarget, name: str) -> Target:
    return make_target(f"{name}/mhtui.db")


def _rows(shares: list[tuple[str, str]]) -> list[Row]:
    return [Row(r.task_type, a, b) for r, (a, b) in zip(default_rows(), shares, strict=True)]


def _write(db: Database, clock: FakeClock, day: date, name: str | None, role: str,
           barriers: str = "Lunch duty", kind: str = "") -> int:
    team = teams.active_team(db, clock).id or 0
    made = reflection_edit.new_draft(db, team, Draft(day, name, role, "A room", barriers,
                                                     _rows(FULL), kind), clock)
    assert made.id is not None
    reflection_edit.submit(db, made.id, made.version, clock)
    return made.id


def _held(target: Target) -> list[Reflection]:
    db = opening.connect(target)
    try:
        with db.read() as session:
            return list(session.exec(select(Reflection)))
    finally:
        db.close()


async def test_two_laptops_a_corrected_reflection_replaces_the_older(
    tmp_path: Path, make_target: MakeTarget, clock: FakeClock, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    counselor = _laptop(make_target, "counselor")
    facilitator = _laptop(make_target, "facilitator")
    db = opening.connect(counselor)
    number = _write(db, clock, date(2026, 11, 5), None, "School counselor",
                    kind="school counselor")
    db.close()
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    monkeypatch.chdir(outbox)  # the folder the counselor works in
    # The counselor sends it by the command line: a file in the current folder.
    assert main(["--db", db_arg(counselor), "export", "reflection", str(number)]) == 0
    first = outbox / "reflection-2026-11-05-anonymous.json"  # no role: issue 25
    assert str(first) in capsys.readouterr().err
    assert json.loads(first.read_text())["revision"] == 1
    assert main(["--db", db_arg(facilitator), "import", "reflections", str(first)]) == 0
    assert "imported 1 reflection into team 'My school', updated 0, 0 already there" in (
        capsys.readouterr().out)

    # Later the counselor reopens it in the app, corrects it, submits again and sends it.
    clock.advance(3600)
    app = MHApp(counselor, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("r", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AnonymousReflection)  # its answers only, at first
        await pilot.press("o", "y")  # reopened by its writer: the whole form
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ReflectionForm) and form.state == "draft"
        form.query_one("#r-barriers").focus()
        await pilot.press(*"Also hall duty. ", "f5")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert form.state == "submitted"
        assert any("revision 2" in str(n.message) for n in app._notifications)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        number_cell, *_, state_cell, _ = table_rows(app)[0]
        assert (number_cell, state_cell) == (str(number), "submitted r2")
    second = outbox / "reflection-2026-11-05-anonymous-rev2.json"
    sent = json.loads(second.read_text())
    assert sent["revision"] == 2 and sent["barriers"] == "Also hall duty. Lunch duty"
    # The same day: an anonymous reflection's times are kept to the day (issue 25).
    assert sent["submitted_at"] == json.loads(first.read_text())["submitted_at"]
    assert json.loads(first.read_text())["revision"] == 1  # the first file is untouched

    assert main(["--db", db_arg(facilitator), "import", "reflections", str(second)]) == 0
    assert "updated 1" in capsys.readouterr().out
    held = _held(facilitator)
    assert len(held) == 1  # replaced, not added beside it
    assert (held[0].revision, held[0].barriers) == (2, "Also hall duty. Lunch duty")
    # The older file, imported again (say from an old email), changes nothing.
    assert main(["--db", db_arg(facilitator), "import", "reflections", str(first)]) == 0
    assert "skipped 1 older revision than the one held" in capsys.readouterr().out
    assert [(r.revision, r.barriers) for r in _held(facilitator)] == [
        (2, "Also hall duty. Lunch duty")]

    # Nor write it out again from the command line: the file shows its role and table.
    held_id = str(held[0].id)
    assert main(["--db", db_arg(facilitator), "export", "reflection", held_id,
                 "--out", "-"]) == 1
    out, err = capsys.readouterr()
    assert "is anonymous and came in as a file" in err and out == ""
    # The facilitator cannot reopen it: it came in as a file, its writer holds it.
    app = MHApp(facilitator, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("r", "enter", "o")
        await pilot.pause()
        assert isinstance(app.screen, AnonymousReflection)
        assert any("came in as a file" in str(n.message) for n in app._notifications)
    assert [(r.state, r.revision) for r in _held(facilitator)] == [("submitted", 2)]


def test_files_are_named_by_date_and_role_and_never_overwrite(
    tmp_path: Path, make_target: MakeTarget, clock: FakeClock, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop = _laptop(make_target, "laptop")
    db = opening.connect(laptop)
    ids = [_write(db, clock, date(2026, 11, 5), name, "School counselor")
           for name in ("Ana", "Ben")]
    odd = _write(db, clock, date(2026, 11, 6), "Zoë", "Psychologist #2 ?% / Zoë")
    db.close()
    folder = tmp_path / "sent files"
    folder.mkdir()
    monkeypatch.chdir(tmp_path)
    for number in ids:
        assert main(["--db", db_arg(laptop), "export", "reflection", str(number),
                     "--out", str(folder)]) == 0
    assert main(["--db", db_arg(laptop), "export", "reflection", str(odd)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "reflection-2026-11-05-school-counselor-2.json",
        "reflection-2026-11-05-school-counselor.json"]
    assert (tmp_path / "reflection-2026-11-06-psychologist-2-zoe.json").exists()
    # A file named by hand is a new file too: one already there is kept.
    kept = folder / "reflection-2026-11-05-school-counselor.json"
    before = kept.read_text()
    assert main(["--db", db_arg(laptop), "export", "reflection", str(odd), "--out",
                 str(kept)]) == 2
    assert "already exists" in capsys.readouterr().err and kept.read_text() == before
    authors = {json.loads(p.read_text())["author_name"] for p in folder.iterdir()}
    assert authors == {"Ana", "Ben"}


@given(role=st.text(max_size=300), revision=st.integers(1, 50))
@example(role="../../etc/passwd", revision=1)
@example(role="[b]\u202eشلوم\x00 #?%", revision=3)
def test_a_file_name_is_safe_for_any_role(role: str, revision: int) -> None:
    row = ReflectionRow(1, "u", 1, date(2026, 11, 5), "Ana", role, "", "", "submitted",
                        None, FakeClock().now(), 1, revision)
    name = reflection_io.file_name(row)
    assert re.fullmatch(r"reflection-2026-11-05-[a-z0-9]+(-[a-z0-9]+)*(-rev\d+)?\.json",
                        name), name
    assert ("-rev" in name) == (revision > 1) and len(name) < 80


# --- the file parser, with hostile text ------------------------------------------------

HOSTILE = st.one_of(
    st.text(max_size=200),
    st.sampled_from(["[b]", "[/b]", "[@click=app.quit]x", "👩‍🏫", "שלום", "ÉCOLE",
                     "\x1b[31m", "\x00", "\r\n", "=cmd|' /C calc'!A0"]),
    st.just("x" * 20_000),
)


def _payload(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": "mhtui-reflection", "version": 2, "uid": "a1b2c3", "revision": 2,
        "reflected_on": "2026-11-05", "author_name": None, "role": "School counselor",
        "role_kind": "school counselor", "support_needed": "", "barriers": "",
        "submitted_at": "2026-11-05T17:00:00+01:00",
        "allocation": [{"task_type": r.task_type, "ideal": r.ideal, "current": r.current,
                        "actions": ""} for r in _rows(FULL)],
    }
    data.update(changes)
    return data


@settings(max_examples=60, deadline=None)
@given(role=HOSTILE, support=HOSTILE, barriers=HOSTILE, name=st.none() | HOSTILE,
       actions=HOSTILE)
def test_any_text_in_a_file_reads_back_exactly(role: str, support: str, barriers: str,
                                               name: str | None, actions: str) -> None:
    data = _payload(role=role, support_needed=support, barriers=barriers,
                    author_name=name)
    data["allocation"][0]["actions"] = actions
    parsed = reflection_io.parse(json.dumps(data).encode())
    assert (parsed.role, parsed.support_needed, parsed.barriers, parsed.author_name) == (
        role, support, barriers, name)
    assert (parsed.revision, parsed.role_kind, parsed.allocation[0].actions) == (
        2, "school counselor", actions)


@pytest.mark.parametrize(("changes", "says"), [
    ({"revision": 0}, "revision"), ({"revision": "2"}, "revision"),
    ({"role_kind": "Counselor"}, "role_kind"), ({"version": 4}, "another mhtui version"),
])
def test_a_bad_revision_or_kind_is_refused_by_name(changes: dict[str, Any],
                                                   says: str) -> None:
    with pytest.raises(reflection_io.ReflectionFileError, match=says):
        reflection_io.parse(json.dumps(_payload(**changes)).encode())


def test_a_version_1_file_reads_as_revision_1() -> None:
    data = _payload(version=1)
    del data["revision"], data["role_kind"]
    parsed = reflection_io.parse(json.dumps(data).encode())
    assert (parsed.revision, parsed.role_kind) == (1, "")


# --- the roll-up in a small team ------------------------------------------------------


def test_roles_group_whatever_the_case_and_small_groups_keep_anonymity(
    empty_target: Target, clock: FakeClock
) -> None:
    db = opening.connect(empty_target)
    try:
        day = local_today(clock)
        for name, role in (("Ana", "School counselor"), (None, "school counselor "),
                           ("Ben", "SCHOOL  COUNSELOR"), (None, "School social worker"),
                           ("Cy", "School psychologist")):
            _write(db, clock, day, name, role)
        found = rollup.build(db, teams.active_team(db, clock).id or 0, None)
    finally:
        db.close()
    # Named roles group whatever their case; an anonymous role shows only as its kind
    # where 3 anonymous answers share it (issue 25): two unsigned answers, two kinds.
    assert found.by_role == [("School counselor", 2), ("School psychologist", 1),
                             (anonymity.ROLE_NOT_SHOWN, 2)]
    anonymous = [e.role for e in found.entries if e.author is None]
    assert anonymous == [rollup.HIDDEN_ROLE, rollup.HIDDEN_ROLE]


def test_a_tie_between_spellings_of_a_role_does_not_follow_the_order_written(
    empty_target: Target, clock: FakeClock
) -> None:
    # On a server rows come in random order (migration 0013): the shown spelling must
    # not depend on which was written first.
    db = opening.connect(empty_target)
    try:
        day = local_today(clock)
        for name, role in (("Ben", "SCHOOL COUNSELOR"), ("Ana", "School counselor")):
            _write(db, clock, day, name, role)
        found = rollup.build(db, teams.active_team(db, clock).id or 0, None)
    finally:
        db.close()
    assert found.by_role == [("School counselor", 2)]


async def test_the_rollup_never_shows_a_lone_anonymous_role(
    empty_target: Target, clock: FakeClock
) -> None:
    db = opening.connect(empty_target)
    day = local_today(clock)
    _write(db, clock, day, None, "School social worker", barriers="My supervisor ignores me")
    _write(db, clock, day, "Ana", "School counselor", barriers="Hall duty")
    db.close()
    app = MHApp(empty_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("r", "v")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "Barrier (anonymous): My supervisor ignores me" in shown
        assert "Anonymous, role not shown" in shown
        assert "Average share of time: fewer than 3: not shown." in shown
        assert "social worker" not in shown.lower()
        assert "School counselor 1" in shown and "Barrier (Ana): Hall duty" in shown
        await pilot.press("f1")
        await pilot.pause()
        said = " ".join(text_of(app, "#help-about").split())
        assert "only when at least 3 anonymous answers of the period share that kind" in said


async def test_needs_and_barriers_read_in_full_at_80x24(empty_target: Target,
                                                         clock: FakeClock) -> None:
    long = "Lunch duty " + "and coverage " * 30 + "END OF IT"
    db = opening.connect(empty_target)
    _write(db, clock, local_today(clock), "Ana", "School counselor", barriers=long)
    db.close()
    app = MHApp(empty_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("r", "v")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("down", "down")  # the barrier, after the heading and the need
        await pilot.pause()
        # The list's wrapped lines, less the box drawn around it.
        shown = " ".join(" ".join(screen_lines(app)).replace("▊", "").replace("▎", "").split())
        assert "Barrier (Ana): " + " ".join(long.split()) in shown


# --- the trend ----------------------------------------------------------------------


def _demo_trend(clock: FakeClock) -> list[TrendPoint]:
    today = local_today(clock)
    first, second = today - timedelta(days=58), today - timedelta(days=28)
    return [TrendPoint(None, first, 2, 2, 87.5, 47.5, 2.5, 32.5),
            TrendPoint(first, second, 2, 2, 87.5, 65.0, 2.5, 15.0),
            # One anonymous table among three: the named two's means (issue 25).
            TrendPoint(second, None, 3, 2, 87.5, 65.0, 2.5, 22.5, anonymity.LEFT_OUT)]


def test_the_trend_on_the_demo_figures(demo_target: Target, clock: FakeClock,
                                       open_db: Callable[[Target], Database],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert trend.build(open_db(demo_target), 1) == _demo_trend(clock)
    db = ["--db", db_arg(demo_target)]
    assert main([*db, "export", "trend", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("period,from,to,reflections,with time table,ideal % services")
    assert lines[1].endswith(",2,2,87.5,47.5,2.5,32.5,")
    assert lines[3].endswith(",,3,2,87.5,65,2.5,22.5,anonymous tables left out")
    assert main([*db, "export", "trend", "--format", "json",
                 "--team", "Lincoln High School"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["team"] == "Lincoln High School"
    assert [p["services_to_students"]["now"] for p in data["periods"]] == [47.5, 65, 65]
    assert [p["reflections"] for p in data["periods"]] == [2, 2, 3]
    assert main([*db, "export", "trend", "--format", "md"]) == 0
    assert ("| 3 | 2 | 87.5 | 65 | 2.5 | 22.5 | anonymous tables left out |"
            in capsys.readouterr().out)
    # A team with no reflections: one open period, no figures.
    assert main([*db, "export", "trend", "--team", "Roosevelt Middle School"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "all reflections,,,0,0,,,,,"


async def test_the_trend_chart_in_the_rollup_reads_without_colour(
    demo_target: Target, clock: FakeClock
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        await pilot.press("r", "v")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, RollupScreen)
        chart = text_of(app, "#rollup-shares").splitlines()
        assert chart[0].startswith("Trend across check-ins")
        now = [line for line in chart if line.startswith("    now ")]
        assert [line.split()[-1] for line in now] == [
            "47.5%", "65.0%", "65.0%", "32.5%", "15.0%", "22.5%"]
        assert "  now, first period to last: ▲ +17.5 points" in chart
        assert "    (anonymous tables left out)" in chart
        assert "  now, first period to last: ▼ -10.0 points" in chart
        # The bars are drawn in glyphs, ideal and now apart, all to one scale.
        assert {len(line) for line in chart if line.startswith(("    now ", "    ideal"))} \
            == {len(now[0])}


async def test_bars_keep_their_width_whatever_the_period(demo_target: Target,
                                                         clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("r", "v")
        widths = set()
        for _ in range(3):  # since the last check-in, 90 days, all
            await app.workers.wait_for_complete()
            await pilot.pause()
            bars = [line for line in text_of(app, "#rollup-shares").splitlines()
                    if line.startswith(("  ideal ", "  now "))]
            assert bars
            widths |= {line.index("%") for line in bars}
            await pilot.press("p")
        assert len(widths) == 1
