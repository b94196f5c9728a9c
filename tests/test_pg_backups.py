"""Backups of a database server: `mhtui backup` runs pg_dump -Fc into a new private file,
`mhtui restore` runs pg_restore into an empty database only, and without PostgreSQL's
tools on the PATH both say that the server's own backups apply."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from mhtui.cli import main
from mhtui.store.database import backups
from tests.pg import PgServer


def _tools_dir() -> Path:
    import pgserver

    return Path(pgserver.__file__).parent / "pginstall" / "bin"


@pytest.fixture
def with_tools(monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL's client tools from the pgserver wheel first on the PATH (the same
    version as the test server; a system pg_dump may be older and refuse it)."""
    import os

    monkeypatch.setenv("PATH", f"{_tools_dir()}{os.pathsep}{os.environ.get('PATH', '')}")


@pytest.fixture
def schema_url(pg_server: PgServer) -> Iterator[str]:
    """A database with mhtui's schema and a few rows, written through the command line."""
    name = pg_server.new_database()
    url = pg_server.url(name)
    pg_server.build_schema(url)
    for argv in (["teams", "add", "Lincoln High"], ["staff", "add", "Ana [b]Álvarez 🙂"],
                 ["staff", "add", "נועה", "--role", "school counselor"]):
        assert main(["--db", url, *argv]) == 0
    yield url
    pg_server.drop_database(name)


def _rows(url: str) -> list[tuple[object, ...]]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            teams = conn.execute(text("SELECT id, name FROM team ORDER BY id")).all()
            staff = conn.execute(text(
                "SELECT id, team_id, name, role_name FROM staff ORDER BY id")).all()
            actions = conn.execute(text("SELECT count(*) FROM action")).all()
    finally:
        engine.dispose()
    return [tuple(row) for row in (*teams, *staff, *actions)]


def test_backup_then_restore_into_an_empty_database(
        schema_url: str, pg_server: PgServer, tmp_path: Path, with_tools: None,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "district.dump"
    assert main(["--db", schema_url, "backup", "--out", str(out)]) == 0
    assert f"to {out}" in capsys.readouterr().out
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_bytes().startswith(b"PGDMP")
    # Never over an existing file.
    assert main(["--db", schema_url, "backup", "--out", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err

    empty = pg_server.new_database()
    try:
        restored = pg_server.url(empty)
        assert main(["--db", restored, "restore", str(out)]) == 0
        assert "restored" in capsys.readouterr().out
        assert _rows(restored) == _rows(schema_url)
        assert ("Ana [b]Álvarez 🙂" in [row[2] for row in _rows(restored) if len(row) == 4])
        # The restored database is one mhtui uses at once.
        assert main(["--db", restored, "staff", "list", "--format", "csv"]) == 0
        assert "נועה" in capsys.readouterr().out
    finally:
        pg_server.drop_database(empty)


def test_backup_goes_to_the_data_folder_by_default(schema_url: str, with_tools: None,
                                                   capsys: pytest.CaptureFixture[str]
                                                   ) -> None:
    assert main(["--db", schema_url, "backup"]) == 0
    made = list(backups.server_backups_dir().glob("mhtui-*.dump"))
    assert len(made) == 1 and str(made[0]) in capsys.readouterr().out
    assert stat.S_IMODE(made[0].parent.stat().st_mode) == 0o700


def test_restore_refuses_a_database_that_is_not_empty(
        schema_url: str, tmp_path: Path, with_tools: None,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "district.dump"
    assert main(["--db", schema_url, "backup", "--out", str(out)]) == 0
    before = _rows(schema_url)
    assert main(["--db", schema_url, "staff", "add", "After the backup"]) == 0
    capsys.readouterr()
    assert main(["--db", schema_url, "restore", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "is not empty" in err and "Nothing was restored" in err
    assert len(_rows(schema_url)) == len(before) + 1  # untouched


def test_restore_refuses_a_file_that_is_not_a_dump(
        pg_empty_url: str, tmp_path: Path, with_tools: None,
        capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "not-a-dump.db"
    bogus.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    assert main(["--db", pg_empty_url, "restore", str(bogus)]) == 2
    err = capsys.readouterr().err
    assert "is not a backup of a database server" in err and "nothing was restored" in err


def test_without_pg_dump_the_servers_own_backups_apply(
        schema_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    nothing = tmp_path / "bin"
    nothing.mkdir()
    monkeypatch.setenv("PATH", str(nothing))
    out = tmp_path / "x.dump"
    assert main(["--db", schema_url, "backup", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "pg_dump" in err and "not on the PATH" in err and "server's own backups" in err
    assert not out.exists()
    dump = tmp_path / "old.dump"
    dump.write_bytes(b"PGDMP" + b"\x00" * 64)
    assert main(["--db", schema_url, "restore", str(dump)]) == 2
    err = _one_line(capsys)
    assert "pg_restore" in err and "not on the PATH" in err


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    return err


def test_the_password_goes_to_pg_dump_in_its_environment_never_its_arguments() -> None:
    conninfo, env = backups.libpq_call(
        "postgresql+psycopg://ann:p%40ss'w0rd@db.example.org:5433/district?sslmode=require")
    assert "p@ss" not in conninfo
    assert env == {"PGPASSWORD": "p@ss'w0rd"}
    assert conninfo == ("host='db.example.org' port='5433' user='ann' dbname='district' "
                        "sslmode='require'")
    service, env = backups.libpq_call("postgresql+psycopg:///?service=district")
    assert (service, env) == ("service='district'", {})


async def test_the_app_says_once_that_a_server_has_no_daily_copy(schema_url: str) -> None:
    from mhtui.core.clock import FakeClock
    from mhtui.store.database.target import resolve
    from mhtui.ui.app import MHApp
    from tests.helpers import background_done

    seen: list[list[str]] = []
    for _run in range(2):
        app = MHApp(resolve(schema_url, False, {}), FakeClock())
        async with app.run_test(size=(120, 40)) as pilot:
            # Said (or not) as the opening starts: background_done waits past that.
            await background_done(pilot)
            await pilot.pause()
            seen.append([str(n.message) for n in app._notifications])
    assert seen[0].count(backups.NO_DAILY_COPY) == 1
    assert backups.NO_DAILY_COPY not in seen[1]  # not at every start
