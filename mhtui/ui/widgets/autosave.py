"""Writing what is typed while it is typed, so nothing typed is lost.

One ``Autosaver`` per form: it writes QUIET seconds after the last change, and never
later than MAX_WAIT seconds after the oldest change not yet written, however steadily
someone types (a plain debounce would write nothing during 18 s of steady typing). The
screen also flushes it when a field loses focus, before it goes away and before the app
quits. The status line says "Draft saved HH:MM:SS" only after a write that reached the
database, and "Not saved: <why>" otherwise; what failed stays unwritten and is tried
again on the next change, blur or quit; and when a database server was away (stopped,
restarting, the network down), every RETRY seconds meanwhile, so it is saved once the
server is back without another key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from mhtui.store.database.dbfile import StorageProblem

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.message_pump import MessagePump
    from textual.timer import Timer

    from mhtui.core.clock import Clock

QUIET = 0.5  # seconds after the last change
MAX_WAIT = 2.0  # seconds after the oldest change not yet written, at the latest
RETRY = 5.0  # seconds between tries of a write the database server was away for


class NotSaved(StorageProblem):
    """What was typed did not reach the database; str() says why.

    A StorageProblem, so quitting reports it and asks once before leaving without it.
    """


class Autosaver:
    """Calls ``write`` soon after changes; ``say`` shows how that went.

    ``write`` stores the whole form and raises StorageProblem (disk full, file gone) or
    one of ``refusals`` (the row changed elsewhere) when the database did not take it.
    Deadlines are read from the app's clock, so a test can move time instead of sleeping.
    """

    def __init__(self, owner: MessagePump, write: Callable[[], None],
                 say: Callable[[str], None], clock: Clock, *,
                 refusals: tuple[type[Exception], ...] = (), saved: str = "Draft saved") -> None:
        self._owner = owner
        self._write = write
        self._say = say
        self._clock = clock
        self._refusals: tuple[type[Exception], ...] = (StorageProblem, *refusals)
        self._saved = saved
        self._timer: Timer | None = None
        self._oldest: float | None = None  # when the oldest unwritten change came
        self.problem: str | None = None  # why the last write failed, if it did

    @property
    def pending(self) -> bool:
        """Something was typed that is not in the database yet."""
        return self._oldest is not None

    def changed(self) -> None:
        """Something was typed: write it soon."""
        now = self._clock.monotonic()
        if self._oldest is None:
            self._oldest = now
        delay = min(QUIET, self._oldest + MAX_WAIT - now)
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if delay <= 0:
            self.flush()  # typing has gone on for MAX_WAIT: write before the next key
        else:
            self._timer = self._owner.set_timer(delay, self._due)

    def _due(self) -> None:
        self.flush()

    def flush(self, force: bool = False) -> bool:
        """Write now what is unwritten (everything, with ``force``); True if all is saved."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._oldest is None and not force:
            return True
        return self.run(self._write)

    def run(self, write: Callable[[], None]) -> bool:
        """Make one write of the whole form (``write`` may carry more, such as a new
        state) and report it; True if it reached the database."""
        try:
            write()
        except self._refusals as problem:
            # Still unwritten: tried again at the usual pace, on blur and on quitting.
            self._oldest = self._clock.monotonic()
            self.problem = str(problem) or "the database refused the change."
            self._say(not_saved(self.problem))
            if self._timer is None and _server_away(problem):
                self._timer = self._owner.set_timer(RETRY, self._due)
            return False
        self._oldest = None
        self.problem = None
        self._say(f"{self._saved} {self._clock.now().astimezone():%H:%M:%S}")
        return True

    def flush_or_raise(self) -> None:
        """Before quitting: write, or raise NotSaved saying why it could not be."""
        if not self.flush():
            raise NotSaved(self.problem or "what you typed could not be written.")

    def stop(self) -> None:
        """Nothing more to write (submitted, or deliberately discarded)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._oldest = None


def _server_away(problem: Exception) -> bool:
    """The write failed because the database server went away or is restarting (not a
    refusal of what was written): worth trying again, as mhtui connects again itself."""
    from mhtui.store.database.opening import server_gone

    return problem.__cause__ is not None and server_gone(problem.__cause__)


def not_saved(why: str) -> str:
    """The words for a failed write, "Not saved: <why>", said once (some refusals
    already begin with them)."""
    return why if why.startswith("Not saved") else f"Not saved: {why}"


def form_values(node: DOMNode) -> list[object]:
    """What is typed or chosen in every field under ``node``: compared with an earlier
    reading to tell whether anything was typed since."""
    from textual.widgets import Input, Select, TextArea

    values: list[object] = []
    for widget in node.query("Input, TextArea, Select"):
        if isinstance(widget, TextArea):
            values.append(widget.text)
        elif isinstance(widget, Input | Select):
            values.append(widget.value)
    return values
