"""What revisions 0001-0013 run: their step's frozen SQL file for the database at hand.

The files live in mhtui/store/migrations/ (SQLite) and migrations/postgresql/. Later
revisions are Alembic operations; see this package's docstring.
"""

from __future__ import annotations

from typing import NoReturn

from alembic import op
from sqlalchemy.exc import DBAPIError

from mhtui.store.database import migrate


def run_sql(revision: str) -> None:
    """Run revision ``revision``'s SQL for this database's dialect, if it has a file."""
    bind = op.get_bind()
    script = migrate.step_sql(int(revision), bind.dialect.name)
    if not script:
        return
    if bind.dialect.name == "postgresql":
        # The whole file in one go through the driver, with no parameters: PostgreSQL
        # runs it statement by statement itself, so a function's $$ body with its own
        # semicolons, or a % in a LIKE pattern, stays as written.
        dbapi = bind.dialect.loaded_dbapi
        cursor = bind.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(script)
        except dbapi.Error as exc:  # said like any other database error (one line)
            raise DBAPIError.instance(f"-- {revision}'s SQL file", None, exc, dbapi.Error,
                                      dialect=bind.dialect) from exc
        finally:
            cursor.close()
        return
    for statement in migrate.statements(script):
        bind.exec_driver_sql(statement)


def forward_only() -> NoReturn:
    raise NotImplementedError("mhtui's schema only moves forward: to go back, restore the "
                              "backup taken before the upgrade.")
