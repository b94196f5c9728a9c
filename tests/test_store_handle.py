"""One way to the database (issue 26): one connection factory per backend with one wait
for a lock, the --db URL read once, and one store handle that opens it."""

from __future__ import annotations

import ast
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from mhtui.cli import main
from mhtui.core.clock import FakeClock
from mhtui.store.database import backups, connections, opening
from mhtui.store.database.dbfile import DatabaseProblem, StorageProblem
from mhtui.store.database.handle import Store, StoreClosed
from mhtui.store.database.target import from_path, resolve

PACKAGE = Path(__file__).resolve().parent.parent / "mhtui"


def _calls(name: str) -> list[str]:
    """Where mhtui calls ``name`` (as ``x.name(...)`` or ``name(...)``)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(
                    func, "id", None)
                if called == name:
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def test_every_connection_is_made_by_the_one_factory() -> None:
    """No sqlite3.connect, create_engine or busy timeout of its own anywhere else: a
    connection with other pragmas or another wait cannot come back unseen."""
    mine = "store/database/connections.py:"
    raw = [where for where in _calls("connect") if _is_sqlite3_connect(where)]
    assert raw and all(where.startswith(mine) for where in raw), raw
    engines = _calls("create_engine")
    assert engines and all(where.startswith(mine) for where in engines), engines
    assert [path for path in PACKAGE.rglob("*.py")
            if "busy_timeout" in path.read_text(encoding="utf-8").lower()] == []


def _is_sqlite3_connect(where: str) -> bool:
    path, line = where.rsplit(":", 1)
    code = (PACKAGE / path).read_text(encoding="utf-8").splitlines()[int(line) - 1]
    return "sqlite3.connect(" in code


@pytest.mark.sqlite_only("SQLite's busy timeout; a server's lock wait is in test_server")
def test_the_file_check_and_a_write_wait_the_same_and_say_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program holding the file: the command line's check and a change in the
    app give up after the same wait, and both say how long it was."""
    path = tmp_path / "team.db"
    opening.prepare(from_path(path))
    db = opening.connect(from_path(path))
    monkeypatch.setattr(connections, "LOCK_TIMEOUT_S", 0.2)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE team SET place = 'held'")
    try:
        assert main(["--db", str(path), "info"]) == 2
        with pytest.raises(StorageProblem) as refused, db.write() as session:
            session.execute(text("UPDATE team SET place = 'mine'"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        db.close()
    assert "(it stayed locked for 0.2 seconds)" in capsys.readouterr().err
    assert "kept the database busy for 0.2 seconds" in str(refused.value)


def test_a_server_url_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """From --db to the engine, the URL is read (parsed) once, and carried."""
    from sqlalchemy.engine import url as sa_url

    reads: list[str] = []
    real = sa_url._parse_url

    def counted(name: str, **options: bool) -> sa_url.URL:
        reads.append(name)
        return real(name, **options)

    monkeypatch.setattr(sa_url, "_parse_url", counted)
    target = resolve("postgresql://ann:secret@db.example.org/district", False, {})
    assert target.label == "postgresql://ann:***@db.example.org/district"
    engine = connections.engine(target.address, pooled=False)
    assert engine.url.drivername == "postgresql+psycopg"
    engine.dispose()
    assert len(reads) == 1


@pytest.mark.sqlite_only("the in-use lock beside an SQLite file")
def test_the_store_opens_once_whoever_asks_and_lets_go_when_closed(tmp_path: Path) -> None:
    """The worker and a key that came first open the same handle, once; closed, the file
    can be restored (the in-use lock is let go) and nothing opens it again."""
    path = tmp_path / "team.db"
    store = Store(from_path(path), FakeClock())
    opened: list[object] = []
    askers = [threading.Thread(target=lambda: opened.append(store.open())) for _ in range(4)]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join()
    assert len(opened) == 4 and len({id(db) for db in opened}) == 1
    store.back_up()
    assert [p.name.startswith("daily-") for p in backups.folder(path).iterdir()] == [True]
    copy = backups.backup_now(path, tmp_path / "copy.db", FakeClock().now())
    with pytest.raises(DatabaseProblem, match="open in a running mhtui"):
        backups.restore(path, copy, FakeClock().now())
    store.close()
    backups.restore(path, copy, FakeClock().now())
    with pytest.raises(StoreClosed):
        store.open()
