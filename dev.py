#!/usr/bin/env python3
"""One entry point for working on mhtui, needing nothing but python3.

    python3 dev.py demo          open the app on fresh demo data
    python3 dev.py test [ARGS]   ruff, mypy (strict), the import contracts, then pytest
                                 twice: on SQLite, then on PostgreSQL (a throwaway server
                                 from the pgserver wheel), where the tests marked
                                 real_clock run with the app's clock a year ahead
                                 (--clock-ahead); ARGS go to both pytest runs
    python3 dev.py run [ARGS]    run `mhtui ARGS` against your own database
    python3 dev.py screenshots   regenerate screenshots/ from demo data
    python3 dev.py bench [ARGS]  run the benchmark in bench/

The first call makes a virtual environment in .venv and installs mhtui with its pinned
development dependencies; later calls reinstall only when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".mhtui-installed"


def _wanted_stamp() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_env() -> None:
    if not PY.exists():
        print("dev.py: creating .venv (first run only)", file=sys.stderr)
        try:
            venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
        except Exception as exc:  # any failure gets the same advice
            sys.exit(f"dev.py: could not create .venv ({exc}). On Debian/Ubuntu install "
                     "the python3-venv package, then run this command again.")
    if STAMP.exists() and STAMP.read_text() == _wanted_stamp():
        return
    print("dev.py: installing mhtui and its pinned dependencies into .venv", file=sys.stderr)
    pip = [str(PY), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(_wanted_stamp())


def run(*args: str, env: dict[str, str] | None = None) -> int:
    return subprocess.run([str(PY), *args], cwd=ROOT, env=env).returncode


def scratch_in_memory() -> Path | None:
    """A folder for the tests' files on a memory file system, where the machine has a
    roomy one (/dev/shm, 4 GB free): SQLite syncing every commit to a real disk was
    about half the time of the tests that write most, and no test relies on the disk
    beneath its temporary files. None elsewhere (Windows, macOS, a small container
    /dev/shm): the system's temporary folder is used."""
    shm = Path("/dev/shm")
    try:
        if shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free >= 4 << 30:
            return Path(tempfile.mkdtemp(prefix="mh-", dir=shm))
    except OSError:
        pass
    return None


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    ensure_env()
    if command == "demo":
        return run("-m", "mhtui", "--demo", *rest)
    if command == "run":
        return run("-m", "mhtui", *rest)
    if command == "test":
        for step in (["-m", "ruff", "check", "."],
                     ["-m", "mypy"],
                     # the layers, as contracts in pyproject.toml (lint-imports)
                     ["-c", "from importlinter.cli import lint_imports_command as c; c()"]):
            code = run(*step)
            if code:
                return code
        # Spread over every core (pytest-xdist); `-n 0` after `test` runs in one process.
        # The whole suite on each backend: SQLite files, then a throwaway PostgreSQL
        # (tests/pg.py) that the run starts itself; either failing fails the command.
        # On PostgreSQL the tests where mhtui runs on the computer's clock (in a
        # pseudo-terminal, or a command) have it a year ahead, so a test that types a
        # fixed date fails now, not on the day that date goes by; on SQLite, today.
        failed = 0
        scratch = scratch_in_memory()
        env = {**os.environ, "TMPDIR": str(scratch)} if scratch else None
        # A short folder for each test's files there: a server's socket path must fit
        # in 107 bytes, as under /tmp/pytest-of-USER/.
        where = ["--basetemp", str(scratch / "t")] if scratch else []
        try:
            for backend, ahead in (("sqlite", "0"), ("postgresql", "365")):
                print(f"dev.py: pytest on {backend}", file=sys.stderr, flush=True)
                failed = run("-m", "pytest", "-n", "auto", "--backend", backend,
                             "--clock-ahead", ahead, *where, *rest, env=env) or failed
        finally:
            if scratch:
                shutil.rmtree(scratch, ignore_errors=True)
        return failed
    if command == "screenshots":
        return run("scripts/screenshots.py", *rest)
    if command == "bench":
        return run("bench/process.py", *rest)
    print(f"dev.py: unknown command {command!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
