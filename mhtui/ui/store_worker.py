"""The app's database: the store handle (store/database/handle.py) opened in one background
worker, its outcome coming back as a typed message, "opened" or "failed".

The dashboard's figures are read without the ORM (store/teams/dashboard.py); once they are
painted, the worker opens the store: prepare, check, connect, lock, back up. A key that
needs the database before that opens it on the spot through the same handle, and the
worker then finds it open.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from textual.message import Message

from mhtui.atomic import WriteFailed
from mhtui.store.database.dbfile import DatabaseProblem, StorageProblem
from mhtui.store.database.handle import StoreClosed
from mhtui.ui.failures import SaysFailures

if TYPE_CHECKING:
    from mhtui.core.clock import Clock
    from mhtui.store.database.db import Database
    from mhtui.store.teams.dashboard import DashboardFigures


class StoreOpened(Message):
    """The store is open; ``backup_problem`` says why today's copy was not made."""

    def __init__(self, backup_problem: StorageProblem | None) -> None:
        super().__init__()
        self.backup_problem = backup_problem


class StoreFailed(Message):
    """The store could not be opened."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


class UsesStore(SaysFailures):
    """The part of MHApp that opens the database and backs it up."""

    clock: Clock
    team_id: int | None
    _opening = False
    _when_open: list[Callable[[], object]]

    @property
    def db_is_open(self) -> bool:
        return self.store.db is not None

    @property
    def db(self) -> Database:
        """The open database: opened now, on this thread, if the worker has not yet
        (which then finds it open, and still makes today's backup and says so)."""
        db = self.store.open()
        if not self._opening:
            self.call_later(self.open_in_background)  # (from any thread)
        return db

    def orm_ready(self) -> None:
        """Wait for the background opening before importing a screen that needs the ORM.

        Two threads importing SQLAlchemy at once can hand one of them a half-made module
        ("cannot import name ... from partially initialized module"), and the app died;
        the screen needs the database open anyway, so it waits for that first.
        """
        _ = self.db

    def when_open(self, job: Callable[[], object]) -> None:
        """Run ``job`` on the UI thread once the store is open."""
        self._when_open.append(job)

    def open_in_background(self) -> None:
        """Start the one worker that opens the store (once)."""
        if not self._opening:
            self._opening = True
            self.run_worker(self._open_store, name="open the database", thread=True,
                            exit_on_error=False)

    def _open_store(self) -> None:
        try:
            self.store.open()
        except StoreClosed:
            return
        except Exception as error:
            self.post_message(StoreFailed(error))
            return
        try:
            self.store.back_up()
        except StorageProblem as problem:
            self.post_message(StoreOpened(problem))
            return
        self.post_message(StoreOpened(None))

    def on_store_opened(self, message: StoreOpened) -> None:
        # What the app holds now stays for its life: frozen, the garbage collector's
        # full passes no longer walk it (60-100 ms each, landing on a key or a screen's
        # opening now and then). Collection, off while starting (launch.run_app), is on
        # again from here; let go when the app closes (close_store).
        gc.freeze()
        gc.enable()
        for job in self._when_open:
            job()
        self._when_open.clear()
        if message.backup_problem is not None:
            self.report_storage_problem(message.backup_problem)
        from mhtui.ui.screens.dashboard import DashboardScreen

        for screen in self.screen_stack:  # its "newest backup" line read before the copy
            if isinstance(screen, DashboardScreen) and screen.old_backup_shown:
                screen.load()

    def on_store_failed(self, message: StoreFailed) -> None:
        gc.enable()
        if isinstance(message.error, DatabaseProblem):
            self.fail(message.error)  # the app leaves with its line
        # Anything else: the next use of self.db opens it again, on screen, and says
        # what failed.

    def close_store(self) -> None:
        self.store.close()
        gc.unfreeze()  # (an app a test made: the other tests' objects are collected)

    def read_figures(self, today: date) -> DashboardFigures:
        """The dashboard's figures: before the ORM is loaded, through sqlite3 alone (a
        file) or SQLAlchemy Core (a server)."""
        from mhtui.store.teams import dashboard

        figures = dashboard.read(self.target, today, lambda: self.db, self.clock)
        self.team_id = figures.team_id
        return figures

    def backup_now(self) -> None:
        from mhtui.store.database import backups

        if self.target.path is None:
            self.notify("This database is not a file; no backup made.", severity="warning")
            return
        try:
            path = backups.backup_now(self.target.path, None, self.clock.now().astimezone())
        except (OSError, WriteFailed, DatabaseProblem) as exc:
            self.bell()
            self.notify(str(exc), title="No backup made", severity="error", timeout=20)
            return
        self.notify(f"Backed up to {path}", timeout=8)

    def show_backup_folder(self) -> None:
        from mhtui.store.database import backups

        if self.target.path is None:
            return
        where = str(backups.folder(self.target.path))
        self.copy_to_clipboard(where)
        self.notify(f"Backups are in {where} (path copied to the clipboard)", timeout=8)
