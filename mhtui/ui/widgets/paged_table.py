"""A DataTable that shows one page of rows and asks for the next when you move past it.

The table never holds more than a page, so it fills in milliseconds however many rows
the database has; moving off either end posts PageRequest for the screen to answer.
"""

from __future__ import annotations

from textual.message import Message
from textual.widgets import DataTable


class PagedTable(DataTable[str]):
    class PageRequest(Message):
        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step  # +1 next page, -1 previous page

    has_next = False
    has_previous = False

    def _past_edge(self, step: int) -> bool:
        """Ask for the next (or previous) page when the cursor is already at the edge."""
        at_edge = (self.row_count and self.cursor_row >= self.row_count - 1 and self.has_next
                   if step > 0 else self.cursor_row <= 0 and self.has_previous)
        if at_edge:
            self.post_message(self.PageRequest(step))
        return bool(at_edge)

    def action_cursor_down(self) -> None:
        if not self._past_edge(+1):
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if not self._past_edge(-1):
            super().action_cursor_up()

    def action_page_down(self) -> None:
        if not self._past_edge(+1):
            super().action_page_down()

    def action_page_up(self) -> None:
        if not self._past_edge(-1):
            super().action_page_up()
