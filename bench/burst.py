"""A 100-key burst into the reflection form, beside a bare Textual app with the same fields.

A text expander or a password manager types name, Tab, role, Tab, both answers in one
write. Each run is its own process in a 200x50 pseudo-terminal: mhtui with a new
reflection open (r, n) on a fresh copy of the small database, or bench/bare_app.py's
form; the keys are written in ONE write, and timed from just before that write to the
barriers' last letters on screen (the last key handled and drawn). mhtui's run then
quits and its saved draft is checked: every key where it was meant.

Run alone with `python3 bench/burst.py` (it replaces its section in RESULTS.md);
`python3 dev.py bench` adds the section with the rest.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import process as p  # noqa: E402
from bench.build import build  # noqa: E402
from bench.terminal import Terminal  # noqa: E402

RUNS = 7
GOAL = 2.0  # within 2x of the bare app (issue 26)
NAME, ROLE = "Ana Ruiz", "School counselor"
SUPPORT = "A private room to meet students in"
BARRIERS = "Lunch duty every day, no time for calls"  # its end: the last key drawn
ANSWERS = {"author_name": NAME, "role_name": ROLE, "support_needed": SUPPORT,
           "barriers": BARRIERS}
KEYS = (*NAME, "tab", *ROLE, "tab", *SUPPORT, "tab", *BARRIERS)
LAST = BARRIERS[-12:]
assert len(KEYS) == 100 and SUPPORT.count(LAST) == 0


def _burst(term: Terminal) -> float:
    since = term.offset
    time.sleep(p.SETTLE)
    started = time.perf_counter()
    term.burst(*KEYS)
    return term.wait_for(LAST, since) - started


def run_bare(home: Path) -> float:
    term = Terminal([*p.bare_argv(), "form"], p.environment(home), p.SCREEN, cwd=str(ROOT))
    try:
        term.wait_for(p.FIRST)
        taken = _burst(term)
        term.quit()
    except BaseException:
        term.kill()
        raise
    return taken


def run_mhtui(home: Path, db: Path) -> float:
    db = p._fresh(db)
    term = Terminal(p.mhtui_argv(db), p.environment(home), p.SCREEN, cwd=str(ROOT))
    try:
        term.wait_for(p.FIGURES)
        time.sleep(p.READ)
        p._open(term, "r", "Discard draft")
        time.sleep(p.SETTLE)
        p._open(term, "n", "leave empty to stay anonymous")
        taken = _burst(term)
        term.quit()  # the draft is written on quitting
    except BaseException:
        term.kill()
        raise
    conn = sqlite3.connect(db)
    try:
        saved = conn.execute(f"SELECT {', '.join(ANSWERS)} FROM reflection "
                             "ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        conn.close()
    if saved != tuple(ANSWERS.values()):
        raise AssertionError(f"the burst landed as {saved!r}")
    return taken


def measure(workdir: Path) -> tuple[list[float], list[float]]:
    """(bare, mhtui) seconds per burst, the two apps in turn."""
    home = workdir / "home"
    home.mkdir(exist_ok=True)
    db = workdir / "burst.db"
    build(db, *p.SIZES["small"])
    run_mhtui(home, db)  # warm-up: the day's backup, the page cache, .pyc files
    run_bare(home)
    bare, mhtui = [], []
    for _ in range(RUNS):
        bare.append(run_bare(home))
        mhtui.append(run_mhtui(home, db))
    return bare, mhtui


HEADING = "## A 100-key burst into the reflection form"


def section(bare: list[float], mhtui: list[float]) -> str:
    b, m = statistics.median(bare), statistics.median(mhtui)
    return "\n".join([
        "", HEADING, "",
        f"Name, Tab, role, Tab and both answers ({len(KEYS)} keys) written to the terminal "
        "in one write, as a text expander types them, from just before the write to the "
        "last key drawn; mhtui's new reflection (its saved draft then checked to hold "
        "every key where it was meant) beside a bare Textual app with the same fields "
        f"(two Inputs, two TextAreas). {RUNS} runs each, every one its own process, the "
        f"two apps in turn. {p.stamp()}",
        "",
        "| app | p50 ms | p95 ms |",
        "|---|---:|---:|",
        f"| bare Textual form | {p._ms(b)} | {p._ms(p.p95(bare))} |",
        f"| mhtui reflection form | {p._ms(m)} | {p._ms(p.p95(mhtui))} |",
        "",
        f"- Burst within {GOAL:.0f}x of the bare app: {m / b:.2f}x, "
        f"{p._verdict(m / b <= GOAL)}.",
        "",
    ])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        text = section(*measure(Path(tmp)))
    print(text)
    p.replace_section(HEADING, text)


if __name__ == "__main__":
    main()
