"""Two copies of the app and the command line changing one database at the same time.

No one sees "database is locked", no change overwrites another unseen (each action's
history is one unbroken chain), and a change made on a stale row is refused and shown.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bench.terminal import Terminal
from mhtui.store.database.target import Target
from tests.helpers import db_arg, db_rows, settled

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="pseudo-terminals as on Linux")
SECONDS = 8.0


def _env() -> dict[str, str]:
    return {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8"}


def _app(target: Target) -> Terminal:
    term = Terminal([sys.executable, "-m", "mhtui", "--db", db_arg(target)], _env(), (120, 40),
                    cwd=str(ROOT))
    term.wait_for("on record")
    since = term.offset
    term.press("t")
    term.wait_for("view: open", since)
    return term


def test_two_apps_and_the_command_line_at_once(demo_target: Target) -> None:
    first_open = db_rows(
        demo_target, "SELECT id FROM action WHERE deleted_at IS NULL AND status IN "
        "('not started', 'in progress', 'blocked or behind schedule') ORDER BY id")
    targets = [str(i) for (i,) in first_open[:3]]
    cli_errors: list[str] = []
    cli_runs = [0]
    stop = threading.Event()

    def command_line() -> None:
        for n in itertools.count():
            if stop.is_set():
                return
            done = subprocess.run(
                [sys.executable, "-m", "mhtui", "--db", db_arg(demo_target), "actions", "set",
                 targets[n % len(targets)], ("in progress", "blocked")[n % 2]],
                env=_env(), cwd=ROOT, capture_output=True, text=True, timeout=60)
            cli_runs[0] += 1
            if done.returncode not in (0, 1) or "database is locked" in done.stderr:
                cli_errors.append(f"{done.returncode}: {done.stderr}")

    apps = [_app(demo_target), _app(demo_target)]
    try:
        writer = threading.Thread(target=command_line)
        writer.start()
        started = time.monotonic()
        keys = itertools.cycle("2323")
        # Keys for SECONDS at least, and on until the command line has changed twice,
        # however slow the machine (each run imports SQLAlchemy and the driver anew).
        while ((time.monotonic() - started < SECONDS or cli_runs[0] < 2)
               and writer.is_alive()):
            for term, key in zip(apps, keys, strict=False):
                term.press(key)
            time.sleep(0.12)  # kept: a person's steady keys, while the others write
        stop.set()
        writer.join()
        for term in apps:  # every key handled, and what it said drawn
            term.wait_until_read()
            settled(term)
        screens = [term.text() for term in apps]
        for term in apps:
            assert term.proc.poll() is None, "an app stopped"
            assert term.quit() == 0
    finally:
        stop.set()
        for term in apps:
            if term.proc.poll() is None:
                term.kill()

    assert not cli_errors, cli_errors
    assert cli_runs[0] >= 2
    for screen in screens:
        assert "database is locked" not in screen.lower()
        assert "Traceback" not in screen
    # Each app saw the other's (or the command line's) changes as refusals, not overwrites.
    assert any("Changed elsewhere meanwhile" in screen for screen in screens)

    if demo_target.path is not None:
        assert db_rows(demo_target, "PRAGMA integrity_check") == [("ok",)]
    changed = 0
    for action_id, status in db_rows(demo_target, "SELECT id, status FROM action"):
        chain = db_rows(
            demo_target, "SELECT old_value, new_value FROM actionevent WHERE action_id = ? "
            "AND kind = 'status' ORDER BY id", action_id)
        for (_, new), (old, _) in itertools.pairwise(chain):
            assert old == new, f"#{action_id}: a change was made on a stale status"
        if chain:
            assert chain[-1][1] == status
        changed += len(chain)
    assert changed > 20
