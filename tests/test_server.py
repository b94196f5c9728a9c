"""A district server (PostgreSQL): its password is never shown, ~/.pgpass and service
files work, a login or connection that fails is one line, writers from several copies
take turns without losing an update, and a server that goes away and comes back is one
line in the app, which keeps running and saves again once it is back.

Against real servers: the run's throwaway one (tests/pg.py), and for what needs a
password checked or a server stopped, a private one started here from the same wheel.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from mhtui.cli import main
from mhtui.core.clock import FakeClock
from mhtui.store.database import opening
from mhtui.store.database.db import WRITE_LOCK_KEY, Database
from mhtui.store.database.dbfile import DatabaseProblem, StorageProblem
from mhtui.store.database.target import resolve
from tests.pg import PgServer

PASSWORD = "Hunter2-SEKRIT-pw"
ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="pgserver's sockets and pseudo-terminals, as on Linux")


@dataclass
class Locked:
    """A private server where the login "ann" must give its password (scram-sha-256)."""

    server: PgServer
    database: str  # owned by ann, with mhtui's schema and the demo data

    def url(self, password: str | None = PASSWORD, database: str | None = None) -> str:
        return self.server.url(database or self.database, user="ann", password=password)

    def pg_ctl(self, *args: str) -> None:
        from importlib import import_module

        pg_ctl = import_module("pgserver._commands").pg_ctl  # made at import, by name
        pg_ctl(list(args), pgdata=self.server.data, user=self.server._server.system_user)

    def stop(self) -> None:
        self.pg_ctl("-w", "-m", "fast", "stop")

    def start(self) -> None:
        data = self.server.data
        self.pg_ctl("-w", "-o", '-h ""', "-o", f"-k {data}", "-l", str(data / "log"), "start")


@pytest.fixture(scope="module")
def locked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Locked]:
    server = PgServer(tmp_path_factory.mktemp("locked") / "pg")
    hba = server.data / "pg_hba.conf"
    # First match wins: ann's password is checked on the socket, everyone else as before.
    hba.write_text("local all ann scram-sha-256\n" + hba.read_text())
    server.admin("SELECT pg_reload_conf()")
    server.admin(f"CREATE ROLE ann LOGIN PASSWORD '{PASSWORD}'")
    name = server.new_database()
    server.admin(f"ALTER DATABASE {name} OWNER TO ann")
    found = Locked(server, name)
    server.build_schema(found.url())
    from mhtui.store.demo import demo

    db = opening.connect(resolve(found.url(), False, {}))
    try:
        demo.build(db, FakeClock())
    finally:
        db.close()
    yield found
    server._server.cleanup()


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in err and PASSWORD not in err
    return err


def test_info_names_the_server_with_its_password_hidden(
        locked: Locked, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", locked.url(), "info"]) == 0
    out = capsys.readouterr().out
    assert "ann:***@" in out and PASSWORD not in out
    assert repr(resolve(locked.url(), False, {})).startswith("Target('postgresql+psycopg://ann:***@")
    db = Database(locked.url())
    try:
        assert PASSWORD not in repr(db) and PASSWORD not in str(db.url)
    finally:
        db.close()


COMMANDS = [["info"], ["teams", "list"], ["actions", "list"], ["export", "actions"],
            ["staff", "add", "Nobody"], []]  # [] opens the app


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "app")
def test_a_failed_login_or_connection_is_one_line_and_exit_2(
        locked: Locked, command: list[str], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    wrong = locked.url(password="wrong-" + PASSWORD)
    assert main(["--db", wrong, *command]) == 2
    err = _one_line(capsys)
    assert "ann:***@" in err and "wrong user name or password" in err
    assert "wrong-" not in err

    assert main(["--db", locked.url(database="no_such_db"), *command]) == 2
    assert 'no such database (database "no_such_db" does not exist)' in _one_line(capsys)

    nobody = tmp_path / "no-server-here"
    nobody.mkdir()
    away = locked.url().replace(str(locked.server.data).replace("/", "%2F"),
                                str(nobody).replace("/", "%2F"))
    assert away != locked.url()
    assert main(["--db", away, *command]) == 2
    assert "the database server cannot be reached" in _one_line(capsys)


def test_no_driver_is_one_line(locked: Locked, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    for name in [n for n in sys.modules if n == "psycopg" or n.startswith("psycopg.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "psycopg", None)
    target = resolve(locked.url(), False, {})
    with pytest.raises(DatabaseProblem) as refused:
        opening.connect(target)
    assert "pip install 'mhtui[postgres]'" in str(refused.value)
    assert PASSWORD not in str(refused.value)
    for command in (["info"], ["actions", "list"], []):  # [] opens the app
        assert main(["--db", locked.url(), *command]) == 2
        assert "pip install 'mhtui[postgres]'" in _one_line(capsys)


def test_a_url_naming_no_driver_uses_psycopg(locked: Locked,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """`postgresql://...` (as psql and most guides write it) reaches the server through
    psycopg 3, the driver `mhtui[postgres]` installs, not SQLAlchemy's default psycopg2."""
    plain = locked.url().replace("postgresql+psycopg://", "postgresql://", 1)
    assert plain.startswith("postgresql://ann:")
    assert main(["--db", plain, "info"]) == 0
    out = capsys.readouterr().out
    assert "database: postgresql://ann:***@" in out and PASSWORD not in out


@pytest.mark.parametrize("url", ["mysql://ann:secret-pw@db.example.org/district",
                                 "oracle+oracledb://ann:secret-pw@db/x", "mssql://ann:secret-pw@db/x"])
@pytest.mark.parametrize("command", [["info"], ["actions", "list"], []])  # [] opens the app
def test_another_kind_of_database_is_refused_in_one_line(
        url: str, command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """mhtui's migrations exist for SQLite and PostgreSQL: any other server is refused
    in words, not with advice to install a driver that would not help."""
    assert main(["--db", url, *command]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert "an SQLite file or on a PostgreSQL server" in err
    assert "secret-pw" not in err and "ann:***@" in err


def test_pgpass_and_a_service_file_need_no_password_in_the_url(
        locked: Locked, private_dirs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    bare = locked.url(password=None)
    assert main(["--db", bare, "info"]) == 2  # asked, and nothing to answer with
    assert "asks for a password and none was given" in _one_line(capsys)

    pgpass = private_dirs / ".pgpass"  # HOME is the test's own
    pgpass.write_text(f"*:*:*:ann:{PASSWORD}\n")
    pgpass.chmod(0o600)
    assert main(["--db", bare, "info"]) == 0
    assert "teams: " in capsys.readouterr().out

    elsewhere = tmp_path / "passwords"
    pgpass.rename(elsewhere)
    monkeypatch.setenv("PGPASSFILE", str(elsewhere))
    assert main(["--db", bare, "teams", "list"]) == 0
    capsys.readouterr()

    services = tmp_path / "services.conf"
    services.write_text(f"[district]\nhost={locked.server.socket_dir}\n"
                        f"dbname={locked.database}\nuser=ann\n")
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    assert main(["--db", "postgresql+psycopg:///?service=district", "info"]) == 0
    out = capsys.readouterr().out
    assert "database: postgresql+psycopg:///?service=district" in out


def test_a_crash_in_the_app_never_shows_the_password(locked: Locked, tmp_path: Path) -> None:
    """Textual's traceback prints every frame's locals: a Target, a Database and the URL
    they hold show the password hidden."""
    from bench.terminal import Terminal

    script = tmp_path / "crash.py"
    script.write_text(
        "import sys\n"
        "from mhtui.store.database import db\n"
        "def boom(url):\n"
        "    raise ZeroDivisionError('forced for the test')\n"
        "db.make_engine = boom\n"
        "import os\n"
        "from mhtui.cli import main\n"
        "sys.exit(main(['--db', os.environ['CRASH_URL']]))\n")  # not in the source shown
    env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8",
           "CRASH_URL": locked.url()}
    term = Terminal([sys.executable, str(script)], env, (160, 50), cwd=str(ROOT))
    try:
        term.proc.wait(timeout=60)
    finally:
        term.close()  # once its reader has taken the last of the output
    shown = term.text()
    packed = "".join(shown.split())  # the traceback's syntax colours space its words
    assert "ZeroDivisionError:forcedforthetest" in packed
    assert "Target('postgresql+psycopg://ann:***@" in packed  # the locals are printed ...
    assert "Database(postgresql+psycopg://ann:***@" in packed
    assert PASSWORD not in packed  # ... and never the password


# --- writers on the run's server -----------------------------------------------------


@pytest.fixture
def two_handles(pg_server: PgServer) -> Iterator[tuple[Database, Database, int]]:
    """Two Database handles (two copies of mhtui) on one server database, and a staff
    row id to change."""
    name = pg_server.new_database()
    url = pg_server.url(name)
    pg_server.build_schema(url)
    assert main(["--db", url, "staff", "add", "Counter"]) == 0
    first, second = Database(url), Database(url)
    with first.read() as session:
        row_id = int(session.execute(text("SELECT id FROM staff")).scalar_one())
    yield first, second, row_id
    first.close()
    second.close()
    pg_server.drop_database(name)


def test_writers_take_turns_and_lose_no_update(
        two_handles: tuple[Database, Database, int]) -> None:
    """Each write reads a number, then writes it plus one: under PostgreSQL's default
    isolation two such writes at once would both read the same number, and one update
    would be lost. The write lock makes them take turns, as SQLite's BEGIN IMMEDIATE."""
    first, second, row_id = two_handles
    rounds = 40
    errors: list[BaseException] = []

    def bump(db: Database) -> None:
        try:
            for _ in range(rounds):
                with db.write() as session:
                    now = session.execute(text("SELECT version FROM staff WHERE id = :i"),
                                          {"i": row_id}).scalar_one()
                    time.sleep(0.001)  # widen the window between the read and the write
                    session.execute(text("UPDATE staff SET version = :v WHERE id = :i"),
                                    {"v": now + 1, "i": row_id})
        except BaseException as exc:
            errors.append(exc)

    before = _version(first, row_id)
    threads = [threading.Thread(target=bump, args=(db,)) for db in (first, second, first)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _version(second, row_id) == before + 3 * rounds


def _version(db: Database, row_id: int) -> int:
    with db.read() as session:
        return int(session.execute(text("SELECT version FROM staff WHERE id = :i"),
                                   {"i": row_id}).scalar_one())


def test_a_change_made_on_an_old_copy_is_refused(
        two_handles: tuple[Database, Database, int]) -> None:
    """Two copies edit the same person from the same version: the second is refused,
    and the first one's change stays (the store's compare-and-set, on the server)."""
    from mhtui.store.database.conflict import ConflictError
    from mhtui.store.teams import staff

    first, second, row_id = two_handles
    seen = _version(first, row_id)
    staff.edit(first, row_id, seen, name="First copy")
    with pytest.raises(ConflictError, match="someone else changed"):
        staff.edit(second, row_id, seen, name="Second copy")
    person = staff.get(second, row_id)
    assert person is not None and person.name == "First copy"


def test_a_writer_held_up_too_long_is_one_line(
        two_handles: tuple[Database, Database, int], monkeypatch: pytest.MonkeyPatch,
        pg_server: PgServer) -> None:
    """Another program holding the write lock: the write waits, then says so."""
    import psycopg

    from mhtui.store.database import connections

    first, _second, row_id = two_handles
    monkeypatch.setattr(connections, "LOCK_TIMEOUT_S", 0.3)
    url = first.url.set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False)) as holder:
        holder.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
        with pytest.raises(StorageProblem, match="kept the database busy"), \
                first.write() as session:
            session.execute(text("UPDATE staff SET name = 'x' WHERE id = :i"), {"i": row_id})
    with first.write() as session:  # let go: writes go through again
        session.execute(text("UPDATE staff SET name = 'y' WHERE id = :i"), {"i": row_id})


# --- the app, when the server drops it or goes away (last: it stops the server) -------


def _statuses(locked: Locked) -> dict[str, int]:
    db = Database(locked.url())
    try:
        with db.read() as session:
            rows = session.execute(text(
                "SELECT status, count(*) FROM action WHERE deleted_at IS NULL "
                "GROUP BY status")).all()
    finally:
        db.close()
    return {str(status): int(count) for status, count in rows}


async def test_the_app_goes_on_when_the_server_drops_it_and_saves_once_it_is_back(
        locked: Locked) -> None:
    from mhtui.ui.app import MHApp
    from mhtui.ui.screens.tracker import TrackerScreen
    from tests.helpers import background_done, text_of, tracker_open, until

    def said() -> list[str]:
        return [str(n.message) for n in app._notifications]

    async def status_key(key: str) -> None:
        """Press a status key and wait until the tracker's line says what it did."""
        before = text_of(app, "#tracker-status")
        await pilot.press(key)
        await until(pilot, lambda: text_of(app, "#tracker-status") != before,
                    f"the line after the key {key}")

    target = resolve(locked.url(), False, {})
    app = MHApp(target, FakeClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await background_done(pilot)
        await tracker_open(pilot)
        before = _statuses(locked)

        # The server ends every connection of the database (an administrator, a
        # failover): the next change connects again, unseen.
        locked.server.admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            f"WHERE datname = '{locked.database}'")
        await status_key("2")
        after = _statuses(locked)
        assert after["in progress"] == before["in progress"] + 1
        assert not [m for m in said() if "Not saved" in m]

        locked.stop()
        try:
            await status_key("3")

            def lost_said() -> list[str]:
                return [m for m in said() if m.startswith("Not saved: the connection to "
                                                          "the database server was lost")]

            await until(pilot, lost_said, "the notice that the change was not saved")
            lost = lost_said()
            assert len(lost) == 1 and PASSWORD not in lost[0]
            await pilot.press("escape")  # the dashboard reads: said, and the app goes on
            await until(pilot, lambda: any("cannot be reached" in m for m in said()),
                        "the dashboard's read refused")
            assert any("the database server cannot be reached" in m for m in said())
            await pilot.press("t")
            await until(pilot, lambda: isinstance(app.screen, TrackerScreen), "the tracker")
        finally:
            locked.start()
        assert _statuses(locked) == after  # nothing of the refused change was kept
        await status_key("3")  # the same key again, the server back: saved
        assert _statuses(locked).get("blocked or behind schedule", 0) == \
            after.get("blocked or behind schedule", 0) + 1
        assert app.is_running
