"""The paper tracker's CSV layout, written and read back.

Reads what Excel, LibreOffice and Google Sheets save: UTF-8 with or without a BOM, or
Windows-1252; commas, semicolons or tabs between cells; CRLF line ends; quoted fields
holding commas and newlines; columns named as on paper or the usual way ("Status",
"Owner", "Due date"); dates as spreadsheets write them; status words in any case.
Writes, row by row, a UTF-8 file with a byte-order mark (so Excel reads the names right),
each action's ID and version, and cells a spreadsheet shows as text, never runs as a
formula.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import islice
from operator import attrgetter, call
from typing import Any, Literal, NamedTuple, TextIO

from mhtui.core.dates import DateError, parse_sheet_date
from mhtui.core.statuses import Status, StatusError, parse_status
from mhtui.core.tidy import tidy

CREATED, TEXT, STATUS, OWNER, DUE = (
    "Item creation date", "Action item", "Progress tracker", "Who is responsible?",
    "When will it be done?",
)


@dataclass(frozen=True)
class Column:
    """One of an action's columns in its files. A new column on actions is one row of
    COLUMNS: the CSV and JSON writers here, the reader, the fast export's SELECTs
    (store/actions/export_fast.py), the import and export (store/actions/action_io.py)
    and the comparison with a file (store/actions/action_sync.py) all read the table,
    in its order."""

    header: str  # the CSV heading, as on the paper tracker
    attr: str  # the attribute on Action, ActionRow and ExportRow: also the SQL column
    json: str  # the key in the JSON export
    kind: Literal["text", "date", "status"]  # text is tidied and made safe for spreadsheets
    # Other names it is read by, compared without case, spaces, underscores or punctuation
    # ("Due date", "due_date", "DUE-DATE" are one name).
    aliases: tuple[str, ...]
    key: bool = True  # part of what makes two rows the same action (ActionRow.key)
    synced: bool = True  # an edited export's row with an ID changes it (action_sync)


COLUMNS = (
    Column(CREATED, "created_on", "created", "date",
           ("itemcreationdate", "created", "createdon", "createdat", "creationdate",
            "datecreated", "createddate", "dateadded", "added", "date"), synced=False),
    Column(TEXT, "text", "action", "text",
           ("actionitem", "action", "actions", "actionitems", "description", "text", "item",
            "task")),
    Column(STATUS, "status", "status", "status",
           ("progresstracker", "status", "progress", "state"), key=False),
    Column(OWNER, "owner", "owner", "text",
           ("whoisresponsible", "owner", "owners", "responsible", "who", "assignedto",
            "assignee", "personresponsible", "responsibleperson")),
    Column(DUE, "due_on", "due", "date",
           ("whenwillitbedone", "due", "duedate", "dueon", "dueby", "deadline", "targetdate",
            "when", "by")),
)
HEADERS = tuple(c.header for c in COLUMNS)
ID, VERSION, SHIFT_PLAN = "ID", "Version", "Shift plan"
EXPORT_HEADERS = (*HEADERS, ID, VERSION, SHIFT_PLAN)
BOM = "\ufeff"
_BATCH = 1000  # rows written to the file at once by the export

_NAMES = {**{c.header: c.aliases for c in COLUMNS},
          ID: ("id", "actionid", "number", "no", "num"), VERSION: ("version",)}
_CANONICAL = {alias: name for name, aliases in _NAMES.items() for alias in aliases}
KEY = tuple(c for c in COLUMNS if c.key)
MAX_REPORTED_ERRORS = 200

# A spreadsheet runs a cell starting with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_RISKY = (*_FORMULA_STARTS, "'")  # what safe_cell puts a quote before


@dataclass(frozen=True)
class ActionRow:
    # COLUMNS' attributes, in its order (tests/test_action_columns.py checks), then:
    created_on: date
    text: str
    status: Status
    owner: str = ""
    due_on: date | None = None
    action_id: int | None = None  # the ID column: this row updates that action
    version: int | None = None  # the version it was exported at, if the file says

    @property
    def key(self) -> tuple[object, ...]:
        """What makes two rows the same action, so a second import adds nothing."""
        return tuple(getattr(self, c.attr) for c in KEY)

    @classmethod
    def of(cls, action: object) -> ActionRow:
        """The row of an action as the store holds it (status as its word)."""
        values: dict[str, Any] = {c.attr: getattr(action, c.attr) for c in COLUMNS}
        values.update((c.attr, Status(values[c.attr])) for c in COLUMNS if c.kind == "status")
        return cls(**values)

    def tidied(self) -> ActionRow:
        """The row with its text cells tidied (core/tidy.py), as they are stored."""
        text: dict[str, Any] = {c.attr: tidy(getattr(self, c.attr)) for c in COLUMNS
                                if c.kind == "text"}
        return replace(self, **text)

    def values(self) -> dict[str, object]:
        """{attribute: value} as the database stores it (status as its word)."""
        return {c.attr: getattr(self, c.attr).value if c.kind == "status"
                else getattr(self, c.attr) for c in COLUMNS}


@dataclass
class ReadReport:
    rows: list[tuple[int, ActionRow]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    error_count: int = 0
    columns: frozenset[str] = frozenset()  # the paper columns (and ID, Version) found
    unused: list[str] = field(default_factory=list)  # other columns, as the file names them
    delimiter: str = ","

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
    return "'" + value if value.startswith(_RISKY) else value


def unsafe_cell(value: str) -> str:
    return value[1:] if value.startswith("'") else value


class ExportRow(NamedTuple):
    """One action as the export writes it (CSV and JSON): a tuple, made fast 100,000
    times."""

    id: int
    version: int
    # COLUMNS' attributes, in its order (tests/test_action_columns.py checks)
    created_on: date
    text: str
    status: str  # a Status value
    owner: str
    due_on: date | None
    meeting_id: int | None
    shift_plan_id: int | None
    shift_plan_task: str | None  # the task the plan shifts; None when not from a plan

    @property
    def shift_plan(self) -> str:
        if self.shift_plan_id is None:
            return ""
        return f"plan {self.shift_plan_id}: {self.shift_plan_task or ''}".rstrip(": ")


def stream_csv(rows: Iterable[ExportRow], out: TextIO) -> int:
    """Write the export to ``out`` row by row (a BOM first); returns the rows written."""
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_HEADERS)
    count = 0

    def record(r: ExportRow) -> tuple[object, ...]:
        nonlocal count
        count += 1
        return (*csv_cells(r), r.id, r.version,
                "" if r.shift_plan_id is None else safe_cell(r.shift_plan))

    # Rows go to a buffer in C and reach ``out`` a batch at a time: one write per row
    # through the text layer cost a third.
    buffer = io.StringIO()
    batch_writer = csv.writer(buffer, lineterminator="\r\n")
    records = map(record, rows)
    while batch := list(islice(records, _BATCH)):
        batch_writer.writerows(batch)
        out.write(buffer.getvalue())
        buffer.seek(0)
        buffer.truncate()
    return count


def json_cells(action: object) -> dict[str, object]:
    """An action's COLUMNS as JSON has them ({key: value}, dates ISO): the export's and
    `actions list`'s (an ExportRow or the store's ActionItem)."""
    return {c.json: _iso(getattr(action, c.attr)) if c.kind == "date"
            else getattr(action, c.attr) for c in COLUMNS}


def json_record(r: ExportRow) -> dict[str, object]:
    return {
        "id": r.id, "version": r.version, **json_cells(r), "meeting_id": r.meeting_id,
        "shift_plan": None if r.shift_plan_id is None
        else {"id": r.shift_plan_id, "task": r.shift_plan_task or ""},
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def stream_json(rows: Iterable[ExportRow], out: TextIO) -> int:
    """A JSON array written one action per line, never held whole in memory."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    out.write("[")
    count = 0
    records = map(json_record, rows)
    while batch := list(islice(records, _BATCH)):
        out.write(("\n  " if count == 0 else ",\n  ") + ",\n  ".join(map(encode, batch)))
        count += len(batch)
    out.write("\n]\n" if count else "]\n")
    return count


def write_csv(rows: Iterable[tuple[int | None, ActionRow]]) -> str:
    """The paper columns and ID, as text (no BOM: for `actions list` and tests)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*HEADERS, ID])
    for action_id, row in rows:
        writer.writerow([*csv_cells(row), "" if action_id is None else str(action_id)])
    return out.getvalue()


# How a cell of each kind is written: text safe for spreadsheets, a date ISO (or empty).
_CSV_CELL: dict[str, Callable[[Any], str]] = {
    "text": safe_cell, "date": lambda v: _iso(v) or "", "status": str}
_CSV_WRITERS = [_CSV_CELL[c.kind] for c in COLUMNS]
_ATTRS = attrgetter(*(c.attr for c in COLUMNS))


def csv_cells(action: ActionRow | ExportRow) -> list[str]:
    """An action's COLUMNS as the CSV files write them (the export, `actions list`)."""
    return list(map(call, _CSV_WRITERS, _ATTRS(action)))


def decoded(data: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was read in: "UTF-8" or "Windows-1252"."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError("This file is UTF-16 text (Excel's 'Unicode Text'). Save the sheet "
                         "as 'CSV UTF-8' and try again.")
    if b"\x00" in data[:65536]:
        raise ValueError("This is a binary file, not a CSV. Save the sheet as CSV and try again.")
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError as utf8:
        try:
            # Excel's "CSV" on Windows and LibreOffice's default: Windows-1252.
            return data.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError:
            at = utf8.start
            raise ValueError(
                f"Its characters cannot be read: byte {at + 1} (0x{data[at]:02X}) is neither "
                "UTF-8 nor Windows-1252. Save the sheet as 'CSV UTF-8' (in LibreOffice: "
                "Character set 'Unicode (UTF-8)').") from None


# The codec of each encoding decoded() reports.
CODECS = {"UTF-8": "utf-8", "Windows-1252": "cp1252"}


def lost_only(stored: str, read: str, encoding: str) -> bool:
    """Whether ``read`` differs from ``stored`` only by the letters a file in
    ``encoding`` cannot hold, each saved as "?" (Excel's "CSV" on Windows saves
    "Nguyễn" as "Nguy?n"): then nobody changed it."""
    codec = CODECS.get(encoding, "utf-8")
    return read != stored and stored.encode(codec, "replace").decode(codec) == read


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon (European Excel, LibreOffice) or tab, as the header line uses."""
    first = text.lstrip(BOM).split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def column_name(name: str) -> str | None:
    """The column a header names (one of HEADERS, ID or VERSION), or None."""
    flat = name.strip().casefold()
    if flat == "#":
        return ID
    return _CANONICAL.get(re.sub(r"[\W_]+", "", flat))


def reader(text: str, delimiter: str = ",") -> Any:
    """A strict CSV reader: a quote left open to the end of the file is an error, not
    one long cell swallowing every line after it."""
    return csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=delimiter)


def csv_problem(error: csv.Error) -> str:
    if "end of data" in str(error):
        return "A quoted cell is never closed: a \" is missing. Nothing was read from here on."
    return f"Not a readable CSV ({error})."


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, fields) for each record; quoted newlines span lines."""
    reader_ = reader(text, delimiter)
    start = 1
    for record in reader_:
        yield start, record
        start = reader_.line_num + 1


def read_csv(text: str, today: date, *, day_first: bool = False) -> ReadReport:
    text = text.removeprefix(BOM)
    report = ReadReport(delimiter=sniff_delimiter(text))
    records = _records(text, report.delimiter)
    try:
        header_line, header = next(records)
    except StopIteration:
        report.fail(1, "The file is empty.")
        return report
    except csv.Error as exc:
        report.fail(1, csv_problem(exc))
        return report
    where: dict[str, int] = {}
    for index, heading in enumerate(header):
        name = column_name(heading)
        if name is None or name in where:
            if heading.strip():
                report.unused.append(heading.strip())
        else:
            where[name] = index
    report.columns = frozenset(where)
    if TEXT not in where:
        report.fail(header_line, f"No {TEXT!r} column (nor 'Action'). The first line "
                                 f"should name the columns: {', '.join(HEADERS)}.")
        return report
    try:
        for line, record in records:
            if not any(cell.strip() for cell in record):
                continue
            _read_row(report, line, record, where, today, day_first)
    except csv.Error as exc:
        report.fail(line + 1 if "line" in locals() else 2, csv_problem(exc))
    return report


def _whole(value: str, what: str) -> int:
    digits = value.strip().lstrip("#")
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 18:
        raise ValueError(f"{what} {value.strip()[:20]!r} is not a whole number")
    return int(digits)


def _read_row(report: ReadReport, line: int, record: list[str], where: dict[str, int],
              today: date, day_first: bool) -> None:
    def cell(name: str) -> str:
        index = where.get(name)
        if index is None or index >= len(record):
            return ""
        return unsafe_cell(tidy(record[index]))

    if not cell(TEXT).strip():
        report.fail(line, f"{TEXT!r} is empty: every action needs a description.")
        return
    problems: list[str] = []
    values: dict[str, Any] = {}

    def read(columns: Iterable[Column]) -> None:
        for c in columns:
            try:
                values[c.attr] = _value(c, cell(c.header), day_first)
            except (DateError, StatusError) as exc:
                problems.append(f"{c.header!r}: {exc}")

    # The problems are told in this order: dates, the ID and version, statuses.
    read(c for c in COLUMNS if c.kind != "status")
    action_id = version = None
    try:
        if cell(ID).strip():
            action_id = _whole(cell(ID), ID)
        if cell(VERSION).strip():
            version = _whole(cell(VERSION), VERSION)
    except ValueError as exc:
        problems.append(str(exc))
    read(c for c in COLUMNS if c.kind == "status")
    if problems:
        report.fail(line, "; ".join(p.rstrip(".") for p in problems) + ".")
        return
    values["created_on"] = values["created_on"] or today  # a row without one: added today
    report.rows.append((line, ActionRow(**values, action_id=action_id, version=version)))


def _value(column: Column, raw: str, day_first: bool) -> object:
    """A cell's value as its column's kind reads it (an empty date is None, an empty
    status "not started"); DateError or StatusError when it is not one."""
    if column.kind == "text":
        return raw.strip()
    if column.kind == "status":
        return parse_status(raw)
    return parse_sheet_date(raw, day_first=day_first) if raw.strip() else None
