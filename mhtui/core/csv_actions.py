"""The paper tracker's CSV layout, written and read back.

Reads what Excel and Google Sheets save: UTF-8 with or without a BOM, CRLF line ends,
quoted fields holding commas and newlines, US or ISO dates, status words in any case.
Writes cells a spreadsheet will show as text, never run as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mhtui.core.dates import DateError, parse_calendar_date
from mhtui.core.statuses import Status, StatusError, parse_status
from mhtui.core.tidy import tidy

CREATED, TEXT, STATUS, OWNER, DUE = (
    "Item creation date", "Action item", "Progress tracker", "Who is responsible?",
    "When will it be done?",
)
HEADERS = (CREATED, TEXT, STATUS, OWNER, DUE)
ID = "ID"
MAX_REPORTED_ERRORS = 200

# A spreadsheet runs a cell starting with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ActionRow:
    created_on: date
    text: str
    status: Status
    owner: str = ""
    due_on: date | None = None

    @property
    def key(self) -> tuple[date, str, str, date | None]:
        """What makes two rows the same action, so a second import adds nothing."""
        return (self.created_on, self.text, self.owner, self.due_on)


@dataclass
class ReadReport:
    rows: list[tuple[int, ActionRow]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    error_count: int = 0

    def fail(self, line: int, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append((line, reason))

    @property
    def ok(self) -> bool:
        return self.error_count == 0


def safe_cell(value: str) -> str:
    """Neutralise formulas with a leading apostrophe, which spreadsheets hide.

    A value already starting with an apostrophe gets one more, so reading back (which
    drops one) returns exactly what was written.
    """
    return "'" + value if value.startswith((*_FORMULA_STARTS, "'")) else value


def unsafe_cell(value: str) -> str:
    return value[1:] if value.startswith("'") else value


def write_csv(rows: Iterable[tuple[int | None, ActionRow]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*HEADERS, ID])
    for action_id, row in rows:
        writer.writerow([
            row.created_on.isoformat(), safe_cell(row.text), row.status.value,
            safe_cell(row.owner), row.due_on.isoformat() if row.due_on else "",
            "" if action_id is None else str(action_id),
        ])
    return out.getvalue()


def decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError("This file is UTF-16 text (Excel's 'Unicode Text'). Save the sheet "
                         "as 'CSV UTF-8' and try again.")
    if b"\x00" in data[:65536]:
        raise ValueError("This is a binary file, not a CSV. Save the sheet as CSV and try again.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")  # Excel's "CSV" on Windows, before UTF-8 was default
        except UnicodeDecodeError as exc:
            raise ValueError("The file is not text in UTF-8. Save it as 'CSV UTF-8'.") from exc


def reader(text: str) -> Any:
    """A strict CSV reader: a quote left open to the end of the file is an error, not
    one long cell swallowing every line after it."""
    return csv.reader(io.StringIO(text, newline=""), strict=True)


def csv_problem(error: csv.Error) -> str:
    if "end of data" in str(error):
        return "A quoted cell is never closed: a \" is missing. Nothing was read from here on."
    return f"Not a readable CSV ({error})."


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, fields) for each record; quoted newlines span lines."""
    reader_ = reader(text)
    start = 1
    for record in reader_:
        yield start, record
        start = reader_.line_num + 1


def read_csv(text: str, today: date) -> ReadReport:
    report = ReadReport()
    records = _records(text)
    try:
        header_line, header = next(records)
    except StopIteration:
        report.fail(1, "The file is empty.")
        return report
    except csv.Error as exc:
        report.fail(1, csv_problem(exc))
        return report
    names = [h.strip().lower() for h in header]
    where = {name: names.index(name.lower()) for name in HEADERS if name.lower() in names}
    if TEXT not in where:
        report.fail(header_line, f"No {TEXT!r} column. The first line should name the "
                                 f"columns: {', '.join(HEADERS)}.")
        return report
    try:
        for line, record in records:
            if not any(cell.strip() for cell in record):
                continue
            _read_row(report, line, record, where, today)
    except csv.Error as exc:
        report.fail(line + 1 if "line" in locals() else 2, csv_problem(exc))
    return report


def _read_row(report: ReadReport, line: int, record: list[str], where: dict[str, int],
              today: date) -> None:
    def cell(name: str) -> str:
        index = where.get(name)
        if index is None or index >= len(record):
            return ""
        return unsafe_cell(tidy(record[index]))

    text = cell(TEXT).strip()
    if not text:
        report.fail(line, f"{TEXT!r} is empty: every action needs a description.")
        return
    problems = []
    created: date = today
    due: date | None = None
    status = Status.NOT_STARTED
    try:
        if cell(CREATED).strip():
            created = parse_calendar_date(cell(CREATED))
    except DateError as exc:
        problems.append(f"{CREATED!r}: {exc}")
    try:
        if cell(DUE).strip():
            due = parse_calendar_date(cell(DUE))
    except DateError as exc:
        problems.append(f"{DUE!r}: {exc}")
    try:
        status = parse_status(cell(STATUS))
    except StatusError as exc:
        problems.append(f"{STATUS!r}: {exc}")
    if problems:
        report.fail(line, "; ".join(p.rstrip(".") for p in problems) + ".")
        return
    report.rows.append((line, ActionRow(created, text, status, cell(OWNER).strip(), due)))
