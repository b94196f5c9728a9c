"""A district server beside the laptop file: the same three figures at 100,000 actions,
on SQLite and on PostgreSQL, in the same run: a status key to saved, opening the tracker,
and the action export.

The server is a throwaway PostgreSQL from the pgserver wheel (as in the tests), on this
machine, reached over its Unix socket: no network in the figures. Run alone with
`python3 bench/server.py`.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import exports  # noqa: E402
from bench.build import build, build_server  # noqa: E402
from bench.process import (  # noqa: E402
    FIGURES,
    PACE,
    READ,
    SCREEN,
    SETTLE,
    _open,
    environment,
    p95,
)
from bench.terminal import Terminal  # noqa: E402

ACTIONS = 100_000
RUNS = 3  # app starts for the tracker's opening
PRESSES = 30  # status keys to saved


@dataclass
class Backend:
    name: str
    db: str  # what --db is given
    tracker: list[float] = field(default_factory=list)
    saved: list[float] = field(default_factory=list)
    export_s: float = 0.0
    export_cpu: float = 0.0


def _argv(db: str) -> list[str]:
    return [sys.executable, "-m", "mhtui", "--db", db]


def _opening(home: Path, backend: Backend) -> None:
    term = Terminal(_argv(backend.db), environment(home), SCREEN, cwd=str(ROOT))
    try:
        term.wait_for(FIGURES, timeout=60)
        time.sleep(READ)
        backend.tracker.append(_open(term, "t", "view: open"))
        time.sleep(SETTLE)
        term.quit()
    except BaseException:
        term.kill()
        raise


Watch = tuple[Callable[[], object], Callable[[], None], Callable[[Terminal], None]]


def _watcher(backend: Backend) -> Watch:
    """A way to see, from another connection, that the app's change is committed: the
    file's data_version on SQLite; on the server, the version of the action the keys
    change. The third: the first key, after which the server's is known."""
    if backend.name == "SQLite":
        import sqlite3

        conn = sqlite3.connect(backend.db, isolation_level=None)

        def first_key(term: Terminal) -> None:
            term.press("4")
            time.sleep(1.0)

        return (lambda: conn.execute("PRAGMA data_version").fetchone()), conn.close, first_key
    import psycopg

    from mhtui.store.database.backups import libpq_call

    conninfo, env = libpq_call(backend.db)
    pg = psycopg.connect(conninfo, password=env.get("PGPASSWORD"), autocommit=True)
    chosen: list[int] = []

    def versions() -> dict[int, int]:
        return dict(pg.execute("SELECT id, version FROM action").fetchall())

    def first(term: Terminal) -> None:
        before = versions()
        term.press("4")
        deadline = time.perf_counter() + 20
        while not chosen:
            now = versions()
            chosen.extend(i for i, v in now.items() if before.get(i) != v)
            if time.perf_counter() > deadline:
                raise TimeoutError("PostgreSQL: the first status key was not saved in 20 s")
            time.sleep(0.05)

    def state() -> object:
        return pg.execute("SELECT version FROM action WHERE id = %s", chosen[:1]).fetchone()

    return state, pg.close, first


def _key_to_saved(home: Path, backend: Backend) -> None:
    term = Terminal(_argv(backend.db), environment(home), SCREEN, cwd=str(ROOT))
    state, close, first = _watcher(backend)
    try:
        term.wait_for(FIGURES, timeout=60)
        time.sleep(READ)
        _open(term, "t", "view: open")
        time.sleep(SETTLE)
        first(term)  # a known status, so every press below changes it
        for i in range(PRESSES):
            before = state()
            sent = term.press("2" if i % 2 else "3")
            deadline = sent + 10
            while state() == before:
                if time.perf_counter() > deadline:
                    raise TimeoutError(f"{backend.name}: a status key was not saved in 10 s")
                time.sleep(0.0002)
            backend.saved.append(time.perf_counter() - sent)
            time.sleep(PACE)
        term.quit()
    except BaseException:
        term.kill()
        raise
    finally:
        close()


def _export(workdir: Path, backend: Backend) -> None:
    out = workdir / "server-export.csv"
    mhtui = [str(ROOT / ".venv" / "bin" / "mhtui")] if (ROOT / ".venv").is_dir() else [
        sys.executable, "-m", "mhtui"]
    argv = [*mhtui, "--db", backend.db, "export", "actions", "--format", "csv",
            "--out", str(out)]
    runs = []
    for n in range(exports.RUNS + 1):
        out.unlink(missing_ok=True)
        timed = exports._timed(argv)
        if n:  # the first is a warm-up
            runs.append(timed)
    out.unlink(missing_ok=True)
    backend.export_s = statistics.median(r[0] for r in runs)
    backend.export_cpu = statistics.median(r[1] for r in runs)


def measure(workdir: Path, log: bool = True) -> list[Backend]:
    """Both backends at ACTIONS actions, measured one after the other in this run."""
    import warnings

    with warnings.catch_warnings():  # pgserver asks for XDG_RUNTIME_DIR, unset in CI
        warnings.simplefilter("ignore")
        from pgserver.postgres_server import get_server

        server = get_server(workdir / "pg", cleanup_mode="stop")
    try:
        server.psql("CREATE DATABASE bench;")
        url = (f"postgresql+psycopg://postgres@/bench?host={workdir / 'pg'}")
        file = workdir / "server-side.db"
        started = time.perf_counter()
        build(file, ACTIONS)
        build_server(url, ACTIONS)
        if log:
            print(f"built both in {time.perf_counter() - started:.1f}s", file=sys.stderr)
        home = workdir / "server-home"
        home.mkdir(exist_ok=True)
        backends = [Backend("SQLite", str(file)), Backend("PostgreSQL", url)]
        for backend in backends:
            _opening(home, backend)  # warm-up: the day's backup, caches, .pyc files
            backend.tracker.clear()
            for _ in range(RUNS):
                _opening(home, backend)
            _key_to_saved(home, backend)
            _export(workdir, backend)
            if log:
                print(backend, file=sys.stderr)
        return backends
    finally:
        server.cleanup()


def _ms(value: float) -> str:
    return f"{value * 1000:.0f}"


def section(backends: list[Backend]) -> str:
    lines = [
        "",
        f"## A district server beside the laptop file, at {ACTIONS:,} actions",
        "",
        "The same data on SQLite and on PostgreSQL 16 (a throwaway server from the "
        "pgserver wheel, on this machine over its Unix socket: no network counted), "
        "measured in the same run. Opening the tracker: the first time in the process, "
        f"median of {RUNS} starts. Status key to saved: {PRESSES} presses, {PACE:.2f} s "
        "apart, until another connection sees the commit. Export: `mhtui export actions "
        f"--format csv`, whole process, median of {exports.RUNS}, wall (CPU) seconds.",
        "",
        "| backend | tracker opening ms | status saved p50 / p95 ms | export s (CPU) |",
        "|---|---:|---:|---:|",
    ]
    for b in backends:
        lines.append(
            f"| {b.name} | {_ms(statistics.median(b.tracker))} | "
            f"{_ms(statistics.median(b.saved))} / {_ms(p95(b.saved))} | "
            f"{b.export_s:.2f} ({b.export_cpu:.2f}) |")
    return "\n".join(lines) + "\n"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        print(section(measure(Path(tmp))))


if __name__ == "__main__":
    main()
