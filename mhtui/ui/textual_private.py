"""Every use of Textual's private names in mhtui, each with why no public one serves.

tests/test_textual_private.py fails loudly the day a Textual release changes one (Textual
is pinned exactly until then); tests/test_layering.py keeps them out of other modules.
"""

from __future__ import annotations

from queue import Queue
from typing import TYPE_CHECKING, Any, cast

from textual.message import Message
from textual.message_pump import MessagePump

from mhtui.store.database.dbfile import StorageProblem

if TYPE_CHECKING:
    from textual.app import App
    from textual.driver import Driver

    from mhtui.ui.app_api import MH


class KeepsGoing(MessagePump):
    """A screen whose handlers' failed writes (Enter in a field, a row chosen) are said,
    and which goes on. Textual hands a handler's exception to the app and stops that
    node's messages for good, which froze the screen, keys and all; no public hook sits
    between (Textualize/textual#2818 asked for one; closed, with the app-wide
    ``_handle_exception``, which runs once the loop has already stopped)."""

    async def _on_message(self, message: Message) -> None:
        try:
            await super()._on_message(message)
        except StorageProblem as problem:
            cast("MH", self.app).report_storage_problem(problem)


def queued(node: MessagePump) -> int:
    """How many messages wait for ``node`` (the key gate: a key has landed once what it
    set off is handled too). ``call_later`` tells when a queue reached a point, not
    whether more came in behind it; nothing public does. Textual's own input queue that
    waits for each key to be handled (Textualize/textual#1009, closed without one) would
    remove the key gate and this with it."""
    return node._message_queue.qsize()


def driver(app: App[Any]) -> Driver | None:
    """The app's terminal driver (no public accessor): to stop reading on a signal, and
    to drop output to a closed terminal."""
    return app._driver


def output_queue(app: App[Any]) -> Queue[object] | None:
    """What waits for Textual's output thread: after a hang-up nothing takes from it, and
    a write blocks once it is full."""
    waiting = getattr(getattr(driver(app), "_writer_thread", None), "_queue", None)
    return waiting if isinstance(waiting, Queue) else None
