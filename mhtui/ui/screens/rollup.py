"""The team's reflections rolled up: who wrote, what they need, what is in the way, and
how time is spent against how it should be. Needs and barriers can become actions.

The roll-up is read in a Textual worker: it reads every reflection of the period."""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from mhtui.core.trend import TrendPoint
from mhtui.core.wording import is_whole_number
from mhtui.store.reflections import rollup
from mhtui.store.reflections.rollup import Entry, RollUp
from mhtui.ui.screens.base import MHScreen, Read
from mhtui.ui.screens.dialog import Dialog
from mhtui.ui.widgets.fields import Input
from mhtui.ui.widgets.rollup_view import needs_lines, shares_text, summary_text, trend_text
from mhtui.ui.widgets.status_line import StatusLine
from mhtui.ui.widgets.text import literal

PERIODS = ("since the last check-in", "in the last 90 days", "in all")


class TrendRead(Read[list[TrendPoint]]):
    """The trend across the periods between check-ins."""


class ActionNumberForm(Dialog[int | None]):
    BOX = "number-form"
    FIRST = "number"

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="number-form", classes="dialog") as box:
            box.border_title = "Addressed by which action?"
            yield Label("Action number (as in the tracker's detail panel), Enter saves")
            yield Input(id="number")
            yield Static("", id="number-error", classes="error")

    @on(Input.Submitted)
    def _done(self, event: Input.Submitted) -> None:
        value = event.value.strip().lstrip("#")
        if is_whole_number(value):
            self.dismiss(int(value))
        else:
            self.query_one("#number-error", Static).update(
                literal(f"{event.value!r} is not a number."))


class RollupScreen(MHScreen):
    TITLE_TEXT = "mhtui · reflections roll-up"
    HELP = (
        "Every reflection submitted since the last check-in: how many by role, each "
        "support need and barrier in full, grouped by role (roles are matched whatever "
        "their case and spacing), and the average share of time per task type, ideal "
        "against now. Anonymity holds in a small team: an anonymous answer is listed "
        "under its kind of role (school counselor, psychologist, social worker, other) "
        "only when at least 3 anonymous answers of the period share that kind; otherwise "
        "it goes under 'Anonymous, role not shown', since a role held by one or two "
        "people would name its author. A period holding an anonymous answer shows its "
        "averages and trend figures only from 3 reflections ('fewer than 3: not shown'), "
        "and counts anonymous time tables in them only when at least 3 are there, and "
        "only in a period between check-ins (since the last one, and the trend's): the "
        "last 90 days and all time leave them out, so none can be worked back from the "
        "named ones or from another period. "
        "p switches the period: since the last check-in, the last 90 days, or all time. "
        "t shows the trend instead of the averages: for each period between "
        "check-ins, how many reflections came in and the team's mean ideal and now share "
        "of time on services to students and on non-counseling duties, as bars with "
        "their figures (mhtui export trend writes the same as CSV, JSON or Markdown). On "
        "a need or barrier, a turns it into a tracker action (text filled in; owner and "
        "date asked) and m marks it addressed by an existing action number."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "period", "Period", id="rollup.period"),
        Binding("t", "trend", "Trend", id="rollup.trend"),
        Binding("a", "to_action", "To action", id="rollup.to_action"),
        Binding("m", "mark", "Mark addressed", id="rollup.mark"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rollup: RollUp | None = None
        self.period = 0  # index into PERIODS
        self.lines: list[tuple[Entry | None, str, Content]] = []
        self.showing_trend = False
        self.trend: list[TrendPoint] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield StatusLine(id="rollup-summary")
        yield OptionList(id="rollup-needs")
        with VerticalScroll(id="rollup-shares-box"):
            yield Static("", id="rollup-shares")
        yield Footer(compact=True)

    def read(self) -> RollUp:
        db, team_id = self.mh.db, self.mh.team_id
        assert team_id is not None
        if self.period == 0:
            since = rollup.last_checkin_end(db, team_id)
        else:
            since = self.mh.clock.now() - timedelta(days=90) if self.period == 1 else None
        return rollup.build(db, team_id, since)

    def _read_trend(self) -> None:
        from mhtui.store.reflections import trend

        db, team_id = self.mh.db, self.mh.team_id
        assert team_id is not None
        self.run_store(lambda: trend.build(db, team_id), TrendRead)

    @on(TrendRead)
    def _trend_read(self, read: TrendRead) -> None:
        self.trend = read.result
        if self.showing_trend:
            self.show_lower()

    def show(self, found: RollUp) -> None:
        self.rollup = found
        label = PERIODS[self.period]
        self.query_one("#rollup-summary", Static).update(
            summary_text(found, label if found.since or self.period == 2 else "so far"))
        self.lines = needs_lines(found.entries)
        needs = self.query_one(OptionList)
        keep = needs.highlighted
        options = [Option(line, id=str(index), disabled=entry is None)
                   for index, (entry, _, line) in enumerate(self.lines)] or [
            Option("No reflections submitted since the last check-in.", disabled=True)]
        width = needs.scrollable_content_region.width
        needs.set_options(options)
        if needs.scrollable_content_region.width != width:
            # A scrollbar came or went with these lines, and OptionList wrapped them for
            # the width before it: set them again to wrap them for this one.
            needs.set_options(options)
        if keep is not None:
            needs.highlighted = min(keep, len(self.lines) - 1)
        self.show_lower()
        # The trend (a sum over every check-in's period) is read once the roll-up is on
        # screen: read beside it, its query's Python work held the roll-up back by a
        # third of a second at 2,000 check-ins.
        self.call_after_refresh(self._read_trend)

    def show_lower(self) -> None:
        """The averages, or the trend (t); bars sized by the screen, not the period."""
        width = self.size.width
        self.query_one("#rollup-shares", Static).update(
            trend_text(self.trend, width) if self.showing_trend
            else shares_text(self.rollup, width) if self.rollup else "")

    def action_trend(self) -> None:
        self.showing_trend = not self.showing_trend
        self.show_lower()
        self.query_one("#rollup-shares-box").scroll_home(animate=False)

    def action_period(self) -> None:
        self.period = (self.period + 1) % len(PERIODS)
        self.load()

    def selected(self) -> tuple[Entry, str] | None:
        index = self.query_one(OptionList).highlighted
        if index is None or index >= len(self.lines):
            return None
        entry, which, _ = self.lines[index]
        return (entry, which) if entry is not None else None

    def action_to_action(self) -> None:
        from mhtui.core.clock import local_today
        from mhtui.store.actions import actions
        from mhtui.store.actions.actions import Fields
        from mhtui.store.reflections import reflection_edit
        from mhtui.ui.screens.action_form import ActionForm

        chosen = self.selected()
        if chosen is None:
            self.notify("Choose a support need or barrier first (arrows).")
            return
        entry, which = chosen
        text = entry.support if which == "support_needed" else entry.barriers
        prefix = "Support: " if which == "support_needed" else "Barrier: "

        def created(fields: Fields | None) -> None:
            if fields is None:
                return
            assert self.mh.team_id is not None
            saved = actions.create(self.mh.db, self.mh.team_id, fields, self.mh.clock)
            assert saved.id is not None
            reflection_edit.link(self.mh.db, entry.reflection_id, which, saved.id)
            self.mh.action_to_select = saved.id
            self.load()
            self.notify(f"Action #{saved.id} created and linked.")

        self.app.push_screen(ActionForm("New action from a reflection",
                                        local_today(self.mh.clock),
                                        Fields(text=prefix + " ".join(text.split())),
                                        require_owner=True, save=created))

    def action_mark(self) -> None:
        from mhtui.store.reflections import reflection_edit

        chosen = self.selected()
        if chosen is None:
            self.notify("Choose a support need or barrier first (arrows).")
            return
        entry, which = chosen

        def numbered(number: int | None) -> None:
            if number is None:
                return
            try:
                reflection_edit.link(self.mh.db, entry.reflection_id, which, number)
            except reflection_edit.ReflectionError as exc:
                self.notify(str(exc), severity="error")
                return
            self.load()

        self.app.push_screen(ActionNumberForm(), numbered)

    def action_back(self) -> None:
        self.app.pop_screen()

