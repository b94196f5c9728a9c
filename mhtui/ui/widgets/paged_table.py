"""A LineTable that shows one page of rows and asks for another when you move past it.

The table never holds more than a page, so it fills in milliseconds however many rows
the database has (and draws only the lines on screen); moving off either end, or
Home/End, posts PageRequest for the screen to answer by loading the page that holds the
row the person asked for.
"""

from __future__ import annotations

from typing import Literal, TypeVar

from textual.message import Message

from mhtui.ui.widgets.line_table import LineTable

Where = Literal["next", "previous", "first", "last"]
RowT = TypeVar("RowT")


class PagedTable(LineTable[RowT]):
    """Home and End (LineTable's keys) mean the first and last row of the whole list, not
    of the page on screen: they ask for that page when it is not this one."""

    class PageRequest(Message):
        def __init__(self, where: Where) -> None:
            super().__init__()
            self.where: Where = where

        @property
        def step(self) -> int:
            return {"next": 1, "previous": -1}.get(self.where, 0)

    has_next = False
    has_previous = False

    def _past_edge(self, step: int) -> bool:
        """Ask for the next (or previous) page when the cursor is already at the edge."""
        at_edge = (self.row_count and self.cursor_row >= self.row_count - 1 and self.has_next
                   if step > 0 else self.cursor_row <= 0 and self.has_previous)
        if at_edge:
            self.post_message(self.PageRequest("next" if step > 0 else "previous"))
        return bool(at_edge)

    async def action_cursor_down(self) -> None:
        if not self._past_edge(+1):
            await super().action_cursor_down()

    async def action_cursor_up(self) -> None:
        if not self._past_edge(-1):
            await super().action_cursor_up()

    async def action_rows_down(self) -> None:
        if not self._past_edge(+1):
            await super().action_rows_down()

    async def action_rows_up(self) -> None:
        if not self._past_edge(-1):
            await super().action_rows_up()

    async def action_first_row(self) -> None:
        if self.has_previous:
            self.post_message(self.PageRequest("first"))
        elif self.row_count:
            self.move_cursor(row=0)

    async def action_last_row(self) -> None:
        if self.has_next:
            self.post_message(self.PageRequest("last"))
        elif self.row_count:
            self.move_cursor(row=self.row_count - 1)
