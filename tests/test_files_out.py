"""Files out never replace what they must not (issue 24, part 1).

Every `--out` (and every file mhtui writes, atomic.py) refuses the open database, its
-wal, -shm and -journal, anything in its backups folder and any SQLite file, whatever
the command and even with --force; another existing file is replaced only with --force.
A killed write's temporary file is cleaned up by the next write there; the invitation's
files are written all or none; a full disk is said as "the disk is full".
"""

from __future__ import annotations

import errno
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mhtui import atomic
from mhtui.cli import main
from mhtui.core.clock import FakeClock
from mhtui.store.database.dbfile import backup_to
from mhtui.store.database.target import Target, from_path
from tests import disks
from tests.disks import fill
from tests.helpers import db_arg

SQLITE_FILE = pytest.mark.sqlite_only("the database, its -wal and its backups are files")
EXPORTS = (["export", "actions"], ["export", "grid"], ["export", "district"],
           ["export", "reflections"], ["export", "meeting", "latest"], ["export", "trend"],
           ["export", "reflection", "2"])


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    yield from disks.small_disk(tmp_path)


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mhtui: "), err
    assert "Traceback" not in err
    return lines[0]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


@SQLITE_FILE
@pytest.mark.parametrize("force", [False, True], ids=["", "--force"])
def test_out_never_replaces_the_database_its_files_a_backup_or_any_sqlite_file(
    tmp_path: Path, demo_target: Target, make_target: object,
    capsys: pytest.CaptureFixture[str], force: bool
) -> None:
    assert demo_target.path is not None
    live = demo_target.path
    db = ["--db", str(live)]
    assert main([*db, "backup"]) == 0
    backups_folder = live.parent / "backups"
    (copy,) = backups_folder.iterdir()
    dump = backups_folder / "district.dump"  # a server's pg_dump: not SQLite, a backup
    dump.write_bytes(b"PGDMP and the rest")
    other = tmp_path / "another school.db"
    backup_to(live, other)
    # Another copy of mhtui (here, SQLite itself) holds a change in the -wal, not yet in
    # the database: written over, it would be lost.
    other_copy = sqlite3.connect(live, isolation_level=None)
    other_copy.execute("PRAGMA wal_autocheckpoint = 0")
    other_copy.execute("UPDATE team SET place = 'only in the -wal'")
    journal = Path(f"{other}-journal")  # another database's: it is not open here
    protected = [live, Path(f"{live}-wal"), Path(f"{live}-shm"), copy, dump, other, journal]
    capsys.readouterr()
    before = _snapshot(tmp_path)
    try:
        for number, out in enumerate(protected * 2):  # every export meets each one
            command = EXPORTS[number % len(EXPORTS)]
            assert main([*db, *command, "--out", str(out), *(["--force"] * force)]) == 2
            line = _one_line(capsys)
            assert atomic.shown(out) in line and "Nothing was changed" in line
            assert "--force" not in line  # --force never lets these be replaced
            now = _snapshot(tmp_path)
            assert {k: v for k, v in now.items() if not k.endswith("-shm")} == {
                k: v for k, v in before.items() if not k.endswith("-shm")}
    finally:
        other_copy.close()
    assert main([*db, "info"]) == 0
    assert "active team" in capsys.readouterr().out
    check = sqlite3.connect(live)
    try:
        assert check.execute("SELECT DISTINCT place FROM team").fetchall() == [
            ("only in the -wal",)]
    finally:
        check.close()


@SQLITE_FILE
@pytest.mark.parametrize("name", ["plain.csv", "a #1 ?.csv", "100% done.md", " sp  aces .txt"])
def test_another_existing_file_is_replaced_only_with_force(
    tmp_path: Path, demo_target: Target, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    db = ["--db", db_arg(demo_target)]
    out = tmp_path / name
    for number, command in enumerate(EXPORTS):
        out.write_text(f"mine {number}")
        assert main([*db, *command, "--out", str(out)]) == 2
        line = _one_line(capsys)
        assert "already exists" in line and "--force" in line and atomic.shown(out) in line
        assert out.read_text() == f"mine {number}"
        assert main([*db, *command, "--out", str(out), "--force"]) == 0
        capsys.readouterr()
        assert out.read_bytes() and not out.read_text().startswith("mine")
        assert oct(out.stat().st_mode & 0o777) == oct(0o600)
    out.unlink()
    assert main([*db, "export", "grid", "--out", str(out)]) == 0  # a new file: no --force
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_killed_writes_old_temporary_files_are_removed_by_the_next_write_there(
    tmp_path: Path, demo_target: Target, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    minute_ago = time.time() - 61
    left = folder / ".actions.csv.0123456789abcdef.tmp"  # as a kill during a write leaves
    left_by_copy = folder / ".b.db.fedcba9876543210.tmp-journal"
    fresh = folder / ".grid.csv.00112233445566ff.tmp"  # another write, still going
    mine = folder / ".notes.tmp"  # the person's own file, not mhtui's pattern
    lookalike = folder / ".x.csv.0123456789abcdeg.tmp"  # not hex: not ours
    for path in (left, left_by_copy, fresh, mine, lookalike):
        path.write_bytes(b"x" * 1000)
    planted = folder / ".y.csv.0123456789abcdef.tmp"  # a link: never followed or removed
    victim = tmp_path / "victim"
    victim.write_text("keep")
    planted.symlink_to(victim)
    for path in (left, left_by_copy, mine, lookalike):
        os.utime(path, (minute_ago, minute_ago))
    os.utime(planted, (minute_ago, minute_ago), follow_symlinks=False)
    assert main(["--db", db_arg(demo_target), "export", "grid", "--out",
                 str(folder / "grid.csv")]) == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["grid.csv", fresh.name, mine.name, lookalike.name, planted.name])
    assert victim.read_text() == "keep"


def test_invite_out_replaces_the_files_there_only_with_force(
    tmp_path: Path, demo_target: Target, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", db_arg(demo_target)]
    folder = tmp_path / "invites"
    assert main([*db, "invite", "--out", str(folder)]) == 0
    capsys.readouterr()
    (folder / "checkins.ics").write_text("edited by hand")
    before = _snapshot(folder)
    assert main([*db, "invite", "--out", str(folder)]) == 2
    line = _one_line(capsys)
    assert "already exists" in line and "--force" in line
    assert _snapshot(folder) == before  # not one of the files was written
    assert main([*db, "invite", "--out", str(folder), "--force"]) == 0
    assert (folder / "checkins.ics").read_text().startswith("BEGIN:VCALENDAR")
    assert sorted(_snapshot(folder)) == sorted(before)


def test_invite_out_on_a_disk_that_fills_part_way_writes_none_of_the_files(
    small_disk: Path, demo_target: Target, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", db_arg(demo_target)]
    fill(small_disk, leave=3 * 4096)  # room for two or three of the files, not all
    folder = small_disk / "invites"
    folder.mkdir()
    assert main([*db, "invite", "--out", str(folder)]) == 1
    line = _one_line(capsys)
    assert "the disk is full" in line and "Nothing was written there" in line
    assert list(folder.iterdir()) == []  # no file of the set, no temporary file


def test_an_invitation_cut_short_after_some_files_were_moved_in_names_them(
    tmp_path: Path, demo_target: Target, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    """Moving the written files in needs no room for data, so it is all but certain to
    work; if it fails part way, the line says which files are there and which are not."""
    commit = atomic._commit
    moved: list[Path] = []

    def third_fails(tmp: Path, path: Path, *, exclusive: bool) -> None:
        if len(moved) == 2:
            raise OSError(errno.EIO, "Input/output error")
        commit(tmp, path, exclusive=exclusive)
        moved.append(path)

    monkeypatch.setattr(atomic, "_commit", third_fails)
    folder = tmp_path / "invites"
    assert main(["--db", db_arg(demo_target), "invite", "--out", str(folder)]) == 1
    line = _one_line(capsys)
    assert "I/O error" in line and "Nothing was written" not in line
    written, not_written = line.split("Written: ")[1].split("; not written: ")
    assert written.split(", ") == [p.name for p in moved]
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in moved)
    assert len(not_written.rstrip(".").split(", ")) >= 1


@SQLITE_FILE
def test_a_change_on_a_full_disk_says_the_disk_is_full_and_leaves_no_shm(
    small_disk: Path, demo_target: Target, capsys: pytest.CaptureFixture[str]
) -> None:
    assert demo_target.path is not None
    db = small_disk / "mhtui.db"
    backup_to(demo_target.path, db)
    before = db.read_bytes()
    fill(small_disk)
    for command in (["actions", "set", "1", "done"], ["actions", "list"]):
        assert main(["--db", str(db), *command]) == 2
        line = _one_line(capsys)
        assert "the disk is full" in line and "I/O" not in line
        assert sorted(p.name for p in small_disk.iterdir()) == ["filler-0", "mhtui.db"]
    assert db.read_bytes() == before
    for filler in small_disk.glob("filler-*"):
        filler.unlink()
    assert main(["--db", str(db), "actions", "set", "1", "done"]) == 0  # room again
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT status FROM action WHERE id = 1").fetchone()[0] == "completed"
    finally:
        conn.close()


@SQLITE_FILE
async def test_the_app_replaces_its_own_export_but_never_a_database_or_a_backup(
    demo_target: Target, clock: FakeClock, private_dirs: Path
) -> None:
    """The app names what it saves (minutes-<team>-<day>.md in exports/): saving the same
    minutes again replaces that file, with no question; a database or a backup sitting
    at that name, or in the backups folder, is refused and said."""
    from mhtui.paths import exports_dir
    from mhtui.store.checkins import minutes_doc
    from mhtui.store.database import opening
    from mhtui.ui.app import MHApp
    from mhtui.ui.screens.minutes import MinutesScreen

    db = opening.connect(demo_target)
    try:
        name = minutes_doc.filename(db, 1)
    finally:
        db.close()
    exports = exports_dir()
    assert demo_target.path is not None
    app = MHApp(from_path(demo_target.path), clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = MinutesScreen(1)
        await app.push_screen(screen)
        await pilot.pause()
        (exports / name).write_text("an older save")
        await screen.run_action("save")
        assert (exports / name).read_text().startswith("#")
        (exports / name).unlink()
        backup_to(demo_target.path, exports / name)  # a database kept under that name
        kept = (exports / name).read_bytes()
        await screen.run_action("save")
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications]
        assert any("SQLite database" in m and len(m.splitlines()) == 1 for m in messages)
        assert (exports / name).read_bytes() == kept
        assert app.is_running
