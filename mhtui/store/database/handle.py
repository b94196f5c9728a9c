"""The store handle: one database made ready in one place, prepare -> check -> connect ->
lock -> back up.

The app opens it in one background worker once the dashboard's figures are up (they
are read without it, store/teams/dashboard.py), and a key that needs the database before that
opens it on the spot: ``open`` is safe from any thread, one caller opens and the others
wait for the same handle. Textual-free, so the command line and the tests use it too.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

from mhtui.atomic import WriteFailed
from mhtui.store.database.dbfile import DatabaseProblem, StorageProblem

if TYPE_CHECKING:
    from mhtui.core.clock import Clock
    from mhtui.store.database.db import Database
    from mhtui.store.database.target import Target

# How long closing waits for an opening under way, to close what it opens.
CLOSE_WAIT_S = 30


class StoreClosed(Exception):
    """The handle was closed (the app is leaving): nothing more is opened."""


class Store:
    def __init__(self, target: Target, clock: Clock) -> None:
        self.target = target
        self.clock = clock
        self.db: Database | None = None
        self._in_use: int | None = None  # the in-use lock's descriptor (backups.hold)
        self._lock = threading.Lock()
        self._closed = False

    def open(self) -> Database:
        """The open database, opened now if it is not yet. DatabaseProblem, one line,
        for one that cannot be used; nothing is written to a file that fails its check."""
        with self._lock:
            if self._closed:
                raise StoreClosed
            if self.db is None:
                self.db = self._open()
            return self.db

    def _open(self) -> Database:
        from mhtui.store.database import backups, opening
        from mhtui.store.teams import teams

        path = self.target.path
        # Checked whole (SQLite's quick_check, about 1.4 ms per MB) before anything is
        # written to it, and before the ORM is loaded for a file that cannot be used.
        opening.prepare(self.target)
        db = opening.connect(self.target)
        try:
            teams.active_team(db, self.clock)  # makes the first team on the very first run
            if path is not None:
                # Held while the app runs, so `mhtui restore` will not pull the file away.
                self._in_use = backups.hold(path)
        except BaseException:
            db.close()
            raise
        return db

    def back_up(self) -> None:
        """Today's rolling copy of an SQLite file (nothing for a server); StorageProblem,
        one line, when it could not be made: said, and the app goes on."""
        from mhtui.store.database import backups

        if self.target.path is None or self._closed:
            return
        try:
            backups.daily(self.target.path, self.clock.now())
        except (OSError, WriteFailed, DatabaseProblem) as exc:
            raise StorageProblem(f"Daily backup not made: {exc}") from exc

    def close(self) -> None:
        """Close the database and let go of the in-use lock. An opening under way is
        waited for, so what it opens is closed too; none begins after."""
        locked = self._lock.acquire(timeout=CLOSE_WAIT_S)
        try:
            self._closed = True
            if self.db is not None:
                self.db.close()
                self.db = None
            if self._in_use is not None:
                os.close(self._in_use)
                self._in_use = None
        finally:
            if locked:
                self._lock.release()
