"""What every screen of mhtui shares: a header with the team, the footer, a way back."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker

from mhtui.store.dbfile import DatabaseProblem
from mhtui.ui.textual_private import KeepsGoing

if TYPE_CHECKING:
    from mhtui.ui.app import MHApp


CONFLICT_SHOWN = "The screen now shows their version."
# For free text: what was typed here is not dropped but kept under theirs.
CONFLICT_KEPT = ("The screen shows their text; what you typed is kept below it, under a "
                 "line, and saved.")


class MHScreen(KeepsGoing, Screen[None]):
    """A screen that reads what it shows from the store, and re-reads on ``reload``.

    Loading waits until after the screen's first paint, so the frame appears at once and
    the ORM is imported only when the first figures are needed.
    """

    TITLE_TEXT: ClassVar[str] = "mhtui"
    loads = 0  # how many times the screen has read the store: tests and the bench wait on it
    HELP: ClassVar[str] = ""
    # The one Esc of every screen: a screen with somewhere else to go overrides
    # action_back. Binding ids are "<screen>.<what>", for the settings' keymap.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="screen.back"),
    ]

    @property
    def mh(self) -> MHApp:
        return cast("MHApp", self.app)

    def on_screen_resume(self) -> None:
        if self.mh.db_is_open:
            self.load()  # reading is quick: paint once, with fresh rows
        else:
            self.call_after_refresh(self.load)

    def load(self) -> None:
        try:
            self.title = self.TITLE_TEXT
            self.sub_title = self.mh.active_team().name
            self.reload()
            self.loads += 1
        except DatabaseProblem as problem:
            self.mh.fail(problem)
        except Exception as error:
            if not self.mh.server_gone(error):  # a server down: said, the screen as it was
                raise

    def reload(self) -> None:
        """Read the store again and redraw. Subclasses fill this in."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker of this screen that fails is said by the app's one handler, like its
        own (the message does not bubble). A screen's own handler, run before this one,
        takes the results."""
        self.mh.on_worker_state_changed(event)

    def reread(self) -> None:
        """Show what the store holds now, after a change was refused as based on an old
        copy. A screen whose ``reload`` keeps what is typed in its fields reads those
        again here too."""
        self.load()

    def say(self, message: str) -> None:
        """One line to the person; a screen with a status line shows it there."""
        self.notify(message, severity="warning", timeout=20)

    def show_conflict(self, problem: Exception, shown: str = CONFLICT_SHOWN) -> None:
        """Someone else changed what this screen showed, so a change was not saved: show
        their version, and say so in one line."""
        self.reread()
        self.say(f"{problem} {shown}")

    def flush(self) -> None:
        """Write anything typed but not yet saved; called before the app quits."""

    def commands(self) -> Iterable[SystemCommand]:
        """Palette entries that only make sense on this screen."""
        return ()

    def action_back(self) -> None:
        self.mh.go("dashboard")
