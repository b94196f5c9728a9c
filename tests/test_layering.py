"""store/ and core/ never import textual; `mhtui --help` imports neither textual nor
the ORM. Checked in a fresh interpreter, where sys.modules tells the truth."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import mhtui
from mhtui.store.database.target import Target
from tests.helpers import db_arg

PACKAGE = Path(mhtui.__file__).parent


def _modules(folder: str) -> list[str]:
    # Alembic's env.py and revisions are scripts it runs by path, not modules to import
    # (their source is still checked for textual below).
    scripts = PACKAGE / "store" / "alembic"
    return sorted(
        "mhtui." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts)
        for p in (PACKAGE / folder).rglob("*.py")
        if not (p.is_relative_to(scripts / "versions") or p == scripts / "env.py")
    )


def _loaded_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
        capture_output=True, text=True, check=True,
    ).stdout
    return set(out.split())


def test_store_and_core_import_no_textual() -> None:
    modules = _modules("store") + _modules("core")
    assert "mhtui.store.demo.demo" in modules and "mhtui.core.clock" in modules
    loaded = _loaded_after("\n".join(f"import {m}" for m in modules))
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}


def test_store_and_core_sources_never_mention_textual() -> None:
    for folder in ("store", "core"):
        for path in (PACKAGE / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                assert not any(n.split(".")[0] == "textual" for n in names), path


def test_help_imports_neither_textual_nor_the_orm() -> None:
    loaded = _loaded_after(
        "import contextlib, io\nfrom mhtui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])"
    )
    assert "mhtui.cli" in loaded
    assert "textual" not in loaded
    assert "sqlmodel" not in loaded and "sqlalchemy" not in loaded
    assert "shtab" not in loaded  # completion's library: only for `mhtui completion`


@pytest.mark.parametrize("command", [
    ["actions", "list", "--format", "json"],
    ["meetings", "list"],
    ["export", "actions", "--out", "{tmp}/a.csv"],
    ["export", "grid", "--out", "{tmp}/g.csv"],
    ["export", "meeting", "latest", "--out", "{tmp}/m.md"],
    ["export", "reflections", "--out", "{tmp}/r.csv"],
    ["import", "actions", "--dry-run", "{tmp}/in.csv"],
    ["backup", "--out", "{tmp}/copy.db"],
    ["info"],
    ["completion", "zsh"],
], ids=lambda c: "-".join(c[:2]))
def test_commands_load_no_textual(command: list[str], demo_target: Target,
                                  tmp_path: Path, pg_tools: None) -> None:
    (tmp_path / "in.csv").write_text("Action item\nCall the district\n", encoding="utf-8")
    argv = ["--db", db_arg(demo_target), *(a.format(tmp=tmp_path) for a in command)]
    loaded = _loaded_after(
        "import contextlib, io\nfrom mhtui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main({argv!r}) == 0"
    )
    assert "mhtui.cli" in loaded
    assert not {m for m in loaded if m == "textual" or m.startswith(("textual.", "mhtui.ui"))}


def test_nothing_is_created_on_import(tmp_path: Path) -> None:
    home = tmp_path / "h"
    home.mkdir()
    subprocess.run(
        [sys.executable, "-c", "import mhtui.cli, mhtui.store.database.db, mhtui.ui.app"],
        env={"HOME": str(home), "PATH": "/usr/bin:/bin"}, check=True,
    )
    assert list(home.iterdir()) == []


ORM_OR_SQL = ("sqlmodel", "sqlalchemy", "sqlite3")


def _orm_uses(path: Path) -> list[str]:
    """Each import of the ORM, SQL or the tables, and each ``.read()`` / ``.write()``
    called on a database (``db``, ``self.mh.db``, ``app._db``...), with its line."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        banned = [n for n in names if n.split(".")[0] in ORM_OR_SQL
                  or n == "mhtui.store.models" or n.startswith("mhtui.store.models.")]
        if banned and isinstance(node, ast.Import | ast.ImportFrom):
            found.append((node.lineno, f"imports {banned[-1]}"))
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("read", "write")):
            owner = node.func.value
            last = (owner.attr if isinstance(owner, ast.Attribute)
                    else owner.id if isinstance(owner, ast.Name) else "")
            if last.lstrip("_") in ("db", "database"):
                found.append((node.lineno, f"opens a session with .{node.func.attr}()"))
    return [f"line {line}: {what}" for line, what in sorted(found)]


def test_ui_never_imports_the_orm_nor_opens_a_session() -> None:
    """Screens and widgets get read models from store functions and hand changes back
    to them: no sqlmodel, sqlalchemy, sqlite3 or mhtui.store.models, no db.read()."""
    seen = {path.relative_to(PACKAGE).as_posix(): _orm_uses(path)
            for path in sorted((PACKAGE / "ui").rglob("*.py"))}
    assert "ui/app.py" in seen and "ui/widgets/meeting_panels.py" in seen
    assert {name: uses for name, uses in seen.items() if uses} == {}


def test_the_ui_check_finds_what_it_looks_for(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import sqlite3\nfrom sqlmodel import select\nfrom mhtui.store import models\n"
        "from mhtui.store.models import Action\n"
        "def f(self, db, form):\n"
        "    with self.mh.db.read() as s:\n        pass\n"
        "    with db.write() as s:\n        pass\n"
        "    form.read()\n", encoding="utf-8")
    uses = _orm_uses(sample)
    assert [u.split(":")[0] for u in uses] == [
        "line 1", "line 2", "line 3", "line 4", "line 6", "line 8"]


def test_the_ui_starts_no_thread_of_its_own() -> None:
    """Background work (opening the database, the integrity check, the daily backup,
    slow reads, the watch for a closed terminal) runs in Textual workers, whose failures
    the app says in one place."""
    for path in sorted((PACKAGE / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module in ("threading", "_thread"):
                assert "Thread" not in {a.name for a in node.names}, path
            if isinstance(node, ast.Attribute) and node.attr == "Thread":
                assert not (isinstance(node.value, ast.Name)
                            and node.value.id == "threading"), path


def _imports_within(folder: Path) -> dict[str, set[str]]:
    """Each module under ``folder`` and the modules under it that it imports, read with
    ast: at the top, inside a function (a lazy import is still a dependency) or under
    TYPE_CHECKING alike."""
    package = ".".join(folder.parts[-2:])  # mhtui.store
    names = {package + "." + ".".join(p.relative_to(folder).with_suffix("").parts): p
             for p in folder.rglob("*.py")
             if "versions" not in p.parts and p.name not in ("__init__.py", "env.py")}
    graph: dict[str, set[str]] = {}
    for name, path in names.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                found.update(f"{node.module}.{a.name}" for a in node.names)
                found.add(node.module)
        graph[name] = {n for n in found if n in names and n != name}
    return graph


def _circle(graph: dict[str, set[str]]) -> list[str]:
    """One import circle in ``graph`` (its modules in order, the first again at the
    end), or [] when the imports are layered."""
    done: set[str] = set()

    def walk(name: str, path: list[str]) -> list[str]:
        if name in path:
            return [*path[path.index(name):], name]
        if name in done:
            return []
        for imported in sorted(graph[name]):
            circle = walk(imported, [*path, name])
            if circle:
                return circle
        done.add(name)
        return []

    return next((c for c in map(lambda n: walk(n, []), sorted(graph)) if c), [])


@pytest.mark.parametrize(("folder", "module"), [
    ("store", "database.opening"), ("cli", "actions"), ("ui", "screens.base"), ("core", "clock")])
def test_imports_have_no_circle(folder: str, module: str) -> None:
    """The store's infrastructure (db, dbfile, opening, migrate, schema, backups, access),
    the command line, the UI and core are layered: no module imports, even inside a
    function, one that imports it back (issue 26). A lazy import is kept only for speed;
    screens reach the app through ui/app_api.py's protocol, never by importing app.py."""
    graph = _imports_within(PACKAGE / folder)
    assert f"mhtui.{folder}.{module}" in graph
    assert " -> ".join(_circle(graph)) == ""


def test_the_circle_check_finds_a_lazy_one(tmp_path: Path) -> None:
    folder = tmp_path / "mhtui" / "store"
    folder.mkdir(parents=True)
    (folder / "a.py").write_text("from mhtui.store.b import f\n", encoding="utf-8")
    (folder / "b.py").write_text("import mhtui.store.c\ndef f() -> None:\n"
                                 "    from mhtui.store import a\n", encoding="utf-8")
    (folder / "c.py").write_text("import os\n", encoding="utf-8")
    graph = _imports_within(folder)
    assert graph == {"mhtui.store.a": {"mhtui.store.b"},
                     "mhtui.store.b": {"mhtui.store.a", "mhtui.store.c"},
                     "mhtui.store.c": set()}
    assert _circle(graph) == ["mhtui.store.a", "mhtui.store.b", "mhtui.store.a"]
