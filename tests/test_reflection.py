"""The reflection form by keyboard, drafts, submission, the roll-up, export and import."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import col, select
from textual.pilot import Pilot
from textual.widgets import TextArea

from mhtui.cli import main
from mhtui.core.allocation import Row
from mhtui.core.clock import FakeClock
from mhtui.core.tidy import tidy
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target
from mhtui.store.models import Action, ReflectionEvent
from mhtui.store.reflections import anonymity, reflection_edit, rollup
from mhtui.store.reflections.reflection_edit import Draft
from mhtui.store.teams.teams import DEFAULT_TEAM_NAME
from mhtui.ui.app import MHApp
from mhtui.ui.screens.reflection_form import ReflectionForm
from mhtui.ui.screens.rollup import RollupScreen
from tests.helpers import (
    DEMO_REFLECTION,
    db_arg,
    palette_offers,
    table_rows,
    text_of,
    the_new_reflection,
    until,
    with_demo_ids,
)

SHARES = [("10", "5"), ("40", "25"), ("20", "20"), ("10", "15"), ("10", "5"), ("10", "10"),
          ("0", "20"), ("0", "0")]


def _dev_patels(target: Target) -> str:
    """The id of the demo's second reflection, Dev Patel's, as the command line takes it."""
    return with_demo_ids(target, [DEMO_REFLECTION])[0]


async def _new_form(pilot: Pilot[None]) -> ReflectionForm:
    await pilot.pause()
    await pilot.press("r", "n")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReflectionForm)
    return screen


async def _fill_table(pilot: Pilot[None], shares: list[tuple[str, str]],
                      kind: int = 0) -> None:
    """From the barriers box: tab to the kind of role (``kind``: how many places down
    the list, 0 leaves it), then to the first row's ideal; each row is ideal, now,
    actions (the task type is a label, no stop)."""
    await pilot.press("tab")
    if kind:
        await pilot.press("enter", *["down"] * kind, "enter")
    await pilot.press("tab")
    for ideal, current in shares:
        await pilot.press(*ideal, "tab", *current, "tab", "tab")


async def test_whole_form_by_keys_then_submit(demo_target: Target, clock: FakeClock,
                                              open_db: Callable[[Target], Database]) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await _new_form(pilot)
        await pilot.press(*"Ana Ruiz", "tab", *"School counselor ", "tab",
                          *"A room with a door", "tab", *"Lunch duty every day")
        await _fill_table(pilot, SHARES, kind=1)  # the first kind: school counselor
        await pilot.pause()
        assert "ideal 100% · now 100%" in text_of(app, "#alloc-totals")
        # The guidance follows the kind chosen, and says how far the table is from it.
        assert ("70% now on services to students, 10 points below ASCA's 80%; 20% now on "
                "non-counseling duties") in text_of(app, "#alloc-asca")
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert form.state == "submitted"
        assert "read-only" in text_of(app, "#reflection-state")
    saved = the_new_reflection(open_db(demo_target))
    assert (saved.state, saved.author_name, saved.role_name, saved.role_kind) == (
        "submitted", "Ana Ruiz", "School counselor", "school counselor")
    assert saved.barriers == "Lunch duty every day"
    _, draft = reflection_edit.load(open_db(demo_target), saved.id or 0)
    assert [(r.ideal, r.current) for r in draft.rows] == SHARES


async def test_sums_must_reach_100_to_submit_and_gaps_show(
    demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database]
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await _new_form(pilot)
        await pilot.press("tab", "tab", "tab")  # from the name to the barriers box
        await _fill_table(pilot, [("10", "25"), ("abc", "")])
        await pilot.pause()
        gaps = [str(g.render()) for g in app.screen.query(".alloc-gap")]
        assert gaps[0] == "▲ +15"
        assert "ideal: 'abc' is not a percentage" in " ".join(
            str(e.render()) for e in app.screen.query(".alloc-error"))
        await pilot.press("f5")
        await pilot.pause()
        message = text_of(app, "#r-submit-error")
        assert message.startswith("Not submitted yet. Row 'Scheduled student mental health "
                                  "support', column ideal: 'abc' is not a percentage")
    assert the_new_reflection(open_db(demo_target)).state == "draft"


async def test_draft_survives_a_new_app_instance(demo_target: Target, clock: FakeClock,
                                                 open_db: Callable[[Target], Database]) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await _new_form(pilot)
        await pilot.press("tab", "tab", *"Half a sent")
        db = open_db(demo_target)  # the draft timer fires within a second
        await until(pilot, lambda: the_new_reflection(db).support_needed == "Half a sent",
                    "the draft written")
        await pilot.press(*"ence", "ctrl+q")  # quitting at once still saves the last keys
    draft = the_new_reflection(open_db(demo_target))
    assert draft.support_needed == "Half a sentence" and draft.state == "draft"
    again = MHApp(demo_target, clock=clock)
    async with again.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("r", "enter")  # newest first
        await pilot.pause()
        assert isinstance(again.screen, ReflectionForm)
        assert again.screen.query_one("#r-support", TextArea).text == "Half a sentence"


async def test_anonymous_stays_anonymous_in_exports(demo_target: Target, clock: FakeClock,
                                                    open_db: Callable[[Target], Database],
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    db = open_db(demo_target)
    made = reflection_edit.new_draft(db, 1, Draft(date(2026, 11, 23), "  ", "Counselor",
                                                  "Quiet room", "Secret barrier"), clock)
    assert made.id is not None and made.author_name is None
    reflection_edit.submit(db, made.id, made.version, clock)
    for fmt in ("csv", "md"):
        assert main(["--db", db_arg(demo_target), "export", "reflections", "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert "Secret barrier" in out
        if fmt == "csv":
            row = next(r for r in out.splitlines() if "Secret barrier" in r)
            assert "(anonymous)" in row
        else:
            assert "## 2026-11-23 · Anonymous · role not shown" in out  # issue 25
    assert main(["--db", db_arg(demo_target), "export", "reflection", str(made.id),
                 "--out", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["author_name"] is None


async def test_reopen_after_submit_is_recorded(demo_target: Target, clock: FakeClock,
                                               open_db: Callable[[Target], Database]) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        # A named submitted one (the draft is first, then the anonymous one, which opens
        # as its text alone: issue 25).
        await pilot.press("r", "down", "down", "enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ReflectionForm) and form.state == "submitted"
        await pilot.press("o", "y")
        await pilot.pause()
        assert form.state == "draft"
    with open_db(demo_target).read() as session:
        kinds = session.exec(select(ReflectionEvent.kind)).all()
    assert "reopened" in kinds


def test_rollup_averages_on_known_data(demo_target: Target,
                                       open_db: Callable[[Target], Database]) -> None:
    db = open_db(demo_target)
    data = rollup.build(db, 1, rollup.last_checkin_end(db, 1))
    # Two counselors (one anonymous) and one LCSW: the anonymous one is alone of its
    # kind among the anonymous, so its role is not shown (issue 25); the others keep
    # their roles.
    assert data.count == 3
    assert data.by_role == [("Counselor", 1), ("LCSW", 1), (anonymity.ROLE_NOT_SHOWN, 1)]
    assert [e.role for e in data.entries if e.author is None] == [rollup.HIDDEN_ROLE]
    # One anonymous table among three: the means are the named two's, or 3 x the mean
    # less their figures would give it back.
    assert data.note == anonymity.LEFT_OUT
    duties = next(a for a in data.averages if a.task_type == "Non-counseling duties")
    assert (duties.ideal, duties.current, duties.count) == (2.5, 22.5, 2)  # (20 + 25) / 2
    assert duties.gap > 0


async def test_barrier_becomes_a_linked_action(demo_target: Target, clock: FakeClock,
                                               open_db: Callable[[Target], Database]) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("r", "v")
        await app.workers.wait_for_complete()  # the roll-up is read in a worker
        await pilot.pause()
        assert isinstance(app.screen, RollupScreen)
        assert "3 reflections submitted since the last check-in" in text_of(app,
                                                                            "#rollup-summary")
        assert "▲" in text_of(app, "#rollup-shares")
        await pilot.press("down", "down")  # first role heading is skipped; second line
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("tab", *"John Smith", "tab", *"+2w", "ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, RollupScreen)
        lines = app.screen.lines
    with open_db(demo_target).read() as session:
        action = session.exec(select(Action).where(col(Action.text).startswith("Barrier: ")
                                                   | col(Action.text).startswith("Support: "))
                              ).one()
    assert action.owner == "John Smith"
    assert any(f"addressed by action #{action.id}" in line.plain for _, _, line in lines)


def test_import_reflection_files_once_and_refuse_damaged(
    tmp_path: Path, demo_target: Target, empty_target: Target,
    capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "mine.json"
    assert main(["--db", db_arg(demo_target), "export", "reflection",
                 _dev_patels(demo_target), "--out", str(out)]) == 0
    capsys.readouterr()
    # Written for the demo's school: into this one's only when told (issue 25).
    db = ["--db", db_arg(empty_target)]
    assert main([*db, "import", "reflections", str(out)]) == 2
    assert f"not {DEFAULT_TEAM_NAME!r}; nothing was imported" in capsys.readouterr().err
    into = ["--into-team", DEFAULT_TEAM_NAME]
    assert main([*db, "import", "reflections", str(out), *into]) == 0
    assert "imported 1" in capsys.readouterr().out
    assert main([*db, "import", "reflections", str(out), *into]) == 0
    assert (f"imported 0 reflections into team {DEFAULT_TEAM_NAME!r}, updated 0, "
            f"1 already there in team {DEFAULT_TEAM_NAME!r}") in capsys.readouterr().out
    damaged = tmp_path / "bad.json"
    damaged.write_text(out.read_text()[:-40])
    assert main([*db, "import", "reflections", str(damaged)]) == 1
    assert "nothing was imported" in capsys.readouterr().err
    foreign = tmp_path / "other.json"
    foreign.write_text('{"hello": "world"}')
    assert main([*db, "import", "reflections", str(foreign), str(out)]) == 1
    assert "not an mhtui reflection file" in capsys.readouterr().err


texts = st.text(max_size=2000)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts, texts, st.text(max_size=40), st.lists(st.tuples(texts, texts), max_size=4))
def test_any_text_survives_save_and_reload(empty_target: Target, support: str, barriers: str,
                                          name: str, cells: list[tuple[str, str]]) -> None:
    from mhtui.store.database import opening

    db = opening.connect(empty_target)
    clock = FakeClock()
    try:
        rows = [Row(f"type {i}", a, b, a + b) for i, (a, b) in enumerate(cells)]
        made = reflection_edit.new_draft(db, _team(db),
                                         Draft(date(2026, 1, 1), name, "Counselor"), clock)
        assert made.id is not None
        reflection_edit.save_draft(db, made.id, made.version,
                                   Draft(date(2026, 1, 1), name, "Counselor", support, barriers,
                                         rows), clock)
        _, back = reflection_edit.load(db, made.id)
        # Kept as typed, less invisible control codes (core/tidy.py).
        kept = [Row(*(tidy(v) for v in (r.task_type, r.ideal, r.current, r.actions)))
                for r in rows]
        assert (back.support_needed, back.barriers, back.rows) == (
            tidy(support), tidy(barriers), kept)
        assert back.author_name == (tidy(name).strip() or None)
    finally:
        db.close()


def _team(db: Database) -> int:
    from mhtui.store.teams import teams

    return teams.active_team(db, FakeClock()).id or 0


async def test_rollup_period_and_palette_import(tmp_path: Path, demo_target: Target,
                                                clock: FakeClock,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sent.json"
    assert main(["--db", db_arg(demo_target), "export", "reflection",
                 _dev_patels(demo_target), "--out", str(out)]) == 0
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("r", "v")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "3 reflections submitted since the last check-in" in text_of(app,
                                                                            "#rollup-summary")
        await pilot.press("p", "p")  # all time
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "7 reflections submitted in all" in text_of(app, "#rollup-summary")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p", *"reflections: import")
        await palette_offers(pilot, "reflections: import")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*str(out), "enter")
        await pilot.pause()
        # The file came from this database, so it is recognised and not added twice.
        assert any("1 already there" in str(n.message) for n in app._notifications)


@pytest.mark.parametrize(("size", "whole"), [((80, 24), False), ((200, 50), True)])
async def test_the_list_shows_role_and_name_whole_when_there_is_room(
        demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database],
        size: tuple[int, int], whole: bool) -> None:
    """At 200 columns the list cut "school social worker" to "school social…" and a name
    to 13 cells beside a half-empty Barriers column; at 80 they keep 13."""
    db = open_db(demo_target)
    role, name = "school social worker", "Ana [b]Álvarez[/b]"
    reflection_edit.new_draft(db, 1, Draft(date(2026, 11, 23), name, role, "", "Bus duty"),
                              clock)
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        row = next(r for r in table_rows(app, "#reflections-table") if r[-1] == "Bus duty")
        if whole:
            assert (row[2], row[3]) == (role, name)
        else:
            assert (row[2], row[3]) == ("school socia…", "Ana [b]Álvar…")
