"""The tracker's filter and `actions list --owner` beyond ASCII: every word in any order,
any case, with or without accents, in the app and on the command line alike."""

from __future__ import annotations

import random
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mhtui.cli import main
from mhtui.core.clock import FakeClock
from mhtui.core.folding import fold, search_key, words
from mhtui.store.actions import action_list, actions
from mhtui.store.actions.action_list import Query
from mhtui.store.database import opening
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target, from_path
from mhtui.store.models import Action
from tests.helpers import db_arg

TODAY = date(2026, 11, 23)

# Letters people type in names and notes: Latin with accents, Greek, Cyrillic, and
# scripts without case (Arabic, Hebrew, CJK). The dotless ı is left out on purpose:
# its capital is the plain I, whose small letter is i, so no folding can bring the
# capital back to it.
LETTERS = st.characters(
    codec="utf-8",
    categories=("Lu", "Ll", "Lo", "Nd"),
    exclude_characters="ıİ",
).filter(lambda c: ord(c) < 0x3000 or 0x4E00 <= ord(c) < 0x9FFF)
WORD = st.text(LETTERS, min_size=1, max_size=8)


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text)
                   if not unicodedata.combining(c))


@pytest.fixture(scope="module")
def shared_db(module_demo_target: Target) -> Iterator[tuple[Database, int]]:
    db = opening.connect(module_demo_target)
    yield db, 1
    db.close()


def _found(db: Database, team: int, **query: str) -> set[int]:
    page = action_list.page(db, Query(team_id=team, **query), TODAY, limit=1000)  # type: ignore[arg-type]
    return {a.id for a in page.rows}


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text_words=st.lists(WORD, min_size=1, max_size=5), owner=WORD,
       how=st.sampled_from(["upper", "lower", "swapcase", "no accents", "as typed"]),
       seed=st.integers(0, 1000))
def test_every_word_in_any_order_any_case_and_accents(
        shared_db: tuple[Database, int], text_words: list[str], owner: str, how: str,
        seed: int) -> None:
    db, team = shared_db
    made = actions.create(db, team, actions.Fields(" ".join(text_words) + " [/b]",
                                                   owner=owner), FakeClock())
    try:
        changes: dict[str, Callable[[str], str]] = {
            "upper": str.upper, "lower": str.lower, "swapcase": str.swapcase,
            "no accents": _strip_accents, "as typed": str}
        change = changes[how]
        asked = [change(w) for w in [*text_words, owner]]
        random.Random(seed).shuffle(asked)
        assert made.id in _found(db, team, text=" ".join(asked))
        # The owner alone, as `actions list --owner` asks for it.
        assert made.id in _found(db, team, owner=change(owner))
        # A word it does not hold finds nothing of it.
        assert made.id not in _found(db, team, text=" ".join([*asked, "qqxqqzq"]))
    finally:
        with db.write() as session:
            row = session.get(Action, made.id)
            session.delete(row)


@pytest.mark.parametrize(("asked", "found"), [
    ("ZOË", True), ("zoe", True), ("Zoë", True), ("zoë ünal", True), ("ÜNAL zo", True),
    ("para duty", True), ("DUTY PARA", True), ("para zoe duty", True),
    ("para 👩‍🏫", True), ("[brackets]", True), ("[/b]", True), ("100%", True),
    ("zoex", False), ("para dutyx", False), ("_", False), ("%", True),
])
def test_hostile_and_accented_words(shared_db: tuple[Database, int], asked: str,
                                    found: bool) -> None:
    db, team = shared_db
    made = actions.create(db, team, actions.Fields(
        "Move para-professionals off lunch duty 👩‍🏫 [brackets] [/b] 100%",
        owner="Zoë Ünal"), FakeClock())
    try:
        assert (made.id in _found(db, team, text=asked)) is found
    finally:
        with db.write() as session:
            session.delete(session.get(Action, made.id))


def test_folding_itself() -> None:
    assert fold("ZOË") == fold("Zoë") == fold("zoe") == "zoe"
    assert fold("Straße") == fold("STRASSE") == "strasse"
    assert fold("José Álvarez") == "jose alvarez"
    assert fold("ΟΔΥΣΣΕΥΣ") == fold("οδυσσευς") == fold("Οδυσσεύς")
    assert words("  para   DUTY para ") == ["para", "duty"]
    assert search_key("Zoë\nnotes", "Ana") == "zoe\nnotes\nana"


@pytest.mark.sqlite_only("an SQLite file of schema 7, made by the old user_version ladder, "
                         "upgraded in place (the Alembic tests upgrade a server)")
def test_migration_fills_the_folded_column_of_existing_actions(tmp_path: Path) -> None:
    """A database from before the column gets it filled when it is opened."""
    from mhtui.store.database import dbfile, migrate

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for version, script in migrate.steps():
        if version < 8:
            for statement in migrate.statements(script):
                conn.execute(statement)
    conn.execute(
        "INSERT INTO team (id, name, created_at, cadence, meeting_minutes, place, version)"
        " VALUES (1, 'T', '2026-01-01 00:00:00', 'monthly', 60, '', 1)")
    conn.execute(
        "INSERT INTO action (team_id, created_on, text, status, owner, updated_at, version)"
        " VALUES (1, '2026-01-01', 'Ask ZOË about the room', 'not started', 'José Álvarez',"
        " '2026-01-01 00:00:00', 1)")
    conn.execute(f"PRAGMA application_id={dbfile.APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version={max(v for v, _ in migrate.steps() if v < 8)}")
    conn.commit()
    conn.close()
    target = from_path(path)
    opening.prepare(target)
    db = opening.connect(target)
    try:
        assert _found(db, 1, text="zoe ROOM") and _found(db, 1, owner="JOSE ALVAREZ")
    finally:
        db.close()


@pytest.mark.parametrize("asked", ["José Álvarez", "JOSÉ ÁLVAREZ", "josé álvarez",
                                   "Jose Alvarez", "  José Álvarez "])
def test_cli_owner_in_any_case(demo_target: Target, capsys: pytest.CaptureFixture[str],
                               open_db: Callable[[Target], Database], asked: str) -> None:
    db = open_db(demo_target)
    made = actions.create(db, 1, actions.Fields("Call the district office", "José Álvarez"),
                          FakeClock())
    actions.create(db, 1, actions.Fields("Not this one", "José Álvarez-Ruiz"), FakeClock())
    code = main(["--db", db_arg(demo_target), "actions", "list", "--owner", asked,
                 "--format", "json"])
    import json

    rows = json.loads(capsys.readouterr().out)
    assert code == 0 and [r["id"] for r in rows] == [made.id]
    assert rows[0]["owner"] == "José Álvarez"
