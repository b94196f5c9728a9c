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

A burst costs little more than in a bare Textual app (bench/burst.py): characters
behind a character typed into a text field go straight to it, the screen is drawn once
when the burst is over, and so is the footer.
"""

from __future__ import annotations

import asyncio
import inspect
import unicodedata
from collections import deque
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, TypeGuard

from textual import events
from textual.app import App
from textual.widgets import Footer as TextualFooter
from textual.widgets import Input, TextArea

from mhtui.ui.escape_keys import esc_then, read_esc_then_key
from mhtui.ui.textual_private import queued

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.screen import Screen

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
        self._burst: AbstractContextManager[None] | None = None  # frames held meanwhile
        self._typing: DOMNode | None = None  # the text field the key in flight types into
        self._more = False  # more text went to it since
        self._typed_into: DOMNode | None = None  # where text last went straight on
        self._priority: set[str] = set()  # keys the app would take from it first
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
                if self._burst is None:
                    # A burst is drawn once, when its last key has landed, as Textual
                    # draws keys it takes in one go: a frame between every two keys
                    # (the whole form laid out again) took most of a burst's time.
                    self._burst = self.batch_update()
                    self._burst.__enter__()
                self._held.append(event)
                await self._type_on()
                return
            await self._deliver(event)
            return
        await super().on_event(event)

    async def _deliver(self, event: events.Key | events.Paste) -> None:
        self._key_in_flight = True
        self.keys_delivered += 1
        try:
            target = self.focused or self.screen
            self._typing = None
            if _typed(event, target, self):
                # A key of a priority binding the app runs before any field sees it.
                self._priority = {key for key, active in self.screen.active_bindings.items()
                                  if active.binding.priority}
                if event.key not in self._priority:
                    self._typing = target
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
        if self._more and not moved:  # text went on behind the key: wait for it too
            self._more = False
            asyncio.get_running_loop().create_task(self._settle(now, round_))
            return
        busy = any(queued(node) for node in _chain(now, self))
        if (moved or busy) and round_ < MAX_ROUNDS:
            asyncio.get_running_loop().create_task(self._settle(now, round_ + 1))
            return
        self._release()
        await self._next()

    def _release(self) -> None:
        self._key_in_flight = self._more = False
        self._typing = None
        self._burst_over()

    def _burst_over(self) -> None:
        if self._burst is not None and not self._held and not self._key_in_flight:
            burst, self._burst = self._burst, None
            burst.__exit__(None, None, None)
            if self.screen_stack:
                self.screen.check_idle()  # the screen draws what the burst changed
                # The footer's keys once, as they are after the burst (Footer below).
                self.screen.call_later(self.screen.refresh_bindings)

    @property
    def bursting(self) -> bool:
        """Keys are waiting behind the one being handled."""
        return self._burst is not None

    async def _next(self) -> None:
        while self._held and not self._key_in_flight:
            item = self._held.popleft()
            if isinstance(item, events.Key | events.Paste):
                await self._deliver(item)
                await self._type_on()
                return
            await self._typed_landed()
            result = item()  # something asked to run after the keys before it
            if inspect.isawaitable(result):
                await result
        self._burst_over()

    async def _type_on(self) -> None:
        """Text behind text into the same field goes straight on, as Textual sends it:
        the field takes it in order and nothing moves meanwhile. The key in flight lands
        once these have too (_after_key)."""
        while self._held and self._typing is not None \
                and _typed(key := self._held[0], self._typing, self) \
                and key.key not in self._priority:
            self._held.popleft()
            self.keys_delivered += 1
            self._more = True
            self._typed_into = self._typing
            await super().on_event(key)

    async def _typed_landed(self) -> None:
        """Wait until the text sent straight on is in its field, and what it set off
        (its Changed, which the form's autosave counts) handled above it: a quit run
        before then wrote the draft without it (a closed window lost all but "R1 s")."""
        field, self._typed_into = self._typed_into, None
        chain = [] if field is None else _chain(field, self)
        for _ in range(MAX_ROUNDS):
            for node in chain:
                await _reached(node)
            if not any(queued(node) for node in chain):
                return

    def after_keys(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` once every key read so far has been handled: quitting on a
        signal must not overtake keys still waiting here, or sent straight on to a text
        field and not yet in it (typed text would be lost)."""
        self._held.append(callback)
        if not self._key_in_flight:
            self.call_later(self._next)


class Footer(TextualFooter):
    """Textual's Footer, its keys shown again once a burst is over rather than at every
    focus change in it: twice a Tab, each mounting a widget per key (50-80 ms a time on
    a busy machine, most of a 100-key burst into the reflection form)."""

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if not (isinstance(self.app, KeyGateApp) and self.app.bursting):
            super().bindings_changed(screen)


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


def _typed(event: object, field: DOMNode, app: App[None]) -> TypeGuard[events.Key]:
    """``event`` is a character the focused text ``field`` will take as text, which moves
    nothing (no mhtui handler of a field's Changed moves the focus)."""
    return (isinstance(event, events.Key) and event.is_printable and field is app.focused
            and (isinstance(field, Input)
                 or (isinstance(field, TextArea) and not field.read_only)))


def _invisible_joiner(key: events.Key) -> bool:
    """A key whose character is text but not "printable": U+200D and its kind."""
    char = key.character
    return (char is not None and len(char) == 1 and not key.is_printable
            and unicodedata.category(char) == "Cf")
