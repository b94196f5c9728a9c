"""The check-in in a real pseudo-terminal: resized as a projector is plugged in, driven by
keys in bursts, and quit with its clock running (which asks)."""

from __future__ import annotations

import sys

import pytest

from mhtui.store.database.target import Target
from tests.conftest import InTerminal
from tests.helpers import db_rows, eventually, lone_escape, settled, start_checkin_in

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="pseudo-terminals as on Linux")


def test_resized_to_the_projector_then_keys_in_bursts_and_quit_asks(
    in_terminal: InTerminal, demo_target: Target
) -> None:
    term = in_terminal(demo_target)
    start_checkin_in(term)
    settled(term)  # the facilitator looks at the first item, drawn whole
    since = term.offset
    term.resize(200, 50)  # the projector, mid-meeting: the strip's titles widen at once
    term.wait_for("Discuss barriers to using staff tra", since, timeout=30)
    since = term.offset
    # Start the clock, go to item 2, write a note: one write, read before any is handled.
    term.burst(" ", "n", "w", "No room [/b] to meet students")
    term.wait_for("Item 2 of 3", since)

    def notes() -> object:
        return db_rows(demo_target, "SELECT notes FROM meetingitem WHERE position = 1 "
                                  "AND meeting_id = (SELECT max(id) FROM meeting)")

    assert eventually(notes, [("No room [/b] to meet students",)]) == [
        ("No room [/b] to meet students",)]
    lone_escape(term)
    since = term.offset
    term.burst("f")  # the focus view: the questions large, the notes gone
    term.wait_for("What gets in the way", since)
    since = term.offset
    term.press("ctrl+q")  # with the clock running: asked, not quit
    term.wait_for("The check-in's clock is running.", since)
    assert term.proc.poll() is None
    term.burst("p")  # pause it, and quit
    assert term.proc.wait(timeout=60) == 0
    meeting = db_rows(demo_target, "SELECT state, current_position, running_since IS NULL "
                                 "FROM meeting ORDER BY id DESC LIMIT 1")
    assert meeting == [("running", 1, 1)]  # on item 2, its clock paused
