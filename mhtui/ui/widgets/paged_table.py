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

    def action_cursor_down(self) -> None:
        if self.row_count and self.cursor_row >= self.row_count - 1 and self.has_next:
            self.post_message(self.PageRequest(+1))
            return
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.cursor_row <= 0 and self.has_previous:
            self.post_message(self.PageRequest(-1))
            return
        super().action_cursor_up()

    def action_page_down(self) -> None:
        if self.row_count and self.cursor_row >= self.row_count - 1 and self.has_next:
            self.post_message(self.PageRequest(+1))
            return
        super().action_page_down()

    def action_page_up(self) -> None:
        if self.cursor_row <= 0 and self.has_previous:
            self.post_message(self.PageRequest(-1))
            return
        super().action_page_up()
