"""The roll-up as text: counts by role, needs and barriers by role, and average shares
drawn as bars side by side, with the gap in words and arrows."""

from __future__ import annotations

from textual.content import Content

from mhtui.core.allocation import bar
from mhtui.core.trend import TrendPoint
from mhtui.core.wording import plural
from mhtui.store.reflections.rollup import Entry, RollUp
from mhtui.ui.widgets.text import lines, literal, styled

IDEAL, CURRENT = "█", "▒"


def _addressed(entry: Entry, which: str) -> Content:
    numbers = entry.addressed.get(which, [])
    if not numbers:
        return literal("")
    return styled("  [i](addressed by action $numbers)[/i]",
                  numbers=", ".join(f"#{n}" for n in numbers))


def _full(text: str) -> str:
    """The whole answer, its line breaks kept; the list wraps it to its width."""
    return "\n    ".join(" ".join(line.split()) for line in text.strip().splitlines()
                          if line.strip())


def needs_lines(entries: list[Entry], width: int = 0) -> list[tuple[Entry | None, str, Content]]:
    """(entry, field, lines) for each need and barrier, in full, so a screen can act on
    the selected one; the role headings have no entry."""
    out: list[tuple[Entry | None, str, Content]] = []
    role = None
    for e in entries:
        if e.role != role:
            role = e.role
            out.append((None, "", styled("[b]$role[/b]", role=role)))
        who = e.author or "anonymous"
        if e.support.strip():
            out.append((e, "support_needed", literal(
                f"  Needs ({who}): {_full(e.support)}") + _addressed(e, "support_needed")))
        if e.barriers.strip():
            out.append((e, "barriers", literal(
                f"  Barrier ({who}): {_full(e.barriers)}") + _addressed(e, "barriers")))
    return out


def bar_width(width: int) -> int:
    """Cells for 100%, from the screen's width only: the same for every period."""
    return max(10, min(40, (width - 40) // 2))


def shares_text(rollup: RollUp, width: int) -> Content:
    if not rollup.averages:
        return literal(f"Average share of time: {rollup.note}." if rollup.note else
                       "No time-allocation tables in these reflections.")
    cells = bar_width(width)
    out: list[Content | str] = [styled(
        "[b]Average share of time[/b]  $ideal ideal  $current now  "
        "(▲ more time than ideal, ▼ less)", ideal=IDEAL, current=CURRENT)]
    for avg in rollup.averages:
        gap = avg.gap
        arrow = "=" if abs(gap) < 0.05 else ("▲" if gap > 0 else "▼")
        out.append(avg.task_type)  # in full, on its own line
        out.append(f"  ideal   {bar(avg.ideal, cells, IDEAL):<{cells}} {avg.ideal:5.1f}%")
        out.append(f"  now     {bar(avg.current, cells, CURRENT):<{cells}} "
                   f"{avg.current:5.1f}%  {arrow} {gap:+.1f}")
    if rollup.note:  # anonymous tables left out of the means
        out.append(f"({rollup.note})")
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


def _pair(label: str, value: float | None, cells: int, glyph: str, note: str = "") -> str:
    if value is None:
        return f"    {label:<5} ({note or 'no time tables'})"
    return f"    {label:<5} {bar(value, cells, glyph):<{cells}} {value:5.1f}%"


def _change(points: list[TrendPoint], pick: str) -> str:
    held = [getattr(p, pick) for p in points if getattr(p, pick) is not None]
    if len(held) < 2:
        return ""
    gap = held[-1] - held[0]
    arrow = "=" if abs(gap) < 0.05 else ("▲" if gap > 0 else "▼")
    return f"  now, first period to last: {arrow} {gap:+.1f} points"


def trend_text(points: list[TrendPoint], width: int) -> Content:
    """Per check-in period, bars of the team's mean ideal and now share, the same width
    for every period, with the figures and arrows so it reads without colour."""
    if not any(p.reflections for p in points):
        return literal("No submitted reflections yet: the trend starts with the first.")
    cells = bar_width(width)
    out: list[Content | str] = [styled(
        "[b]Trend across check-ins[/b]: the team's mean share of time per period between "
        "check-ins  $ideal ideal  $now now", ideal=IDEAL, now=CURRENT)]
    for title, ideal, now in (
        ("Services to students (ASCA: at least 80%)", "ideal_services", "now_services"),
        ("Non-counseling duties (ASCA: as close to 0% as possible)", "ideal_duties",
         "now_duties"),
    ):
        out.append(styled("[b]$title[/b]", title=title))
        for p in points:
            out.append(f"  {p.label} · {plural(p.reflections, 'reflection')}")
            if p.reflections:
                out.append(_pair("ideal", getattr(p, ideal), cells, IDEAL, p.note))
                out.append(_pair("now", getattr(p, now), cells, CURRENT, p.note))
                if p.note and (getattr(p, ideal) is not None or getattr(p, now) is not None):
                    out.append(f"    ({p.note})")
        change = _change(points, now)
        if change:
            out.append(change)
    return lines(out)
