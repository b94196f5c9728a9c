"""The trend across check-ins: per period between check-ins, how many reflections came in
and the team's mean share of time on services to students and on non-counseling duties,
ideal against now. Pure: the figures come in, CSV, JSON and Markdown go out."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from statistics import fmean

from mhtui.core.allocation import NON_COUNSELING, STUDENT_SERVICES, Row, share_of


@dataclass(frozen=True)
class TrendPoint:
    """One period: from the end of a check-in (start) to the end of the next (end);
    None at either end is open (before the first check-in, since the last)."""

    start: date | None
    end: date | None
    reflections: int
    tables: int  # of those, how many filled in the time table
    ideal_services: float | None  # team means, in percent; None: no table
    now_services: float | None
    ideal_duties: float | None
    now_duties: float | None
    # Why a figure is missing or partial when anonymity asks it (store/reflections/anonymity.py):
    # "fewer than 3: not shown", or anonymous tables left out; "" otherwise.
    note: str = ""

    @property
    def label(self) -> str:
        if self.start is None and self.end is None:
            return "all reflections"
        if self.start is None:
            return f"to {self.end}"
        if self.end is None:
            return f"since {self.start}"
        return f"{self.start} to {self.end}"


def point(start: date | None, end: date | None, tables: Sequence[Sequence[Row]],
          reflections: int) -> TrendPoint:
    """The period's figures from the time tables of its reflections (empty ones skipped)."""
    def mean(column: str, kinds: Sequence[str]) -> float | None:
        shares = [s for s in (share_of(t, column, kinds) for t in tables) if s is not None]
        return round(fmean(shares), 1) if shares else None

    filled = sum(1 for t in tables if share_of(t, "current", STUDENT_SERVICES) is not None)
    return TrendPoint(start, end, reflections, filled,
                      mean("ideal", STUDENT_SERVICES), mean("current", STUDENT_SERVICES),
                      mean("ideal", (NON_COUNSELING,)), mean("current", (NON_COUNSELING,)))


HEADER = ("period", "from", "to", "reflections", "with time table",
          "ideal % services to students", "now % services to students",
          "ideal % non-counseling duties", "now % non-counseling duties", "note")


def _figure(value: float | None, note: str = "") -> str:
    """The figure, or else why it is not there ("fewer than 3: not shown")."""
    return note if value is None else f"{value:g}"


def _cells(p: TrendPoint) -> list[str]:
    return [p.label, p.start.isoformat() if p.start else "",
            p.end.isoformat() if p.end else "", str(p.reflections), str(p.tables),
            *(_figure(v, p.note) for v in (p.ideal_services, p.now_services,
                                           p.ideal_duties, p.now_duties)), p.note]


def to_csv(points: Sequence[TrendPoint]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(_cells(p) for p in points)
    return out.getvalue()


def to_json(team: str, points: Sequence[TrendPoint]) -> str:
    return json.dumps({"team": team, "periods": [{
        "from": p.start.isoformat() if p.start else None,
        "to": p.end.isoformat() if p.end else None,
        "reflections": p.reflections, "with_time_table": p.tables,
        "services_to_students": {"ideal": p.ideal_services, "now": p.now_services},
        "non_counseling_duties": {"ideal": p.ideal_duties, "now": p.now_duties},
        "note": p.note,
    } for p in points]}, indent=2, ensure_ascii=False) + "\n"


def to_markdown(team: str, points: Sequence[TrendPoint]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|") or "—"

    lines = [f"# Trend: {team}", "",
             "Per period between check-ins: how many reflections came in, and the team's "
             "mean share of time (percent), ideal against now.", "",
             "| Period | Reflections | With time table | Services to students, ideal | "
             "Services to students, now | Non-counseling duties, ideal | "
             "Non-counseling duties, now | Note |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    for p in points:
        lines.append("| " + " | ".join(cell(c) for c in (_cells(p)[0], *_cells(p)[3:]))
                     + " |")
    return "\n".join(lines) + "\n"
