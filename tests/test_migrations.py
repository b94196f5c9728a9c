"""The migration ladder ends exactly where models.py says, and upgrades take a backup."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

from mhtui.store import dbfile, migrate, models, opening
from mhtui.store.target import from_path


def _schema(url: str) -> dict[str, Any]:
    engine = create_engine(url)
    insp = inspect(engine)
    shape: dict[str, Any] = {}
    with engine.connect() as conn:
        # The inspector skips expression indexes, so compare every index's SQL as well.
        shape["__indexes__"] = sorted(
            (name, " ".join(sql.lower().split()))
            for name, sql in conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        )
    for table in sorted(insp.get_table_names()):
        shape[table] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"], c.get("primary_key"))
                for c in insp.get_columns(table)
            ],
            "pk": insp.get_pk_constraint(table)["constrained_columns"],
            "fks": sorted(
                (tuple(f["constrained_columns"]), f["referred_table"],
                 tuple(f["referred_columns"]), (f.get("options") or {}).get("ondelete"))
                for f in insp.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in insp.get_indexes(table)
            ) if not table.startswith("action") else "compared as SQL",
            "unique": sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(table)),
        }
    engine.dispose()
    return shape


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")
def test_ladder_from_empty_equals_models(tmp_path: Path) -> None:
    laddered = tmp_path / "ladder.db"
    opening.prepare(from_path(laddered))
    modelled = tmp_path / "models.db"
    engine = create_engine(f"sqlite:///{modelled}")
    assert models.Team.__tablename__ == "team"
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    expected = _schema(f"sqlite:///{modelled}")
    assert len(expected) >= 19
    assert any(name == "ix_action_live_due" for name, _ in expected["__indexes__"])
    assert _schema(f"sqlite:///{laddered}") == expected


def test_upgrade_backs_up_first_and_keeps_data(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    opening.prepare(from_path(path))
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO team (name, created_at, cadence, meeting_minutes, place, version) "
        "VALUES ('Lincoln', '2026-01-01 00:00:00', 'monthly', 60, 'Room 12', 1)"
    )
    conn.commit()
    conn.close()
    version = migrate.latest_version()

    real_steps = migrate.steps()
    extra = (version + 1, "ALTER TABLE team ADD COLUMN motto VARCHAR;\n")
    monkeypatch.setattr(migrate, "steps", lambda: [*real_steps, extra])

    backup = opening.prepare(from_path(path))
    assert backup is not None and backup.exists()
    assert backup.stat().st_mode & 0o777 == 0o600
    old = sqlite3.connect(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == version
    assert old.execute("SELECT place FROM team").fetchone()[0] == "Room 12"
    old.close()
    new = sqlite3.connect(path)
    assert new.execute("PRAGMA user_version").fetchone()[0] == version + 1
    assert new.execute("SELECT place, motto FROM team").fetchone() == ("Room 12", None)
    new.close()


def test_failed_upgrade_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    opening.prepare(from_path(path))
    version = migrate.latest_version()
    real_steps = migrate.steps()
    broken = (version + 1, "ALTER TABLE team ADD COLUMN ok VARCHAR;\nNOT VALID SQL;\n")
    monkeypatch.setattr(migrate, "steps", lambda: [*real_steps, broken])
    with pytest.raises(sqlite3.OperationalError):
        opening.prepare(from_path(path))
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == version
    columns = [row[1] for row in conn.execute("PRAGMA table_info(team)")]
    assert "ok" not in columns
    conn.close()


def test_migration_files_are_numbered_without_gaps() -> None:
    versions = [v for v, _ in migrate.steps()]
    assert versions == list(range(1, len(versions) + 1))
    assert dbfile.APPLICATION_ID == 0x6D687475
