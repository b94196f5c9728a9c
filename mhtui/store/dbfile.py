"""Look at a database file before anything writes to it.

Uses only the standard library's sqlite3, so the command line can refuse a bad file
with one clear line, and the app can start, without importing the ORM. A file that
fails a check is never written to: not its bytes, not its mode.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

from mhtui.paths import ensure_private_dir

SQLITE_MAGIC = b"SQLite format 3\x00"
# PRAGMA application_id marks a file as ours, so another program's database is refused.
APPLICATION_ID = 0x6D687475  # "mhtu"


class DatabaseProblem(Exception):
    """A database that cannot be used; str() is one line naming the file and what to do."""


class StorageProblem(Exception):
    """A change that did not reach the database; str() says why and what to do.

    Raised by Database.write(); the app shows it and keeps running.
    """


@dataclass(frozen=True)
class FileState:
    path: Path
    fresh: bool  # missing or empty: a new database will be made
    version: int  # schema version found (0 when fresh)


def _readonly(mode: int) -> bool:
    # Root can write anywhere, so the write bits, not access(), say what the user meant.
    return not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def _check_writable(path: Path) -> None:
    folder = path.parent
    if folder.exists() and (_readonly(folder.stat().st_mode) or not os.access(folder, os.W_OK)):
        raise DatabaseProblem(
            f"{path}: the folder {folder} is read-only, and SQLite needs to write its "
            "journal there. Make the folder writable or choose another with --db."
        )
    if path.exists() and (_readonly(path.stat().st_mode) or not os.access(path, os.W_OK)):
        raise DatabaseProblem(
            f"{path}: the file is read-only. Make it writable (chmod u+w) or copy it "
            "and open the copy with --db."
        )


def _page_layout_ok(header: bytes, size: int) -> bool:
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return False
    if size % page_size:
        return False
    # The header's page count is only trusted when its change counters agree.
    pages = int.from_bytes(header[28:32], "big")
    trusted = header[24:28] == header[92:96]
    return not (trusted and pages and size < pages * page_size)


def _connect_readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)


def _damaged(path: Path, exc: sqlite3.DatabaseError) -> DatabaseProblem:
    return DatabaseProblem(
        f"{path} is damaged ({exc}). It was left untouched; restore it from a "
        "backup or open another file with --db."
    )


def _quick_check(conn: sqlite3.Connection, path: Path) -> None:
    check = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    if check != "ok":
        raise DatabaseProblem(
            f"{path} failed SQLite's integrity check ({check}). It was left untouched; "
            "restore it from a backup or open another file with --db."
        )


def check_integrity(path: Path) -> None:
    """SQLite's quick_check on the whole file (about 1.4 ms per MB); DatabaseProblem if bad.

    The app runs this beside its first frame instead of before it.
    """
    try:
        conn = _connect_readonly(path)
        try:
            _quick_check(conn, path)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise _damaged(path, exc) from exc


def inspect(path: Path, latest: int, *, thorough: bool = True) -> FileState:
    """Check ``path`` can be opened as an mhtui database; raise DatabaseProblem if not."""
    if path.is_dir():
        raise DatabaseProblem(
            f"{path} is a folder, not a database file. Give --db the path of a file "
            "(it will be created if missing)."
        )
    if not path.exists() or path.stat().st_size == 0:
        _check_writable(path)
        return FileState(path, fresh=True, version=0)
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise DatabaseProblem(f"{path}: cannot be read ({exc.strerror}).") from exc
    if not header.startswith(SQLITE_MAGIC):
        raise DatabaseProblem(
            f"{path} is not an SQLite database. Check the path, or choose another "
            "file with --db; this one was left untouched."
        )
    if len(header) < 100 or not _page_layout_ok(header, path.stat().st_size):
        raise DatabaseProblem(
            f"{path} is truncated or damaged. It was left untouched; restore it from a "
            "backup or open another file with --db."
        )
    _check_writable(path)
    try:
        conn = _connect_readonly(path)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            # An upgrade writes, so a file about to be upgraded is always checked first.
            if thorough or (tables and version < latest):
                _quick_check(conn, path)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise _damaged(path, exc) from exc
    if app_id != APPLICATION_ID and (app_id != 0 or tables):
        raise DatabaseProblem(
            f"{path} is an SQLite database of another program, not mhtui. It was left "
            "untouched; choose another file with --db."
        )
    if version > latest:
        raise DatabaseProblem(
            f"{path} was written by a newer mhtui (schema {version}; this one knows up to "
            f"{latest}). Upgrade mhtui to open it; the file was left untouched."
        )
    return FileState(path, fresh=tables == 0, version=version)


def create_private_file(path: Path) -> None:
    """Make an empty database file that only its owner can read, 0600 in a 0700 folder."""
    if not path.parent.exists():
        ensure_private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def copy_into(source: Path, dest: Path, *, read_only: bool = False) -> None:
    """Copy a live database into ``dest`` with SQLite's online backup API."""
    src = (sqlite3.connect(f"file:{source}?mode=ro", uri=True) if read_only
           else sqlite3.connect(source))
    try:
        out = sqlite3.connect(dest)
        try:
            src.backup(out)
        finally:
            out.close()
    finally:
        src.close()


def backup_to(source: Path, dest: Path) -> Path:
    """Copy a live database to a new 0600 file."""
    create_private_file(dest)
    copy_into(source, dest)
    return dest
