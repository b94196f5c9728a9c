"""The export from an SQLite file without the ORM (store/actions/export_fast.py) writes the very
bytes the ORM's path writes (csv_actions.stream_csv / stream_json), whatever the text;
and `mhtui export actions` takes that path without importing SQLAlchemy."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mhtui.cli import main
from mhtui.core.clock import FakeClock
from mhtui.core.csv_actions import stream_csv, stream_json
from mhtui.store.actions import action_io, actions, export_fast
from mhtui.store.database import opening
from mhtui.store.database.target import Target
from mhtui.store.grid import grid, shift_plans
from tests.helpers import db_arg

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.sqlite_only(
    "the export's fast path reads an SQLite file with sqlite3, before the ORM loads; a "
    "server's export takes the ORM path (test_action_files, test_actions_cli)")

HOSTILE = [
    "=SUM(A1:A9)", "+1", "-2", "@cmd", "\tTabbed", "\rreturn", "'quoted", '"double" "quotes"',
    "[b]bold[/b] [red]", "emoji 🙂👩‍👩‍👧 ok", "שלום עולם", "ÉLODIE Ñúñez", "line\nbreak\r\nCRLF",
    "control \x00\x01\x1b[31m codes", "back\\slash", "x" * 20_000, "", "  spaces  ", "Zoë",
]


def _orm(target: Target, fmt: str) -> str:
    db = opening.connect(target)
    try:
        out = io.StringIO()
        (stream_csv if fmt == "csv" else stream_json)(action_io.export_rows(db, 1), out)
        return out.getvalue()
    finally:
        db.close()


def _fast(target: Target, fmt: str) -> str:
    assert target.path is not None
    out = io.StringIO()
    (export_fast.write_csv if fmt == "csv" else export_fast.write_json)(target.path, 1, out)
    return out.getvalue()


def _put(target: Target, text: str, owner: str, due: str | None) -> None:
    """An action holding exactly this text (straight into the file: no tidying)."""
    assert target.path is not None
    conn = sqlite3.connect(target.path)
    try:
        with conn:
            conn.execute("UPDATE action SET text = ?, owner = ?, due_on = ? WHERE id = "
                         "(SELECT max(id) FROM action WHERE team_id = 1)", (text, owner, due))
    finally:
        conn.close()


@pytest.fixture
def hostile(demo_target: Target) -> Target:
    """The demo with a shift plan's action and an action for each hostile text."""
    db = opening.connect(demo_target)
    try:
        task = next(t for _, ts in grid.load(db, 1).categories for t in ts if t.to_shift)
        plan = shift_plans.get_or_create(db, task.id, FakeClock())
        shift_plans.make_action(db, 1, plan.id, actions.Fields("Hire a para", "Vice P"),
                                FakeClock())
        for n, text in enumerate(HOSTILE):
            actions.create(db, 1, actions.Fields(f"placeholder {n}", "x"), FakeClock(),
                           created_on=date(2026, 1, 1 + n))
            _put(demo_target, text, HOSTILE[-1 - n], None if n % 2 else "2026-03-04")
    finally:
        db.close()
    return demo_target


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_the_same_bytes_as_the_orm_path(hostile: Target, fmt: str) -> None:
    fast = _fast(hostile, fmt)
    assert fast == _orm(hostile, fmt)
    if fmt == "json":
        items = json.loads(fast)
        assert [i["action"] for i in items if i["action"] in HOSTILE] == HOSTILE
        assert any(i["shift_plan"] for i in items)
    else:
        assert fast.startswith("\ufeffItem creation date,")
        assert "'=SUM(A1:A9)" in fast and "'@cmd" in fast


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=60), owner=st.text(max_size=20),
       plan_task=st.text(max_size=20))
def test_any_text_gives_the_same_bytes(hostile: Target, text: str, owner: str,
                                       plan_task: str) -> None:
    _put(hostile, text, owner, None)
    assert hostile.path is not None
    conn = sqlite3.connect(hostile.path)
    try:
        with conn:  # the plan's task, as it ends up: ": " and spaces at its end too
            conn.execute("UPDATE task SET name = ? WHERE id = (SELECT task_id FROM shiftplan "
                         "LIMIT 1)", (plan_task,))
    finally:
        conn.close()
    for fmt in ("csv", "json"):
        assert _fast(hostile, fmt) == _orm(hostile, fmt)


def test_the_command_takes_the_fast_path_and_other_teams_and_stdout(
        hostile: Target, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "my #1 export 100%?.csv"
    assert main(["--db", db_arg(hostile), "export", "actions", "--out", str(out)]) == 0
    assert out.read_bytes().decode("utf-8") == _orm(hostile, "csv")
    assert "action(s))" in capsys.readouterr().err
    # An unknown team still gets the ORM path's message.
    assert main(["--db", db_arg(hostile), "export", "actions", "--team", "Nope"]) == 2
    assert "No team called 'Nope'" in capsys.readouterr().err
    # No SQLAlchemy imported on the way, to stdout.
    code = ("import sys; from mhtui.cli import main; r = main(sys.argv[1:]); "
            "assert 'sqlalchemy' not in sys.modules, 'ORM imported'; sys.exit(r)")
    done = subprocess.run([sys.executable, "-c", code, "--db", db_arg(hostile), "export",
                           "actions", "--format", "json"], capture_output=True, cwd=ROOT,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8") == _orm(hostile, "json")
