"""Odd input through the forms, typed or pasted as a person would, and odd files.

Whatever is pasted (all of unicode, control codes, NUL, 100,000 characters, right-to-
left text, combining marks, text that looks like markup), nothing crashes and what was
saved reads back as it was shown, less the invisible control codes (core/tidy.py), and
the screens that list it show it as typed.
"""

from __future__ import annotations

import asyncio
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from textual import events
from textual.widget import Widget
from textual.widgets import DataTable, Input, TextArea
from textual.widgets.data_table import ColumnKey

from mhtui.core.allocation import ROLE_KINDS
from mhtui.core.clock import FakeClock
from mhtui.core.tidy import tidy
from mhtui.store.database.target import Target
from mhtui.store.reflections.anonymity import ROLE_NOT_SHOWN
from mhtui.ui.app import MHApp
from mhtui.ui.screens.action_form import ActionForm
from mhtui.ui.screens.reflection_form import ReflectionForm
from mhtui.ui.screens.tracker import TrackerScreen
from mhtui.ui.widgets.text import one_line
from tests.conftest import MakeTarget, ui_examples
from tests.helpers import WRITTEN_HERE, db_rows, table_rows, text_of

ODD = ("\x00\x01\x07\x08\x1b[31m\x7f\x9b\r\n\r\t\u200f\u202e\u2028\ufeff"
       "שלום مرحبا e\u0301\u0327ﷺ𝕏🧑‍🏫")
# Read as markup, each of these would stop the app, colour the text, hide a word or make
# a button: they must show as typed.
MARKUP = ("[/b]", "[red]", "[@click=app.quit]", "[link=x]", "\\[", "[b]", "[/]", "\\",
          "[draft]", "$name")
markup_like = st.lists(st.sampled_from(MARKUP) | st.text(max_size=6), min_size=1,
                       max_size=6).map("".join)
texts = st.one_of(
    st.text(st.characters(codec="utf-8") | st.sampled_from(ODD), max_size=200),
    st.just("long " * 20_000),  # 100,000 characters
    st.sampled_from(["", " ", "\x00", "\r\n", "שלום, need a room", "=cmd|' /C calc'!A0"]),
    markup_like,
)
SETTINGS = settings(max_examples=ui_examples(8), deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


async def _keys(pilot: Any, *keys: str) -> None:
    """Each key, then wait for the app to settle, as a person waits for the screen."""
    await pilot.pause()
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


async def _paste(pilot: Any, widget: Widget, text: str) -> None:
    """As a terminal delivers a paste: one event, to the app, for the focused field."""
    widget.focus()
    await pilot.pause()
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


def _one(target: Target, sql: str) -> tuple[Any, ...]:
    rows = db_rows(target, sql)
    assert rows
    return rows[0]


@SETTINGS
@given(text=texts, owner=texts)
@example(text="Fix [/b] tags in the [draft] plan", owner="[red]Ana")
@example(text="[@click=app.quit]Click \\[b] [link=x]y", owner="Zoë [b]bold \\")
@example(text=ODD, owner="\x00")  # every odd character, on each backend's SQL
def test_any_pasted_text_in_the_action_form(make_target: MakeTarget,
                                            text: str, owner: str) -> None:
    # A copy of the demo data made once per run (building it each time doubled the run).
    target = make_target("demo.db", demo=True)
    before = _one(target, "SELECT count(*) FROM action")[0]

    async def run() -> None:
        app = MHApp(target, clock=FakeClock())
        async with app.run_test(size=(100, 30)) as pilot:
            await _keys(pilot, "t", "n")
            form = app.screen
            assert isinstance(form, ActionForm)
            await _paste(pilot, form.query_one("#form-text", TextArea), text)
            await _paste(pilot, form.query_one("#form-owner", Input), owner)
            await pilot.pause()
            shown_text = form.query_one("#form-text", TextArea).text
            shown_owner = form.query_one("#form-owner", Input).value
            await pilot.press("ctrl+s")
            await pilot.pause()
            count = _one(target, "SELECT count(*) FROM action")[0]
            if not tidy(shown_text).strip():
                assert app.screen is form  # a clear message, the form stays, nothing saved
                assert "what will be done" in str(
                    form.query_one("#form-text-error").render()).lower()
                assert count == before
                return
            assert isinstance(app.screen, TrackerScreen)
            assert count == before + 1
            saved = _one(target, "SELECT text, owner FROM action ORDER BY id DESC")
            assert saved == (tidy(shown_text).strip(), tidy(shown_owner).strip())
            # The new action is the selected row: its panel shows it exactly as saved.
            panel = text_of(app, "#tracker-detail")
            assert panel.startswith(f"{saved[0]}\n")
            assert f"\nOwner   {saved[1] or '(none)'}\n" in panel
            # Read back: the edit form shows exactly what was saved.
            await pilot.press("e")
            await pilot.pause()
            again = app.screen
            assert isinstance(again, ActionForm)
            assert again.query_one("#form-text", TextArea).text == saved[0]
            assert again.query_one("#form-owner", Input).value == saved[1]

    asyncio.run(run())


@SETTINGS
@given(name=texts, role=texts, support=texts, barriers=texts)
@example(name="[red]Ana", role="[link=x]y", support="Fix [/b] tags in the [draft] plan",
         barriers="[@click=app.quit]Click \\[")
@example(name="\x00", role=ODD, support=ODD, barriers="")  # on each backend's SQL
def test_any_pasted_text_in_the_reflection_form(make_target: MakeTarget,
                                                name: str, role: str, support: str,
                                                barriers: str) -> None:
    # A copy of the demo data made once per run (building it each time doubled the run).
    target = make_target("demo.db", demo=True)

    async def run() -> None:
        app = MHApp(target, clock=FakeClock())
        async with app.run_test(size=(100, 40)) as pilot:
            await _keys(pilot, "r", "n")
            form = app.screen
            assert isinstance(form, ReflectionForm)
            for selector, value in (("#r-name", name), ("#r-role", role),
                                    ("#r-support", support), ("#r-barriers", barriers)):
                await _paste(pilot, form.query_one(selector), value)
            await pilot.pause()
            shown = (form.query_one("#r-name", Input).value,
                     form.query_one("#r-role", Input).value,
                     form.query_one("#r-support", TextArea).text,
                     form.query_one("#r-barriers", TextArea).text)
            await pilot.press("ctrl+s")
            await pilot.pause()
            saved = _one(target, "SELECT author_name, role_name, support_needed, "
                         f"barriers FROM reflection WHERE {WRITTEN_HERE}")
            assert saved == (tidy(shown[0]).strip() or None, " ".join(tidy(shown[1]).split()),
                             tidy(shown[2]), tidy(shown[3]))
        # Read back in a new app: the list and the draft show what was saved.
        app = MHApp(target, clock=FakeClock())
        async with app.run_test(size=(100, 40)) as pilot:
            await _keys(pilot, "r")
            _, _, role_cell, name_cell, _, barriers_cell = table_rows(app)[0]
            if saved[0] is None:  # anonymous: its role only as the store's rule shows it
                assert role_cell in {one_line(k, 13) for k in (ROLE_NOT_SHOWN, *ROLE_KINDS)}
            else:
                assert role_cell == (one_line(saved[1], 13) or "—")
            assert name_cell == (one_line(saved[0], 13) if saved[0] else "(anonymous)")
            width = app.screen.query_one(DataTable).columns[ColumnKey("barriers")].width
            assert barriers_cell == (one_line(saved[3], width) or "—")
            await _keys(pilot, "enter")
            form = app.screen
            assert isinstance(form, ReflectionForm)
            assert form.query_one("#r-support", TextArea).text == saved[2]
            assert form.query_one("#r-barriers", TextArea).text == saved[3]
            assert form.query_one("#r-name", Input).value == (saved[0] or "")

    asyncio.run(run())
