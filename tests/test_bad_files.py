"""Files that are not what an import expects: each gets a clear report and changes
nothing, and a very large file is read within bounded memory."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mhtui.cli import main
from mhtui.paths import MAX_IMPORT_BYTES
from mhtui.store.database.target import Target
from tests.helpers import db_arg, db_rows

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["Item creation date", "Action item", "Progress tracker", "Who is responsible?",
          "When will it be done?"]


def _counts(target: Target) -> tuple[object, ...]:
    return tuple(db_rows(target, f"SELECT count(*) FROM {table}")[0][0]
                 for table in ("action", "task", "reflection"))


def _fifty_megabytes(path: Path) -> Path:
    line = "11/20/2026,A row that is not short at all, repeated to fill the file,Not started,Ana,\n"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(",".join(HEADER) + "\n")
        handle.write(line * (50 * 1024 * 1024 // len(line) + 1))
    assert path.stat().st_size > MAX_IMPORT_BYTES
    return path


def _writing(data: bytes) -> Callable[[Path], Path]:
    def write(path: Path) -> Path:
        path.write_bytes(data)
        return path
    return write


BAD_FILES = {
    "binary": _writing(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16),
    "nul bytes": _writing(b"Action item\nfine\x00text\n"),
    "utf-16": _writing("Action item\nCafé meeting\n".encode("utf-16")),
    "wrong columns": _writing(b"name,age\nAna,3\n"),
    "unclosed quote": _writing(
        (",".join(HEADER) + '\n11/20/2026,"never closed,Not started,Ana,\n').encode()),
    "50 MB": _fifty_megabytes,
}


@pytest.mark.parametrize("kind", ["actions", "grid", "reflections"])
@pytest.mark.parametrize("bad", list(BAD_FILES))
def test_bad_files_are_refused_with_a_report_and_change_nothing(
    tmp_path: Path, demo_target: Target, capsys: pytest.CaptureFixture[str], kind: str,
    bad: str,
) -> None:
    if bad == "50 MB" and kind != "actions":
        pytest.skip("one 50 MB file is enough: the limit is shared")
    path = BAD_FILES[bad](tmp_path / "file.csv")
    before = _counts(demo_target)
    code = main(["--db", db_arg(demo_target), "import", kind, str(path)])
    err = capsys.readouterr().err
    assert code in (1, 2)
    lines = err.strip().splitlines()
    assert (lines and lines[0].startswith("mhtui: ")) or str(path) in lines[0]
    assert "Traceback" not in err
    assert "nothing" in err.lower() or "not imported" in err.lower()
    if bad == "50 MB":
        assert "MB" in err and "Split it" in err
    if bad == "unclosed quote" and kind == "actions":
        assert "never closed" in err
    assert _counts(demo_target) == before


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_hundred_thousand_rows_with_one_bad_line_import_nothing_in_bounded_memory(
    tmp_path: Path, demo_target: Target
) -> None:
    sheet = tmp_path / "big.csv"
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for n in range(100_000):
            out.writerow(["11/20/2026", f"Imported action number {n}", "In progress",
                          "Ana Ruiz", "12/01/2026"])
        out.writerow(["11/20/2026", "The one bad row", "Maybe", "Ana Ruiz", "31/31/2026"])
    before = _counts(demo_target)
    # The import in its own process, and its peak from /proc (getrusage's maxrss can
    # carry the forking pytest process's own peak across exec).
    probe = ("import sys; from mhtui.cli import main; code = main(sys.argv[1:]); "
             "print(next(line.split()[1] for line in open('/proc/self/status') "
             "if line.startswith('VmHWM'))); sys.exit(code)")
    done = subprocess.run(
        [sys.executable, "-c", probe, "--db", db_arg(demo_target), "import", "actions",
         str(sheet)], capture_output=True, text=True, cwd=ROOT, env=os.environ, timeout=300)
    assert done.returncode == 1
    assert "1 bad row(s); nothing was imported" in done.stderr
    assert "line 100002" in done.stderr and "'Progress tracker'" in done.stderr
    assert "'When will it be done?'" in done.stderr
    assert _counts(demo_target) == before
    peak_mib = int(done.stdout.split()[-1]) / 1024
    assert peak_mib < 200, f"peak memory {peak_mib:.0f} MiB for an 8 MB file"
