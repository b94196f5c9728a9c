"""The command line as a whole: --db and --demo on either side of the command, a help
line for every argument, and shell completion made from the same parser."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from mhtui.cli import build_parser, main
from mhtui.store.database.target import Target
from tests.helpers import db_arg


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _parsers(sub)


@pytest.mark.parametrize("args", [
    ["--demo", "actions", "list", "--format", "json"],
    ["actions", "list", "--format", "json", "--demo"],
    ["actions", "--demo", "list", "--format", "json"],
], ids=["before", "after", "between"])
def test_demo_before_or_after_the_command(args: list[str],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 0
    rows = json.loads(capsys.readouterr().out)
    assert any(r["owner"] == "John Smith" for r in rows)  # the demo team's actions


@pytest.mark.parametrize("where", ["before", "after"])
def test_db_before_or_after_the_command(where: str, demo_target: Target,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", db_arg(demo_target)]
    assert main([*db, "info"] if where == "before" else ["info", *db]) == 0
    out = capsys.readouterr().out
    assert f"database: {demo_target.label}" in out
    assert "active team: Lincoln High School" in out


def test_db_given_before_is_kept_by_a_command_without_one(
        demo_target: Target, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "grid.csv"
    assert main(["--db", db_arg(demo_target), "export", "grid", "--out", str(out)]) == 0
    assert "Lincoln" not in capsys.readouterr().out
    assert out.read_text(encoding="utf-8").count("\n") > 5


def test_every_argument_and_command_has_a_help_line() -> None:
    missing = []
    for parser in _parsers(build_parser()):
        for action in parser._actions:
            if not action.help or action.help == argparse.SUPPRESS:
                missing.append(f"{parser.prog}: {'/'.join(action.option_strings) or action.dest}")
            if isinstance(action, argparse._SubParsersAction):
                described = {c.dest for c in action._choices_actions if c.help}
                missing += [f"{parser.prog} {name}" for name in action.choices
                            if name not in described]
    assert missing == []


def test_db_and_demo_are_on_every_command() -> None:
    for parser in _parsers(build_parser()):
        if parser.prog.endswith(" completion"):
            continue
        options = {o for a in parser._actions for o in a.option_strings}
        assert {"--db", "--demo"} <= options, parser.prog


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_script_from_the_parser(shell: str, private_dirs: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", shell]) == 0
    script = capsys.readouterr().out
    for word in ("actions", "export", "reflections", "restore", "dry-run", "demo", "overdue",
                 "completion"):
        assert word in script
    assert not (private_dirs / "data").exists()  # no database was opened or made


def test_completion_for_another_shell_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["completion", "cmd.exe"])
    assert exit_.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
