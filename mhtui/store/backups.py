"""Backups of the database file, and restoring one. Standard library only.

Copies are made with SQLite's online backup API, so they are consistent even while the
app is writing; never with a file copy of a live database. Every copy is 0600 inside a
0700 folder next to the database.
"""

from __future__ import annotations

import fcntl
import os
from datetime import date, datetime
from pathlib import Path

from mhtui.paths import ensure_private_dir
from mhtui.store import migrate
from mhtui.store.dbfile import DatabaseProblem, backup_to, copy_into, inspect

KEEP_DAILY = 7


def folder(db_path: Path) -> Path:
    return db_path.parent / "backups"


def backup_now(db_path: Path, out: Path | None, now: datetime) -> Path:
    if out is None:
        ensure_private_dir(folder(db_path))
    return backup_to(db_path, out or folder(db_path) / f"mhtui-{now:%Y%m%d-%H%M%S}.db")


def daily(db_path: Path, today: date) -> Path | None:
    """Keep one backup per day, the newest seven; None when today's already exists."""
    base = folder(db_path)
    ensure_private_dir(base)
    dest = base / f"daily-{today.isoformat()}.db"
    made = None
    if not dest.exists():
        tmp = dest.with_suffix(".partial")
        backup_to(db_path, tmp)
        tmp.replace(dest)  # a crash mid-copy never leaves a half file under the real name
        made = dest
    for old in sorted(base.glob("daily-*.db"))[:-KEEP_DAILY]:
        old.unlink()
    return made


def _lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def hold(db_path: Path) -> int:
    """Take the shared in-use lock for the life of the process; returns its descriptor."""
    fd = os.open(_lock_path(db_path), os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_SH)
    return fd


def restore(db_path: Path, source: Path, now: datetime) -> Path:
    """Replace the database with ``source``; returns the backup of what was there."""
    try:
        state = inspect(source, migrate.latest_version())
    except DatabaseProblem as exc:
        raise DatabaseProblem(f"{source} cannot be restored: {exc}") from exc
    if state.fresh:
        raise DatabaseProblem(f"{source} is empty, not an mhtui backup; nothing was restored.")
    fd = os.open(_lock_path(db_path), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise DatabaseProblem(
                f"{db_path} is open in a running mhtui. Close it there first; nothing was "
                "restored.") from exc
        ensure_private_dir(folder(db_path))
        saved = backup_to(db_path, folder(db_path) / f"before-restore-{now:%Y%m%d-%H%M%S}.db")
        copy_into(source, db_path, read_only=True)
        return saved
    finally:
        os.close(fd)
