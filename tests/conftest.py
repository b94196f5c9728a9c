"""Shared fixtures. Every test runs with its own home, data and config folders, so no
test can read or write the developer's real mhtui database or settings.

``--backend sqlite`` (the default) or ``--backend postgresql`` picks the database every
test gets from ``empty_target``, ``demo_target`` and ``make_target``: a file in the
test's folder, or a database of its own on the run's throwaway PostgreSQL (tests/pg.py),
copied from a template made once per worker. ``python3 dev.py test`` runs both. A test
about the SQLite file itself is marked ``@pytest.mark.sqlite_only("why")`` and skipped,
with that reason, on PostgreSQL.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy.engine import make_url

from mhtui.core.clock import TEST_CLOCK_SHIFT, FakeClock
from mhtui.store.database import opening
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target, from_path
from mhtui.store.demo import demo

if TYPE_CHECKING:
    from bench.terminal import Terminal
    from tests.pg import PgServer, Templates

BACKENDS = ("sqlite", "postgresql")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--backend", choices=BACKENDS, default="sqlite",
                     help="the database the tests run on: an SQLite file per test "
                          "(default) or a PostgreSQL database per test on a throwaway "
                          "server started from the pgserver wheel")
    parser.addoption("--clock-ahead", type=int, default=0, metavar="DAYS",
                     help="move the real clock DAYS days ahead in the tests marked "
                          "real_clock (SystemClock there, and every mhtui they start): finds "
                          "a test that types a date the app compares with today")


def pytest_configure(config: pytest.Config) -> None:
    global _ON_POSTGRESQL
    _ON_POSTGRESQL = config.getoption("--backend") == "postgresql"
    config.addinivalue_line(
        "markers", "sqlite_only(why): a test about the SQLite file itself; skipped, with "
                   "its reason, when the suite runs with --backend postgresql")
    config.addinivalue_line(
        "markers", "real_clock: runs mhtui on the computer's clock (a pseudo-terminal or a "
                   "command); in the PostgreSQL pass of `python3 dev.py test` with its clock "
                   "a year ahead (--clock-ahead). Given to every test that uses in_terminal")
    # Unset for the run, so a shell's stray value never moves a test's clock; a
    # real_clock test gets --clock-ahead's value from clock_ahead below.
    os.environ.pop(TEST_CLOCK_SHIFT, None)


def pytest_report_header(config: pytest.Config) -> str:
    return f"mhtui backend: {config.getoption('--backend')}"


@pytest.hookimpl(tryfirst=True)  # marked before -m picks the tests by their marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "in_terminal" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.real_clock)
    if config.getoption("--backend") != "postgresql":
        return
    ahead = bool(config.getoption("--clock-ahead"))
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            assert marker.args, f"{item.nodeid}: sqlite_only needs a reason"
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {marker.args[0]}"))
        elif not (BACKEND_FIXTURES.intersection(getattr(item, "fixturenames", ()))
                  or (ahead and item.get_closest_marker("real_clock"))):
            # It would do on PostgreSQL exactly what it did on SQLite: once is enough
            # (unless its clock is moved, which the SQLite pass does not do).
            item.add_marker(pytest.mark.skip(reason="reaches no database the backend "
                                                    "picks: run on SQLite only"))


# The fixtures through which a test reaches the database --backend picks (directly or
# through another fixture: pytest lists every fixture a test uses, however deep).
BACKEND_FIXTURES = frozenset({"make_target", "template_target", "module_demo_target",
                              "pg_server", "pg_templates", "pg_empty_url", "pg_tools"})


def on_postgresql(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--backend") == "postgresql")


_ON_POSTGRESQL = False  # this run's --backend, set by pytest_configure before any import


def ui_examples(n: int) -> int:
    """max_examples for a property whose examples mostly drive the screens: all n on
    SQLite; a third (at least 2) on PostgreSQL, where only the SQL under the screens
    differs. Derandomized, so the PostgreSQL pass runs a fixed set; every @example runs
    on both."""
    return max(2, n // 3) if _ON_POSTGRESQL else n


@pytest.fixture
def pg_tools(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """On PostgreSQL: its client tools (pg_dump, pg_restore) from the pgserver wheel first
    on the PATH, for a test that means `mhtui backup` or `restore` to run them; the same
    version as the test server (a system pg_dump may be older and refuse it). Nothing on
    SQLite."""
    if on_postgresql(request):
        import pgserver

        tools = Path(pgserver.__file__).parent / "pginstall" / "bin"
        monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ.get('PATH', '')}")


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state")):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.delenv("MHTUI_DB", raising=False)
    # Dates on screen depend on the zone; pin it so snapshots match on any machine.
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield home
    time.tzset()


@pytest.fixture(autouse=True)
def clock_ahead(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """With --clock-ahead, a real_clock test's SystemClock and every mhtui it starts (a
    subprocess inherits os.environ) run that many days ahead; set before the test's other
    fixtures (autouse first), so one building data for "today" sees the moved day too.
    Every other test keeps the computer's clock."""
    days = request.config.getoption("--clock-ahead")
    if days and request.node.get_closest_marker("real_clock"):
        monkeypatch.setenv(TEST_CLOCK_SHIFT, str(days))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


MakeTarget = Callable[..., Target]  # (name="mhtui.db", *, demo=False, clock=None, copy_of=None)


@pytest.fixture
def make_target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MakeTarget]:
    """New databases for one test, ready to open: empty (the newest schema), or with
    the demo data when ``demo=True`` (laid out by ``clock``, the FakeClock's start
    unless given). On SQLite a file ``name`` in the test's folder (a name with a "/"
    makes its folders; a name taken already gets a number), the demo data copied from
    one file built per worker (``build=True``: built in the file); on PostgreSQL a
    database of its own, copied from the worker's template, dropped after the test.
    ``copy_of``: a copy of that database instead (one from ``template_target``). Call it
    as often as needed (once per Hypothesis example, say)."""
    made: list[str] = []
    templates: Templates | None = (request.getfixturevalue("pg_templates")
                                   if on_postgresql(request) else None)

    def _make(name: str = "mhtui.db", *, demo: bool = False,
              clock: FakeClock | None = None, build: bool = False,
              copy_of: Target | None = None) -> Target:
        built_by = clock or FakeClock()
        copy_demo = demo and built_by.now() == FakeClock().now()
        if templates is not None:
            copied = templates.demo if copy_demo else templates.empty
            if copy_of is not None:
                copied = str(make_url(copy_of.url).database)
            database = templates.server.new_database(template=copied)
            made.append(database)
            target = Target(given=templates.server.url(database), path=None)
        else:
            path = tmp_path / name
            for number in range(2, 10_000):
                if not path.exists():
                    break
                path = path.with_name(f"{Path(name).stem}-{number}{Path(name).suffix}")
            path.parent.mkdir(parents=True, exist_ok=True)
            target = from_path(path)
            copy_demo = copy_demo and not build
            if copy_demo or copy_of is not None:
                import shutil

                shutil.copy(copy_of.path if copy_of is not None and copy_of.path else
                            request.getfixturevalue("sqlite_demo_template"), path)
                return target
            opening.prepare(target)
        if demo and not copy_demo:
            _build_demo(target, built_by)
        return target

    yield _make
    if templates is not None:
        for database in made:
            templates.server.drop_database(database)


@pytest.fixture(scope="session")
def sqlite_demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This worker's demo file (built with the FakeClock's start), copied by make_target."""
    target = from_path(tmp_path_factory.mktemp("template") / "demo.db")
    opening.prepare(target)
    _build_demo(target, FakeClock())
    assert target.path is not None
    return target.path


def _build_demo(target: Target, clock: FakeClock) -> None:
    db = opening.connect(target)
    try:
        demo.build(db, clock)
    finally:
        db.close()


TemplateTarget = Callable[[str, Callable[[Target], Any]], tuple[Target, Any]]


@pytest.fixture(scope="session")
def template_target(request: pytest.FixtureRequest,
                    tmp_path_factory: pytest.TempPathFactory) -> Iterator[TemplateTarget]:
    """A database built once per worker by ``build(target)`` (what it returns is kept
    with it), under ``name``; tests copy it with ``make_target(copy_of=...)``."""
    built: dict[str, tuple[Target, Any]] = {}
    databases: list[str] = []
    templates: Templates | None = (request.getfixturevalue("pg_templates")
                                   if on_postgresql(request) else None)

    def _get(name: str, build: Callable[[Target], Any]) -> tuple[Target, Any]:
        if name not in built:
            if templates is not None:
                database = templates.server.new_database(template=templates.empty)
                databases.append(database)
                target = Target(given=templates.server.url(database), path=None)
            else:
                target = from_path(tmp_path_factory.mktemp("template") / f"{name}.db")
                opening.prepare(target)
            built[name] = (target, build(target))
        return built[name]

    yield _get
    if templates is not None:
        for database in databases:
            templates.server.drop_database(database)


@pytest.fixture(scope="module")
def module_demo_target(request: pytest.FixtureRequest,
                       tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    """The demo data (FakeClock's start) shared by the tests of one module, for those
    that only add rows of their own (a search fuzz, say): a file or a database."""
    if on_postgresql(request):
        templates: Templates = request.getfixturevalue("pg_templates")
        database = templates.server.new_database(template=templates.demo)
        yield Target(given=templates.server.url(database), path=None)
        templates.server.drop_database(database)
        return
    target = from_path(tmp_path_factory.mktemp("shared") / "demo.db")
    opening.prepare(target)
    _build_demo(target, FakeClock())
    yield target


@pytest.fixture
def empty_target(make_target: MakeTarget) -> Target:
    return make_target("mhtui.db")


@pytest.fixture
def demo_target(make_target: MakeTarget, clock: FakeClock) -> Target:
    # Built for each test on SQLite, as a user's file is; copied from the template on
    # PostgreSQL (building it each time would make the run much slower).
    return make_target("demo.db", demo=True, clock=clock, build=True)


@pytest.fixture
def open_db() -> Iterator[Callable[[Target], Database]]:
    opened: list[Database] = []

    def _open(target: Target) -> Database:
        db = opening.connect(target)
        opened.append(db)
        return db

    yield _open
    for db in opened:
        db.close()


# (target, size=(120, 40), command=("-m", "mhtui"), args=("--db", target) unless given)
InTerminal = Callable[..., "Terminal"]


@pytest.fixture
def in_terminal() -> Iterator[InTerminal]:
    """Start the real app on a database in a pseudo-terminal (120x40 unless a size is
    given), once its dashboard shows the figures: keys typed from then on are handled
    (one that needs the database opens it, if the background opening has not); every
    one started is killed afterwards."""
    import os
    import sys

    from bench.terminal import Terminal
    from tests.helpers import db_arg

    root = Path(__file__).resolve().parent.parent
    running: list[Terminal] = []

    def _start(target: Target | None, size: tuple[int, int] = (120, 40),
               command: tuple[str, ...] = ("-m", "mhtui"),
               args: tuple[str, ...] | None = None) -> Terminal:
        # Not COLUMNS and LINES: pytest-xdist sets them (80x24) in its workers, and the
        # app would take its size from them instead of the terminal's, even on a resize.
        env = {**{k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")},
               "TERM": "xterm-256color", "LANG": "C.UTF-8"}
        if args is None:
            assert target is not None
            args = ("--db", db_arg(target))
        term = Terminal([sys.executable, *command, *args], env, size, cwd=str(root))
        running.append(term)
        term.wait_for("on record")
        return term

    yield _start
    for term in running:
        if term.proc.poll() is None:
            term.kill()


@pytest.fixture(scope="session")
def pg_server(testrun_uid: str) -> PgServer:
    """The run's throwaway PostgreSQL (tests/pg.py), shared by every xdist worker.

    Its data folder is named by the run (pytest-xdist's testrun_uid, the same in every
    worker), not kept under pytest's numbered temporary folders: other pytest runs on
    the machine delete all but the newest three of those, a running server's too. The
    last worker to let go stops the server and deletes the folder."""
    import tempfile

    from tests.pg import PgServer

    return PgServer(Path(tempfile.gettempdir()) / f"mhtui-pg-{testrun_uid[:16]}")


@pytest.fixture(scope="session")
def pg_templates(pg_server: PgServer) -> Iterator[Templates]:
    """This worker's two template databases on the run's server: the newest schema, and
    the demo data on it (built once with the FakeClock's start); each test copies one."""
    from tests.pg import Templates

    empty = pg_server.new_database()
    pg_server.build_schema(pg_server.url(empty))
    demo_copy = pg_server.new_database(template=empty)
    _build_demo(Target(given=pg_server.url(demo_copy), path=None), FakeClock())
    yield Templates(pg_server, empty, demo_copy)
    pg_server.drop_database(demo_copy)
    pg_server.drop_database(empty)


@pytest.fixture
def pg_empty_url(pg_server: PgServer) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database (no mhtui schema), dropped after."""
    name = pg_server.new_database()
    yield pg_server.url(name)
    pg_server.drop_database(name)
