"""MHApp: the one factory the command line and the tests both use."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from mhtui import settings
from mhtui.atomic import WriteFailed
from mhtui.core.clock import Clock, SystemClock
from mhtui.store.database.handle import Store
from mhtui.store.database.target import Target
from mhtui.ui import keymap
from mhtui.ui.hangup import watch as watch_terminal
from mhtui.ui.leaving import Leaves
from mhtui.ui.themes import DEFAULT_THEME, PROJECTOR_THEME, THEME_LABELS, THEMES

if TYPE_CHECKING:
    from mhtui.store.teams.teams import TeamView
    from mhtui.ui.app_api import MH


class MHApp(Leaves):
    TITLE = "mhtui"
    CSS_PATH = "styles/app.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="app.help"),
        Binding("f2", "toggle_theme", "Theme", id="app.theme"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True, show=False),
    ]
    _told_backups = False  # a server's "no daily copy", looked at once per run
    _stop_watching: Callable[[], None] = staticmethod(lambda: None)  # the terminal's watch

    def __init__(self, target: Target | str | None = None, clock: Clock | None = None,
                 *, notices: Iterable[str] = ()) -> None:
        """``target`` is a prepared database, or a path or URL as --db would take; with
        none, $MHTUI_DB or the default file, as for `mhtui` (so `textual run --dev
        mhtui.ui.app:MHApp` opens the app). ``notices``: lines to say once it is up
        (the command line's "created a new database at ...")."""
        super().__init__()
        if target is None or isinstance(target, str):
            import os

            from mhtui.store.database.target import resolve

            target = resolve(target, False, os.environ)
        self.target = target
        self.clock: Clock = clock or SystemClock()
        self.store = Store(target, self.clock)
        self._when_open = []
        self._styles_read = False
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

    def on_mount(self) -> None:
        keymap.load(self)  # before the first key is handled
        for notice in self._notices:
            self.notify(notice, severity="warning", timeout=20)
        # A closed terminal window or a system stopping mhtui (SIGTERM): write what is
        # typed but not yet saved, then go.
        self._stop_watching = watch_terminal(self, lambda: self._quit_on_signal(True))
        with contextlib.suppress(NotImplementedError, RuntimeError):  # none on Windows
            asyncio.get_running_loop().add_signal_handler(
                signal.SIGTERM, self._quit_on_signal, False)

    def warm_up(self) -> None:
        """Once the dashboard's figures are up: the other screens' styles, and the ORM."""
        self.call_after_refresh(self._read_screen_styles)
        self.open_in_background()
        if self.target.path is None and not self._told_backups:
            # A server has no daily copy: said once per database, the first time.
            from mhtui.store.database import backups

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

    def active_team(self) -> TeamView:
        from mhtui.store.teams import teams

        team = teams.active_team(self.db, self.clock)
        self.team_id = team.id
        return team

    def switch_team(self, team_id: int) -> None:
        from mhtui.store.teams import teams

        teams.set_active_team(self.db, team_id)
        self.team_id = team_id
        self.refresh_screens()

    def refresh_screens(self) -> None:
        from mhtui.ui.screens.base import MHScreen

        for screen in self.screen_stack:
            if isinstance(screen, MHScreen):
                screen.refresh_from_store()

    # --- start and stop ---------------------------------------------------------------

    def get_default_screen(self) -> Screen[None]:
        from mhtui.ui.screens.dashboard import DashboardScreen

        return DashboardScreen()

    def on_unmount(self) -> None:
        self._stop_watching()
        self.close_store()

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
        if self.store.db is not None:
            from mhtui.store.teams import teams
            from mhtui.ui.widgets.text import markup_escape

            for team in teams.list_teams(self.store.db):
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

        self.push_screen(TeamNameForm(self.active_team()),
                         lambda _name: self.refresh_screens())

    def action_new_team(self) -> None:
        self.orm_ready()
        from mhtui.ui.screens.teams import TeamPicker

        self.push_screen(TeamPicker(start_new=True))


if TYPE_CHECKING:
    def _gives_mh(app: MHApp) -> MH:
        return app  # mypy: MHApp gives screens all that the MH protocol promises
