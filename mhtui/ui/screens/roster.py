"""The team's roster: who the check-ins are for.

Each person has a name (any script), a role (one of the grid's roles, or typed) and an
email (optional; one invitation each). Removing someone deactivates them: past minutes,
attendance and the actions they own keep the name. The team's name is changed here too.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import DataTable, Footer, Header, Label, Static

from mhtui.store.database.dbfile import StorageProblem
from mhtui.store.teams import staff
from mhtui.store.teams.staff import Person, StaffError
from mhtui.ui.screens.base import MHScreen
from mhtui.ui.screens.dialog import Dialog
from mhtui.ui.widgets.fields import Input
from mhtui.ui.widgets.status_line import StatusLine
from mhtui.ui.widgets.text import literal, table_cell

if TYPE_CHECKING:
    from mhtui.store.teams.teams import TeamView
    from mhtui.ui.app_api import MH

# What the form hands back: name, role, email.
PersonFields = tuple[str, str, str]


class PersonForm(Dialog[PersonFields | None]):
    BOX = "person-form"
    FIRST = "person-name"
    TITLE_TEXT = "person"
    HELP = ("A person on the team's roster. The name is shown as typed, in any script. "
            "The role suggests the team's grid roles as you type (→ takes the suggestion) "
            "or takes anything typed. The email is optional: with one, the person gets "
            "their own invitation. ctrl+s saves; Esc cancels (after asking, if you typed).")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="person_form.save", priority=True),
    ]

    def __init__(self, title: str, roles: list[str], person: Person | None,
                 save: staff.Saver) -> None:
        super().__init__()
        self.form_title = title
        self.roles = roles
        self.person = person
        self.save = save

    def compose(self) -> ComposeResult:
        p = self.person
        with VerticalScroll(id="person-form", classes="dialog") as box:
            box.border_title = literal(self.form_title)
            box.border_subtitle = "ctrl+s save · esc cancel"
            yield Label("Name")
            yield Input(p.name if p else "", id="person-name", placeholder="e.g. Ana Ruiz")
            yield Label("Role (→ takes a grid role suggested as you type)")
            yield Input(p.role if p else "", id="person-role",
                        placeholder=", ".join(self.roles[:2]) or "e.g. School counselor",
                        suggester=SuggestFromList(self.roles, case_sensitive=False))
            yield Label("Email (optional: for their own invitation)")
            yield Input(p.email if p else "", id="person-email",
                        placeholder="e.g. ana.ruiz@school.org")
            yield Static("", id="person-error", classes="error")
        yield Footer(compact=True)

    def action_save(self) -> None:
        fields = (self.query_one("#person-name", Input).value,
                  self.query_one("#person-role", Input).value,
                  self.query_one("#person-email", Input).value)
        try:
            self.save(fields)
        except (StaffError, StorageProblem) as exc:  # bad input, a conflict, a full disk
            self.query_one("#person-error", Static).update(literal(str(exc)))
            return
        self.dismiss(fields)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "person-email":
            self.action_save()
        else:
            self.focus_next()


class TeamNameForm(Dialog[str | None]):
    BOX = "team-name-form"
    FIRST = "team-name"
    TITLE_TEXT = "team name"
    HELP = "The team's name as every screen, the minutes and the invitations show it."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="team_name_form.save", priority=True),
    ]

    def __init__(self, team: TeamView) -> None:
        super().__init__()
        self.team = team  # as read when the form opened: the rename is based on it

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="team-name-form", classes="dialog") as box:
            box.border_title = "Rename the team"
            box.border_subtitle = "Enter or ctrl+s save · esc cancel"
            yield Label("New name")
            yield Input(self.team.name, id="team-name")
            yield Static("", id="team-name-error", classes="error")
        yield Footer(compact=True)

    def action_save(self) -> None:
        from mhtui.store.teams import teams

        app, team = cast("MH", self.app), self.team
        try:
            saved = staff.rename_team(app.db, team.id, team.version,
                                      self.query_one("#team-name", Input).value)
        except (teams.TeamNameError, StorageProblem) as exc:
            self.query_one("#team-name-error", Static).update(literal(str(exc)))
            return
        app.notify(f"The team is now called {saved.name}.")
        self.dismiss(saved.name)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()


class RosterScreen(MHScreen):
    TITLE_TEXT = "mhtui · roster"
    HELP = (
        "The team's people. a adds a person, Enter or e edits the selected one, d removes "
        "(deactivates) them or brings a removed person back: a removed person keeps their "
        "name in past minutes and actions but gets no invitation and is not on the "
        "check-in's attendance list. Everyone active with an email gets their own "
        "invitation (i on the check-in screen); the start of a check-in ticks attendance "
        "from this list; owner fields suggest these names. N renames the team. From the "
        "shell: mhtui staff list|add|edit|remove and mhtui teams list|add|rename."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add person", id="roster.add"),
        Binding("e", "edit", "Edit", id="roster.edit"),
        Binding("d", "toggle_active", "Remove/restore", id="roster.toggle_active"),
        Binding("N", "rename_team", "Rename team", id="roster.rename_team"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.people: tuple[Person, ...] = ()
        self.to_select: int | None = None  # a person just added: the cursor goes to them

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="roster-summary")
        yield DataTable(id="roster-table", cursor_type="row", zebra_stripes=True)
        yield StatusLine(id="roster-status")
        yield Footer(compact=True)

    def read(self) -> tuple[Person, ...]:
        assert self.mh.team_id is not None
        return tuple(staff.roster(self.mh.db, self.mh.team_id))

    def show(self, people: tuple[Person, ...]) -> None:
        table = self.query_one(DataTable)
        keep = table.cursor_row
        self.people = people
        table.clear(columns=True)
        table.add_columns("#", "Name", "Role", "Email", "Active")
        for p in self.people:
            table.add_row(str(p.id), table_cell(p.name), table_cell(p.role or "—"),
                          table_cell(p.email or "—"), "yes" if p.active else "✗ removed",
                          key=str(p.id))
        if self.people:
            table.move_cursor(row=min(keep, len(self.people) - 1))
        wanted, self.to_select = self.to_select, None
        for row, p in enumerate(self.people):
            if p.id == wanted:
                table.move_cursor(row=row)
        active = sum(p.active for p in self.people)
        mailed = sum(p.active and bool(p.email) for p in self.people)
        self.query_one("#roster-summary", Static).update(literal(
            f"{active} active, {len(self.people) - active} removed; {mailed} with an email "
            "(one invitation each)" if self.people else
            "No one on the roster yet. Press a to add the first person."))
        table.focus()

    def selected(self) -> Person | None:
        table = self.query_one(DataTable)
        if not self.people or table.cursor_row < 0:
            return None
        return self.people[min(table.cursor_row, len(self.people) - 1)]

    def say(self, message: str) -> None:
        self.query_one("#roster-status", StatusLine).say(message)

    async def _form(self, title: str, person: Person | None, save: staff.Saver) -> None:
        assert self.mh.team_id is not None
        roles = await asyncio.to_thread(staff.grid_roles, self.mh.db, self.mh.team_id)

        def done(fields: PersonFields | None) -> None:
            self.load()

        self.app.push_screen(PersonForm(title, roles, person, save), done)

    async def action_add(self) -> None:
        team_id = self.mh.team_id
        assert team_id is not None

        def save(fields: PersonFields) -> None:
            person = staff.add(self.mh.db, team_id, *fields)
            self.say(f"Added {person.name}.")
            self.to_select = person.id  # once the roster is read again

        await self._form("Add a person", None, save)

    async def action_edit(self) -> None:
        person = self.selected()
        if person is None:
            self.say("No one to edit: a adds a person.")
            return

        def save(fields: PersonFields) -> None:
            name, role, email = fields
            saved = staff.edit(self.mh.db, person.id, person.version, name=name, role=role,
                               email=email)
            self.say(f"Saved {saved.name}.")

        await self._form(f"Edit #{person.id}", person, save)

    @on(DataTable.RowSelected, "#roster-table")
    async def _chosen(self) -> None:
        await self.action_edit()

    async def action_toggle_active(self) -> None:
        person = self.selected()
        if person is None:
            self.say("No one to remove.")
            return
        try:
            saved = await asyncio.to_thread(staff.edit, self.mh.db, person.id, person.version,
                                            active=not person.active)
        except staff.ConflictError as conflict:
            self.show_conflict(conflict)
            return
        await self.read_now()
        self.say(f"Brought back {saved.name}." if saved.active else
                 f"Removed {saved.name}: past minutes keep the name; d brings them back.")

    async def action_rename_team(self) -> None:
        team = await asyncio.to_thread(self.mh.active_team)
        self.app.push_screen(TeamNameForm(team), lambda _name: self.load())
