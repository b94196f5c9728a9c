"""The terminal window closed under the app: notice it, however it shows, and go quietly.

A closed window sends SIGHUP, but not always to us (a shell in between may take it), and
by the time it comes Textual's output thread may be stuck writing to the dead terminal,
with the screen's next write waiting behind it. So: a plain signal handler (it runs even
while the event loop is blocked), a poll of the terminal for a hang-up once a second
(for when no signal comes), and, once either fires, all output dropped and anything
waiting to be written let go, before the app writes what was typed and leaves.

On a hang-up or a SIGTERM alike, stop_reading ends the reading of the terminal and lets
the app quit only behind every key it had read, however long handing them over takes.
"""

from __future__ import annotations

import asyncio
import contextvars
import select
import signal
import sys
from collections.abc import Callable
from queue import Queue
from threading import Thread
from typing import Any

from textual.app import App

from mhtui.ui.textual_private import driver, output_queue

POLL_EVERY = 1.0  # seconds between looks at the terminal


def watch(app: App[Any], gone: Callable[[], None]) -> None:
    """Call ``gone`` on the event loop once, when the app's terminal has gone away."""
    loop = asyncio.get_running_loop()
    # A signal handler runs in whatever context the main thread was interrupted in; the
    # app's own (Textual finds "the app" through it, and its timers die without it) is
    # taken now and handed to ``gone``.
    context = contextvars.copy_context()
    fired = False

    def hung_up() -> None:
        nonlocal fired
        if fired:
            return
        fired = True
        # The kernel sends SIGCONT with the hang-up, which Textual's driver takes for a
        # return from ctrl+z: it started a second thread reading the dead terminal, one
        # that stop_reading would not wait for. Nothing resumes after a hang-up.
        signal.signal(signal.SIGCONT, lambda _signum, _frame: None)
        _silence(app)
        loop.call_soon_threadsafe(gone, context=context)

    signal.signal(signal.SIGHUP, lambda _signum, _frame: hung_up())
    if not app.is_headless and sys.__stdin__ is not None and sys.__stdin__.isatty():
        terminal = select.poll()
        terminal.register(sys.__stdin__.fileno(), select.POLLHUP)

        def look() -> None:
            if terminal.poll(0):
                hung_up()

        app.set_interval(POLL_EVERY, look)


def stop_reading(app: App[Any], then: Callable[[], object]) -> None:
    """Stop reading the terminal, then run ``then`` on the app's loop behind every key
    that was read from it. On the loop's (main) thread.

    Textual's input thread reads the terminal, parses what it read and hands each key to
    the app; on a loaded machine that lags the reading by seconds. The driver's public
    disable_input lets the thread finish (it reads what the terminal still holds, hands
    over every key, and ends) and waits for it: well under a second of the loop, and the
    keys wait for it in the loop's queue. It must run on the main thread (it resets a
    signal handler; elsewhere it fails, silently, and stops nothing).
    """
    reader = driver(app)
    if reader is not None:
        reader.disable_input()

    async def behind_the_keys() -> None:
        then()

    # The very way the driver handed each key over (Driver.send_message): a task made
    # from a thread-safe call, so this one runs after theirs, once they are in the app's
    # queue (tests/test_textual_private.py checks that Textual still does so).
    asyncio.run_coroutine_threadsafe(behind_the_keys(), asyncio.get_running_loop())


def _silence(app: App[Any]) -> None:
    """Drop all output from now on, and let go of any write waiting for the terminal."""
    muted = driver(app)
    if muted is None:
        return
    setattr(muted, "write", _discard)  # noqa: B010 (a method replaced on one object)
    waiting = output_queue(app)
    if waiting is not None:
        # A thread, not a worker: the event loop may be the very thing stuck writing.
        Thread(target=_drain, args=(waiting,), daemon=True, name="mhtui-hangup").start()


def _discard(_data: str) -> None:
    """Output for a terminal that has been closed."""


def _drain(waiting: Queue[object]) -> None:
    while True:
        waiting.get()
