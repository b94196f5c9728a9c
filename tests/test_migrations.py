"""Migrations by Alembic on SQLite and PostgreSQL: every earlier revision upgrades to the
newest with its rows kept, the result matches models.py on both backends, an old SQLite
file upgrades in place after a backup, and a server database not at the newest revision
is refused in one line with nothing created."""

from __future__ import annotations

import functools
import shutil
import sqlite3
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool
from sqlmodel import SQLModel

from mhtui.cli import main
from mhtui.core.folding import search_key
from mhtui.store import models
from mhtui.store.database import connections, dbfile, migrate, opening, schema, schema_files
from mhtui.store.database.target import from_path
from tests.revisions import add_revision

HEAD = migrate.latest_version()
EARLIER = list(range(1, HEAD))
SQLITE_ONLY = pytest.mark.sqlite_only("an SQLite file's own upgrade, backup and lock")


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
        if table == schema.VERSION_TABLE or table in NOT_IN_MODELS_ON_SQLITE:
            continue  # Alembic's own, not the models' (test_a_new_file_is_at_head)
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


# --- what the schema is on each backend ----------------------------------------------


def _differences(url: str) -> list[Any]:
    """alembic.autogenerate.compare_metadata between models.py and the database, server
    defaults compared too, with only the differences that are not real left out."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn, warnings.catch_warnings():
            # SQLite's reflection cannot read expression indexes: compared as SQL below.
            warnings.filterwarnings("ignore", "Skipped unsupported reflection")
            warnings.filterwarnings("ignore", ".*expression-based index")
            context = MigrationContext.configure(conn, opts={"compare_server_default": True})
            found = compare_metadata(context, SQLModel.metadata)
            return [diff for diff in found if not _not_real(diff, conn)]
    finally:
        engine.dispose()


def _flat(diffs: list[Any]) -> Iterator[tuple[Any, ...]]:
    for diff in diffs:
        if isinstance(diff, list):
            yield from diff
        else:
            yield diff


# What a revision makes on PostgreSQL only, on purpose outside models.py, and why. Name a
# table, an index, or a column as "table.column"; say which revision and why.
NOT_IN_MODELS_ON_POSTGRESQL = {
    # Revision 0009 (the district's fence; its docstring says why): the ORM never reads
    # or writes them, and SQLite, where 0009 changes nothing, has no logins.
    "access_grant": "0009", "ux_access_grant": "0009",
    "reflection.author_login": "0009", "ix_reflection_author_login": "0009",
}


# And on SQLite only: the counts kept by triggers, which the ORM never writes (0015's
# docstring says why).
NOT_IN_MODELS_ON_SQLITE = {"action_count": "0015"}


def _server_only(item: tuple[Any, ...]) -> bool:
    kind = item[0]
    if kind == "remove_column":
        return f"{item[2]}.{item[3].name}" in NOT_IN_MODELS_ON_POSTGRESQL
    if kind in ("remove_table", "remove_index"):
        return str(item[1].name) in NOT_IN_MODELS_ON_POSTGRESQL
    return False


def _not_real(diff: Any, conn: Connection) -> bool:
    for item in _flat([diff]):
        kind = item[0]
        if conn.dialect.name == "postgresql" and _server_only(item):
            continue
        if (conn.dialect.name == "sqlite" and kind == "remove_table"
                and item[1].name in NOT_IN_MODELS_ON_SQLITE):
            continue
        # Alembic's SQLite comparison strips the quotes around a default of at least one
        # character only, so DEFAULT '' (reflected as "('')") never equals '' (it is).
        if kind == "modify_default" and conn.dialect.name == "sqlite":
            reflected, modelled = item[5], item[6]
            if str(getattr(reflected, "arg", reflected)).strip("()") == "''" and (
                    modelled.arg == ""):
                continue
        # PostgreSQL gives back a CASE in an index on several indented lines, which
        # Alembic compares as text: the pair (drop, add) of one index whose definition
        # on the server is the models' once spacing and casts are set aside is no change.
        if (kind in ("remove_index", "add_index") and conn.dialect.name == "postgresql"
                and _same_index_on_server(item[1].name, conn)):
            continue
        # Made on PostgreSQL by 0009, the district's fence, and kept out of the models on
        # purpose: the ORM never touches them (that revision's docstring says why).
        if conn.dialect.name == "postgresql" and _fence_only(item):
            continue
        # An index the models make on another backend only (Index.ddl_if), which
        # Alembic's comparison does not read: ix_action_live_search is SQLite's (0010).
        if kind == "add_index" and not _made_on(item[1], conn.dialect.name):
            continue
        return False
    return True


# Revision 0013: each reflection table is renamed <name>_rows and read through a view
# of its old name, which Alembic does not read; test_the_reflection_views_* compares them.
THROUGH_VIEWS = ("reflection", "allocationrow", "reflectionevent", "reflectionlink")


def _fence_only(item: tuple[Any, ...]) -> bool:
    kind = item[0]
    if kind == "remove_table":
        return item[1].name in ("access_grant", "setting_by_login", *(
            f"{t}_rows" for t in THROUGH_VIEWS))
    if kind == "add_table":  # views: of the login's own rows of setting_by_login, and 0013's
        return bool(item[1].name in ("setting", *THROUGH_VIEWS))
    if kind in ("add_index", "remove_index"):  # 0013's tables' own, under their new names
        table = str(item[1].table.name).removesuffix("_rows")
        if table in THROUGH_VIEWS:
            return True
    if kind == "remove_column":
        return bool((item[2], item[3].name) == ("reflection", "author_login"))
    if kind == "remove_index":
        return item[1].name in ("ix_reflection_author_login", "ux_access_grant")
    return False


def _made_on(index: Any, dialect: str) -> bool:
    """False for an index of the models made on other backends only (Index.ddl_if)."""
    modelled = next((i for table in SQLModel.metadata.tables.values() for i in table.indexes
                     if i.name == index.name), index)  # Alembic compares a copy
    only = modelled._ddl_if  # SQLAlchemy's record of Index.ddl_if
    return only is None or only.dialect is None or dialect in (
        [only.dialect] if isinstance(only.dialect, str) else only.dialect)


def _normal(sql: str) -> str:
    for noise in ("::text", "::date", "public.", "using btree", "(", ")", " "):
        sql = sql.lower().replace(noise, "")
    return "".join(sql.split())


def _same_index_on_server(name: str, conn: Connection) -> bool:
    from sqlalchemy.schema import CreateIndex

    on_server = conn.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = :n"),
                             {"n": name}).scalar_one_or_none()
    if on_server is None:
        return False  # missing: a real difference
    index = next((i for table in SQLModel.metadata.tables.values() for i in table.indexes
                  if i.name == name), None)
    if index is None:
        return False  # not in the models: a real difference
    modelled = str(CreateIndex(index).compile(dialect=conn.dialect))
    return _normal(on_server) == _normal(modelled)


def _pg_indexes(url: str) -> dict[str, str]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return dict(conn.execute(text(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'action'")).all())
    finally:
        engine.dispose()


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")
@SQLITE_ONLY
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
    assert _differences(f"sqlite:///{laddered}") == []


@SQLITE_ONLY
def test_a_new_file_is_at_head(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    assert opening.prepare(from_path(path)) is None  # nothing to back up
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == HEAD
    assert conn.execute("PRAGMA application_id").fetchone()[0] == dbfile.APPLICATION_ID
    assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
        (schema.head(),)]
    conn.close()
    assert schema.current(f"sqlite:///{path}") == schema.head() == f"{HEAD:04d}"


def _master(path: Path) -> tuple[list[tuple[str, ...]], list[tuple[str]], int, int]:
    conn = sqlite3.connect(path)
    try:  # the objects as the app compares them (Alembic's offline SQL has no tabs)
        return (sorted(migrate.objects_of(conn)),
                conn.execute("SELECT version_num FROM alembic_version").fetchall(),
                conn.execute("PRAGMA user_version").fetchone()[0],
                conn.execute("PRAGMA application_id").fetchone()[0])
    finally:
        conn.close()


@SQLITE_ONLY
def test_a_new_file_is_made_as_alembic_makes_it(tmp_path: Path) -> None:
    """A new file is made with sqlite3 alone (every revision's SQLite file, then Alembic's
    table stamped): the same tables, indexes and SQL as Alembic running every revision
    makes. A revision that changes SQLite's schema outside its SQL file fails here."""
    quick = tmp_path / "quick.db"
    opening.prepare(from_path(quick))
    by_alembic = tmp_path / "alembic.db"
    dbfile.create_private_file(by_alembic)
    schema.upgrade_sqlite_file(by_alembic)
    made = _master(quick)
    assert made == _master(by_alembic)
    assert made[1] == [(schema.head(),)] and made[2] == HEAD
    assert len(made[0]) > 40


def test_the_models_match_a_migrated_postgresql(pg_empty_url: str) -> None:
    assert schema.upgrade(pg_empty_url) == (None, schema.head())
    assert _differences(pg_empty_url) == []
    indexes = _pg_indexes(pg_empty_url)
    # Partial on PostgreSQL too, and the expressions the tracker's queries use.
    for name in ("ix_action_live_due", "ix_action_live_status", "ix_action_live_rank",
                 "ix_action_live_owner", "ix_action_live_created"):
        assert indexes[name].endswith("WHERE (deleted_at IS NULL)"), indexes[name]
    assert "COALESCE(due_on, '9999-12-31'::date)" in indexes["ix_action_live_due"]
    # No unbounded text in a btree entry (0010): the owner's first 200 characters, in
    # the owner sort's expression; the folded text in no index.
    assert 'lower(("left"((owner)::text, 200) COLLATE "C"))' in indexes[
        "ix_action_live_owner"], indexes["ix_action_live_owner"]
    assert "ix_action_live_search" not in indexes
    assert not any("search" in sql for sql in indexes.values())


def test_the_differences_check_sees_a_real_one(pg_empty_url: str) -> None:
    """The filter above leaves real differences in: a missing index is one."""
    schema.upgrade(pg_empty_url)
    engine = create_engine(pg_empty_url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP INDEX ix_action_live_rank")
        conn.exec_driver_sql("ALTER TABLE team ALTER COLUMN place DROP NOT NULL")
    engine.dispose()
    found = list(_flat(_differences(pg_empty_url)))
    assert {d[0] for d in found} == {"add_index", "modify_nullable"}



def test_the_reflection_views_show_the_models_columns(pg_empty_url: str) -> None:
    """On a server the reflection tables are views of <name>_rows (0013), which the
    comparison above leaves out: each view and its table have the models' columns, of
    the models' types, and nothing else but the fence's author_login."""
    from sqlalchemy import inspect

    schema.upgrade(pg_empty_url)
    engine = create_engine(pg_empty_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            seen = inspect(conn)
            for name in THROUGH_VIEWS:
                table = SQLModel.metadata.tables[name]
                modelled = {c.name: c.nullable for c in table.columns}
                if name == "reflection":
                    modelled["author_login"] = True
                found = {c["name"]: c["nullable"] for c in seen.get_columns(f"{name}_rows")}
                assert found == modelled, name
                assert {c["name"] for c in seen.get_columns(name)} == modelled.keys()
                indexes = {i["name"] for i in seen.get_indexes(f"{name}_rows")}
                assert indexes >= {i.name for i in table.indexes}, name
            assert set(seen.get_view_names()) >= set(THROUGH_VIEWS)
    finally:
        engine.dispose()

# --- every earlier revision, with rows, to the newest --------------------------------

TEAM = ("INSERT INTO team (id, name, created_at, cadence, meeting_minutes, place, version) "
        "VALUES (1, 'Lincoln [/b] High', '2026-01-05 09:00:00', 'monthly', 60, "
        "'Room 12 🙂', 1)")
ROWS = (
    TEAM,
    "INSERT INTO staff (team_id, name, role_name, email) "
    "VALUES (1, 'Ana Álvarez', 'counselor', 'ana@example.org')",
    "INSERT INTO agendatemplateitem (team_id, position, title, minutes, questions) "
    "VALUES (1, 1, 'Barriers', 10, 'What is in the way?')",
    "INSERT INTO action (id, team_id, created_on, text, status, owner, due_on, updated_at, "
    "version) VALUES (7, 1, '2026-01-05', 'Ask ZOË about the room', 'in progress', "
    "'José Álvarez', '2026-02-01', '2026-01-05 09:00:00', 3)",
    "INSERT INTO action (id, team_id, created_on, text, status, owner, updated_at, "
    "version) VALUES (8, 1, '2026-01-05', 'שלום עולם', 'not started', '', "
    "'2026-01-05 09:00:00', 1)",
    "INSERT INTO reflection (uid, team_id, reflected_on, author_name, role_name, "
    "support_needed, barriers, state, updated_at, version) VALUES ('r-1', 1, "
    "'2026-01-05', NULL, '  School counselor ', 'time', 'duties', 'submitted', "
    "'2026-01-05 09:00:00', 2)",
)


def _old_file(path: Path, version: int) -> None:
    """A file as the ladder before Alembic left it at ``version``: its SQL files run,
    user_version set, no alembic_version table; then rows in it."""
    conn = connections.sqlite(path, "migrate")  # with mh_search_key, which 0008 calls
    for number, script in migrate.steps():
        if number <= version:
            for statement in migrate.statements(script):
                conn.execute(statement)
    for statement in ROWS:
        conn.execute(statement)
    conn.execute(f"PRAGMA application_id={dbfile.APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version={version}")
    conn.commit()
    conn.close()


def _rows_kept(conn: Connection, version: int) -> None:
    """The rows put in at ``version``, and what each later revision made of them."""
    team = conn.execute(text("SELECT name, place, calendar_uid, bell FROM team")).one()
    assert team[:2] == ("Lincoln [/b] High", "Room 12 🙂")
    if version < 6:  # 0006 gave the team one; a row added later came with the app's
        assert team.calendar_uid.endswith("@mhtui") and len(team.calendar_uid) > 10
    assert not team.bell  # 0005
    staff = conn.execute(text("SELECT name, email, version, active FROM staff")).one()
    assert tuple(staff) == ("Ana Álvarez", "ana@example.org", 1, True)  # 0004, 0006
    kind = conn.execute(text("SELECT kind FROM agendatemplateitem")).scalar_one()
    assert kind == ("barriers" if version < 3 else "other")  # 0003 from the position
    actions = conn.execute(text(
        "SELECT id, text, owner, status, version, search FROM action ORDER BY id")).all()
    assert [tuple(a[:5]) for a in actions] == [
        (7, "Ask ZOË about the room", "José Álvarez", "in progress", 3),
        (8, "שלום עולם", "", "not started", 1)]
    if version < 8:  # 0008 folded them, with the store's own folding on both backends
        for action in actions:
            assert action.search == search_key(action.text, action.owner)
        assert "zoe" in actions[0].search and "jose alvarez" in actions[0].search
    else:  # put in by hand after 0008 (the store fills it on every write)
        assert [a.search for a in actions] == ["", ""]
    if conn.dialect.name == "sqlite":  # 0015 counted them by team, status and due day
        assert sorted(conn.execute(text("SELECT team_id, status, n FROM action_count"))) == [
            (1, "in progress", 1), (1, "not started", 1)]
    reflection = conn.execute(text(
        "SELECT author_name, role_name, revision, role_kind FROM reflection")).one()
    role = "School counselor" if version < 7 else "  School counselor "  # 0007 trimmed
    assert tuple(reflection) == (None, role, 1, "")


@SQLITE_ONLY
@pytest.mark.parametrize("version", EARLIER)
def test_an_old_sqlite_file_upgrades_in_place_after_a_backup(tmp_path: Path,
                                                              version: int) -> None:
    path = tmp_path / "team.db"
    _old_file(path, version)
    assert schema.current(f"sqlite:///{path}") == f"{version:04d}"
    backup = opening.prepare(from_path(path))
    assert backup is not None and backup.name.startswith(f"team.db.before-v{HEAD}-")
    assert backup.stat().st_mode & 0o777 == 0o600
    old = sqlite3.connect(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == version
    assert old.execute("SELECT count(*) FROM sqlite_master WHERE name = 'alembic_version'"
                       ).fetchone()[0] == 0
    assert old.execute("SELECT count(*) FROM action").fetchone()[0] == 2
    old.close()
    new = sqlite3.connect(path)
    assert new.execute("PRAGMA user_version").fetchone()[0] == HEAD
    assert new.execute("SELECT version_num FROM alembic_version").fetchall() == [
        (schema.head(),)]
    new.close()
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    with engine.connect() as conn:
        _rows_kept(conn, version)
    engine.dispose()
    assert _differences(f"sqlite:///{path}") == []
    assert opening.prepare(from_path(path)) is None  # current now: no second backup


def _pg_at(url: str, version: int) -> None:
    """A PostgreSQL database migrated by Alembic up to ``version``, with rows in it."""
    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        from alembic import command

        command.upgrade(schema._config(conn), f"{version:04d}")
        for statement in ROWS:
            conn.exec_driver_sql(statement)
    engine.dispose()


@pytest.mark.parametrize("version", EARLIER)
def test_every_earlier_revision_upgrades_on_postgresql(pg_empty_url: str, version: int,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    _pg_at(pg_empty_url, version)
    assert schema.current(pg_empty_url) == f"{version:04d}"
    assert main(["--db", pg_empty_url, "db", "upgrade"]) == 0
    out = capsys.readouterr().out
    assert f"from revision {version:04d} to revision {schema.head()}." in out
    engine = create_engine(pg_empty_url, poolclass=NullPool)
    with engine.connect() as conn:
        _rows_kept(conn, version)
        # SERIAL keys go on after the rows that were there.
        conn.exec_driver_sql(
            "INSERT INTO staff (team_id, name, role_name, email) VALUES (1, 'B', '', '')")
        ids = conn.exec_driver_sql("SELECT id FROM staff ORDER BY id").scalars().all()
        assert len(ids) == 2 and ids[1] > ids[0]
        conn.rollback()
    engine.dispose()
    assert _differences(pg_empty_url) == []


# --- a server database is never made or changed by the app ---------------------------


def _tables(url: str) -> list[str]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return sorted(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err  # one line, no traceback
    return lines[0]


def _no_app(monkeypatch: pytest.MonkeyPatch) -> None:
    import mhtui.launch

    def never(*_args: object) -> int:
        raise AssertionError("the app was started on a database it cannot use")

    monkeypatch.setattr(mhtui.launch, "run_app", never)


@pytest.mark.parametrize("command", [[], ["info"], ["actions", "list"], ["teams", "add", "X"]])
def test_an_empty_server_database_is_refused_and_left_empty(
        pg_empty_url: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, command: list[str]) -> None:
    _no_app(monkeypatch)  # [] is the app: refused before anything is drawn
    line = _refused(["--db", pg_empty_url, *command], capsys)
    assert line == ("mhtui: the database postgresql+psycopg://postgres@/"
                    f"{pg_empty_url.split('/')[3].split('?')[0]}?host="
                    f"{pg_empty_url.split('host=')[1]} has no mhtui tables yet: run `mhtui "
                    "--db URL db upgrade` as the schema's owner.")
    assert _tables(pg_empty_url) == []


def test_the_refusal_hides_the_password(pg_server: Any, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    name = pg_server.new_database()
    try:
        pg_server.admin("DO $$ BEGIN CREATE ROLE ann LOGIN PASSWORD 's3cret'; "
                        "EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        url = pg_server.url(name, user="ann", password="s3cret")
        line = _refused(["--db", url, "info"], capsys)
        assert "s3cret" not in line and "***" in line and "no mhtui tables yet" in line
    finally:
        pg_server.drop_database(name)


def test_an_older_server_database_is_refused_as_it_is(
        pg_empty_url: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    _no_app(monkeypatch)
    _pg_at(pg_empty_url, 5)
    before = _tables(pg_empty_url)
    for command in ([], ["info"], ["actions", "list"]):
        line = _refused(["--db", pg_empty_url, *command], capsys)
        assert line.endswith("is at revision 0005, this mhtui needs "
                             f"{schema.head()}: run `mhtui --db URL db upgrade` as the "
                             "schema's owner.")
    assert schema.current(pg_empty_url) == "0005" and _tables(pg_empty_url) == before


def test_a_newer_server_database_is_refused(pg_empty_url: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    schema.upgrade(pg_empty_url)
    newer = f"{HEAD + 1:04d}"
    engine = create_engine(pg_empty_url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": newer})
    engine.dispose()
    for command in (["info"], ["db", "upgrade"]):
        line = _refused(["--db", pg_empty_url, *command], capsys)
        assert f"is at revision {newer}, made by a newer mhtui" in line
        assert f"this one knows up to {schema.head()}" in line
    assert schema.current(pg_empty_url) == newer


def test_tables_from_before_alembic_are_not_touched(pg_empty_url: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    engine = create_engine(pg_empty_url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE team (id SERIAL PRIMARY KEY, name VARCHAR)")
    engine.dispose()
    line = _refused(["--db", pg_empty_url, "db", "upgrade"], capsys)
    assert "has mhtui's tables but no record of their revision" in line
    assert _tables(pg_empty_url) == ["team"]


def test_db_upgrade_by_a_login_that_may_not_create_tables(
        pg_server: Any, capsys: pytest.CaptureFixture[str]) -> None:
    """Only the schema's owner upgrades it: anyone else gets one line, and nothing."""
    name = pg_server.new_database()
    try:
        pg_server.admin("DO $$ BEGIN CREATE ROLE visitor LOGIN; "
                        "EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        pg_server.admin(f"REVOKE CREATE ON DATABASE {name} FROM PUBLIC")
        owner_url = pg_server.url(name)
        engine = create_engine(owner_url, poolclass=NullPool)
        with engine.begin() as conn:
            conn.exec_driver_sql("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        engine.dispose()
        line = _refused(["--db", pg_server.url(name, user="visitor"), "db", "upgrade"],
                        capsys)
        assert "permission denied for schema public" in line
        assert _tables(owner_url) == []
    finally:
        pg_server.drop_database(name)


# --- mhtui db current / db upgrade --------------------------------------------------


def test_db_current_and_upgrade_on_a_server(pg_empty_url: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    head = schema.head()
    assert main(["--db", pg_empty_url, "db", "current"]) == 0
    out = capsys.readouterr().out
    assert "no mhtui tables yet" in out and "db upgrade" in out
    assert _tables(pg_empty_url) == []
    assert main(["--db", pg_empty_url, "db", "upgrade"]) == 0
    assert capsys.readouterr().out.endswith(f"from an empty database to revision {head}.\n")
    assert main(["--db", pg_empty_url, "db", "upgrade"]) == 0  # safe to run twice
    assert capsys.readouterr().out.endswith(f"is already at revision {head}, the newest; "
                                            "nothing to do.\n")
    assert main(["--db", pg_empty_url, "db", "current"]) == 0
    assert capsys.readouterr().out.endswith(f": revision {head}, the newest this mhtui "
                                            "knows.\n")
    assert main(["--db", pg_empty_url, "info"]) == 0
    assert f"schema version: {head}\n" in capsys.readouterr().out


@SQLITE_ONLY
def test_db_current_and_upgrade_on_an_old_file(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "team.db"
    _old_file(path, 5)
    before = path.read_bytes()
    assert main(["--db", str(path), "db", "current"]) == 0
    out = capsys.readouterr().out
    assert out == (f"{path}: revision 0005; this mhtui's newest is {schema.head()}: "
                   "`mhtui db upgrade` (or opening it) upgrades it, after a backup.\n")
    assert path.read_bytes() == before  # looking changes nothing
    assert main(["--db", str(path), "db", "upgrade"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"upgraded {path} from revision 0005 to revision {schema.head()}."
    assert lines[1].startswith(f"the database as it was is kept at {path}.before-v{HEAD}-")
    assert main(["--db", str(path), "db", "upgrade"]) == 0
    assert capsys.readouterr().out == (f"{path} is already at revision {schema.head()}, "
                                       "the newest; nothing to do.\n")
    assert main(["--db", str(path), "info"]) == 0
    assert f"schema version: {schema.head()}\n" in capsys.readouterr().out


@SQLITE_ONLY
def test_db_upgrade_refuses_a_file_that_is_not_mhtuis(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    (tmp_path / "here").mkdir()
    path = tmp_path / "here" / "notes.db"
    path.write_bytes(b"[/b] not a database \xf0\x9f\x99\x82")
    line = _refused(["--db", str(path), "db", "upgrade"], capsys)
    assert line == (f"mhtui: {path} is not an SQLite database. Check the path, or choose "
                    "another file with --db; this one was left untouched.")
    assert path.read_bytes() == b"[/b] not a database \xf0\x9f\x99\x82"
    assert sorted(p.name for p in path.parent.iterdir()) == ["notes.db"]  # nothing beside


@SQLITE_ONLY
def test_a_current_file_opens_without_alembic_or_sqlalchemy(tmp_path: Path) -> None:
    """The app's first frame waits for nothing new: a new file is made, and a current
    one checked, with sqlite3 alone (user_version against the newest revision's number)."""
    path = tmp_path / "team.db"
    code = ("import sys\nfrom pathlib import Path\nfrom mhtui.store.database import opening\n"
            "from mhtui.store.database.target import from_path\n"
            f"assert opening.prepare(from_path(Path({str(path)!r})), thorough=False) is None\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'alembic', 'sqlalchemy', 'sqlmodel'}))")
    for _made_then_current in range(2):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True)
        assert done.stdout == "[]\n"
    assert schema.current(f"sqlite:///{path}") == schema.head()


@SQLITE_ONLY
def test_info_on_a_current_file_from_before_alembic(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """A file the ladder brought to the newest version is current as it is: opened
    without an upgrade (no backup), its revision read from user_version."""
    path = tmp_path / "team.db"
    _old_file(path, HEAD)
    assert opening.prepare(from_path(path)) is None
    assert main(["--db", str(path), "info"]) == 0
    assert f"schema version: {schema.head()}\n" in capsys.readouterr().out


# --- two at once, a failed step, a new revision --------------------------------------


def test_two_upgrades_of_a_server_at_once_run_the_steps_once(pg_empty_url: str) -> None:
    results: list[tuple[str | None, str]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(schema.upgrade(pg_empty_url))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results, key=str) == sorted([(None, schema.head()),
                                               (schema.head(), schema.head())], key=str)


@SQLITE_ONLY
def test_two_copies_upgrading_a_file_at_once(tmp_path: Path) -> None:
    """Both saw an old file (and each took its backup); inside the lock the second finds
    the file upgraded and runs nothing (the steps again would fail: the tables exist)."""
    path = tmp_path / "team.db"
    _old_file(path, 2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            schema.upgrade_sqlite_file(path)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    with engine.connect() as conn:
        _rows_kept(conn, 2)
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").all() == [
            (schema.head(),)]
    engine.dispose()


@SQLITE_ONLY
def test_a_new_revision_backs_up_first_and_keeps_data(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    opening.prepare(from_path(path))
    conn = sqlite3.connect(path)
    conn.execute(TEAM)
    conn.commit()
    conn.close()
    added = add_revision(monkeypatch, tmp_path / "versions",
                         'op.add_column("team", sa.Column("motto", sa.String()))')
    assert migrate.latest_version() == HEAD + 1 and schema.head() == added

    backup = opening.prepare(from_path(path))
    assert backup is not None and backup.exists()
    assert backup.stat().st_mode & 0o777 == 0o600
    old = sqlite3.connect(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == HEAD
    assert old.execute("SELECT place FROM team").fetchone()[0] == "Room 12 🙂"
    old.close()
    new = sqlite3.connect(path)
    assert new.execute("PRAGMA user_version").fetchone()[0] == HEAD + 1
    assert new.execute("SELECT version_num FROM alembic_version").fetchall() == [(added,)]
    assert new.execute("SELECT place, motto FROM team").fetchone() == ("Room 12 🙂", None)
    new.close()


@SQLITE_ONLY
def test_failed_upgrade_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    opening.prepare(from_path(path))
    add_revision(monkeypatch, tmp_path / "versions",
                 'op.execute("ALTER TABLE team ADD COLUMN ok VARCHAR")\n'
                 'op.execute("NOT VALID SQL")')
    with pytest.raises(sqlite3.OperationalError):
        opening.prepare(from_path(path))
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == HEAD
    assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
        (f"{HEAD:04d}",)]
    columns = [row[1] for row in conn.execute("PRAGMA table_info(team)")]
    assert "ok" not in columns
    conn.close()


def test_a_failed_server_upgrade_changes_nothing(pg_empty_url: str,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    _pg_at(pg_empty_url, 6)
    add_revision(monkeypatch, tmp_path / "versions", 'op.execute("NOT VALID SQL")')
    with pytest.raises(Exception, match="syntax error"):
        schema.upgrade(pg_empty_url)
    assert schema.current(pg_empty_url) == "0006"  # 0007 and 0008 rolled back with it
    engine = create_engine(pg_empty_url, poolclass=NullPool)
    with engine.connect() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns("reflection")}
    engine.dispose()
    assert "revision" not in columns


def test_a_failed_sql_file_on_a_server_is_one_line(pg_empty_url: str,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """A revision's PostgreSQL file runs whole through the driver; a step that fails
    there is said like any database error, and the upgrade is rolled back."""
    _pg_at(pg_empty_url, 7)
    real = migrate.step_sql

    def broken(version: int, dialect: str) -> str | None:
        if version == 8 and dialect == "postgresql":
            return "ALTER TABLE action ADD COLUMN search VARCHAR;\nSELECT 'a%' FROM nowhere;"
        return real(version, dialect)

    monkeypatch.setattr(migrate, "step_sql", broken)
    line = _refused(["--db", pg_empty_url, "db", "upgrade"], capsys)
    assert 'relation "nowhere" does not exist' in line
    assert schema.current(pg_empty_url) == "0007"
    engine = create_engine(pg_empty_url, poolclass=NullPool)
    with engine.connect() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns("action")}
    engine.dispose()
    assert "search" not in columns


def test_revisions_are_numbered_without_gaps() -> None:
    from alembic.script import ScriptDirectory

    numbers = migrate.revision_numbers()
    assert numbers == list(range(1, len(numbers) + 1))
    script = ScriptDirectory(str(migrate.version_dirs()[0].parent),
                             version_locations=[str(d) for d in migrate.version_dirs()])
    chain = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert chain == [f"{n:04d}" for n in numbers] and script.get_current_head() == schema.head()
    # Each step's SQL files are numbered as revisions are, for a revision that exists;
    # the hand-written ones have PostgreSQL twins, later ones run Alembic's operations.
    sqlite_files = [v for v, _ in migrate.steps()]
    assert sqlite_files == sorted(set(sqlite_files)) and set(sqlite_files) <= set(numbers)
    assert all(migrate.step_sql(n, "postgresql") for n in sqlite_files
               if n <= schema_files.HAND_WRITTEN)
    assert set(numbers) - set(sqlite_files) <= set(range(1, schema_files.HAND_WRITTEN + 1))
    assert dbfile.APPLICATION_ID == 0x6D687475


def test_every_generated_file_is_as_the_command_writes_it() -> None:
    """The SQLite files of revisions after 0013 and shape_latest.py are made from the
    revisions; edited by hand, or left behind by a new revision, this fails."""
    assert schema_files.out_of_date() == [], "run `python3 -m mhtui.store.database.schema_files`"


PRIORITY = 'op.add_column("action", sa.Column("priority", sa.Integer(), nullable=True))'


def _priority_revision(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A revision written as Alembic operations only, and its generated SQLite file in a
    copy of the SQL files' folder (the package's own is left as it is)."""
    shutil.copytree(migrate.sql_dir(), tmp_path / "sql")
    monkeypatch.setattr(migrate, "sql_dir", lambda: tmp_path / "sql")
    name = add_revision(monkeypatch, tmp_path / "versions", PRIORITY)
    files = {path: sql for path, sql in schema_files.sql_files().items()
             if path.name.startswith(f"{name}_")}  # the real revisions' are checked apart
    assert [path.parent for path in files] == [tmp_path / "sql"]
    for path, sql in files.items():
        path.write_text(sql, encoding="utf-8")
        assert "ALTER TABLE action ADD COLUMN priority INTEGER;" in sql
        path.write_text(sql + "-- by hand\n", encoding="utf-8")
        assert path in schema_files.out_of_date()
        path.write_text(sql, encoding="utf-8")
    # Caches of their own: the ladder at 0014 has the column only in this test.
    for name in ("ladder_objects", "expected_shape"):
        monkeypatch.setattr(migrate, name, functools.cache(getattr(migrate, name).__wrapped__))


def test_a_revision_of_operations_reaches_a_new_file_and_a_server(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pg_empty_url: str) -> None:
    """Written once: a new SQLite file made by sqlite3 alone (from the generated SQL),
    an SQLite file upgraded by Alembic, and an upgraded server all get the column."""
    old = tmp_path / "old.db"
    opening.prepare(from_path(old))  # at 0013, before the revision exists
    schema.upgrade(pg_empty_url)
    _priority_revision(monkeypatch, tmp_path)
    new = tmp_path / "new.db"
    with monkeypatch.context() as fast:  # made with sqlite3 alone, Alembic never run
        fast.setattr(schema, "upgrade_sqlite_file", lambda path: pytest.fail("Alembic ran"))
        assert opening.prepare(from_path(new)) is None
    assert opening.prepare(from_path(old)) is not None  # Alembic, after a backup
    for path in (new, old):
        file = sqlite3.connect(path)
        assert "priority" in {row[1] for row in file.execute("PRAGMA table_info(action)")}
        assert file.execute("PRAGMA user_version").fetchone()[0] == HEAD + 1
        file.close()
        opening.prepare(from_path(path))  # opens: exactly the schema mhtui makes
    assert _master(new) == _master(old)
    assert schema.upgrade(pg_empty_url) == (f"{HEAD:04d}", f"{HEAD + 1:04d}")
    engine = create_engine(pg_empty_url, poolclass=NullPool)
    with engine.connect() as conn:
        assert "priority" in {c["name"] for c in inspect(conn).get_columns("action")}
    engine.dispose()
