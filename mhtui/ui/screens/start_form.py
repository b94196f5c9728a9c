"""Starting a check-in: when, and who is there, ticked from the team's roster.

Everyone active on the roster starts ticked; space unticks whoever is away, and they
are recorded as absent (the minutes name them). Guests who are not on the roster go in
the box below, one per line. A name listed twice asks before the check-in starts.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import ClassVar, TypeAlias

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Label, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from mhtui.core.dates import DateError, parse_due
from mhtui.core.wording import is_whole_number
from mhtui.store.teams.staff import Person
from mhtui.ui.screens.dialog import Dialog
from mhtui.ui.widgets.fields import Input
from mhtui.ui.widgets.text import literal

People: TypeAlias = list[tuple[str, str]]
# When, who attended, who on the roster did not.
Started: TypeAlias = tuple[datetime, People, People]


def parse_when(text: str, now: datetime) -> datetime:
    """'2026-12-01 15:30', '12/1/2026 15:30', 'today 15:30', or empty for now."""
    value = text.strip()
    if not value:
        return now
    day_text, _, time_text = value.partition(" ")
    day = parse_due(day_text, now.astimezone().date())
    if day is None:
        return now
    hour, minute = 9, 0
    if time_text.strip():
        parts = time_text.strip().split(":")
        if len(parts) != 2 or not all(is_whole_number(p) for p in parts):
            raise DateError(f"{time_text.strip()!r} is not a time; write it as 15:30.")
        hour, minute = int(parts[0]), int(parts[1])
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise DateError(f"{time_text.strip()!r} is not a time of day.")
    return datetime.combine(day, time(hour, minute)).astimezone()


def guests(text: str) -> People:
    """'name, role' lines; empty lines skipped."""
    people = []
    for line in text.splitlines():
        name, _, role = line.partition(",")
        if name.strip():
            people.append((" ".join(name.split()), " ".join(role.split())))
    return people


def twice(people: People) -> list[str]:
    """Names listed more than once (any case, any spacing), in the order first seen."""
    seen: dict[str, int] = {}
    first: dict[str, str] = {}
    for name, _ in people:
        key = " ".join(name.split()).casefold()
        seen[key] = seen.get(key, 0) + 1
        first.setdefault(key, name)
    return [first[k] for k, count in seen.items() if count > 1]


def once(people: People) -> People:
    kept: People = []
    keys: set[str] = set()
    for name, role in people:
        key = " ".join(name.split()).casefold()
        if key not in keys:
            keys.add(key)
            kept.append((name, role))
    return kept


class StartForm(Dialog[Started | None]):
    BOX = "start-form"
    FIRST = "start-when"
    TITLE_TEXT = "start a check-in"
    HELP = ("When the check-in is held, and who is there. Everyone active on the team's "
            "roster starts ticked: Tab to the list, then space unticks whoever is away "
            "(they are recorded as absent and named in the minutes). People not on the "
            "roster go in the box below, one per line as 'name, role'. A name listed twice "
            "asks first. ctrl+s starts the check-in; the clock waits for space in the "
            "check-in view. The roster is kept on the dashboard (p).")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Start", id="start_form.start", priority=True),
    ]

    def __init__(self, now: datetime, roster: list[Person]) -> None:
        super().__init__()
        self.now = now
        self.roster = roster

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="start-form", classes="dialog") as box:
            box.border_title = "Start a check-in"
            box.border_subtitle = "ctrl+s start · esc cancel"
            yield Label("Date and time (empty: now)")
            yield Input(self.now.astimezone().strftime("%Y-%m-%d %H:%M"), id="start-when")
            yield Static("", id="start-when-error", classes="error")
            if self.roster:
                yield Label(f"Who is here? Space ticks or unticks ({len(self.roster)} on "
                            "the roster)")
                yield SelectionList[int](
                    *(Selection(literal(f"{p.name} ({p.role})" if p.role else p.name),
                                p.id, True) for p in self.roster),
                    id="start-roster")
            else:
                yield Static("No one on the roster yet (p on the dashboard adds people).",
                             id="start-roster-empty")
            yield Label("Others attending, one per line: name, role")
            yield TextArea("", id="start-attendees", tab_behavior="focus")
            yield Static("", id="start-error", classes="error")
        yield Footer(compact=True)

    def typed(self) -> bool:
        return super().typed() or (bool(self.roster) and len(self._ticked()) != len(self.roster))

    def _ticked(self) -> set[int]:
        found = self.query("#start-roster").results(SelectionList)
        return {int(v) for listing in found for v in listing.selected}

    def chosen(self) -> tuple[People, People]:
        ticked = self._ticked()
        present = [(p.name, p.role) for p in self.roster if p.id in ticked]
        absent = [(p.name, p.role) for p in self.roster if p.id not in ticked]
        return present + guests(self.query_one("#start-attendees", TextArea).text), absent

    def action_save(self) -> None:
        from mhtui.ui.screens.confirm import ConfirmScreen

        try:
            when = parse_when(self.query_one("#start-when", Input).value, self.now)
        except DateError as exc:
            self.query_one("#start-when-error", Static).update(literal(str(exc)))
            return
        present, absent = self.chosen()
        doubled = twice(present)
        if not doubled:
            self.dismiss((when, present, absent))
            return
        names = ", ".join(repr(n) for n in doubled[:5]) + ("…" if len(doubled) > 5 else "")

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss((when, once(present), absent))
            else:
                self.query_one("#start-error", Static).update(literal(
                    f"Listed twice: {names}. Untick or delete one, then ctrl+s."))

        self.app.push_screen(ConfirmScreen(
            f"Listed twice: {names}", "y starts the check-in with each person recorded "
            "once; n goes back to the list."), answered)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()
