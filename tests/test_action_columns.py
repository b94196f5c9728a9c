"""A new column on actions is one row of csv_actions.COLUMNS (issue 26: a new column in at
most 8 files). The files' writers and reader, and the fast export's SELECTs, follow the
table: a `priority` row is added to a copy of the module, as a developer would add it
(the row, and the field on ActionRow and ExportRow), and it reaches each of them."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import sqlite3
import sys
from dataclasses import fields
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from mhtui.core import csv_actions
from mhtui.core.csv_actions import COLUMNS, ActionRow, ExportRow
from mhtui.store.actions import export_fast
from mhtui.store.database.target import Target

PRIORITY_ROW = '    Column("Priority", "priority", "priority", "text", ("priority", "urgency")),\n'


def _with_priority(monkeypatch: pytest.MonkeyPatch) -> Any:
    """csv_actions with a priority column, standing in for the real one in sys.modules
    (so a module imported now reads it); the real one is back after the test."""
    path = Path(csv_actions.__file__)
    source = path.read_text(encoding="utf-8")
    for old, new in (
        ("\n)\nHEADERS = ", f"\n{PRIORITY_ROW})\nHEADERS = "),  # the table's last row
        ("    due_on: date | None = None\n", '    due_on: date | None = None\n'
                                             '    priority: str = ""\n'),  # ActionRow
        ("    due_on: date | None\n    meeting_id", "    due_on: date | None\n"
                                                   "    priority: str\n    meeting_id"),
    ):
        assert source.count(old) == 1, old
        source = source.replace(old, new)
    module = ModuleType(csv_actions.__name__)
    module.__file__ = str(path)
    monkeypatch.setitem(sys.modules, csv_actions.__name__, module)
    exec(compile(source, str(path), "exec"), module.__dict__)
    return module


def test_the_rows_hold_the_tables_columns_in_its_order() -> None:
    """ActionRow and ExportRow are written out by hand: their fields must follow COLUMNS
    (the export reads ExportRow's cells by the table, the SELECTs make it by position)."""
    attrs = tuple(c.attr for c in COLUMNS)
    assert tuple(f.name for f in fields(ActionRow)) == (*attrs, "action_id", "version")
    assert ExportRow._fields == ("id", "version", *attrs, "meeting_id", "shift_plan_id",
                                 "shift_plan_task")


def test_a_row_of_the_table_reaches_the_files_read_and_written(
        monkeypatch: pytest.MonkeyPatch) -> None:
    m = _with_priority(monkeypatch)
    report = m.read_csv("Action item,Urgency\r\nCall the nurse,=now\r\n", date(2026, 5, 1))
    assert report.ok and "Priority" in report.columns
    [(_, row)] = report.rows
    assert row.priority == "=now"
    assert row.key == (date(2026, 5, 1), "Call the nurse", "", None, "=now")
    header, line = list(csv.reader(io.StringIO(m.write_csv([(7, row)]))))
    assert header[-2:] == ["Priority", "ID"] and line[-2:] == ["'=now", "7"]
    assert m.csv_cells(row)[-1] == "'=now"  # `actions list --all-teams`
    assert list(m.json_cells(row))[-2:] == ["due", "priority"]  # `actions list`'s JSON
    export = m.ExportRow(7, 2, date(2026, 5, 1), "Call the nurse", "not started", "", None,
                         "=now", None, None, None)
    out = io.StringIO()
    m.stream_csv([export], out)
    header, line = list(csv.reader(io.StringIO(out.getvalue().removeprefix(m.BOM))))
    assert header[5:] == ["Priority", "ID", "Version", "Shift plan"]
    assert line[5:] == ["'=now", "7", "2", ""]
    out = io.StringIO()
    m.stream_json([export], out)
    [record] = json.loads(out.getvalue())
    assert list(record)[6:8] == ["due", "priority"] and record["priority"] == "=now"


@pytest.mark.sqlite_only("the fast export reads an SQLite file")
def test_a_row_of_the_table_reaches_the_fast_export(monkeypatch: pytest.MonkeyPatch,
                                                    demo_target: Target) -> None:
    assert demo_target.path is not None
    m = _with_priority(monkeypatch)
    spec = importlib.util.spec_from_file_location("export_fast_priority", export_fast.__file__)
    assert spec is not None and spec.loader is not None
    fast: ModuleType = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fast)
    conn = sqlite3.connect(demo_target.path)
    with conn:  # the column a revision would add
        conn.execute("ALTER TABLE action ADD COLUMN priority TEXT NOT NULL DEFAULT '+high'")
    conn.close()
    out = io.StringIO()
    assert fast.write_csv(demo_target.path, 1, out) > 0
    header, line, *_ = csv.reader(io.StringIO(out.getvalue().removeprefix(m.BOM)))
    assert header[4:6] == ["When will it be done?", "Priority"] and line[5] == "'+high"
    out = io.StringIO()
    fast.write_json(demo_target.path, 1, out)
    record = json.loads(out.getvalue())[0]
    assert list(record)[6:8] == ["due", "priority"] and record["priority"] == "+high"
