"""Shared fixtures. Every test runs with its own home, data and config folders, so no
test can read or write the developer's real mhtui database or settings."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from mhtui.core.clock import FakeClock
from mhtui.store import demo, opening
from mhtui.store.db import Database
from mhtui.store.target import Target, from_path

if TYPE_CHECKING:
    from bench.terminal import Terminal


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state")):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.delenv("MHTUI_DB", raising=False)
    # Dates on screen depend on the zone; pin it so snapshots match on any machine.
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield home
    time.tzset()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def empty_target(tmp_path: Path) -> Target:
    target = from_path(tmp_path / "mhtui.db")
    opening.prepare(target)
    return target


@pytest.fixture
def demo_target(tmp_path: Path, clock: FakeClock) -> Target:
    target = from_path(tmp_path / "demo.db")
    opening.prepare(target)
    db = opening.connect(target)
    demo.build(db, clock)
    db.close()
    return target


@pytest.fixture
def open_db() -> Iterator[Callable[[Target], Database]]:
    opened: list[Database] = []

    def _open(target: Target) -> Database:
        db = opening.connect(target)
        opened.append(db)
        return db

    yield _open
    for db in opened:
        db.close()


InTerminal = Callable[..., "Terminal"]  # (target, size=(120, 40))


@pytest.fixture
def in_terminal() -> Iterator[InTerminal]:
    """Start the real app on a database in a pseudo-terminal (120x40 unless a size is
    given), once its dashboard shows the figures (the database is open); every one
    started is killed afterwards."""
    import os
    import sys

    from bench.terminal import Terminal

    root = Path(__file__).resolve().parent.parent
    running: list[Terminal] = []

    def _start(target: Target, size: tuple[int, int] = (120, 40)) -> Terminal:
        # Not COLUMNS and LINES: pytest-xdist sets them (80x24) in its workers, and the
        # app would take its size from them instead of the terminal's, even on a resize.
        env = {**{k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")},
               "TERM": "xterm-256color", "LANG": "C.UTF-8"}
        term = Terminal([sys.executable, "-m", "mhtui", "--db", str(target.path)], env,
                        size, cwd=str(root))
        running.append(term)
        term.wait_for("on record")
        time.sleep(0.3)
        return term

    yield _start
    for term in running:
        if term.proc.poll() is None:
            term.kill()
