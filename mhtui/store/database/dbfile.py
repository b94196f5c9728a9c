"""Look at a database file before anything writes to it.

Uses only the standard library's sqlite3, so the command line can refuse a bad file
with one clear line, and the app can start, without importing the ORM. A file that
fails a check is never written to: not its bytes, not its mode.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from mhtui.atomic import SQLITE_HEADER, WriteFailed, disk_is_full, filled, reason, shown
from mhtui.paths import ensure_private_dir
from mhtui.store.database import connections, migrate

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


def _header(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(100)


def _primary_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    text = str(exc).lower()
    for words, found in (("disk is full", 13), ("disk i/o", 10), ("locked", 5),
                         ("busy", 5), ("unable to open", 14), ("readonly", 8),
                         ("malformed", 11), ("not a database", 26)):
        if words in text:
            return found
    return None


DAMAGED_CODES = (11, 26)  # SQLITE_CORRUPT, SQLITE_NOTADB


def not_a_bug(exc: sqlite3.Error) -> bool:
    """True for the disk, the file or another program; False for SQLite's generic
    SQLITE_ERROR (bad SQL), which is a mistake in mhtui."""
    return _primary_code(exc) not in (None, 1)


def sqlite_reason(exc: sqlite3.Error, *places: Path) -> str:
    """What an error from SQLite means, in a few words (not "damaged" unless it is).

    ``places``: the files involved, to tell a full disk from an I/O error.
    """
    if _primary_code(exc) == 10 and disk_is_full(*places):
        return "the disk is full"
    return {
        13: "the disk is full",
        10: "the disk reported an I/O error (it may be failing or was removed)",
        5: f"another program is holding it (it stayed locked for "
           f"{connections.LOCK_TIMEOUT_S:g} seconds)",
        6: "another program is holding it",
        14: "SQLite cannot open it",
        8: "it cannot be written",
        3: "permission denied",
        7: "out of memory",
        11: "it is damaged",
        26: "it is not a database",
    }.get(_primary_code(exc) or 0, f"SQLite said \"{exc}\"")


def _damaged(path: Path, exc: sqlite3.Error) -> DatabaseProblem:
    code = _primary_code(exc)
    if code == 10 and disk_is_full(path):
        code = 13
    if code in DAMAGED_CODES:
        return DatabaseProblem(
            f"{shown(path)} is damaged ({exc}). It was left untouched; restore it from a "
            "backup or open another file with --db."
        )
    advice = {
        13: "Free some space, then try again",
        10: "Check the disk (is it still plugged in?), then try again; the file itself "
            "may be fine, so do not restore a backup over it",
        5: "Close the other program (or the other mhtui) using it, then try again",
        6: "Close the other program (or the other mhtui) using it, then try again",
    }.get(code or 0, "Try again, or open another file with --db")
    return DatabaseProblem(
        f"{shown(path)} could not be read: {sqlite_reason(exc, path)}. It was left untouched. "
        f"{advice}."
    )


def _quick_check(conn: sqlite3.Connection, path: Path) -> None:
    check = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    if check != "ok":
        said = " ".join(str(check).split())  # SQLite's report runs over several lines
        raise DatabaseProblem(
            f"{path} failed SQLite's integrity check ({said}). It was left untouched; "
            "restore it from a backup or open another file with --db."
        )


def _stat(path: Path) -> os.stat_result | None:
    """The file at ``path`` (through a link), None if there is none; only a regular file."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if os.path.lexists(path):
            raise DatabaseProblem(
                f"{shown(path)} is a symbolic link to a file that does not exist. Give --db "
                "the path of the file itself.") from None
        return None
    except OSError as exc:
        raise DatabaseProblem(f"{shown(path)}: cannot be read ({exc.strerror}).") from exc
    if stat.S_ISDIR(info.st_mode):
        raise DatabaseProblem(
            f"{shown(path)} is a folder, not a database file. Give --db the path of a file "
            "(it will be created if missing)."
        )
    if not stat.S_ISREG(info.st_mode):
        raise DatabaseProblem(
            f"{shown(path)} is not a regular file (a device, a pipe or a socket), so it "
            "cannot be a database. It was left untouched; give --db the path of a file."
        )
    # A link planted where the database goes would have mhtui write (and chmod 0600)
    # another person's file: a link is followed only to a file of one's own.
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid() and path.is_symlink():
        raise DatabaseProblem(
            f"{shown(path)} is a symbolic link to a file of another user "
            f"({shown(path.resolve())}); mhtui does not open a database through it. It was "
            "left untouched; give --db the path of a file of your own."
        )
    return info


def inspect(path: Path, latest: int, *, thorough: bool = True) -> FileState:
    """Check ``path`` can be opened as an mhtui database; raise DatabaseProblem if not.

    Nothing is opened for writing, and no file is made beside a file that is refused.
    """
    info = _stat(path)
    if info is None or info.st_size == 0:
        _check_writable(path)
        return FileState(path, fresh=True, version=0)
    try:
        header = _header(path)
    except OSError as exc:
        raise DatabaseProblem(f"{shown(path)}: cannot be read ({exc.strerror}).") from exc
    if not header.startswith(SQLITE_HEADER):
        raise DatabaseProblem(
            f"{shown(path)} is not an SQLite database. Check the path, or choose another "
            "file with --db; this one was left untouched."
        )
    if len(header) < 100 or not _page_layout_ok(header, info.st_size):
        raise DatabaseProblem(
            f"{shown(path)} is truncated or damaged. It was left untouched; restore it "
            "from a backup or open another file with --db."
        )
    _check_writable(path)
    try:
        conn = connections.sqlite(path, "look")
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if app_id != APPLICATION_ID and (app_id != 0 or tables):
                raise DatabaseProblem(
                    f"{shown(path)} is an SQLite database of another program, not mhtui. "
                    "It was left untouched; choose another file with --db."
                )
            if version > latest:
                raise DatabaseProblem(
                    f"{shown(path)} was written by a newer mhtui (schema {version}; this one "
                    f"knows up to {latest}). Upgrade mhtui to open it; the file was left "
                    "untouched."
                )
            # An upgrade writes, so a file about to be upgraded is always checked first.
            if thorough or (tables and version < latest):
                _quick_check(conn, path)
            if tables:
                _check_shape(conn, path, version)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise _damaged(path, exc) from exc
    return FileState(path, fresh=tables == 0, version=version)


def _check_shape(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """The file's schema must be exactly what mhtui makes for ``version``: every table
    and column there, and nothing more (a planted trigger or view would run inside
    mhtui's own writes). Reading sqlite_master is cheap; the rest only on a refusal."""
    found = migrate.objects_of(conn)
    if migrate.made_by_mhtui(found, version):
        return
    columns = migrate.shape_of(conn)
    missing = migrate.missing_from(columns, version)
    if missing:
        raise DatabaseProblem(
            f"{shown(path)} is not the shape mhtui needs ({missing} missing): another "
            "program changed it or it is damaged. It was left untouched; restore it from "
            "a backup or open another file with --db."
        )
    added = migrate.not_made_by_mhtui(found, columns, version) or "is not as mhtui made it"
    raise DatabaseProblem(
        f"{shown(path)} {added}; not opened (another program or a person changed it). It "
        "was left untouched; restore it from a backup or open another file with --db."
    )


def create_private_file(path: Path) -> None:
    """Make an empty database file that only its owner can read, 0600 in a 0700 folder.

    A new file is created exclusively, never through a link; an existing (empty) one is
    made 0600 only once it is known to be a regular file.
    """
    if not path.parent.exists():
        ensure_private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise DatabaseProblem(f"{shown(path)} is not a regular file; it was left "
                                  "untouched.")
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def copy_into(source: Path, dest: Path, *, kind: connections.Kind = "look",
              journal: bool = True) -> None:
    """Copy a database, read as it is, over ``dest`` with SQLite's online backup API."""
    with closing(connections.sqlite(source, kind)) as src, \
            closing(connections.sqlite(dest, "copy")) as out:
        if not journal:
            out.execute("PRAGMA journal_mode=OFF")  # a failed copy is thrown away
        src.backup(out)


def backup_to(source: Path, dest: Path, *, exclusive: bool = True) -> Path:
    """Copy a live database to a new 0600 file, whole or not at all.

    SQLite's online backup API fills a private temporary file beside ``dest``
    (atomic.filled), which is then renamed into place; ``exclusive`` refuses an existing
    ``dest``. Raises WriteFailed, one line, when the copy cannot be made.
    """
    try:
        size = source.stat().st_size
    except OSError as exc:
        raise WriteFailed(f"Could not copy {shown(source)}: {reason(exc)}.") from exc
    if disk_is_full(dest, source, needed=size):
        raise WriteFailed(f"Could not write {shown(dest)}: the disk is full (the copy needs "
                          f"{size / 1e6:.1f} MB). Nothing was written there.")
    try:
        with filled(dest, exclusive=exclusive) as tmp:
            copy_into(source, tmp, kind="copy", journal=False)
    except sqlite3.Error as exc:
        raise WriteFailed(f"Could not write {shown(dest)}: {sqlite_reason(exc, dest, source)}. "
                          "Nothing was written there.") from exc
    return dest
