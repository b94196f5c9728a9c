"""Opening the database: new files are private; bad files are refused, untouched."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from mhtui.cli import main
from mhtui.store.database import dbfile, migrate, opening
from mhtui.store.database.dbfile import APPLICATION_ID, DatabaseProblem
from mhtui.store.database.target import Target, from_path

pytestmark = pytest.mark.sqlite_only(
    "the SQLite file itself: made private and WAL; refused when damaged, read-only, "
    "newer, or another program's")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refused(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code = main(["--db", str(path), "info"])
    err = capsys.readouterr().err
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err  # one clear line, no traceback
    assert lines[0].startswith("mhtui: ") and str(path) in lines[0]
    return lines[0]


def _good_db(tmp_path: Path) -> Path:
    path = tmp_path / "good.db"
    opening.prepare(from_path(path))
    return path


def test_new_database_is_private_wal_and_versioned(tmp_path: Path) -> None:
    path = tmp_path / "new" / "deeper" / "mhtui.db"
    assert main(["--db", str(path), "db", "upgrade"]) == 0  # made here (info only reads)
    assert main(["--db", str(path), "info"]) == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrate.latest_version()
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    teams = conn.execute("SELECT name FROM team").fetchall()
    assert teams == [("My school",)]  # the first run creates a default team


def test_connections_use_the_sqlite_rules(tmp_path: Path) -> None:
    from sqlalchemy import text

    path = _good_db(tmp_path)
    db = opening.connect(from_path(path))
    with db.read() as session:
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        busy_timeout = session.execute(text("PRAGMA busy_timeout")).scalar()
        assert busy_timeout is not None and busy_timeout >= 5000
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA synchronous")).scalar() in (1, 2)
    db.close()


def test_zero_byte_file_becomes_a_database(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    assert main(["--db", str(path), "teams", "add", "North"]) == 0
    assert path.read_bytes().startswith(b"SQLite format 3")


def test_directory_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "adir"
    folder.mkdir()
    assert "is a folder" in _refused(folder, capsys)
    assert list(folder.iterdir()) == []


def test_text_file_is_refused_untouched(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Dear team,\nthis is not a database.\n")
    before = _digest(path)
    assert "not an SQLite database" in _refused(path, capsys)
    assert _digest(path) == before
    assert not Path(f"{path}-wal").exists()


def test_truncated_file_is_refused_untouched(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = _good_db(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])
    before = _digest(path)
    assert "truncated or damaged" in _refused(path, capsys)
    assert _digest(path) == before


def _scribbled_db(tmp_path: Path) -> Path:
    path = _good_db(tmp_path)
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for offset in range(page, len(data), page):  # scribble over every page but the first
        data[offset : offset + 64] = b"\xde\xad\xbe\xef" * 16
    path.write_bytes(bytes(data))
    return path


def test_corrupted_file_is_refused_untouched(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = _scribbled_db(tmp_path)
    before = _digest(path)
    message = _refused(path, capsys)
    assert "damaged" in message or "integrity" in message
    assert _digest(path) == before


def test_read_only_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _good_db(tmp_path)
    os.chmod(path, 0o400)
    before = _digest(path)
    assert "read-only" in _refused(path, capsys)
    assert _digest(path) == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o400


def test_read_only_folder_is_refused(tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    path = _good_db(folder)
    before = _digest(path)
    os.chmod(folder, 0o500)
    try:
        assert "read-only" in _refused(path, capsys)
        assert _digest(path) == before
    finally:
        os.chmod(folder, 0o700)


def test_newer_database_is_refused_untouched(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = _good_db(tmp_path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={migrate.latest_version() + 5}")
    conn.close()
    before = _digest(path)
    assert "newer mhtui" in _refused(path, capsys)
    assert _digest(path) == before


def test_another_programs_database_is_refused(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = _digest(path)
    assert "another program" in _refused(path, capsys)
    assert _digest(path) == before


def test_db_url_and_environment_choose_the_file(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    by_url = tmp_path / "url.db"
    assert main(["--db", f"sqlite:///{by_url}", "teams", "add", "North"]) == 0
    assert by_url.exists()
    by_env = tmp_path / "env.db"
    monkeypatch.setenv("MHTUI_DB", str(by_env))
    assert main(["teams", "add", "North"]) == 0
    assert by_env.exists()


def test_default_database_lives_in_the_user_data_folder(private_dirs: Path) -> None:
    assert main(["teams", "add", "North"]) == 0
    assert (private_dirs / "data" / "mhtui" / "mhtui.db").exists()


def test_demo_never_touches_the_real_database(private_dirs: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    real = private_dirs / "data" / "mhtui" / "mhtui.db"
    assert main(["teams", "add", "North"]) == 0
    before = _digest(real)
    assert main(["--demo", "info"]) == 0
    out = capsys.readouterr().out
    assert "Lincoln High School" in out and "demo" in out
    assert _digest(real) == before


async def test_app_refuses_a_damaged_file_after_its_first_frame(tmp_path: Path) -> None:
    """The app's integrity check runs after its first frame; the file is never used."""
    from mhtui.store.database.target import from_path as target_of
    from mhtui.ui.app import MHApp
    from tests.helpers import background_done

    path = _scribbled_db(tmp_path)
    before = _digest(path)
    app = MHApp(target_of(path))
    async with app.run_test() as pilot:
        await background_done(pilot)  # the check, then the app leaves
    assert app.return_code == 2
    assert not app.db_is_open
    assert _digest(path) == before


def _damaged_where_the_dashboard_does_not_read(path: Path) -> Path:
    """Scribble over the action history's pages only: the dashboard's figures still
    read, and only the integrity check (in its worker) finds the damage."""
    conn = sqlite3.connect(path)
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'actionevent'"
                           ).fetchone()
    conn.close()
    data = bytearray(path.read_bytes())
    offset = (root - 1) * page
    data[offset + 8 : offset + page] = b"\xde\xad\xbe\xef" * ((page - 8) // 4)
    path.write_bytes(bytes(data))
    return path


async def test_a_damaged_file_is_said_once_in_one_line(
    demo_target: Target, capsys: pytest.CaptureFixture[str]
) -> None:
    """The integrity check fails in the store's worker: the app's one handler leaves
    with the one line, said once, with no traceback; the dashboard was up meanwhile."""
    from mhtui.ui.app import MHApp
    from tests.helpers import background_done

    assert demo_target.path is not None
    path = _damaged_where_the_dashboard_does_not_read(demo_target.path)
    before = _digest(path)
    app = MHApp(demo_target)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.screen.sub_title == "Lincoln High School"  # the figures were read
        await background_done(pilot)
    assert app.return_code == 2
    assert not app.db_is_open
    said = capsys.readouterr().err
    assert said.count("mhtui:") == 1 and "Traceback" not in said
    # One line, however long the path: never wrapped at the terminal's width.
    assert said.strip().startswith(f"mhtui: {path} failed SQLite's integrity check")
    assert "\n" not in said.strip()
    with pytest.raises(DatabaseProblem) as caught:
        dbfile.inspect(path, migrate.latest_version())
    assert "\n" not in str(caught.value)  # SQLite's report spans lines; the message not
    assert _digest(path) == before
