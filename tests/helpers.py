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


def screen_lines(app: App[object]) -> list[str]:
    """Every line of the screen as the terminal would show it, as plain text.

    Read from what the compositor draws, so it holds the header, toasts, dialogs, table
    cells and border titles alike, after markup (if any) was applied.
    """
    from textual.strip import Strip

    update = app.screen._compositor.render_full_update()
    return [Strip.join(line).text for line in update.strips]


def clickable_text(app: App[object]) -> list[str]:
    """The text of every piece of the screen that carries a link or a click action."""
    from textual.strip import Strip

    found = []
    for line in app.screen._compositor.render_full_update().strips:
        for segment in Strip.join(line):
            style = segment.style
            if style is not None and (style.link or "@click" in (style.meta or {})):
                found.append(segment.text)
    return found
