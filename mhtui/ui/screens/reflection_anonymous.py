"""An anonymous reflection as the facilitator reads it: its day and its answers, never
its role, its time table or the time it came in (the store gives them veiled)."""

from __future__ import annotations

import asyncio
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from mhtui.store.reflections.reflections import ReflectionRow
from mhtui.ui.screens.base import MHScreen
from mhtui.ui.widgets.text import lines, styled


class AnonymousReflection(MHScreen):
    TITLE_TEXT = "mhtui · anonymous reflection"
    HELP = (
        "An anonymous reflection shows its answers and its day only: its role, its time "
        "table and the time it came in are not shown, so no one can tell who wrote it. Its "
        "time table counts in the roll-up's and the trend's means only where at least 3 "
        "anonymous tables are in them. o reopens it for its writer to correct (only one "
        "written on this database: one that came in as a file is corrected on its writer's "
        "laptop and sent again). Esc goes back."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "reopen", "Reopen (its writer)", id="anonymous_reflection.reopen"),
    ]

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

    def read(self) -> None:
        """Nothing of its own (its row came with it): the header's team, in the worker."""

    def action_back(self) -> None:
        self.app.pop_screen()

    async def action_reopen(self) -> None:
        """The writer corrects it in the form, which shows its role and time table again;
        so it asks first, and never for one that came in as a file (its writer holds it
        on their own laptop, and the facilitator must not see it whole)."""
        from mhtui.store.reflections import reflection_edit
        from mhtui.ui.screens.confirm import ConfirmScreen
        from mhtui.ui.screens.reflection_form import FormRead, ReflectionForm, read_form

        row = self.row
        events = await asyncio.to_thread(reflection_edit.events, self.mh.db, row.id)
        if any(e.kind == "imported" for e in events):
            self.notify("It came in as a file: its writer corrects it on their own laptop "
                        "and sends it again.", timeout=10)
            return

        async def answered(yes: bool | None) -> None:
            if yes:
                db, clock = self.mh.db, self.mh.clock

                def reopen() -> FormRead:  # in a thread: reopened, then read for the form
                    reflection_edit.reopen(db, row.id, row.version, clock)
                    return read_form(db, row.id)

                self.app.switch_screen(ReflectionForm(row.id, await asyncio.to_thread(reopen)))

        self.app.push_screen(ConfirmScreen(
            "Reopen this anonymous reflection?", "Only its writer should: the form shows "
            "its role and time table again. The reopening is recorded, and it leaves the "
            "roll-up until submitted again."), answered)
