"""The file a counselor sends (issue 25 §1): anonymous to the roll-up, not to the mail;
named without the role, its times to the day, and carrying the school it was written for."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from mhtui.cli import main
from mhtui.core.allocation import Row
from mhtui.core.clock import FakeClock
from mhtui.store.database import opening
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target
from mhtui.store.models import Meeting, Reflection, ReflectionEvent
from mhtui.store.reflections import reflection_edit
from mhtui.store.reflections.reflection_edit import Draft, default_rows
from mhtui.store.teams import teams
from mhtui.ui.app import MHApp
from mhtui.ui.screens.confirm import ConfirmScreen
from mhtui.ui.screens.help import HelpScreen
from mhtui.ui.screens.import_form import ImportForm
from mhtui.ui.screens.reflection_form import ReflectionForm
from tests.conftest import MakeTarget
from tests.helpers import db_arg, text_of

MAIL = "anonymous to the team's roll-up, not to whoever receives your mail"
DAY = date(2026, 11, 5)
FULL = [("10", "5"), ("40", "25"), ("20", "20"), ("10", "15"), ("10", "5"), ("10", "10"),
        ("0", "20"), ("0", "0")]


def _write(db: Database, clock: FakeClock, name: str | None, role: str = "School psychologist",
           team: int | None = None) -> int:
    rows = [Row(r.task_type, a, b) for r, (a, b) in zip(default_rows(), FULL, strict=True)]
    made = reflection_edit.new_draft(
        db, team or teams.active_team(db, clock).id,
        Draft(DAY, name, role, "A room", "Lunch duty", rows), clock)
    reflection_edit.submit(db, made.id, made.version, clock)
    return made.id


def _two_teams(target: Target, clock: FakeClock) -> tuple[Database, int, int]:
    """The target with the teams 'Lincoln High' (active) and 'Washington Middle'."""
    db = opening.connect(target)
    first = teams.active_team(db, clock)
    with db.write() as session:  # the default team, given a school's name
        from mhtui.store.models import Team

        team = session.get(Team, first.id)
        assert team is not None
        team.name = "Lincoln High"
        session.add(team)
    other = teams.create_team(db, "Washington Middle", clock)
    teams.set_active_team(db, first.id)
    return db, first.id, other.id


def _export(target: Target, number: int, folder: Path) -> Path:
    """The file ``export reflection`` writes into ``folder``."""
    before = set(folder.iterdir())
    assert main(["--db", db_arg(target), "export", "reflection", str(number), "--out",
                 str(folder)]) == 0
    (made,) = set(folder.iterdir()) - before
    return made


# --- the name of the file ----------------------------------------------------------------


def test_an_anonymous_file_is_named_without_the_role_and_never_over_another(
    tmp_path: Path, empty_target: Target, clock: FakeClock,
    capsys: pytest.CaptureFixture[str]
) -> None:
    """The one psychologist's anonymous file was reflection-2026-11-05-school-psychologist
    .json: the name alone said who wrote it."""
    db = opening.connect(empty_target)
    anonymous = [_write(db, clock, None), _write(db, clock, None, "Psychologist [b] / Zoë")]
    named = _write(db, clock, "Ana", "School counselor")
    db.close()
    out = tmp_path / "out"
    out.mkdir()
    for number in (*anonymous, named):
        assert main(["--db", db_arg(empty_target), "export", "reflection", str(number),
                     "--out", str(out)]) == 0
        said = capsys.readouterr().err  # the mail, not the file, names its sender
        assert (MAIL in said) == (number != named), said
    names = sorted(p.name for p in out.iterdir())
    assert names == ["reflection-2026-11-05-anonymous-2.json",
                     "reflection-2026-11-05-anonymous.json",
                     "reflection-2026-11-05-school-counselor.json"]
    # Letters, digits and - only: a name Windows, macOS and any mail program keep.
    assert all(re.fullmatch(r"[a-z0-9-]+\.json", n) for n in names)
    kept = {n: (out / n).read_text() for n in names}
    # Again: new names, and the files there untouched.
    assert main(["--db", db_arg(empty_target), "export", "reflection", str(anonymous[0]),
                 "--out", str(out)]) == 0
    assert (out / "reflection-2026-11-05-anonymous-3.json").exists()
    assert all((out / n).read_text() == text for n, text in kept.items())
    for name in names[:2]:
        assert "psycholog" not in name


# --- times to the day ----------------------------------------------------------------------


def _times(db: Database, number: int) -> list[datetime]:
    with db.read() as session:
        reflection = session.get(Reflection, number)
        assert reflection is not None
        events = session.exec(select(ReflectionEvent.at).where(
            ReflectionEvent.reflection_id == number)).all()
        return [reflection.updated_at, *([reflection.submitted_at] if reflection.submitted_at
                                         else []), *events]


def test_an_anonymous_reflection_keeps_its_times_to_the_day(
    tmp_path: Path, empty_target: Target, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = FakeClock(datetime(2026, 11, 23, 15, 42, 7, tzinfo=UTC))
    db = opening.connect(empty_target)
    anonymous, named = _write(db, clock, None), _write(db, clock, "Ana")
    midnight = datetime(2026, 11, 23, tzinfo=UTC)
    assert set(_times(db, anonymous)) == {midnight}
    assert set(_times(db, named)) == {clock.now()}  # a named one keeps its time
    # Reopened and submitted again a day later: every line of its history to the day.
    clock.advance(86400 + 60)
    row = reflection_edit.load(db, anonymous)[0]
    row = reflection_edit.reopen(db, anonymous, row.version, clock)
    reflection_edit.submit(db, anonymous, row.version, clock)
    assert set(_times(db, anonymous)) == {midnight, midnight + timedelta(days=1)}
    db.close()
    sent = json.loads(_export(empty_target, anonymous, tmp_path).read_text())
    assert sent["submitted_at"] == "2026-11-24T00:00:00+00:00"
    assert json.loads(_export(empty_target, named, tmp_path).read_text())[
        "submitted_at"] == "2026-11-23T15:42:07+00:00"


def test_times_stored_to_the_second_before_are_read_and_sent_to_the_day(
    tmp_path: Path, empty_target: Target, capsys: pytest.CaptureFixture[str]
) -> None:
    """A reflection an older mhtui kept to the second: its history and its file say the
    day, and its next write cuts what is stored."""
    clock = FakeClock(datetime(2026, 11, 23, 15, 42, 7, tzinfo=UTC))
    db = opening.connect(empty_target)
    number = _write(db, clock, None)
    with db.write() as session:  # as an older mhtui left it
        reflection = session.get(Reflection, number)
        assert reflection is not None
        reflection.submitted_at = reflection.updated_at = clock.now()
        session.add(reflection)
        for event in session.exec(select(ReflectionEvent)):
            event.at = clock.now()
            session.add(event)
    assert [e.at for e in reflection_edit.events(db, number)] == [
        datetime(2026, 11, 23, tzinfo=UTC)]
    db.close()
    sent = json.loads(_export(empty_target, number, tmp_path).read_text())
    assert sent["submitted_at"] == "2026-11-23T00:00:00+00:00"
    db = opening.connect(empty_target)
    row = reflection_edit.reopen(db, number, reflection_edit.load(db, number)[0].version,
                                 clock)
    assert set(_times(db, number)) == {datetime(2026, 11, 23, tzinfo=UTC)}
    assert row.state == "draft"
    db.close()


def test_a_conflict_on_an_anonymous_draft_says_the_day_not_the_time(
    empty_target: Target
) -> None:
    clock = FakeClock(datetime(2026, 11, 23, 15, 42, 7, tzinfo=UTC))
    db = opening.connect(empty_target)
    made = reflection_edit.new_draft(db, teams.active_team(db, clock).id,
                                     Draft(DAY, None, "School psychologist"), clock)
    reflection_edit.save_draft(db, made.id, made.version,
                               Draft(DAY, None, "School psychologist", "theirs"), clock)
    with pytest.raises(reflection_edit.ReflectionConflict) as refused:
        reflection_edit.save_draft(db, made.id, made.version,
                                   Draft(DAY, None, "School psychologist", "mine"), clock)
    assert "saved on 2026-11-23" in str(refused.value)
    assert "15:42" not in str(refused.value)
    db.close()


def test_a_name_deleted_before_submitting_takes_the_times_with_it(
    empty_target: Target
) -> None:
    clock = FakeClock(datetime(2026, 11, 23, 9, 13, 55, tzinfo=UTC))
    db = opening.connect(empty_target)
    made = reflection_edit.new_draft(db, teams.active_team(db, clock).id,
                                     Draft(DAY, "Ana", "School psychologist"), clock)
    clock.advance(600)
    saved = reflection_edit.save_draft(db, made.id, made.version,
                                       Draft(DAY, "", "School psychologist"), clock)
    reflection_edit.submit(db, made.id, saved.version, clock)
    assert set(_times(db, made.id)) == {datetime(2026, 11, 23, tzinfo=UTC)}
    db.close()


def test_a_checkin_that_day_keeps_the_reflection_in_the_period_after_it(
    empty_target: Target
) -> None:
    """To the day, but not before a check-in that ended earlier that day: it would move
    into the period that check-in closed, and leave the next roll-up."""
    clock = FakeClock(datetime(2026, 11, 23, 15, 42, 7, tzinfo=UTC))
    db = opening.connect(empty_target)
    team = teams.active_team(db, clock).id
    ended = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
    with db.write() as session:
        session.add(Meeting(team_id=team, scheduled_at=ended - timedelta(hours=1),
                            state="ended", ended_at=ended))
    number = _write(db, clock, None)
    with db.read() as session:
        reflection = session.get(Reflection, number)
        assert reflection is not None
        assert reflection.submitted_at == ended
    db.close()


def test_an_older_file_to_the_second_is_kept_to_the_day(
    tmp_path: Path, empty_target: Target, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _version_2(author_name=None, submitted_at="2026-11-05T17:03:41+01:00")
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    assert main(["--db", db_arg(empty_target), "import", "reflections", str(path)]) == 0
    db = opening.connect(empty_target)
    with db.read() as session:
        number, submitted = session.exec(select(Reflection.id, Reflection.submitted_at)).one()
    assert submitted == datetime(2026, 11, 5, tzinfo=UTC) and number is not None
    times = _times(db, number)  # the import's own, on the real clock's day
    assert len(times) == 3 and all(t.astimezone(UTC).time() == time() for t in times)
    db.close()


# --- the school it was written for ---------------------------------------------------------


def _version_2(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": "mhtui-reflection", "version": 2, "uid": "old-file-1", "revision": 1,
        "reflected_on": "2026-11-05", "author_name": "Ana", "role": "School counselor",
        "role_kind": "school counselor", "support_needed": "", "barriers": "",
        "submitted_at": "2026-11-05T17:00:00+01:00",
        "allocation": [{"task_type": r.task_type, "ideal": a, "current": b, "actions": ""}
                       for r, (a, b) in zip(default_rows(), FULL, strict=True)],
    }
    data.update(changes)
    return data


def _teams_of(target: Target) -> list[tuple[str, int]]:
    db = opening.connect(target)
    try:
        with db.read() as session:
            from mhtui.store.models import Team

            return sorted((t.name, r.id or 0) for r, t in session.exec(
                select(Reflection, Team).join(Team)))
    finally:
        db.close()


def test_a_file_names_its_school_and_joins_no_other_team_unasked(
    tmp_path: Path, make_target: MakeTarget, clock: FakeClock,
    capsys: pytest.CaptureFixture[str]
) -> None:
    counselor, facilitator = make_target("c/mhtui.db"), make_target("f/mhtui.db")
    db = opening.connect(counselor)
    _, lincoln, _ = _two_teams(counselor, clock)
    number = _write(db, clock, None, team=lincoln)
    db.close()
    sent = _export(counselor, number, tmp_path)
    assert json.loads(sent.read_text())["school"] == "Lincoln High"
    capsys.readouterr()
    fdb, _, washington = _two_teams(facilitator, clock)
    teams.set_active_team(fdb, washington)  # the facilitator has the other school open
    fdb.close()
    at = ["--db", db_arg(facilitator), "import", "reflections", str(sent)]
    # It went silently into the open team.
    assert main(at) == 2
    said = capsys.readouterr().err
    assert f"{sent}: written for the team 'Lincoln High', not 'Washington Middle'" in said
    assert "nothing was imported" in said and "--into-team 'Washington Middle'" in said
    assert "into 'Lincoln High' with --team 'Lincoln High'" in said
    assert main([*at, "--team", "washington middle"]) == 2
    assert _teams_of(facilitator) == []
    # Into the team it was written for: said, and there.
    assert main([*at, "--team", "lincoln high"]) == 0
    assert "imported 1 reflection into team 'Lincoln High'" in capsys.readouterr().out
    # Again, aimed at the other team: "already there" names the team where it is.
    assert main([*at[:-1], "--into-team", "Washington Middle", str(sent)]) == 0
    assert ("imported 0 reflections into team 'Washington Middle', updated 0, "
            "1 already there in team 'Lincoln High'") in capsys.readouterr().out
    assert [name for name, _ in _teams_of(facilitator)] == ["Lincoln High"]


def test_told_to_it_goes_into_another_team_and_an_older_file_still_reads(
    tmp_path: Path, make_target: MakeTarget, clock: FakeClock,
    capsys: pytest.CaptureFixture[str]
) -> None:
    target = make_target("f/mhtui.db")
    _two_teams(target, clock)[0].close()
    moved = tmp_path / "moved.json"
    moved.write_text(json.dumps(_version_2(version=3, uid="new-1", school="Roosevelt")))
    old = tmp_path / "old.json"
    old.write_text(json.dumps(_version_2()))  # no school: goes where it is imported
    at = ["--db", db_arg(target), "import", "reflections", str(moved), str(old)]
    assert main(at) == 2
    said = capsys.readouterr().err
    assert "moved.json: written for the team 'Roosevelt', not 'Lincoln High'" in said
    assert "`mhtui teams add Roosevelt`" in said  # no such team here to name with --team
    assert main([*at, "--into-team", "Washington Middle"]) == 0
    assert "imported 2 reflections into team 'Washington Middle'" in capsys.readouterr().out
    assert [name for name, _ in _teams_of(target)] == ["Washington Middle"] * 2
    assert main(["--db", db_arg(target), "import", "reflections", str(old)]) == 0
    assert "1 already there in team 'Washington Middle'" in capsys.readouterr().out


# --- in the app --------------------------------------------------------------------------------


async def test_the_form_says_the_mail_names_its_sender_and_writes_the_file(
    tmp_path: Path, empty_target: Target, clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _two_teams(empty_target, clock)[0].close()
    app = MHApp(empty_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("r", "n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ReflectionForm)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert MAIL in " ".join(text_of(app, "#help-about").split())
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("tab", *"School psychologist", "f5")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert form.state == "submitted"
        await pilot.press("x")
        await pilot.pause()
        said = " ".join(str(n.message) for n in app._notifications)
    sent = tmp_path / f"reflection-{clock.now().date().isoformat()}-anonymous.json"
    assert str(sent) in said and MAIL in said
    data = json.loads(sent.read_text())
    assert (data["school"], data["author_name"]) == ("Lincoln High", None)
    assert data["submitted_at"].endswith("T00:00:00+00:00")


async def test_the_apps_import_asks_before_another_schools_file_joins_this_team(
    tmp_path: Path, make_target: MakeTarget, clock: FakeClock
) -> None:
    counselor, facilitator = make_target("c/mhtui.db"), make_target("f/mhtui.db")
    db, lincoln, _ = _two_teams(counselor, clock)
    sent = _export(counselor, _write(db, clock, None, team=lincoln), tmp_path)
    db.close()
    fdb, _, washington = _two_teams(facilitator, clock)
    teams.set_active_team(fdb, washington)
    fdb.close()
    app = MHApp(facilitator, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        for answer, held, says in (
                ("n", [], "Nothing was imported."),
                ("y", ["Washington Middle"],
                 "Imported 1 reflection into team 'Washington Middle'")):
            await pilot.pause()
            await pilot.press("r")
            await pilot.pause()
            await pilot.press("i")
            await pilot.pause()
            assert isinstance(app.screen, ImportForm)
            await pilot.press(*str(sent), "enter")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            assert "written for the team 'Lincoln High', not 'Washington Middle'" in (
                " ".join(text_of(app, "#confirm-detail").split()))
            await pilot.press(answer)
            await pilot.pause()
            assert [name for name, _ in _teams_of(facilitator)] == held
            assert says in " ".join(str(n.message) for n in app._notifications)
            await pilot.press("escape")


