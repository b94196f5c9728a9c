"""Enrollment and staffing against the field's recommended ratios."""

from __future__ import annotations

import asyncio
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Label, Select, Static

from mhtui.core import grid_analysis
from mhtui.core.wording import is_whole_number
from mhtui.store.grid import grid, grid_edit
from mhtui.store.grid.grid import CapacityView
from mhtui.ui.screens.base import MHScreen
from mhtui.ui.widgets.autosave import NotSaved, form_values
from mhtui.ui.widgets.fields import Input
from mhtui.ui.widgets.text import literal

KINDS = [(label, key) for key, (label, _) in grid_analysis.RECOMMENDED_RATIOS.items()]


class CapacityScreen(MHScreen):
    TITLE_TEXT = "mhtui · capacity"
    HELP = (
        "Optional: the school's enrollment and each role's full-time equivalents (FTE). "
        "For roles with a recommended ratio (school counselors 1:250, school psychologists "
        "1:500, school social workers 1:250) the screen shows students per staff member "
        "and suggests marking roles over the ratio as capacity-constrained (c on the "
        "grid). ctrl+s saves; numbers that do not read are named and nothing is saved. "
        "Esc goes back (asking first if something typed is not saved)."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="capacity.save", priority=True),
    ]

    def __init__(self, stored: CapacityView) -> None:
        """``stored``: the team and roles as read by the grid, off the screen's thread."""
        super().__init__()
        self._based_on(stored)

    def _based_on(self, stored: CapacityView) -> None:
        """The team and roles as stored: what the fields show, and changes are based on."""
        self.stored, self.roles = stored, stored.roles

    def compose(self) -> ComposeResult:
        team = self.stored
        yield Header()
        with VerticalScroll(id="capacity-body"):
            yield Label("Enrollment (students)")
            yield Input(str(team.enrollment or ""), id="enrollment", compact=True)
            for role in self.roles:
                with Horizontal(classes="capacity-row"):
                    yield Static(literal(role.name[:30]), classes="capacity-name")
                    yield Input("" if role.fte is None else f"{role.fte:g}",
                                id=f"fte-{role.id}", placeholder="FTE", compact=True)
                    yield Select(KINDS, value=role.ratio_kind or Select.NULL,
                                 id=f"kind-{role.id}", prompt="no ratio", compact=True)
            yield Static("", id="capacity-error", classes="error")
            yield Static("", id="capacity-ratios")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.untouched = form_values(self)  # what is saved: Esc asks if it differs
        # Typing starts in the first field, not in the scrolling box around the form.
        self.query_one("#capacity-body").can_focus = False
        self.query_one("#enrollment", Input).focus()

    def reread(self) -> None:
        """After a refused save: the fields show what is stored now (read in a thread;
        the keys typed next wait for it)."""
        self.call_later(self._stored_now, True)

    async def _stored_now(self, fill: bool) -> None:
        """Read what is stored, base the next save on it and show its ratios; ``fill``:
        the fields show it too."""
        team = await asyncio.to_thread(self.read)
        self._based_on(team)
        self.show(team)
        if not fill:
            return
        self.query_one("#enrollment", Input).value = str(team.enrollment or "")
        for role in self.roles:
            for fte in self.query(f"#fte-{role.id}").results(Input):
                fte.value = "" if role.fte is None else f"{role.fte:g}"
            for kind in self.query(f"#kind-{role.id}").results(Select):
                kind.value = role.ratio_kind or Select.NULL
        self.untouched = form_values(self)

    def read(self) -> CapacityView:
        assert self.mh.team_id is not None
        return grid.capacity(self.mh.db, self.mh.team_id)

    def show(self, now: CapacityView) -> None:
        """The ratios of what is stored now (the fields keep what is typed)."""
        lines = []
        for role in now.roles:
            found = grid_analysis.ratio(role.name, role.ratio_kind, role.fte, now.enrollment)
            if found is None:
                continue
            verdict = (f"over the recommended 1:{found.recommended}"
                       + ("" if role.capacity_constrained
                          else ": consider marking it capacity-constrained (c on the grid)")
                       if found.over else f"within the recommended 1:{found.recommended}")
            lines.append(f"{role.name}: {found.students_per_staff:,.0f} students per staff "
                         f"member, {verdict} ({found.source}).")
        self.query_one("#capacity-ratios", Static).update(literal(
            "\n".join(lines) or "Give the enrollment, an FTE and a ratio for a role to see "
            "students per staff member against the recommendation."))

    def action_save(self) -> bool:
        """Save every figure, or none; True once saved."""
        error = self.query_one("#capacity-error", Static)
        text = self.query_one("#enrollment", Input).value.strip()
        if text and not is_whole_number(text):
            error.update(literal(f"Enrollment {text!r} is not a whole number; nothing saved."))
            return False
        roles: dict[int, tuple[int, float | None, str | None]] = {}
        for role in self.roles:
            fte_text = self.query_one(f"#fte-{role.id}", Input).value.strip()
            try:
                fte = float(fte_text) if fte_text else None
            except ValueError:
                error.update(literal(f"FTE {fte_text!r} for {role.name} is not a number; "
                                     "nothing saved."))
                return False
            kind = self.query_one(f"#kind-{role.id}", Select).value
            chosen = kind if isinstance(kind, str) else None
            if (fte, chosen) != (role.fte, role.ratio_kind):  # only what was changed here
                roles[role.id] = (role.version, fte, chosen)
        error.update("")
        assert self.mh.team_id is not None
        enrollment = int(text) if text else None
        # On the screen's thread: quitting saves through here, and must have it written.
        grid_edit.set_capacity(self.mh.db, self.mh.team_id,
                               None if enrollment == self.stored.enrollment
                               else (self.stored.team_version, enrollment), roles)
        self.untouched = form_values(self)
        self.call_later(self._stored_now, False)  # the new versions: the next save's base
        self.notify("Capacity saved.", timeout=2)
        return True

    def flush(self) -> None:
        """Quitting saves what was typed; figures that do not read are named instead."""
        if form_values(self) != self.untouched and not self.action_save():
            raise NotSaved(f"Capacity: {self.query_one('#capacity-error', Static).content}")

    def action_back(self) -> None:
        from mhtui.ui.screens.dialog import ask_to_discard

        if form_values(self) == self.untouched:
            self.app.pop_screen()
        else:
            ask_to_discard(self.app, self.app.pop_screen)
