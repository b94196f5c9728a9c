"""A change that does not reach the database, as a person at the screen sees it: the
screen's own line says "Not saved" (not the "Saved: ..." of the change before), and text
typed while a district server was away is saved once it is back, without another key.

The first test runs on the suite's backend; the others stop and start a private
PostgreSQL server of their own (the shared one serves other tests meanwhile).
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from mhtui.core.clock import FakeClock
from mhtui.store.actions import actions
from mhtui.store.database import opening
from mhtui.store.database.dbfile import StorageProblem
from mhtui.store.database.target import Target, resolve
from mhtui.ui.app import MHApp
from mhtui.ui.screens.reflection import ReflectionScreen
from mhtui.ui.screens.reflection_form import ReflectionForm
from mhtui.ui.screens.tracker import TrackerScreen
from mhtui.ui.widgets import autosave
from tests.helpers import WRITTEN_HERE, background_done, text_of, tracker_open, until
from tests.pg import PgServer

LOST = "Not saved: the connection to the database server was lost"


async def _new_reflection(pilot: Pilot[Any]) -> None:
    """r then n: the new reflection form, its name field focused."""
    app = pilot.app
    await pilot.press("r")
    await until(pilot, lambda: isinstance(app.screen, ReflectionScreen), "the reflections")
    await pilot.press("n")
    await until(pilot, lambda: isinstance(app.screen, ReflectionForm)
                and isinstance(app.focused, Input), "the new reflection's form")


async def test_a_status_key_not_saved_says_so_on_the_tracker_line(
        demo_target: Target, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await background_done(pilot)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TrackerScreen)
        await pilot.press("2")
        await pilot.pause()
        assert text_of(app, "#tracker-status").startswith("Saved: #")

        def refused(*_args: object, **_kwargs: object) -> None:
            raise StorageProblem("Not saved: the disk is full. Free some space, then make "
                                 "the change again; everything saved before is safe.")

        monkeypatch.setattr(actions, "set_status", refused)
        await pilot.press("3")
        await pilot.pause()
        line = text_of(app, "#tracker-status")
        assert line.startswith("! Not saved: the disk is full"), line
        assert any("disk is full" in str(n.message) for n in app._notifications)
        assert app.is_running


@dataclass
class Private:
    server: PgServer
    url: str

    def pg_ctl(self, *args: str) -> None:
        from importlib import import_module

        pg_ctl = import_module("pgserver._commands").pg_ctl
        pg_ctl(list(args), pgdata=self.server.data, user=self.server._server.system_user)

    def stop(self) -> None:
        self.pg_ctl("-w", "-m", "fast", "stop")

    def start(self) -> None:
        data = self.server.data
        self.pg_ctl("-w", "-o", '-h ""', "-o", f"-k {data}", "-l", str(data / "log"), "start")

    def scalar(self, sql: str) -> object:
        import psycopg

        with psycopg.connect(dbname=self.url.split("/")[-1].split("?")[0], user="postgres",
                             host=self.server.socket_dir) as conn:
            row = conn.execute(sql.encode()).fetchone()
        return None if row is None else row[0]


@pytest.fixture(scope="module")
def private() -> Iterator[Private]:
    if not sys.platform.startswith("linux"):
        pytest.skip("pgserver's sockets, as on Linux")
    # Not under pytest's folders: they are private to root, and as root pgserver runs
    # the server as its own user, which must reach the data folder.
    folder = Path(tempfile.mkdtemp(prefix="mhtui-away-"))
    folder.chmod(0o755)
    server = PgServer(folder / "pg")
    name = server.new_database()
    found = Private(server, server.url(name))
    server.build_schema(found.url)
    from mhtui.store.demo import demo

    db = opening.connect(resolve(found.url, False, {}))
    try:
        demo.build(db, FakeClock())
    finally:
        db.close()
    yield found
    server._server.cleanup()
    shutil.rmtree(folder, ignore_errors=True)


async def test_a_status_key_while_the_server_is_away_says_not_saved_on_its_line(
        private: Private) -> None:
    app = MHApp(resolve(private.url, False, {}), FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:

        async def status_key(key: str) -> str:
            """The tracker's line once the key has said what it did."""
            before = text_of(app, "#tracker-status")
            await pilot.press(key)
            await until(pilot, lambda: text_of(app, "#tracker-status") != before,
                        f"the line after the key {key}")
            return text_of(app, "#tracker-status")

        await background_done(pilot)
        await tracker_open(pilot)
        assert (await status_key("2")).startswith("Saved: #")
        private.stop()
        try:
            assert (await status_key("3")).startswith(f"! {LOST}")
        finally:
            private.start()
        assert (await status_key("3")).startswith("Saved: #")
        assert app.is_running


async def test_text_typed_while_the_server_is_away_is_saved_once_it_is_back(
        private: Private, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(autosave, "RETRY", 0.3)
    typed = "ليلى [/b] 🌟"
    app = MHApp(resolve(private.url, False, {}), FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await background_done(pilot)
        await _new_reflection(pilot)
        screen = app.screen
        assert isinstance(screen, ReflectionForm)
        assert isinstance(app.focused, Input) and app.focused.id == "r-name"
        draft = private.scalar("SELECT id FROM reflection WHERE state = 'draft' AND "
                               f"{WRITTEN_HERE}")
        private.stop()
        try:
            await pilot.press(*typed[:-2])
            screen.query_one("#r-name", Input).insert_text_at_cursor(typed[-2:])  # no key
            # QUIET, then the write that finds no server
            await until(pilot, lambda: "Not saved" in text_of(app, "#reflection-state"),
                        "the draft's write to fail")
            assert text_of(app, "#reflection-state").startswith(LOST)
            assert screen.query_one("#r-name", Input).value == typed
        finally:
            private.start()
        # A few RETRYs: the first after the server is back saves.
        await until(pilot, lambda: text_of(app, "#reflection-state").startswith(
            "Draft saved "), "the draft saved once the server is back")
        assert screen.query_one("#r-name", Input).value == typed
        assert text_of(app, "#reflection-state").startswith("Draft saved ")
        assert private.scalar(f"SELECT author_name FROM reflection WHERE id = {draft}") \
            == typed


async def test_a_grid_name_not_saved_stays_on_screen(
        demo_target: Target, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new category the database refuses (a staff login on a district server, a full
    disk): said, and the prompt is back with the name typed; Esc drops it."""
    from mhtui.store.grid import grid_edit
    from mhtui.ui.screens.grid import GridScreen
    from mhtui.ui.screens.prompt import PromptScreen

    def refused(*_args: object, **_kwargs: object) -> None:
        raise StorageProblem("Not saved: your login (sam) may not change the grid. "
                             "Everything saved before is safe.")

    monkeypatch.setattr(grid_edit, "add", refused)
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await background_done(pilot)
        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, GridScreen), "the grid")
        await app.workers.wait_for_complete()
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*"Sam [/b] ليلى", "enter")
        await pilot.pause()
        assert any("may not change the grid" in str(n.message) for n in app._notifications)
        assert isinstance(app.screen, PromptScreen)
        assert app.screen.query_one(Input).value == "Sam [/b] ليلى"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, GridScreen)
        assert app.is_running


async def test_a_new_team_refused_is_said_and_the_picker_goes_on(
        demo_target: Target, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """Enter in the picker's name field is a handler, not a key binding: a write refused
    there (a facilitator may not make teams) froze the picker, keys and all, with no
    word said. Now it is said, the name stays, and the picker takes keys again."""
    from mhtui.store.teams import teams
    from mhtui.ui.screens.teams import TeamPicker

    def refused(*_args: object, **_kwargs: object) -> None:
        raise StorageProblem("Not saved: your login (ann) may not make teams. Everything "
                             "saved before is safe.")

    monkeypatch.setattr(teams, "create_team", refused)
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await background_done(pilot)
        await pilot.press("s")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, TeamPicker)
        await pilot.press("n", *"Ann [/b] مدرسة", "enter")
        await pilot.pause()
        assert any("may not make teams" in str(n.message) for n in app._notifications)
        assert app.screen is picker
        await pilot.press(*" 2")
        await pilot.pause()
        assert picker.query_one("#team-new", Input).value == "Ann [/b] مدرسة 2"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, TeamPicker)
        assert app.is_running


async def test_a_submitted_reflection_says_where_the_facilitator_reads_it(
        demo_target: Target, clock: FakeClock) -> None:
    """From a laptop file it goes to the facilitator as a file (x); on a district server
    the facilitator reads it there, and the staff login may no longer read it at all."""
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await background_done(pilot)
        await _new_reflection(pilot)
        form = app.screen
        assert isinstance(form, ReflectionForm)
        await pilot.press("tab", *"Counselor", "tab", *"Time [/b] وقت", "f5")
        await until(pilot, lambda: app.screen is not form, "the question before submitting")
        await pilot.press("y")

        def submitted() -> list[str]:
            return [str(n.message) for n in app._notifications
                    if "submitted" in str(n.message)]

        await until(pilot, submitted, "the notice that it was submitted")
        await pilot.pause()  # the one notice, not two
        said = submitted()
        assert len(said) == 1, said
        if demo_target.path is None:
            assert said[0].endswith("The facilitator sees it on the district's server.")
            assert "x writes" not in said[0]
        else:
            assert said[0].endswith("x writes it to a file for the facilitator.")


async def test_a_login_revoked_while_the_app_runs_is_told_as_on_starting(
        private: Private) -> None:
    """The owner revokes sam's last grant while sam's app shows the tracker: the next
    read is refused by the server ("permission denied for table setting"); the app
    leaves with the line a login without a grant hears on starting, not the raw one."""
    from mhtui.store.database import access

    private.server.admin("DROP ROLE IF EXISTS sam_away")
    private.server.admin("CREATE ROLE sam_away LOGIN")
    owner = opening.connect(resolve(private.url, False, {}))
    try:
        access.grant(owner, "sam_away", "staff", "Lincoln High School")
        as_sam = private.url.replace("postgres@", "sam_away@", 1)
        app = MHApp(resolve(as_sam, False, {}), FakeClock())
        async with app.run_test(size=(80, 24)) as pilot:
            await background_done(pilot)
            await tracker_open(pilot)
            assert isinstance(app.screen, TrackerScreen)
            access.revoke(owner, "sam_away", None)
            # Esc: the dashboard reads the active team, refused; the app leaves (a key
            # press would wait for a screen that is gone).
            app.screen.action_back()
            for _ in range(50):
                if app.return_code is not None:
                    break
                await asyncio.sleep(0.1)
            said = " ".join(str(r) for r in app._exit_renderables)  # printed on leaving
        assert app.return_code == 2
        assert said.startswith("mhtui: Your login (sam_away) has no team on this server"), said
        assert "permission denied" not in said
    finally:
        owner.close()
