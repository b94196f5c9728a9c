"""What changed since the team's last check-in: the first thing a check-in reviews."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from mhtui.store.action_list import Change
from mhtui.ui.widgets.text import lines, literal, one_line, styled

GROUPS = (
    ("new", "New actions"),
    ("status", "Status changes"),
    ("completed", "Completed"),
    ("overdue", "Newly overdue"),
)


def render_changes(changes: list[Change], width: int = 70) -> Content:
    if not changes:
        return literal("Nothing has changed since the last check-in (or none has been held "
                       "yet).")
    out: list[Content | str] = []
    for what, title in GROUPS:
        group = [c for c in changes if c.what == what]
        out.append(styled("[b]$title[/b] ($count)", title=title, count=len(group)))
        for change in group:
            text = one_line(change.action.text, width)
            owner = f" ({change.action.owner})" if change.action.owner else ""
            out.append(f"  #{change.action.id} {text}{owner}\n      {change.detail}")
        out.append("")
    return lines(out[:-1])


class SinceScreen(ModalScreen[None]):
    TITLE_TEXT = "since the last check-in"
    HELP = (
        "Everything that moved since the team's last check-in ended: actions added, "
        "status changes, actions completed, and actions whose due date has passed since."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", id="since.close"),
    ]

    def __init__(self, heading: str, changes: list[Change]) -> None:
        super().__init__()
        self.heading = heading
        self.changes = changes

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="since-box", classes="dialog") as box:
            box.border_title = literal(self.heading)
            box.border_subtitle = "esc closes"
            yield Static(render_changes(self.changes), id="since-body")
        yield Footer(compact=True)
