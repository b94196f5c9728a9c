"""What every screen of mhtui shares: a header with the team, the footer, a way back,
and the one way a screen reads the store off its thread (``run_store``): the call runs in
a Textual worker and its result comes back as a typed message (a ``Read`` subclass per
kind of result, harlequin's style); a read that fails is said in one place
(``on_worker_state_changed``).

A screen's own reading goes the same way: ``read()`` (store calls only, in a worker)
returns a frozen model, and ``show(model)`` draws it on the screen's thread. ``load``,
``refresh_from_store`` and ``reread`` all go through that pair, so a change from another
laptop redraws every visible screen without holding a key; opening a screen, or a key
whose next key acts on what it read, awaits the read (``read_now``), so keys typed
meanwhile wait for the rows they are meant for while the screen's thread goes on."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast

from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from mhtui.store.database.dbfile import DatabaseProblem
from mhtui.ui.textual_private import KeepsGoing
from mhtui.ui.widgets.line_table import LineTable

if TYPE_CHECKING:
    from mhtui.ui.app_api import MH


T = TypeVar("T")

CONFLICT_SHOWN = "The screen now shows their version."
# For free text: what was typed here is not dropped but kept under theirs.
CONFLICT_KEPT = ("The screen shows their text; what you typed is kept below it, under a "
                 "line, and saved.")


class Read(Message, Generic[T]):
    """What a store call read in a worker (``MHScreen.run_store``), posted to the screen
    that asked. Subclass it per kind of result so a handler names what it takes."""

    bubble = False  # an answer for the screen that asked, no one else

    def __init__(self, result: T) -> None:
        super().__init__()
        self.result = result


class Shown(Read[tuple[str, object]]):
    """A screen's model (``MHScreen.read``) with the header's sub-title, read in a worker
    for ``MHScreen.show``; ``number`` is the read it answers (only the newest is shown)."""

    def __init__(self, number: int, result: tuple[str, object]) -> None:
        super().__init__(result)
        self.number = number


class RowsRead(Read[Sequence[Any]]):
    """The rows a LineTable asked for (``LineTable.PageWanted``): filled in where asked."""

    def __init__(self, wanted: LineTable.PageWanted, rows: Sequence[Any]) -> None:
        super().__init__(rows)
        self.wanted = wanted


def run_store(screen: Screen[Any], call: Callable[[], T], answer: Callable[[T], Read[Any]],
              *, exclusive: bool = True) -> Worker[None]:
    """Run ``call`` in a worker of ``screen`` and post ``answer(result)`` to it.
    Exclusive by kind of answer: a newer read of the same kind cancels the older, whose
    answer is then never posted."""
    def job() -> None:
        result = call()
        if not get_current_worker().is_cancelled:
            screen.post_message(answer(result))

    kind = getattr(answer, "__qualname__", "store")
    return screen.run_worker(job, name=kind, group=kind, thread=True, exclusive=exclusive,
                             exit_on_error=False)


class MHScreen(KeepsGoing, Screen[None]):
    """A screen that reads what it shows from the store (``read``) and draws it
    (``show``): on opening and coming back, and whenever the data changed under it.

    Until the store is open the first read waits for the screen's first paint, so the
    frame appears at once and the ORM is imported only when the first figures are needed.
    """

    TITLE_TEXT: ClassVar[str] = "mhtui"
    loads = 0  # reads shown: tests (helpers.loaded) and the bench wait on it
    HELP: ClassVar[str] = ""
    # The one Esc of every screen: a screen with somewhere else to go overrides
    # action_back. Binding ids are "<screen>.<what>", for the settings' keymap.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="screen.back"),
    ]

    @property
    def mh(self) -> MH:
        return cast("MH", self.app)

    async def on_screen_resume(self) -> None:
        if not self.mh.db_is_open:
            self.call_after_refresh(self.load)
        else:
            # Opened, or back on it: read off the screen's thread, and keys typed
            # meanwhile wait for the rows they are meant for (the key gate waits for
            # this handler); painted once, with fresh rows.
            self.title = self.TITLE_TEXT
            self.before_read()
            await self.read_now(title=True)

    reads = 0  # the newest read asked for: the answer to an older one is not shown
    shown = 0  # the newest read shown: while reads is ahead of it, one is in flight

    def load(self) -> None:
        """Read the store in a worker (``read``) and draw what it read (``show``) when
        the answer comes; a newer load cancels an older one, whose answer is dropped."""
        self.title = self.TITLE_TEXT
        self.before_read()
        self.read_later(title=True)

    def read_later(self, *, title: bool = False) -> None:
        """Read in a worker and show the answer when it lands, holding no key."""
        self.reads += 1
        number = self.reads
        self.run_store(lambda: (self.read_title() if title else "", self.read()),
                       lambda result: Shown(number, result))

    def before_read(self) -> None:
        """On the screen's thread, before ``load`` reads: note what the read needs from
        the widgets (the cursor's row), or write what is typed so the read has it."""

    def read_title(self) -> str:
        """In the worker, before ``read``: the header's sub-title, the active team's
        name (which also sets the app's team for ``read``). "" leaves it to ``show``."""
        return self.mh.active_team().name

    def read(self) -> object:
        """In a worker: what the screen shows, read with store calls only, returned as
        a frozen model for ``show``. Touches no widget; the screen's own attributes it
        reads were set on the screen's thread before ``load`` was called."""
        return None

    def show(self, model: Any) -> None:
        """On the screen's thread: draw ``model`` (from ``read``); no store call."""

    def on_shown(self, shown: Shown) -> None:
        self._shown(shown.number, shown.result)

    def _shown(self, number: int, read: tuple[str, object]) -> None:
        if number != self.reads:
            return  # a newer read is on its way
        title, model = read
        if title:
            self.sub_title = title
        self.shown = number
        self.show(model)
        self.loads += 1

    async def read_now(self, *, title: bool = False) -> None:
        """Read (in a thread) and show before the handler that awaits this is done: for
        a key whose next key must act on what it read (the key gate, and a test's
        pilot, wait for the handler). A sync handler calls ``read_soon``. A failure is
        said as a worker's is."""
        self.reads += 1
        number = self.reads
        try:
            read = await asyncio.to_thread(
                lambda: (self.read_title() if title else "", self.read()))
        except DatabaseProblem as problem:
            self.mh.fail(problem)
            return
        except Exception as error:
            if not self.mh.server_gone(error):  # a server down: said, the screen as it was
                raise
            return
        self._shown(number, read)

    def read_soon(self) -> None:
        """``read_now`` from a sync handler that changed what the screen shows (its
        query, a row it made): a read already in flight was asked before that change,
        so its answer is not shown (the tracker's would put the old sort back)."""
        self.reads += 1
        self.call_later(self.read_now)

    def wrote(self) -> None:
        """A change was written on the screen's thread and drawn in place: a read in
        flight may predate it, so it is dropped and read again."""
        if self.reads != self.shown:
            self.load()

    def refresh_from_store(self) -> None:
        """Show what the store holds now: the one path for anything that changed the
        data under this screen (another laptop's change, a team switched, a conflict),
        so a caller need not know how the screen reads."""
        self.load()

    def run_store(self, call: Callable[[], T], answer: Callable[[T], Read[Any]], *,
                  exclusive: bool = True) -> Worker[None]:
        """Run ``call`` (a store read) in a worker and post ``answer(result)`` to this
        screen; a failure is said in one place, ``on_worker_state_changed``."""
        return run_store(self, call, answer, exclusive=exclusive)

    def read_rows(self, wanted: LineTable.PageWanted,
                  call: Callable[[], Sequence[Any]]) -> None:
        """Read the rows a LineTable asked for in a worker; they are filled in when read."""
        self.run_store(call, lambda rows: RowsRead(wanted, rows), exclusive=False)

    def on_rows_read(self, read: RowsRead) -> None:
        wanted = read.wanted
        wanted.table.fill_page(wanted.source, wanted.offset, read.result)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place a read of this screen's workers that failed is said (the
        message does not bubble): a server gone is said and the screen stays as it was,
        as in ``load``; anything else goes to the app's one handler."""
        error = event.worker.error
        if event.state is WorkerState.ERROR:
            for table in self.query(LineTable):  # a page that will not come: keys go on
                table.release_wanted()
        if (event.state is WorkerState.ERROR and isinstance(error, Exception)
                and not isinstance(error, DatabaseProblem) and self.mh.server_gone(error)):
            return
        self.mh.on_worker_state_changed(event)

    def reread(self) -> None:
        """Show what the store holds now, after a change was refused as based on an old
        copy. A screen whose ``show`` keeps what is typed in its fields reads those
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
