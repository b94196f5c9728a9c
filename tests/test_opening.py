"""Opening the database: any path opens exactly that file; only regular files; a refused
file keeps its bytes and gets nothing beside it; every failure is one line that says
what is wrong, with a URL's password hidden."""

from __future__ import annotations

import asyncio
import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mhtui.cli import main
from mhtui.store.database import connections, dbfile, migrate, opening
from mhtui.store.database.dbfile import APPLICATION_ID, DatabaseProblem
from mhtui.store.database.target import Target, from_path, resolve
from mhtui.store.teams import dashboard
from tests import disks
from tests.disks import fill
from tests.revisions import add_revision

ROOT = Path(__file__).resolve().parent.parent
ABOUT_THE_FILE = pytest.mark.sqlite_only(
    "the SQLite file given to --db: its exact name, its kind (fifo, device, link), its "
    "shape and its disk")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    yield from disks.small_disk(tmp_path)
ODD_NAMES = ["Budget #3.db", "what?x=1.db", "50% off.db", "two words.db", "new\nline.db",
             "Ünïcödé 日本語 عربي.db", "file:looks-like-a-uri.db", "semi;colon&amp=.db"]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refused(args: list[str], capsys: pytest.CaptureFixture[str], code: int = 2) -> str:
    assert main(args) == code
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mhtui: "), err
    assert "Traceback" not in err
    return lines[0]


def _others_db(path: Path, *, wal: bool = True) -> Path:
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE budget (line TEXT, amount REAL)")
    conn.execute("INSERT INTO budget VALUES ('rent', 1200)")
    conn.commit()
    conn.close()
    return path


def _good_db(path: Path) -> Path:
    opening.prepare(from_path(path))
    return path


# --- exactly the file named ----------------------------------------------------------


@ABOUT_THE_FILE
@pytest.mark.parametrize("name", ODD_NAMES)
def test_any_name_opens_exactly_that_file(tmp_path: Path, name: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "here"
    folder.mkdir()
    path = folder / name
    assert main(["--db", str(path), "db", "upgrade"]) == 0  # made here (info only reads)
    assert main(["--db", str(path), "info"]) == 0
    # No stray "Budget " or "what" beside it.
    assert sorted(p.name for p in folder.iterdir()) == [name]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()
    # The dashboard's own sqlite3 URI and the ORM's SQLAlchemy URL name it too.
    ro = connections.sqlite(path, "read")
    assert dashboard.active_team(ro) is not None
    ro.close()
    target = from_path(path)
    from sqlalchemy.engine import make_url

    assert make_url(target.url).database == str(path)
    db = opening.connect(target)
    try:
        with db.write() as session:
            from mhtui.store.models import Team

            team = session.get(Team, 1)
            assert team is not None
            team.place = "Room 1"
    finally:
        db.close()
    assert sorted(sorted(p.name for p in folder.iterdir())) == [name]
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT place FROM team WHERE id = 1").fetchone()[0] == "Room 1"
    conn.close()


@ABOUT_THE_FILE
def test_another_programs_file_with_a_hash_in_its_name_is_refused_and_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Once, mhtui's tables went into "Budget #3.db" and a stray file "Budget " appeared."""
    path = _others_db(tmp_path / "Budget #3.db")
    before = _digest(path)
    assert "another program" in _refused(["--db", str(path), "info"], capsys)
    assert _digest(path) == before
    assert sorted(sorted(p.name for p in tmp_path.iterdir())) == ["Budget #3.db", "home"]


@ABOUT_THE_FILE
def test_a_url_names_its_file_exactly_too(tmp_path: Path) -> None:
    from sqlalchemy.engine import URL

    path = tmp_path / "what?x=1 #2.db"
    url = URL.create("sqlite", database=str(path)).render_as_string()
    assert main(["--db", url, "teams", "add", "North"]) == 0
    assert sorted(sorted(p.name for p in tmp_path.iterdir())) == ["home", path.name]
    assert resolve(url, False, {}).path == path


# --- only regular files --------------------------------------------------------------


def _mode_and_bytes(path: Path) -> tuple[int, int, int]:
    info = path.stat()
    return info.st_mode, info.st_uid, info.st_rdev


@ABOUT_THE_FILE
def test_a_fifo_is_refused_before_it_is_opened_or_chmodded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo, 0o644)
    before = _mode_and_bytes(fifo)
    # In a subprocess with a timeout: opening a FIFO to read would wait for ever.
    done = subprocess.run([sys.executable, "-m", "mhtui", "--db", str(fifo), "info"],
                          capture_output=True, text=True, timeout=60, cwd=ROOT, env=os.environ)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "not a regular file" in done.stderr
    assert _mode_and_bytes(fifo) == before
    assert sorted(sorted(p.name for p in tmp_path.iterdir())) == ["home", "pipe.db"]


@ABOUT_THE_FILE
def test_a_character_device_is_refused_and_its_mode_unchanged(
    capsys: pytest.CaptureFixture[str]
) -> None:
    """/dev/null only: nothing here would ever chmod it now, and the mode is checked."""
    device = Path("/dev/null")
    before = _mode_and_bytes(device)
    assert "not a regular file" in _refused(["--db", str(device), "info"], capsys)
    assert _mode_and_bytes(device) == before
    assert not Path("/dev/null-wal").exists()


@ABOUT_THE_FILE
def test_a_dangling_link_as_database_is_refused_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "team.db"
    link.symlink_to(tmp_path / "elsewhere.db")
    assert "does not exist" in _refused(["--db", str(link), "info"], capsys)
    assert not (tmp_path / "elsewhere.db").exists()


# --- a refused file keeps its bytes and gets nothing beside it --------------------------


def _newer(path: Path) -> Path:
    _good_db(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={migrate.latest_version() + 1}")
    conn.close()
    return path


def _dropped_column(path: Path) -> Path:
    _good_db(path)
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE team DROP COLUMN place")
    conn.close()
    return path


def _dropped_table(path: Path) -> Path:
    _good_db(path)
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE training")
    conn.close()
    return path


def _damaged(path: Path) -> Path:
    _good_db(path)
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for offset in range(page, len(data), page):
        data[offset : offset + 64] = b"\xde\xad\xbe\xef" * 16
    path.write_bytes(bytes(data))
    return path


def _truncated(path: Path) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])
    return path


def _chmod(path: Path, what: Path, mode: int) -> Path:
    what.chmod(mode)
    return path


REFUSED: dict[str, tuple[Callable[[Path], Path], str]] = {
    "another program's (WAL)": (_others_db, "another program"),
    "another program's (rollback journal)": (lambda p: _others_db(p, wal=False),
                                             "another program"),
    "newer mhtui": (_newer, "newer mhtui"),
    "a column dropped": (_dropped_column, "the column 'place' of the table 'team' is missing"),
    "a table dropped": (_dropped_table, "the table 'training' is missing"),
    "damaged": (_damaged, "damaged"),
    "truncated": (lambda p: _chmod(_good_db(p), p, 0o600) and _truncated(p), "truncated"),
    "read-only": (lambda p: _chmod(_good_db(p), p, 0o400), "read-only"),
    "in a read-only folder": (lambda p: _chmod(_good_db(p), p.parent, 0o500), "read-only"),
}


@ABOUT_THE_FILE
@pytest.mark.parametrize("kind", list(REFUSED))
@pytest.mark.parametrize("command", [["info"], ["backup"], ["export", "actions"]])
def test_a_refused_file_keeps_its_bytes_and_gets_no_wal_or_shm(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, command: list[str]
) -> None:
    make, words = REFUSED[kind]
    folder = tmp_path / "f"
    folder.mkdir()
    path = make(folder / "team.db")
    before = _digest(path), stat.S_IMODE(path.stat().st_mode)
    line = _refused(["--db", str(path), *command], capsys)
    assert words in line and str(path) in line
    assert (_digest(path), stat.S_IMODE(path.stat().st_mode)) == before
    assert sorted(p.name for p in folder.iterdir()) == ["team.db"]


@ABOUT_THE_FILE
async def test_the_app_refuses_a_wrong_shape_with_one_line(tmp_path: Path) -> None:
    """Started without the command line's check: the app checks the shape itself."""
    from mhtui.ui.app import MHApp

    path = _dropped_table(tmp_path / "team.db")
    before = _digest(path)
    app = MHApp(str(path))
    async with app.run_test() as pilot:
        for _ in range(200):  # the ORM loads in the background, then opening refuses
            await pilot.pause(0.05)
            if app.return_code is not None:
                break
    assert app.return_code == 2
    assert _digest(path) == before


@ABOUT_THE_FILE
def test_the_shape_check_knows_every_version() -> None:
    assert migrate.missing_from(migrate.expected_shape(migrate.latest_version()),
                                migrate.latest_version()) == ""
    older = migrate.expected_shape(1)
    assert migrate.missing_from(older, 1) == ""
    assert "staff" in older and "version" not in older["staff"]


# --- say what is wrong -----------------------------------------------------------------


def _sqlite_error(code: int, text: str) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(text)
    error.sqlite_errorcode = code
    return error


@ABOUT_THE_FILE
@pytest.mark.parametrize(("code", "text", "says"), [
    (13, "database or disk is full", "the disk is full"),
    (10, "disk I/O error", "I/O error"),
    (5, "database is locked", "another program is holding it"),
    (11, "database disk image is malformed", "damaged"),
])
def test_each_failure_is_named_and_only_damage_says_restore(code: int, text: str,
                                                            says: str) -> None:
    message = str(dbfile._damaged(Path("/x/team.db"), _sqlite_error(code, text)))
    assert says in message and len(message.splitlines()) == 1
    assert ("restore it from a backup" in message) == (code == 11)
    if code == 10:
        assert "do not restore a backup over it" in message


@ABOUT_THE_FILE
def test_a_file_held_by_another_program_is_not_called_damaged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _good_db(tmp_path / "team.db")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE team SET place = 'held'")
    monkeypatch.setattr(connections, "LOCK_TIMEOUT_S", 0.2)
    try:
        line = _refused(["--db", str(path), "info"], capsys)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "another program is holding it" in line
    assert "damaged" not in line and "restore" not in line


@ABOUT_THE_FILE
def test_a_new_database_on_a_full_disk_says_the_disk_is_full(
    small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(small_disk)
    line = _refused(["--db", str(small_disk / "new.db"), "teams", "add", "North"], capsys)
    assert "the disk is full" in line
    assert "damaged" not in line and "restore" not in line


@ABOUT_THE_FILE
def test_an_upgrade_on_a_full_disk_leaves_the_file_as_it_was(
    small_disk: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _good_db(small_disk / "team.db")
    before = _digest(path)
    add_revision(monkeypatch, small_disk.parent / "versions",
                 'op.execute("ALTER TABLE team ADD COLUMN motto VARCHAR")')
    fill(small_disk)
    try:
        line = _refused(["--db", str(path), "info"], capsys)
    finally:
        migrate.expected_shape.cache_clear()
    assert "the disk is full" in line and "not upgraded" in line
    assert _digest(path) == before
    assert sorted(p.name for p in small_disk.iterdir() if not p.name.startswith("filler")) == [
        "team.db"]


# --- no traceback, no password -------------------------------------------------------


def test_a_server_url_is_shown_with_its_password_hidden(
    capsys: pytest.CaptureFixture[str]
) -> None:
    url = "postgresql://counselor:hunter2@127.0.0.1:1/school"
    target = resolve(url, False, {})
    assert target.label == "postgresql://counselor:***@127.0.0.1:1/school"
    line = _refused(["--db", url, "info"], capsys)
    assert "hunter2" not in line and "counselor:***@" in line and "cannot connect" in line


def test_a_connection_error_is_one_line_with_the_password_hidden(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A driver that is installed but cannot reach the server (sqlite's, made to fail)."""
    from sqlalchemy.exc import OperationalError

    from mhtui.store.database import db as db_module

    def refuse(url: str) -> None:
        raise OperationalError("connect", {}, Exception(
            'connection to server at "127.0.0.1", port 1 failed: password hunter2 refused'))

    monkeypatch.setattr(db_module, "make_engine", refuse)
    line = _refused(["--db", "postgresql://counselor:hunter2@127.0.0.1:1/school", "info"],
                    capsys)
    assert "hunter2" not in line and "port 1 failed" in line


def test_a_database_error_during_a_command_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    from mhtui.store.teams import teams

    path = _good_db(tmp_path / "team.db")

    def fail(*_args: object) -> None:
        raise OperationalError("SELECT", {}, _sqlite_error(10, "disk I/O error"))

    monkeypatch.setattr(teams, "list_teams", fail)
    line = _refused(["--db", str(path), "info"], capsys)
    assert "I/O error" in line and "full" not in line  # as sqlite_reason says it


def test_a_url_that_cannot_be_read_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    line = _refused(["--db", "not a url://at all:secret@", "info"], capsys)
    assert "cannot be read" in line and "secret" not in line


def test_a_device_is_a_database_problem_for_the_app_too() -> None:
    with pytest.raises(DatabaseProblem, match="not a regular file"):
        opening.prepare(Target(given=None, path=Path("/dev/null")))


async def test_a_database_error_under_a_screen_ends_the_app_with_one_line(
    demo_target: Target, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A read that fails leaves its screen half made: one line, exit 2, no traceback."""
    from sqlalchemy.exc import OperationalError

    from mhtui.core.clock import FakeClock
    from mhtui.store.reflections import reflections
    from mhtui.ui.app import MHApp

    def fail(*_args: object) -> None:
        raise OperationalError("SELECT", {}, _sqlite_error(10, "disk I/O error"))

    monkeypatch.setattr(reflections, "recent", fail)
    from mhtui.ui.screens.reflection import ReflectionScreen

    app = MHApp(demo_target, clock=FakeClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.push_screen(ReflectionScreen())
        for _ in range(100):  # not pilot.pause: it would wait for the half-made screen
            await asyncio.sleep(0.05)
            if app.return_code is not None:
                break
    assert app.return_code == 2
    said = " ".join(capsys.readouterr().err.split())  # Rich wraps it at the width
    assert said.startswith("mhtui: The database could not be used: the disk reported an "
                           "I/O error") and "Traceback" not in said


def test_a_file_not_written_under_a_screen_is_said_and_the_app_goes_on() -> None:
    from mhtui.atomic import WriteFailed
    from mhtui.store.database.opening import database_error

    assert database_error(WriteFailed("Could not write x"), None) is None
    assert database_error(ValueError("a bug"), None) is None


def test_the_written_out_newest_shape_is_what_the_ladder_makes() -> None:
    """Opening a current file checks it against shape_latest instead of running every
    migration first; after a new migration this fails until `python3 -m
    mhtui.store.database.schema_files` writes it again."""
    from mhtui.store.database import shape_latest

    assert migrate.latest_version() == shape_latest.VERSION
    assert migrate.ladder_shape(migrate.latest_version()) == shape_latest.SHAPE
    assert migrate.expected_shape(shape_latest.VERSION) is shape_latest.SHAPE
