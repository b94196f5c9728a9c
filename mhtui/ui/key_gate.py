"""Keys handed to the app one at a time, each only after the one before has landed.

Textual forwards every key to the focused widget's message queue the moment it reads it
from the terminal, while the key's effect (a binding run when it bubbles back to the
app, focus moving, a dialog being mounted) comes later. Keys that arrive in one burst (a
fast typist, a text expander, a password manager filling "name<Tab>role") were therefore
all queued on the widget focused before the burst: "Ana Ruiz<Tab>School counselor" went
into the name field whole, and the "2" after Esc in a filter was typed into it instead
of changing a status.

The gate keeps the order and the meaning of every key: while a key is in flight, later
keys (and pastes) wait in a queue of their own. A key has landed when every widget on
its way to the app has emptied its queue up to that point, and the app has run its
bindings; if that moved the focus or put up a new screen, the new target is let settle
the same way (so the dialog's first field has the focus) before the next key goes out.
A key is never dropped: a widget that goes away mid-key, or one that never answers,
releases the gate after a bounded wait.
"""

from __future__ import annotations

import asyncio
import inspect
import unicodedata
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import events
from textual.app import App

from mhtui.ui.escape_keys import esc_then, read_esc_then_key
from mhtui.ui.textual_private import queued

if TYPE_CHECKING:
    from textual.dom import DOMNode

# Waiting for one widget to reach the key. A widget that is removed meanwhile never
# answers: the gate looks every POLL seconds and lets the key go on when it has gone.
# One that is alive but stuck holds the keyboard no longer than NODE_WAIT. That limit
# is generous on purpose: on a loaded machine a live widget can take over a second to
# reach the key, and a key let go early overtakes the one before (End, then 5, changed
# a row on the page the End had not yet left).
NODE_WAIT = 10.0
POLL = 0.1
# A key that moves focus to a new screen settles in two or three rounds (the old target,
# the new screen being mounted, its first field); more rounds mean a widget keeps
# posting to itself, and the next key goes out anyway.
MAX_ROUNDS = 5


class KeyGateApp(App[None]):
    """An App whose keys and pastes are delivered strictly one after another."""

    def __init__(self) -> None:
        super().__init__()
        read_esc_then_key()  # Esc then 4 in one burst is Esc then 4, not "¢" (escape_keys)
        self._held: deque[events.Key | events.Paste | Callable[[], object]] = deque()
        self._key_in_flight = False
        self.keys_delivered = 0  # how far the keys have got, for a quit that waits on them

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and _invisible_joiner(event):
            # A zero-width joiner (or another format character) typed on its own is not
            # "printable" to Textual, so text boxes dropped it and 👩‍🏫 became 👩🏫; as a
            # paste of that one character it goes into the text like any other.
            event = events.Paste(event.character or "")
        if isinstance(event, events.Key) and not event.is_forwarded \
                and (keys := esc_then(event)) is not None \
                and event.key not in self.screen.active_bindings:  # a keymap's alt key
            for key in keys:  # alt+X is the terminal's ESC X: Esc, then X (escape_keys)
                await self.on_event(key)
            return
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            if self._key_in_flight:
                self._held.append(event)
                return
            await self._deliver(event)
            return
        await super().on_event(event)

    async def _deliver(self, event: events.Key | events.Paste) -> None:
        self._key_in_flight = True
        self.keys_delivered += 1
        try:
            target = self.focused or self.screen
            await super().on_event(event)  # priority bindings, or on to the focused widget
        except BaseException:
            # The keys behind this one still go out: a key that failed must not leave
            # the rest (or a quit waiting behind them) held for ever.
            self._release()
            if self._held:
                self.call_later(self._next)
            raise
        asyncio.get_running_loop().create_task(self._settle(target, 1))

    async def _settle(self, target: DOMNode, round_: int) -> None:
        """Wait until the key has gone through ``target`` and every widget above it."""
        try:
            node: DOMNode | None = target
            while node is not None and node is not self:
                await _reached(node)
                node = node.parent
        finally:
            # The app's own queue last: a key that bubbled up runs its bindings there.
            if not self.call_later(self._after_key, target, round_):
                self._key_in_flight = False

    async def _after_key(self, target: DOMNode, round_: int) -> None:
        try:
            now = self.focused or self.screen
        except Exception:  # no screen any more: the app is closing
            self._release()
            return
        moved = now is not target
        busy = any(queued(node) for node in _chain(now, self))
        if (moved or busy) and round_ < MAX_ROUNDS:
            asyncio.get_running_loop().create_task(self._settle(now, round_ + 1))
            return
        self._release()
        await self._next()

    def _release(self) -> None:
        self._key_in_flight = False

    async def _next(self) -> None:
        while self._held and not self._key_in_flight:
            item = self._held.popleft()
            if isinstance(item, events.Key | events.Paste):
                await self._deliver(item)
                return
            result = item()  # something asked to run after the keys before it
            if inspect.isawaitable(result):
                await result

    def after_keys(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` once every key read so far has been handled: quitting on a
        signal must not overtake keys still waiting here (typed text would be lost)."""
        if self._key_in_flight or self._held:
            self._held.append(callback)
        else:
            self.call_later(callback)


def _chain(node: DOMNode, app: App[None]) -> list[DOMNode]:
    found = []
    current: DOMNode | None = node
    while current is not None and current is not app:
        found.append(current)
        current = current.parent
    return found


async def _reached(node: DOMNode) -> None:
    """Return once ``node`` has handled everything that was in its queue on the call."""
    reached = asyncio.get_running_loop().create_future()

    def arrive() -> None:
        if not reached.done():
            reached.set_result(None)

    if not node.call_later(arrive):
        return  # the widget is closing: nothing more will reach it
    loop = asyncio.get_running_loop()
    give_up = loop.time() + NODE_WAIT
    while not reached.done() and loop.time() < give_up:
        await asyncio.wait({reached}, timeout=POLL)
        if not (node.is_running and node.is_attached):
            return  # removed, or its messages stopped: it will never run what is queued


def _invisible_joiner(key: events.Key) -> bool:
    """A key whose character is text but not "printable": U+200D and its kind."""
    char = key.character
    return (char is not None and len(char) == 1 and not key.is_printable
            and unicodedata.category(char) == "Cf")
