"""A real small file system for the tests of a full or read-only disk: a tmpfs, mounted
where the tests run as root (skipped cleanly elsewhere)."""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def small_disk(tmp_path: Path) -> Iterator[Path]:
    """For a fixture: a 2 MiB tmpfs, so ENOSPC and EROFS come from the kernel, not from a mock."""
    yield from mounted(tmp_path / "disk")


def mounted(disk: Path) -> Iterator[Path]:
    """A 2 MiB tmpfs mounted at ``disk``, a folder made here; skips unless root."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    disk.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs",
                           str(disk)], capture_output=True, text=True, check=False)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path, leave: int = 0) -> Path:
    """Fill the disk, then give back ``leave`` bytes."""
    filler = disk / f"filler-{len(list(disk.glob('filler-*')))}"
    with filler.open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    if leave:
        os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler
