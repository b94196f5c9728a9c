"""The database failing under a running app: disk full, file deleted, replaced, made
read-only. Each time: a clear message, the app keeps running, nothing saved is lost."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from textual.widgets import TextArea

from mhtui.core.clock import FakeClock
from mhtui.store.database.target import Target
from mhtui.store.demo import demo
from mhtui.ui.app import MHApp
from mhtui.ui.screens.action_form import ActionForm
from mhtui.ui.screens.tracker import TrackerScreen
from tests.helpers import text_of
from tests.test_tracker import _open_tracker

pytestmark = pytest.mark.sqlite_only(
    "the SQLite file failing under the app: full, deleted, replaced, made read-only (a "
    "server dropping the app: test_server)")


def _messages(app: MHApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def _statuses(path: Path) -> dict[int, str]:
    conn = sqlite3.connect(path)
    try:
        return dict(conn.execute("SELECT id, status FROM action").fetchall())
    finally:
        conn.close()


async def test_disk_full_says_so_keeps_running_and_loses_nothing(
    demo_target: Target, clock: FakeClock
) -> None:
    assert demo_target.path is not None
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_tracker(pilot)
        await pilot.press("2")  # saved before the disk fills
        await pilot.pause()
        selected = screen.selected()
        assert selected is not None and selected.status == "in progress"
        pages = sqlite3.connect(demo_target.path).execute("PRAGMA page_count").fetchone()[0]
        limit = {"pages": pages}

        # SQLite's max_page_count stops the file growing, as a full disk would.
        @event.listens_for(app.db.engine, "checkout")
        def _cap(dbapi: Any, _record: Any, _proxy: Any) -> None:
            dbapi.execute(f"PRAGMA max_page_count = {limit['pages']}")

        await pilot.press("n")
        await pilot.pause()
        await pilot.press("tab", *"Ana", "shift+tab")
        app.screen.query_one("#form-text", TextArea).insert("Long text " * 20_000)
        await pilot.press("ctrl+s")
        await pilot.pause()
        # The form stays open, with the text in it, saying why it was not saved.
        assert isinstance(app.screen, ActionForm)
        assert "Not saved" in text_of(app, "#form-save-error")
        assert "disk is full" in text_of(app, "#form-save-error")
        assert app.screen.query_one("#form-text", TextArea).text.startswith("Long text")
        await pilot.press("escape", "y")  # typed text goes only after a yes
        await pilot.pause()
        assert app.is_running
        # A change that needs no new space still saves, and the old rows are all there.
        assert isinstance(app.screen, TrackerScreen)
        assert "Saved: new action" not in text_of(app, "#tracker-status")
        await pilot.press("3")
        await pilot.pause()
        assert "Saved" in text_of(app, "#tracker-status")
        limit["pages"] = 1_000_000  # space again: the same new action now saves
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Book the east wing", "tab", *"Ana", "ctrl+s")
        await pilot.pause()
        assert "Saved: new action" in text_of(app, "#tracker-status")
    conn = sqlite3.connect(demo_target.path)
    texts = [t for (t,) in conn.execute(  # the demo's school on screen, of the three
        "SELECT text FROM action WHERE team_id = (SELECT id FROM team WHERE name = ?)",
        (demo.DEMO_TEAM,))]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert len(texts) == 13 and "Book the east wing" in texts
    assert not any(t.startswith("Long text") for t in texts)
    assert _statuses(demo_target.path)[selected.id or 0] == "blocked or behind schedule"


async def test_deleted_database_file_is_reported_on_every_write_not_lost_silently(
    demo_target: Target, clock: FakeClock
) -> None:
    assert demo_target.path is not None
    kept = demo_target.path.with_name("kept.db")
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_tracker(pilot)
        await pilot.press("2")
        await pilot.pause()
        shutil.copy(demo_target.path, kept)  # what was saved up to here
        demo_target.path.unlink()
        for key in ("3", "4", "u"):  # every write is refused, none crashes the app
            await pilot.press(key)
            await pilot.pause()
        problems = [m for m in _messages(app) if "deleted or moved" in m]
        assert len(problems) == 3
        assert "mhtui restore" in problems[0]
        assert app.is_running and isinstance(app.screen, TrackerScreen)
    assert not demo_target.path.exists()  # not quietly made again, empty
    assert "in progress" in _statuses(kept).values()


async def test_database_replaced_while_running_is_not_written_to(
    demo_target: Target, empty_target: Target, clock: FakeClock
) -> None:
    assert demo_target.path is not None and empty_target.path is not None
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_tracker(pilot)
        from mhtui.store.database import opening

        opening.prepare(empty_target)
        shutil.copy(empty_target.path, demo_target.path.with_name("other.db"))
        demo_target.path.with_name("other.db").replace(demo_target.path)
        await pilot.press("2")
        await pilot.pause()
        assert any("replaced by another file" in m for m in _messages(app))
        assert app.is_running
    assert _statuses(demo_target.path) == {}  # the file put in its place is untouched


async def test_read_only_file_while_running_keeps_saving_through_the_open_handle(
    demo_target: Target, clock: FakeClock
) -> None:
    """chmod does not take back an open file: the change is saved, nothing is lost."""
    assert demo_target.path is not None
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_tracker(pilot)
        selected = screen.selected()
        assert selected is not None
        demo_target.path.chmod(0o400)
        try:
            await pilot.press("5")
            await pilot.pause()
            shown = text_of(app, "#tracker-status")
            problems = [m for m in _messages(app) if "Not saved" in m]
        finally:
            demo_target.path.chmod(0o600)
    saved = _statuses(demo_target.path)[selected.id or 0] == "completed"
    # Either it reached the file and says Saved, or it says plainly that it did not.
    assert (saved and "Saved" in shown) or (not saved and problems)


async def test_quitting_with_a_draft_that_cannot_be_saved_asks_once(
    demo_target: Target, clock: FakeClock
) -> None:
    from tests.test_reflection import _new_form

    assert demo_target.path is not None
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await _new_form(pilot)
        demo_target.path.unlink()
        await pilot.press("tab", "tab", *"A room")
        await pilot.press("ctrl+q")  # before the draft timer: quitting writes the draft
        await pilot.pause()
        assert app.is_running
        assert any("ctrl+q again" in m for m in _messages(app))
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
