"""The form for a new or edited action: what, who, by when. Bad input stays on screen
with a message by the field, and nothing is saved until all of it reads right. A save
that fails (disk full, changed elsewhere) leaves the form open with the text in it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Footer, Label, Static, TextArea

from mhtui.core.dates import DATE_HINT, DateError, parse_due
from mhtui.core.tidy import tidy
from mhtui.store.actions.actions import ConflictError, Fields
from mhtui.store.database.dbfile import StorageProblem
from mhtui.ui.screens.dialog import Dialog
from mhtui.ui.widgets.autosave import NotSaved, form_values, not_saved
from mhtui.ui.widgets.fields import Input
from mhtui.ui.widgets.text import literal


class ActionForm(Dialog[Fields | None]):
    BOX = "action-form"
    FIRST = "form-text"
    TITLE_TEXT = "action"
    HELP = (
        "Describe the action, who owns it and when it will be done (the owner field "
        "suggests names from the team's roster as you type; → takes one, or type any "
        "name). Due dates: "
        + DATE_HINT + " A date more than three years ahead is asked about. Ctrl+S "
        "saves; Esc cancels (after asking, if you typed anything). "
        "Tab moves between fields."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="action_form.save", priority=True),
    ]

    def __init__(self, title: str, today: date, initial: Fields | None = None, *,
                 require_owner: bool = False,
                 save: Callable[[Fields], None] | None = None) -> None:
        """``save`` writes the action; the form closes only once it has. It raises
        StorageProblem or ConflictError when the write did not happen."""
        super().__init__()
        self.form_title = title
        self.today = today
        self.initial = initial or Fields(text="")
        self.require_owner = require_owner
        self.save = save

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="action-form", classes="dialog") as box:
            box.border_title = literal(self.form_title)
            box.border_subtitle = "ctrl+s save · esc cancel"
            yield Label("What will be done?")
            yield TextArea(self.initial.text, id="form-text", soft_wrap=True,
                           show_line_numbers=False, tab_behavior="focus")
            yield Static("", id="form-text-error", classes="error")
            yield Label("Who is responsible?" + (" (required)" if self.require_owner else ""))
            # The roster's names are suggested as you type (→ takes one); any name goes.
            # Read here, on the screen's thread, as the form is made: a roster is a few
            # dozen names at most, and read later (in a thread) a → typed right behind a
            # name's first letters found no suggestion yet and was lost.
            yield Input(self.initial.owner, id="form-owner", placeholder="a name",
                        suggester=SuggestFromList(self._roster(), case_sensitive=False))
            yield Static("", id="form-owner-error", classes="error")
            yield Label("When will it be done?")
            due = self.initial.due_on.isoformat() if self.initial.due_on else ""
            yield Input(due, id="form-due", placeholder="2026-01-31, 1/31/2026, +2w, tomorrow")
            yield Static("", id="form-due-error", classes="error")
            yield Static("", id="form-save-error", classes="error")
        yield Footer(compact=True)

    def _roster(self) -> list[str]:
        from mhtui.store.teams import staff

        team_id = getattr(self.app, "team_id", None)
        db = getattr(self.app, "db", None)
        return staff.names(db, team_id) if db is not None and team_id is not None else []

    def _error(self, which: str, message: str) -> None:
        self.query_one(f"#form-{which}-error", Static).update(literal(message))

    def read(self) -> Fields | None:
        """The form's values, or None after showing what is wrong."""
        text = self.query_one("#form-text", TextArea).text
        owner = self.query_one("#form-owner", Input).value
        due_text = self.query_one("#form-due", Input).value
        ok = True
        self._error("text", "")
        self._error("owner", "")
        self._error("due", "")
        if not tidy(text).strip():
            self._error("text", "Describe the action: what will be done?")
            ok = False
        if self.require_owner and not tidy(owner).strip():
            self._error("owner", "Actions set in a check-in need an owner.")
            ok = False
        due: date | None = None
        try:
            due = parse_due(due_text, self.today)
        except DateError as exc:
            self._error("due", str(exc))
            ok = False
        return Fields(text=text, owner=owner, due_on=due) if ok else None

    confirmed_due: date | None = None  # a far-off due date said yes to

    def action_save(self) -> None:
        fields = self.read()
        if fields is None:
            return
        if self._doubted(fields):
            return
        if self.save is not None:
            try:
                self.save(fields)
            except (StorageProblem, ConflictError) as problem:
                self._error("save", not_saved(str(problem)))
                self.app.bell()
                return  # the form stays, with everything typed in it
        self.dismiss(fields)

    def _doubted(self, fields: Fields) -> bool:
        """A due date more than three years ahead is asked about before it is saved."""
        from mhtui.core.questionable import due_doubt
        from mhtui.ui.screens.confirm import ConfirmScreen

        doubt = due_doubt(fields.due_on, self.today)
        if doubt is None or fields.due_on == self.confirmed_due:
            return False

        def answered(yes: bool | None) -> None:
            if yes:
                self.confirmed_due = fields.due_on
                self.action_save()
            else:
                self.query_one("#form-due", Input).focus()

        self.app.push_screen(ConfirmScreen(doubt, "y saves it with this date; n goes back "
                                                  "to the form to change it."), answered)
        return True

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def flush(self) -> None:
        """Before the app quits: a complete action is saved, as ctrl+s would."""
        if not self.typed():
            return
        fields = self.read() if self.save is not None else None
        if fields is None:
            super().flush()  # says what is not kept; ctrl+q asks once
            return
        assert self.save is not None
        try:
            self.save(fields)
        except ConflictError as error:
            raise NotSaved(str(error)) from error
        self.untouched = form_values(self)  # written: never twice
        self.dismiss(fields)
