"""Ask for the files to import: paths separated by spaces."""

from __future__ import annotations

import shlex

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Label, Static

from mhtui.ui.screens.dialog import Dialog
from mhtui.ui.widgets.fields import Input
from mhtui.ui.widgets.text import literal


class ImportForm(Dialog[list[str] | None]):
    BOX = "import-form"
    FIRST = "import-paths"

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="import-form", classes="dialog") as box:
            box.border_title = "Import reflection files"
            yield Label("File paths, separated by spaces (quote paths with spaces); Enter")
            yield Input(id="import-paths",
                        placeholder="~/Downloads/reflection-2026-11-05-school-counselor.json")
            yield Static("", id="import-error", classes="error")

    @on(Input.Submitted)
    def _done(self, event: Input.Submitted) -> None:
        try:
            paths = shlex.split(event.value)
        except ValueError as exc:
            self.query_one("#import-error", Static).update(
                literal(f"Cannot read the paths: {exc}."))
            return
        self.dismiss(paths or None)
