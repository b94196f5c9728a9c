"""Pick the active team, or make a new one."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, OptionList
from textual.widgets.option_list import Option

from mhtui.ui.textual_private import KeepsGoing
from mhtui.ui.widgets.fields import Input
from mhtui.ui.widgets.text import literal

if TYPE_CHECKING:
    from mhtui.ui.app_api import MH


class TeamPicker(KeepsGoing, ModalScreen[None]):  # a team refused: said, name kept
    TITLE_TEXT = "switch team"
    HELP = (
        "Each school or district team keeps its own check-ins, actions, reflections and "
        "grid in the same database. Choose one with the arrows and Enter, or type a "
        "new name and press Enter to create a team with the default agenda and catalogue. "
        "To rename the active team, open its roster (p on the dashboard): N renames it."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Cancel", id="teams.cancel"),
        Binding("n", "focus_new", "New team", id="teams.new_team"),
        # A modal screen stops the app's own keys, F1 among them.
        Binding("f1", "app.help", "Help", id="teams.help"),
    ]

    def __init__(self, start_new: bool = False) -> None:
        super().__init__()
        self.start_new = start_new

    @property
    def mh(self) -> MH:
        return cast("MH", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="team-box") as box:
            box.border_title = "Teams"
            yield OptionList(id="team-list")  # filled once read (on_mount)
            yield Label("New team (type a name, Enter to create):")
            yield Input(placeholder="e.g. Washington Elementary", id="team-new")
            yield Label("", id="team-error", classes="error")
        yield Footer(compact=True)

    async def on_mount(self) -> None:
        """The teams are read in a thread; keys typed meanwhile wait for them (the key
        gate waits for this screen), so an arrow and Enter choose from the list."""
        from mhtui.store.teams import teams

        found = await asyncio.to_thread(teams.list_teams, self.mh.db)
        listed = self.query_one(OptionList).add_options(
            Option(literal(("● " if t.id == self.mh.team_id else "  ") + t.name), id=str(t.id))
            for t in found)
        listed.highlighted = 0 if found else None  # as for options given when made
        if self.start_new:
            self.query_one("#team-new", Input).focus()

    def action_focus_new(self) -> None:
        self.query_one("#team-new", Input).focus()

    @on(OptionList.OptionSelected, "#team-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        assert event.option.id is not None
        self.dismiss()
        self.mh.switch_team(int(event.option.id))

    @on(Input.Submitted, "#team-new")
    async def _create(self, event: Input.Submitted) -> None:
        from mhtui.store.teams import teams

        try:
            team = await asyncio.to_thread(teams.create_team, self.mh.db, event.value,
                                           self.mh.clock)
        except teams.TeamNameError as exc:
            self.query_one("#team-error", Label).update(literal(str(exc)))
            return
        assert team.id is not None
        self.dismiss()
        self.mh.switch_team(team.id)
        self.mh.notify(f"Created team {team.name!r} with the default agenda and catalogue.")
