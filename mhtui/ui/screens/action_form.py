"""The form for a new or edited action: what, who, by when. Bad input stays on screen
with a message by the field, and nothing is saved until all of it reads right."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Input, Label, Static, TextArea

from mhtui.core.dates import DATE_HINT, DateError, parse_due
from mhtui.core.tidy import tidy
from mhtui.store.actions import Fields
from mhtui.ui.screens.dialog import Dialog
from mhtui.ui.widgets.text import literal


class ActionForm(Dialog[Fields | None]):
    BOX = "action-form"
    FIRST = "form-text"
    TITLE_TEXT = "action"
    HELP = (
        "Describe the action, who owns it and when it will be done. Due dates: "
        + DATE_HINT + " Ctrl+S saves; Esc cancels without saving. Tab moves between fields."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="save", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    def __init__(self, title: str, today: date, initial: Fields | None = None, *,
                 require_owner: bool = False) -> None:
        super().__init__()
        self.form_title = title
        self.today = today
        self.initial = initial or Fields(text="")
        self.require_owner = require_owner

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="action-form", classes="dialog") as box:
            box.border_title = literal(self.form_title)
            box.border_subtitle = "ctrl+s save · esc cancel"
            yield Label("What will be done?")
            yield TextArea(self.initial.text, id="form-text", soft_wrap=True,
                           show_line_numbers=False, tab_behavior="focus")
            yield Static("", id="form-text-error", classes="error")
            yield Label("Who is responsible?" + (" (required)" if self.require_owner else ""))
            yield Input(self.initial.owner, id="form-owner", placeholder="a name")
            yield Static("", id="form-owner-error", classes="error")
            yield Label("When will it be done?")
            due = self.initial.due_on.isoformat() if self.initial.due_on else ""
            yield Input(due, id="form-due", placeholder="2026-01-31, 1/31/2026, +2w, tomorrow")
            yield Static("", id="form-due-error", classes="error")
        yield Footer(compact=True)

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

    def action_save(self) -> None:
        fields = self.read()
        if fields is not None:
            self.dismiss(fields)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_cancel(self) -> None:
        self.dismiss(None)
