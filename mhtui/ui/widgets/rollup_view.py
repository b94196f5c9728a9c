"""The roll-up as text: counts by role, needs and barriers by role, and average shares
drawn as bars side by side, with the gap in words and arrows."""

from __future__ import annotations

from textual.content import Content

from mhtui.core.allocation import bar
from mhtui.core.wording import plural
from mhtui.store.rollup import Entry, RollUp
from mhtui.ui.widgets.text import lines, literal, one_line, styled

IDEAL, CURRENT = "█", "▒"


def _addressed(entry: Entry, which: str) -> Content:
    numbers = entry.addressed.get(which, [])
    if not numbers:
        return literal("")
    return styled("  [i](addressed by action $numbers)[/i]",
                  numbers=", ".join(f"#{n}" for n in numbers))


def needs_lines(entries: list[Entry], width: int) -> list[tuple[Entry | None, str, Content]]:
    """(entry, field, line) for each line, so a screen can act on the selected one."""
    out: list[tuple[Entry | None, str, Content]] = []
    role = None
    for e in entries:
        if e.role != role:
            role = e.role
            out.append((None, "", styled("[b]$role[/b]", role=role)))
        who = e.author or "anonymous"
        if e.support.strip():
            out.append((e, "support_needed", literal(
                f"  Needs ({who}): {one_line(e.support, width)}")
                + _addressed(e, "support_needed")))
        if e.barriers.strip():
            out.append((e, "barriers", literal(
                f"  Barrier ({who}): {one_line(e.barriers, width)}")
                + _addressed(e, "barriers")))
    return out


def shares_text(rollup: RollUp, width: int) -> Content:
    if not rollup.averages:
        return literal("No time-allocation tables in these reflections.")
    bar_width = max(10, min(40, (width - 40) // 2))
    out: list[Content | str] = [styled(
        "[b]Average share of time[/b]  $ideal ideal  $current current  "
        "(▲ more time than ideal, ▼ less)", ideal=IDEAL, current=CURRENT)]
    for avg in rollup.averages:
        gap = avg.gap
        arrow = "=" if abs(gap) < 0.05 else ("▲" if gap > 0 else "▼")
        out.append(f"{one_line(avg.task_type, 34):<34}")
        out.append(f"  ideal   {bar(avg.ideal, bar_width, IDEAL):<{bar_width}} {avg.ideal:5.1f}%")
        out.append(f"  current {bar(avg.current, bar_width, CURRENT):<{bar_width}} "
                   f"{avg.current:5.1f}%  {arrow} {gap:+.1f}")
    return lines(out)


def summary_text(rollup: RollUp, period: str = "") -> Content:
    period = period or ("since the last check-in" if rollup.since else "so far")
    roles = ", ".join(f"{role} {n}" for role, n in rollup.by_role) or "none"
    return styled("[b]$count submitted $period[/b] · by role: $roles",
                  count=plural(rollup.count, "reflection"), period=period, roles=roles)


def full_text(rollup: RollUp, width: int) -> Content:
    if not rollup.entries:
        return literal("No reflections have been submitted since the last check-in. Staff "
                       "can fill one in from the dashboard (r), before the meeting or during "
                       "it; their support needs and barriers will be listed here.")
    parts: list[Content | str] = [summary_text(rollup), ""]
    parts += [line for _, _, line in needs_lines(rollup.entries, width - 24)]
    parts += ["", shares_text(rollup, width)]
    return lines(parts)
