"""The minutes of a check-in, on screen, and saved to a file on request."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Markdown

from mhtui.ui.screens.base import MHScreen


class MinutesScreen(MHScreen):
    TITLE_TEXT = "mhtui · minutes"
    HELP = ("The minutes of a check-in: when it began and ended, who attended and who did "
            "not, planned against actual minutes per item (and any time corrected by hand), "
            "the notes, the actions reviewed and set, and the next check-in from the "
            "schedule. s saves them as Markdown, t as plain text to paste into an email, "
            "named after the team and the day (minutes-lincoln-high-2026-11-25.md), readable "
            "by you only, and says where; `mhtui export meeting ID --format md|txt` does "
            "the same from the shell.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "save('md')", "Save Markdown", id="minutes.save"),
        Binding("t", "save('txt')", "Save text", id="minutes.save_text"),
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

    def read(self) -> str:
        from mhtui.store.checkins import minutes_doc

        return minutes_doc.minutes_text(self.mh.db, self.meeting_id, self.mh.clock.now())

    def show(self, text: str) -> None:
        self.text = text
        self.query_one(Markdown).update(text)

    async def action_save(self, fmt: str = "md") -> None:
        from mhtui.atomic import WriteFailed
        from mhtui.paths import exports_dir, write_private
        from mhtui.store.checkins import minutes_doc

        db, meeting_id, now, shown = self.mh.db, self.meeting_id, self.mh.clock.now(), self.text

        def write() -> Path:  # in a thread: the file's name and text read, then written
            name = minutes_doc.filename(db, meeting_id, fmt)
            text = shown if fmt == "md" and shown else minutes_doc.minutes_text(
                db, meeting_id, now, fmt)
            return write_private(exports_dir() / name, text)

        try:
            path = await asyncio.to_thread(write)
        except (OSError, WriteFailed) as exc:  # a full disk: said, and the app goes on
            self.app.bell()
            self.notify(str(exc), title="Not saved", severity="error", timeout=20)
            return
        self.notify(f"Saved to {path}")

    def action_back(self) -> None:
        self.app.pop_screen()
