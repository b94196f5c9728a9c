"""The district's view: every school side by side, and what recurs across them.

Read in a Textual worker (a few grouped queries over every school's rows); Enter opens
the chosen school's dashboard, t its tracker.
"""

from __future__ import annotations

import textwrap
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static

from mhtui.core.clock import local_today
from mhtui.core.district import (
    BY_TASK_TYPE,
    HIDDEN_ROLE,
    OVER_POINTS,
    PERIOD_DAYS,
    DistrictView,
    SchoolFigures,
    checkins_text,
    figure,
)
from mhtui.core.statuses import Status
from mhtui.core.wording import plural
from mhtui.ui.screens.base import MHScreen
from mhtui.ui.widgets.status_line import StatusLine
from mhtui.ui.widgets.text import lines, one_line, styled, table_cell

NARROW = 120  # below this many columns the five statuses share one column
# A school's grid that the server does not show this login (staff): not "none".
HIDDEN = "not visible to your login (the school's facilitators keep its grid)"


def _period(view: DistrictView) -> str:
    start, end = view.start, view.end
    return f"last {view.days} days ({start.day} {start:%b} to {end.day} {end:%b %Y})"


def gap_words(school: SchoolFigures) -> str:
    """The gap with an arrow and a sign, so it reads without colour."""
    if school.gap is None:
        return school.note or "no time tables"
    arrow = "▼" if school.gap < 0 else "▲" if school.gap > 0 else "="
    return f"{arrow} {figure(school.gap, signed=True)}"


def services_lines(view: DistrictView, width: int) -> Content:
    name_width = max(12, min(36, width // 3))
    out: list[Content | str] = []
    for s in view.schools:
        name = one_line(s.name, name_width).ljust(name_width)
        if s.gap is None:
            out.append(styled("$name  [dim]$why[/dim]", name=name,
                              why=s.note or "no time tables in the period"))
            continue
        out.append(styled(
            "$name  ideal $ideal% → now $now%  [b]$gap points[/b]  ($tables)",
            name=name, ideal=figure(s.ideal_services), now=figure(s.now_services),
            gap=gap_words(s), tables=plural(s.tables, "time table")
            + (f"; {s.note}" if s.note else "")))
    return lines(out or ["No schools."])


def capacity_lines(view: DistrictView) -> Content:
    out: list[Content | str] = []
    for s in view.schools:
        out.append(styled("[b]$name[/b]", name=s.name))
        if s.grid_hidden:  # a staff login: the server shows it no row of the grid
            out.append(f"  ▲ Capacity-constrained: {HIDDEN}")
            out.append(f"  ✖ No role can do now: {HIDDEN}")
            continue
        out.append(styled("  ▲ Capacity-constrained: $roles",
                          roles=", ".join(s.constrained_roles) or "none marked"))
        out.append(styled("  ✖ No role can do now: $tasks",
                          tasks="; ".join(s.tasks_nobody) or "none"))
        if s.tasks_unassessed:
            out.append(f"  · {plural(s.tasks_unassessed, 'task')} not assessed yet")
    return lines(out or ["No schools."])


def _hanging(text: str, width: int, indent: int) -> list[str]:
    """``text`` wrapped to ``width``, every line after the first indented further."""
    return textwrap.wrap(" ".join(text.split()), max(width, 20), initial_indent=" " * indent,
                         subsequent_indent=" " * (indent + 2)) or [""]


def barrier_lines(view: DistrictView, width: int) -> Content:
    """Each theme on its line, then its roles, wrapped under themselves."""
    if not view.barriers:
        return lines(["No barrier is reported by two or more schools in this period."])
    out: list[Content | str] = []
    for b in view.barriers:
        how = (f"task type, {OVER_POINTS:g}+ points over the ideal"
               if b.kind == BY_TASK_TYPE else "same words")
        theme = b.theme if b.kind == BY_TASK_TYPE else f"“{b.theme}”"
        out.append(styled("[b]$theme[/b] · $schools [dim]($how)[/dim]", theme=theme,
                          schools=plural(len(b.schools), "school"), how=how))
        for r in b.roles:
            over = (f", {figure(r.over, signed=True)} points" if r.over is not None
                    else f", points: {r.note}" if r.note else "")
            out += _hanging(f"{r.role}: {', '.join(r.schools)} "
                            f"({plural(r.reflections, 'reflection')}{over})", width, 2)
    return lines(out)


class DistrictScreen(MHScreen):
    TITLE_TEXT = "mhtui · district"
    HELP = (
        "Every school (team) in this database side by side, over the last 90 days (p "
        "switches to 30, 180 or 365 days): its actions by status (○ not started, ◔ in "
        "progress, ⚠ blocked or behind, ⊘ abandoned, ✔ completed) and how many open ones "
        "are overdue; its check-ins held against its schedule (the dates its cadence "
        "gives in the period, from the day the team was made; 'no schedule' until a "
        "first date is set); the reflections submitted; and the mean gap between the "
        "ideal and the current share of time on services to students (points, ▼ less "
        "now than the ideal). Enter opens the chosen school's dashboard (it becomes the "
        "active team: everything there is that school's; d on the dashboard comes back "
        "here); t opens its tracker. Below, Tab moves to the sections. Barriers that "
        f"recur: a theme two or more schools report, matched two ways: by task type (a "
        f"reflection's time table gives it {OVER_POINTS:g} or more points more of the "
        "time now than the ideal) and by the same words (barrier answers cut into items "
        "at line breaks, semicolons and sentence ends, and matched ignoring case, "
        "accents, punctuation and spacing). Each is listed with the roles that reported "
        "it: the kind of role chosen on the form, or the role's name when the kind is "
        "'other' or not given. As in the roll-up, "
        "an anonymous answer is counted under its kind of role only when at least 3 "
        "anonymous answers of the period at its school share that kind; otherwise it "
        f"counts as '{HIDDEN_ROLE}'. A school's or a role's figures that hold an anonymous "
        "answer show from 3 reflections on, and leave anonymous time tables out: the "
        "period here cuts across each school's check-in periods, and the difference "
        "would give one back. No "
        "names are shown. Capacity flags come from each school's grid: the roles marked "
        "capacity-constrained, the tasks no role can do now (assessed, with no Yes), and "
        "how many tasks are not assessed at all. mhtui export district writes the same "
        "figures as CSV, JSON or Markdown."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        # Before the table's own Enter, so the footer shows what Enter does here.
        Binding("enter", "open_school", "Open school", id="district.open_school",
                priority=True),
        Binding("t", "open_tracker", "Its tracker", id="district.open_tracker"),
        Binding("p", "period", "Period", id="district.period"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.period = 0  # index into PERIOD_DAYS
        self.view: DistrictView | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield StatusLine("Reading every school…", id="district-summary")
        yield DataTable(id="district-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="district-sections"):
            yield Static("", id="district-barriers", classes="district-section")
            yield Static("", id="district-services", classes="district-section")
            yield Static("", id="district-capacity", classes="district-section")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        titles = {"district-barriers": "Barriers that recur across schools",
                  "district-services": "Services to students: mean share of time, ideal "
                                       "→ now",
                  "district-capacity": "Capacity flags from each school's grid"}
        for widget_id, title in titles.items():
            self.query_one(f"#{widget_id}", Static).border_title = title

    def read(self) -> DistrictView:
        from mhtui.store.district import district  # in the worker: the first read imports it

        return district.build(self.mh.db, local_today(self.mh.clock), PERIOD_DAYS[self.period])

    def show(self, view: DistrictView) -> None:
        self.view = view
        self.sub_title = plural(len(view.schools), "school")
        overdue = sum(s.overdue for s in view.schools)
        self.query_one("#district-summary", StatusLine).say(styled(
            "$schools · $period · [b]$overdue[/b]",
            schools=plural(len(view.schools), "school"), period=_period(view),
            overdue=f"! {plural(overdue, 'action')} overdue"))
        self._fill_table(view)
        width = self.size.width
        inner = width - 6  # the section's border and padding, and the scrollbar
        self.query_one("#district-barriers", Static).update(barrier_lines(view, inner))
        self.query_one("#district-services", Static).update(services_lines(view, width))
        self.query_one("#district-capacity", Static).update(capacity_lines(view))

    def _fill_table(self, view: DistrictView) -> None:
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear(columns=True)
        wide = self.size.width >= NARROW
        counts: list[tuple[str, int]] = (
            [(f"{s.symbol} {s.short}", max(len(s.short) + 2, 5)) for s in Status] if wide
            else [("Actions", 15)])  # "4○ 3◔ 2⚠ 1⊘ 2✔"
        fixed = [*counts, ("Overdue", 7), ("Check-ins", 20 if wide else 9),
                 ("Reflections" if wide else "Refl.", 11 if wide else 5),
                 ("Services gap" if wide else "Gap", 12 if wide else 7)]
        name_width = max(12, min(40, self.size.width - sum(w + 2 for _, w in fixed) - 6))
        table.add_column("School", width=name_width, key="school")
        for index, (label, width) in enumerate(fixed):
            # The five counts line up on the right under their headers.
            right = wide and index < len(Status)
            table.add_column(Text(label, justify="right") if right else label, width=width)
        for s in view.schools:
            actions: list[str | Text]
            if wide:
                actions = [Text(str(s.by_status.get(st, 0)), justify="right")
                           for st in Status]
            else:
                actions = [" ".join(f"{s.by_status.get(st, 0)}{st.symbol}" for st in Status)]
            checkins = checkins_text(s) if wide or s.expected is not None else f"{s.held} held"
            table.add_row(
                table_cell(one_line(s.name, name_width)), *actions,
                f"! {s.overdue}" if s.overdue else "0", checkins,
                str(s.reflections), gap_words(s) if s.gap is not None else s.note or "—",
                key=str(s.team_id))
        if view.schools:
            table.move_cursor(row=min(keep, len(view.schools) - 1))

    def on_resize(self) -> None:
        if self.view is not None:
            self.show(self.view)

    def selected(self) -> SchoolFigures | None:
        table = self.query_one(DataTable)
        if self.view is None or not table.row_count:
            return None
        return self.view.schools[min(table.cursor_row, len(self.view.schools) - 1)]

    @on(DataTable.RowSelected, "#district-table")
    def _row_chosen(self, _event: DataTable.RowSelected) -> None:
        self.action_open_school()

    def action_open_school(self, where: str = "dashboard") -> None:
        school = self.selected()
        if school is None:
            return
        self.mh.switch_team(school.team_id)
        self.mh.go(where)
        self.mh.notify(f"Now working on {school.name}.", timeout=4)

    def action_open_tracker(self) -> None:
        self.action_open_school("tracker")

    def action_period(self) -> None:
        self.period = (self.period + 1) % len(PERIOD_DAYS)
        self.query_one("#district-summary", StatusLine).say(
            f"Reading the last {PERIOD_DAYS[self.period]} days…")
        self.load()
