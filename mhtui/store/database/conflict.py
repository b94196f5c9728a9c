"""No edit overwrites another unseen: one compare-and-set for every row people edit.

A screen keeps the ``version`` of each row it shows and every change names it. ``claim``
bumps the version only if the row is still at that version (``UPDATE ... WHERE id = ?
AND version = ?``, atomic on SQLite and PostgreSQL alike); if another copy of the app or
the command line changed the row meanwhile, ConflictError is raised inside the write
transaction, so nothing of the change is kept. The error names the row and what it holds
now; the app then reads the screen again and says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import inspect, update
from sqlmodel import Session, SQLModel

from mhtui.store.database.dbfile import StorageProblem

Row = TypeVar("Row", bound=SQLModel)


class ConflictError(StorageProblem):
    """The row changed (or went) since it was read; nothing was written.

    ``current`` is the row as it is now, None when it is gone: a detached copy of an ORM
    row, or a read model where the module has one (actions give an ActionItem). A
    StorageProblem, so every key path and the command line report it in one line.
    """

    current: object | None

    def __init__(self, message: str, current: object | None = None) -> None:
        super().__init__(message)
        if isinstance(current, SQLModel):  # the session that read it expires its rows
            current = type(current)(**current.model_dump())
        self.current = current


def changed(what: str, now: str) -> str:
    return f"Not saved: someone else changed {what} meanwhile; it is now {now}."


def gone(what: str) -> str:
    return f"Not saved: someone else deleted {what} meanwhile."


def quote(text: str, width: int = 60) -> str:
    """People's text in a message: on one line, cut short, in quotes; or "empty"."""
    flat = " ".join(text.split())
    if not flat:
        return "empty"
    return repr(flat if len(flat) <= width else flat[: width - 1] + "…")


def refusal(what: str, now: Callable[[Row], str], error: type[ConflictError] = ConflictError,
            ) -> Callable[[Row | None], ConflictError]:
    """The usual ConflictError: ``what`` names the row, ``now`` words its current value."""

    def refuse(current: Row | None) -> ConflictError:
        return error(gone(what) if current is None else changed(what, now(current)), current)

    return refuse


def claim(session: Session, model: type[Row], row_id: int, version: int,
          refuse: Callable[[Row | None], ConflictError], **values: Any) -> Row:
    """Take the row for this change if it is still at ``version``; raise ``refuse(row)``
    if not. Bumps the version, sets ``values``, and returns the row (flushed with the
    transaction, so text is tidied like any other write)."""
    columns = inspect(model).local_table.c
    result = session.execute(
        update(model)
        .where(columns.id == row_id, columns.version == version)
        .values(version=columns.version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise refuse(session.get(model, row_id, populate_existing=True))
    row = session.get(model, row_id, populate_existing=True)
    assert row is not None
    for name, value in values.items():
        setattr(row, name, value)
    session.add(row)
    return row


def drop(session: Session, model: type[Row], row_id: int, version: int,
         refuse: Callable[[Row | None], ConflictError]) -> Row:
    """Delete the row if it is still at ``version``; raise ``refuse(row)`` if not."""
    row = claim(session, model, row_id, version, refuse)
    session.delete(row)
    session.flush()
    return row
