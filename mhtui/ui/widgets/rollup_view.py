"""The roll-up as text: counts by role, needs and barriers by role, and average shares
drawn as bars side by side, with the gap in words and arrows."""

from __future__ import annotations

from rich.markup import escape

from mhtui.core.allocation import bar
from mhtui.core.wording import plural
from mhtui.store.rollup import Entry, RollUp
from mhtui.ui.widgets.text import one_line

IDEAL, CURRENT = "█", "▒"


def _addressed(entry: Entry, which: str) -> str:
    numbers = entry.addressed.get(which, [])
    if not numbers:
        return ""
    return f"  [i](addressed by action {', '.join(f'#{n}' for n in numbers)})[/i]"


def needs_lines(entries: list[Entry], width: int) -> list[tuple[Entry | None, str, str]]:
    """(entry, field, line) for each line, so a screen can act on the selected one."""
    lines: list[tuple[Entry | None, str, str]] = []
    role = None
    for e in entries:
        if e.role != role:
            role = e.role
            lines.append((None, "", f"[b]{escape(role)}[/b]"))
        who = escape(e.author) if e.author else "anonymous"
        if e.support.strip():
            lines.append((e, "support_needed", f"  Needs ({who}): "
                          f"{escape(one_line(e.support, width))}{_addressed(e, 'support_needed')}"))
        if e.barriers.strip():
            lines.append((e, "barriers", f"  Barrier ({who}): "
                          f"{escape(one_line(e.barriers, width))}{_addressed(e, 'barriers')}"))
    return lines


def shares_text(rollup: RollUp, width: int) -> str:
    if not rollup.averages:
        return "No time-allocation tables in these reflections."
    bar_width = max(10, min(40, (width - 40) // 2))
    lines = [f"[b]Average share of time[/b]  {IDEAL} ideal  {CURRENT} current  "
             "(▲ more time than ideal, ▼ less)"]
    for avg in rollup.averages:
        gap = avg.gap
        arrow = "=" if abs(gap) < 0.05 else ("▲" if gap > 0 else "▼")
        lines.append(f"{escape(one_line(avg.task_type, 34)):<34}")
        lines.append(f"  ideal   {bar(avg.ideal, bar_width, IDEAL):<{bar_width}} {avg.ideal:5.1f}%")
        lines.append(f"  current {bar(avg.current, bar_width, CURRENT):<{bar_width}} "
                     f"{avg.current:5.1f}%  {arrow} {gap:+.1f}")
    return "\n".join(lines)


def summary_text(rollup: RollUp, period: str = "") -> str:
    period = period or ("since the last check-in" if rollup.since else "so far")
    roles = ", ".join(f"{escape(role)} {n}" for role, n in rollup.by_role) or "none"
    return f"[b]{plural(rollup.count, 'reflection')} submitted {period}[/b] · by role: {roles}"


def full_text(rollup: RollUp, width: int) -> str:
    if not rollup.entries:
        return ("No reflections have been submitted since the last check-in. Staff can fill "
                "one in from the dashboard (r), before the meeting or during it; their "
                "support needs and barriers will be listed here.")
    parts = [summary_text(rollup), ""]
    parts += [line for _, _, line in needs_lines(rollup.entries, width - 24)]
    parts += ["", shares_text(rollup, width)]
    return "\n".join(parts)
