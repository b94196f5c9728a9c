"""Leaving the app: ctrl+q (asking first about a running check-in clock or a change
that could not be saved), and a closed terminal window or a SIGTERM (nothing asked:
what was typed is written, every key already read is handled first, then it goes)."""

from __future__ import annotations

import os

from mhtui.store.database.dbfile import StorageProblem
from mhtui.ui.hangup import stop_reading
from mhtui.ui.store_worker import UsesStore

# After a hang-up or SIGTERM the app leaves once every key it read is handled, however
# long that takes; but if no key has been handled for this many seconds, something is
# stuck, and it leaves anyway (a hung-up copy must never stay behind holding the file).
STUCK_AFTER = 30.0
# Seconds in which a second ctrl+q leaves without what could not be saved.
QUIT_AGAIN_WITHIN = 30.0


class Leaves(UsesStore):
    """The part of MHApp that leaves."""

    clock_answered = False  # a running check-in clock's question, asked once per quit
    _leaving_on_signal = False  # a SIGTERM or a hang-up came: leaving, once
    # When quitting was last refused for an unsaved change: a second ctrl+q soon after
    # leaves without it; much later, the question is asked again.
    _quit_asked_at: float | None = None

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
            self.close_store()
            os._exit(0)
        self.exit()

    def _quit_after_answer(self) -> None:
        self.clock_answered = True
        self.call_later(self.action_quit)
