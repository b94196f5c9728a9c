"""MHApp: the one factory the command line and the tests both use."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Iterable, Mapping
from datetime import date
from threading import Lock, Thread
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from mhtui import settings
from mhtui.atomic import WriteFailed
from mhtui.core.clock import Clock, SystemClock
from mhtui.store.dbfile import DatabaseProblem, StorageProblem
from mhtui.store.target import Target
from mhtui.ui.key_gate import KeyGateApp
from mhtui.ui.themes import DEFAULT_THEME, PROJECTOR_THEME, THEME_LABELS, THEMES

if TYPE_CHECKING:
    from textual.actions import ActionParseResult
    from textual.dom import DOMNode

    from mhtui.store.dashboard import DashboardFigures
    from mhtui.store.db import Database
    from mhtui.store.teams import TeamView



def _database_error(error: BaseException, url: str | None) -> str | None:
    """One line for a database that failed under a screen (a read, a connection); None
    for anything else, a bug."""
    import sqlite3
    import sys

    sqlalchemy_exc = sys.modules.get("sqlalchemy.exc")
    if sqlalchemy_exc is not None and isinstance(error, sqlalchemy_exc.DBAPIError):
        if not isinstance(error.orig, sqlite3.Error):
            from mhtui.store.opening import database_said

            return f"The database could not be used: {database_said(error, url)}."
        error = error.orig
    if isinstance(error, sqlite3.Error):
        from mhtui.store.dbfile import sqlite_reason

        return f"The database could not be used: {sqlite_reason(error)}."
    return None
# Seconds in which a second ctrl+q leaves without what could not be saved.
QUIT_AGAIN_WITHIN = 30.0


class MHApp(KeyGateApp):
    TITLE = "mhtui"
    CSS_PATH = "styles/app.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="help"),
        Binding("f2", "toggle_theme", "Theme", id="theme"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True, show=False),
    ]

    def __init__(self, target: Target | str | None = None, clock: Clock | None = None) -> None:
        """``target`` is a prepared database, or a path or URL as --db would take; with
        none, $MHTUI_DB or the default file, as for `mhtui` (so `textual run --dev
        mhtui.ui.app:MHApp` opens the app)."""
        super().__init__()
        if target is None or isinstance(target, str):
            import os

            from mhtui.store.target import resolve

            target = resolve(target, False, os.environ)
        self.target = target
        self.clock: Clock = clock or SystemClock()
        self._db: Database | None = None
        self._lock: int | None = None
        self._db_lock = Lock()
        self._check_lock = Lock()
        self._styles_read = False
        self._opener: Thread | None = None
        self._integrity: Thread | None = None
        self._integrity_problem: DatabaseProblem | None = None
        # When quitting was last refused for an unsaved change: a second ctrl+q soon
        # after leaves without it; much later, the question is asked again.
        self._quit_asked_at: float | None = None
        self.team_id: int | None = None
        # An action made outside the tracker (check-in plans, roll-up): the tracker opens
        # on it, so the next status key changes the action just made.
        self.action_to_select: int | None = None
        for theme in THEMES:
            self.register_theme(theme)
        wanted = settings.load().get("theme")
        self.theme = wanted if wanted in THEME_LABELS else DEFAULT_THEME

    # --- the database, opened after the first frame -----------------------------------

    @property
    def db_is_open(self) -> bool:
        return self._db is not None

    @property
    def db(self) -> Database:
        with self._db_lock:  # the background opening may be half way through
            if self._db is None:
                self._open_database()
        assert self._db is not None
        return self._db

    def open_database_in_background(self) -> None:
        """Load the ORM while the dashboard is read; anything that needs it waits."""
        if self._db is None and self._opener is None:
            self._opener = Thread(target=self._open_quietly, daemon=True)
            self._opener.start()

    def _open_quietly(self) -> None:
        try:
            with self._db_lock:
                if self._db is None:
                    self._open_database()
        except DatabaseProblem as problem:
            self.call_from_thread(self.fail, problem)
        except Exception:
            pass  # the next use of self.db opens it again, on screen, and says what failed

    def on_mount(self) -> None:
        self.call_after_refresh(self._start_integrity_check)
        # A closed terminal window (SIGHUP) or a system stopping mhtui (SIGTERM): write
        # what is typed but not yet saved, then go.
        with contextlib.suppress(AttributeError, NotImplementedError, RuntimeError):
            for signum in (signal.SIGHUP, signal.SIGTERM):
                asyncio.get_running_loop().add_signal_handler(signum, self._quit_on_signal)

    def _quit_on_signal(self) -> None:
        # No one is there to answer "quit without it?": write what can be, then go.
        self.call_later(self.action_quit, ask=False)

    def _start_integrity_check(self) -> None:
        # Just after the first frame, beside the dashboard's reading (SQLite runs the
        # check without the GIL); nothing is written until it has passed.
        with self._check_lock:
            path = self.target.path
            if self._integrity is None and path is not None and path.exists():
                self._integrity = Thread(target=self._check_integrity, daemon=True)
                self._integrity.start()

    def warm_up(self) -> None:
        """Once the dashboard's figures are up: the other screens' styles, and the ORM."""
        self.call_after_refresh(self._read_screen_styles)
        self.open_database_in_background()

    def _read_screen_styles(self) -> None:
        if self._styles_read:
            return
        from pathlib import Path

        self._styles_read = True
        screens_css = Path(__file__).parent / "styles" / "screens.tcss"
        self.stylesheet.read(screens_css)
        if self.css_monitor is not None:  # `textual run --dev`: reload this one live too
            self.css_monitor.add_paths([screens_css])
        self.refresh_css(animate=False)

    def push_screen(self, *args: Any, **kwargs: Any) -> Any:
        self._read_screen_styles()  # in case a screen comes before warm_up got to it
        return super().push_screen(*args, **kwargs)

    def _check_integrity(self) -> None:
        from mhtui.store import dbfile

        assert self.target.path is not None
        try:
            dbfile.check_integrity(self.target.path)
        except DatabaseProblem as problem:
            self._integrity_problem = problem

    def _open_database(self) -> None:
        from mhtui.store import opening, teams

        opening.prepare(self.target, thorough=False)
        self._start_integrity_check()  # if the database is wanted before the first frame
        db = opening.connect(self.target)  # imports the ORM while the check runs
        if self._integrity is not None:
            self._integrity.join()
            if self._integrity_problem is not None:
                db.close()
                raise self._integrity_problem
        self.team_id = teams.active_team(db, self.clock).id
        if self.target.path is not None:
            from mhtui.store import backups

            # Held while the app runs, so `mhtui restore` will not pull the file away.
            self._lock = backups.hold(self.target.path)
            Thread(target=self._daily_backup, daemon=True).start()
        self._db = db

    def read_figures(self, today: date) -> DashboardFigures:
        """The dashboard's figures: before the ORM is loaded, through sqlite3 alone."""
        import sqlite3

        from mhtui.store import dashboard

        path = self.target.path
        if path is not None and path.is_file():  # a pipe would never answer
            try:
                conn = dashboard.open_readonly(path)
                try:
                    team = dashboard.active_team(conn)
                    if team is not None:
                        self.team_id = team.id
                        return dashboard.figures(conn, team, today)
                finally:
                    conn.close()
            except sqlite3.DatabaseError:
                pass  # opening it through the ORM says what is wrong with the file
        self.active_team()  # makes the first team on the very first run
        raw = self.db.engine.raw_connection()
        try:
            team = dashboard.active_team(raw)
            assert team is not None
            self.team_id = team.id
            return dashboard.figures(raw, team, today)
        finally:
            raw.close()

    def _daily_backup(self) -> None:
        """Today's rolling backup, off the UI thread so start-up does not wait for it."""
        from mhtui.core.clock import local_today
        from mhtui.store import backups

        assert self.target.path is not None
        try:
            backups.daily(self.target.path, local_today(self.clock))
        except (OSError, WriteFailed, DatabaseProblem) as exc:  # said, never silent
            with contextlib.suppress(RuntimeError):  # the app may have closed meanwhile
                self.call_from_thread(self.notify, f"Daily backup not made: {exc}",
                                      title="Backup", severity="warning", timeout=20)

    def backup_now(self) -> None:
        from mhtui.store import backups

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
        from mhtui.store import backups

        if self.target.path is None:
            return
        where = str(backups.folder(self.target.path))
        self.copy_to_clipboard(where)
        self.notify(f"Backups are in {where} (path copied to the clipboard)", timeout=8)

    def active_team(self) -> TeamView:
        from mhtui.store import teams

        team = teams.active_team(self.db, self.clock)
        self.team_id = team.id
        return team

    def switch_team(self, team_id: int) -> None:
        from mhtui.store import teams

        teams.set_active_team(self.db, team_id)
        self.team_id = team_id
        self.refresh_screens()

    def refresh_screens(self) -> None:
        from mhtui.ui.screens.base import MHScreen

        for screen in self.screen_stack:
            if isinstance(screen, MHScreen):
                screen.load()

    # --- start and stop ---------------------------------------------------------------

    def get_default_screen(self) -> Screen[None]:
        from mhtui.ui.screens.dashboard import DashboardScreen

        return DashboardScreen()

    def fail(self, problem: DatabaseProblem) -> None:
        """Leave the app with the database's problem as the last words, exit status 2."""
        self.exit(return_code=2, message=f"mhtui: {problem}")

    # --- a write that did not reach the database ---------------------------------------

    def report_storage_problem(self, problem: StorageProblem) -> None:
        from mhtui.store.conflict import ConflictError
        from mhtui.ui.screens.base import MHScreen

        self.bell()
        if isinstance(problem, ConflictError) and isinstance(self.screen, MHScreen):
            # A change based on an old copy: the screen reads again, shows the other
            # person's version and says so, so no one keeps working on a stale screen.
            with contextlib.suppress(StorageProblem):
                self.screen.show_conflict(problem)
                return
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
        said = _database_error(error, self.target.given)
        if said is not None:
            # A database that fails under a screen (a read, the connection) leaves that
            # screen half made: leave with one line instead of a traceback. Writes
            # that fail are StorageProblem, above, and the app keeps running.
            self.exit(return_code=2, message=f"mhtui: {said} Everything saved before is "
                                             "safe.")
            return
        super()._handle_exception(error)

    async def action_quit(self, ask: bool = True) -> None:
        from mhtui.ui.screens.base import MHScreen
        from mhtui.ui.screens.dialog import Dialog

        for screen in self.screen_stack:
            if isinstance(screen, MHScreen | Dialog):  # an open form's text too
                try:
                    screen.flush()
                except StorageProblem as problem:
                    now = self.clock.monotonic()
                    asked = self._quit_asked_at
                    if ask and (asked is None or now - asked > QUIT_AGAIN_WITHIN):
                        # Asked, not refused: a broken disk never traps anyone in the app.
                        self._quit_asked_at = now
                        self.report_storage_problem(StorageProblem(
                            f"{problem} Press ctrl+q again to quit without it."))
                        return
        self.exit()

    def on_unmount(self) -> None:
        if self._opener is not None:
            self._opener.join(timeout=30)  # so the handle it opens is closed below
        if self._db is not None:
            self._db.close()
        if self._lock is not None:
            import os

            os.close(self._lock)

    # --- app-wide actions ---------------------------------------------------------------

    def action_help(self) -> None:
        from mhtui.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen.for_screen(self.screen))

    def action_toggle_theme(self) -> None:
        self.set_theme(PROJECTOR_THEME if self.theme == DEFAULT_THEME else DEFAULT_THEME)

    def set_theme(self, name: str) -> None:
        self.theme = name
        try:
            settings.save(theme=name)
        except (OSError, WriteFailed) as exc:  # the theme still changes, for this run
            self.notify(f"Theme: {THEME_LABELS[name]}, for now only. {exc}",
                        severity="warning", timeout=8)
            return
        self.notify(f"Theme: {THEME_LABELS[name]}", timeout=2)

    def go(self, where: str) -> None:
        """Open one of the four parts on top of the dashboard."""
        from mhtui.ui.screens import registry

        while len(self.screen_stack) > 1:
            self.pop_screen()
        if where == "dashboard":
            return
        # Each part is built once and kept: coming back to it costs a re-read of the
        # store, not a new layout, and it keeps its view, sort and undo history.
        if not self.is_screen_installed(where):
            self.install_screen(registry.make(where), where)
        self.push_screen(where)

    def open_meeting(self, meeting_id: int) -> None:
        """Show a check-in's projected view above the check-in hub."""
        from mhtui.ui.screens.meeting import MeetingScreen

        self.go("checkin")
        self.push_screen(MeetingScreen(meeting_id))

    def show_minutes(self, meeting_id: int) -> None:
        from mhtui.ui.screens.minutes import MinutesScreen

        self.go("checkin")
        self.push_screen(MinutesScreen(meeting_id))

    def resume_meeting(self, meeting_id: int) -> None:
        """After a crash or a restart, go straight back to a check-in left running."""
        self.open_meeting(meeting_id)
        self.notify("Resumed the check-in in progress.")

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        from mhtui.ui.screens import registry
        from mhtui.ui.screens.base import MHScreen

        if isinstance(screen, MHScreen):
            yield from screen.commands()

        for key, (title, help_text) in registry.PLACES.items():
            yield SystemCommand(f"go: {title}", help_text, lambda k=key: self.go(k))
        yield SystemCommand("go: dashboard", "The home screen", lambda: self.go("dashboard"))
        for name, label in THEME_LABELS.items():
            yield SystemCommand(
                f"theme: {label}", "Remembered the next time mhtui starts",
                lambda n=name: self.set_theme(n),
            )
        if self._db is not None:
            from mhtui.store import teams
            from mhtui.ui.widgets.text import markup_escape

            for team in teams.list_teams(self._db):
                if team.id != self.team_id and team.id is not None:
                    # The palette reads a title as markup; the name must show as typed.
                    yield SystemCommand(
                        "team: switch to " + markup_escape(team.name), "Make this the active team",
                        lambda t=team.id: self.switch_team(t),
                    )
        yield SystemCommand("team: new", "Create a team with the default catalogue",
                            self.action_new_team)
        yield SystemCommand("backup: now", "A consistent copy of the database, next to it",
                            self.backup_now)
        yield SystemCommand("backup: open folder path", "Where the backups are kept",
                            self.show_backup_folder)
        yield SystemCommand("help: keys for this screen", "Same as F1", self.action_help)
        yield SystemCommand("app: quit", "Leave mhtui, writing what is typed first",
                            self.action_quit)

    def action_new_team(self) -> None:
        from mhtui.ui.screens.teams import TeamPicker

        self.push_screen(TeamPicker(start_new=True))
