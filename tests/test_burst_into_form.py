"""A burst of keys into the reflection form (a text expander typing name, Tab, role, Tab,
both answers) lands where it was meant, is written once after its last key, and leaves
the footer showing the keys of the field it ended in.

The keys are posted to the app all at once, as Textual's input thread hands over what
it read in one go; bench/burst.py times the same burst in a real terminal.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Footer

from mhtui.core.clock import FakeClock
from mhtui.store.database.target import Target
from mhtui.ui.app import MHApp
from mhtui.ui.screens.reflection_form import ReflectionForm
from tests.helpers import db_rows, until
from tests.test_reflection import _new_form

ANSWERS = ("Ana Ruiz", "School counselor", "A private room to meet students in",
           "Lunch duty every day, no time for calls")


def _burst(app: MHApp) -> None:
    for n, answer in enumerate(ANSWERS):
        if n:
            app.post_message(events.Key("tab", "\t"))
        for char in answer:
            app.post_message(events.Key("space" if char == " " else char, char))


def _stored(form: ReflectionForm) -> tuple[Any, ...]:
    (row,) = db_rows(form.mh.target, "SELECT version, author_name, role_name, "
                     "support_needed, barriers FROM reflection WHERE id = ?",
                     form.reflection_id)
    return tuple(row)


def _footer_keys(form: ReflectionForm) -> list[str]:
    return [str(getattr(key, "description", "")) for key in form.query_one(Footer).children]


async def test_a_bursts_tabs_write_the_draft_once_after_its_last_key(
    demo_target: Target, clock: FakeClock
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(200, 50)) as pilot:
        form = await _new_form(pilot)
        version = _stored(form)[0]
        _burst(app)
        await until(pilot, lambda: _stored(form)[1:] == ANSWERS, "the burst written")
        # Leaving three fields wrote once, with every key: not once per Tab, between
        # keys (each write, on the screen's thread, held the next key back).
        assert _stored(form) == (version + 1, *ANSWERS)


async def test_the_footer_shows_its_keys_again_after_a_burst(
    demo_target: Target, clock: FakeClock
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(200, 50)) as pilot:
        form = await _new_form(pilot)
        _burst(app)
        app.post_message(events.Key("tab", "\t"))  # on to the kind of role
        await until(pilot, lambda: app.focused is form.query_one("#r-kind"),
                    "the burst handled")
        # The footer waits out the burst (not redrawn at every Tab in it), then shows
        # the keys of the field the burst ended in.
        await until(pilot, lambda: "Save" in _footer_keys(form), "the footer's keys")
        assert "Remove row" in _footer_keys(form)
