"""The tracker driven by keys, checked on screen and in the database."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import col, select
from textual.pilot import Pilot

from mhtui.core.clock import FakeClock
from mhtui.core.statuses import Status
from mhtui.store.actions import actions
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target
from mhtui.store.demo import demo
from mhtui.store.models import Action, ActionEvent, Team
from mhtui.ui.app import MHApp
from mhtui.ui.screens.action_form import ActionForm
from mhtui.ui.screens.confirm import ConfirmScreen
from mhtui.ui.screens.since import SinceScreen
from mhtui.ui.screens.tracker import FILTER_PAUSE, TrackerScreen
from tests.helpers import palette_offers, table_rows, text_of, until

LUNCH = "Take the social workers off lunch duty"


def _db_action(db: Database, startswith: str) -> Action:
    with db.read() as session:
        action = session.exec(
            select(Action).where(col(Action.text).startswith(startswith))
        ).one()
    return action


async def _open_tracker(pilot: Pilot[None], size: tuple[int, int] = (200, 50)) -> TrackerScreen:
    await pilot.pause()
    await pilot.press("t")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, TrackerScreen)
    return screen


async def _select(pilot: Pilot[None], screen: TrackerScreen, startswith: str) -> None:
    rows = table_rows(pilot.app)
    index = next(i for i, r in enumerate(rows) if any(c.startswith(startswith[:15]) for c in r))
    screen.table.move_cursor(row=index)
    await pilot.pause()


@pytest.mark.parametrize("status", list(Status))
async def test_number_keys_set_each_status(demo_target: Target, clock: FakeClock,
                                           open_db: Callable[[Target], Database],
                                           status: Status) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await _open_tracker(pilot)
        await _select(pilot, screen, LUNCH)
        await pilot.press(status.key)
        await pilot.pause()
        row = next(r for r in table_rows(app) if r[2].startswith(LUNCH[:20]))
        assert f"{status.symbol} {status.value}" in row
        assert str(status.value) in text_of(app, "#tracker-detail")
    saved = _db_action(open_db(demo_target), LUNCH)
    assert saved.status == status.value
    if status is not Status.IN_PROGRESS:  # the lunch action starts in progress
        with open_db(demo_target).read() as session:
            last = session.exec(select(ActionEvent).where(ActionEvent.action_id == saved.id)
                                .order_by(col(ActionEvent.id).desc())).first()
        assert last is not None and last.new_value == status.value


async def test_completed_row_stays_in_the_open_view_until_the_view_changes(
    demo_target: Target, clock: FakeClock
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await _open_tracker(pilot)
        assert "view: open" in text_of(app, "#tracker-bar")
        before = len(table_rows(app))
        await _select(pilot, screen, LUNCH)
        await pilot.press("5")
        await pilot.pause()
        assert len(table_rows(app)) == before
        await pilot.press("f", "f", "f", "f")  # round the four views back to open
        await pilot.pause()
        assert "view: open" in text_of(app, "#tracker-bar")
        assert len(table_rows(app)) == before - 1


async def test_views_cycle_open_overdue_soon_all(demo_target: Target, clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(200, 50)) as pilot:
        await _open_tracker(pilot)
        seen = {}
        for _ in range(4):
            bar = text_of(app, "#tracker-bar")
            seen[bar.split("·")[0].strip()] = table_rows(app)
            await pilot.press("f")
            await pilot.pause()
        assert len(seen["view: open"]) == 9
        overdue = seen["view: overdue"]
        assert len(overdue) == 3 and all("! overdue by" in r[6] for r in overdue)
        soon = seen["view: due in the next 14 days"]
        assert sorted(r[6] for r in soon) == ["due in 10 days", "due in 6 days"]
        assert len(seen["view: all"]) == 12


async def test_sort_cycles_and_filter_narrows(demo_target: Target, clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(200, 50)) as pilot:
        await _open_tracker(pilot)
        await pilot.press("o")  # status
        await pilot.pause()
        assert "sort: status" in text_of(app, "#tracker-bar")
        statuses = [r[3] for r in table_rows(app)]
        assert statuses == sorted(statuses, key=lambda s: [st.value for st in Status].index(
            s.split(" ", 1)[1]))
        await pilot.press("o")  # owner
        await pilot.pause()
        owners = [r[4] for r in table_rows(app)]
        named = [o for o in owners if o != "—"]
        assert named == sorted(named, key=str.lower) and owners[-1] == "—"
        await pilot.press("slash", *"grace")
        # The filter is read in a worker once the typing pauses.
        await pilot.pause(FILTER_PAUSE * 2)
        await app.workers.wait_for_complete()
        await pilot.pause()
        rows = table_rows(app)
        assert rows and all(r[4] == "Grace Kim" for r in rows)
        assert "filter: “grace”" in text_of(app, "#tracker-bar")
        await pilot.press("escape")
        await pilot.pause()
        assert len(table_rows(app)) == 9
        assert isinstance(app.screen, TrackerScreen)


async def test_new_action_by_keys_validates_then_saves(
    demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database]
) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_tracker(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ActionForm)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "what will be done" in text_of(app, "#form-text-error")
        await pilot.press(*"Book the east wing room", "tab", *"Ana", "tab", *"31/31/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ActionForm)
        assert "not a real date" in text_of(app, "#form-due-error")
        assert _count(open_db(demo_target)) == 12  # nothing saved yet
        for _ in range(10):
            await pilot.press("backspace")
        await pilot.press(*"+2w", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TrackerScreen)
        assert "Saved: new action" in text_of(app, "#tracker-status")
    saved = _db_action(open_db(demo_target), "Book the east wing room")
    assert saved.owner == "Ana" and saved.due_on is not None
    assert (saved.due_on - saved.created_on).days == 14


def _count(db: Database) -> int:
    """Live actions of the demo's school the tracker shows (the demo has others too)."""
    with db.read() as session:
        team = session.exec(select(Team).where(Team.name == demo.DEMO_TEAM)).one()
        return len(session.exec(select(Action).where(
            col(Action.deleted_at).is_(None), Action.team_id == team.id)).all())


async def test_edit_by_enter_records_history(demo_target: Target, clock: FakeClock,
                                             open_db: Callable[[Target], Database]) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await _open_tracker(pilot)
        await _select(pilot, screen, LUNCH)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ActionForm)
        await pilot.press("tab", "ctrl+a", "ctrl+k", *"Ana Ruiz", "tab", "ctrl+a", "ctrl+k",
                          *"5/19/2027", "ctrl+s")
        await pilot.pause()
        detail = text_of(app, "#tracker-detail")
        assert "owner: John Smith → Ana Ruiz" in detail
        assert "due:" in detail and "→ 2027-05-19" in detail
        lines = detail.splitlines()
        history = lines[lines.index("History") + 1:]
        assert history[0].endswith("created")  # oldest first
    saved = _db_action(open_db(demo_target), LUNCH)
    assert saved.owner == "Ana Ruiz" and str(saved.due_on) == "2027-05-19"


async def test_undo_and_redo_step_by_step(demo_target: Target, clock: FakeClock,
                                          open_db: Callable[[Target], Database]) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await _open_tracker(pilot)
        await _select(pilot, screen, LUNCH)
        await pilot.press("3", "5")  # two status changes
        await pilot.press("n", *"Temporary action", "ctrl+s")  # a create
        await pilot.pause()
        await _select(pilot, screen, "Temporary action")
        await pilot.press("delete", "y")  # a delete
        await pilot.pause()
        db = open_db(demo_target)
        assert _count(db) == 12
        await pilot.press("u")  # undo delete
        await pilot.pause()
        assert _count(db) == 13
        await pilot.press("u")  # undo create
        await pilot.pause()
        assert _count(db) == 12
        await pilot.press("u")  # undo completed
        await pilot.pause()
        assert _db_action(db, LUNCH).status == Status.BLOCKED.value
        await pilot.press("u", "u")  # undo blocked; then nothing left
        await pilot.pause()
        assert _db_action(db, LUNCH).status == Status.IN_PROGRESS.value
        assert "Nothing to undo" in text_of(app, "#tracker-status")
        await pilot.press("ctrl+r", "ctrl+r")
        await pilot.pause()
        assert _db_action(db, LUNCH).status == Status.COMPLETED.value
        await pilot.press("ctrl+r")  # redo the create
        await pilot.pause()
        assert _count(db) == 13


async def test_delete_asks_first(demo_target: Target, clock: FakeClock,
                                 open_db: Callable[[Target], Database]) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await _open_tracker(pilot)
        await _select(pilot, screen, LUNCH)
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert _count(open_db(demo_target)) == 12
        await pilot.press("delete", "y")
        await pilot.pause()
        assert _count(open_db(demo_target)) == 11
        assert not any(LUNCH[:20] in r[2] for r in table_rows(app))


async def test_two_copies_conflict_shows_the_newer_value(
    demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database]
) -> None:
    projector = MHApp(demo_target, clock=clock)
    async with projector.run_test(size=(200, 50)) as pilot:
        screen = await _open_tracker(pilot)
        await _select(pilot, screen, LUNCH)
        # The second window (another copy of the app) completes the action meanwhile.
        other = open_db(demo_target)
        stale = _db_action(other, LUNCH)
        assert stale.id is not None
        actions.set_status(other, stale.id, stale.version, Status.COMPLETED, clock)
        await pilot.press("3")
        await pilot.pause()
        message = text_of(projector, "#tracker-status")
        assert "Changed elsewhere" in message and "Now: completed" in message
        row = next(r for r in table_rows(projector) if r[2].startswith(LUNCH[:20]))
        assert "✔ completed" in row  # the screen now shows the newer value
    assert _db_action(open_db(demo_target), LUNCH).status == Status.COMPLETED.value


async def test_since_last_checkin_lists_changes(demo_target: Target, clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await _open_tracker(pilot)
        await _select(pilot, screen, LUNCH)
        await pilot.press("5")
        await pilot.press("l")
        await app.workers.wait_for_complete()  # the first page is read in a worker
        await pilot.pause()
        await app.workers.wait_for_complete()  # and the screen counts in another
        await pilot.pause()
        assert isinstance(app.screen, SinceScreen)
        body = text_of(app, "#since-body")
        assert "New actions (2)" in body  # the two made after the last check-in
        # The demo's own history since then, plus the completion just made.
        assert "Status changes (2)" in body
        assert "Completed (2)" in body and "Newly overdue (3)" in body
        changes = [row[1] for row in table_rows(app, "#since-table")]
        assert "in progress → completed" in changes
        assert "was due 2026-11-22, still open" in changes
        assert len(changes) == 9


async def test_long_unicode_and_multiline_text_keep_the_layout(
    demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database]
) -> None:
    text = "Ask 👩‍🏫 staff\tabout ün\nicode " + "x" * 10_000
    db = open_db(demo_target)
    team = _db_action(db, LUNCH).team_id
    actions.create(db, team, actions.Fields(text=text, owner="Zoë\nO'Brien"), clock)
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_tracker(pilot)
        rows = table_rows(app)
        long_row = next(r for r in rows if r[1].startswith("Ask 👩"))
        assert "\n" not in "".join(long_row) and "\t" not in "".join(long_row)
        assert long_row[1].endswith("…")
    assert _db_action(db, "Ask 👩").text == text


async def test_sort_and_view_from_the_palette(demo_target: Target, clock: FakeClock) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(200, 50)) as pilot:
        await _open_tracker(pilot)
        await pilot.press("ctrl+p", *"sort: by owner")
        await palette_offers(pilot, "sort: by owner")
        await pilot.press("enter")  # the list is read again in a worker: wait for it
        await until(pilot, lambda: "sort: owner" in text_of(app, "#tracker-bar"), "the sort")
        await pilot.press("ctrl+p", *"view: overdue")
        await palette_offers(pilot, "view: overdue")
        await pilot.press("enter")
        await until(pilot, lambda: "view: overdue" in text_of(app, "#tracker-bar")
                    and len(table_rows(app)) == 3, "the overdue view")


async def test_an_action_set_in_a_check_in_is_selected_when_the_tracker_opens(
        demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database]) -> None:
    """The next status key in the tracker changes the action just set in the plans item,
    not whichever row happened to be selected before."""
    from tests.test_checkin import start_checkin

    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_checkin(pilot)
        await pilot.press("n", "n", "a", *"Borrow the library annex", "tab", *"Ana",
                          "ctrl+s")
        await pilot.pause()
        await pilot.press("escape", "escape")
        await pilot.pause()
        app.go("tracker")
        await pilot.pause()
        await pilot.press("2")  # written in a thread the key's handler awaits
        db = open_db(demo_target)
        await until(pilot, lambda: _db_action(db, "Borrow the library annex").status
                    == Status.IN_PROGRESS.value, "the status written")


@pytest.mark.parametrize("keys", [("slash", "g"), ("l",)], ids=["filter", "since"])
async def test_a_read_that_fails_in_its_worker_is_said_in_one_line(
        demo_target: Target, clock: FakeClock, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], keys: tuple[str, ...]) -> None:
    """The filter and the changes since the last check-in read in workers; a database
    that fails under them ends the app with the one line any failed read gives."""
    import asyncio
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from mhtui.store.actions import action_list

    def fail(*_args: object, **_kwargs: object) -> None:
        error = sqlite3.OperationalError("disk I/O error")
        error.sqlite_errorcode = 10
        raise OperationalError("SELECT", {}, error)

    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(200, 50)) as pilot:
        await _open_tracker(pilot)
        monkeypatch.setattr(action_list, "page", fail)
        monkeypatch.setattr(action_list, "since_summary", fail)
        await pilot.press(*keys)
        for _ in range(100):
            await asyncio.sleep(0.05)
            if app.return_code is not None:
                break
    assert app.return_code == 2
    said = " ".join(capsys.readouterr().err.split())
    assert said.startswith("mhtui: The database could not be used: the disk reported an "
                           "I/O error") and "Traceback" not in said


async def test_a_filter_that_hides_every_row_says_so_not_press_n(
        demo_target: Target, clock: FakeClock) -> None:
    """A filter matching nothing said "No action selected. Press n to add one.", as if the
    team had no actions; it names the filter and how to clear it."""
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_tracker(pilot)
        await pilot.press("slash", *"[b]zz")
        await pilot.pause(FILTER_PAUSE * 2)
        await app.workers.wait_for_complete()
        await pilot.press("enter")
        await pilot.pause()
        assert table_rows(app) == []
        said = " ".join(text_of(app, "#tracker-detail").split())
        assert said == ("No action in the view open matches “[b]zz”. / then Esc clears the "
                        "filter; f changes the view.")
        await pilot.press("slash", "escape")  # as it says
        await pilot.pause()
        assert len(table_rows(app)) == 9
        assert "No action" not in text_of(app, "#tracker-detail")
