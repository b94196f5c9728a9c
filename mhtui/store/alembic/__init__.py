"""mhtui's Alembic environment: the schema's revisions on SQLite and PostgreSQL.

Run from code, never from an alembic.ini: mhtui/store/database/schema.py (``mhtui db upgrade``,
``mhtui db current``, and the app opening an older SQLite file) builds the Config and
hands env.py the connection to use, already inside the transaction that holds the
lock (BEGIN IMMEDIATE on SQLite, an advisory lock on PostgreSQL).

Revision ids are four-digit numbers, "0001", "0002", ..., each the schema version of
the same number: an SQLite file's ``PRAGMA user_version`` holds the number of its
revision, so the app can see that a file is current with sqlite3 alone.

The schema is written once: ``mhtui/store/models.py``, and for each change a revision
whose ``upgrade()`` is Alembic operations (``op.add_column``, ``op.create_index``, ...),
which Alembic runs on SQLite and PostgreSQL alike. The SQLite SQL a new file is made
from (opening._made_new, with sqlite3 alone, so the first start does not load Alembic)
and the newest shape (shape_latest.py) are made from those by schema_files.py.
Revisions 0001-0013 are older: each runs its frozen SQL files (steps.run_sql), in
``mhtui/store/migrations/`` and ``migrations/postgresql/``.

Adding revision NNNN (the next number):
  1. Change ``mhtui/store/models.py`` (an index with both ``sqlite_where`` and
     ``postgresql_where``).
  2. Write ``versions/NNNN_name.py`` (script.py.mako's shape): ``revision = "NNNN"``,
     ``down_revision`` the previous number, a docstring saying what changes, and the
     same change as operations in ``upgrade()``. A step for one backend only checks
     ``op.get_context().dialect.name``; work on rows through ``op.get_bind()`` is
     skipped when ``op.get_context().as_sql`` (a new file has no rows). SQLite's
     ``ALTER TABLE`` adds columns, indexes and tables; anything else needs a table made
     anew, which does not render without a database: add a new table instead.
  3. Run ``python3 -m mhtui.store.database.schema_files``, and commit what it writes.
tests/test_migrations.py checks that the models equal a migrated database on both
backends, that every earlier revision upgrades with its rows, and that every generated
file is what the command writes. Released revisions are frozen: add the next number.
Downgrades are not offered: the backup taken before an SQLite upgrade, or the server's
own backup, is the way back.
"""
