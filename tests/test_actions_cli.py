"""The tracker from the shell: list, set, export and import, and the CSV round trip."""

from __future__ import annotations

import csv
import io
import json
import stat
import unicodedata
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mhtui.cli import main
from mhtui.core.csv_actions import ActionRow, read_csv, safe_cell, write_csv
from mhtui.core.statuses import Status
from mhtui.core.tidy import tidy
from mhtui.store.database.target import Target
from tests.conftest import MakeTarget
from tests.helpers import db_arg

SHEETS_EXPORT = (
    "\ufeffItem creation date,Action item,Progress tracker,Who is responsible?,"
    "When will it be done?,Notes\r\n"
    '5/19/2022,"Take the social workers off lunch duty so they can meet with students '
    'during lunch hours",In Progress,John Smith,6/15/2022,first\r\n'
    '05-20-2022,"Find a room,\r\nwith a door",behind schedule,,2022-07-01,\r\n'
    "2022-05-21,Share the checklist,DONE,Ana,,\r\n"
    "5/22/22,Ask about training,blocked,Dev,7/1/22,\r\n"
    ",,,,,\r\n"
)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_list_filters_and_formats(demo_target: Target,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", db_arg(demo_target)]
    code, out, _ = _run(capsys, *db, "actions", "list", "--overdue", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert {r["id"] for r in rows} and all(r["status"] not in ("completed", "abandoned")
                                           for r in rows)
    code, out, _ = _run(capsys, *db, "actions", "list", "--status", "In-Progress",
                        "--owner", "john smith", "--format", "csv")
    records = list(csv.DictReader(io.StringIO(out)))
    assert {r["Who is responsible?"] for r in records} == {"John Smith"}
    assert {r["Progress tracker"] for r in records} == {"in progress"}
    code, out, _ = _run(capsys, *db, "actions", "list", "--team", "Roosevelt Middle School")
    assert code == 0 and "Take the social" not in out
    code, _, err = _run(capsys, *db, "actions", "list", "--team", "Nowhere")
    assert code == 2 and "No team called 'Nowhere'" in err


def test_set_status_from_the_shell(demo_target: Target,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", db_arg(demo_target)]
    code, out, _ = _run(capsys, *db, "actions", "set", "1", "DONE")
    assert code == 0 and "completed" in out
    code, out, _ = _run(capsys, *db, "actions", "list", "--status", "completed",
                        "--format", "json")
    assert 1 in {r["id"] for r in json.loads(out)}
    code, _, err = _run(capsys, *db, "actions", "set", "1", "sort of done")
    assert code == 1
    for word in Status:
        assert repr(word.value) in err
    code, _, err = _run(capsys, *db, "actions", "set", "999", "done")
    assert code == 1 and "No action #999" in err


def test_import_a_sheets_export_twice_adds_once(tmp_path: Path, empty_target: Target,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "tracker.csv"
    sheet.write_bytes(SHEETS_EXPORT.encode("utf-8"))
    db = ["--db", db_arg(empty_target)]
    code, out, _ = _run(capsys, *db, "import", "actions", str(sheet), "--dry-run")
    assert code == 0 and "would import 4" in out
    code, out, _ = _run(capsys, *db, "actions", "list", "--format", "json")
    assert json.loads(out) == []
    code, out, _ = _run(capsys, *db, "import", "actions", str(sheet))
    assert code == 0 and "imported 4" in out
    code, out, _ = _run(capsys, *db, "import", "actions", str(sheet))
    assert "imported 0" in out and "4 already there" in out
    code, out, _ = _run(capsys, *db, "actions", "list", "--format", "json")
    rows = {r["action"]: r for r in json.loads(out)}
    lunch = next(r for k, r in rows.items() if k.startswith("Take the social"))
    assert (lunch["created"], lunch["status"], lunch["owner"], lunch["due"]) == (
        "2022-05-19", "in progress", "John Smith", "2022-06-15")
    assert rows["Find a room,\nwith a door"]["status"] == "blocked or behind schedule"
    assert rows["Share the checklist"]["status"] == "completed"
    assert rows["Ask about training"]["due"] == "2022-07-01"


def test_bad_rows_are_all_reported_and_nothing_imported(
    tmp_path: Path, empty_target: Target, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text(
        "Item creation date,Action item,Progress tracker,Who is responsible?,"
        "When will it be done?\n"
        "2026-01-02,Fine row,done,Ana,2026-02-01\n"
        "2026-13-02,Bad created,done,,\n"
        ",,nearly,Ana,\n"
        "2026-01-02,Bad status,nearly,Ana,\n"
        "2026-01-02,Bad due,done,Ana,next week\n"
    )
    code, _, err = _run(capsys, "--db", db_arg(empty_target), "import", "actions", str(sheet))
    assert code == 1 and "nothing was imported" in err
    assert "line 3:" in err and "not a real date" in err
    assert "line 4:" in err and "needs a description" in err
    assert "line 5:" in err and "'nearly' is not a status" in err
    assert "line 6:" in err and "next week" in err
    code, out, _ = _run(capsys, "--db", db_arg(empty_target), "actions", "list",
                        "--format", "json")
    assert json.loads(out) == []


@pytest.mark.parametrize(("content", "message"), [
    (b"\x00\x01\x02binary", "binary file"),
    (b"name,age\nAna,3\n", "No 'Action item' column"),
    (b"", "empty"),
])
def test_foreign_files_are_refused(tmp_path: Path, empty_target: Target,
                                   capsys: pytest.CaptureFixture[str], content: bytes,
                                   message: str) -> None:
    sheet = tmp_path / "x.csv"
    sheet.write_bytes(content)
    code, _, err = _run(capsys, "--db", db_arg(empty_target), "import", "actions", str(sheet))
    assert code == 1 and message in err


def test_export_file_is_private_and_formula_safe(tmp_path: Path, demo_target: Target,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from mhtui.store.actions import actions
    from mhtui.store.database import opening

    db = opening.connect(demo_target)
    actions.create(db, 1, actions.Fields(text="=HYPERLINK(\"http://x\")", owner="@ana"),
                   __import__("mhtui.core.clock", fromlist=["FakeClock"]).FakeClock())
    db.close()
    out = tmp_path / "out" / "actions.csv"
    out.parent.mkdir()  # --out never makes the folder a file goes in (test_files.py)
    code, _, err = _run(capsys, "--db", db_arg(demo_target), "export", "actions",
                        "--out", str(out))
    assert code == 0 and str(out) in err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads UTF-8
    records = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert records[0][:5] == ["Item creation date", "Action item", "Progress tracker",
                              "Who is responsible?", "When will it be done?"]
    cells = [c for r in records[1:] for c in r]
    assert "'=HYPERLINK(\"http://x\")" in cells and "'@ana" in cells
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'=x", "ok"])
def test_safe_cell_never_starts_a_formula(value: str) -> None:
    assert not safe_cell(value).startswith(("=", "+", "-", "@", "\t", "\r"))


# All of unicode but surrogates (which no terminal or UTF-8 file can carry), with control
# codes, NUL, right-to-left text and combining marks drawn often.
texts = st.text(st.characters(codec="utf-8") | st.sampled_from(
    "\x00\x1b\x07\x7f\x9b\r\n\t\u200f\u202eשלום مرحبا e\u0301\u0327"),
                min_size=1, max_size=300).filter(lambda t: tidy(t).strip() != "")
rows = st.builds(
    ActionRow,
    created_on=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    text=texts.map(str.strip),
    status=st.sampled_from(list(Status)),
    owner=st.text(st.characters(codec="utf-8"), max_size=40).map(str.strip),
    due_on=st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
)


def stored(row: ActionRow) -> ActionRow:
    """The row as the database keeps it: control codes out, ends trimmed."""
    return replace(row, text=tidy(row.text).strip(), owner=tidy(row.owner).strip())


@given(st.lists(rows, max_size=20))
def test_csv_round_trip_in_memory(original: list[ActionRow]) -> None:
    """What the database can hold comes back from CSV exactly; raw text comes back tidy."""
    kept = [stored(r) for r in original]
    report = read_csv(write_csv((None, r) for r in kept), date(2026, 1, 1))
    assert report.ok, report.errors
    assert [r for _, r in report.rows] == kept
    raw = read_csv(write_csv((None, r) for r in original), date(2026, 1, 1))
    assert all(r.text == tidy(r.text) and r.owner == tidy(r.owner) for _, r in raw.rows)


@given(st.text(st.characters(codec="utf-8")))
def test_tidy_keeps_what_can_be_seen_and_drops_control_codes(text: str) -> None:
    cleaned = tidy(text)
    assert tidy(cleaned) == cleaned
    def control(c: str) -> bool:
        return unicodedata.category(c) == "Cc"

    assert all(not control(c) or c in "\t\n" for c in cleaned)
    assert [c for c in text if not control(c)] == [c for c in cleaned if not control(c)]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(rows, min_size=1, max_size=8, unique_by=lambda r: r.key))
def test_export_import_into_an_empty_database_gives_the_same_actions(
    make_target: MakeTarget, original: list[ActionRow]
) -> None:
    from mhtui.core.clock import FakeClock
    from mhtui.store.actions import action_io, action_list
    from mhtui.store.database import opening
    from mhtui.store.teams import teams

    source, dest = make_target("a.db"), make_target("b.db")
    clock = FakeClock()
    db = opening.connect(source)
    team = teams.active_team(db, clock)
    assert team.id is not None
    action_io.import_rows(db, team.id, original, clock)
    exported = write_csv(
        (a.id, action_io.as_row(a))
        for a in action_list.matching(db, action_list.Query(team_id=team.id), date(2026, 1, 1))
    )
    db.close()
    report = read_csv(exported, date(2026, 1, 1))
    assert report.ok
    db2 = opening.connect(dest)
    team2 = teams.active_team(db2, clock)
    assert team2.id is not None
    action_io.import_rows(db2, team2.id, (r for _, r in report.rows), clock)
    back = action_list.matching(db2, action_list.Query(team_id=team2.id), date(2026, 1, 1))
    db2.close()
    assert sorted(repr(action_io.as_row(a)) for a in back) == sorted(
        repr(stored(r)) for r in original)
