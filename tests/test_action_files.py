"""The tracker's CSV as spreadsheets really save it, and an edited export coming back.

Fixtures in tests/fixtures: LibreOffice's default save (semicolons, Windows-1252, day-first
dates), Excel's "CSV UTF-8" (a BOM, dates with a time or a month name, column names the
usual way) and an export of the demo edited in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mhtui.cli import main
from mhtui.core.csv_actions import (
    DUE,
    OWNER,
    STATUS,
    TEXT,
    column_name,
    decoded,
    read_csv,
    sniff_delimiter,
)
from mhtui.core.dates import DateError, parse_sheet_date
from mhtui.core.statuses import Status
from mhtui.store.actions import actions
from mhtui.store.database import opening
from mhtui.store.database.target import Target
from tests.helpers import db_arg

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2026, 1, 1)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def _export(capsys: pytest.CaptureFixture[str], target: Target, *fmt: str) -> str:
    code, out, _ = _run(capsys, "--db", db_arg(target), "export", "actions", *fmt)
    assert code == 0
    return out


def _live(target: Target) -> dict[int, actions.ActionItem]:
    from mhtui.store.actions import action_list

    db = opening.connect(target)
    try:
        rows = action_list.matching(db, action_list.Query(team_id=1), TODAY)
        return {a.id: a for a in rows}
    finally:
        db.close()


# --- files as spreadsheets save them ---------------------------------------------------


def test_libreoffice_semicolons_cp1252_and_day_first_dates() -> None:
    text, encoding = decoded((FIXTURES / "libreoffice_semicolon_cp1252.csv").read_bytes())
    assert encoding == "Windows-1252"
    report = read_csv(text, TODAY, day_first=True)
    assert report.ok, report.errors
    assert report.delimiter == ";" and report.unused == ["Remarks"]
    rows = [r for _, r in report.rows]
    assert rows[0].text == "Take the social workers off lunch duty; meet students at lunch"
    assert rows[0].owner == "José Álvarez" and rows[0].status is Status.IN_PROGRESS
    assert (rows[0].created_on, rows[0].due_on) == (date(2022, 5, 19), date(2022, 6, 15))
    assert rows[2].text == "Order “Sources of Strength” kits – 30 €"
    assert rows[2].owner == "Renée Müller" and rows[2].status is Status.COMPLETED


def test_day_first_dates_without_the_flag_say_which_flag() -> None:
    text, _ = decoded((FIXTURES / "libreoffice_semicolon_cp1252.csv").read_bytes())
    report = read_csv(text, TODAY)
    assert not report.ok
    assert "--day-first" in report.errors[0][1]


def test_excel_bom_month_names_times_and_usual_column_names() -> None:
    text, encoding = decoded((FIXTURES / "excel_bom.csv").read_bytes())
    assert encoding == "UTF-8"
    report = read_csv(text, TODAY)
    assert report.ok, report.errors
    assert report.unused == ["Priority"]
    assert {TEXT, STATUS, OWNER, DUE} <= report.columns
    first, second = (r for _, r in report.rows)
    assert first.created_on == date(2022, 6, 1) and first.due_on == date(2022, 6, 15)
    assert first.owner == "Nguyễn Văn An" and first.status is Status.NOT_STARTED
    assert second.text == "Train paras, then [b]coaches[/b]" and second.owner == "שרה לוי"
    assert second.status is Status.IN_PROGRESS and second.due_on == date(2026, 12, 1)


@pytest.mark.parametrize("name", ["Status", "status", "STATUS", " Progress tracker ",
                                  "progress_tracker"])
def test_status_column_variants(name: str) -> None:
    assert column_name(name) == STATUS


@pytest.mark.parametrize("name", ["Due date", "due_date", "DUE-DATE", "When will it be done?",
                                  "Deadline"])
def test_due_column_variants(name: str) -> None:
    assert column_name(name) == DUE


def test_a_file_of_unknown_characters_is_refused_by_name(
        tmp_path: Path, empty_target: Target, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "bad #1 100% ?.csv"
    sheet.write_bytes(b"Action item,Owner\r\nx,Nguy\x81n\r\n")  # 0x81: in neither encoding
    code, _, err = _run(capsys, "--db", db_arg(empty_target), "import", "actions", str(sheet))
    assert code == 1
    assert str(sheet) in err and "cannot be read" in err and "Nothing was imported" in err
    assert _live(empty_target) == {}


def test_cp1252_file_says_what_the_spreadsheet_lost(
        tmp_path: Path, empty_target: Target, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "--db", db_arg(empty_target), "import", "actions",
                          str(FIXTURES / "libreoffice_semicolon_cp1252.csv"), "--day-first")
    assert code == 0 and "imported 3 action(s)" in out
    assert "Windows-1252" in err and "'Nguy?n'" in err
    assert "columns not used: 'Remarks'" in err
    owners = {a.owner for a in _live(empty_target).values()}
    assert owners == {"José Álvarez", "Nguy?n Van An", "Renée Müller"}


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_separator_is_found(delimiter: str) -> None:
    header = delimiter.join(["Action item", "Owner", "Status"])
    assert sniff_delimiter(header + "\r\nx,y;z\tw\r\n") == delimiter


# --- dates as spreadsheets write them ---------------------------------------------------


@pytest.mark.parametrize(("text", "day_first", "expected"), [
    ("2022-06-01 00:00:00", False, date(2022, 6, 1)),
    ("2022-06-01T13:05", False, date(2022, 6, 1)),
    ("Jun 1, 2022", False, date(2022, 6, 1)),
    ("1-Dec-26", False, date(2026, 12, 1)),
    ("6/1/2022 0:00", False, date(2022, 6, 1)),
    ("01.06.2022", True, date(2022, 6, 1)),
    ("1/6/2022", True, date(2022, 6, 1)),
    ("1 June 2022", True, date(2022, 6, 1)),
])
def test_sheet_dates(text: str, day_first: bool, expected: date) -> None:
    assert parse_sheet_date(text, day_first=day_first) == expected


@pytest.mark.parametrize("text", ["today", "+3d", "June 2022", "Dec 32, 2022", "soon",
                                  "2/30/2026"])
def test_a_bad_date_in_a_file_names_only_forms_a_file_can_hold(text: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_sheet_date(text)
    message = str(caught.value)
    assert "today" not in message.replace(repr(text), "") and "+3d" not in message.replace(
        repr(text), "")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
       st.sampled_from(["%Y-%m-%d", "%Y-%m-%d 00:00:00", "%m/%d/%Y", "%b %d, %Y",
                        "%d-%b-%Y", "%B %d %Y"]))
def test_any_date_in_any_written_form_reads_back(day: date, form: str) -> None:
    assert parse_sheet_date(day.strftime(form)) == day


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_day_first_dotted_dates_read_back(day: date) -> None:
    assert parse_sheet_date(day.strftime("%d.%m.%Y"), day_first=True) == day


@given(st.text(max_size=60))
def test_any_text_is_a_date_or_a_date_error(text: str) -> None:
    try:
        parse_sheet_date(text)
    except DateError as exc:
        assert str(exc)


@given(st.text(st.characters(codec="utf-8") | st.sampled_from(";,\t\"\r\n'"), max_size=400),
       st.booleans())
def test_any_text_reads_as_rows_or_line_numbered_errors(text: str, day_first: bool) -> None:
    report = read_csv(text, TODAY, day_first=day_first)
    assert all(line >= 1 and reason for line, reason in report.errors)
    assert all(row.text.strip() for _, row in report.rows)


@given(st.binary(max_size=200))
def test_any_bytes_decode_or_are_refused_in_words(data: bytes) -> None:
    try:
        text, encoding = decoded(data)
    except ValueError as exc:
        assert "CSV" in str(exc)
    else:
        assert encoding in ("UTF-8", "Windows-1252") and isinstance(text, str)


# --- the export ------------------------------------------------------------------------


def test_export_carries_ids_versions_and_a_bom(demo_target: Target,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = _export(capsys, demo_target)
    assert out.startswith("\ufeffItem creation date,")
    records = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))
    assert records[0][5:] == ["ID", "Version", "Shift plan"]
    live = _live(demo_target)
    assert {int(r[5]): int(r[6]) for r in records[1:]} == {
        i: a.version for i, a in live.items()}


def test_export_and_detail_show_the_shift_plan(demo_target: Target, clock: object,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from mhtui.core.clock import FakeClock
    from mhtui.store.grid import grid, shift_plans

    db = opening.connect(demo_target)
    data = grid.load(db, 1)
    task = next(t for _, ts in data.categories for t in ts if t.to_shift)
    plan = shift_plans.get_or_create(db, task.id, FakeClock())
    number = shift_plans.make_action(db, 1, plan.id, actions.Fields("Hire a para", "Vice P"),
                                     FakeClock())
    db.close()
    records = list(csv.DictReader(io.StringIO(_export(capsys, demo_target)[1:])))
    row = next(r for r in records if r["ID"] == str(number))
    assert row["Shift plan"] == f"plan {plan.id}: {task.name}"
    items = json.loads(_export(capsys, demo_target, "--format", "json"))
    item = next(i for i in items if i["id"] == number)
    assert item["shift_plan"] == {"id": plan.id, "task": task.name}
    assert all(i["shift_plan"] is None for i in items if i["id"] != number)
    # `actions list --format json` names the plan the same way as the export.
    code, out, _ = _run(capsys, "--db", db_arg(demo_target), "actions", "list",
                        "--format", "json")
    listed = {i["id"]: i["shift_plan"] for i in json.loads(out)}
    assert code == 0 and listed == {i["id"]: i["shift_plan"] for i in items}


def test_export_to_a_file_is_streamed_whole(tmp_path: Path, demo_target: Target,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "my #1 export 100%.json"
    code, _, err = _run(capsys, "--db", db_arg(demo_target), "export", "actions",
                        "--format", "json", "--out", str(out))
    assert code == 0 and "(12 action(s))" in err
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 12


# --- an edited export coming back ------------------------------------------------------


def test_round_trip_edit_status_and_owner_updates_without_duplicates(
        tmp_path: Path, demo_target: Target, capsys: pytest.CaptureFixture[str]) -> None:
    before = _live(demo_target)
    records = list(csv.reader(io.StringIO(_export(capsys, demo_target)[1:])))
    header, body = records[0], records[1:]
    for record in body:
        if record[5] == "1":
            record[2], record[3] = "Done", "Zoë [b]Ñúñez[/b]"
    edited = tmp_path / "edited ? #.csv"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows([header, *body])  # saved by LibreOffice
    edited.write_text(buffer.getvalue(), encoding="cp1252", errors="replace")
    code, out, err = _run(capsys, "--db", db_arg(demo_target), "import", "actions",
                          str(edited))
    assert code == 0, err
    assert "imported 0 action(s)" in out and "updated 1 action(s) by ID; 11 unchanged" in out
    # The export's own header "Who is responsible?" is not a letter lost to '?'.
    assert "Windows-1252" in err and "saved as '?'" not in err
    after = _live(demo_target)
    assert after.keys() == before.keys()  # no duplicates
    assert after[1].status == "completed" and after[1].owner == "Zoë [b]Ñúñez[/b]"
    assert after[1].version != before[1].version
    assert all(after[i] == before[i] for i in before if i != 1)
    db = opening.connect(demo_target)
    history = actions.history(db, 1)
    db.close()
    assert [(h.kind, h.field, h.old_value, h.new_value) for h in history[-2:]] == [
        ("status", "status", "in progress", "completed"),
        ("edit", "owner", "John Smith", "Zoë [b]Ñúñez[/b]")]


def test_a_row_changed_in_the_app_since_the_export_is_a_conflict(
        tmp_path: Path, demo_target: Target, capsys: pytest.CaptureFixture[str]) -> None:
    from mhtui.core.clock import FakeClock

    exported = _export(capsys, demo_target)
    db = opening.connect(demo_target)
    item = actions.get(db, 2)
    assert item is not None
    actions.set_status(db, 2, item.version, Status.ABANDONED, FakeClock())  # meanwhile
    db.close()
    records = list(csv.reader(io.StringIO(exported[1:])))
    for record in records[1:]:
        if record[5] in ("2", "3"):
            record[2] = "completed"
    edited = tmp_path / "edited.csv"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(records)
    edited.write_text(buffer.getvalue(), encoding="utf-8")
    code, out, err = _run(capsys, "--db", db_arg(demo_target), "import", "actions",
                          str(edited))
    assert code == 1
    assert "updated 1 action(s) by ID" in out and "1 conflict(s)" in out
    assert "#2: changed in mhtui since the export" in err and "Now: abandoned" in err
    live = _live(demo_target)
    assert live[2].status == "abandoned" and live[3].status == "completed"


def test_the_edited_export_fixture(demo_target: Target,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    before = _live(demo_target)
    code, out, _ = _run(capsys, "--db", db_arg(demo_target), "import", "actions",
                        str(FIXTURES / "edited_export.csv"))
    assert code == 0
    assert "imported 1 action(s)" in out and "updated 2 action(s) by ID; 1 unchanged" in out
    after = _live(demo_target)
    assert len(after) == len(before) + 1
    assert (after[1].status, after[1].owner) == ("completed", "Grace Kim")
    assert after[3].due_on == date(2027, 1, 15) and after[4] == before[4]
    assert any(a.text == "Book the library for the family night" for a in after.values())


def test_dry_run_changes_nothing(demo_target: Target,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    before = _live(demo_target)
    code, out, _ = _run(capsys, "--db", db_arg(demo_target), "import", "actions",
                        str(FIXTURES / "edited_export.csv"), "--dry-run")
    assert code == 0 and "would update 2 action(s)" in out
    assert _live(demo_target) == before


def test_a_file_without_an_owner_column_leaves_owners_alone(
        tmp_path: Path, demo_target: Target, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "status only.csv"
    sheet.write_text("ID\tAction\tStatus\r\n1\tTake the social workers off lunch duty so "
                     "they can meet with students during lunch hours\tblocked\r\n",
                     encoding="utf-8")
    code, out, _ = _run(capsys, "--db", db_arg(demo_target), "import", "actions", str(sheet))
    assert code == 0 and "updated 1" in out
    after = _live(demo_target)[1]
    assert (after.status, after.owner) == ("blocked or behind schedule", "John Smith")
    assert isinstance(after.updated_at, datetime)
