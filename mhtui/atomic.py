"""The one way mhtui writes a file: whole, private, never through a link.

Every file mhtui writes (exports, minutes, invitations and the calendar file, reflection
files, settings, every backup) goes through ``write_file`` or, for a copy SQLite makes
itself, ``filled``:

1. the target name is looked at first: a symbolic link (dangling or not), a folder or a
   device is refused; so is (``Refused``) anything mhtui must never write over: an
   SQLite database (the open one, a backup, any other: its 16-byte header says so),
   a database's -wal, -shm or -journal file, an existing file in the open database's
   backups folder, and any existing file when ``exclusive`` is asked for (the command
   line's writes are exclusive unless --force is given);
2. a temporary file with a random name is created in the target's folder with
   ``O_CREAT | O_EXCL | O_NOFOLLOW`` and mode 0600, so it is never an existing file or a
   link someone planted;
3. the data is written, flushed and fsync'ed, then the temporary file is renamed over
   the target (or hard-linked to it, for ``exclusive``) and the folder is fsync'ed;
4. on any failure the temporary file is removed and ``WriteFailed`` says, in one line,
   what went wrong. The target is the old file or the new one, never half of either.

A write killed between 2 and 3 leaves its temporary file: the next write into the same
folder removes such leftovers (only names of the temporary files made here, and only
when a minute old, so never one another write is still filling).

Folders are never made here: a missing folder is a failure. ``private_dir`` makes (or
tightens) mhtui's own folders to 0700 whatever the umask. Standard library only.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
_TRIES = 100


class WriteFailed(Exception):
    """A file that was not written; str() is one line naming it and saying why.

    Whatever was at the target before is still there, and no partial file is left.
    """


class Refused(WriteFailed):
    """A target mhtui will not write over (a database, a backup, a file that exists
    when the write is exclusive): the request was wrong, not the disk."""


class Exists(Refused):
    """An exclusive write found a file of that name (the command line's --force lets
    one that is not a database or a backup be replaced)."""


def shown(path: Path | str) -> str:
    """A path as one line of text: control characters (a newline in a name) escaped."""
    text = str(path)
    return text if text.isprintable() else repr(text)[1:-1]


_REASONS: dict[int | None, str] = {
    errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk is full",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission denied", errno.EPERM: "permission denied",
    errno.ENOENT: "its folder does not exist",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EIO: "the disk reported an I/O error (it may be failing or was removed)",
    errno.ELOOP: "it is a symbolic link",
    errno.ENAMETOOLONG: "the name is too long",
}


def reason(exc: OSError) -> str:
    """What an OSError means for the person, in a few words."""
    return _REASONS.get(exc.errno, exc.strerror or str(exc))


MARGIN = 64 * 1024  # what a disk needs beyond the data: SQLite's -shm file is 32 KiB


def disk_is_full(*places: Path, needed: int = 0) -> bool:
    """True when the file system holding any of ``places`` has less than ``needed`` bytes
    (and a margin) free.

    SQLite reports some writes to a full disk as an I/O error (making its -shm file, for
    one), and leaves a -wal and a -shm behind when it fails so; asking first keeps both
    from happening, and tells a full disk from a failing one.
    """
    for place in places:
        try:
            found = os.statvfs(place if place.is_dir() else place.parent)
        except OSError:
            continue
        if found.f_bavail * found.f_frsize < needed + MARGIN:
            return True
    return False


def _failed(path: Path, why: str) -> WriteFailed:
    return WriteFailed(f"Could not write {shown(path)}: {why}. Nothing was written there.")


SQLITE_HEADER = b"SQLite format 3\0"
COMPANIONS = ("-wal", "-shm", "-journal")  # SQLite's files beside a database
_open_databases: set[Path] = set()
_backup_folders: set[Path] = set()


def keep_off(database: Path, backups: Path) -> None:
    """Never write over ``database`` (the one mhtui has open) or its -wal, -shm and
    -journal, nor over anything in its ``backups`` folder, for the rest of the run."""
    _open_databases.add(_where(database))
    _backup_folders.add(_where(backups))


def _where(path: Path) -> Path:
    """``path`` with its folder's links and ".." resolved (the name itself is kept: a
    link there is refused, never followed)."""
    return Path(os.path.realpath(path.parent)) / path.name


def _is_sqlite(path: Path) -> bool:
    """Whether ``path`` is a regular file that begins as every SQLite database does."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):  # never opens a device or a pipe
            return False
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        return os.read(fd, len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False
    finally:
        os.close(fd)


def _kept_off(path: Path, *, exists: bool) -> str | None:
    """Why mhtui must not write at ``path`` (None: it may). Here, and only here, so no
    command can forget it."""
    where = _where(path)
    for database in _open_databases:
        if where == database:
            return "it is the database mhtui has open"
        if where.parent == database.parent and where.name in {
                database.name + end for end in COMPANIONS}:
            return f"it belongs to the database {shown(database)}, which mhtui has open"
    for end in COMPANIONS:
        if where.name.endswith(end) and _is_sqlite(where.with_name(where.name[:-len(end)])):
            return f"it is SQLite's {end[1:]} file of the database beside it"
    if exists and _is_sqlite(where):
        return "it is an SQLite database (a database or a backup), and mhtui never writes over one"
    if exists and any(where.is_relative_to(folder) for folder in _backup_folders):
        return "it is in the backups folder, and mhtui never writes over a backup"
    return None


def check_target(path: Path, *, exclusive: bool = False) -> None:
    """Refuse a target that is a link, a folder, a device, one mhtui must not write over
    (``_kept_off``) or (``exclusive``) any file."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        if not path.parent.is_dir():
            raise _failed(path, f"the folder {shown(path.parent)} does not exist") from None
        _refuse_if_kept_off(path, exists=False, exclusive=exclusive)
        return
    except OSError as exc:
        raise _failed(path, reason(exc)) from exc
    if stat.S_ISLNK(info.st_mode):
        raise _failed(path, "it is a symbolic link, and mhtui does not write through links; "
                            "choose another name")
    if stat.S_ISDIR(info.st_mode):
        raise _failed(path, "it is a folder; give the name of a file")
    if not stat.S_ISREG(info.st_mode):
        raise _failed(path, "it is not a regular file (a device, a pipe or a socket)")
    _refuse_if_kept_off(path, exists=True, exclusive=exclusive)


def _refuse_if_kept_off(path: Path, *, exists: bool, exclusive: bool) -> None:
    why = _kept_off(path, exists=exists)
    if why is not None:
        raise Refused(f"Could not write {shown(path)}: {why}. Nothing was changed.")
    if exists and exclusive:
        raise Exists(f"Could not write {shown(path)}: a file of that name already exists; "
                     "choose another name. Nothing was changed.")


def _candidate(path: Path) -> Path:
    """A random temporary name beside ``path`` (names are cut to fit NAME_MAX)."""
    # os.urandom, as secrets.token_hex uses, without importing hmac and OpenSSL for it
    # (2-3 ms of the first frame).
    return path.with_name(f".{path.name[:120]}.{os.urandom(8).hex()}.tmp")


# _candidate's names (and the journal SQLite may leave beside one, atomic.filled)
_TEMPORARY = re.compile(r"\..+\.[0-9a-f]{16}\.tmp(-journal)?", re.DOTALL)
STALE_AFTER = 60.0  # seconds: no write of mhtui's leaves its temporary file untouched so long


def sweep(folder: Path) -> None:
    """Remove what killed writes left in ``folder``: regular files named as ours that
    have not changed for STALE_AFTER seconds. A write still going touches its file."""
    old = time.time() - STALE_AFTER
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not _TEMPORARY.fullmatch(entry.name):
            continue
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and info.st_mtime < old:
                Path(entry.path).unlink()


def _create_temp(path: Path) -> tuple[int, Path]:
    for _ in range(_TRIES):
        tmp = _candidate(path)
        try:
            fd = os.open(tmp, _CREATE, PRIVATE_FILE)
        except FileExistsError:
            continue  # a name taken (or a link planted there): never opened, try another
        try:
            os.fchmod(fd, PRIVATE_FILE)  # the umask may have taken bits away
        except OSError:
            os.close(fd)
            _remove(tmp)
            raise
        return fd, tmp
    raise OSError(errno.EEXIST, "no free temporary name")


def _remove(tmp: Path) -> None:
    with contextlib.suppress(OSError):
        tmp.unlink()


def _sync_folder(folder: Path) -> None:
    """Make the rename itself survive a power cut (where the system allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):  # some file systems cannot sync a folder
            os.fsync(fd)
    finally:
        os.close(fd)


def _commit(tmp: Path, path: Path, *, exclusive: bool) -> None:
    if exclusive:
        try:
            os.link(tmp, path, follow_symlinks=False)  # fails if the name exists, atomically
        except FileExistsError:
            check_target(path, exclusive=True)  # says why (made since the first look)
            raise
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                raise
            check_target(path, exclusive=True)  # no hard links here: check, then rename
            tmp.replace(path)
        else:
            tmp.unlink()
    else:
        tmp.replace(path)  # replaces a link planted since the check, never follows it
    _sync_folder(path.parent)


def _start(path: Path, *, exclusive: bool) -> tuple[int, Path]:
    """Check where ``path`` would go, then open a private temporary file beside it."""
    check_target(path, exclusive=exclusive)
    sweep(path.parent)
    try:
        return _create_temp(path)
    except OSError as exc:
        raise _failed(path, reason(exc)) from exc


def _staged(path: Path, data: bytes | str, *, exclusive: bool) -> Path:
    """``data`` (text is UTF-8, line ends as given) in a private temporary file beside
    ``path``, fsync'ed; its name is returned for _commit."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = _start(path, exclusive=exclusive)
    with _or_removed(tmp, path):
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
    return tmp


def write_file(path: Path, data: bytes | str, *, exclusive: bool = False) -> Path:
    """Write ``data`` (text is UTF-8, line ends as given) to ``path`` as one 0600 file."""
    path = Path(path).expanduser()
    tmp = _staged(path, data, exclusive=exclusive)
    with _or_removed(tmp, path):
        _commit(tmp, path, exclusive=exclusive)
    return path


def write_set(files: list[tuple[Path, bytes | str]], *, exclusive: bool = False) -> list[Path]:
    """Several files as one (the invitation's emails and calendar file): every target is
    checked, then each file written whole to its temporary file, and only when all are
    on disk are they renamed into place. So a full disk or a refused name leaves none of
    them. A rename that fails once others are done (rare: it needs no room for data) is
    said naming the files that were written."""
    files = [(Path(path).expanduser(), data) for path, data in files]
    for path, _ in files:
        check_target(path, exclusive=exclusive)
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            staged.append((_staged(path, data, exclusive=exclusive), path))
    except BaseException:
        for tmp, _ in staged:
            _remove(tmp)
        raise
    done: list[Path] = []
    for number, (tmp, path) in enumerate(staged):
        try:
            with _or_removed(tmp, path):
                _commit(tmp, path, exclusive=exclusive)
        except BaseException as exc:
            for later, _ in staged[number + 1:]:
                _remove(later)
            if done and isinstance(exc, WriteFailed):
                names = ", ".join(shown(p.name) for p in done)
                left = ", ".join(shown(p.name) for _, p in staged[number:])
                raise WriteFailed(f"{str(exc).removesuffix(' Nothing was written there.')} "
                                  f"Written: {names}; not written: {left}.") from exc
            raise
        done.append(path)
    return done


@contextmanager
def _or_removed(tmp: Path, path: Path) -> Iterator[None]:
    """On any failure inside, the temporary file goes; an OSError becomes WriteFailed."""
    try:
        yield
    except OSError as exc:
        _remove(tmp)
        raise _failed(path, reason(exc)) from exc
    except BaseException:
        _remove(tmp)
        raise


@contextmanager
def filled(path: Path, *, exclusive: bool = False) -> Iterator[Path]:
    """A private temporary file for a tool to fill (SQLite's backup), then put in place.

    The block gets the temporary file's path; when it ends without an exception the file
    is fsync'ed and renamed to ``path``. It must still be the file created here: a file
    swapped in under the temporary name is refused. Any exception from the block removes
    the temporary file (and SQLite's journal beside it) and propagates; an OSError here
    becomes WriteFailed.
    """
    path = Path(path).expanduser()
    fd, tmp = _start(path, exclusive=exclusive)
    try:
        with _or_removed(tmp, path):
            made = os.fstat(fd)
            yield tmp
            now = os.lstat(tmp)
            if (now.st_dev, now.st_ino) != (made.st_dev, made.st_ino):
                raise _failed(path, "its temporary file was replaced while it was written")
            os.fsync(fd)  # the same file: SQLite wrote through its own descriptor
            _commit(tmp, path, exclusive=exclusive)
    finally:
        os.close(fd)
        _remove(Path(f"{tmp}-journal"))


@contextmanager
def streamed(path: Path, *, exclusive: bool = False) -> Iterator[BinaryIO]:
    """``write_file`` for data made a piece at a time (an export of 100,000 rows): the
    block writes to the private temporary file; when it ends without an exception the
    file is flushed, fsync'ed and renamed to ``path``. Any exception removes it."""
    path = Path(path).expanduser()
    fd, tmp = _start(path, exclusive=exclusive)
    with _or_removed(tmp, path):
        with os.fdopen(fd, "wb", buffering=1 << 16) as handle:  # closes fd, even on error
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _commit(tmp, path, exclusive=exclusive)


def private_dir(path: Path, *, tighten: bool = False) -> Path:
    """Make ``path`` and any missing parents, each 0700 whatever the umask.

    ``tighten`` also sets an existing ``path`` to 0700: for mhtui's own folders (the data
    folder, backups/, exports/), never for a folder the person chose. WriteFailed, one
    line, when a folder cannot be made (a read-only disk, a file in the way).
    """
    path = Path(path).expanduser()
    missing = []
    probe = path
    while not probe.is_dir():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        try:
            try:
                folder.mkdir(mode=PRIVATE_DIR)
            except FileExistsError:
                if folder.is_dir():
                    continue
                raise OSError(errno.ENOTDIR, "a file is in the way") from None
            os.chmod(folder, PRIVATE_DIR)  # mkdir's mode is filtered through the umask
        except OSError as exc:
            raise WriteFailed(f"Could not make the folder {shown(folder)}: "
                              f"{reason(exc)}. Nothing was written there.") from exc
    if tighten and not missing and stat.S_IMODE(path.stat().st_mode) != PRIVATE_DIR:
        try:
            os.chmod(path, PRIVATE_DIR)
        except OSError as exc:
            raise WriteFailed(f"Could not make the folder {shown(path)} private (0700): "
                              f"{reason(exc)}. Nothing was written there.") from exc
    return path
