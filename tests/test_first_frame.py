"""What the first frame no longer waits for (issue 20): opening the app with no command
reads its options without building the whole command-line parser; once the database is
open, the garbage collector no longer walks what the app holds."""

from __future__ import annotations

import gc

import pytest

from mhtui.cli import _app_only, build_parser
from mhtui.core.clock import FakeClock
from mhtui.store.target import Target
from mhtui.ui.app import MHApp
from tests.helpers import background_done


@pytest.mark.parametrize("argv", [
    [], ["--db", "x.db"], ["--db=x.db"], ["--demo"], ["--demo", "--db", "y.db"],
    ["--db", "postgresql+psycopg://ann@/district?host=/tmp"], ["--db", "Zoë [/b] 🚌.db"],
])
def test_the_app_is_opened_with_what_the_parser_would_read(argv: list[str]) -> None:
    quick = _app_only(argv)
    full = build_parser().parse_args(argv)
    assert quick is not None
    assert (quick.db, quick.demo, quick.command) == (full.db, full.demo, full.command)
    assert getattr(full, "handler", None) is None  # no command: the app


@pytest.mark.parametrize("argv", [
    ["info"], ["--db"], ["--db", "-x"], ["--db="], ["--db", ""], ["--dem"], ["--version"],
    ["--db", "a", "--db", "b"], ["--demo", "--demo"], ["-h"], ["--db", "x", "export"],
])
def test_anything_else_goes_to_the_parser(argv: list[str]) -> None:
    assert _app_only(argv) is None


async def test_what_the_app_holds_is_frozen_once_the_store_is_open(
    demo_target: Target, clock: FakeClock
) -> None:
    """One gc.freeze() once the store is open: the garbage collector's full passes no
    longer walk the app's long-lived objects. Let go when the app closes, so an app a
    test made leaves the other tests' objects collectable."""
    assert gc.get_freeze_count() == 0
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await background_done(pilot)
        assert app.db_is_open
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
