"""Saying what failed, in one place: a change not saved, a file not written, a database
that cannot be used, a server gone, a background job's failure.

A change that did not reach the database (StorageProblem) is said and the app goes on;
a database that cannot be used (DatabaseProblem, or a read that failed under a screen)
ends the app with one line, exit status 2, never a traceback.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from textual.worker import Worker, WorkerState

from mhtui.atomic import WriteFailed
from mhtui.store.database.dbfile import DatabaseProblem, StorageProblem
from mhtui.ui.key_gate import KeyGateApp

if TYPE_CHECKING:
    from textual.actions import ActionParseResult
    from textual.dom import DOMNode

    from mhtui.store.database.handle import Store
    from mhtui.store.database.target import Target


class SaysFailures(KeyGateApp):
    """The part of MHApp that says what failed."""

    target: Target
    store: Store
    _failed = False

    def fail(self, problem: DatabaseProblem) -> None:
        """Leave the app with the database's problem as the last words, exit status 2
        (once: the opening and a screen's reading may both come upon one damaged file)."""
        if not self._failed:
            self._failed = True
            self.leave_saying(f"mhtui: {problem}")

    def leave_saying(self, line: str) -> None:
        """Exit status 2, with ``line`` as the last words on stderr: one line, never
        wrapped at the terminal's width (a path broken in two cannot be copied), shown
        as written (Textual's error console reads no markup)."""
        self.error_console.soft_wrap = True
        self.exit(return_code=2, message=line)

    def report_storage_problem(self, problem: StorageProblem) -> None:
        from mhtui.store.database.conflict import ConflictError
        from mhtui.ui.screens.base import MHScreen

        self.bell()
        if isinstance(problem, ConflictError) and isinstance(self.screen, MHScreen):
            # A change based on an old copy: the screen reads again, shows the other
            # person's version and says so, so no one keeps working on a stale screen.
            with contextlib.suppress(StorageProblem):
                self.screen.show_conflict(problem)
                return
        screen = self.screen
        if isinstance(screen, MHScreen) and type(screen).say is not MHScreen.say:
            # Its status line may still say "Saved: ..." of the change before: not left
            # standing beside a change that was not saved (the toast has the whole why).
            screen.say(f"! {problem}")
        self.notify(str(problem), title="Not saved", severity="error", timeout=20)

    def notify(self, message: str, **options: Any) -> None:
        """A toast shows its message as typed, never as markup: messages quote names,
        paths and errors (a team "[/b]" would stop the app). Forced here, as a screen's
        own notify passes markup=True on every call."""
        options["markup"] = False
        super().notify(message, **options)

    async def run_action(self, action: str | ActionParseResult,
                         default_namespace: DOMNode | None = None,
                         namespaces: Mapping[str, DOMNode] | None = None) -> bool:
        """Every key binding comes through here: a failed write becomes a message."""
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except StorageProblem as problem:
            self.report_storage_problem(problem)
            return True

    def server_gone(self, error: BaseException) -> bool:
        """A database server down or restarting under a screen's reading: said in one
        line, and True; the app goes on (what is on screen may be older than the
        server's, and the next read or change connects again). False for any other
        error. For a screen's load(), which catches it; a failure that reaches
        _handle_exception leaves its widget stopped, so the app leaves there."""
        from mhtui.store.database.opening import database_error, server_gone

        said = database_error(error, self.target.given)
        if said is None or not server_gone(error):
            return False
        self.bell()
        self.notify(f"{said} What is on screen may be out of date; mhtui connects again "
                    "by itself.", title="Database server", severity="error", timeout=20)
        return True

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A background job's failure is said here, in the same one line as any other."""
        error = event.worker.error
        if event.state is WorkerState.ERROR and isinstance(error, Exception):
            self._handle_exception(error)

    def _handle_exception(self, error: Exception) -> None:
        # Dialog results, timers (draft saving) and callbacks end up here; Textual's
        # default is to exit, which would take what is on screen with it.
        if isinstance(error, StorageProblem):
            self.report_storage_problem(error)
            return
        if isinstance(error, DatabaseProblem):  # opened on the UI thread, and refused
            self.fail(error)
            return
        if isinstance(error, WriteFailed):  # a file not written: said, and the app goes on
            self.bell()
            self.notify(str(error), title="Not written", severity="error", timeout=20)
            return
        from mhtui.store.database.opening import database_error

        said = database_error(error, self.target.given)
        if said is not None:
            said = self._shut_out_now(error) or said
            # A database that fails under a screen (a read, the connection) leaves that
            # screen half made: leave with one line instead of a traceback. Writes
            # that fail are StorageProblem, above, and the app keeps running.
            self.leave_saying(f"mhtui: {said} Everything saved before is safe.")
            return
        if sys.exc_info()[1] is None:
            # A worker's failure comes here from on_worker_state_changed, after its
            # thread ended and outside any except block, where Textual's crash print
            # (Rich's Traceback, which reads sys.exc_info) finds nothing and fails itself
            # ("Value for 'trace' required"). Raised again so it prints as a traceback.
            try:
                raise error
            except Exception:
                super()._handle_exception(error)
            return
        super()._handle_exception(error)

    def _shut_out_now(self, error: Exception) -> str | None:
        """A login whose last grant was revoked while the app ran is refused the next
        table it reads ("permission denied for table setting"): said in the words it
        would hear on starting, by store/database/access.py."""
        orig = getattr(error, "orig", None)
        db = self.store.db
        if getattr(orig, "sqlstate", None) != "42501" or db is None:
            return None
        from mhtui.store.database import access

        try:
            return access.shut_out(db)
        except Exception:  # a second failure: the server's own words are said instead
            return None
