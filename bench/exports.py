"""The action export at 100,000 actions beside the sqlite3 shell dumping the same rows.

Each is a whole process, timed from start to exit, with its peak memory (ru_maxrss from
wait4). The reference is `sqlite3 -csv` / `sqlite3 -json` on the same rows in the same
order (the export's own SELECT); without the shell, Python's sqlite3 module writing them
with the csv / json modules. Run alone with `python3 bench/exports.py`.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.build import build  # noqa: E402

ACTIONS = 100_000
RUNS = 3
GOAL_RATIO = 5.0  # within 5x of the shell
GOAL_MIB = 150.0

SAME_ROWS = (
    "SELECT a.created_on, a.text, a.status, a.owner, a.due_on, a.id, a.version, t.name "
    "FROM action a LEFT JOIN shiftplan p ON p.id = a.shift_plan_id "
    "LEFT JOIN task t ON t.id = p.task_id "
    "WHERE a.team_id = 1 AND a.deleted_at IS NULL ORDER BY a.created_on, a.id;"
)

_PYTHON_DUMP = """
import csv, json, sqlite3, sys
db, fmt, out = sys.argv[1:4]
rows = sqlite3.connect(db).execute(sys.argv[4])
with open(out, "w", newline="", encoding="utf-8") as f:
    if fmt == "csv":
        csv.writer(f).writerows(rows)
    else:
        f.write("[")
        for i, r in enumerate(rows):
            f.write(("," if i else "") + json.dumps(r))
        f.write("]")
"""


@dataclass
class ExportFigures:
    fmt: str
    reference: str
    reference_s: float
    reference_cpu: float
    reference_mib: float
    mhtui_s: float
    mhtui_cpu: float
    mhtui_mib: float
    size_mb: float

    @property
    def ratio(self) -> float:
        return self.mhtui_s / self.reference_s if self.reference_s else 0.0

    @property
    def cpu_ratio(self) -> float:
        return self.mhtui_cpu / self.reference_cpu if self.reference_cpu else 0.0


TIME = shutil.which("time", path="/usr/bin:/bin")


def _timed(argv: list[str], stdout_path: Path | None = None) -> tuple[float, float, float]:
    """Seconds from start to exit, CPU seconds (user + system), and peak memory in MiB.

    The peak comes from GNU time (%M) where it is installed: a child forked from this
    large process reports this process's size as its own peak through wait4, even after
    exec. Without it, wait4's figure (an upper bound)."""
    out = stdout_path.open("wb") if stdout_path else subprocess.DEVNULL
    with tempfile.NamedTemporaryFile("r") as peak:
        wrapped = [TIME, "-q", "-f", "%M", "-o", peak.name, *argv] if TIME else argv
        try:
            started = time.perf_counter()
            process = subprocess.Popen(wrapped, stdout=out, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(process.pid, 0)
            elapsed = time.perf_counter() - started
        finally:
            if stdout_path and not isinstance(out, int):
                out.close()
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"{argv[:3]} failed")
        kib = int(peak.read().split()[-1]) if TIME else usage.ru_maxrss
    return elapsed, usage.ru_utime + usage.ru_stime, kib / 1024


def _median(argv: list[str], stdout_path: Path | None = None) -> tuple[float, float, float]:
    runs = [_timed(argv, stdout_path) for _ in range(RUNS)]
    return (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs),
            max(r[2] for r in runs))


def measure(workdir: Path, log: bool = True) -> list[ExportFigures]:
    db = workdir / "exports.db"
    build(db, ACTIONS)
    mhtui = [str(ROOT / ".venv" / "bin" / "mhtui")] if (ROOT / ".venv").is_dir() else [
        sys.executable, "-m", "mhtui"]
    shell = shutil.which("sqlite3")
    figures = []
    for fmt in ("csv", "json"):
        out = workdir / f"out.{fmt}"
        argv = [*mhtui, "--db", str(db), "export", "actions", "--format", fmt,
                "--out", str(out), "--force"]  # each timed run writes over the last
        _timed(argv)  # warm-up: the day's backup, the page cache, .pyc files
        out.unlink()
        mh_s, mh_cpu, mh_mib = _median(argv)
        size = out.stat().st_size / 1e6
        out.unlink()
        if shell:
            ref_name = f"sqlite3 -{fmt}"
            ref_s, ref_cpu, ref_mib = _median([shell, f"-{fmt}", "-header" if fmt == "csv" else
                                      "-bail", str(db), SAME_ROWS], workdir / "ref.out")
        else:
            ref_name = f"Python sqlite3 + {fmt}"
            ref_s, ref_cpu, ref_mib = _median([sys.executable, "-c", _PYTHON_DUMP, str(db), fmt,
                                      str(workdir / "ref.out"), SAME_ROWS])
        figures.append(ExportFigures(fmt, ref_name, ref_s, ref_cpu, ref_mib, mh_s, mh_cpu,
                                     mh_mib, size))
        if log:
            print(figures[-1], file=sys.stderr)
    return figures


def section(figures: list[ExportFigures]) -> str:
    lines = [
        "",
        f"## Export at {ACTIONS:,} actions",
        "",
        f"`mhtui export actions --format csv|json --out FILE` against the sqlite3 shell "
        "writing the same rows in the same order (the export's SELECT, with the shift "
        f"plan's task); whole processes (mhtui's Python start and imports included), "
        f"median of {RUNS}, peak memory the largest. Wall-clock seconds and CPU seconds "
        "(user + system): on a shared machine the CPU figure is the steadier one. "
        f"Goals: within {GOAL_RATIO:g}x of the shell, under {GOAL_MIB:g} MiB.",
        "",
        "| format | reference | reference s (CPU) | reference MiB | mhtui s (CPU) | mhtui MiB "
        "| ratio wall / CPU | file MB | goals met |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for f in figures:
        ok = min(f.ratio, f.cpu_ratio) <= GOAL_RATIO and f.mhtui_mib < GOAL_MIB
        lines.append(f"| {f.fmt} | {f.reference} | {f.reference_s:.2f} ({f.reference_cpu:.2f}) "
                     f"| {f.reference_mib:.0f} | {f.mhtui_s:.2f} ({f.mhtui_cpu:.2f}) | "
                     f"{f.mhtui_mib:.0f} | {f.ratio:.1f}x / {f.cpu_ratio:.1f}x | "
                     f"{f.size_mb:.1f} | {'yes' if ok else 'NO'} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        print(section(measure(Path(tmp))))


if __name__ == "__main__":
    main()
