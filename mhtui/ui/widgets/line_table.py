"""A table drawn a line at a time (Textual's line API), over rows read a page at a time.

Why not DataTable: it repaints every visible cell when one cell changes (a status key
was saved in 5 ms and shown in 50-200 ms), and it holds every row it shows. LineTable
holds a few pages of read models, draws only the lines Textual asks for, keeps each
drawn line in a small cache, and after a change redraws only that row's line.

How a screen uses it (the screen reads the store; the table never does):

    class ActionRows:                       # a RowSource[ActionItem]
        def count(self) -> int: ...         # how many rows the whole list has
        def page(self, offset, limit): ...  # rows offset..offset+limit-1 it holds, or
                                            # None: the table posts PageWanted
        def key(self, row) -> str: ...      # a row's identity ("42"), kept across reads
        def cells(self, row, columns): ...  # one str or rich Text per column

    table = LineTable(id="actions-table", zebra_stripes=True)
    table.set_columns([Column("id", "#", 4), Column("action", "Action", 40), ...])
    table.set_source(ActionRows(...), cursor_row=0)   # a new list (view, sort, filter)
    table.replace_row("42", saved)   # one row changed: only its line is drawn again
    table.fill_page(source, offset, rows)  # a page read in a worker, for PageWanted
    table.reload()                   # the list changed (a row added or deleted)
    table.cursor_row, table.cursor_key, table.cursor_value, table.move_cursor(row=...)

Text: a ``str`` cell or label is shown exactly as typed, never read as markup; a rich
``Text`` keeps its own styles (per-cell styles, e.g. a grid's "yes" in green).

Keys: up/down, PageUp/PageDown, Home/End (and ctrl+Home/ctrl+End) move over the whole
list, not a loaded page; Enter selects. With ``cursor_type="cell"``, left/right move
the cell cursor, Home/End go to the first and last column (as DataTable; ctrl+Home and
ctrl+End still go to the first and last row), and the first ``fixed_columns`` columns
stay in view while the rest scroll sideways (for the grid). Mouse: a click highlights a
row (or cell), a click on the highlighted one selects it; the wheel scrolls.

Messages (bubbling to the screen): RowHighlighted, RowSelected, and for a cell cursor
CellHighlighted, CellSelected. Each carries the table, the row index and the row's key
(and the column index and key for cells). PageWanted asks the screen for rows its source
does not hold: drawing never waits on the database, a row not read yet is drawn as a
placeholder until fill_page brings it, and a key that moves the cursor onto such a row
lands once it is read, so the next key acts on that row.

Looks: the same as DataTable with the same CSS (header, zebra stripes, cursor focused and
not), so screens that move to it look as before; the component classes are named
``linetable--header``, ``--cursor``, ``--even-row``, ``--odd-row``, ``--fixed``,
``--fixed-cursor``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Literal, Protocol, TypeVar, runtime_checkable

from rich.segment import Segment
from rich.style import Style
from rich.text import Span, Text
from textual import events
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

RowT = TypeVar("RowT")
RowCo = TypeVar("RowCo", covariant=True)
Cell = str | Text  # a str is literal text, never markup
CursorType = Literal["row", "cell", "none"]


@dataclass(frozen=True)
class Column:
    """A column: ``key`` names it for the screen, ``label`` is its heading (literal
    text), ``width`` the cells its text gets; one blank cell pads each side."""

    key: str
    label: str
    width: int

    @property
    def render_width(self) -> int:
        """Cells on screen, padding included."""
        return self.width + 2


class RowSource(Protocol[RowT]):
    """Where a LineTable's rows come from; it is asked only for what is drawn."""

    def count(self) -> int:
        """How many rows the whole list has."""
        ...

    def page(self, offset: int, limit: int) -> Sequence[RowT] | None:
        """Rows ``offset`` to ``offset + limit - 1`` of the list, in order; None when
        they are not held (the table then asks the screen for them by PageWanted)."""
        ...

    def key(self, row: RowT) -> str:
        """The row's identity, the same on every read (an id)."""
        ...

    def cells(self, row: RowT, columns: Sequence[Column]) -> Sequence[Cell]:
        """What each column shows for ``row``: a str (literal) or a rich Text."""
        ...


@runtime_checkable
class ReadRows(Protocol[RowCo]):
    """A source that can read the rows it does not hold (from the store: slow)."""

    def read(self, offset: int, limit: int) -> Sequence[RowCo]:
        ...


class ListRows(Generic[RowT]):
    """A RowSource over rows already read whole (a short list, e.g. the check-in's
    review); ``rows`` may be replaced or changed in place by the screen."""

    def __init__(self, rows: Sequence[RowT], key: Callable[[RowT], str],
                 cells: Callable[[RowT, Sequence[Column]], Sequence[Cell]]) -> None:
        self.rows = list(rows)
        self._key, self._cells = key, cells

    def count(self) -> int:
        return len(self.rows)

    def page(self, offset: int, limit: int) -> Sequence[RowT]:
        return self.rows[offset:offset + limit]

    def key(self, row: RowT) -> str:
        return self._key(row)

    def cells(self, row: RowT, columns: Sequence[Column]) -> Sequence[Cell]:
        return self._cells(row, columns)


PAGES_KEPT = 6  # pages of rows held; the rest are asked for again when drawn
LINES_KEPT = 600  # drawn lines held (a 200x50 screen shows 49 rows)
# The longest a key that moved the cursor onto a page being read waits for it, as the
# key gate's NODE_WAIT; a read that fails lets the keys go on at once (release_wanted).
PAGE_WAIT = 10.0
PLACEHOLDER = "…"  # the first cell of a row whose page is being read


class LineTable(ScrollView, Generic[RowT], can_focus=True):
    DEFAULT_CSS = """
    LineTable {
        background: $surface;
        color: $foreground;
        height: 1fr;
        &:focus {
            background-tint: $foreground 5%;
            & > .linetable--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .linetable--header {
                background-tint: $foreground 5%;
            }
            & > .linetable--fixed-cursor {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
            }
        }
        &:dark {
            & > .linetable--even-row {
                background: $surface-darken-1 40%;
            }
        }
        & > .linetable--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .linetable--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .linetable--fixed {
            background: $secondary-muted;
            color: $foreground;
        }
        & > .linetable--odd-row {
        }
        & > .linetable--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .linetable--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .linetable--fixed-cursor {
            background: $block-cursor-blurred-background;
            color: $foreground;
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "linetable--header", "linetable--cursor", "linetable--even-row",
        "linetable--odd-row", "linetable--fixed", "linetable--fixed-cursor",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", id="table.select", show=False),
        Binding("up", "cursor_up", "Cursor up", id="table.cursor_up", show=False),
        Binding("down", "cursor_down", "Cursor down", id="table.cursor_down", show=False),
        Binding("left", "cursor_left", "Cursor left", id="table.cursor_left", show=False),
        Binding("right", "cursor_right", "Cursor right", id="table.cursor_right",
                show=False),
        Binding("pageup", "rows_up", "Page up", id="table.page_up", show=False),
        Binding("pagedown", "rows_down", "Page down", id="table.page_down", show=False),
        # In a list of rows Home and End mean the first and last row of the whole list;
        # with a cell cursor, the first and last column, as in DataTable.
        Binding("home", "home", "First row", id="table.first_row", show=False),
        Binding("end", "end", "Last row", id="table.last_row", show=False),
        Binding("ctrl+home", "first_row", "First row", id="table.first_row_ctrl", show=False),
        Binding("ctrl+end", "last_row", "Last row", id="table.last_row_ctrl", show=False),
    ]

    # --- messages -------------------------------------------------------------------

    class RowHighlighted(Message):
        """The cursor moved to another row (or the list under it changed)."""

        def __init__(self, table: LineTable[Any], row: int, key: str | None) -> None:
            super().__init__()
            self.table, self.cursor_row, self.row_key = table, row, key

        @property
        def control(self) -> LineTable[Any]:
            return self.table

    class RowSelected(RowHighlighted):
        """Enter, or a click on the highlighted row."""

    class CellHighlighted(Message):
        def __init__(self, table: LineTable[Any], row: int, column: int,
                     key: str | None, column_key: str | None) -> None:
            super().__init__()
            self.table, self.cursor_row, self.cursor_column = table, row, column
            self.row_key, self.column_key = key, column_key

        @property
        def control(self) -> LineTable[Any]:
            return self.table

    class CellSelected(CellHighlighted):
        """Enter, or a click on the highlighted cell."""

    class PageWanted(Message):
        """Rows ``offset`` to ``offset + limit - 1`` are to be drawn (or are under the
        cursor) and the source does not hold them: the screen reads them in a worker
        and hands them to ``fill_page``. Posted once a page until it comes. The screen
        answers it, not the app: a key waiting for the page runs on the app's turn."""

        def __init__(self, table: LineTable[Any], source: RowSource[Any], offset: int,
                     limit: int) -> None:
            super().__init__()
            self.table, self.source, self.offset, self.limit = table, source, offset, limit

        @property
        def control(self) -> LineTable[Any]:
            return self.table

    # --- building -------------------------------------------------------------------

    def __init__(self, *, cursor_type: CursorType = "row", zebra_stripes: bool = False,
                 fixed_columns: int = 0, show_header: bool = True, page_size: int = 100,
                 name: str | None = None, id: str | None = None,
                 classes: str | None = None, disabled: bool = False) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.cursor_type: CursorType = cursor_type
        self.zebra_stripes = zebra_stripes
        self.fixed_columns = fixed_columns
        self.show_header = show_header
        self.page_size = page_size
        self.columns: list[Column] = []
        self._source: RowSource[RowT] | None = None
        self._count = 0
        self._pages: OrderedDict[int, list[RowT]] = OrderedDict()
        self._wanted: dict[int, asyncio.Event] = {}  # pages asked for, set when they come
        self._cursor_row = 0
        self._cursor_column = 0
        # Drawn lines, whole width (before scrolling sideways), keyed by what they show.
        self._lines: OrderedDict[tuple[object, ...], Strip] = OrderedDict()
        self._generation = 0  # bumped when every line must be drawn again
        self._row_generation: dict[int, int] = {}  # bumped when one row changed
        self._component_styles_read: dict[str, Style] = {}

    @property
    def header_height(self) -> int:
        return 1 if self.show_header else 0

    @property
    def row_count(self) -> int:
        """Rows in the whole list (not only those read)."""
        return self._count

    @property
    def cursor_row(self) -> int:
        return self._cursor_row

    @property
    def cursor_column(self) -> int:
        return self._cursor_column

    @property
    def source(self) -> RowSource[RowT] | None:
        return self._source

    def set_columns(self, columns: Sequence[Column]) -> None:
        """New columns (the width changed, or another set): every line is redrawn."""
        self.columns = list(columns)
        self._cursor_column = min(self._cursor_column, max(len(self.columns) - 1, 0))
        self._changed_all()

    def set_source(self, source: RowSource[RowT], cursor_row: int | None = None,
                   cursor_key: str | None = None) -> None:
        """Show another list (a new view, sort or filter). The cursor goes to
        ``cursor_key`` if that row is on the first page read, else to ``cursor_row``
        (clamped), else stays where it was (clamped)."""
        self._source = source
        self.reload(cursor_row=cursor_row, cursor_key=cursor_key)

    def reload(self, cursor_row: int | None = None, cursor_key: str | None = None) -> None:
        """Read the list again (rows added, deleted or moved), keeping the cursor."""
        self._pages.clear()
        self.release_wanted()
        self._count = self._source.count() if self._source is not None else 0
        row = self._cursor_row if cursor_row is None else cursor_row
        row = max(0, min(row, self._count - 1))
        if cursor_key is not None:
            found = self._loaded_index(cursor_key, around=row)
            if found is not None:
                row = found
        self._changed_all()
        self._set_cursor(row, self._cursor_column, force_message=True)

    def replace_row(self, key: str, row: RowT) -> bool:
        """Show ``row`` in place of the loaded row with the same key; only its line is
        drawn again. False when no loaded row has that key (read the list again)."""
        for number, rows in self._pages.items():
            for i, held in enumerate(rows):
                if self._source is not None and self._source.key(held) == key:
                    rows[i] = row
                    self.refresh_row(number * self.page_size + i)
                    return True
        return False

    def refresh_row(self, index: int) -> None:
        """Draw row ``index`` again (its cells changed)."""
        self._row_generation[index] = self._row_generation.get(index, 0) + 1
        if len(self._row_generation) > LINES_KEPT:
            self._row_generation.clear()
            self._changed_all()
            return
        self._refresh_row_line(index)

    # --- reading rows -----------------------------------------------------------------

    def row_at(self, index: int) -> RowT | None:
        """Row ``index`` of the whole list, or None while its page is being read (asked
        for by PageWanted, never read here: this runs while drawing)."""
        if self._source is None or not 0 <= index < self._count:
            return None
        number, at = divmod(index, self.page_size)
        rows = self._pages.get(number)
        if rows is None:
            held = self._source.page(number * self.page_size, self.page_size)
            if held is None:
                self._want(number)
                return None
            rows = self._keep_page(number, held)
        else:
            self._pages.move_to_end(number)
        return rows[at] if at < len(rows) else None

    def _keep_page(self, number: int, rows: Sequence[RowT]) -> list[RowT]:
        kept = self._pages[number] = list(rows)
        while len(self._pages) > PAGES_KEPT:
            self._pages.popitem(last=False)
        return kept

    def _want(self, number: int) -> None:
        if number not in self._wanted and self._source is not None:
            self._wanted[number] = asyncio.Event()
            # Made on the table's own turn, not while the screen draws: a message made
            # then counts as the screen's and would stop there, not reach the app.
            self.call_later(self._ask, self._source, number)

    def _ask(self, source: RowSource[RowT], number: int) -> None:
        if source is self._source and number in self._wanted:
            self.post_message(self.PageWanted(self, source, number * self.page_size,
                                              self.page_size))

    def fill_page(self, source: RowSource[RowT], offset: int, rows: Sequence[RowT]) -> None:
        """The rows of a page asked for by PageWanted, read by the screen: drawn in place
        of their placeholders (dropped if the table shows another list by now)."""
        number = offset // self.page_size
        if source is not self._source or number not in self._wanted:
            return
        self._keep_page(number, rows)
        self._wanted.pop(number).set()
        self._changed_all()
        if number == self._cursor_row // self.page_size and self._count:
            self._post_highlighted()  # the cursor's row is known now

    def release_wanted(self) -> None:
        """Stop waiting for the pages asked for (a read failed, or the list changed):
        keys waiting on them go on, and a row drawn again asks again."""
        for event in self._wanted.values():
            event.set()
        self._wanted.clear()

    async def _cursor_row_read(self) -> None:
        """Wait for the cursor's row if its page is being read: a key that moved the
        cursor there has landed only then, so the next key acts on that row."""
        self.row_at(self._cursor_row)
        event = self._wanted.get(self._cursor_row // self.page_size)
        if event is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), PAGE_WAIT)

    def key_at(self, index: int) -> str | None:
        row = self.row_at(index)
        return None if row is None or self._source is None else self._source.key(row)

    @property
    def cursor_value(self) -> RowT | None:
        """The row under the cursor."""
        return self.row_at(self._cursor_row)

    @property
    def cursor_key(self) -> str | None:
        return self.key_at(self._cursor_row)

    def loaded_rows(self) -> list[tuple[int, RowT]]:
        """The rows held now, with their index: what a screen may look through without
        reading the store."""
        return [(number * self.page_size + i, row) for number, rows in self._pages.items()
                for i, row in enumerate(rows)]

    def plain_rows(self, start: int = 0, stop: int | None = None) -> list[list[str]]:
        """The text of rows ``start`` to ``stop`` (the end by default), cell by cell, as
        shown before being cut to the column. For tests: a page not held is read here,
        through the source's ``read``, waiting on the store."""
        out = []
        for index in range(start, self._count if stop is None else min(stop, self._count)):
            number = index // self.page_size
            if (number not in self._pages and isinstance(self._source, ReadRows)
                    and self._source.page(number * self.page_size, self.page_size) is None):
                self._wanted.setdefault(number, asyncio.Event())
                self.fill_page(self._source, number * self.page_size,
                               self._source.read(number * self.page_size, self.page_size))
            row = self.row_at(index)
            if row is not None and self._source is not None:
                out.append([c if isinstance(c, str) else c.plain
                            for c in self._source.cells(row, self.columns)])
        return out

    def _loaded_index(self, key: str, around: int) -> int | None:
        self.row_at(around)  # the page the cursor would be on
        if self._source is None:
            return None
        for index, row in self.loaded_rows():
            if self._source.key(row) == key:
                return index
        return None

    # --- the cursor ---------------------------------------------------------------------

    def move_cursor(self, *, row: int | None = None, column: int | None = None,
                    scroll: bool = True, animate: bool = False) -> None:
        """Put the cursor on ``row`` / ``column`` (clamped) and keep it in view."""
        del animate  # the cursor always jumps: a room watches, nothing slides
        self._set_cursor(self._cursor_row if row is None else row,
                         self._cursor_column if column is None else column, scroll=scroll)

    def _set_cursor(self, row: int, column: int, *, scroll: bool = True,
                    force_message: bool = False) -> None:
        row = max(0, min(row, self._count - 1))
        column = max(0, min(column, len(self.columns) - 1))
        old_row, old_column = self._cursor_row, self._cursor_column
        self._cursor_row, self._cursor_column = row, column
        if (row, column) != (old_row, old_column):
            self._refresh_row_line(old_row)
            self._refresh_row_line(row)
        if scroll:
            self.scroll_to_cursor()
        if self._count and (force_message or row != old_row
                            or (self.cursor_type == "cell" and column != old_column)):
            self._post_highlighted()

    def _post_highlighted(self) -> None:
        row, key = self._cursor_row, self.cursor_key
        if self.cursor_type == "cell":
            column_key = self.columns[self._cursor_column].key if self.columns else None
            self.post_message(self.CellHighlighted(self, row, self._cursor_column, key,
                                                   column_key))
        else:
            self.post_message(self.RowHighlighted(self, row, key))

    def _post_selected(self) -> None:
        if not self._count or self.cursor_type == "none":
            return
        row, key = self._cursor_row, self.cursor_key
        if self.cursor_type == "cell":
            column_key = self.columns[self._cursor_column].key if self.columns else None
            self.post_message(self.CellSelected(self, row, self._cursor_column, key,
                                                column_key))
        else:
            self.post_message(self.RowSelected(self, row, key))

    @property
    def _data_height(self) -> int:
        return max(self.scrollable_content_region.height - self.header_height, 1)

    @property
    def _fixed_width(self) -> int:
        return sum(c.render_width for c in self.columns[: self.fixed_columns])

    def scroll_to_cursor(self) -> None:
        """Scroll so the cursor's row (and cell) is in view, at once (or once the
        table has its size, when it has none yet: see _on_resize)."""
        if not self.scrollable_content_region.height:
            return
        row, height = self._cursor_row, self._data_height
        y = self.scroll_offset.y
        if row < y:
            y = row
        elif row >= y + height:
            y = row - height + 1
        x = self.scroll_offset.x
        if self.cursor_type == "cell" and self._cursor_column >= self.fixed_columns:
            left = sum(c.render_width for c in self.columns[: self._cursor_column])
            right = left + self.columns[self._cursor_column].render_width
            view = self.scrollable_content_region.width
            fixed = self._fixed_width
            if left - x < fixed:
                x = left - fixed
            elif right - x > view:
                x = right - view
        if (x, y) != tuple(self.scroll_offset):
            self.scroll_to(x=x, y=y, animate=False, force=True)

    async def action_cursor_down(self) -> None:
        self._set_cursor(self._cursor_row + 1, self._cursor_column)
        await self._cursor_row_read()

    async def action_cursor_up(self) -> None:
        self._set_cursor(self._cursor_row - 1, self._cursor_column)
        await self._cursor_row_read()

    def action_cursor_right(self) -> None:
        if self.cursor_type == "cell":
            self._set_cursor(self._cursor_row, self._cursor_column + 1)
        else:
            self.scroll_right(animate=False)

    def action_cursor_left(self) -> None:
        if self.cursor_type == "cell":
            self._set_cursor(self._cursor_row, self._cursor_column - 1)
        else:
            self.scroll_left(animate=False)

    async def action_rows_down(self) -> None:
        """A screenful down: the rows move up by the height, the cursor with them."""
        height = self._data_height
        self.scroll_to(y=self.scroll_offset.y + height, animate=False, force=True)
        self._set_cursor(self._cursor_row + height, self._cursor_column)
        await self._cursor_row_read()

    async def action_rows_up(self) -> None:
        height = self._data_height
        self.scroll_to(y=self.scroll_offset.y - height, animate=False, force=True)
        self._set_cursor(self._cursor_row - height, self._cursor_column)
        await self._cursor_row_read()

    async def action_first_row(self) -> None:
        self._set_cursor(0, self._cursor_column)
        await self._cursor_row_read()

    async def action_last_row(self) -> None:
        self._set_cursor(self._count - 1, self._cursor_column)
        await self._cursor_row_read()

    async def action_home(self) -> None:
        if self.cursor_type == "cell":
            self._set_cursor(self._cursor_row, 0)
        else:
            await self.action_first_row()

    async def action_end(self) -> None:
        if self.cursor_type == "cell":
            self._set_cursor(self._cursor_row, len(self.columns) - 1)
        else:
            await self.action_last_row()

    def action_select_cursor(self) -> None:
        self._post_selected()

    async def _on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        row, column = meta.get("row"), meta.get("column")
        if not isinstance(row, int) or not isinstance(column, int) or row < 0:
            return  # the header, or below the last row
        if self.cursor_type == "none" or (self.cursor_type == "cell"
                                          and meta.get("out_of_bounds", False)):
            return
        event.stop()
        same = row == self._cursor_row and (self.cursor_type == "row"
                                            or column == self._cursor_column)
        self._set_cursor(row, column if self.cursor_type == "cell" else self._cursor_column)
        if same:
            self._post_selected()

    # --- drawing ------------------------------------------------------------------------

    def _changed_all(self) -> None:
        self._generation += 1
        self._lines.clear()
        width = sum(c.render_width for c in self.columns)
        self.virtual_size = Size(width, self.header_height + self._count)
        self.refresh()

    def _refresh_row_line(self, index: int) -> None:
        """Mark the screen line showing row ``index`` (if in view) to be drawn again."""
        y = index - self.scroll_offset.y + self.header_height
        if self.header_height <= y < self.scrollable_content_region.height:
            self.refresh(Region(0, y, self.scrollable_content_region.width, 1))

    def _on_resize(self, event: events.Resize) -> None:
        self.scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._generation += 1  # the theme or the focus changed the colours
        self._lines.clear()
        self._component_styles_read.clear()

    def _component_style(self, name: str) -> Style:
        """A component class's Rich style, read once per style change: Textual's
        get_component_styles builds a new Styles object on every call, which took half
        of the time drawing a line."""
        style = self._component_styles_read.get(name)
        if style is None:
            style = self._component_styles_read[name] = (
                self.get_component_styles(name).rich_style)
        return style

    def _on_focus(self, event: events.Focus) -> None:
        self._lines.clear()
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self._lines.clear()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x, scroll_y = self.scroll_offset
        if y < self.header_height:
            index = -1
        else:
            index = y - self.header_height + scroll_y
            if index >= self._count:
                return Strip.blank(width, self.rich_style)
        line = self._line(index, width)
        if line is None:
            return Strip.blank(width, self.rich_style)
        fixed = self._fixed_width
        if fixed:
            line = Strip.join([line.crop(0, fixed),
                               line.crop(fixed + scroll_x, scroll_x + width)])
        else:
            line = line.crop(scroll_x, scroll_x + width)
        return line.adjust_cell_length(width, self.rich_style)

    def _line(self, index: int, width: int) -> Strip | None:
        """Row ``index`` (-1: the header) drawn whole, from the cache if it is there."""
        on_cursor = index == self._cursor_row and self.cursor_type != "none"
        key = (index, self._generation, self._row_generation.get(index, 0), width,
               self.has_focus, self._cursor_column if on_cursor else -1)
        # (-1 off the cursor: "on_cursor and column" gave 0 on the first column, which is
        # equal to False as a key, so a row the cursor came to was drawn from the cache
        # without it.)
        line = self._lines.get(key)
        if line is not None:
            self._lines.move_to_end(key)
            return line
        if index < 0:
            cells: Sequence[Cell] = [c.label for c in self.columns]
        else:
            row = self.row_at(index)
            if row is not None and self._source is not None:
                cells = self._source.cells(row, self.columns)
            elif index // self.page_size in self._wanted:
                cells = [PLACEHOLDER]  # drawn again when its page comes (fill_page)
            else:
                return None
        line = self._draw(index, cells, width, on_cursor)
        self._lines[key] = line
        while len(self._lines) > LINES_KEPT:
            self._lines.popitem(last=False)
        return line

    def _draw(self, index: int, cells: Sequence[Cell], width: int, on_cursor: bool) -> Strip:
        """One line as DataTable draws it: each cell padded by one blank each side, in
        the row's style (header, zebra stripe, cursor), then the rest of the width."""
        header = index < 0
        get_styles = self._component_style
        if header:
            row_style = get_styles("linetable--header")
        elif self.zebra_stripes:
            row_style = get_styles("linetable--odd-row" if index % 2
                                   else "linetable--even-row")
        else:
            row_style = self.rich_style
        cursor_style = (self.get_component_rich_style("linetable--cursor")
                        if on_cursor and not header else Style())
        fixed_style = get_styles("linetable--fixed") + Style.from_meta({"fixed": True})
        console = self.app.console
        segments: list[Segment] = []
        for number, (column, cell) in enumerate(zip(self.columns, cells, strict=False)):
            base = row_style
            if number < self.fixed_columns and not header:
                base = fixed_style
            base += Style.from_meta({"row": index, "column": number})
            lit = (self.cursor_type == "row" and on_cursor) or (
                self.cursor_type == "cell" and on_cursor and number == self._cursor_column)
            component = Style()
            if lit:
                component = cursor_style
                if number < self.fixed_columns:
                    component += self.get_component_rich_style("linetable--fixed-cursor")
            post = Style.from_color(color=component.color)
            segments.extend(Segment.apply_style(
                _cell_segments(cell, column.width, console), base + component, post))
        table_width = sum(c.render_width for c in self.columns)
        rest = max(0, width - (table_width - self._fixed_width))
        if self.cursor_type == "row":
            extend = row_style + (cursor_style if on_cursor else Style())
        elif row_style.bgcolor is not None:
            faded = Color.from_rich_color(row_style.bgcolor).blend(
                self.background_colors[1], factor=0.25)
            extend = Style.from_color(color=row_style.color, bgcolor=faded.rich_color)
        else:
            extend = Style.from_color(row_style.color, row_style.bgcolor)
        extend += Style.from_meta({"row": index, "column": 0, "out_of_bounds": True})
        segments.append(Segment(" " * rest, extend))
        return Strip(segments).simplify()


def _cell_segments(cell: Cell, width: int, console: object) -> list[Segment]:
    """``cell`` cut or padded to ``width`` cells, with a blank each side; a str is
    literal. Unstyled pieces have no style: the row's is applied over them."""
    text = Text(cell) if isinstance(cell, str) else cell
    if "\n" in text.plain:  # one line a row: a line break must not break the table
        text = Text(" ").join(text.split("\n", allow_blank=True))
    if text.cell_len > width:
        text = text.copy()
        text.truncate(width)
    if text.style:  # as Rich does when it prints a Text: its own style, then its spans
        whole = Text(text.plain, end="")
        whole.spans = [Span(0, len(text.plain), text.style), *text.spans]
        text = whole
    pieces = list(text.render(console, end=""))  # type: ignore[arg-type]
    fill = width - text.cell_len
    return [Segment(" "), *pieces, Segment(" " * (fill + 1))]
