"""Importing reflection files: all or nothing across every file given, each file checked
whole against the format (a pydantic model) before anything is written, depth and size
bounded, memory bounded for the largest file accepted; and a fuzz of the importer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from mhtui.cli import main
from mhtui.core.clock import FakeClock
from mhtui.store.database import opening
from mhtui.store.database.target import Target
from mhtui.store.reflections import reflection_io
from mhtui.store.reflections.reflection_io import MAX_FILE_BYTES, MAX_ROWS, ReflectionFileError
from tests.helpers import db_arg, db_rows

ROOT = Path(__file__).resolve().parent.parent
DROP = object()


def _valid(uid: str = "5c1e7a52-0d1e-4c55-9a3e-2b7d9f0c1a11") -> dict[str, Any]:
    return {
        "format": "mhtui-reflection", "version": 1, "uid": uid,
        "reflected_on": "2026-11-20", "author_name": "Ana Ruiz", "role": "Counselor",
        "support_needed": "Coverage on Fridays", "barriers": "Lunch duty",
        "submitted_at": "2026-11-20T17:05:00+01:00",
        "allocation": [
            {"task_type": "Assessment", "ideal": "60", "current": "50", "actions": ""},
            {"task_type": "Lunch duty", "ideal": "40", "current": "50", "actions": "Ask"},
        ],
    }


def _changed(**changes: Any) -> dict[str, Any]:
    data = _valid("0a0a0a0a-bad0-4bad-8bad-0a0a0a0a0a0a")
    for key, value in changes.items():
        if value is DROP:
            del data[key]
        else:
            data[key] = value
    return data


def _rows(*shares: tuple[str, str]) -> list[dict[str, str]]:
    return [{"task_type": f"Task {n}", "ideal": ideal, "current": current, "actions": ""}
            for n, (ideal, current) in enumerate(shares)]


def _write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _count(target: Target) -> int:
    return int(str(db_rows(target, "SELECT count(*) FROM reflection")[0][0]))


BAD = {
    "a time without an offset": (_changed(submitted_at="2026-11-20T17:05:00"),
                                 "submitted_at: a time without its offset"),
    "no author_name key": (_changed(author_name=DROP), "author_name: missing"),
    "a uid with a control code": (_changed(uid="0a0a\x1b[2J0a"), "uid: not a reflection's id"),
    "a percentage 'abc'": (_changed(allocation=_rows(("abc", "50"), ("40", "50"))),
                           "'abc' is not a percentage"),
    "a column adding to 110": (_changed(allocation=_rows(("70", "50"), ("40", "50"))),
                               "The ideal column adds up to 110%"),
    "a number as text": (_changed(role=5), "role: Input should be a valid string"),
    "a key not in the format": (_changed(mood="fine"), "mood: not part of a reflection file"),
    "a date that is not one": (_changed(reflected_on="2026-02-30"), "reflected_on"),
    "too many rows": (_changed(allocation=_rows(*[("1", "1")] * 100, ("0", "0"))),
                      "more parts than one can"),
}


@pytest.mark.parametrize("bad", list(BAD))
def test_one_bad_file_among_good_ones_imports_nothing_and_is_named(
    tmp_path: Path, empty_target: Target, capsys: pytest.CaptureFixture[str], bad: str
) -> None:
    data, says = BAD[bad]
    good = _write(tmp_path / "good.json", _valid())
    other = _write(tmp_path / "other good.json", _valid("7d6e5f4a-1111-4222-8333-444455556666"))
    broken = _write(tmp_path / "broken.json", data)
    code = main(["--db", db_arg(empty_target), "import", "reflections", str(good),
                 str(other), str(broken)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert str(broken) in err and says in err and "nothing was imported" in err
    assert _count(empty_target) == 0  # the good files were not written either


def test_good_files_go_in_together_once(tmp_path: Path, empty_target: Target,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(_write(tmp_path / f"{n}.json", _valid(f"00000000-0000-4000-8000-00000000000{n}")))
             for n in range(3)]
    db = ["--db", db_arg(empty_target), "import", "reflections"]
    assert main([*db, *files, files[0]]) == 0  # the same file twice counts once
    assert "imported 3 reflections" in capsys.readouterr().out
    assert main([*db, *files]) == 0
    assert "imported 0 reflections" in capsys.readouterr().out
    assert _count(empty_target) == 3


def test_a_write_that_fails_half_way_keeps_none_of_the_files(
    tmp_path: Path, empty_target: Target, capsys: pytest.CaptureFixture[str]
) -> None:
    if empty_target.path is not None:
        db_rows(empty_target, "CREATE TRIGGER refuse_second BEFORE INSERT ON reflection WHEN "
                "NEW.uid LIKE '%second%' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END")
    else:
        db_rows(empty_target, "CREATE FUNCTION refuse_second() RETURNS trigger AS $$ BEGIN "
                "IF NEW.uid LIKE '%second%' THEN RAISE EXCEPTION 'disk I/O error'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql")
        db_rows(empty_target, "CREATE TRIGGER refuse_second BEFORE INSERT ON reflection_rows "
                "FOR EACH ROW EXECUTE FUNCTION refuse_second()")
    first = _write(tmp_path / "first.json", _valid("first-0001"))
    second = _write(tmp_path / "second.json", _valid("second-0002"))
    code = main(["--db", db_arg(empty_target), "import", "reflections", str(first),
                 str(second)])
    err = capsys.readouterr().err
    assert code in (1, 2) and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert _count(empty_target) == 0


@pytest.mark.parametrize("raw", [
    b"[" * 200_000 + b"]" * 200_000,
    b'{"a":' * 200_000 + b"1" + b"}" * 200_000,
    b'{"format": "mhtui-reflection", "allocation": [[[[[[]]]]]]}',
], ids=["200,000 lists deep", "200,000 objects deep", "six deep"])
def test_deep_nesting_is_refused_without_recursion(tmp_path: Path, empty_target: Target,
                                                   capsys: pytest.CaptureFixture[str],
                                                   raw: bytes) -> None:
    path = tmp_path / "deep.json"
    path.write_bytes(raw)
    assert main(["--db", db_arg(empty_target), "import", "reflections", str(path)]) == 1
    err = capsys.readouterr().err
    assert "nested deeper" in err and "Traceback" not in err and "Recursion" not in err


def _largest(uid: str) -> dict[str, Any]:
    """As big as the format allows: MAX_ROWS rows, long texts, just under the size limit."""
    shares = [("1", "1")] * MAX_ROWS
    data = _changed(uid=uid, allocation=_rows(*shares))
    data["barriers"] = "Barrière 🚧 " * 30_000
    for row in data["allocation"]:
        row["actions"] = "Ask for cover; " * 200
    room = MAX_FILE_BYTES - len(json.dumps(data, ensure_ascii=False).encode())
    data["support_needed"] = "é" * (room // 2 - 100)  # two bytes each in UTF-8
    size = len(json.dumps(data, ensure_ascii=False).encode())
    assert MAX_FILE_BYTES - 1000 < size <= MAX_FILE_BYTES
    return data


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_largest_file_accepted_imports_in_bounded_memory(
    tmp_path: Path, demo_target: Target
) -> None:
    path = _write(tmp_path / "largest.json", _largest("big-0001"))
    too_big = tmp_path / "too big.json"
    with too_big.open("wb") as handle:  # 21 MB: once took 1.6 GB to refuse
        handle.write(b'{"format": "mhtui-reflection", "barriers": "')
        handle.write(b"x" * 21_000_000)
        handle.write(b'"}')
    probe = ("import sys; from mhtui.cli import main; code = main(sys.argv[1:]); "
             "print(next(line.split()[1] for line in open('/proc/self/status') "
             "if line.startswith('VmHWM'))); sys.exit(code)")
    peaks = {}
    for name, file, code in (("largest", path, 0), ("21 MB", too_big, 1)):
        done = subprocess.run(
            [sys.executable, "-c", probe, "--db", db_arg(demo_target), "import",
             "reflections", str(file)],
            capture_output=True, text=True, cwd=ROOT, env=os.environ, timeout=300)
        assert done.returncode == code, done.stderr
        peaks[name] = int(done.stdout.split()[-1]) / 1024
    assert peaks["largest"] < 200, f"peak memory {peaks['largest']:.0f} MiB"
    assert peaks["21 MB"] < 200, f"peak memory {peaks['21 MB']:.0f} MiB"
    print(f"peak memory (VmHWM): {peaks}")  # shown with -s; kept in the commit message


async def test_the_apps_import_is_all_or_nothing_too(tmp_path: Path, demo_target: Target,
                                                     clock: FakeClock) -> None:
    from mhtui.ui.app import MHApp
    from mhtui.ui.screens.reflection import ReflectionScreen

    before = _count(demo_target)
    good = _write(tmp_path / "good.json", _valid())
    bad = _write(tmp_path / "bad.json", BAD["a column adding to 110"][0])
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReflectionScreen)
        await screen._import_paths([str(good), str(bad)])
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications]
        assert any(str(bad) in m and "110%" in m and "Nothing was imported" in m
                   for m in messages), messages
        await screen._import_paths([str(good)])
        await pilot.pause()
    assert _count(demo_target) == before + 1


# --- fuzz ------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                 max_size=4),
    max_leaves=12)
KEYS = list(_valid())


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A valid file with a few of its keys dropped, changed or added, or its rows'."""
    data = _valid(draw(st.sampled_from(["a-1", "b-2", "5c1e7a52-0d1e-4c55-9a3e-2b7d9f0c1a11"])))
    for _ in range(draw(st.integers(0, 3))):
        rows = data.get("allocation")
        rows = [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []
        where = draw(st.sampled_from(["file", "row"] if rows else ["file"]))
        target = data if where == "file" else draw(st.sampled_from(rows))
        key = draw(st.sampled_from([*target, "extra"]))
        action = draw(st.sampled_from(["drop", "value", "text"]))
        if action == "drop":
            target.pop(key, None)
        elif action == "value":
            target[key] = draw(json_values)
        else:
            target[key] = draw(st.text(max_size=30))
    text = json.dumps(data, ensure_ascii=draw(st.booleans()))
    if draw(st.booleans()):  # and now and then a byte cut or flipped
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(st.text(max_size=3)) + text[cut + 1:]
    return text.encode("utf-8", "surrogatepass")


@st.composite
def any_text(draw: st.DrawFn) -> bytes:
    """A valid file whose free text is anything at all: every one of these is accepted."""
    data = _valid(draw(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,40}", fullmatch=True)))
    for key in ("role", "support_needed", "barriers"):
        data[key] = draw(st.text(max_size=200))
    data["author_name"] = draw(st.none() | st.text(max_size=40))
    for row in data["allocation"]:
        row["task_type"], row["actions"] = draw(st.text(max_size=40)), draw(st.text())
    return json.dumps(data, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(mutated(), any_text(), st.binary(max_size=400),
                 json_values.map(lambda v: json.dumps(v).encode())))
# A key of the file's own with a line break once broke the refusal over two lines.
@example(json.dumps({
    "format": "mhtui-reflection", "version": 3, "uid": "u1", "school": "", "revision": 1,
    "reflected_on": "2026-11-05", "author_name": None, "role": "", "role_kind": "",
    "support_needed": "", "barriers": "", "submitted_at": "2026-11-05T00:00:00+00:00",
    "allocation": [{"task_type": "Assessment", "ideal": "50", "current": "50",
                    "acti\ns": ""}]}).encode())
def test_fuzz_the_importer_refuses_cleanly_or_imports_what_it_read(
    empty_target: Target, raw: bytes
) -> None:
    try:
        parsed = reflection_io.parse(raw)
    except ReflectionFileError as exc:
        assert str(exc) and "\n" not in str(exc)
        event("refused")
        return
    event("accepted")
    # Accepted: what the model holds is exactly what an export would have written.
    assert parsed.submitted_at.tzinfo is not None
    assert parsed.uid.isprintable() and len(parsed.allocation) <= MAX_ROWS
    db = opening.connect(empty_target)
    try:
        from mhtui.store.teams.teams import active_team

        team = active_team(db, FakeClock()).id or 0
        first = reflection_io.import_all(db, team, [parsed], FakeClock())
        again = reflection_io.import_all(db, team, [parsed], FakeClock())
        # A uid met in an earlier example is held already: the same, newer or older.
        assert sum((first.added, first.updated, first.same, first.older)) == 1
        assert (again.added, again.updated, again.same + again.older) == (0, 0, 1)
        from sqlmodel import select

        from mhtui.store.models import Reflection

        with db.read() as session:
            stored = session.exec(select(Reflection).where(Reflection.uid == parsed.uid)).one()
        assert stored.state == "submitted" and stored.reflected_on == parsed.reflected_on
    finally:
        db.close()
