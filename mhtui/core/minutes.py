"""The minutes of a check-in, as Markdown that reads well pasted into an email."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from mhtui.core.wording import clock_text, long_date


@dataclass(frozen=True)
class ItemRecord:
    title: str
    planned_seconds: float
    spent_seconds: float
    notes: str
    # What the clock had counted when the time was corrected by hand; None: never was.
    by_clock: float | None = None


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
    started: datetime | None = None
    ended: datetime | None = None
    absent: list[tuple[str, str]] = field(default_factory=list)
    next_at: datetime | None = None  # the next check-in from the team's schedule
    next_place: str = ""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def over_text(planned: float, spent: float) -> str:
    over = spent - planned
    return f"+{clock_text(over)} over" if over >= 1 else "on time"


def _people(people: list[tuple[str, str]]) -> str:
    return ", ".join(f"{_one_line(n)} ({_one_line(r)})" if r.strip() else _one_line(n)
                     for n, r in people)


def when_line(m: Minutes) -> str:
    """The day, the start and the end: "Wed 25 Nov 2026, 15:02 to 16:07"."""
    begin = (m.started or m.held).astimezone()
    line = f"{long_date(begin.date())}, {begin:%H:%M}"
    if m.state != "ended" or m.ended is None:
        return line + " (not ended yet)"
    end = m.ended.astimezone()
    return line + (f" to {end:%H:%M}" if end.date() == begin.date()
                   else f" to {long_date(end.date())}, {end:%H:%M}")


def next_line(m: Minutes) -> str:
    if m.next_at is None:
        return "Not scheduled yet."
    at = m.next_at
    place = f", {_one_line(m.next_place)}" if m.next_place.strip() else ""
    return f"{long_date(at.date())} at {at:%H:%M}{place}"


def _corrected(item: ItemRecord) -> str:
    if item.by_clock is None:
        return ""
    return f" (corrected by hand; the clock said {clock_text(item.by_clock)})"


def render(m: Minutes) -> str:
    lines = [f"# Check-in minutes: {_one_line(m.team)}", "", when_line(m), ""]
    lines += [f"Attended: {_people(m.attendees) or 'not recorded'}  "]
    if m.absent:
        lines += [f"Did not attend: {_people(m.absent)}  "]
    lines += [f"Next check-in: {next_line(m)}", ""]
    planned = sum(i.planned_seconds for i in m.items)
    spent = sum(i.spent_seconds for i in m.items)
    lines += ["## Time", "", "| Item | Planned | Actual | |", "|---|---:|---:|---|"]
    for number, item in enumerate(m.items, start=1):
        lines.append(f"| {number}. {_cell(item.title)} | {clock_text(item.planned_seconds)}"
                     f" | {clock_text(item.spent_seconds)} | "
                     f"{over_text(item.planned_seconds, item.spent_seconds)}"
                     f"{_corrected(item)} |")
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
    lines += [_action_line(a) for a in m.created] or ["_None._"]
    lines += ["", "## Status changes made in this check-in", ""]
    lines += [f"- #{c.number} {_one_line(c.text)}: {c.old} → {c.new}"
              for c in m.changes] or ["_None._"]
    lines += ["", "## Open actions carried into the next check-in", ""]
    lines += [_action_line(a) for a in m.carried] or [
        "_None: every action is completed or abandoned._"]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return _one_line(text).replace("|", "\\|")


def render_text(m: Minutes) -> str:
    """The same minutes as plain text, to paste into any email: no tables, no markup."""

    def heading(text: str, rule: str = "-") -> list[str]:
        return ["", text, rule * len(text), ""]

    title = f"Check-in minutes: {_one_line(m.team)}"
    lines = [title, "=" * len(title), "", when_line(m), "",
             f"Attended: {_people(m.attendees) or 'not recorded'}"]
    if m.absent:
        lines.append(f"Did not attend: {_people(m.absent)}")
    lines.append(f"Next check-in: {next_line(m)}")
    lines += heading("Time")
    planned = sum(i.planned_seconds for i in m.items)
    spent = sum(i.spent_seconds for i in m.items)
    for number, item in enumerate(m.items, start=1):
        lines.append(f"{number}. {_one_line(item.title)}: {clock_text(item.spent_seconds)} of "
                     f"{clock_text(item.planned_seconds)}, "
                     f"{over_text(item.planned_seconds, item.spent_seconds)}"
                     f"{_corrected(item)}")
    lines.append(f"Total: {clock_text(spent)} of {clock_text(planned)}, "
                 f"{over_text(planned, spent)}")
    lines += heading("Notes")
    for number, item in enumerate(m.items, start=1):
        lines += [f"{number}. {_one_line(item.title)}", "",
                  *(f"   {line}" for line in (item.notes.strip() or "No notes.").splitlines()),
                  ""]
    lines += heading("Actions reviewed")[1:]
    lines += [f"- #{r.number} {_one_line(r.text)} ({_one_line(r.owner) or 'no owner'}): "
              f"{r.then} -> {r.now}" for r in m.reviewed] or [
        "No open actions from earlier check-ins."]
    lines += heading("Actions set in this check-in")
    lines += [_action_line(a) for a in m.created] or ["None."]
    lines += heading("Status changes made in this check-in")
    lines += [f"- #{c.number} {_one_line(c.text)}: {c.old} -> {c.new}"
              for c in m.changes] or ["None."]
    lines += heading("Open actions carried into the next check-in")
    lines += [_action_line(a) for a in m.carried] or [
        "None: every action is completed or abandoned."]
    return "\n".join(lines) + "\n"


def _action_line(a: ActionRecord) -> str:
    due = f", due {a.due.isoformat()}" if a.due else ""
    return f"- #{a.number} {_one_line(a.text)} ({_one_line(a.owner) or 'no owner yet'}{due}; " \
           f"{a.status})"
