"""`mhtui actions list` as a table: it fits the terminal at any width, keeps every column
and every word (wrapped, never cut), and stops after --limit rows saying how many more."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from mhtui.cli import main
from mhtui.cli.table import Column, render_row, widths, wrap
from mhtui.core.clock import FakeClock
from mhtui.store.actions import actions
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target
from tests.helpers import db_arg

HEADERS = ("#", "Created", "Action", "Status", "Owner", "Due")
TEXT = ("Move para-professionals off lunch duty so counselors can meet students [/b] "
        "[red]now 👩‍🏫 نور الهدى Zoë ÉTÉ")
OWNER = "Zoë Ünal-Okonkwo"


def _list(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
          target: Target, width: int, *args: str) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    code = main(["--db", db_arg(target), "actions", "list", *args])
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


@pytest.fixture
def listed(demo_target: Target, open_db: Callable[[Target], Database]) -> Target:
    db = open_db(demo_target)
    actions.create(db, 1, actions.Fields(TEXT, owner=OWNER), FakeClock())
    long = " ".join(f"word{n}" for n in range(3000))  # about 20,000 characters
    actions.create(db, 1, actions.Fields(long, owner="Ana"), FakeClock())
    return demo_target


@pytest.mark.parametrize("width", [30, 50, 68, 80, 100, 132, 200])
def test_every_column_and_word_at_every_width(listed: Target, width: int,
                                              capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    out = _list(capsys, monkeypatch, listed, width, "--limit", "0")
    lines = out.splitlines()
    # Nothing runs past the terminal's edge (the terminal would cut or fold it).
    assert max(cell_len(line) for line in lines) <= width
    tokens = out.split()
    # Every word of the text and the owner is there whole, with its brackets, when its
    # column is wide enough; a longer one is broken after a hyphen ("Ünal-" /
    # "Okonkwo"), or between letters, never shortened.
    for word in (*TEXT.split(), *OWNER.split()):
        if width >= 100 or cell_len(word) <= 7:
            assert word in tokens, word
    table = lines[0].split() == list(HEADERS)
    assert table if width >= 68 else not table
    if table and width < 100:
        assert {"Ünal-", "Okonkwo"} <= set(tokens)
    assert all(f"word{n}" in tokens for n in range(3000))
    if table:  # every column, the header first
        assert set(lines[1]) == {"─", " "}
    else:  # too narrow for the columns: one block per action, every field in it
        assert "created" in tokens and "◔" in tokens
    for status in ("not started", "in progress"):
        assert status in " ".join(tokens)
    assert "not shown" not in out


def test_the_limit_says_how_many_are_not_shown(listed: Target,
                                              capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    out = _list(capsys, monkeypatch, listed, 120, "--limit", "3")
    ids = [line.split()[0] for line in out.splitlines()[2:] if re.match(r" *\d+  ", line)]
    assert len(ids) == 3
    total = len(_list(capsys, monkeypatch, listed, 120, "--format", "json").split('"id"')) - 1
    assert f"… {total - 3:,} more of {total:,} not shown" in out
    # The default shows 200 at most; this team has fewer, so all and no note.
    assert "not shown" not in _list(capsys, monkeypatch, listed, 120)
    monkeypatch.setenv("COLUMNS", "120")
    assert main(["--db", db_arg(listed), "actions", "list", "--limit", "-1"]) == 2
    assert "--limit takes a number" in capsys.readouterr().err


def test_no_match_says_so(listed: Target, capsys: pytest.CaptureFixture[str],
                          monkeypatch: pytest.MonkeyPatch) -> None:
    out = _list(capsys, monkeypatch, listed, 80, "--owner", "nobody at all")
    assert "No actions match." in out


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl",
                                                                       "Zp", "Mn", "Me",
                                                                       "Cf")),
                    max_size=200),
       width=st.integers(1, 60))
def test_wrap_keeps_every_character_within_the_width(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert lines and all(cell_len(line) <= max(width, 2) for line in lines)
    assert "".join("".join(lines).split()) == "".join(text.split())


def test_columns_share_the_room_and_keep_their_least() -> None:
    columns = [Column("#", 3, right=True), Column("Text", 5, share=3),
               Column("Owner", 4, share=1)]
    sizes = widths(columns, 40)
    assert sum(sizes) + 4 == 40 and sizes[0] == 3 and sizes[1] > sizes[2]
    assert widths(columns, 10) == [3, 5, 5]  # too narrow: each at least its header
    row = render_row(["7", "alpha beta gamma", "Zoë"], columns, widths(columns, 20))
    assert row.splitlines()[0].startswith("  7  alpha")
