"""Files in never carry something hidden (issue 24 §2): a database whose schema is not
exactly one mhtui made is refused by name before anything runs on it; a database path
that links to another user's file is refused; the settings file is read only when it is
a small regular file, what of it cannot be used is said in one line, and it is never
rewritten over what the person wrote; a mistyped --db is never shown as an empty school."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from mhtui import settings
from mhtui.atomic import WriteFailed
from mhtui.cli import main
from mhtui.core.clock import FakeClock
from mhtui.paths import settings_path
from mhtui.store.database import connections, dbfile, migrate, opening
from mhtui.store.database.target import Target, from_path
from tests.helpers import db_rows

ROOT = Path(__file__).resolve().parent.parent
FILES = pytest.mark.sqlite_only("an SQLite file handed to --db or restore")
HEAD = migrate.latest_version()

WIPE = ("CREATE TRIGGER wipe AFTER UPDATE OF status ON action BEGIN "
        "DELETE FROM reflection; UPDATE action SET owner = 'MALLORY'; END")


def _one_line(args: list[str], capsys: pytest.CaptureFixture[str], code: int = 2) -> str:
    assert main(args) == code
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mhtui: "), err
    return lines[0]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(path: Path, *statements: str) -> Path:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return path


def _file(target: Target) -> Path:
    assert target.path is not None
    return target.path


# --- a schema exactly as mhtui made it ------------------------------------------------


@FILES
def test_a_planted_trigger_never_runs_the_file_is_refused_by_name(
        demo_target: Target, capsys: pytest.CaptureFixture[str]) -> None:
    path = _run(_file(demo_target), WIPE)
    reflections = db_rows(demo_target, "SELECT count(*) FROM reflection")
    assert reflections[0][0] > 0
    first = db_rows(demo_target, "SELECT min(id) FROM action")[0][0]
    before = _digest(path)
    line = _one_line(["--db", str(path), "actions", "set", str(first), "done"], capsys)
    assert "trigger 'wipe'" in line and "did not make" in line and str(path) in line
    assert _digest(path) == before
    assert db_rows(demo_target, "SELECT count(*) FROM reflection") == reflections
    assert db_rows(demo_target, "SELECT count(*) FROM action WHERE owner = 'MALLORY'") == [(0,)]


@FILES
def test_restore_refuses_a_backup_with_a_planted_trigger(
        demo_target: Target, make_target: object, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    planted = tmp_path / "backup.db"
    planted.write_bytes(_file(demo_target).read_bytes())
    _run(planted, WIPE)
    live = _file(make_target("live.db", demo=True))  # type: ignore[operator]
    before = _digest(live), sorted(p.name for p in tmp_path.rglob("*"))
    line = _one_line(["--db", str(live), "restore", str(planted)], capsys)
    assert "trigger 'wipe'" in line and "restored" in line
    assert (_digest(live), sorted(p.name for p in tmp_path.rglob("*"))) == before


PLANTED = {
    "a view": ("CREATE VIEW everyone AS SELECT owner FROM action", "a view 'everyone'"),
    "a table": ("CREATE TABLE notes (body TEXT)", "a table 'notes'"),
    "a column": ("ALTER TABLE action ADD COLUMN secret TEXT",
                 "a column 'secret' in the table 'action'"),
    "an index": ("CREATE INDEX ix_mine ON action (owner)",
                 "an index 'ix_mine' on the table 'action'"),
    "a trigger on insert": ("CREATE TRIGGER spy AFTER INSERT ON reflection BEGIN "
                            "UPDATE team SET name = 'x'; END",
                            "a trigger 'spy' on the table 'reflection'"),
}


@FILES
@pytest.mark.parametrize("kind", list(PLANTED))
def test_anything_mhtui_did_not_make_is_refused_by_name(
        empty_target: Target, kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    statement, named = PLANTED[kind]
    path = _run(_file(empty_target), statement)
    before = _digest(path)
    line = _one_line(["--db", str(path), "info"], capsys)
    assert f"has {named} that mhtui did not make; not opened" in line
    assert _digest(path) == before
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name)) == [
        path.name]


@FILES
def test_a_table_changed_in_place_and_a_lost_index_are_refused(
        empty_target: Target, capsys: pytest.CaptureFixture[str]) -> None:
    path = _file(empty_target)
    conn = sqlite3.connect(path)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'setting'").fetchone()[0]
    conn.execute("PRAGMA writable_schema = ON")  # the same columns, another definition
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'setting'",
                 (sql.rstrip().removesuffix(")") + ", CHECK (1))",))
    conn.commit()
    conn.close()
    assert "the table 'setting' defined otherwise" in _one_line(
        ["--db", str(path), "info"], capsys)
    other = _run(_file(opening_target(path.parent / "b.db")), "DROP INDEX ix_action_live_due")
    assert "lacks the index 'ix_action_live_due'" in _one_line(
        ["--db", str(other), "info"], capsys)


def opening_target(path: Path) -> Target:
    target = from_path(path)
    opening.prepare(target)
    return target


@FILES
def test_a_genuine_demo_file_opens(demo_target: Target,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(_file(demo_target)), "info"]) == 0
    assert "schema version: " in capsys.readouterr().out


def _old_file(path: Path, version: int, *extra: str) -> Path:
    """A file as an older mhtui left it at ``version`` (the ladder, no Alembic table)."""
    conn = connections.sqlite(path, "migrate")
    for number, script in migrate.steps():
        if number <= version:
            for statement in migrate.statements(script):
                conn.execute(statement)
    for statement in extra:
        conn.execute(statement)
    conn.execute(f"PRAGMA application_id={dbfile.APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version={version}")
    conn.commit()
    conn.close()
    return path


@FILES
@pytest.mark.parametrize("version", range(1, HEAD + 1))
def test_every_genuine_older_version_still_opens_and_upgrades(
        tmp_path: Path, version: int, capsys: pytest.CaptureFixture[str]) -> None:
    path = _old_file(tmp_path / "old.db", version)
    assert main(["--db", str(path), "info"]) == 0
    assert f"schema version: {HEAD:04d}" in capsys.readouterr().out
    assert main(["--db", str(path), "info"]) == 0  # and once upgraded


@FILES
def test_an_older_file_with_a_planted_trigger_is_refused_before_its_upgrade(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _old_file(tmp_path / "old.db", 6,
                     "CREATE TRIGGER wipe AFTER UPDATE ON action BEGIN DELETE FROM team; END")
    before = _digest(path)
    assert "trigger 'wipe'" in _one_line(["--db", str(path), "info"], capsys)
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "old.db"]  # no backup


@FILES
def test_a_current_file_is_checked_without_building_the_schema(
        empty_target: Target, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check on the way to the first frame reads sqlite_master and compares a
    fingerprint: it never runs the migrations in memory (10-20 ms)."""
    def built(version: int) -> None:
        raise AssertionError(f"the schema of version {version} was built")

    monkeypatch.setattr(migrate, "ladder_objects", built)
    monkeypatch.setattr(migrate, "ladder_shape", built)
    migrate.expected_shape.cache_clear()
    assert dbfile.inspect(_file(empty_target), HEAD, thorough=False).version == HEAD


def test_the_fingerprint_of_the_newest_schema_is_what_the_ladder_makes() -> None:
    """After a new migration this fails until `python3 -m mhtui.store.database.schema_files`."""
    from mhtui.store.database import shape_latest

    assert migrate.digest(migrate.ladder_objects(HEAD)) == shape_latest.DIGEST


# --- a link to another user's file -----------------------------------------------------


def _theirs(path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``path`` owned by another user (really, when the tests run as root)."""
    if os.geteuid() == 0:
        os.chown(path, 65534, 65534)
    else:
        me = os.geteuid()
        monkeypatch.setattr(os, "geteuid", lambda: me + 1)
    return path


@FILES
@pytest.mark.parametrize("theirs", ["empty", "a database"])
def test_a_link_to_another_users_file_is_refused_and_the_file_untouched(
        tmp_path: Path, theirs: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    victim = tmp_path / "victim.db"
    if theirs == "empty":
        victim.touch(0o666)
        victim.chmod(0o666)
    else:
        opening_target(victim)
        victim.chmod(0o644)
    _theirs(victim, monkeypatch)
    link = tmp_path / "mine.db"
    link.symlink_to(victim)
    before = _digest(victim), victim.stat()
    line = _one_line(["--db", str(link), "teams", "add", "Mallory"], capsys)
    assert "symbolic link to a file of another user" in line and str(link) in line
    after = victim.stat()
    assert _digest(victim) == before[0]
    assert (after.st_mode, after.st_uid, after.st_size) == (
        before[1].st_mode, before[1].st_uid, before[1].st_size)
    assert not Path(f"{victim}-wal").exists()


@FILES
def test_a_link_to_ones_own_database_still_opens(empty_target: Target, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    link = tmp_path / "link.db"
    link.symlink_to(_file(empty_target))
    assert main(["--db", str(link), "info"]) == 0


# --- the settings file ---------------------------------------------------------------


def _settings(text: str | bytes) -> Path:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode()
    path.write_bytes(text)
    return path


@pytest.mark.parametrize("kind", ["a link to /dev/zero", "a named pipe"])
def test_settings_that_are_no_regular_file_are_ignored_in_one_line(
        kind: str, tmp_path: Path) -> None:
    """In a subprocess with a memory cap and a deadline: the old reading grew without end
    on /dev/zero and waited for ever on a pipe."""
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "a named pipe":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    code = ("import resource; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
            "from mhtui import settings\n"
            "prefs, said = settings.read()\n"
            "print(prefs.theme, said, sep='|')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, cwd=ROOT, env=os.environ)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"None|Settings in {path} ignored: it is not a regular file."
    assert stat.S_ISFIFO(path.lstat().st_mode) or path.is_symlink()


def test_a_settings_file_over_a_megabyte_is_not_read() -> None:
    _settings('{"theme": "projector", "pad": "' + "x" * (1 << 20) + '"}')
    prefs, said = settings.read()
    assert prefs.theme is None and said is not None and "over 1 MB" in said


@pytest.mark.parametrize(("text", "says"), [
    ('{"theme": "projector",', "it is not valid JSON (Expecting property name enclosed in "
                               "double quotes at line 1, column 23)"),
    ("[" * 100_000 + "]" * 100_000, "it nests deeper than 32 levels"),
    ('{"keymap": ' + "[" * 50 + "]" * 50 + "}", "it nests deeper than 32 levels"),
    ('["theme", "projector"]', "it is not a JSON object"),
    (b'{"theme": "\xff"}', "it is not UTF-8 text"),
], ids=["invalid JSON", "nested 100,000 deep", "nested 50 deep", "no object", "no UTF-8"])
def test_unusable_settings_are_one_line_and_never_written_over(
        text: str | bytes, says: str) -> None:
    path = _settings(text)
    before = path.read_bytes()
    prefs, said = settings.read()
    assert prefs == settings.Settings()
    assert said is not None and "\n" not in said
    assert said.startswith(f"Settings in {path} ignored: ") and says in said
    with pytest.raises(WriteFailed) as refused:
        settings.save(theme="projector")
    assert str(path) in str(refused.value) and "left as it is" in str(refused.value)
    assert path.read_bytes() == before


def test_settings_of_the_wrong_kind_are_left_out_by_name_and_kept_in_the_file() -> None:
    path = _settings(json.dumps({"theme": 5, "keymap": {"tracker.new": "i", "app.help": 5},
                                 "told_no_daily_copy": ["a", 1, "b"], "mine": [1, 2]}))
    prefs, said = settings.read()
    assert prefs == settings.Settings(theme=None, keymap={"tracker.new": "i"},
                                      told_no_daily_copy=["a", "b"])
    assert said is not None and "\n" not in said
    for named in ("theme (input should be a valid string)", "keymap 'app.help'",
                  "told_no_daily_copy item 2"):
        assert named in said
    settings.save(told_no_daily_copy=["a", "b", "c"])  # what was not understood stays
    assert json.loads(path.read_text()) == {
        "theme": 5, "keymap": {"tracker.new": "i", "app.help": 5},
        "told_no_daily_copy": ["a", "b", "c"], "mine": [1, 2]}


def test_a_keymap_that_is_not_a_table_or_not_text_is_left_out_by_the_model() -> None:
    settings.save(keymap=["tracker.new", "i"])
    assert settings.read()[0].keymap == {}
    settings.save(keymap={"tracker.new": 5, "app.help": "f1"})
    prefs, said = settings.read()
    assert prefs.keymap == {"app.help": "f1"}
    assert said is not None and "keymap 'tracker.new' (input should be a valid string)" in said


def test_the_app_reads_its_settings_without_loading_pydantic_before_its_first_frame() -> None:
    """pydantic (about 100 ms to import) comes with the ORM, after the first frame."""
    code = ("import sys\nfrom mhtui.ui.app import MHApp\nMHApp()\n"
            "print('pydantic' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, env=os.environ)
    assert done.stdout.strip() == "False", done.stderr


async def test_the_app_says_unusable_settings_and_the_theme_key_does_not_clobber_them(
        demo_target: Target, clock: FakeClock) -> None:
    from mhtui.ui.app import MHApp
    from mhtui.ui.themes import DEFAULT_THEME, PROJECTOR_THEME

    path = _settings('{"theme": "projector", "keymap": {"tracker.new": "i",}}')
    before = path.read_bytes()
    app = MHApp(demo_target, clock=clock, notices=["Created a new database at x."])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        said = [str(n.message) for n in app._notifications]
        assert "Created a new database at x." in said
        about = [line for line in said if str(path) in line]
        assert len(about) == 1 and about[0].startswith(
            f"Settings in {path} ignored: it is not valid JSON (")
        assert app.theme == DEFAULT_THEME
        await pilot.press("f2")
        await pilot.pause()
        assert app.theme == PROJECTOR_THEME  # for this run
        assert any("for now only" in str(n.message) and "left as it is" in str(n.message)
                   for n in app._notifications)
    assert path.read_bytes() == before


# --- a mistyped --db is no empty school ----------------------------------------------

READ_ONLY = [["info"], ["actions", "list"], ["actions", "set", "1", "done"],
             ["export", "actions"], ["export", "grid"], ["export", "reflections"],
             ["export", "trend"], ["export", "meeting", "latest"], ["export", "district"],
             ["meetings", "list"], ["staff", "list"], ["teams", "list"], ["backup"],
             ["invite"], ["db", "current"], ["staff", "remove", "1"],
             ["teams", "rename", "A", "B"]]


@FILES
@pytest.mark.parametrize("command", READ_ONLY, ids=" ".join)
def test_a_command_that_only_reads_refuses_a_missing_file(
        tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "typo.db"
    line = _one_line(["--db", str(path), *command], capsys)
    assert f"there is no database at {path}" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]


@FILES
def test_a_missing_file_in_the_environment_or_the_default_is_refused_too(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MHTUI_DB", str(tmp_path / "typo.db"))
    assert "check the path given to --db or MHTUI_DB" in _one_line(["info"], capsys)
    monkeypatch.delenv("MHTUI_DB")
    assert "there is no database yet at" in _one_line(["export", "actions"], capsys)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["home"]


@FILES
@pytest.mark.parametrize("command", [["teams", "add", "North"],
                                     ["staff", "add", "Ana"], ["db", "upgrade"]],
                         ids=" ".join)
def test_a_command_that_creates_says_so_once(tmp_path: Path, command: list[str],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "new.db"
    assert main(["--db", str(path), *command]) == 0
    err = capsys.readouterr().err
    assert err.count("created a new database") == 1
    assert f"mhtui: created a new database at {path}\n" in err
    assert main(["--db", str(path), "info"]) == 0
    assert "created" not in capsys.readouterr().err


@FILES
def test_an_import_into_a_new_file_says_so(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "a.csv"
    csv.write_text("Action,Owner,Status,Due\nCall the nurse,Ana,not started,\n")
    path = tmp_path / "new.db"
    main(["--db", str(path), "import", "actions", str(csv)])
    assert f"mhtui: created a new database at {path}" in capsys.readouterr().err
    assert path.stat().st_size > 0


@FILES
def test_the_app_on_a_new_file_says_it_made_one(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import mhtui.launch

    told: list[tuple[str, ...]] = []

    def run_app(target: Target, *, notices: tuple[str, ...] = ()) -> int:
        told.append(notices)
        return 0

    monkeypatch.setattr(mhtui.launch, "run_app", run_app)
    path = tmp_path / "new.db"
    assert main(["--db", str(path)]) == 0
    assert main(["--db", str(path)]) == 0
    assert told == [(f"Created a new database at {path}.",), ()]
    assert main([]) == 0  # the default file, on the first start
    assert told[-1][0].startswith("Created a new database at ") and told[-1][0].endswith(
        "mhtui.db.")
