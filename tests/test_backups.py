"""Backups while writing, restore of a good file, refusal of a bad or busy one, and the
rolling daily copies: of an SQLite file, except the refusal of a bad file, which holds on a
server too (a server's pg_dump and pg_restore: tests/test_pg_backups.py)."""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import stat
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from mhtui.cli import main
from mhtui.core.clock import FakeClock
from mhtui.store import backups
from mhtui.store.dbfile import DatabaseProblem
from mhtui.store.target import Target
from mhtui.ui.app import MHApp
from mhtui.ui.screens.tracker import TrackerScreen
from tests import disks
from tests.helpers import background_done, db_arg, db_rows


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _held(target: Target) -> list[object]:
    """What the database holds, in brief: its rows counted (and an SQLite file's bytes)."""
    counts = db_rows(target, "SELECT (SELECT count(*) FROM action), (SELECT count(*) FROM "
                             "staff), (SELECT count(*) FROM meeting), (SELECT max(id) FROM "
                             "actionevent), (SELECT count(*) FROM team)")
    return [counts, _digest(target.path) if target.path is not None else None]


@pytest.mark.sqlite_only("SQLite's online backup API copying the file while another "
                         "connection (sqlite3, WAL) commits to it; pg_dump reads one "
                         "snapshot of the server, which is the server's own guarantee")
def test_backup_while_a_writer_is_active(demo_target: Target) -> None:
    assert demo_target.path is not None
    db_path = demo_target.path
    stop = threading.Event()
    committed: list[int] = []

    def writer() -> None:
        conn = sqlite3.connect(db_path, timeout=10)
        conn.execute("PRAGMA journal_mode=WAL")
        n = 0
        while not stop.is_set() and n < 2000:
            n += 1
            conn.execute("INSERT INTO staff (team_id, name, role_name, email) "
                         "VALUES (1, ?, '', '')", (f"writer {n}",))
            conn.commit()
            committed.append(n)
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(0.2)
    before = len(committed)
    out = demo_target.path.parent / "copy.db"
    path = backups.backup_now(demo_target.path, out, datetime(2026, 11, 23))
    stop.set()
    thread.join()
    copy = sqlite3.connect(path)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    held = copy.execute("SELECT count(*) FROM staff WHERE name LIKE 'writer %'").fetchone()[0]
    copy.close()
    assert before > 0 and held >= before  # every row committed before the copy began
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.sqlite_only("restore replaces the SQLite file in place and keeps the file it "
                         "replaced; a server's backup is restored into an empty database "
                         "only (tests/test_pg_backups.py)")
def test_backup_and_restore_from_the_command_line(tmp_path: Path, demo_target: Target,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert demo_target.path is not None
    db = ["--db", str(demo_target.path)]
    saved = tmp_path / "saved.db"
    assert main([*db, "backup", "--out", str(saved)]) == 0
    assert str(saved) in capsys.readouterr().out
    conn = sqlite3.connect(demo_target.path)
    before = conn.execute("SELECT count(*) FROM action").fetchone()[0]
    assert before > 0
    conn.execute("DELETE FROM action")
    conn.commit()
    conn.close()
    assert main([*db, "restore", str(saved)]) == 0
    out = capsys.readouterr().out
    assert "the database as it was is kept at" in out
    conn = sqlite3.connect(demo_target.path)
    assert conn.execute("SELECT count(*) FROM action").fetchone()[0] == before
    conn.close()
    kept = Path(out.rsplit(" ", 1)[-1].strip())
    emptied = sqlite3.connect(kept)
    assert emptied.execute("SELECT count(*) FROM action").fetchone()[0] == 0
    emptied.close()


@pytest.mark.parametrize("content", [b"not a database at all", b""])
def test_bad_file_is_refused_and_the_database_unchanged(
    tmp_path: Path, demo_target: Target, capsys: pytest.CaptureFixture[str], content: bytes,
    pg_tools: None
) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    before = _held(demo_target)
    assert main(["--db", db_arg(demo_target), "restore", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert "cannot be restored" in err or "nothing was restored" in err
    assert _held(demo_target) == before


@pytest.mark.sqlite_only("the in-use lock beside the SQLite file, which the app holds and "
                         "restore takes; a server's database in use is not empty, refused "
                         "as such (tests/test_pg_backups.py)")
async def test_restore_refuses_while_the_app_has_the_database_open(
    tmp_path: Path, demo_target: Target, clock: FakeClock,
    capsys: pytest.CaptureFixture[str]
) -> None:
    assert demo_target.path is not None
    saved = tmp_path / "saved.db"
    assert main(["--db", str(demo_target.path), "backup", "--out", str(saved)]) == 0
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert main(["--db", str(demo_target.path), "restore", str(saved)]) == 2
        with pytest.raises(DatabaseProblem, match="open in a running mhtui"):
            backups.restore(demo_target.path, saved, datetime(2026, 11, 23))


@pytest.mark.sqlite_only("the rolling daily copies of the SQLite file in its backups "
                         "folder; a server has none, said once (tests/test_pg_backups.py)")
def test_rolling_daily_backup_keeps_seven(demo_target: Target) -> None:
    assert demo_target.path is not None
    start = date(2026, 11, 1)
    for day in range(10):
        backups.daily(demo_target.path, start + timedelta(days=day))
    assert backups.daily(demo_target.path, start + timedelta(days=9)) is None  # once a day
    kept = sorted(p.name for p in backups.folder(demo_target.path).glob("daily-*.db"))
    assert kept == [f"daily-{start + timedelta(days=d)}.db" for d in range(3, 10)]


@pytest.mark.sqlite_only("the rolling daily copies of the SQLite file in its backups "
                         "folder; a server has none, said once (tests/test_pg_backups.py)")
async def test_app_start_makes_the_daily_backup(demo_target: Target, clock: FakeClock) -> None:
    assert demo_target.path is not None
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await background_done(pilot)
        assert not app._notifications
        assert (backups.folder(demo_target.path) / "daily-2026-11-23.db").exists()


@pytest.fixture
def read_only_backups(demo_target: Target) -> Iterator[Path]:
    """The database's backups folder on a file system mounted read-only (EROFS from the
    kernel, not a mock); the database itself stays writable."""
    assert demo_target.path is not None
    with contextlib.contextmanager(disks.mounted)(backups.folder(demo_target.path)) as disk:
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        yield disk


@pytest.mark.sqlite_only("the rolling daily copies of the SQLite file in its backups "
                         "folder; a server has none, said once (tests/test_pg_backups.py)")
async def test_a_daily_backup_that_fails_is_said_in_one_line_and_the_app_goes_on(
    read_only_backups: Path, demo_target: Target, clock: FakeClock
) -> None:
    """A background job that fails (a Textual worker) is said by the app's one handler,
    in the same one line as any change not saved."""
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await background_done(pilot)
        said = [str(n.message) for n in app._notifications]
        assert len(said) == 1, said
        assert said[0].startswith("Daily backup not made: ") and "read-only" in said[0]
        assert "\n" not in said[0]
        assert app.is_running and app.db_is_open
        await pilot.press("t")  # the app goes on: the tracker opens, with its rows
        await pilot.pause()
        assert isinstance(app.screen, TrackerScreen) and app.screen.table.row_count
    assert app.return_code is None  # it never left on its own
    assert list(read_only_backups.iterdir()) == []
