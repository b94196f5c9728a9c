"""Two copies on --demo at once, as in a room where the projector and a note-taker both
try the demo: the second shares the first one's demo instead of building a fresh file
under it (which the first then found "replaced by another file", its changes gone)."""

from __future__ import annotations

import sqlite3
import sys

import pytest

from mhtui.paths import demo_db_path
from tests.conftest import InTerminal
from tests.helpers import settled

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"),
                       reason="pseudo-terminals as on Linux"),
    pytest.mark.sqlite_only("--demo is an SQLite file in the user's data folder"),
]


DEMO = ("--demo",)


def test_a_second_copy_on_the_demo_shares_it_and_the_first_keeps_working(
        in_terminal: InTerminal) -> None:
    first = in_terminal(None, args=DEMO)
    settled(first)
    file_before = demo_db_path().stat().st_ino
    second = in_terminal(None, args=DEMO)
    second.wait_for("Another mhtui has the demo open")
    assert demo_db_path().stat().st_ino == file_before  # the same file, not a new one

    since = first.offset
    first.press("t")
    first.wait_for("view: open", since)
    settled(first)
    since = first.offset
    first.press("4")
    first.wait_for("Saved: #", since)
    assert "replaced" not in first.text()
    saved = int(first.text(since).split("Saved: #", 1)[1].split()[0])
    first.press("ctrl+q")
    assert first.proc.wait(timeout=60) == 0
    second.press("ctrl+q")
    assert second.proc.wait(timeout=60) == 0
    with sqlite3.connect(demo_db_path()) as conn:
        status, = conn.execute("SELECT status FROM action WHERE id = ?", (saved,)).fetchone()
    assert status == "abandoned"  # 4, written to the one demo file both used


def test_alone_the_demo_starts_fresh_each_time(in_terminal: InTerminal) -> None:
    first = in_terminal(None, args=DEMO)
    settled(first)
    first.press("ctrl+q")
    assert first.proc.wait(timeout=60) == 0
    with sqlite3.connect(demo_db_path()) as conn:
        conn.execute("UPDATE action SET text = 'changed in the last demo'")
    again = in_terminal(None, args=DEMO)
    assert "Another mhtui has the demo open" not in again.text()
    with sqlite3.connect(demo_db_path()) as conn:
        changed, = conn.execute("SELECT count(*) FROM action WHERE text = "
                                "'changed in the last demo'").fetchone()
    assert changed == 0
