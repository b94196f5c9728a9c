"""Every file mhtui writes goes through one atomic writer (mhtui/atomic.py): whole or not
at all, 0600 in 0700 folders, never through a link, one line when it fails.

Each kind of write is killed with SIGKILL mid-way in a subprocess; a real full and a
read-only file system (a small tmpfs, where the tests run as root) stand in for a full
or read-only disk; links are planted at every temporary name.
"""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mhtui import atomic, settings
from mhtui.atomic import WriteFailed, private_dir, write_file
from mhtui.cli import main
from mhtui.core.clock import FakeClock
from mhtui.paths import settings_path
from mhtui.store.database import backups
from mhtui.store.database.dbfile import backup_to
from mhtui.store.database.target import Target
from tests import disks
from tests.disks import fill
from tests.helpers import DEMO_REFLECTION, background_done, db_arg, with_demo_ids

ROOT = Path(__file__).resolve().parent.parent
BACKUP_OF_THE_FILE = pytest.mark.sqlite_only(
    "the SQLite file's own backups (backup now, daily copies, SQLite's online backup); a "
    "server's backups are pg_dump's (test_backups)")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    yield from disks.small_disk(tmp_path)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mhtui: "), err
    assert "Traceback" not in err
    return lines[0]


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- the writer itself ---------------------------------------------------------------


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077, 0o777])
def test_files_are_0600_and_folders_0700_whatever_the_umask(tmp_path: Path,
                                                            umask: int) -> None:
    old = os.umask(umask)
    try:
        folder = private_dir(tmp_path / "a" / "b" / "c")
        written = write_file(folder / "out.txt", "first")
        write_file(written, "second, longer")
    finally:
        os.umask(old)
    assert written.read_text() == "second, longer"
    assert _mode(written) == 0o600
    assert [_mode(tmp_path / p) for p in ("a", "a/b", "a/b/c")] == [0o700] * 3
    assert _temporaries(folder) == []


def test_tighten_makes_an_existing_folder_private_and_leaves_others(tmp_path: Path) -> None:
    mine, theirs = tmp_path / "mine", tmp_path / "theirs"
    for folder in (mine, theirs):
        folder.mkdir()
        folder.chmod(0o755)
    private_dir(mine, tighten=True)
    private_dir(theirs)
    assert (_mode(mine), _mode(theirs)) == (0o700, 0o755)


@pytest.mark.parametrize("kind", ["link to a file", "dangling link", "folder", "fifo"])
def test_a_target_that_is_not_a_regular_file_is_refused(tmp_path: Path, kind: str) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    target = tmp_path / "out.csv"
    if kind == "link to a file":
        target.symlink_to(victim)
    elif kind == "dangling link":
        target.symlink_to(tmp_path / "nowhere.txt")
    elif kind == "folder":
        target.mkdir()
    else:
        os.mkfifo(target)
    with pytest.raises(WriteFailed) as refused:
        write_file(target, "data")
    assert len(str(refused.value).splitlines()) == 1
    assert victim.read_text() == "keep me"
    assert not (tmp_path / "nowhere.txt").exists()
    assert _temporaries(tmp_path) == []


def test_exclusive_never_replaces_a_file(tmp_path: Path) -> None:
    target = tmp_path / "backup.db"
    target.write_text("old")
    with pytest.raises(WriteFailed, match="already exists"):
        write_file(target, "new", exclusive=True)
    assert target.read_text() == "old"
    assert _temporaries(tmp_path) == []


@pytest.mark.parametrize("errno_", [errno.ENOSPC, errno.EIO, errno.EROFS])
def test_a_failed_write_removes_its_temporary_file_and_keeps_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, errno_: int
) -> None:
    target = tmp_path / "out.csv"
    target.write_text("the old export")
    calls = {"n": 0}
    real_write = os.write

    def failing(fd: int, data: bytes) -> int:  # the second block fails, as a disk would
        if not str(Path(f"/proc/self/fd/{fd}").readlink()).endswith(".tmp"):
            return real_write(fd, data)  # anyone else's write (pytest's own)
        calls["n"] += 1
        if calls["n"] > 1:
            raise OSError(errno_, os.strerror(errno_))
        return real_write(fd, bytes(data[:10]))

    monkeypatch.setattr(os, "write", failing)  # the module os that atomic.py uses
    with pytest.raises(WriteFailed) as failed:
        write_file(target, "x" * 1000)
    message = str(failed.value)
    assert len(message.splitlines()) == 1 and str(target) in message
    assert {errno.ENOSPC: "the disk is full", errno.EIO: "I/O error",
            errno.EROFS: "read-only"}[errno_] in message
    assert target.read_text() == "the old export"
    assert _temporaries(tmp_path) == []


# --- planted links -------------------------------------------------------------------


def _plant(monkeypatch: pytest.MonkeyPatch, folder: Path, victim: Path) -> Path:
    """A link to ``victim`` at the first temporary name the writer will try."""
    planted = folder / ".planted.tmp"
    planted.symlink_to(victim)
    names = iter([planted])
    real = atomic._candidate
    monkeypatch.setattr(atomic, "_candidate", lambda path: next(names, None) or real(path))
    return planted


def test_a_link_planted_at_the_temporary_name_is_never_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    planted = _plant(monkeypatch, tmp_path, victim)
    write_file(tmp_path / "out.csv", "exported")
    assert victim.read_text() == "keep me"
    assert planted.is_symlink()
    assert (tmp_path / "out.csv").read_text() == "exported"


@BACKUP_OF_THE_FILE
def test_a_link_planted_at_the_backups_temporary_name_is_never_followed(
    tmp_path: Path, demo_target: Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert demo_target.path is not None
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    folder = backups.backups_dir(demo_target.path)
    planted = _plant(monkeypatch, folder, victim)
    made = backups.backup_now(demo_target.path, None, datetime(2026, 11, 23, 9))
    assert victim.read_text() == "keep me" and planted.is_symlink()
    assert sqlite3.connect(made).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@BACKUP_OF_THE_FILE
def test_links_planted_at_the_old_fixed_temporary_names_are_untouched(
    tmp_path: Path, demo_target: Target, private_dirs: Path
) -> None:
    """mhtui once wrote through ".NAME.tmp", "daily-DAY.partial" and "settings.tmp"."""
    assert demo_target.path is not None
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    folder = backups.backups_dir(demo_target.path)
    config = private_dir(private_dirs / "config" / "mhtui")
    for name in (out / ".a.csv.tmp", folder / "daily-2026-11-23.partial",
                 config / "settings.tmp", config / ".settings.json.tmp"):
        name.symlink_to(victim)
    assert main(["--db", db_arg(demo_target), "export", "actions", "--out",
                 str(out / "a.csv")]) == 0
    assert backups.daily(demo_target.path, datetime(2026, 11, 23, 12, tzinfo=UTC)) is not None
    settings.save(theme="projector")
    assert victim.read_text() == "keep me"
    assert json.loads((config / "settings.json").read_text())["theme"] == "projector"


@BACKUP_OF_THE_FILE
def test_daily_backup_sweeps_temporary_files_a_kill_left_a_day_ago(
    demo_target: Target
) -> None:
    assert demo_target.path is not None
    folder = backups.backups_dir(demo_target.path)
    old, new = folder / ".daily-2026-01-01.db.0011223344556677.tmp", folder / ".mhtui-x.db.aa.tmp"
    for leftover in (old, new):
        leftover.write_bytes(b"cut off")
    os.utime(old, (time.time() - 2 * 86400,) * 2)
    backups.daily(demo_target.path, datetime(2026, 11, 23, 12, tzinfo=UTC))
    assert not old.exists() and new.exists()


@BACKUP_OF_THE_FILE
def test_a_link_planted_at_the_daily_backups_name_is_refused_not_followed(
    tmp_path: Path, demo_target: Target
) -> None:
    assert demo_target.path is not None
    victim = tmp_path / "victim.db"
    folder = backups.backups_dir(demo_target.path)
    (folder / "daily-2026-11-23.db").symlink_to(victim)
    with pytest.raises(WriteFailed, match="symbolic link"):
        backups.daily(demo_target.path, datetime(2026, 11, 23, 12, tzinfo=UTC))
    assert not victim.exists()


# --- the command line ----------------------------------------------------------------


EXPORTS = (["export", "actions"], ["export", "reflections"], ["export", "grid"],
           ["export", "meeting", "latest"], ["export", "reflection", DEMO_REFLECTION], ["backup"])


@pytest.mark.parametrize("command", EXPORTS, ids=lambda c: " ".join(c))
@pytest.mark.parametrize("kind", ["link", "dangling link", "missing folder"])
def test_out_onto_a_link_or_into_a_missing_folder_is_one_line_and_exit_1(
    tmp_path: Path, demo_target: Target, capsys: pytest.CaptureFixture[str],
    command: list[str], kind: str
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    before = set(tmp_path.iterdir())
    out = tmp_path / "out.file"
    if kind == "link":
        out.symlink_to(victim)
    elif kind == "dangling link":
        out.symlink_to(tmp_path / "nowhere")
    else:
        out = tmp_path / "no such folder" / "out.file"
    assert main(["--db", db_arg(demo_target), *with_demo_ids(demo_target, command),
                 "--out", str(out)]) == 1
    line = _one_line(capsys)
    assert str(out) in line
    assert ("does not exist" if kind == "missing folder" else "symbolic link") in line
    assert victim.read_text() == "keep me"
    assert not (tmp_path / "nowhere").exists()
    assert set(tmp_path.iterdir()) - before == ({out} if "link" in kind else set())


def test_backup_out_onto_an_existing_file_is_refused_and_the_file_kept(
    tmp_path: Path, demo_target: Target, capsys: pytest.CaptureFixture[str]
) -> None:
    kept = tmp_path / "kept.db"
    kept.write_bytes(b"an older backup")
    assert main(["--db", db_arg(demo_target), "backup", "--out", str(kept)]) == 2
    assert "already exists" in _one_line(capsys)
    assert kept.read_bytes() == b"an older backup"


def test_invite_out_makes_its_folder_only_where_the_parent_exists(
    tmp_path: Path, demo_target: Target, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", db_arg(demo_target)]
    old = os.umask(0o022)
    try:
        assert main([*db, "invite", "--out", str(tmp_path / "invites")]) == 0
    finally:
        os.umask(old)
    assert _mode(tmp_path / "invites") == 0o700
    capsys.readouterr()
    assert main([*db, "invite", "--out", str(tmp_path / "missing" / "invites")]) == 1
    assert "does not exist" in _one_line(capsys)
    assert not (tmp_path / "missing").exists()


def test_demo_and_exports_leave_every_folder_private(
    private_dirs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--demo first used to leave the data folder 0755 (mkdir's parents follow the umask)."""
    old = os.umask(0o022)
    try:
        assert main(["--demo", "info"]) == 0
        data = private_dirs / "data" / "mhtui"
        assert _mode(data) == 0o700 and _mode(data / "demo") == 0o700
        for folder in (data, data / "exports", data / "demo" / "backups"):
            folder.mkdir(exist_ok=True)
            folder.chmod(0o755)  # as an older mhtui, or a person, left them
        assert main(["--demo", "backup"]) == 0
        assert main(["--demo", "invite"]) == 0
    finally:
        os.umask(old)
    assert _mode(data) == 0o700
    assert _mode(data / "demo" / "backups") == 0o700
    assert _mode(data / "exports") == 0o700
    assert _mode(data / "exports" / "invitations") == 0o700


# --- kill -9 in the middle of each kind of write ---------------------------------------


WRITER = r"""
import sys, itertools, os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
kind, folder, db = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
start = datetime(2026, 1, 1) + timedelta(days=int(sys.argv[4]))  # each run its own names
out = folder / "target"
if kind == "text":
    from mhtui.atomic import write_file
    payloads = [b"A" * 3_000_000, b"B" * 2_000_000]
    step = lambda n: write_file(out, payloads[n % 2])
elif kind == "export":
    from mhtui.cli import main
    step = lambda n: main(["--db", str(db), "export", "actions", "--format",
                           ("csv", "json")[n % 2], "--out", str(out), "--force"])
elif kind == "copy":
    from mhtui.store.database.dbfile import backup_to
    sources = [folder / "one.db", folder / "two.db"]
    step = lambda n: backup_to(sources[n % 2], folder / f"copy-{sys.argv[4]}-{n}.db")
elif kind == "backup":
    from mhtui.store.database import backups
    step = lambda n: backups.backup_now(db, None, start + timedelta(seconds=n))
elif kind == "daily":
    from mhtui.store.database import backups
    step = lambda n: backups.daily(db, start + timedelta(days=n))
elif kind == "restore":
    from mhtui.store.database import backups
    step = lambda n: backups.restore(db, folder / "one.db", start + timedelta(seconds=n))
elif kind == "settings":
    from mhtui import settings
    step = lambda n: settings.save(theme=("projector", "mhtui-dark")[n % 2], n=n)
for n in itertools.count():
    step(n)
    if n == 0:
        print("ready", flush=True)
"""


def _copy_of(source: Path, dest: Path, marker: str) -> Path:
    backup_to(source, dest)
    conn = sqlite3.connect(dest)
    conn.execute("UPDATE team SET place = ?", (marker,))
    conn.commit()
    conn.close()
    return dest


def _intact(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return str(conn.execute("SELECT place FROM team ORDER BY id").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.sqlite_only("the killed writer backs up, copies and restores the SQLite file, "
                         "then the file is checked")
@pytest.mark.parametrize("kind", ["text", "export", "copy", "backup", "daily", "restore",
                                  "settings"])
def test_kill_9_during_a_write_leaves_the_old_file_or_the_new_one(
    tmp_path: Path, demo_target: Target, private_dirs: Path, kind: str
) -> None:
    assert demo_target.path is not None
    folder = tmp_path / "w"
    folder.mkdir()
    _copy_of(demo_target.path, folder / "one.db", "one")
    _copy_of(demo_target.path, folder / "two.db", "two")
    expected: set[bytes] = set()
    if kind == "text":
        expected = {b"A" * 3_000_000, b"B" * 2_000_000}
    elif kind == "export":
        for fmt in ("csv", "json"):
            assert main(["--db", db_arg(demo_target), "export", "actions", "--format", fmt,
                         "--out", str(tmp_path / fmt)]) == 0
            expected.add((tmp_path / fmt).read_bytes())
    rng = random.Random(14)
    for run in range(4):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, kind, str(folder), str(demo_target.path),
             str(run * 1000)],
            cwd=ROOT, env=os.environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert child.stdout is not None
        ready = child.stdout.readline()
        assert ready == b"ready\n", child.stderr.read() if child.stderr else ""
        time.sleep(rng.uniform(0.0, 0.25))
        child.send_signal(signal.SIGKILL)
        child.wait()
        if kind in ("text", "export"):
            assert (folder / "target").read_bytes() in expected
            assert _mode(folder / "target") == 0o600
        elif kind == "copy":
            copies = list(folder.glob("copy-*.db"))
            assert copies and all(_intact(copy) in ("one", "two") for copy in copies)
        elif kind in ("backup", "daily", "restore"):
            made = [p for p in backups.folder(demo_target.path).iterdir()
                    if p.suffix == ".db"]
            assert made
            for copy in made:
                _intact(copy)
                assert _mode(copy) == 0o600
            _intact(demo_target.path)
        else:
            saved = json.loads(settings_path().read_text())
            assert saved["theme"] in ("projector", "mhtui-dark")
    # A temporary file cut off by the kill is left (nothing runs after SIGKILL) but it
    # is private and never has the target's name.
    for leftover in tmp_path.rglob("*.tmp"):
        assert _mode(leftover) == 0o600 and leftover.name.startswith(".")


# --- a real full (and read-only) disk --------------------------------------------------


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_full_disk_from_the_command_line_is_one_line_exit_1_and_no_file(
    small_disk: Path, demo_target: Target, capsys: pytest.CaptureFixture[str],
    pg_tools: None
) -> None:
    db = ["--db", db_arg(demo_target)]
    fill(small_disk)
    before = _files(small_disk)
    for command in ([*db, "export", "actions", "--out", str(small_disk / "a.csv")],
                    [*db, *with_demo_ids(demo_target, ["export", "reflection",
                                                       DEMO_REFLECTION]),
                     "--out", str(small_disk / "r.json")],
                    [*db, "backup", "--out", str(small_disk / "b.db")],
                    [*db, "invite", "--out", str(small_disk)]):
        assert main(command) == 1
        assert "the disk is full" in _one_line(capsys)
    assert _files(small_disk) == before  # no partial file, no temporary file


def test_a_backup_the_disk_fills_up_during_is_removed_and_said(
    small_disk: Path, demo_target: Target, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, pg_tools: None
) -> None:
    """The free space is looked at first; here the disk fills after that look (on
    PostgreSQL, pg_dump is cut short by it)."""
    from mhtui.store.database import backups, dbfile

    for looked_at in (dbfile, backups):
        monkeypatch.setattr(looked_at, "disk_is_full", lambda *places, needed=0: False)
    fill(small_disk, leave=96 * 1024)  # a part of the copy fits, not all of it
    before = _files(small_disk)
    assert main(["--db", db_arg(demo_target), "backup", "--out",
                 str(small_disk / "b.db")]) == 1
    assert "the disk is full" in _one_line(capsys)
    assert _files(small_disk) == before


def test_read_only_disk_from_the_command_line_is_one_line_exit_1(
    small_disk: Path, demo_target: Target, capsys: pytest.CaptureFixture[str],
    pg_tools: None
) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    assert main(["--db", db_arg(demo_target), "export", "actions", "--out",
                 str(small_disk / "a.csv")]) == 1
    assert "read-only" in _one_line(capsys)
    assert main(["--db", db_arg(demo_target), "backup", "--out",
                 str(small_disk / "b.db")]) == 1
    assert "read-only" in _one_line(capsys)


async def test_read_only_disk_in_the_app_says_so_and_keeps_running(
    small_disk: Path, demo_target: Target, clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    """Exports (minutes, a reflection file, the invitations) go to a read-only disk."""
    from mhtui.ui.app import MHApp
    from mhtui.ui.screens.invite import InviteScreen
    from mhtui.ui.screens.minutes import MinutesScreen
    from mhtui.ui.screens.reflection_form import ReflectionForm

    monkeypatch.setenv("XDG_DATA_HOME", str(small_disk / "data"))
    (small_disk / "data" / "mhtui" / "exports").mkdir(parents=True)
    monkeypatch.chdir(small_disk / "data")  # a reflection file goes to the current folder
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        named = int(with_demo_ids(demo_target, [DEMO_REFLECTION])[0])
        for screen in (MinutesScreen(1), ReflectionForm(named), InviteScreen()):
            await app.push_screen(screen)
            await pilot.pause()
            await screen.run_action("export" if isinstance(screen, ReflectionForm) else "save")
            await pilot.pause()
            app.pop_screen()
            await pilot.pause()
        messages = [str(n.message) for n in app._notifications]
        failed = [m for m in messages if "read-only" in m]
        assert len(failed) == 3, messages
        assert all(len(m.splitlines()) == 1 for m in failed)
        assert app.is_running
    assert _files(small_disk) == []


@pytest.mark.sqlite_only("the database file itself is copied onto the small disk that fills up")
async def test_full_disk_in_the_app_says_so_keeps_running_and_leaves_no_partial_file(
    small_disk: Path, demo_target: Target, clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    """The daily backup, backup now, minutes, a reflection file and the invitations."""
    from mhtui.store.database.target import from_path
    from mhtui.ui.app import MHApp
    from mhtui.ui.screens.invite import InviteScreen
    from mhtui.ui.screens.minutes import MinutesScreen
    from mhtui.ui.screens.reflection_form import ReflectionForm

    assert demo_target.path is not None
    db = small_disk / "school" / "mhtui.db"
    db.parent.mkdir()
    backup_to(demo_target.path, db)
    monkeypatch.setenv("XDG_DATA_HOME", str(small_disk / "data"))
    monkeypatch.chdir(small_disk)  # a reflection file goes to the current folder
    fill(small_disk, leave=128 * 1024)  # room to open the database, not to copy it
    app = MHApp(from_path(db), clock=clock)
    # Every message as it is said: a toast is gone 20 s (of the wall clock) later, and a
    # loaded machine took longer than that to get through all five.
    said: list[str] = []
    notify = app.notify

    def recorded(message: str, **options: Any) -> None:
        said.append(message)
        notify(message, **options)

    monkeypatch.setattr(app, "notify", recorded)

    async def full_said(count: int) -> list[str]:
        """Once the count-th "the disk is full" has been said (each step waits for its
        own message, not for a time)."""
        deadline = time.monotonic() + 60
        while len(full := [m for m in said if "the disk is full" in m]) < count:
            assert time.monotonic() < deadline, said
            await pilot.pause(0.05)
        return full

    async with app.run_test(size=(120, 40)) as pilot:
        await background_done(pilot)  # the daily backup is one of the app's workers
        daily, = await full_said(1)
        assert daily.startswith("Daily backup not made"), said
        fill(small_disk)
        app.backup_now()
        await full_said(2)
        for step, screen in enumerate((MinutesScreen(1), ReflectionForm(2), InviteScreen())):
            await app.push_screen(screen)
            await pilot.pause()
            await screen.run_action("export" if isinstance(screen, ReflectionForm) else "save")
            await full_said(3 + step)
            app.pop_screen()
            await pilot.pause()
        failed = await full_said(5)
        assert len(failed) == 5, said  # daily, backup now, minutes, reflection, invite
        assert all(len(m.splitlines()) == 1 for m in failed)
        assert app.is_running
        for filler in small_disk.glob("filler-*"):
            filler.unlink()
        app.backup_now()  # room again: the same action works
        await pilot.pause()
    copies = [p.name for p in (db.parent / "backups").iterdir()]
    assert len(copies) == 1 and copies[0].startswith("mhtui-")
    exports = small_disk / "data" / "mhtui" / "exports"
    assert _files(exports) == []  # no 0-byte or partial file


@pytest.mark.sqlite_only("the lock file beside the SQLite file that backup and restore take")
def test_a_link_planted_at_the_lock_files_name_is_refused_not_followed(
    tmp_path: Path, demo_target: Target, capsys: pytest.CaptureFixture[str]
) -> None:
    assert demo_target.path is not None
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    Path(f"{demo_target.path}.lock").symlink_to(victim)
    saved = tmp_path / "saved.db"
    assert main(["--db", db_arg(demo_target), "backup", "--out", str(saved)]) == 0
    assert main(["--db", db_arg(demo_target), "restore", str(saved)]) == 2
    assert "it is a symbolic link" in _one_line(capsys)
    assert victim.read_text() == "keep me"


@BACKUP_OF_THE_FILE
def test_a_backup_that_runs_out_of_room_is_removed_and_said_without_root(
    tmp_path: Path, demo_target: Target, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where no small disk can be mounted: SQLite's max_page_count stops the copy growing,
    as a full disk would."""
    real_connect = sqlite3.connect

    def capped(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn: sqlite3.Connection = real_connect(database, *args, **kwargs)
        if ".tmp" in str(database):  # a path, or an SQLite URI naming one
            conn.execute("PRAGMA max_page_count = 8")
        return conn

    monkeypatch.setattr(sqlite3, "connect", capped)  # the module dbfile.py uses
    out = tmp_path / "copies"
    out.mkdir()
    assert main(["--db", db_arg(demo_target), "backup", "--out", str(out / "b.db")]) == 1
    assert "the disk is full" in _one_line(capsys)
    assert list(out.iterdir()) == []
