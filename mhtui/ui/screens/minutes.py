"""The minutes of a check-in, on screen, and saved to a file on request."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Markdown

from mhtui.ui.screens.base import MHScreen


class MinutesScreen(MHScreen):
    TITLE_TEXT = "mhtui · minutes"
    HELP = ("The minutes of a check-in: planned against actual minutes per item, the notes, "
            "the actions set and the statuses changed in it. s saves them as a Markdown "
            "file (readable by you only) and says where; `mhtui export meeting ID` does "
            "the same from the shell.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "save", "Save to file", id="minutes.save"),
    ]

    def __init__(self, meeting_id: int) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        self.text = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="minutes-box"):
            yield Markdown("", id="minutes")
        yield Footer(compact=True)

    def reload(self) -> None:
        from mhtui.store import checkins

        self.text = checkins.minutes(self.mh.db, self.meeting_id, self.mh.clock.now())
        self.query_one(Markdown).update(self.text)

    def action_save(self) -> None:
        from mhtui.atomic import WriteFailed
        from mhtui.paths import exports_dir, write_private

        try:
            path = write_private(exports_dir() / f"checkin-{self.meeting_id}-minutes.md",
                                 self.text)
        except (OSError, WriteFailed) as exc:  # a full disk: said, and the app goes on
            self.app.bell()
            self.notify(str(exc), title="Not saved", severity="error", timeout=20)
            return
        self.notify(f"Saved to {path}")

    def action_back(self) -> None:
        self.app.pop_screen()
