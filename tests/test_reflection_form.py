"""The reflection form's time table (issue 16): fixed task-type labels, Tab through the
shares, a refused submit that is seen at any size, and ASCA guidance by kind of role."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlmodel import col, select
from textual import events
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from mhtui.core.allocation import Row, asca_note, table_problems
from mhtui.core.catalogue import ALLOCATION_TASK_TYPES
from mhtui.core.clock import FakeClock
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target
from mhtui.store.models import AllocationRow
from mhtui.ui.app import MHApp
from mhtui.ui.screens.confirm import ConfirmScreen
from mhtui.ui.screens.help import HelpScreen
from mhtui.ui.screens.prompt import PromptScreen
from mhtui.ui.screens.reflection_form import ReflectionForm
from mhtui.ui.widgets.allocation_table import AllocationRowView, AllocationTable
from tests.conftest import MakeTarget, ui_examples
from tests.helpers import text_of, the_new_reflection


async def _new_form(pilot: Pilot[None]) -> ReflectionForm:
    await pilot.pause()
    await pilot.press("r", "n")
    await pilot.pause()
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, ReflectionForm)
    return form


def _where(app: MHApp) -> str:
    """The focused field, as "#id" or "row N <column>"."""
    focused = app.focused
    assert focused is not None
    view = next((a for a in focused.ancestors if isinstance(a, AllocationRowView)), None)
    if view is None:
        return f"#{focused.id}"
    rows = list(app.screen.query(AllocationRowView))
    column = next(c for c in ("alloc-ideal", "alloc-current", "alloc-actions")
                  if focused.has_class(c))
    return f"row {rows.index(view)} {column}"


def _rows(db: Database) -> list[AllocationRow]:
    with db.read() as session:
        newest = the_new_reflection(db)
        return list(session.exec(select(AllocationRow)
                                 .where(AllocationRow.reflection_id == newest.id)
                                 .order_by(col(AllocationRow.position))))


def _visible(app: MHApp, widget: Widget) -> bool:
    return widget in app.screen._compositor.visible_widgets


async def test_task_types_are_labels_and_tab_goes_ideal_now_actions(
    demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database]
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _new_form(pilot)
        labels = [str(s.render()) for s in form.query(".alloc-type").results(Static)]
        assert labels == list(ALLOCATION_TASK_TYPES)  # in full, not cut
        assert not list(form.query(".alloc-type").results(Input))
        form.query_one("#r-barriers").focus()
        await pilot.pause()
        seen = []
        for _ in range(6):
            await pilot.press("tab")
            seen.append(_where(app))
        assert seen == ["#r-kind", "row 0 alloc-ideal", "row 0 alloc-current",
                        "row 0 alloc-actions", "row 1 alloc-ideal", "row 1 alloc-current"]
        # Keys typed on the way (digits, a slip) land in shares, never in a task type.
        await pilot.press("5", "shift+tab", "shift+tab", *"al health", "tab", "tab")
        await pilot.press("ctrl+s")
        await pilot.pause()
    rows = _rows(open_db(demo_target))
    assert [r.task_type for r in rows] == list(ALLOCATION_TASK_TYPES)
    assert (rows[1].ideal, rows[1].current, rows[0].actions) == ("", "5", "al health")


async def test_renaming_and_adding_a_row_are_keys_of_their_own(
    demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database]
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _new_form(pilot)
        last = list(form.query(AllocationRowView))[-1]
        last.query_one(".alloc-ideal", Input).focus()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert app.screen.query_one(Input).value == "Other"
        await pilot.press(*["backspace"] * 5, *"Lunch supervision", "enter")
        await pilot.pause()
        assert str(last.query_one(".alloc-type", Static).render()) == "Lunch supervision"
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press(*"Hall duty  [b]", "enter")
        await pilot.pause()
        assert _where(app) == "row 8 alloc-ideal"  # the new row, ready for its share
        await pilot.press("1", "0", "ctrl+s")
        await pilot.pause()
    rows = _rows(open_db(demo_target))
    assert [r.task_type for r in rows][-2:] == ["Lunch supervision", "Hall duty [b]"]
    assert rows[-1].ideal == "10"


async def test_a_refused_submit_is_seen_at_80x24_and_a_fixed_value_clears_it(
    demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database]
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _new_form(pilot)
        views = list(form.query(AllocationRowView))
        shares = [("10", "5"), ("40", "25"), ("20", "20"), ("10", "15"), ("10", "abc"),
                  ("10", "10"), ("0", "20"), ("0", "0")]
        for view, (ideal, now) in zip(views, shares, strict=True):
            view.query_one(".alloc-ideal", Input).value = ideal
            view.query_one(".alloc-current", Input).value = now
        form.query_one("#r-name").focus()  # the top of the form: the table is out of view
        await pilot.pause()
        bad = views[4].query_one(".alloc-current", Input)
        assert not _visible(app, bad)
        await pilot.press("f5")
        await pilot.pause()
        await pilot.pause()
        said = ("Not submitted yet. Row 'Teacher and school staff support and training', "
                "column now: 'abc' is not a percentage")
        assert text_of(app, "#r-submit-error").startswith(said)
        assert any(str(n.message).startswith(said) for n in app._notifications)
        assert app.focused is bad and _visible(app, bad)  # moved to it, on screen
        await pilot.press(*["backspace"] * 3, "5")
        await pilot.pause()
        assert text_of(app, "#r-submit-error") == ""  # fixed: the message is gone
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert form.state == "submitted"


async def test_a_column_short_of_100_moves_to_its_first_empty_cell(
    demo_target: Target, clock: FakeClock
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _new_form(pilot)
        views = list(form.query(AllocationRowView))
        for view in views[:6]:
            view.query_one(".alloc-ideal", Input).value = "10"
        form.query_one("#r-name").focus()
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        assert text_of(app, "#r-submit-error") == (
            "Not submitted yet. The ideal column adds up to 60%, not 100%. (1 more after it)")
        assert app.focused is views[6].query_one(".alloc-ideal", Input)
        assert _visible(app, views[6])


async def test_help_states_the_rule_for_empty_columns(demo_target: Target,
                                                      clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(200, 50)) as pilot:
        await _new_form(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(text_of(app, "#help-about").split())
        assert "leave every ideal and now cell empty to skip it" in shown
        assert "an empty cell counting as 0" in shown
    # And it is the rule the form applies.
    assert table_problems([Row("A", "", ""), Row("B", "", "")]) == []
    assert [p.text for p in table_problems([Row("A", "100", ""), Row("B", "", "")])] == [
        "The now column adds up to 0%, not 100%."]


async def test_asca_guidance_follows_the_kind_chosen_not_the_words(
    demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database]
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _new_form(pilot)
        await pilot.press("tab", *"Counselor")  # no "school" in it
        views = list(form.query(AllocationRowView))
        for index, ideal, now in ((0, "10", "5"), (1, "70", "45"), (6, "20", "50")):
            views[index].query_one(".alloc-ideal", Input).value = ideal
            views[index].query_one(".alloc-current", Input).value = now
        await pilot.pause()
        assert text_of(app, "#alloc-asca") == ""  # no kind chosen yet
        form.query_one("#r-kind", Select).focus()
        await pilot.press("enter", "down", "enter")  # school counselor
        await pilot.pause()
        assert ("50% now on services to students, 30 points below ASCA's 80%"
                in text_of(app, "#alloc-asca"))
        form.query_one("#r-kind", Select).value = "other"
        await pilot.pause()
        assert text_of(app, "#alloc-asca") == ""
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert the_new_reflection(open_db(demo_target)).role_kind == "other"
    rows = [Row("Assessment", "", "85"), Row("Non-counseling duties", "", "15")]
    assert "85% now on services to students, at or above ASCA's 80%; 15% now on " \
           "non-counseling duties" in asca_note(rows, "school counselor")
    assert asca_note(rows, "school psychologist") == ""


# --- hostile text in the table's cells ------------------------------------------------

HOSTILE = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["[b]x", "[/b]", "[@click=app.quit]9", "12,5 %", "٣٠", "שלום 50",
                     "👩‍🏫 25", "É\x1b[31m40", "\x00\x07", "1e2", "-5", "100.0000001"]),
    st.just("7" * 20_000),
)


@settings(max_examples=ui_examples(6), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ideal=HOSTILE, now=HOSTILE, actions=HOSTILE)
@example(ideal="[/b]", now="7" * 20_000, actions="[@click=app.quit]")
def test_any_text_in_the_cells_is_kept_and_a_refusal_names_its_cell(
    make_target: MakeTarget, ideal: str, now: str, actions: str
) -> None:
    target = make_target("demo.db", demo=True)

    async def run() -> None:
        app = MHApp(target, clock=FakeClock())
        async with app.run_test(size=(80, 24)) as pilot:
            form = await _new_form(pilot)
            view = list(form.query(AllocationRowView))[2]
            for selector, text in ((".alloc-ideal", ideal), (".alloc-current", now),
                                   (".alloc-actions", actions)):
                view.query_one(selector, Input).focus()
                await pilot.pause()
                app.post_message(events.Paste(text))
                await pilot.pause()
            typed = view.value()
            problems = table_problems(form.query_one(AllocationTable).rows())
            await pilot.press("f5")
            await pilot.pause()
            if problems:
                message = text_of(app, "#r-submit-error")
                assert message.startswith("Not submitted yet.")
                first = problems[0]
                if first.row is not None:
                    assert f"Row '{ALLOCATION_TASK_TYPES[first.row]}', column " \
                           f"{first.column}:" in message
                    assert app.focused is not None and _visible(app, app.focused)
            else:
                assert isinstance(app.screen, ConfirmScreen)
                await pilot.press("n")  # the confirmation: not now
                await pilot.pause()
            assert app.is_running and app.screen is form
            assert view.value() == typed  # the cells keep what was pasted
            assert typed.task_type == ALLOCATION_TASK_TYPES[2]

    asyncio.run(run())
