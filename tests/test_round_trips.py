"""Round trips that lose nothing (issue 24 §4): the grid's own CSV coming back, a
tracker CSV saved by Excel as Windows-1252, and a spreadsheet with a column added or a
row deleted. Each on the command line and at the store."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from sqlmodel import col, select

from mhtui.cli import main
from mhtui.core.clock import FakeClock
from mhtui.core.csv_grid import read_csv as read_grid
from mhtui.core.csv_grid import write_csv
from mhtui.store.actions import actions
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target
from mhtui.store.grid import grid, grid_io, shift_plans
from mhtui.store.models import Role
from tests.helpers import db_arg, db_rows

ANSWERS = {"roles": "Front office", "when": "From January", "communication": "Staff email",
           "staffing": "One para", "training": "Two sessions", "other_steps": "Review"}

# Every row of the grid and what hangs on it, versions included: nothing may move.
GRID_ROWS = ("SELECT id, position, name, capacity_constrained, fte, version FROM role",
             "SELECT id, position, name, team_id, version FROM taskcategory",
             "SELECT id, position, name, category_id, priority, to_shift, version FROM task",
             "SELECT id, task_id, role_id, value, version FROM capability",
             "SELECT id, task_id, state, roles, updated_at, version FROM shiftplan",
             "SELECT id, shift_plan_id, text, status, version FROM action")


def _grid_rows(target: Target) -> list[list[tuple[object, ...]]]:
    return [sorted(db_rows(target, sql + " ORDER BY id")) for sql in GRID_ROWS]


def _agreed_plan(db: Database, clock: FakeClock) -> tuple[str, int, int]:
    """A task to shift with a plan agreed (six answers) and an action made from it:
    (the task's name, the plan's id, the action's number)."""
    data = grid.load(db, 1)
    task = next(t for _, ts in data.categories for t in ts if t.to_shift)
    plan = shift_plans.get_or_create(db, task.id, clock)
    shift_plans.save(db, plan.id, plan.version, ANSWERS, "agreed", clock)
    number = shift_plans.make_action(db, 1, plan.id, actions.Fields("Hire a para", "Vice P"),
                                     clock)
    return task.name, plan.id, number


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    said = capsys.readouterr()
    return code, said.out, said.err


@pytest.fixture
def planned(demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database]
            ) -> tuple[str, int, int]:
    return _agreed_plan(open_db(demo_target), clock)


def test_the_grids_own_csv_back_unchanged_changes_nothing(
        demo_target: Target, planned: tuple[str, int, int], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    _, plan_id, number = planned
    db = ["--db", db_arg(demo_target)]
    out = tmp_path / "grid.csv"
    assert _run(capsys, *db, "export", "grid", "--out", str(out))[0] == 0
    before = _grid_rows(demo_target)
    code, said, err = _run(capsys, *db, "import", "grid", str(out))
    assert (code, err) == (0, "")
    assert "nothing changed" in said
    assert _grid_rows(demo_target) == before
    assert db_rows(demo_target, "SELECT state, roles, other_steps FROM shiftplan WHERE id = ?",
                   plan_id) == [("agreed", "Front office", "Review")]
    assert db_rows(demo_target, "SELECT shift_plan_id FROM action WHERE id = ?",
                   number) == [(plan_id,)]


def _without_task(out: Path, task: str) -> None:
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if f",{task}," not in line and f',"{task}",' not in line]
    assert len(kept) == len(lines) - 1
    out.write_text("".join(kept), encoding="utf-8")


def test_an_import_that_would_remove_a_planned_task_is_refused_unless_told(
        demo_target: Target, planned: tuple[str, int, int], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    task, plan_id, number = planned
    db = ["--db", db_arg(demo_target)]
    out = tmp_path / "grid.csv"
    assert _run(capsys, *db, "export", "grid", "--out", str(out))[0] == 0
    _without_task(out, task)
    before = _grid_rows(demo_target)
    for dry in ([], ["--dry-run"]):
        code, said, err = _run(capsys, *db, "import", "grid", str(out), *dry)
        assert code == 2 and said == ""
        assert len(err.strip().splitlines()) == 1, err
        assert f"{task!r} (plan agreed, 1 linked action)" in err
        assert "Nothing was imported" in err and "--drop-plans" in err
        assert _grid_rows(demo_target) == before
    code, said, _ = _run(capsys, *db, "import", "grid", str(out), "--dry-run", "--drop-plans")
    assert code == 0 and "would remove" in said and task in said
    assert _grid_rows(demo_target) == before
    code, said, _ = _run(capsys, *db, "import", "grid", str(out), "--drop-plans")
    assert code == 0 and "removed" in said and "kept, unlinked" in said
    assert db_rows(demo_target, "SELECT count(*) FROM shiftplan WHERE id = ?", plan_id) == [(0,)]
    assert db_rows(demo_target, "SELECT text, shift_plan_id FROM action WHERE id = ?",
                   number) == [("Hire a para", None)]


def test_grid_import_changes_in_place_what_the_file_changes(
        demo_target: Target, planned: tuple[str, int, int],
        open_db: Callable[[Target], Database]) -> None:
    """At the store: a category renamed and a cell changed in the spreadsheet keep the
    task (its id, its plan) and every role (its FTE); only what changed is written."""
    task, plan_id, _ = planned
    db = open_db(demo_target)
    with db.write() as session:
        first = session.exec(select(Role).where(Role.team_id == 1, Role.position == 0)).one()
        first.fte = 2.5
    doc = grid_io.document(db, 1)
    assert grid_io.replace(db, 1, doc).changed == 0
    task_id = db_rows(demo_target, "SELECT task_id FROM shiftplan WHERE id = ?", plan_id)
    category = next(c for c, tasks in doc.categories if any(t[0] == task for t in tasks))
    edited = [[*row[:4], *("No" if row[0] == category and row[1] == task and i == 0 else v
                          for i, v in enumerate(row[4:]))]
              for row in csv.reader(io.StringIO(write_csv(doc)))]
    for row in edited[1:]:
        row[0] = "Renamed category" if row[0] == category else row[0]
    out = io.StringIO()
    csv.writer(out).writerows(edited)
    changed, errors = read_grid(out.getvalue())
    assert not errors
    result = grid_io.replace(db, 1, changed)
    assert result.changed and result.dropped == ()
    assert db_rows(demo_target, "SELECT task_id FROM shiftplan WHERE id = ?", plan_id) == task_id
    assert db_rows(demo_target, "SELECT fte FROM role WHERE id = ?", first.id) == [(2.5,)]
    assert db_rows(demo_target, "SELECT count(*) FROM taskcategory WHERE team_id = 1 AND name = ?",
                   category) == [(0,)]
    assert grid.load(db, 1).cells.get((task_id[0][0], first.id or 0)) == "no"


# --- the tracker's CSV back from a spreadsheet ----------------------------------------

NAME, TEXT = "Dr. Nguyễn Văn An", "6–8 → counselor"  # "ễ", "ă", "→": not in Windows-1252


def _accented(target: Target, open_db: Callable[[Target], Database]) -> list[int]:
    """Three of the team's actions given a name and a text Windows-1252 cannot hold."""
    from mhtui.store.models import Action

    with open_db(target).write() as session:
        rows = session.exec(select(Action).where(Action.team_id == 1)
                            .order_by(col(Action.id)).limit(3)).all()
        for action in rows:
            action.owner, action.text = NAME, f"{TEXT} #{action.id}"
        return [a.id or 0 for a in rows]


def _as_excel_saves(export: Path, out: Path, encoding: str, delimiter: str,
                    edit: Callable[[list[list[str]]], list[list[str]]]) -> None:
    """The export opened in a spreadsheet, edited, and saved as Excel does: "CSV" is
    Windows-1252 with "?" for every letter it lacks, "CSV UTF-8" has a BOM."""
    records = list(csv.reader(io.StringIO(export.read_text(encoding="utf-8-sig"))))
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(edit(records))
    out.write_bytes(text.getvalue().encode(encoding, errors="replace"))


def _live_actions(target: Target) -> dict[int, tuple[str, str, str]]:
    return {n: (text, owner, status) for n, text, owner, status in db_rows(
        target, "SELECT id, text, owner, status FROM action WHERE team_id = 1 AND "
                "deleted_at IS NULL")}


@pytest.mark.parametrize(("encoding", "delimiter"), [
    ("cp1252", ","), ("cp1252", ";"), ("utf-8-sig", ";"), ("utf-8", ",")])
def test_letters_the_files_encoding_lacks_never_overwrite_what_is_stored(
        demo_target: Target, open_db: Callable[[Target], Database], tmp_path: Path,
        capsys: pytest.CaptureFixture[str], encoding: str, delimiter: str) -> None:
    numbers = _accented(demo_target, open_db)
    db = ["--db", db_arg(demo_target)]
    export = tmp_path / "actions.csv"
    assert _run(capsys, *db, "export", "actions", "--out", str(export))[0] == 0
    before = _live_actions(demo_target)

    def edit(records: list[list[str]]) -> list[list[str]]:  # one real change: a status
        row = next(r for r in records if r[5] == str(numbers[2]))
        row[2] = "Done" if row[2] != "Done" else "In progress"
        return records

    sheet = tmp_path / "from excel.csv"
    _as_excel_saves(export, sheet, encoding, delimiter, edit)
    code, out, err = _run(capsys, *db, "import", "actions", str(sheet))
    assert code == 0, err
    assert "updated 1 action(s) by ID" in out and "imported 0 action(s)" in out
    after = _live_actions(demo_target)
    assert {n: after[n][:2] for n in after} == {n: before[n][:2] for n in before}
    assert after[numbers[0]][:2] == (f"{TEXT} #{numbers[0]}", NAME)
    if encoding == "cp1252":
        assert f"kept as in mhtui: {', '.join(f'#{n}' for n in numbers)}" in out
    else:
        assert "kept as in mhtui" not in out


def test_a_spreadsheets_extra_column_and_deleted_rows_are_said(
        demo_target: Target, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", db_arg(demo_target)]
    export = tmp_path / "actions.csv"
    assert _run(capsys, *db, "export", "actions", "--out", str(export))[0] == 0
    before = _live_actions(demo_target)
    gone = sorted(before)[1:3]

    def edit(records: list[list[str]]) -> list[list[str]]:
        kept = [r for r in records if r[5] not in {str(n) for n in gone}]
        return [[*r, "Notes" if i == 0 else "call the family"] for i, r in enumerate(kept)]

    sheet = tmp_path / "edited.csv"
    _as_excel_saves(export, sheet, "utf-8-sig", ",", edit)
    code, out, err = _run(capsys, *db, "import", "actions", str(sheet))
    assert code == 0, err
    assert "'Notes', not imported" in err
    assert f"not in the file: #{gone[0]}, #{gone[1]}; nothing deleted." in out
    assert _live_actions(demo_target) == before


def test_the_import_keeps_and_names_at_the_store(
        demo_target: Target, open_db: Callable[[Target], Database], clock: FakeClock) -> None:
    from mhtui.core.csv_actions import EXPORT_HEADERS, read_csv
    from mhtui.store.actions import action_io

    numbers = _accented(demo_target, open_db)
    db = open_db(demo_target)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(EXPORT_HEADERS[:6])
    for n in numbers[:2]:  # the third left out of the file
        [(created, text_, owner, status, due)] = db_rows(
            demo_target, "SELECT created_on, text, owner, status, due_on FROM action "
                         "WHERE id = ?", n)
        writer.writerow([created, text_, status, owner, due or "", n])
    saved = text.getvalue().encode("cp1252", errors="replace").decode("cp1252")
    report = read_csv(saved, clock.now().date())
    result = action_io.import_rows(db, 1, (r for _, r in report.rows), clock,
                                   columns=report.columns, encoding="Windows-1252")
    assert (result.updated, result.unchanged, result.kept) == (0, 2, numbers[:2])
    assert numbers[2] in result.missing and not set(numbers[:2]) & set(result.missing)
    assert _live_actions(demo_target)[numbers[0]][1] == NAME
    # The same rows without their IDs (the paper layout): already there, not added again.
    again = action_io.import_rows(db, 1, (replace(r, action_id=None) for _, r in report.rows),
                                  clock, encoding="Windows-1252")
    assert (again.added, again.already_there) == (0, 2)
