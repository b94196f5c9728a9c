"""Backups of the database file, and restoring one. Standard library only.

Copies are made with SQLite's online backup API, so they are consistent even while the
app is writing; never with a file copy of a live database. Every copy is 0600 inside a
0700 folder next to the database.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import sqlite3
import stat
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from mhtui.atomic import SQLITE_HEADER, WriteFailed, disk_is_full, reason, shown
from mhtui.paths import ensure_private_dir
from mhtui.store.database import migrate
from mhtui.store.database.dbfile import (
    APPLICATION_ID,
    DatabaseProblem,
    backup_to,
    copy_into,
    inspect,
    sqlite_reason,
)

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
        made = backup_to(db_path, backups_dir(db_path) / f"mhtui-{now:%Y%m%d-%H%M%S}.db")
        return _stamped(made, now)
    return backup_to(db_path, out)


def _stamped(copy: Path, now: datetime) -> Path:
    """The copy's own time set to the clock's: what rotation and the dashboard go by
    (the same instant on a real clock; a test's clock and its files then agree)."""
    os.utime(copy, (now.timestamp(), now.timestamp()), follow_symlinks=False)
    return copy


def daily(db_path: Path, now: datetime) -> Path | None:
    """Today's copy, made once a day, and the older daily copies rotated: None when
    today's was already there. A file at today's name that is not a copy mhtui made is
    left as it is and said (WriteFailed)."""
    base = backups_dir(db_path)
    today = now.astimezone().date()
    dest = base / f"daily-{today.isoformat()}.db"
    made = None
    if dest.is_symlink() or not dest.exists():  # a link planted there is refused, said
        made = _stamped(backup_to(db_path, dest), now)  # whole or not there at all
    elif _mhtui_copy(dest) is None:
        raise WriteFailed(f"{shown(dest)} is there and is not a copy mhtui made; it was "
                          "left as it is. Move it away and today's copy is made at the "
                          "next start.")
    # The newest copies by their own time, today's always among them; only what
    # _trusted() vouches for is counted or ever deleted.
    older = sorted((c for c in _trusted(base, now) if c[1] != dest), reverse=True)
    for _, old in older[KEEP_DAILY - 1:]:
        with contextlib.suppress(FileNotFoundError):
            old.unlink()
    # A copy cut off by a power cut or a kill leaves its private temporary file; a day
    # later no copy can still be writing it.
    for stale in base.glob(".*.db.*.tmp"):
        with contextlib.suppress(OSError):
            if stale.lstat().st_mtime < time.time() - STALE_SECONDS:
                stale.unlink()
    return made


# The names mhtui gives its copies, with the day in each: daily, `backup`, and the one
# `restore` keeps. Only these are ever counted or deleted.
_OWN_NAME = re.compile(
    r"daily-(\d{4}-\d{2}-\d{2})\.db|(?:mhtui|before-restore)-(\d{8})-\d{6}\.db")
# A FAT disk or a share keeps local time: some hours off is not yet "the future".
FUTURE_SLACK = 24 * 3600


def _mhtui_copy(path: Path) -> os.stat_result | None:
    """The file's status if it is a copy mhtui made: a regular file (not a link) holding
    an mhtui database (SQLite's header with mhtui's application id); else None."""
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode):
            return None
        with path.open("rb") as handle:
            head = handle.read(72)
    except OSError:
        return None
    ours = head[:16] == SQLITE_HEADER and int.from_bytes(head[68:72], "big") == APPLICATION_ID
    return info if ours else None


def _trusted(base: Path, now: datetime, *, daily_only: bool = True) -> list[tuple[float, Path]]:
    """(modification time, path) of each copy mhtui made in ``base`` whose name and time
    are not in the future: a name dated 2099 (a clock once wrong, a file copied in) is
    neither counted as new nor ever deleted."""
    today, latest = now.astimezone().date(), now.timestamp() + FUTURE_SLACK
    found = []
    for path in base.iterdir():
        named = _OWN_NAME.fullmatch(path.name)
        if named is None or (daily_only and named[1] is None):
            continue
        try:
            day = (date.fromisoformat(named[1]) if named[1]
                   else datetime.strptime(named[2], "%Y%m%d").date())
        except ValueError:
            continue
        info = _mhtui_copy(path)
        if info is not None and day <= today and info.st_mtime <= latest:
            found.append((info.st_mtime, path))
    return found


def newest(db_path: Path, now: datetime) -> datetime | None:
    """When the newest copy mhtui made of the database was written (by the file's own
    time, in UTC); None when there is none, or no backups folder."""
    try:
        times = [t for t, _ in _trusted(folder(db_path), now, daily_only=False)]
    except OSError:
        return None
    return datetime.fromtimestamp(max(times), UTC) if times else None


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


def unless_in_use(db_path: Path, change: Callable[[], None]) -> bool:
    """Run ``change`` on the file while no running mhtui has it open (the in-use lock
    taken whole, so none can open it meanwhile); False, nothing run, when one has."""
    fd = _open_lock(db_path)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        change()
        return True
    finally:
        os.close(fd)


def restore(db_path: Path, source: Path, now: datetime) -> Path:
    """Replace the database with ``source``; returns the backup of what was there."""
    try:
        state = inspect(source, migrate.latest_version())
    except DatabaseProblem as exc:
        raise DatabaseProblem(f"{source} cannot be restored: {exc}") from exc
    if state.fresh:
        raise DatabaseProblem(f"{source} is empty, not an mhtui backup; nothing was restored.")
    saved = folder(db_path) / f"before-restore-{now:%Y%m%d-%H%M%S}.db"

    def replace() -> None:  # the folder made (or tightened) only once the lock is held
        backup_to(db_path, backups_dir(db_path) / saved.name)
        try:
            copy_into(source, db_path)
        except sqlite3.Error as exc:  # one transaction: the database is as it was
            raise DatabaseProblem(
                f"{shown(source)} was not restored: {sqlite_reason(exc, db_path)}. The database is "
                f"as it was (a copy is also at {shown(saved)}).") from exc

    if not unless_in_use(db_path, replace):
        raise DatabaseProblem(f"{db_path} is open in a running mhtui. Close it there first; "
                              "nothing was restored.")
    return saved


# --- a database server (PostgreSQL): its own tools, pg_dump and pg_restore -------------

DUMP_MAGIC = b"PGDMP"  # how pg_dump's custom format (-Fc) begins
NO_DAILY_COPY = ("The daily backup copy is made for an SQLite file only: on a database "
                 "server, the server's own backups apply (`mhtui backup` runs pg_dump).")


def server_backups_dir() -> Path:
    """Where `mhtui backup` puts a server's dumps by default: the data folder's backups
    folder (0700), as the server has no folder of its own here."""
    from mhtui.paths import data_dir

    ensure_private_dir(data_dir(), tighten=True)
    return ensure_private_dir(data_dir() / "backups", tighten=True)


def _quoted(value: str) -> str:
    """One value of a libpq connection string, quoted (libpq's rules)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def libpq_call(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection string for a PostgreSQL URL, without its password, and the
    environment that carries the password (PGPASSWORD) when the URL has one.

    The connection string goes on pg_dump's command line, where `ps` shows it to every
    user: so the password never does; with none in the URL, libpq finds it in
    ~/.pgpass (PGPASSFILE) or a service file, as psycopg does.
    """
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    parts = {key: str(value) for key, value in (
        ("host", parsed.host), ("port", parsed.port), ("user", parsed.username),
        ("dbname", parsed.database)) if value}
    for key, value in parsed.query.items():  # host=/socket, service=name, sslmode=...
        parts[key] = value if isinstance(value, str) else ",".join(value)
    env = {"PGPASSWORD": str(parsed.password)} if parsed.password else {}
    return " ".join(f"{key}={_quoted(value)}" for key, value in parts.items()), env


def _tool(name: str, label: str, doing: str) -> str:
    import shutil

    found = shutil.which(name)
    if found is None:
        raise DatabaseProblem(
            f"{label} is a database server and {name} (PostgreSQL's client tools) is not "
            f"on the PATH, so mhtui cannot {doing} it: the server's own backups apply "
            "(ask whoever runs it), or install the client tools.")
    return found


def _run(argv: list[str], env: dict[str, str], **options: object) -> str:
    """Run a PostgreSQL tool; what it said on stderr, first line, if it failed."""
    import subprocess

    done = subprocess.run(argv, env={**os.environ, **env}, stderr=subprocess.PIPE,
                          check=False, **options)  # type: ignore[call-overload]
    if done.returncode == 0:
        return ""
    said = done.stderr.decode("utf-8", "replace").strip().splitlines()
    text = next((line for line in said if "error" in line.lower()), said[0] if said else "")
    for secret in env.values():
        text = text.replace(secret, "***")
    return text.removeprefix(f"{Path(argv[0]).name}: ").strip() or f"exit status {done.returncode}"


def dump_server(url: str, label: str, out: Path | None, now: datetime) -> Path:
    """`pg_dump -Fc` of the server database into a new 0600 file (never over an existing
    one; whole or not there at all). DatabaseProblem, one line, when it cannot be made."""
    import errno

    from mhtui.atomic import streamed

    pg_dump = _tool("pg_dump", label, "back up")
    if out is None:
        out = server_backups_dir() / f"mhtui-{now:%Y%m%d-%H%M%S}.dump"
    full = WriteFailed(f"Could not write {shown(out)}: the disk is full. Nothing was "
                       "written there.")
    if disk_is_full(out):  # the dump's size is not known before: the margin, at least
        raise full
    conninfo, env = libpq_call(url)
    with streamed(out, exclusive=True) as handle:  # any exception removes the part written
        failed = _run([pg_dump, "--format=custom", "--no-password", f"--dbname={conninfo}"],
                      env, stdout=handle)
        # pg_dump cut short by a full disk says "could not write to output file: No space
        # left on device" (or in the local language): the disk is looked at too.
        if failed and (os.strerror(errno.ENOSPC) in failed or disk_is_full(out)):
            raise full
        if failed:
            raise DatabaseProblem(f"{label} was not backed up: pg_dump said: {failed}. "
                                  f"Nothing was written to {shown(out)}.")
    return out


def restore_server(url: str, label: str, source: Path) -> None:
    """`pg_restore` of a pg_dump file into the server database, which must be empty (a
    new database: restoring over live data would mix two states). One transaction: on
    any error nothing is kept. DatabaseProblem, one line, when it is refused or fails."""
    try:
        with source.open("rb") as handle:
            start = handle.read(len(DUMP_MAGIC))
    except OSError as exc:
        raise DatabaseProblem(f"{shown(source)} cannot be restored: {reason(exc)}.") from exc
    if start != DUMP_MAGIC:
        raise DatabaseProblem(f"{shown(source)} is not a backup of a database server "
                              "(pg_dump's custom format, as `mhtui backup` makes); nothing "
                              "was restored.")
    pg_restore = _tool("pg_restore", label, "restore")
    tables = _tables_in(url)
    if tables:
        raise DatabaseProblem(
            f"{label} is not empty ({tables} tables): a backup is restored only into a new, "
            "empty database (CREATE DATABASE ...), then mhtui pointed at it. Nothing was "
            "restored.")
    conninfo, env = libpq_call(url)
    failed = _run([pg_restore, "--no-password", "--single-transaction", "--exit-on-error",
                   "--no-owner", f"--dbname={conninfo}", str(source)], env)
    if failed:
        raise DatabaseProblem(f"{shown(source)} was not restored into {label}: pg_restore "
                              f"said: {failed}. The database is as it was (empty).")


def _tables_in(url: str) -> int:
    """How many tables, views and sequences the database holds outside the system's."""
    from sqlalchemy import text

    from mhtui.store.database import connections

    engine = connections.engine(url, pooled=False)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = "
                "c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND "
                "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT "
                "LIKE 'pg\\_toast%'")).scalar_one())
    finally:
        engine.dispose()


def no_daily_copy_once(label: str) -> str | None:
    """NO_DAILY_COPY the first time a server database is opened by this person, None
    every time after (the settings file remembers which databases were told)."""
    from mhtui import settings

    told = settings.read()[0].told_no_daily_copy
    if label in told:
        return None
    with contextlib.suppress(OSError, WriteFailed):  # not remembered: said again next time
        settings.save(told_no_daily_copy=[*told, label])
    return NO_DAILY_COPY
