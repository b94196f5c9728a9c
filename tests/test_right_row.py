"""Issue 24 §5, "the right row, the right field": a status key changes the row the
cursor shows, a key after Esc acts where Esc left it, no field opens with its text
selected, quitting asks about a running check-in clock from any screen, and a form's
save state stays in view."""

from __future__ import annotations

from mhtui.core.clock import FakeClock
from mhtui.store.target import Target
from mhtui.ui.app import MHApp
from mhtui.ui.widgets.line_table import LineTable
from mhtui.ui.widgets.meeting_panels import ReviewPanel
from tests.helpers import db_rows, table_rows, text_of
from tests.test_checkin import start_checkin


async def test_back_to_the_review_the_table_has_the_keys_again(
        demo_target: Target, clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_checkin(pilot)
        rows = table_rows(app, "#review-table")
        second = screen.query_one(ReviewPanel).rows[1].id
        before = dict(db_rows(demo_target, "SELECT id, status FROM action"))
        await pilot.press("n", "p")  # to the barriers item and back
        await pilot.pause()
        assert "Item 1 of 3" in text_of(app, "#meeting-title")
        table = app.screen.query_one("#review-table", LineTable)
        assert app.focused is table
        await pilot.press("down", "4")
        await pilot.pause()
        assert table_rows(app, "#review-table")[1][1] == "⊘ abandoned"
        assert table_rows(app, "#review-table")[0] == rows[0]  # the first is as it was
        assert "is now ⊘ abandoned" in text_of(app, "#meeting-status")
    after = dict(db_rows(demo_target, "SELECT id, status FROM action"))
    assert {i: s for i, s in after.items() if before[i] != s} == {second: "abandoned"}


async def test_a_status_key_with_no_row_under_the_cursor_changes_nothing(
        demo_target: Target, clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_checkin(pilot)
        before = db_rows(demo_target, "SELECT id, status FROM action ORDER BY id")
        app.screen.set_focus(None)  # the list shows no cursor of its own now
        await pilot.pause()
        await pilot.press("4")
        await pilot.pause()
        assert "Nothing changed: no action selected" in text_of(app, "#meeting-status")
    assert db_rows(demo_target, "SELECT id, status FROM action ORDER BY id") == before


def _parsed(data: str) -> list[tuple[str, str | None]]:
    """The keys Textual's terminal parser reads from ``data`` (its ESC delay run out)."""
    from textual import events
    from textual._xterm_parser import XTermParser

    from mhtui.ui.escape_keys import read_esc_then_key

    read_esc_then_key()
    parser = XTermParser()
    got = [*parser.feed(data), *parser.feed("")]  # "" is the end of input
    return [(e.key, e.character) for e in got if isinstance(e, events.Key)]


def test_the_terminal_bytes_of_esc_then_a_digit_read_as_esc_then_the_digit() -> None:
    """Textual's private table of sequences, changed by mhtui/ui/escape_keys.py: this
    fails the day a Textual release changes how it is read."""
    assert _parsed("\x1b4") == [("escape", None), ("4", "4")]
    assert _parsed("\x1b4\x1b[B5") == [("escape", None), ("4", "4"), ("down", None),
                                       ("5", "5")]
    assert _parsed("\x1b") == [("escape", "\x1b")]
    assert "≠" not in [char for _, char in _parsed("\x1b=")]  # alt+=: Esc then = (below)


def test_alt_and_a_printable_key_is_esc_then_the_key() -> None:
    from textual import events

    from mhtui.ui.escape_keys import esc_then

    keys = esc_then(events.Key("alt+y", "y"))
    assert keys is not None
    assert [(k.key, k.character) for k in keys] == [("escape", "\x1b"), ("y", "y")]
    upper = esc_then(events.Key("alt+shift+a", "A"))
    assert upper is not None and upper[1].key == "A"
    assert esc_then(events.Key("alt+backspace", "\x7f")) is None
    assert esc_then(events.Key("ctrl+y", None)) is None
