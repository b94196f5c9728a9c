"""The terminal window closed under the app: notice it, however it shows, and go quietly.

A Textual worker, started while all is well, looks once a second whether the app's
terminal is still a terminal (os.isatty, on every system). A closed window also sends
SIGHUP where there is one (not on Windows), though not always to us (a shell in between
may take it); its handler wakes the worker at once, and runs even while the event loop is
blocked. That is why the worker is a thread: by the time the window closes, Textual's
output thread may have died writing to it, with the screen's next write blocked behind
it. So, once the terminal is gone, the worker drops all output and keeps emptying what
waits to be written, while the app writes what was typed and leaves.

On a hang-up or a SIGTERM alike, stop_reading ends the reading of the terminal and lets
the app quit only behind every key it had read, however long handing them over takes.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import os
import signal
import sys
from collections.abc import Callable
from queue import Empty
from threading import Event
from typing import Any

from textual.app import App

from mhtui.ui.textual_private import driver, output_queue

POLL_EVERY = 1.0  # seconds between looks at the terminal


def watch(app: App[Any], gone: Callable[[], None]) -> Callable[[], None]:
    """Call ``gone`` on the event loop once, when the app's terminal has gone away.
    Returns what ends the watch, for when the app leaves."""
    if app.is_headless:
        return lambda: None
    loop = asyncio.get_running_loop()
    # Textual finds "the app" through the context (its timers die without it): the app's
    # own is taken now and handed to ``gone``.
    context = contextvars.copy_context()
    wake = Event()  # a hang-up, or the app leaving
    hung = False
    stdin = sys.__stdin__
    terminal = stdin.fileno() if stdin is not None and stdin.isatty() else None

    def hung_up() -> None:
        nonlocal hung
        hung = True
        wake.set()

    def look() -> None:
        while not wake.wait(POLL_EVERY):
            if terminal is not None and not os.isatty(terminal):
                hung_up()
        if not hung:
            return
        setattr(driver(app), "write", _discard)  # noqa: B010 (a method replaced on one object)
        loop.call_soon_threadsafe(gone, context=context)
        waiting = output_queue(app)
        while waiting is not None and app.is_running:  # the app leaves by os._exit
            with contextlib.suppress(Empty):
                waiting.get(timeout=POLL_EVERY)

    if hasattr(signal, "SIGHUP"):
        def on_sighup(_signum: int, _frame: object) -> None:
            # The kernel sends SIGCONT with the hang-up, which Textual's driver takes for
            # a return from ctrl+z: it started a second thread reading the dead terminal,
            # one that stop_reading would not wait for. Nothing resumes after a hang-up.
            signal.signal(signal.SIGCONT, lambda _signum, _frame: None)
            hung_up()

        with contextlib.suppress(ValueError):  # not the main thread: the look finds it
            signal.signal(signal.SIGHUP, on_sighup)
    app.run_worker(look, name="hang-up watch", thread=True, exit_on_error=False)
    return wake.set


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


def _discard(_data: str) -> None:
    """Output for a terminal that has been closed."""
