"""Backups of the database file, and restoring one. Standard library only.

Copies are made with SQLite's online backup API, so they are consistent even while the
app is writing; never with a file copy of a live database. Every copy is 0600 inside a
0700 folder next to the database.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import time
from datetime import date, datetime
from pathlib import Path

from mhtui.atomic import reason, shown
from mhtui.paths import ensure_private_dir
from mhtui.store import migrate
from mhtui.store.dbfile import DatabaseProblem, backup_to, copy_into, inspect, sqlite_reason

KEEP_DAILY = 7
STALE_SECONDS = 24 * 3600


def folder(db_path: Path) -> Path:
    return db_path.parent / "backups"


def backups_dir(db_path: Path) -> Path:
    """The backups folder, made or tightened to 0700."""
    return ensure_private_dir(folder(db_path), tighten=True)


def backup_now(db_path: Path, out: Path | None, now: datetime) -> Path:
    """A new copy (never over an existing file); WriteFailed, one line, if it fails."""
    if out is None:
        out = backups_dir(db_path) / f"mhtui-{now:%Y%m%d-%H%M%S}.db"
    return backup_to(db_path, out)


def daily(db_path: Path, today: date) -> Path | None:
    """Keep one backup per day, the newest seven; None when today's already exists."""
    base = backups_dir(db_path)
    dest = base / f"daily-{today.isoformat()}.db"
    made = None
    if dest.is_symlink() or not dest.exists():  # a link planted there is refused, said
        made = backup_to(db_path, dest)  # a crash mid-copy leaves no half file by this name
    for old in sorted(base.glob("daily-*.db"))[:-KEEP_DAILY]:
        old.unlink()
    # A copy cut off by a power cut or a kill leaves its private temporary file; a day
    # later no copy can still be writing it.
    for stale in base.glob(".*.db.*.tmp"):
        with contextlib.suppress(OSError):
            if stale.lstat().st_mtime < time.time() - STALE_SECONDS:
                stale.unlink()
    return made


def _lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def hold(db_path: Path) -> int:
    """Take the shared in-use lock for the life of the process; returns its descriptor."""
    fd = _open_lock(db_path)
    fcntl.flock(fd, fcntl.LOCK_SH)
    return fd


def _open_lock(db_path: Path) -> int:
    # Never through a link planted at the lock's name: O_NOFOLLOW.
    lock = _lock_path(db_path)
    try:
        return os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError as exc:
        raise DatabaseProblem(f"{shown(lock)}, the file that says mhtui has "
                              f"{shown(db_path)} open, cannot be used: {reason(exc)}. "
                              "Remove it and start again.") from exc


def restore(db_path: Path, source: Path, now: datetime) -> Path:
    """Replace the database with ``source``; returns the backup of what was there."""
    try:
        state = inspect(source, migrate.latest_version())
    except DatabaseProblem as exc:
        raise DatabaseProblem(f"{source} cannot be restored: {exc}") from exc
    if state.fresh:
        raise DatabaseProblem(f"{source} is empty, not an mhtui backup; nothing was restored.")
    fd = _open_lock(db_path)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise DatabaseProblem(
                f"{db_path} is open in a running mhtui. Close it there first; nothing was "
                "restored.") from exc
        saved = backup_to(db_path, backups_dir(db_path) / f"before-restore-{now:%Y%m%d-%H%M%S}.db")
        try:
            copy_into(source, db_path, read_only=True)
        except sqlite3.Error as exc:  # one transaction: the database is as it was
            raise DatabaseProblem(
                f"{shown(source)} was not restored: {sqlite_reason(exc, db_path)}. The database is "
                f"as it was (a copy is also at {shown(saved)}).") from exc
        return saved
    finally:
        os.close(fd)
