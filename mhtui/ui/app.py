"""MHApp: the one factory the command line and the tests both use."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import sys
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future
from datetime import date
from threading import Lock
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from mhtui import settings
from mhtui.atomic import WriteFailed
from mhtui.core.clock import Clock, SystemClock
from mhtui.store.dbfile import DatabaseProblem, StorageProblem
from mhtui.store.target import Target
from mhtui.ui import keymap
from mhtui.ui.hangup import stop_reading
from mhtui.ui.hangup import watch as watch_terminal
from mhtui.ui.key_gate import KeyGateApp
from mhtui.ui.themes import DEFAULT_THEME, PROJECTOR_THEME, THEME_LABELS, THEMES

if TYPE_CHECKING:
    from textual.actions import ActionParseResult
    from textual.dom import DOMNode

    from mhtui.store.dashboard import DashboardFigures
    from mhtui.store.db import Database
    from mhtui.store.teams import TeamView


# After a hang-up or SIGTERM the app leaves once every key it read is handled, however
# long that takes; but if no key has been handled for this many seconds, something is
# stuck, and it leaves anyway (a hung-up copy must never stay behind holding the file).
STUCK_AFTER = 30.0
# Seconds in which a second ctrl+q leaves without what could not be saved.
QUIT_AGAIN_WITHIN = 30.0


SETTLE_BY = 10.0  # s: collection on again by then, whatever the opening did


def settle_memory() -> None:
    """What is in memory once the ORM is loaded stays for the app's life: frozen, the
    garbage collector's full passes no longer walk it (they took 60-90 ms each and
    landed on a key or a screen opening now and then). Collection, turned off while
    starting (launch.run_app), is on again from here. Where it was never turned off (an
    app made by a test, beside other tests' objects), nothing is frozen."""
    if gc.isenabled():
        return
    gc.freeze()
    gc.enable()


class MHApp(KeyGateApp):
    TITLE = "mhtui"
    CSS_PATH = "styles/app.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="app.help"),
        Binding("f2", "toggle_theme", "Theme", id="app.theme"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True, show=False),
    ]
    clock_answered = False  # a running check-in clock's question, asked once per quit
    _leaving_on_signal = False  # a SIGTERM or a hang-up came: leaving, once
    _told_backups = False  # a server's "no daily copy", looked at once per run

    def __init__(self, target: Target | str | None = None, clock: Clock | None = None,
                 *, notices: Iterable[str] = ()) -> None:
        """``target`` is a prepared database, or a path or URL as --db would take; with
        none, $MHTUI_DB or the default file, as for `mhtui` (so `textual run --dev
        mhtui.ui.app:MHApp` opens the app). ``notices``: lines to say once it is up
        (the command line's "created a new database at ...")."""
        super().__init__()
        if target is None or isinstance(target, str):
            import os

            from mhtui.store.target import resolve

            target = resolve(target, False, os.environ)
        self.target = target
        self.clock: Clock = clock or SystemClock()
        self._db: Database | None = None
        self._lock: int | None = None
        # Held while the database is opened, and while it is closed: the app closes what
        # an opening under way opens, and no opening begins once it closes.
        self._db_lock = Lock()
        self._closing = False
        self._check_lock = Lock()
        # The integrity check's outcome, once begun (DatabaseProblem if the file is bad).
        self._checked: Future[None] | None = None
        self._styles_read = False
        self._opener: Worker[None] | None = None
        self._failed = False
        # When quitting was last refused for an unsaved change: a second ctrl+q soon
        # after leaves without it; much later, the question is asked again.
        self._quit_asked_at: float | None = None
        self.team_id: int | None = None
        # An action made outside the tracker (check-in plans, roll-up): the tracker opens
        # on it, so the next status key changes the action just made.
        self.action_to_select: int | None = None
        for theme in THEMES:
            self.register_theme(theme)
        # The file as written (settings.peek): pydantic would cost the first frame.
        prefs, unusable = settings.peek()
        wanted = prefs.get("theme")
        self.theme = wanted if isinstance(wanted, str) and wanted in THEME_LABELS else (
            DEFAULT_THEME)
        # Said once the app is up, each in one line: a settings file not used is never
        # silent, and never stops the app.
        self._notices = [*notices, *([unusable] if unusable else [])]

    # --- the database, opened after the first frame -----------------------------------

    @property
    def db_is_open(self) -> bool:
        return self._db is not None

    @property
    def db(self) -> Database:
        opened = False
        with self._db_lock:  # the background opening may be half way through
            if self._db is None:
                self._open_database()
                opened = True
        if opened:
            self._start_daily_backup()
        assert self._db is not None
        return self._db

    # --- background jobs: Textual workers, their failures said in on_worker_state_changed

    def _in_background(self, job: Callable[[], None], group: str) -> Worker[None]:
        return self.run_worker(job, name=group, group=group, thread=True,
                               exit_on_error=False)

    def open_database_in_background(self) -> None:
        """Load the ORM while the dashboard is read; anything that needs it waits."""
        if self._db is None and self._opener is None:
            self._opener = self._in_background(self._open_quietly, "open the database")

    def _open_quietly(self) -> None:
        with self._db_lock:
            if self._db is not None or self._closing:
                return
            try:
                self._open_database()
            except DatabaseProblem:
                raise  # said by on_worker_state_changed: the app leaves with its line
            except Exception:
                return  # the next use of self.db opens it again, on screen, and says what failed
        # Still in the background, with the lock let go: whoever waits for this worker
        # waits for the backup too.
        self._daily_backup()

    def on_mount(self) -> None:
        keymap.load(self)  # before the first key is handled
        for notice in self._notices:
            self.notify(notice, severity="warning", timeout=20)
        # Should the database never open (a refusal on screen), collection comes back on.
        self.set_timer(SETTLE_BY, settle_memory)
        self.call_after_refresh(self._start_integrity_check)
        # A closed terminal window (SIGHUP) or a system stopping mhtui (SIGTERM): write
        # what is typed but not yet saved, then go.
        with contextlib.suppress(AttributeError, NotImplementedError, RuntimeError):
            loop = asyncio.get_running_loop()
            loop.add_signal_handler(signal.SIGTERM, self._quit_on_signal, False)
            watch_terminal(self, lambda: self._quit_on_signal(True))

    def _quit_on_signal(self, hangup: bool) -> None:
        # No one is there to answer "quit without it?": write what can be, then go, but
        # only after every key already read from the terminal. On a loaded machine the
        # input thread can take seconds to hand over a burst it read, and the app more to
        # handle it (a pause of 0.1 s, then a deadline of 10 s, cut the draft or left it
        # empty): reading stops first, and the quit waits behind the keys it handed over.
        if self._leaving_on_signal:
            return
        self._leaving_on_signal = True

        def leave() -> object:
            return self.action_quit(ask=False, hangup=hangup)

        stop_reading(self, lambda: self.call_later(self.after_keys, leave))
        handled = self.keys_delivered

        def unless_moving() -> object:
            nonlocal handled
            if self.keys_delivered == handled:  # no key handled for STUCK_AFTER seconds
                return leave()
            handled = self.keys_delivered
            return None

        self.set_interval(STUCK_AFTER, unless_moving)

    def _start_integrity_check(self) -> None:
        # Just after the first frame, beside the dashboard's reading (SQLite runs the
        # check without the GIL); nothing is written until it has passed.
        path = self.target.path
        if self._checked is None and path is not None and path.exists():
            self._in_background(self._check_integrity, "integrity check")

    def warm_up(self) -> None:
        """Once the dashboard's figures are up: the other screens' styles, and the ORM."""
        self.call_after_refresh(self._read_screen_styles)
        self.open_database_in_background()
        if self.target.path is None and not self._told_backups:
            # A server has no daily copy: said once per database, the first time.
            from mhtui.store import backups

            self._told_backups = True
            told = backups.no_daily_copy_once(self.target.label)
            if told is not None:
                self.notify(told, title="Backups", timeout=15)

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
        """SQLite's check of the whole file, once: run by whichever thread comes first
        (the worker beside the first frame, or the opening if the database is wanted
        before it), waited for by the other. DatabaseProblem if the file is damaged."""
        from mhtui.store import dbfile

        path = self.target.path
        assert path is not None
        with self._check_lock:
            mine = self._checked is None
            if self._checked is None:
                self._checked = Future()
            outcome = self._checked
        if mine:
            try:
                dbfile.check_integrity(path)
            except BaseException as exc:
                outcome.set_exception(exc)
            else:
                outcome.set_result(None)
        outcome.result()

    def _open_database(self) -> None:
        from mhtui.store import opening, teams

        opening.prepare(self.target, thorough=False)
        db = opening.connect(self.target)  # imports the ORM while the check runs
        if self.target.path is not None:
            try:
                self._check_integrity()  # the database is used only once it has passed
            except DatabaseProblem:
                db.close()
                raise
        self.team_id = teams.active_team(db, self.clock).id
        if self.target.path is not None:
            from mhtui.store import backups

            # Held while the app runs, so `mhtui restore` will not pull the file away.
            self._lock = backups.hold(self.target.path)
        self._db = db
        # Opened, in the background or by a key that came first: what the app holds now
        # stays, so collection comes back on (off since launch.run_app).
        settle_memory()

    def read_figures(self, today: date) -> DashboardFigures:
        """The dashboard's figures: before the ORM is loaded, through sqlite3 alone (a
        file) or SQLAlchemy Core (a server)."""
        from mhtui.store import dashboard

        figures = dashboard.read(self.target, today, lambda: self.db, self.clock)
        self.team_id = figures.team_id
        return figures

    def _start_daily_backup(self) -> None:
        """Today's rolling backup, once the database is open, off the UI thread so
        start-up does not wait for it."""
        if self.target.path is not None and not self._closing:
            with contextlib.suppress(RuntimeError):  # the app may have closed meanwhile
                self._in_background(self._daily_backup, "daily backup")

    def _daily_backup(self) -> None:
        from mhtui.store import backups

        if self.target.path is None or self._closing:
            return
        try:
            backups.daily(self.target.path, self.clock.now())
        except (OSError, WriteFailed, DatabaseProblem) as exc:  # said, never silent
            raise StorageProblem(f"Daily backup not made: {exc}") from exc

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place a background job's failure is said: in the same one line as any
        other (a change or a backup not saved: the app goes on; a database that cannot
        be used: the app leaves with it)."""
        error = event.worker.error
        if event.state is WorkerState.ERROR and isinstance(error, Exception):
            self._handle_exception(error)
        elif event.state is WorkerState.SUCCESS and event.worker.name in (
                "open the database", "daily backup"):  # the two that make the daily copy
            from mhtui.ui.screens.dashboard import DashboardScreen

            for screen in self.screen_stack:  # its "newest backup" line read before the copy
                if isinstance(screen, DashboardScreen) and screen.old_backup_shown:
                    screen.load()

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
        """Leave the app with the database's problem as the last words, exit status 2
        (once: the opening and the integrity check may both come upon one damaged file)."""
        if not self._failed:
            self._failed = True
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
        from mhtui.store.opening import database_error, server_gone

        said = database_error(error, self.target.given)
        if said is None or not server_gone(error):
            return False
        self.bell()
        self.notify(f"{said} What is on screen may be out of date; mhtui connects again "
                    "by itself.", title="Database server", severity="error", timeout=20)
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
        from mhtui.store.opening import database_error

        said = database_error(error, self.target.given)
        if said is not None:
            said = self._shut_out_now(error) or said
            # A database that fails under a screen (a read, the connection) leaves that
            # screen half made: leave with one line instead of a traceback. Writes
            # that fail are StorageProblem, above, and the app keeps running.
            self.exit(return_code=2, message=f"mhtui: {said} Everything saved before is "
                                             "safe.")
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
        would hear on starting, by store/access.py."""
        orig = getattr(error, "orig", None)
        if getattr(orig, "sqlstate", None) != "42501" or not self.db_is_open:
            return None
        from mhtui.store import access

        try:
            return access.shut_out(self.db)
        except Exception:  # a second failure: the server's own words are said instead
            return None

    async def action_quit(self, ask: bool = True, hangup: bool = False) -> None:
        from mhtui.ui.screens.base import MHScreen
        from mhtui.ui.screens.dialog import Dialog

        if ask and not hangup and not self.clock_answered:
            for screen in self.screen_stack:  # a check-in's running clock: keep it running?
                before_quit = getattr(screen, "ask_before_quit", None)
                if before_quit is not None and before_quit(self._quit_after_answer):
                    return
            # The same question from any other screen (the dashboard, the palette's quit);
            # before the database is open, no check-in has been resumed to ask about.
            if self.db_is_open:
                from mhtui.ui.screens.meeting_clock import ask_before_quit_elsewhere

                if ask_before_quit_elsewhere(self, self._quit_after_answer):
                    return
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
        if hangup:
            # The terminal is gone: Textual's shutdown would wait for its output thread to
            # write to it, and that can block for ever (a hung process still holding the
            # database). Everything is written; close the file and leave at once.
            self._close_store()
            os._exit(0)
        self.exit()

    def _quit_after_answer(self) -> None:
        self.clock_answered = True
        self.call_later(self.action_quit)

    def on_unmount(self) -> None:
        self._close_store()

    def _close_store(self) -> None:
        # An opening under way holds the lock: waited for, so the handle and the lock
        # file it opens are closed below; one not yet begun sees _closing and stops.
        locked = self._db_lock.acquire(timeout=30)
        self._closing = True
        if locked:
            self._db_lock.release()
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

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
            # The reason names a file path, which may hold brackets: not markup.
            self.notify(f"Theme: {THEME_LABELS[name]}, for now only. {exc}",
                        severity="warning", timeout=8, markup=False)
            return
        self.notify(f"Theme: {THEME_LABELS[name]}", timeout=2)

    def go(self, where: str) -> None:
        """Open one of the four parts on top of the dashboard."""
        stack = self.screen_stack
        if (len(stack) == 2 and where != "dashboard" and self.is_screen_installed(where)
                and stack[1] is self.get_screen(where)):
            return  # already there (the hub, opening the check-in it just started)
        while len(self.screen_stack) > 1:
            self.pop_screen()
        if where == "dashboard":
            return
        self.show_kept(where)

    def show_kept(self, where: str) -> None:
        """Push one of registry's screens on the stack as it is. Each is built once and
        kept: coming back to it costs a re-read of the store (on resume), not a new
        layout, and it keeps its view, sort and undo history."""
        from mhtui.ui.screens import registry

        if not self.is_screen_installed(where):
            self.orm_ready()
            self.install_screen(registry.make(where), where)
        self.push_screen(where)

    def orm_ready(self) -> None:
        """Wait for the background opening before importing a screen that needs the ORM.

        Two threads importing SQLAlchemy at once can hand one of them a half-made module
        ("cannot import name ... from partially initialized module"), and the app died;
        the screen needs the database open anyway, so it waits for that first.
        """
        _ = self.db

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
        yield SystemCommand("team: rename", "Give the active team a new name",
                            self.action_rename_team)
        yield SystemCommand("backup: now", "A consistent copy of the database, next to it",
                            self.backup_now)
        yield SystemCommand("backup: open folder path", "Where the backups are kept",
                            self.show_backup_folder)
        yield SystemCommand("help: keys for this screen", "Same as F1", self.action_help)
        yield SystemCommand("app: quit", "Leave mhtui, writing what is typed first",
                            self.action_quit)

    def action_rename_team(self) -> None:
        self.orm_ready()
        from mhtui.ui.screens.roster import TeamNameForm

        self.push_screen(TeamNameForm(self.active_team().name),
                         lambda _name: self.refresh_screens())

    def action_new_team(self) -> None:
        self.orm_ready()
        from mhtui.ui.screens.teams import TeamPicker

        self.push_screen(TeamPicker(start_new=True))

