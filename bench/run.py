"""mhtui's benchmark: `python3 dev.py bench`.

Tracker at three sizes (100, 10,000 and 100,000 actions): the time from pressing `t` on
the dashboard until the tracker's rows are on screen, and the time from a status key
until the change is committed to the database (median and 95th percentile). Runs the
app headless in this process through Textual's Pilot; writes bench/RESULTS.md.
"""

from __future__ import annotations

import asyncio
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.build import build  # noqa: E402

SIZES = (100, 10_000, 100_000)
PRESSES = 60
OPENS = 7


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


async def measure(target: object) -> dict[str, float]:
    from mhtui.core.clock import FakeClock
    from mhtui.ui.app import MHApp
    from mhtui.ui.screens.tracker import TrackerScreen

    app = MHApp(target, clock=FakeClock())  # type: ignore[arg-type]
    opens: list[float] = []
    saves: list[float] = []
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        from textual import events

        for _ in range(OPENS):
            before = app.screen.loads if isinstance(app.screen, TrackerScreen) else 0
            seen = getattr(app.get_screen("tracker"), "loads", 0) if (
                app.is_screen_installed("tracker")) else 0
            start = time.perf_counter()
            app._driver.send_message(events.Key("t", "t"))  # type: ignore[union-attr]
            while not (isinstance(app.screen, TrackerScreen) and app.screen.loads > seen):
                await asyncio.sleep(0)
            del before
            opens.append(time.perf_counter() - start)
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TrackerScreen)
        path = app.target.path
        assert path is not None
        probe = sqlite3.connect(path)
        driver = app._driver
        assert driver is not None
        for i in range(PRESSES):
            key = "2" if i % 2 else "3"
            action = screen.selected()
            assert action is not None
            # Pilot.press waits for the whole process to go idle, which would time
            # Pilot; the key goes straight to the driver, as a terminal's would.
            start = time.perf_counter()
            driver.send_message(events.Key(key, key))
            # Saved means another connection reads the new status from the file.
            while probe.execute("SELECT status FROM action WHERE id = ?",
                                (action.id,)).fetchone()[0] != (
                    "in progress" if key == "2" else "blocked or behind schedule"):
                await asyncio.sleep(0)
            saves.append(time.perf_counter() - start)
            await pilot.pause()
        probe.close()
    return {
        "open_median": statistics.median(opens) * 1000,
        "save_median": statistics.median(saves) * 1000,
        "save_p95": _p95(saves) * 1000,
    }


def build_big_grid(target: object, tasks: int = 200, roles: int = 30) -> None:
    """Give the demo team a 200-task by 30-role grid, every cell assessed."""
    from mhtui.core.csv_grid import GridDoc
    from mhtui.store import grid_io, opening

    values = ("yes", "no", "training", None)
    doc = GridDoc(
        roles=[(f"Role {r + 1}", r % 5 == 0) for r in range(roles)],
        categories=[(f"Category {c + 1}", [
            (f"Task {c * 20 + t + 1}", t % 7 == 0, t % 5 == 0,
             [values[(c + t + r) % 4] for r in range(roles)]) for t in range(20)])
            for c in range(tasks // 20)],
    )
    db = opening.connect(target)  # type: ignore[arg-type]
    grid_io.replace(db, 1, doc)
    db.close()


async def measure_grid(target: object) -> dict[str, float]:
    from textual import events

    from mhtui.core.clock import FakeClock
    from mhtui.ui.app import MHApp
    from mhtui.ui.screens.grid import GridScreen

    app = MHApp(target, clock=FakeClock())  # type: ignore[arg-type]
    opens: list[float] = []
    saves: list[float] = []
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        driver = app._driver
        assert driver is not None
        for _ in range(OPENS):
            seen = getattr(app.get_screen("grid"), "loads", 0) if (
                app.is_screen_installed("grid")) else 0
            start = time.perf_counter()
            driver.send_message(events.Key("g", "g"))
            while not (isinstance(app.screen, GridScreen) and app.screen.loads > seen):
                await asyncio.sleep(0)
            opens.append(time.perf_counter() - start)
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GridScreen)
        path = app.target.path
        assert path is not None
        probe = sqlite3.connect(path)
        for i in range(PRESSES):
            await pilot.press("down" if i % 2 else "right")
            task = screen.current_task()
            _, _, role = screen.here()
            if task is None or role is None:
                continue
            key, want = ("y", "yes") if i % 3 else ("n", "no")
            start = time.perf_counter()
            driver.send_message(events.Key(key, key))
            while (probe.execute("SELECT value FROM capability WHERE task_id = ? AND "
                                 "role_id = ?", (task.id, role.id)).fetchone() or [None])[0] \
                    != want:
                await asyncio.sleep(0)
            saves.append(time.perf_counter() - start)
            await pilot.pause()
        probe.close()
    return {"open_median": statistics.median(opens) * 1000,
            "save_median": statistics.median(saves) * 1000,
            "save_p95": _p95(saves) * 1000, "presses": float(len(saves))}


def main() -> None:
    results = {}
    with tempfile.TemporaryDirectory() as home:
        os.environ.update(HOME=home, XDG_DATA_HOME=f"{home}/d", XDG_CONFIG_HOME=f"{home}/c")
        for size in SIZES:
            started = time.perf_counter()
            target = build(Path(home) / f"bench-{size}.db", size)
            print(f"built {size:,} actions in {time.perf_counter() - started:.1f}s",
                  file=sys.stderr)
            results[size] = asyncio.run(measure(target))
            print(size, {k: round(v, 1) for k, v in results[size].items()}, file=sys.stderr)
        small_grid = build(Path(home) / "grid-small.db", 100)
        big_grid = build(Path(home) / "grid-big.db", 100)
        build_big_grid(big_grid)
        grids = {"example (18 x 4)": asyncio.run(measure_grid(small_grid)),
                 "200 tasks x 30 roles": asyncio.run(measure_grid(big_grid))}
        for name, r in grids.items():
            print(name, {k: round(v, 1) for k, v in r.items()}, file=sys.stderr)
    import textual

    small = results[SIZES[0]]
    lines = [
        "# Benchmark results",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, Textual {textual.__version__}. "
        "Re-run with `python3 dev.py bench`.",
        "",
        "## Tracker",
        "",
        f"Open: from `t` on the dashboard until the page of rows is read and in the table "
        f"(median of {OPENS}; the screen is built once, so this is the usual case; the "
        "paint that follows is Textual's and does not depend on the number of actions). "
        f"Save: from a status key to the change readable from the file by another "
        f"connection ({PRESSES} presses).",
        "",
        "| actions | open (ms) | save median (ms) | save p95 (ms) | save median vs 100 |",
        "|---:|---:|---:|---:|---:|",
    ]
    for size, r in results.items():
        lines.append(f"| {size:,} | {r['open_median']:.1f} | {r['save_median']:.1f} | "
                     f"{r['save_p95']:.1f} | {r['save_median'] / small['save_median']:.2f}x |")
    lines += [
        "",
        "## Role-capability grid",
        "",
        "Open: from `g` on the dashboard until the grid is read and in the table. Save: "
        "from a cell key (y or n) to the cell readable from the file by another "
        "connection, the cursor moving between presses.",
        "",
        "| grid | open (ms) | save median (ms) | save p95 (ms) | presses |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, r in grids.items():
        lines.append(f"| {name} | {r['open_median']:.1f} | {r['save_median']:.1f} | "
                     f"{r['save_p95']:.1f} | {r['presses']:.0f} |")
    (ROOT / "bench" / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
