"""The tracker's slow spots at 100,000 actions, measured as a person meets them.

* Changes since the last check-in (l): from the key to the first page of changes on
  screen, with the process's peak memory before and after (the bench's database has
  every one of its 100,000 actions made since the last check-in, so 100,000+ changes).
* The filter: each typed key to the app's next output (the key echoed in the box), and
  a word's last key to the rows of the whole word on screen (after the typing pause);
  beside it, as the reference, a status key to the screen changing, in the same process.
* `mhtui actions list`: the default table (the first 200 rows and a count of the rest)
  and `--limit 0` (every row) written to a file, whole processes, with peak memory.

Run alone with `python3 bench/scale.py`; `python3 dev.py bench` adds its section to
bench/RESULTS.md.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.build import build  # noqa: E402

ACTIONS = 100_000
OPENINGS = 5  # l, Esc, l ...
WORDS = ("duty", "para", "lunch", "crisis", "family", "zoe")  # zoe: none of the rows
STATUS_PRESSES = 20
LIST_RUNS = 3
GOAL_SINCE = 0.300  # seconds, from the issue


@dataclass
class ScaleFigures:
    since_open: list[float] = field(default_factory=list)
    tracker_open: list[float] = field(default_factory=list)  # the reference for opening
    memory_before_mib: float = 0.0  # after opening the tracker
    memory_after_mib: float = 0.0  # after every opening of the changes
    filter_echo: list[float] = field(default_factory=list)
    filter_rows: list[float] = field(default_factory=list)
    status_shown: list[float] = field(default_factory=list)
    list_default: tuple[float, float, float] = (0.0, 0.0, 0.0)  # wall s, CPU s, MiB
    list_all: tuple[float, float, float] = (0.0, 0.0, 0.0)


def _open_total(db: Path, text: str) -> int:
    """How many rows the tracker's open view holds for the filter ``text``."""
    from mhtui.core.action_views import View
    from mhtui.core.clock import SystemClock, local_today
    from mhtui.store.actions import action_list
    from mhtui.store.database import opening
    from mhtui.store.database.target import from_path

    handle = opening.connect(from_path(db))
    try:
        today: date = local_today(SystemClock())
        return action_list.page(handle, action_list.Query(team_id=1, view=View.OPEN,
                                                          text=text), today, limit=1).total
    finally:
        handle.close()


def run_app(home: Path, db: Path, result: ScaleFigures) -> None:
    from bench import process as p

    totals = {word: _open_total(db, word) for word in ("", *WORDS)}
    with p._app_with_probe(home, db) as (term, probe):
        p._open(term, "t", "view: open")
        time.sleep(p.SETTLE)
        result.memory_before_mib = term.peak_memory_kib() / 1024
        p._home(term)
        for _ in range(OPENINGS):
            # The tracker opened from the dashboard, then l in it: each beside the other,
            # so a busy machine slows both alike.
            result.tracker_open.append(p._open(term, "t", "view: open"))
            time.sleep(p.SETTLE)
            result.since_open.append(p._open(term, "l", "new action"))
            time.sleep(p.SETTLE)
            term.press("escape")
            time.sleep(p.SETTLE)
            p._home(term)
        result.memory_after_mib = term.peak_memory_kib() / 1024
        p._open(term, "t", "view: open")
        time.sleep(p.SETTLE)
        # The status key, as the reference: key to the screen changing.
        p._saved(term, probe, "4")
        for i in range(STATUS_PRESSES):
            _, shown = p._saved(term, probe, "2" if i % 2 else "3")
            result.status_shown.append(shown)
        term.press("/")
        time.sleep(p.SETTLE)
        def clear() -> None:
            since = term.offset
            term.press("\x15")  # ctrl+u clears the box: every open row again
            term.wait_for(f"of {totals['']:,}", since)
            time.sleep(p.SETTLE)

        for word in WORDS:
            # Typed a key at a time: each key to the box showing it.
            for letter in word:
                since = term.offset
                sent = term.press(letter)
                result.filter_echo.append(term.output_after(since) - sent)
                time.sleep(p.PACE)
            clear()
            # Typed in one go: from the keys to the bar's count of the word's rows, which
            # it shows only once they are read (a prefix's count could match sooner).
            since = term.offset
            sent = term.burst(*word)
            marker = f"of {totals[word]:,}" if totals[word] else "rows none"
            result.filter_rows.append(term.wait_for(marker, since) - sent)
            clear()
        term.press("escape")
        time.sleep(p.SETTLE)


def run_list(db: Path, workdir: Path, result: ScaleFigures) -> None:
    from bench import exports

    mhtui = [str(ROOT / ".venv" / "bin" / "mhtui")] if (ROOT / ".venv").is_dir() else [
        sys.executable, "-m", "mhtui"]
    base = [*mhtui, "--db", str(db), "actions", "list"]
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "200"  # as in a 200-column terminal; a file is not one
    try:
        exports._timed(base)  # warm-up: the day's backup, the page cache
        for argv, name in ((base, "list_default"), ([*base, "--limit", "0"], "list_all")):
            runs = [exports._timed(argv, workdir / "list.out") for _ in range(LIST_RUNS)]
            setattr(result, name, (statistics.median(r[0] for r in runs),
                                   statistics.median(r[1] for r in runs),
                                   max(r[2] for r in runs)))
    finally:
        if old is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = old


def measure(workdir: Path, log: bool = True) -> ScaleFigures:
    from bench import process as p

    db = workdir / "scale.db"
    build(db, ACTIONS)
    home = workdir / "home"
    home.mkdir(exist_ok=True)
    p.run_mhtui(home, db, checkin=False)  # warm-up: the day's backup, the page cache, .pyc files
    result = ScaleFigures()
    run_app(home, db, result)
    run_list(db, workdir, result)
    if log:
        print(result, file=sys.stderr)
    return result


def _ms(value: float) -> str:
    return f"{value * 1000:.0f}"


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _p50_95(values: list[float]) -> str:
    return f"{_ms(statistics.median(values))} / {_ms(_p95(values))}"


def section(r: ScaleFigures) -> str:
    since = statistics.median(r.since_open)
    lines = [
        "",
        f"## At {ACTIONS:,} actions: changes since the last check-in, the filter, "
        "actions list",
        "",
        f"One process on a database whose {ACTIONS:,} actions were all made since the last "
        f"check-in (so over {ACTIONS:,} changes), 200x50. `l` pressed in the tracker "
        f"{OPENINGS} times (first and median), from the key to the first page of changes on "
        "screen (the counts follow from a worker), each time after opening the tracker "
        "from the dashboard (`t`, from the key to its rows: the reference). The filter: "
        f"{len(WORDS)} words ({', '.join(WORDS)}) typed "
        f"{p_pace()} s a key; echo is a key to the app's next output; rows is from the "
        "word written in one go to its rows on screen (read 0.15 s after the last key, in a "
        f"worker). The status key ({STATUS_PRESSES} presses, key to the "
        "screen changing) is the reference for a key. `actions list` is a whole process "
        f"writing to a file with COLUMNS=200, median of {LIST_RUNS}.",
        "",
        "| measure | ms (p50 / p95) |",
        "|---|---:|",
        f"| since the last check-in: first open / median | {_ms(r.since_open[0])} / "
        f"{_ms(since)} |",
        f"| the tracker opened (reference): first / median | {_ms(r.tracker_open[0])} / "
        f"{_ms(statistics.median(r.tracker_open))} |",
        f"| filter key echoed | {_p50_95(r.filter_echo)} |",
        f"| filter word's rows shown (incl. the 150 ms pause) | {_p50_95(r.filter_rows)} |",
        f"| status key shown (reference) | {_p50_95(r.status_shown)} |",
        "",
        f"Peak memory: {r.memory_before_mib:.0f} MiB with the tracker open, "
        f"{r.memory_after_mib:.0f} MiB after opening the changes {OPENINGS} times.",
        "",
        "| `mhtui actions list` | wall s (CPU s) | peak MiB |",
        "|---|---:|---:|",
    ]
    for label, (wall, cpu, mib) in (("default: 200 rows and a count of the rest",
                                     r.list_default),
                                    ("--limit 0: every row", r.list_all)):
        lines.append(f"| {label} | {wall:.2f} ({cpu:.2f}) | {mib:.0f} |")
    lines += [
        "",
        f"- Changes since the last check-in open under {_ms(GOAL_SINCE)} ms at "
        f"{ACTIONS:,}: {_ms(since)} ms, {'met' if since < GOAL_SINCE else '**missed**'}.",
        f"- Memory flat while opening them: {r.memory_after_mib - r.memory_before_mib:+.0f} "
        "MiB.",
    ]
    return "\n".join(lines) + "\n"


def p_pace() -> str:
    from bench import process as p

    return f"{p.PACE:.2f}"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        print(section(measure(Path(tmp))))


if __name__ == "__main__":
    main()
