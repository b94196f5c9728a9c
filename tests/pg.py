"""A throwaway PostgreSQL server for the tests, from the pgserver wheel (PostgreSQL's own
binaries installed by pip), so the suite needs nothing but python3 on the machine.

One server per test run: pytest-xdist's workers share it (pgserver counts the processes
using a data folder; the last one to let go stops the server and deletes its folder).
Each test that asks gets a database of its own, dropped afterwards.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL


class PgServer:
    """The running server: new databases on it, by URL."""

    def __init__(self, data: Path) -> None:
        import warnings

        self.data = data
        # pgserver asks platformdirs for a runtime folder on import, which warns when
        # XDG_RUNTIME_DIR is unset (as in CI): not the tests' business.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from pgserver.postgres_server import get_server

            self._server: Any = get_server(data, cleanup_mode="delete")
        # A throwaway server need not survive a power cut: without fsync a commit, a
        # CREATE DATABASE and the checkpoint every DROP DATABASE waits for are a few ms,
        # not a flush of the disk (the drops alone took 9-12 s in some teardowns).
        # What a test sees of the server is the same; every worker sets the same values.
        for setting in ("fsync", "synchronous_commit", "full_page_writes"):
            self.admin(f"ALTER SYSTEM SET {setting} = off")
        self.admin("SELECT pg_reload_conf()")

    @property
    def socket_dir(self) -> str:
        return str(self.data)

    def url(self, database: str, *, user: str = "postgres", password: str | None = None
            ) -> str:
        """A SQLAlchemy URL (psycopg 3) for ``database`` on this server."""
        return URL.create("postgresql+psycopg", username=user, password=password,
                          database=database, query={"host": self.socket_dir}
                          ).render_as_string(hide_password=False)

    def admin(self, sql: str) -> None:
        """Run one statement as the superuser, outside a transaction."""
        import psycopg

        with psycopg.connect(dbname="postgres", user="postgres", host=self.socket_dir,
                             autocommit=True) as conn:
            conn.execute(sql.encode())

    def new_database(self, template: str | None = None) -> str:
        """A new empty database (or a copy of ``template``); its name."""
        name = f"t_{uuid.uuid4().hex[:16]}"
        extra = f" TEMPLATE {template}" if template else ""
        self.admin(f"CREATE DATABASE {name}{extra}")
        return name

    def drop_database(self, name: str) -> None:
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def build_schema(self, url: str) -> None:
        """Give the empty database at ``url`` mhtui's newest schema, as its owner does
        (`mhtui db upgrade`: every Alembic revision)."""
        from mhtui.store.database import schema

        schema.upgrade(url)


@dataclass(frozen=True)
class Templates:
    """One worker's template databases on ``server``: ``empty`` (the newest schema) and
    ``demo`` (the demo data on it); a test gets a copy of one (CREATE DATABASE TEMPLATE)."""

    server: PgServer
    empty: str
    demo: str
