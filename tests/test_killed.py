"""Power cut: the real app in a pseudo-terminal, killed with SIGKILL mid-task.

After each kill the file passes SQLite's integrity check, everything the screen showed
as done is in it, a running check-in comes back where it was and a draft is there.
"""

from __future__ import annotations

import csv
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bench.terminal import Terminal
from mhtui.core.statuses import Status
from mhtui.store.database.target import Target
from tests.conftest import InTerminal
from tests.helpers import (
    WRITTEN_HERE,
    db_arg,
    db_rows,
    eventually,
    lone_escape,
    settled,
    start_checkin_in,
)

ROOT = Path(__file__).resolve().parent.parent
Start = Callable[[], Terminal]  # the `start` fixture: mhtui running in a new terminal
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="pseudo-terminals and /proc as on Linux")


def _env() -> dict[str, str]:
    return {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8"}


@pytest.fixture
def start(demo_target: Target, in_terminal: InTerminal) -> Start:
    """Start mhtui on the demo database in a 120x40 terminal; always cleaned up."""
    return lambda: in_terminal(demo_target)


def _query(target: Target, sql: str, *args: object) -> list[tuple[Any, ...]]:
    return db_rows(target, sql, *args)


def _intact(target: Target) -> None:
    """SQLite's integrity check of the file (a server checks its own pages)."""
    if target.path is not None:
        assert _query(target, "PRAGMA integrity_check") == [("ok",)]


def test_killed_during_a_running_check_in_resumes_it(
        start: Start, demo_target: Target) -> None:
    term = start()
    start_checkin_in(term)
    since = term.offset
    term.press(" ")  # the clock runs
    term.wait_for("RUNNING", since)
    term.press("w", gap=0.2)
    term.press(*"Lunch duty moved to Tuesdays", gap=0.01)
    lone_escape(term)
    since = term.offset
    term.press("n")
    term.wait_for("Item 2 of", since)
    term.kill()  # the moment item 2 is on screen

    _intact(demo_target)
    (state, position, meeting_id), = _query(
        demo_target, "SELECT state, current_position, id FROM meeting "
        "ORDER BY id DESC LIMIT 1")
    assert (state, position) == ("running", 1)
    notes = _query(demo_target, "SELECT notes FROM meetingitem WHERE meeting_id = ? "
                   "AND position = 0", meeting_id)
    assert notes == [("Lunch duty moved to Tuesdays",)]

    again = start()
    again.wait_for("Item 2 of")
    again.wait_for("Resumed")
    since = again.offset
    again.press("ctrl+q")  # with the clock running, quitting asks first
    again.wait_for("The check-in's clock is running.", since)
    again.press("k")  # keep it running
    assert again.proc.wait(timeout=60) == 0
    again.close()


def test_killed_while_typing_a_reflection_keeps_the_draft(
        start: Start, demo_target: Target) -> None:
    drafts = len(_query(demo_target, "SELECT id FROM reflection WHERE state = 'draft'"))
    term = start()
    since = term.offset
    term.press("r")
    term.wait_for("Discard draft", since)
    term.press("n")
    term.wait_for("leave empty to stay anonymous", since)
    settled(term)
    # At a person's pace: Textual hands each key to the field that has the focus when
    # the key arrives, so keys typed within ~0.2 s of a tab can land in the field before.
    for text in ("Ana Ruiz", "School counselor", "Protected time on Mondays ✓"):
        term.press(*text, gap=0.06)
        term.press("tab")
        time.sleep(0.4)
    # Leaving a field writes the draft: killed once the last field is in the file.
    eventually(lambda: _query(demo_target, "SELECT count(*) FROM reflection WHERE state = "
                              "'draft' AND support_needed = 'Protected time on Mondays ✓'"),
               [(1,)])
    term.kill()

    _intact(demo_target)
    rows = _query(demo_target, "SELECT author_name, role_name, support_needed FROM "
                  f"reflection WHERE state = 'draft' ORDER BY {WRITTEN_HERE}")
    assert len(rows) == drafts + 1  # the new one last: true sorts after false
    assert rows[-1] == ("Ana Ruiz", "School counselor", "Protected time on Mondays ✓")
    again = start()
    since = again.offset
    again.press("r")
    again.wait_for("Ana Ruiz", since)
    again.quit()


def test_closing_the_terminal_while_typing_saves_what_was_typed(
        start: Start, demo_target: Target) -> None:
    term = start()
    since = term.offset
    term.press("r")
    term.wait_for("Discard draft", since)
    term.press("n")
    term.wait_for("leave empty to stay anonymous", since)
    settled(term)
    term.press("tab", "tab")
    settled(term)
    term.press(*"A quiet room on Fridays", gap=0.06)
    os.close(term.master)  # the window closes at once, before the draft timer
    # It quits by itself, writing the draft, instead of dying of the hangup signal.
    assert term.proc.wait(timeout=60) == 0
    _intact(demo_target)
    # The draft typed here: ids on a server are random (migration 0013), not the order.
    rows = _query(demo_target, "SELECT support_needed FROM reflection WHERE state = "
                  f"'draft' AND {WRITTEN_HERE}")
    assert rows == [("A quiet room on Fridays",)]


def test_killed_in_a_burst_of_status_keys_loses_nothing_shown(
        start: Start, demo_target: Target) -> None:
    statuses_before = dict(_query(demo_target, "SELECT id, status FROM action"))
    last_event = _query(demo_target, "SELECT max(id) FROM actionevent")[0][0]
    term = start()
    since = term.offset
    term.press("t")
    term.wait_for("view: open", since)
    settled(term)
    since = term.offset
    typed = "23451"  # each status once, so a message on screen names its key
    keys = [list(Status)[int(k) - 1].value for k in typed]
    term.press(*typed, gap=0.004)
    term.wait_for("Saved: #", since)
    term.kill()  # the moment the first change is on screen, the rest still coming

    _intact(demo_target)
    shown = re.findall(r"Saved: #(\d+) is now \S+ ([a-z ]+?)\.", term.text(since))
    assert shown, "no change was shown before the kill"
    action_id = int(shown[-1][0])
    # Frames are drawn for some keys, not all; those drawn come in the order typed.
    indexes = [keys.index(status) for _, status in shown]
    assert indexes == sorted(indexes)
    last_shown = indexes[-1] + 1  # keys up to this one were shown as saved
    events = [new for (new,) in _query(
        demo_target, "SELECT new_value FROM actionevent WHERE action_id = ? AND "
        "kind = 'status' AND id > ? ORDER BY id", action_id, last_event)]
    changes, current = [], statuses_before[action_id]
    for status in keys:  # a key that names the status it already has writes no history
        if status != current:
            changes.append(status)
        current = status
    # The file holds the first k keys, in order, for some k at least as many as shown.
    previous = [statuses_before[action_id], *keys]
    applied = [sum(1 for status, prev in zip(keys[:k], previous, strict=False)
                   if status != prev) for k in range(len(keys) + 1)]
    assert events == changes[: len(events)]
    held = [k for k in range(last_shown, len(keys) + 1) if applied[k] == len(events)]
    assert held, f"{len(events)} changes stored, but {last_shown} keys were shown saved"
    (final,), = _query(demo_target, "SELECT status FROM action WHERE id = ?", action_id)
    assert final == keys[held[0] - 1]


def test_killed_during_an_import_keeps_all_or_nothing(demo_target: Target,
                                                      tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    with big.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["Item creation date", "Action item", "Progress tracker",
                      "Who is responsible?", "When will it be done?"])
        for n in range(40_000):
            out.writerow(["11/20/2026", f"Imported action {n}", "Not started", "Ana Ruiz",
                          "12/01/2026"])
    before = _query(demo_target, "SELECT count(*) FROM action")[0][0]
    command = [sys.executable, "-m", "mhtui", "--db", db_arg(demo_target), "import",
               "actions", str(big)]
    cut_short = 0
    # Killed at moments from its start to (on a quick machine) after its end; how far
    # each got depends on the machine and the backend, so only "all or nothing" is
    # asserted after each kill, never how far it got.
    for delay in (0.8, 1.6, 2.4, 3.2, 4.8, 9.6):
        proc = subprocess.Popen(command, env=_env(), cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        cut_short += proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        code = proc.wait()
        _intact(demo_target)
        count = _query(demo_target, "SELECT count(*) FROM action")[0][0]
        assert count in (before, before + 40_000)
        if count != before:  # it got to the end before the kill: all of it, once
            assert code in (0, -signal.SIGKILL)
            break
    assert cut_short, "every import finished before it could be killed"
    if count == before:  # every run was killed before its end: one left to finish
        done = subprocess.run(command, env=_env(), cwd=ROOT, capture_output=True,
                              text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        assert "imported 40000 action(s)" in done.stdout
        _intact(demo_target)
    assert _query(demo_target, "SELECT count(*) FROM action")[0][0] == before + 40_000
