"""Small helpers for reading what a user would see in a Pilot test."""

from __future__ import annotations

from textual.app import App
from textual.content import Content
from textual.widgets import DataTable, Static


def text_of(app: App[object], selector: str) -> str:
    """The plain text of a Static, markup removed, as it appears on screen."""
    widget = app.screen.query_one(selector, Static)
    content = widget.content
    if isinstance(content, str):
        return Content.from_markup(content).plain
    return str(content)


def table_rows(app: App[object], selector: str = "DataTable") -> list[list[str]]:
    table: DataTable[object] = app.screen.query_one(selector, DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
