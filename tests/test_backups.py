"""Backups while writing, restore of a good file, refusal of a bad or busy one, and the
rolling daily copies: of an SQLite file, except the refusal of a bad file, which holds on a
server too (a server's pg_dump and pg_restore: tests/test_pg_backups.py)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import stat
import subprocess
import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from mhtui.atomic import WriteFailed
from mhtui.cli import main
from mhtui.core.clock import FakeClock
from mhtui.store.database import backups
from mhtui.store.database.dbfile import DatabaseProblem, backup_to
from mhtui.store.database.target import Target
from mhtui.ui.app import MHApp
from mhtui.ui.screens.tracker import TrackerScreen
from tests import disks
from tests.helpers import background_done, db_arg, db_rows, eventually, text_of


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
    eventually(lambda: len(committed) >= 10, True)  # the writer is under way
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


ROLLING = ("the rolling daily copies of the SQLite file in its backups folder; a server "
           "has none, said once (tests/test_pg_backups.py)")


def _copy_at(target: Target, name: str, when: datetime) -> Path:
    """A real copy of the database in its backups folder, its own time set to ``when``."""
    assert target.path is not None
    made = backup_to(target.path, backups.backups_dir(target.path) / name)
    os.utime(made, (when.timestamp(), when.timestamp()))
    return made


def _daily_names(target: Target) -> list[str]:
    assert target.path is not None
    return sorted(p.name for p in backups.folder(target.path).iterdir())


@pytest.mark.sqlite_only(ROLLING)
def test_rolling_daily_backup_keeps_seven(demo_target: Target, clock: FakeClock) -> None:
    assert demo_target.path is not None
    for _day in range(10):
        backups.daily(demo_target.path, clock.now())
        clock.advance(24 * 3600)
    clock.advance(-24 * 3600)
    assert backups.daily(demo_target.path, clock.now()) is None  # once a day
    days = [(clock.now() - timedelta(days=d)).astimezone().date() for d in range(7)]
    assert _daily_names(demo_target) == sorted(f"daily-{d}.db" for d in days)


@pytest.mark.sqlite_only(ROLLING)
def test_names_from_the_future_never_push_out_the_real_copies(
        demo_target: Target, clock: FakeClock) -> None:
    """Seven copies named in 2099 (a clock once wrong, files copied in): today's copy is
    made and kept, the newest real copies kept, and the 2099 files left as they are."""
    now = clock.now()
    real = [_copy_at(demo_target, f"daily-{(now - timedelta(days=d)).astimezone().date()}.db",
                     now - timedelta(days=d)) for d in range(1, 4)]
    future = [_copy_at(demo_target, f"daily-2099-01-0{d}.db", now) for d in range(1, 8)]
    assert demo_target.path is not None
    made = backups.daily(demo_target.path, now)
    assert made is not None and made.exists()
    assert all(p.exists() for p in [*real, *future])


@pytest.mark.sqlite_only(ROLLING)
def test_rotation_goes_by_the_files_own_time_not_its_name(
        demo_target: Target, clock: FakeClock) -> None:
    """Copies whose names say one order and whose times another: the newest by time stay,
    and a copy whose time is in the future is neither counted nor deleted."""
    now = clock.now()
    day = now.astimezone().date()
    names = [f"daily-{day - timedelta(days=d)}.db" for d in range(1, 11)]
    # The names oldest-first get the newest times: a name says nothing of the copy's age.
    for rank, name in enumerate(names):
        _copy_at(demo_target, name, now - timedelta(days=len(names) - rank))
    ahead = _copy_at(demo_target, f"daily-{day - timedelta(days=20)}.db",
                     now + timedelta(days=30))
    assert demo_target.path is not None
    backups.daily(demo_target.path, now)
    kept = set(_daily_names(demo_target))
    assert kept == {f"daily-{day}.db", ahead.name, *names[-6:]}


@pytest.mark.sqlite_only(ROLLING)
def test_rotation_never_deletes_what_mhtui_did_not_make(
        demo_target: Target, clock: FakeClock, tmp_path: Path) -> None:
    now = clock.now()
    day = now.astimezone().date()
    for d in range(1, 9):
        _copy_at(demo_target, f"daily-{day - timedelta(days=d)}.db", now - timedelta(days=d))
    assert demo_target.path is not None
    folder = backups.folder(demo_target.path)
    strangers = {
        f"daily-{day - timedelta(days=40)}.db": b"a person's own notes",  # not a database
        f"daily-{day - timedelta(days=41)}.db (copy)": b"",
        f"Daily-{day - timedelta(days=42)}.db": b"",
        "notes.txt": b"keep me",
    }
    for name, content in strangers.items():
        (folder / name).write_bytes(content)
        os.utime(folder / name, ((now - timedelta(days=60)).timestamp(),) * 2)
    other_db = tmp_path / "other.db"  # another program's SQLite file, named like a copy
    sqlite3.connect(other_db).execute("CREATE TABLE t (x)").connection.commit()
    (folder / f"daily-{day - timedelta(days=43)}.db").write_bytes(other_db.read_bytes())
    (folder / f"daily-{day - timedelta(days=44)}.db").symlink_to(other_db)
    backups.daily(demo_target.path, now)
    names = set(_daily_names(demo_target))
    assert set(strangers) <= names
    assert {f"daily-{day - timedelta(days=d)}.db" for d in (43, 44)} <= names
    assert {f"daily-{day - timedelta(days=d)}.db" for d in range(0, 7)} <= names
    assert not {f"daily-{day - timedelta(days=d)}.db" for d in (7, 8)} & names
    assert other_db.exists() and (folder / f"daily-{day}.db").is_file()


@pytest.mark.sqlite_only(ROLLING)
def test_todays_name_taken_by_another_file_is_said_and_left(
        demo_target: Target, clock: FakeClock) -> None:
    assert demo_target.path is not None
    taken = backups.backups_dir(demo_target.path) / f"daily-{clock.now().astimezone().date()}.db"
    taken.write_bytes(b"not a copy")
    with pytest.raises(WriteFailed, match="is not a copy mhtui made"):
        backups.daily(demo_target.path, clock.now())
    assert taken.read_bytes() == b"not a copy"


@pytest.mark.sqlite_only("the rolling daily copies of the SQLite file in its backups "
                         "folder; a server has none, said once (tests/test_pg_backups.py)")
async def test_app_start_makes_the_daily_backup(demo_target: Target, clock: FakeClock) -> None:
    assert demo_target.path is not None
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await background_done(pilot)
        assert not app._notifications
        assert (backups.folder(demo_target.path) / "daily-2026-11-23.db").exists()


@pytest.mark.sqlite_only(ROLLING)
def test_the_dashboards_figures_carry_a_backup_older_than_a_week(
        demo_target: Target, clock: FakeClock) -> None:
    from mhtui.store.teams import dashboard

    now = clock.now()
    today = now.astimezone().date()

    def figures() -> date | None:
        return dashboard.read(demo_target, today, lambda: pytest.fail("no ORM"),
                              clock).old_backup

    assert figures() is None  # no copy at all: nothing to measure (a failed copy is said)
    _copy_at(demo_target, "daily-2026-01-01.db", now - timedelta(days=7))
    assert figures() is None  # a week old: not yet older than a week
    _copy_at(demo_target, "daily-2099-01-01.db", now)  # a name from the future counts not
    assert demo_target.path is not None
    os.utime(backups.folder(demo_target.path) / "daily-2026-01-01.db",
             ((now - timedelta(days=9)).timestamp(),) * 2)
    assert figures() == (now - timedelta(days=9)).astimezone().date()
    _copy_at(demo_target, "mhtui-20260101-090000.db", now - timedelta(days=2))  # `backup`
    assert figures() is None


@pytest.mark.sqlite_only(ROLLING)
async def test_the_dashboard_says_when_the_newest_backup_is_older_than_a_week(
        demo_target: Target, clock: FakeClock) -> None:
    """Today's copy cannot be made (its name is taken): the dashboard says how old the
    newest one is; once a copy is made the line goes."""
    now = clock.now()
    old = now - timedelta(days=10)
    _copy_at(demo_target, f"daily-{old.astimezone().date()}.db", old)
    assert demo_target.path is not None
    taken = backups.folder(demo_target.path) / f"daily-{now.astimezone().date()}.db"
    taken.write_bytes(b"not a copy")
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await background_done(pilot)
        line = text_of(app, "#privacy")
        assert "! The newest backup is from" in line and "(10 days ago)" in line, line
        assert any("is not a copy mhtui made" in str(n.message) for n in app._notifications)
    taken.unlink()
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await background_done(pilot)
        assert (backups.folder(demo_target.path) / taken.name).exists()
        assert "newest backup" not in text_of(app, "#privacy")


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
