"""mhtui's Alembic environment: the schema's revisions on SQLite and PostgreSQL.

Run from code, never from an alembic.ini: mhtui/store/schema.py (``mhtui db upgrade``,
``mhtui db current``, and the app opening an older SQLite file) builds the Config and
hands env.py the connection to use, already inside the transaction that holds the
lock (BEGIN IMMEDIATE on SQLite, an advisory lock on PostgreSQL).

Revision ids are four-digit numbers, "0001", "0002", ..., each the schema version of
the same number: an SQLite file's ``PRAGMA user_version`` holds the number of its
revision, so the app can see that a file is current with sqlite3 alone.

Each revision runs its step's SQL for the database at hand (steps.py):
  - SQLite: ``mhtui/store/migrations/NNNN_name.sql`` (the ladder's frozen files, also
    read by dbfile.inspect to know which tables and columns a version must have);
  - PostgreSQL: ``mhtui/store/migrations/postgresql/NNNN_name.sql``, run whole by the
    server in one call (no parameters), so ``$$`` function bodies and ``%`` are fine.
A revision with no file for a dialect changes nothing there (e.g. a PostgreSQL-only
row-level security step). Work SQL cannot do (0008 folds text with Python) goes in the
revision's ``upgrade()`` after ``run_sql``. On SQLite every change of the schema itself
(tables, columns, indexes) must be in the SQL file: a new file is made from those files
alone, with sqlite3 (migrate._made_new, so the app's first start does not load Alembic),
and a test checks that equals what Alembic makes.

Adding revision NNNN (the next number):
  1. Write ``versions/NNNN_name.py``: copy the newest one, set ``revision = "NNNN"``,
     ``down_revision`` = the previous number, and say in its docstring what changes.
  2. Write the SQL files it runs (either or both of the two above). Released files and
     revisions are frozen: never edit one, add the next number.
  3. Change ``mhtui/store/models.py`` to match, indexes with both ``sqlite_where`` and
     ``postgresql_where``; tests/test_migrations.py compares the metadata with a
     migrated database on both backends (alembic.autogenerate.compare_metadata) and
     upgrades from every earlier revision with rows in it.
  4. Run ``python3 -m mhtui.store.shape_latest`` to write out the newest SQLite shape
     (what a current file is checked against on the way to the first frame).
Downgrades are not offered: the backup taken before an SQLite upgrade, or the server's
own backup, is the way back.
"""
