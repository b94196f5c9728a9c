"""Every command the README shows is run: here, on the demo database of the backend the
pass picks, or (where it needs a server's administrator or the whole suite) by the test
named beside it. A command added to the README with neither fails this file, so the
README cannot show a command nobody ran."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from mhtui.cli import main
from mhtui.store.database.target import Target
from tests.conftest import InTerminal
from tests.helpers import DEMO_REFLECTION, db_arg, db_rows, with_demo_ids

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

# Each command as the README shows it: the command lines that run it here. Words in
# capitals are the README's placeholders; {db}, {tmp}, {id}, {staff} and {reflection}
# are the test's database, folder, and one of its actions, staff and reflections.
# "[a]" and "a|b" are spelled out. File and team names carry what users' do: spaces,
# "#", "?", "%", accents, brackets.
DB = ["--db", "{db}"]
TEAM = ["--team", "Lincoln High School"]
RUN_HERE: dict[str, list[list[str]]] = {
    "mhtui --help": [["--help"]],
    "mhtui info": [[*DB, "info"]],
    "mhtui db current": [[*DB, "db", "current"]],
    "mhtui db upgrade": [[*DB, "db", "upgrade"]],
    "mhtui --db URL db upgrade": [[*DB, "db", "upgrade"]],
    "mhtui meetings list": [[*DB, "meetings", "list"]],
    "mhtui actions list --all-teams": [[*DB, "actions", "list", "--all-teams"]],
    "mhtui actions set ID STATUS": [[*DB, "actions", "set", "{id}", "completed"]],
    "mhtui backup [--out FILE]": [[*DB, "backup"], [*DB, "backup", "--out", "{tmp}/b #1.db"]],
    "mhtui --db URL backup [--out FILE]": [[*DB, "backup", "--out", "{tmp}/server copy"]],
    "mhtui export actions --format csv|json [--out FILE]": [
        [*DB, "export", "actions", "--format", "csv"],
        [*DB, "export", "actions", "--format", "json", "--out", "{tmp}/actions?%.json"],
        [*DB, "export", "actions", "--format", "csv", "--out", "{tmp}/actions.csv"]],
    "mhtui export district [--format csv|json|md] [--days N] [--out FILE]": [
        [*DB, "export", "district"],
        [*DB, "export", "district", "--format", "csv", "--days", "30"],
        [*DB, "export", "district", "--format", "json", "--out", "{tmp}/district.json"],
        [*DB, "export", "district", "--format", "md"]],
    "mhtui export grid --format csv": [
        [*DB, "export", "grid", "--format", "csv", "--out", "{tmp}/grid.csv"]],
    "mhtui export reflections": [[*DB, "export", "reflections"]],
    "mhtui export reflections --format csv|md [--since DATE]": [
        [*DB, "export", "reflections", "--format", "csv"],
        [*DB, "export", "reflections", "--format", "md", "--since", "2000-01-01"]],
    "mhtui export reflection ID": [[*DB, "export", "reflection", "{reflection}"]],
    "mhtui export reflection ID [--out FOLDER|FILE|-]": [
        [*DB, "export", "reflection", "{reflection}", "--out", "-"],
        [*DB, "export", "reflection", "{reflection}", "--out", "{tmp}"],
        [*DB, "export", "reflection", "{reflection}", "--out", "{tmp}/mine.json"]],
    "mhtui import actions FILE.csv [--team NAME] [--dry-run] [--day-first]": [
        [*DB, "import", "actions", "{tmp}/actions.csv", "--dry-run"],
        [*DB, "import", "actions", "{tmp}/actions.csv", *TEAM, "--day-first"]],
    "mhtui import grid FILE.csv [--team NAME] [--dry-run]": [
        [*DB, "import", "grid", "{tmp}/grid.csv", "--dry-run"],
        [*DB, "import", "grid", "{tmp}/grid.csv", *TEAM]],
    "mhtui import reflections FILE...": [[*DB, "import", "reflections", "{tmp}/mine.json"]],
    "mhtui invite [--team NAME] [--out DIR]": [
        [*DB, "invite"], [*DB, "invite", *TEAM, "--out", "{tmp}/invite #2"]],
    "mhtui staff list [--team NAME] [--format table|csv|json]": [
        [*DB, "staff", "list"], [*DB, "staff", "list", *TEAM, "--format", "csv"],
        [*DB, "staff", "list", "--format", "json"], [*DB, "staff", "list", "--format", "table"]],
    "mhtui staff remove ID": [[*DB, "staff", "remove", "{staff}"]],
    "mhtui --db URL import reflections FILE": [
        [*DB, "import", "reflections", "{tmp}/mine.json"]],
    "mhtui actions list --demo": [["actions", "list", "--demo"]],
    "mhtui actions list [--status S] [--overdue] [--owner NAME] [--team NAME | --all-teams] "
    "[--limit N] [--format table|csv|json]": [
        [*DB, "actions", "list"],
        [*DB, "actions", "list", "--status", "blocked", "--overdue", "--owner", "john smith",
         *TEAM, "--limit", "5", "--format", "table"],
        [*DB, "actions", "list", "--all-teams", "--format", "csv"],
        [*DB, "actions", "list", "--format", "json"]],
    "mhtui completion --help": [["completion", "--help"]],
    "mhtui export meeting ID|latest [--format md|txt] [--out FILE]": [
        [*DB, "export", "meeting", "latest"],
        [*DB, "export", "meeting", "{meeting}", "--format", "txt", "--out", "{tmp}/CON.txt"],
        [*DB, "export", "meeting", "latest", "--format", "md"]],
    "mhtui export trend [--team TEAM] --format csv|json|md": [
        [*DB, "export", "trend", "--format", "csv"],
        [*DB, "export", "trend", *TEAM, "--format", "json"],
        [*DB, "export", "trend", "--format", "md"]],
    "mhtui staff add NAME [--role ROLE] [--email EMAIL] [--team NAME]": [
        [*DB, "staff", "add", "نور الهدى"],
        [*DB, "staff", "add", "José Pérez", "--role", "School psychologist", "--email",
         "jose@example.org", *TEAM]],
    "mhtui staff edit ID [--name N] [--role R] [--email E] [--active]": [
        [*DB, "staff", "edit", "{staff}", "--name", "[b]Sam[/b]", "--role", "Counselor",
         "--email", "sam@example.org", "--active"]],
    "mhtui teams list": [[*DB, "teams", "list"]],
    "mhtui teams add NAME": [[*DB, "teams", "add", "Zoë's [new] school"]],
    "mhtui teams rename OLD NEW": [[*DB, "teams", "rename", "Zoë's [new] school", "ÉCOLE Zoë"]],
    "mhtui teams rename": [[*DB, "teams", "rename", "ÉCOLE Zoë", "Zoë's school"]],
    "mhtui completion bash|zsh|fish": [["completion", "bash"], ["completion", "zsh"],
                                        ["completion", "fish"]],
    "mhtui completion bash > ~/.local/share/bash-completion/completions/mhtui": [
        ["completion", "bash"]],
    "mhtui completion fish > ~/.config/fish/completions/mhtui.fish": [["completion", "fish"]],
}
# Commands that open the app: started in a pseudo-terminal, shown, quit.
APP_HERE = {"mhtui --demo": ["--demo"], "mhtui --db PATH": ["--db", "{db}"],
            "python3 dev.py demo": ["--demo"], "mhtui ARGS": ["--db", "{db}"]}
# Run by another test, or by CI itself: where.
ELSEWHERE = {
    "python3 dev.py test": ".ci/run (CI runs exactly this command on a clean clone)",
    "mhtui restore FILE": "tests/test_backups.py",
    "mhtui --db URL restore FILE": "tests/test_pg_backups.py",
    "mhtui admin": "tests/test_fence.py",
    "mhtui --db $OWNER admin grant dee --as district": "tests/test_fence.py",
    'mhtui --db $OWNER admin grant ann --as facilitator --team "Lincoln High"':
        "tests/test_fence.py",
    'mhtui --db $OWNER admin grant sam --as staff --team "Lincoln High"':
        "tests/test_fence.py",
    "mhtui --db $OWNER admin list": "tests/test_fence.py",
    'mhtui --db $OWNER admin revoke ann --team "Lincoln High"': "tests/test_fence.py",
    "mhtui --db postgresql+psycopg://mhtui_owner@db.example.org/district db upgrade":
        "tests/test_fence.py",
}


def shown_commands() -> set[str]:
    """The commands the README shows: `mhtui ...` in a line, and the lines of its shell
    blocks that run mhtui or dev.py (a trailing comment left off)."""
    text = README.read_text(encoding="utf-8")
    shown = {" ".join(found.split()) for found in re.findall(r"`(mhtui\s[^`]*)`", text)}
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if line.startswith(("mhtui ", "python3 dev.py")):
                shown.add(line)
    return shown


def test_every_command_the_readme_shows_is_run_somewhere() -> None:
    covered = set(RUN_HERE) | set(APP_HERE) | set(ELSEWHERE)
    assert sorted(shown_commands() - covered) == []
    assert sorted(covered - shown_commands()) == []  # nothing kept here for a gone command
    for where in ELSEWHERE.values():
        assert (ROOT / where.split()[0]).exists(), where


def _values(target: Target, tmp_path: Path, capsys: pytest.CaptureFixture[str]
            ) -> dict[str, str]:
    db = db_arg(target)
    assert main(["--db", db, "actions", "list", "--format", "json"]) == 0
    action = json.loads(capsys.readouterr().out)[0]["id"]
    assert main(["--db", db, "staff", "list", "--format", "json"]) == 0
    staff = json.loads(capsys.readouterr().out)[-1]["id"]
    reflection = with_demo_ids(target, [DEMO_REFLECTION])[0]
    (meeting,), = db_rows(target, "SELECT max(id) FROM meeting")
    return {"db": db, "tmp": str(tmp_path), "id": str(action), "staff": str(staff),
            "reflection": reflection, "meeting": str(meeting)}


def test_each_command_shown_runs_on_the_demo(demo_target: Target, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch,
                                             pg_tools: None) -> None:
    monkeypatch.chdir(tmp_path)  # where a command with no --out writes its file
    values = _values(demo_target, tmp_path, capsys)
    for shown, lines in RUN_HERE.items():
        for line in lines:
            argv = [word.format(**values) for word in line]
            try:
                code = main(argv)
            except SystemExit as leaving:  # --help, as argparse does it
                code = leaving.code if isinstance(leaving.code, int) else 1
            _out, err = capsys.readouterr()
            assert code == 0, f"{shown}: mhtui {' '.join(argv)} -> {code}: {err}"
            assert "Traceback" not in err


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pseudo-terminals as on Linux")
def test_each_command_that_opens_the_app_opens_it(demo_target: Target,
                                                   in_terminal: InTerminal) -> None:
    for args in {tuple(a.format(db=db_arg(demo_target)) for a in argv)
                 for argv in APP_HERE.values()}:
        term = in_terminal(None, (100, 30), args=args)
        term.press("ctrl+q")
        assert term.proc.wait(timeout=60) == 0, args
