"""Small helpers for reading what a user would see in a Pilot test."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

if TYPE_CHECKING:
    from bench.terminal import Terminal
    from mhtui.store.database.db import Database
    from mhtui.store.database.target import Target
    from mhtui.store.models import Reflection


def text_of(app: App[Any], selector: str) -> str:
    """The plain text of a Static, markup removed, as it appears on screen."""
    widget = app.screen.query_one(selector, Static)
    content = widget.content
    if isinstance(content, str):
        return Content.from_markup(content).plain
    return str(content)


def table_rows(app: App[Any], selector: str = "DataTable, LineTable") -> list[list[str]]:
    """The text of every row of the table (a LineTable: of the whole list)."""
    from mhtui.ui.widgets.line_table import LineTable

    table = app.screen.query_one(selector)
    if isinstance(table, LineTable):
        return table.plain_rows()
    assert isinstance(table, DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def screen_lines(app: App[Any]) -> list[str]:
    """Every line of the screen as the terminal would show it, as plain text.

    Read from what the compositor draws, so it holds the header, toasts, dialogs, table
    cells and border titles alike, after markup (if any) was applied.
    """
    from textual.strip import Strip

    update = app.screen._compositor.render_full_update()
    return [Strip.join(line).text for line in update.strips]


def clickable_text(app: App[Any]) -> list[str]:
    """The text of every piece of the screen that carries a link or a click action."""
    from textual.strip import Strip

    found = []
    for line in app.screen._compositor.render_full_update().strips:
        for segment in Strip.join(line):
            style = segment.style
            if style is not None and (style.link or "@click" in (style.meta or {})):
                found.append(segment.text)
    return found


async def background_done(pilot: Pilot[Any]) -> None:
    """Wait for the app's start-up job: the store's opening once the dashboard is up
    (its check, the ORM, the lock and today's backup: one Textual worker, waited for
    with ``app.workers.wait_for_complete()``). It begins only after the dashboard's
    figures are painted, so this waits for it to begin too. A job that failed has been
    said by the app already: what it said is on screen, for the test to look at."""
    import contextlib

    from textual.worker import WorkerFailed

    app = pilot.app
    for _ in range(500):
        await pilot.pause()
        if app.workers:
            with contextlib.suppress(WorkerFailed):
                await app.workers.wait_for_complete()
        elif getattr(app, "db_is_open", True) or not app.is_running:
            await pilot.pause()  # what a failed job's handler said is on screen
            return
        else:
            await pilot.pause(0.01)
    raise AssertionError("the app's background jobs did not end")


async def until(pilot: Pilot[Any], ready: Callable[[], object], what: str,
                timeout: float = 20.0) -> None:
    """Pause in small steps until ``ready()`` is true: a test waits for the thing it
    needs (a row written, a line on screen), never a fixed time. At the deadline it
    fails saying ``what`` it waited for."""
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout}s for {what}")
        await pilot.pause(0.02)


async def loaded(pilot: Pilot[Any], screen: Any, since: int) -> None:
    """Wait until ``screen`` has shown a read newer than its ``since``-th (its
    ``loads``): screens read the store in a worker and draw when the answer lands."""
    await until(pilot, lambda: screen.loads > since, f"{type(screen).__name__}'s read")


async def palette_offers(pilot: Pilot[Any], command: str) -> None:
    """Wait until the open command palette's highlighted line holds ``command`` (its
    search, which gathers hits in batches, has got that far): enter then runs it."""
    from textual.command import CommandList

    def offered() -> bool:
        palette = pilot.app.screen
        if any(worker.node is palette and worker.is_running for worker in pilot.app.workers):
            return False  # still searching: the list may yet be replaced under enter
        found = palette.query(CommandList)
        at = found.first().highlighted if found else None
        return at is not None and command.lower() in str(
            found.first().get_option_at_index(at).prompt).lower()

    await until(pilot, offered, f"the palette to offer {command!r}")


async def tracker_open(pilot: Pilot[Any]) -> None:
    """Press t, and wait until the tracker shows a row under its cursor (the row a
    status key changes: its page is read off the screen's thread)."""
    from mhtui.ui.screens.tracker import TrackerScreen

    def ready() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, TrackerScreen) and screen.selected() is not None

    await pilot.press("t")
    await until(pilot, ready, "the tracker's rows")


def settled(term: Terminal, quiet: float = 0.1, timeout: float = 20.0) -> None:
    """Return once the app's screen has stopped changing: nothing drawn for ``quiet``
    seconds (a screen just shown fills in its rows from a worker, then rests)."""
    deadline = time.monotonic() + timeout
    seen, since = term.offset, time.monotonic()
    while time.monotonic() - since < quiet:
        if time.monotonic() > deadline:
            raise AssertionError(f"the screen was still changing after {timeout}s")
        time.sleep(0.01)
        if term.offset != seen:
            seen, since = term.offset, time.monotonic()


def lone_escape(term: Terminal) -> None:
    """Esc on its own. Terminals send Alt+X as Esc then X, so the app's parser, having
    read an Esc, waits ESCDELAY (Textual's 100 ms) for a next byte: once it has read the
    Esc, that wait (the terminal's own) is kept; keys after it are handled in order."""
    from textual.constants import ESCAPE_DELAY

    term.press("escape")
    term.wait_until_read()
    time.sleep(ESCAPE_DELAY * 1.5)


def start_checkin_in(term: Terminal) -> None:
    """In the real app on its dashboard: open the check-in hub, start the prefilled
    check-in, and wait for its first item."""
    since = term.offset
    term.press("c")
    term.wait_for("No check-in in progress", since)  # the hub, read
    since = term.offset
    term.press("s")  # the start form, prefilled
    term.wait_for("Start a check-in", since)
    term.press("ctrl+s")
    term.wait_for("Item 1 of", since)


def db_arg(target: Target) -> str:
    """What to give ``--db`` (or MHApp) for the database: the file, or the server's URL."""
    return str(target.path) if target.path is not None else target.url


def db_rows(target: Target, sql: str, *args: object) -> list[tuple[Any, ...]]:
    """What the database holds, read as another program would (its own connection).

    ``sql`` uses ``?`` placeholders on both backends; a statement that gives no rows
    gives []. A date or time read from PostgreSQL comes back as the text SQLite stores
    ("2026-11-23", "2026-11-23 15:00:00.000000"), so one expected value fits both."""
    if target.path is not None:
        conn = sqlite3.connect(target.path)
        try:
            return conn.execute(sql, args).fetchall()
        finally:
            conn.close()
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(target.url)
    with psycopg.connect(dbname=url.database, user=url.username, password=url.password,
                         host=str(url.query.get("host", "")) or url.host,
                         port=url.port, autocommit=True) as server:
        driver_sql = sql.replace("%", "%%").replace("?", "%s") if args else sql
        cursor = server.execute(driver_sql.encode(), args or None)
        rows = cursor.fetchall() if cursor.description is not None else []
    return [tuple(_as_sqlite_stores(value) for value in row) for row in rows]


def _as_sqlite_stores(value: object) -> object:
    from datetime import date, datetime

    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def eventually(read: Callable[[], object], wanted: object, timeout: float = 30.0) -> object:
    """What ``read`` gives once the app has handled the keys sent (or the last reading)."""
    deadline = time.monotonic() + timeout
    seen = read()
    while seen != wanted and time.monotonic() < deadline:
        time.sleep(0.05)
        seen = read()
    return seen


# In SQL, the reflections a test wrote (random uids, uuid4), not the demo's (uids made
# from names, uuid5): not "the highest id", as ids are drawn at random on a server.
WRITTEN_HERE = "substr(uid, 15, 1) = '4'"


# In a command line, the id of a named reflection of the demo's (Dev Patel's): ids are
# the order written on a file and drawn at random on a server (migration 0013).
DEMO_REFLECTION = "<Dev Patel's reflection>"


def with_demo_ids(target: Target, command: list[str]) -> list[str]:
    """``command`` with DEMO_REFLECTION replaced by that reflection's id in ``target``."""
    import uuid

    if DEMO_REFLECTION not in command:
        return command
    uid = str(uuid.uuid5(uuid.NAMESPACE_URL, "mhtui-demo/12/Counselor"))  # store/demo/demo.py
    (found,) = db_rows(target, "SELECT id FROM reflection WHERE uid = ?", uid)
    return [str(found[0]) if part == DEMO_REFLECTION else part for part in command]


def the_new_reflection(db: Database) -> Reflection:
    """The one reflection a test wrote beside the demo's (whose uids are made from
    names, uuid5; a new one's are random, uuid4). Not the highest id: on a server ids
    are drawn at random (migration 0013)."""
    import uuid

    from sqlmodel import select

    from mhtui.store.models import Reflection

    with db.read() as session:
        (found,) = [r for r in session.exec(select(Reflection))
                    if uuid.UUID(r.uid).version == 4]
    return found
