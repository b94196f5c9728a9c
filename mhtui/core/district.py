"""The district's view across schools: the read models, how barriers are matched across
schools, and the figures as CSV, JSON and Markdown. Pure: the store fills the models.

Barriers recur across schools in two ways, both explainable in one sentence:
- by task type: a reflection whose time table gives a task type at least ``OVER_POINTS``
  percentage points more of the person's time now than their ideal (time going where
  they think it should not) reports that task type as a barrier;
- by the same words: a barrier answer is cut into items (at line breaks, semicolons and
  the ends of sentences), and two items are the same barrier when they are equal once
  case, accents, punctuation and spacing are set aside.
A theme recurs when two or more schools report it; it is shown with the roles that
reported it (the kind of role, or the role's name when no kind was chosen).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from mhtui.core.csv_actions import BOM, safe_cell
from mhtui.core.folding import fold
from mhtui.core.statuses import Status

OVER_POINTS = 10.0  # a task type this much over the ideal counts as a barrier
PERIOD_DAYS = (90, 30, 180, 365)  # the periods the view cycles through; the first is default
HIDDEN_ROLE = "role not shown"  # an anonymous answer in a role with under 3 reflections
BY_TASK_TYPE = "task type"
BY_WORDS = "same words"

_ITEM_BREAK = re.compile(r"[\n;]+|(?<=[.!?])\s+")
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class SchoolFigures:
    """One school (team) over the period."""

    team_id: int
    name: str
    by_status: Mapping[Status, int]
    overdue: int
    held: int  # check-ins ended in the period
    expected: int | None  # by the team's schedule in the period; None: no schedule
    schedule: str  # the schedule in words; "" when none is set
    reflections: int  # submitted in the period
    ideal_services: float | None  # mean % of time on services to students; None: no table
    now_services: float | None
    tables: int  # reflections of the period with a filled-in time table
    constrained_roles: tuple[str, ...]
    tasks_nobody: tuple[str, ...]  # tasks assessed on the grid that no role can do now
    tasks_unassessed: int  # tasks with no cell marked at all
    # The school's grid is not shown to this login (staff on a district's server): the
    # three capacity figures above are empty for that reason, not because none is marked.
    grid_hidden: bool = False
    # Why the shares are missing or partial when anonymity asks it (store/reflections/anonymity.py).
    note: str = ""

    @property
    def actions(self) -> int:
        return sum(self.by_status.values())

    @property
    def gap(self) -> float | None:
        """Mean share of time on services to students now, minus the ideal (points)."""
        if self.ideal_services is None or self.now_services is None:
            return None
        return round(self.now_services - self.ideal_services, 1)


@dataclass(frozen=True)
class RoleReport:
    """Who reported a recurring barrier: a role, in which schools, by how many."""

    role: str
    schools: tuple[str, ...]
    reflections: int
    over: float | None  # by task type: mean points over the ideal; None for words
    note: str = ""  # why ``over`` is missing or partial when anonymity asks it


@dataclass(frozen=True)
class RecurringBarrier:
    kind: str  # BY_TASK_TYPE or BY_WORDS
    theme: str  # the task type, or the words as first written
    schools: tuple[str, ...]
    roles: tuple[RoleReport, ...]


@dataclass(frozen=True)
class DistrictView:
    start: date  # first day of the period
    end: date  # today
    schools: tuple[SchoolFigures, ...]
    barriers: tuple[RecurringBarrier, ...]

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def barrier_items(text: str) -> list[str]:
    """A barrier answer cut into items: at line breaks, semicolons and sentence ends."""
    return [item.strip(" \t-•*") for item in _ITEM_BREAK.split(text)
            if len(barrier_key(item)) >= 3]


def barrier_key(item: str) -> str:
    """What items are matched by: folded case and accents, no punctuation, one space."""
    return " ".join(_NOT_WORD.sub(" ", fold(item)).split())


def shown_item(item: str) -> str:
    """An item as shown: one line, without the full stop that ended its sentence."""
    return " ".join(item.split()).rstrip(".")


# --- the figures as text --------------------------------------------------------------


def figure(value: float | None, signed: bool = False) -> str:
    if value is None:
        return ""
    return f"{value:+g}" if signed else f"{value:g}"


def checkins_text(school: SchoolFigures) -> str:
    if school.expected is None:
        return f"{school.held} held, no schedule"
    return f"{school.held} of {school.expected}"


SCHOOL_HEADER = (
    "School", *(s.value for s in Status), "Overdue", "Check-ins held", "Check-ins expected",
    "Schedule", "Reflections", "With time table", "Ideal % services to students",
    "Now % services to students", "Gap (points)", "Capacity-constrained roles",
    "Tasks no role can do now", "Tasks not assessed",
)
BARRIER_HEADER = ("Recurring barrier", "Matched by", "Schools", "Role", "Schools of the role",
                  "Reflections", "Points over the ideal")


def _school_cells(s: SchoolFigures) -> list[str]:
    return [safe_cell(s.name), *(str(s.by_status.get(st, 0)) for st in Status),
            str(s.overdue), str(s.held), "" if s.expected is None else str(s.expected),
            s.schedule, str(s.reflections), str(s.tables),
            figure(s.ideal_services) or s.note, figure(s.now_services) or s.note,
            figure(s.gap, signed=True) or s.note,
            safe_cell("; ".join(s.constrained_roles)), safe_cell("; ".join(s.tasks_nobody)),
            str(s.tasks_unassessed)]


def to_csv(view: DistrictView) -> str:
    """Two tables in one file that opens in Excel (a BOM, CRLF): the schools, then the
    recurring barriers, one row per role, after an empty row."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(SCHOOL_HEADER)
    writer.writerows(_school_cells(s) for s in view.schools)
    writer.writerow([])
    writer.writerow(BARRIER_HEADER)
    for barrier in view.barriers:
        for role in barrier.roles:
            writer.writerow([safe_cell(barrier.theme), barrier.kind,
                             safe_cell("; ".join(barrier.schools)), safe_cell(role.role),
                             safe_cell("; ".join(role.schools)), str(role.reflections),
                             figure(role.over, signed=True) or role.note])
    return out.getvalue()


def to_json(view: DistrictView) -> str:
    return json.dumps({
        "period": {"from": view.start.isoformat(), "to": view.end.isoformat()},
        "schools": [{
            "team_id": s.team_id, "school": s.name,
            "actions": {st.value: s.by_status.get(st, 0) for st in Status},
            "overdue": s.overdue,
            "checkins": {"held": s.held, "expected": s.expected, "schedule": s.schedule},
            "reflections": s.reflections, "with_time_table": s.tables,
            "services_to_students": {"ideal": s.ideal_services, "now": s.now_services,
                                     "gap": s.gap, "note": s.note},
            "capacity_constrained_roles": list(s.constrained_roles),
            "tasks_no_role_can_do_now": list(s.tasks_nobody),
            "tasks_not_assessed": s.tasks_unassessed,
        } for s in view.schools],
        "recurring_barriers": [{
            "barrier": b.theme, "matched_by": b.kind, "schools": list(b.schools),
            "roles": [{"role": r.role, "schools": list(r.schools),
                       "reflections": r.reflections, "points_over_ideal": r.over,
                       "note": r.note}
                      for r in b.roles],
        } for b in view.barriers],
    }, indent=2, ensure_ascii=False) + "\n"


def _md(text: str) -> str:
    """A table cell: one line, pipes escaped, never empty."""
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|") or "—"


def to_markdown(view: DistrictView) -> str:
    lines = [f"# District: {len(view.schools)} schools, {view.start} to {view.end}", "",
             "## Schools", "",
             "| School | " + " | ".join(f"{s.symbol} {s.short}" for s in Status)
             + " | Overdue | Check-ins held | Reflections | Services to students, ideal "
               "→ now (gap) |",
             "|---|" + "---:|" * len(Status) + "---:|---|---:|---|"]
    for s in view.schools:
        services = (f"{figure(s.ideal_services)}% → {figure(s.now_services)}% "
                    f"({figure(s.gap, signed=True)})" if s.gap is not None else s.note or "—")
        lines.append("| " + " | ".join([
            _md(s.name), *(str(s.by_status.get(st, 0)) for st in Status), str(s.overdue),
            checkins_text(s), str(s.reflections), services]) + " |")
    lines += ["", "## Capacity flags", "",
              "| School | Capacity-constrained roles | Tasks no role can do now | "
              "Tasks not assessed |", "|---|---|---|---:|"]
    for s in view.schools:
        lines.append(f"| {_md(s.name)} | {_md('; '.join(s.constrained_roles))} | "
                     f"{_md('; '.join(s.tasks_nobody))} | {s.tasks_unassessed} |")
    lines += ["", "## Barriers that recur across schools", ""]
    if not view.barriers:
        lines.append("No barrier is reported by two or more schools in this period.")
    else:
        lines += ["| Barrier | Matched by | Role | Schools | Reflections | Points over the "
                  "ideal |", "|---|---|---|---|---:|---:|"]
        for b in view.barriers:
            for index, r in enumerate(b.roles):
                theme = _md(b.theme) if index == 0 else ""
                kind = b.kind if index == 0 else ""
                lines.append(f"| {theme} | {kind} | {_md(r.role)} | "
                             f"{_md('; '.join(r.schools))} | {r.reflections} | "
                             f"{figure(r.over, signed=True) or r.note or '—'} |")
    lines += ["", f"A task type is a barrier for a reflection when it takes at least "
                  f"{OVER_POINTS:g} points more of the time now than the ideal; the same "
                  "words are matched ignoring case, accents, punctuation and spacing. An "
                  "anonymous answer is counted under its kind of role only where at least 3 "
                  f"anonymous answers at its school share it, otherwise as '{HIDDEN_ROLE}'; "
                  "a figure of a group holding an anonymous answer is shown only from 3 "
                  "reflections, and leaves anonymous time tables out."]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Report:
    """One reflection reporting one theme (a reflection reports a theme at most once)."""

    kind: str  # BY_TASK_TYPE or BY_WORDS
    key: str  # what themes are matched by
    shown: str  # the theme as written
    school: str
    role: str  # the role kind or name, or HIDDEN_ROLE
    over: float | None = None  # by task type: points over the ideal
    anonymous: bool = False


# A mean from (anonymous, value) pairs, the group's reflections and its anonymous ones:
# the value (None: not shown) and why; the store's anonymity rule.
Pool = Callable[[Sequence[tuple[bool, float]], int, int], tuple[float | None, str]]


def _plain_mean(values: Sequence[tuple[bool, float]], _n: int, _a: int
                ) -> tuple[float | None, str]:
    return (sum(v for _, v in values) / len(values) if values else None), ""


def recurring(reports: Sequence[Report], school_order: Sequence[str],
              pool: Pool = _plain_mean) -> tuple[RecurringBarrier, ...]:
    """The themes two or more schools report, most schools first; each with its roles,
    those in most schools first ('role not shown' last); a role's points over the ideal
    are its reports' mean as ``pool`` allows."""
    rank = {name: index for index, name in enumerate(school_order)}
    themes: dict[tuple[str, str], list[Report]] = {}
    for report in reports:
        themes.setdefault((report.kind, report.key), []).append(report)
    found = []
    for (kind, _), group in themes.items():
        schools = sorted({r.school for r in group}, key=lambda n: rank.get(n, len(rank)))
        if len(schools) < 2:
            continue
        by_role: dict[str, list[Report]] = {}
        for report in group:
            by_role.setdefault(report.role, []).append(report)
        roles = []
        for role, mine in by_role.items():
            overs = [(r.anonymous, r.over) for r in mine if r.over is not None]
            over, note = pool(overs, len(mine), sum(r.anonymous for r in mine)) if overs \
                else (None, "")
            roles.append(RoleReport(
                role, tuple(sorted({r.school for r in mine},
                                   key=lambda n: rank.get(n, len(rank)))),
                len(mine), None if over is None else round(over, 1), note))
        roles.sort(key=lambda r: (r.role == HIDDEN_ROLE, -len(r.schools), r.role.casefold()))
        found.append(RecurringBarrier(kind, group[0].shown, tuple(schools), tuple(roles)))
    found.sort(key=lambda b: (-len(b.schools), b.kind != BY_TASK_TYPE, b.theme.casefold()))
    return tuple(found)
