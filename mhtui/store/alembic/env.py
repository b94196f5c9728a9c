"""Alembic's environment for mhtui: migrates the connection schema.py hands over.

mhtui runs this from code (mhtui/store/database/schema.py) with ``config.attributes["connection"]``
set to a connection already inside a locked transaction; the migrations run inside it,
and the caller commits. Without one (Alembic's own command line, for a developer, with
an ini naming this folder), the database is ``-x url=...`` or $MHTUI_DB.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from mhtui.store import models  # noqa: F401  (registers every table on SQLModel.metadata)


def _migrate(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=SQLModel.metadata)
    with context.begin_transaction():
        context.run_migrations()


def _run() -> None:
    if context.is_offline_mode():
        raise SystemExit("mhtui's migrations run against a database, not as SQL text: "
                         "use `mhtui --db URL db upgrade`.")
    given = context.config.attributes.get("connection")
    if given is not None:
        _migrate(given)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get("MHTUI_DB")
    if not url:
        raise SystemExit("Give the database with -x url=... or MHTUI_DB.")
    from mhtui.store.database import connections

    engine = connections.engine(url, pooled=False, kind="migrate")
    try:
        with engine.begin() as connection:
            _migrate(connection)
    finally:
        engine.dispose()


_run()
