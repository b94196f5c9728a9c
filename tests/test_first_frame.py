"""What the first frame no longer waits for (issue 20): opening the app with no command
reads its options without building the whole command-line parser."""

from __future__ import annotations

import pytest

from mhtui.cli import _app_only, build_parser


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
