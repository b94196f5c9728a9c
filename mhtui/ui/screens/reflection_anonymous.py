"""An anonymous reflection as the facilitator reads it: its day and its answers, never
its role, its time table or the time it came in (the store gives them veiled)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from mhtui.store.reflections import ReflectionRow
from mhtui.ui.screens.base import MHScreen
from mhtui.ui.widgets.text import lines, styled


class AnonymousReflection(MHScreen):
    TITLE_TEXT = "mhtui · anonymous reflection"
    HELP = (
        "An anonymous reflection shows its answers and its day only: its role, its time "
        "table and the time it came in are not shown, so no one can tell who wrote it. Its "
        "time table counts in the roll-up's and the trend's means only where at least 3 "
        "anonymous tables are in them. Esc goes back."
    )

    def __init__(self, row: ReflectionRow) -> None:
        super().__init__()
        self.row = row

    def compose(self) -> ComposeResult:
        row = self.row
        yield Header()
        with VerticalScroll(id="reflection-body"):
            yield Static(lines([
                styled("[b]Anonymous reflection[/b] of $day (#$id)",
                       day=row.reflected_on.isoformat(), id=row.id), "",
                styled("[b]Support needed[/b]"), row.support_needed.strip() or "—", "",
                styled("[b]Barriers[/b]"), row.barriers.strip() or "—", "",
                "Its role and time table are not shown: they count only in groups of 3 "
                "or more.",
            ]), id="anonymous-text")
        yield Footer(compact=True)

    def action_back(self) -> None:
        self.app.pop_screen()
