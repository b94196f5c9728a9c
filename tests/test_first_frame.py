"""What the first frame no longer waits for (issue 20): opening the app with no command
reads its options without building the whole command-line parser, and no garbage
collection walks what is being set up until the store is open."""

from __future__ import annotations

import gc

import pytest

from mhtui.cli import _app_only, build_parser
from mhtui.core.clock import FakeClock
from mhtui.store.database.target import Target
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


async def test_collection_is_on_again_and_what_the_app_holds_frozen_once_the_store_is_open(
    demo_target: Target, clock: FakeClock
) -> None:
    """launch.run_app turns the garbage collector off before importing Textual; once the
    store is open, what the app holds is frozen (full passes no longer walk it) and
    collection is on again. Let go when the app closes, so an app a test made leaves
    the other tests' objects collectable."""
    assert gc.get_freeze_count() == 0
    gc.disable()
    try:
        app = MHApp(demo_target, clock=clock)
        async with app.run_test(size=(80, 24)) as pilot:
            await background_done(pilot)
            assert app.db_is_open
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0
        assert gc.get_freeze_count() == 0
    finally:
        gc.enable()
