"""The action export read from an SQLite file with the standard library alone.

`mhtui export actions` at 100,000 actions spent as long importing SQLAlchemy and SQLModel
as writing the rows. From a file, as the dashboard's figures (store/teams/dashboard.py), the
rows are read here through an sqlite3 connection that only reads, with bound parameters and
written in C: the CSV cells are made safe for spreadsheets in the SELECT and go straight
from the cursor to csv.writer; each JSON line is put together from the JSON encoder's
own string quoting. The bytes are those of core/csv_actions.stream_csv / stream_json on
the ORM's rows (tests/test_export_fast.py compares them); memory stays flat (a batch
of rows at a time). Anything this path cannot answer (a server's database, a team not
found) returns None, and the caller takes the ORM's path, which says what is wrong.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from json.encoder import encode_basestring
from operator import call
from pathlib import Path
from typing import TextIO

from mhtui.core.csv_actions import BOM, COLUMNS, EXPORT_HEADERS
from mhtui.store.database import connections
from mhtui.store.teams.dashboard import active_team

BATCH = 2000


def _safe(column: str) -> str:
    """core/csv_actions.safe_cell in SQL: a quote before what a spreadsheet would run."""
    return (f"CASE WHEN substr({column}, 1, 1) IN ('=', '+', '-', '@', char(9), char(13), "
            f"'''') THEN '''' || {column} ELSE {column} END")


# ExportRow.shift_plan in SQL: "plan 5: Task", rstrip(": ") as rtrim(..., ': ').
_PLAN = "CASE WHEN a.shift_plan_id IS NULL THEN NULL ELSE rtrim('plan ' || a.shift_plan_id " \
        "|| ': ' || coalesce(t.name, ''), ': ') END"
_FROM = ("FROM action a LEFT JOIN shiftplan p ON p.id = a.shift_plan_id "
         "LEFT JOIN task t ON t.id = p.task_id "
         "WHERE a.team_id = ? AND a.deleted_at IS NULL ORDER BY a.created_on, a.id")
# The columns of csv_actions.COLUMNS, in its order; text made safe in the CSV.
_CELLS = ", ".join(f"a.{c.attr}" for c in COLUMNS)
_SAFE_CELLS = ", ".join(_safe(f"a.{c.attr}") if c.kind == "text" else f"a.{c.attr}"
                        for c in COLUMNS)
CSV_SELECT = f"SELECT {_SAFE_CELLS}, a.id, a.version, {_PLAN} {_FROM}"
JSON_SELECT = f"SELECT a.id, a.version, {_CELLS}, a.meeting_id, a.shift_plan_id, t.name {_FROM}"
# One JSON line, as json.JSONEncoder writes ExportRow's csv_actions.json_record.
_JSON_LINE = ('{"id": %s, "version": %s, ' + "".join(f'"{c.json}": %s, ' for c in COLUMNS)
              + '"meeting_id": %s, "shift_plan": %s}')


def _open(path: Path) -> sqlite3.Connection:
    """A connection that only reads. Not opened read-only (mode=ro): such a connection
    cannot tidy away the -wal and -shm files when it closes, and the export would leave
    them beside the database."""
    conn = connections.sqlite(path, "copy")
    conn.execute("PRAGMA query_only = ON")
    return conn


def team_id(path: Path, team: str | None) -> int | None:
    """The team's id, by its exact name or the active team; None when this path cannot
    tell (no team yet: the ORM's path makes the first one; an unknown name)."""
    conn = _open(path)
    try:
        if team is None:
            found = active_team(conn)
            return None if found is None else found.id
        row = conn.execute("SELECT id FROM team WHERE name = ?", (team,)).fetchone()
        return None if row is None else int(row[0])
    finally:
        conn.close()


def _batches(path: Path, sql: str, team: int) -> sqlite3.Cursor:
    conn = _open(path)
    cursor = conn.execute(sql, (team,))
    cursor.arraysize = BATCH
    return cursor


def write_csv(path: Path, team: int, out: TextIO) -> int:
    """As csv_actions.stream_csv: a BOM, the header, a CRLF line per action."""
    cursor = _batches(path, CSV_SELECT, team)
    try:
        out.write(BOM)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(EXPORT_HEADERS)
        count = 0
        while rows := cursor.fetchmany():
            count += len(rows)
            writer.writerows(rows)  # None (no due date, no plan) is written as ""
            out.write(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
        out.write(buffer.getvalue())
        return count
    finally:
        cursor.connection.close()


def _null(value: object) -> str:
    return "null" if value is None else str(value)


def write_json(path: Path, team: int, out: TextIO) -> int:
    """As csv_actions.stream_json: a JSON array, one action per line."""
    quote = encode_basestring  # what JSONEncoder(ensure_ascii=False) does to a string
    cells = [(lambda d: "null" if d is None else quote(d)) if c.kind == "date" else quote
             for c in COLUMNS]
    cursor = _batches(path, JSON_SELECT, team)
    try:
        out.write("[")
        count = 0
        while rows := cursor.fetchmany():
            lines = [
                _JSON_LINE % (i, v, *map(call, cells, values), _null(m),
                              "null" if p is None else f'{{"id": {p}, "task": {quote(n or "")}}}')
                for i, v, *values, m, p, n in rows]
            out.write(("\n  " if count == 0 else ",\n  ") + ",\n  ".join(lines))
            count += len(rows)
        out.write("\n]\n" if count else "]\n")
        return count
    finally:
        cursor.connection.close()
