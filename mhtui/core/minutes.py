"""The minutes of a check-in, as Markdown that reads well pasted into an email."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from mhtui.core.wording import clock_text, long_date


@dataclass(frozen=True)
class ItemRecord:
    title: str
    planned_seconds: float
    spent_seconds: float
    notes: str


@dataclass(frozen=True)
class ActionRecord:
    number: int
    text: str
    owner: str
    due: date | None
    status: str


@dataclass(frozen=True)
class ChangeRecord:
    number: int
    text: str
    old: str
    new: str


@dataclass(frozen=True)
class ReviewRecord:
    number: int
    text: str
    owner: str
    then: str
    now: str


@dataclass(frozen=True)
class Minutes:
    team: str
    held: datetime
    state: str
    attendees: list[tuple[str, str]]
    items: list[ItemRecord]
    created: list[ActionRecord]
    changes: list[ChangeRecord]
    reviewed: list[ReviewRecord]
    carried: list[ActionRecord]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def over_text(planned: float, spent: float) -> str:
    over = spent - planned
    return f"+{clock_text(over)} over" if over >= 1 else "on time"


def render(m: Minutes) -> str:
    held = m.held.astimezone()
    lines = [f"# Check-in minutes: {m.team}", "",
             f"{long_date(held.date())}, {held:%H:%M}"
             + ("" if m.state == "ended" else " (not ended yet)"), ""]
    if m.attendees:
        people = ", ".join(f"{n} ({r})" if r else n for n, r in m.attendees)
        lines += [f"Attendees: {people}", ""]
    planned = sum(i.planned_seconds for i in m.items)
    spent = sum(i.spent_seconds for i in m.items)
    lines += ["## Time", "", "| Item | Planned | Actual | |", "|---|---:|---:|---|"]
    for number, item in enumerate(m.items, start=1):
        lines.append(f"| {number}. {_one_line(item.title)} | {clock_text(item.planned_seconds)}"
                     f" | {clock_text(item.spent_seconds)} | "
                     f"{over_text(item.planned_seconds, item.spent_seconds)} |")
    lines += [f"| Total | {clock_text(planned)} | {clock_text(spent)} | "
              f"{over_text(planned, spent)} |", "", "## Notes", ""]
    for number, item in enumerate(m.items, start=1):
        lines += [f"### {number}. {_one_line(item.title)}", ""]
        lines += [item.notes.strip() or "_No notes._", ""]
    lines += ["## Actions reviewed", ""]
    if m.reviewed:
        lines += ["| # | Action | Owner | Status then | Status now |", "|---|---|---|---|---|"]
        lines += [f"| {r.number} | {_cell(r.text)} | {_cell(r.owner) or '—'} | {r.then} | "
                  f"{r.now} |" for r in m.reviewed]
    else:
        lines.append("_No open actions from earlier check-ins._")
    lines += ["", "## Actions set in this check-in", ""]
    if m.created:
        for a in m.created:
            due = f", due {a.due.isoformat()}" if a.due else ""
            owner = a.owner or "no owner yet"
            lines.append(f"- #{a.number} {_one_line(a.text)} ({owner}{due}; {a.status})")
    else:
        lines.append("_None._")
    lines += ["", "## Status changes made in this check-in", ""]
    if m.changes:
        lines += [f"- #{c.number} {_one_line(c.text)}: {c.old} → {c.new}" for c in m.changes]
    else:
        lines.append("_None._")
    lines += ["", "## Open actions carried into the next check-in", ""]
    if m.carried:
        for a in m.carried:
            due = f", due {a.due.isoformat()}" if a.due else ""
            lines.append(f"- #{a.number} {_one_line(a.text)} ({a.owner or 'no owner yet'}{due}; "
                         f"{a.status})")
    else:
        lines.append("_None: every action is completed or abandoned._")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return _one_line(text).replace("|", "\\|")
