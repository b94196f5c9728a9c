"""Time-allocation shares: reading what people type, totals, gaps and the team average."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mhtui.core.catalogue import ALLOCATION_TASK_TYPES

_NUMBER = re.compile(r"^\s*(\d+(?:[.,]\d+)?|[.,]\d+)\s*%?\s*$")
TOLERANCE = 0.01
ASCA_GUIDANCE = (
    "ASCA's guidance for school counselors: at least 80% of time on direct and indirect "
    "services to students, and non-counseling duties as close to 0% as possible."
)
ASCA_STUDENT_SERVICES = 80.0
NON_COUNSELING = "Non-counseling duties"
# The kinds of role a reflection's author chooses from; the guidance follows the kind.
ROLE_KINDS = ("school counselor", "school psychologist", "school social worker", "other")
# The task types that count as direct or indirect services to students, for the ASCA note:
# the table's first five, "Assessment" to "Teacher and school staff support and training".
STUDENT_SERVICES = ALLOCATION_TASK_TYPES[:5]


class ShareError(ValueError):
    pass


def parse_share(text: str) -> float | None:
    """A percentage as typed: '25', '12.5', '12,5', '40%'; empty is None."""
    if not text.strip():
        return None
    match = _NUMBER.match(text)
    if not match:
        raise ShareError(f"{text.strip()[:20]!r} is not a percentage: type a number such as 25 "
                         "or 12.5.")
    value = float(match.group(1).replace(",", "."))
    if value > 100:
        raise ShareError(f"{value:g}% is more than the whole of your time.")
    return value


def try_share(text: str) -> float | None:
    try:
        return parse_share(text)
    except ShareError:
        return None


@dataclass(frozen=True)
class Row:
    task_type: str
    ideal: str
    current: str
    actions: str = ""


def total(values: Iterable[str]) -> float:
    return sum(v for v in (try_share(t) for t in values) if v is not None)


def gap_text(ideal: str, current: str) -> str:
    """Current minus ideal, with an arrow and a sign so it reads without colour."""
    a, b = try_share(ideal), try_share(current)
    if a is None or b is None:
        return ""
    gap = b - a
    if abs(gap) < TOLERANCE:
        return "= 0"
    arrow = "▲" if gap > 0 else "▼"
    return f"{arrow} {gap:+g}"


@dataclass(frozen=True)
class Problem:
    """Why a table cannot be submitted: in one cell (row index, column "ideal" or "now"),
    or in a whole column (row None)."""

    row: int | None
    column: str  # "ideal" or "now", as the form names its columns
    text: str


def table_problems(rows: Sequence[Row]) -> list[Problem]:
    """Why the table cannot be submitted yet, first problem first (empty: it can).

    The rule: the table is optional, so every ideal and now cell may stay empty; once
    any is filled, each column must add up to 100, an empty cell counting as 0.
    """
    problems = []
    for index, row in enumerate(rows):
        for label, value in (("ideal", row.ideal), ("now", row.current)):
            try:
                parse_share(value)
            except ShareError as exc:
                problems.append(Problem(index, label, f"{row.task_type}, {label}: {exc}"))
    if problems:
        return problems
    cells = [r.ideal for r in rows] + [r.current for r in rows]
    if not any(c.strip() for c in cells):
        return []  # the table is optional
    for label, column in (("ideal", [r.ideal for r in rows]),
                          ("now", [r.current for r in rows])):
        column_total = total(column)
        if not math.isclose(column_total, 100, abs_tol=TOLERANCE):
            problems.append(Problem(None, label, f"The {label} column adds up to "
                                                 f"{column_total:g}%, not 100%."))
    return problems


def submit_problems(rows: Sequence[Row]) -> list[str]:
    """Why the table cannot be submitted yet, in words (empty list: it can)."""
    return [p.text for p in table_problems(rows)]


@dataclass(frozen=True)
class Average:
    task_type: str
    ideal: float
    current: float
    count: int

    @property
    def gap(self) -> float:
        return self.current - self.ideal


def averages(tables: Iterable[Sequence[Row]], order: Sequence[str]) -> list[Average]:
    """Mean ideal and current share per task type, over the tables that filled it in."""
    sums: dict[str, list[float]] = {}
    for rows in tables:
        for row in rows:
            a, b = try_share(row.ideal), try_share(row.current)
            if a is None or b is None:
                continue
            entry = sums.setdefault(row.task_type, [0.0, 0.0, 0.0])
            entry[0] += a
            entry[1] += b
            entry[2] += 1
    names = [n for n in order if n in sums] + sorted(n for n in sums if n not in order)
    return [Average(n, sums[n][0] / sums[n][2], sums[n][1] / sums[n][2], int(sums[n][2]))
            for n in names]


def bar(value: float, width: int, glyph: str) -> str:
    """A horizontal bar, `width` cells for 100%."""
    cells = round(max(0.0, min(value, 100.0)) / 100 * width)
    return glyph * cells


def share_of(rows: Sequence[Row], column: str, task_types: Iterable[str]) -> float | None:
    """The share of time on ``task_types`` in one column; None if the column is empty."""
    wanted = set(task_types)
    values = [try_share(getattr(r, column)) for r in rows]
    if all(v is None for v in values):
        return None
    return sum(v or 0.0 for r, v in zip(rows, values, strict=True) if r.task_type in wanted)


def asca_note(rows: Sequence[Row], role_kind: str) -> str:
    """ASCA's guidance and how far the table is from it, for a school counselor; "" for
    other kinds of role (ASCA's figures are for school counselors)."""
    if role_kind != "school counselor":
        return ""
    now = share_of(rows, "current", STUDENT_SERVICES)
    if now is None:
        return ASCA_GUIDANCE + " Fill in the now column to compare."
    gap = ASCA_STUDENT_SERVICES - now
    said = (f"{now:g}% now on services to students, {gap:g} points below ASCA's "
            f"{ASCA_STUDENT_SERVICES:g}%" if gap > TOLERANCE else
            f"{now:g}% now on services to students, at or above ASCA's "
            f"{ASCA_STUDENT_SERVICES:g}%")
    duties = share_of(rows, "current", (NON_COUNSELING,)) or 0.0
    if duties > TOLERANCE:
        said += f"; {duties:g}% now on non-counseling duties (ASCA: as close to 0% as possible)"
    return f"{ASCA_GUIDANCE} {said}."


def role_key(role: str) -> str:
    """What roles are grouped by: case, and spaces around and between words, ignored."""
    return " ".join(role.split()).casefold()
