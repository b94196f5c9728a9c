"""Textual's private names, each used in mhtui/ui/textual_private.py and nowhere else:
these fail loudly the day a Textual release changes one of them (Textual is pinned
exactly until then), and the hang-up watch works where SIGHUP and select.poll do not."""

from __future__ import annotations

import ast
import asyncio
import inspect
import os
import pty
import select
import signal
import sys
from pathlib import Path
from unittest.mock import patch

import pytest
from textual.app import App, ComposeResult
from textual.driver import Driver
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from mhtui.store.database.dbfile import StorageProblem
from mhtui.ui import hangup
from mhtui.ui.textual_private import KeepsGoing, driver, queued

PACKAGE = Path(__file__).resolve().parent.parent / "mhtui"
PRIVATES = {"_on_message", "_message_queue", "_parent", "_driver", "_writer_thread"}


def test_textuals_privates_are_used_in_one_module_only() -> None:
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "textual_private.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = (node.attr if isinstance(node, ast.Attribute) else node.name
                    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else None)
            assert name not in PRIVATES, f"{path}:{getattr(node, 'lineno', '?')} {name}"


class Poke(Message):
    pass


class Stubborn(KeepsGoing, Screen[None]):
    def __init__(self) -> None:
        super().__init__()
        self.handled = 0

    def compose(self) -> ComposeResult:
        yield Static("here")

    def on_poke(self, _message: Poke) -> None:
        self.handled += 1
        if self.handled == 1:
            raise StorageProblem("the disk is full")


class Reporting(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.reported: list[str] = []

    def report_storage_problem(self, problem: StorageProblem) -> None:
        self.reported.append(str(problem))


async def test_a_handler_whose_write_failed_leaves_its_screen_handling_messages() -> None:
    """KeepsGoing overrides MessagePump._on_message: without it Textual stops the screen's
    messages at the first exception, and this app would end with it."""
    app = Reporting()
    async with app.run_test() as pilot:
        screen = Stubborn()
        await app.push_screen(screen)
        screen.post_message(Poke())
        screen.post_message(Poke())
        await pilot.pause()
        assert screen.handled == 2
        assert app.reported == ["the disk is full"]
        assert screen.is_running


async def test_queued_counts_the_messages_waiting_for_a_widget() -> None:
    app = App[None]()
    async with app.run_test():
        widget = Static("x")
        await app.mount(widget)
        widget.post_message(Poke())
        widget.post_message(Poke())
        assert queued(widget) == 2  # posted from this task: not handled yet


async def test_the_driver_hands_keys_over_and_writes_as_mhtui_expects() -> None:
    """hangup.stop_reading queues its quit the way Driver.send_message queues a key (a
    thread-safe coroutine), so the quit comes behind them; output_queue finds the output
    thread's queue where the terminal drivers keep it."""
    app = App[None]()
    async with app.run_test():
        assert isinstance(driver(app), Driver)
    assert "run_coroutine_threadsafe" in inspect.getsource(Driver.send_message)
    from textual.drivers import _writer_thread

    assert "self._queue: Queue" in inspect.getsource(_writer_thread.WriterThread)
    for name in ("linux_driver", "windows_driver"):
        source = Path(_writer_thread.__file__).with_name(f"{name}.py").read_text("utf-8")
        assert "self._writer_thread = WriterThread(" in source, name


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a pseudo-terminal")
async def test_a_closed_terminal_is_seen_without_sighup_or_select_poll(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """As on Windows, where neither exists: the watch still sees the terminal go."""
    monkeypatch.delattr(signal, "SIGHUP")
    monkeypatch.delattr(select, "poll", raising=False)
    master, slave = pty.openpty()
    monkeypatch.setattr(sys, "__stdin__", os.fdopen(slave, "r"))
    gone = asyncio.Event()
    app = App[None]()
    async with app.run_test():
        with patch.object(App, "is_headless", False):  # as in a real terminal
            stop = hangup.watch(app, gone.set)
        os.close(master)  # the window closes
        await asyncio.wait_for(gone.wait(), timeout=30)
        stop()
    sys.__stdin__.close()  # type: ignore[union-attr]
