"""An action's text or owner of 20,000 characters (people paste long text) is saved,
listed, filtered, sorted and exported whole, on SQLite and on PostgreSQL: no index may
refuse it (revision 0010; on PostgreSQL a btree entry holds at most 2704 bytes)."""

from __future__ import annotations

import csv
import io
import random
import string
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from mhtui.cli import main
from mhtui.core.action_views import Sort
from mhtui.core.clock import FakeClock
from mhtui.store.actions import action_list, actions
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target
from tests.helpers import db_arg

TODAY = date(2026, 3, 2)


def _long(seed: int, head: str) -> str:
    """About 20,000 characters that hardly compress (PostgreSQL compresses an index
    entry before it measures it): random letters, with markup, emoji and RTL text."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyzÉéüß"
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 9)))
             for _ in range(3500)]
    text = f"{head} [/b] 👩‍🏫 نور الهدى " + " ".join(words)
    return text[:19_999] + "z"


LONG_TEXT = _long(1, "Paste")
LONG_OWNER = _long(2, "Owner")


@pytest.fixture
def long_db(demo_target: Target, open_db: Callable[[Target], Database]
            ) -> tuple[Target, Database, int, int]:
    db = open_db(demo_target)
    clock = FakeClock()
    text_id = actions.create(db, 1, actions.Fields(LONG_TEXT, owner="Ana",
                                                   due_on=date(2026, 3, 20)), clock).id
    owner_id = actions.create(db, 1, actions.Fields("Call the district", owner=LONG_OWNER,
                                                    due_on=date(2026, 3, 21)), clock).id
    return demo_target, db, text_id, owner_id


def _all(db: Database, query: action_list.Query) -> list[actions.ActionItem]:
    return action_list.matching(db, query, TODAY)


def test_a_long_text_and_owner_are_saved_and_listed_whole(
        long_db: tuple[Target, Database, int, int]) -> None:
    _, db, text_id, owner_id = long_db
    assert len(LONG_TEXT) == len(LONG_OWNER) == 20_000
    rows = {a.id: a for a in _all(db, action_list.Query(team_id=1))}
    assert rows[text_id].text == LONG_TEXT and rows[text_id].owner == "Ana"
    assert rows[owner_id].owner == LONG_OWNER
    where = action_list.position(db, action_list.Query(team_id=1), TODAY, text_id)
    assert where is not None
    page = action_list.page(db, action_list.Query(team_id=1), TODAY, offset=where)
    assert LONG_TEXT in {a.text for a in page.rows}  # the tracker's page that holds it


def test_a_long_text_and_owner_are_found_by_the_filter(
        long_db: tuple[Target, Database, int, int]) -> None:
    _, db, text_id, owner_id = long_db
    last_word = LONG_TEXT.split()[-2]  # deep in the text, past any prefix
    found = _all(db, action_list.Query(team_id=1, text=f"paste {last_word}"))
    assert [a.id for a in found] == [text_id]
    by_owner = _all(db, action_list.Query(team_id=1, owner=LONG_OWNER.upper()))
    assert [a.id for a in by_owner] == [owner_id]
    assert [a.id for a in _all(db, action_list.Query(team_id=1, text="نور"))] == [
        text_id, owner_id]


def test_a_long_owner_takes_its_place_in_the_owner_sort(
        long_db: tuple[Target, Database, int, int]) -> None:
    _, db, _text_id, owner_id = long_db
    rows = _all(db, action_list.Query(team_id=1, sort=Sort.OWNER))
    owners = [a.owner for a in rows]
    named = [o for o in owners if o]
    assert LONG_OWNER in named and owners[:len(named)] == named  # the unowned last
    # A-Z as both backends compare: ASCII letters in either case alike, the rest by code
    # point; "Owner …" of 20,000 characters among the others.
    ascii_lower = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
    assert named == sorted(named, key=lambda o: o.translate(ascii_lower))
    page = action_list.page(db, action_list.Query(team_id=1, sort=Sort.OWNER), TODAY)
    assert [a.owner for a in page.rows] == owners[:len(page.rows)]
    where = action_list.position(db, action_list.Query(team_id=1, sort=Sort.OWNER), TODAY,
                                 owner_id)
    assert where == [a.id for a in rows].index(owner_id)


def test_a_long_text_and_owner_are_exported_whole(
        long_db: tuple[Target, Database, int, int], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    target, db, _, _ = long_db
    db.close()
    out = tmp_path / "actions.csv"
    assert main(["--db", db_arg(target), "export", "actions", "--out", str(out)]) == 0
    capsys.readouterr()
    records = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    cells = {c for r in records[1:] for c in r}
    assert LONG_TEXT in cells and LONG_OWNER in cells
