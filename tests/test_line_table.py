"""The line-drawn table: rows read a page at a time from a source, a cursor over the
whole list, one line drawn again after a change, people's text never read as markup."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.screen import Screen

from mhtui.ui.widgets.line_table import Cell, Column, LineTable
from tests.helpers import screen_lines

Row = tuple[int, str, str]


class Rows:
    """``total`` rows; counts the pages read and the rows drawn."""

    def __init__(self, total: int) -> None:
        self.rows = [(n, f"Action {n:05d}", "open") for n in range(total)]
        self.pages_read: list[int] = []
        self.drawn: list[int] = []

    def count(self) -> int:
        return len(self.rows)

    def page(self, offset: int, limit: int) -> Sequence[Row]:
        self.pages_read.append(offset)
        return self.rows[offset:offset + limit]

    def key(self, row: Row) -> str:
        return str(row[0])

    def cells(self, row: Row, columns: Sequence[Column]) -> Sequence[Cell]:
        self.drawn.append(row[0])
        return [str(row[0]), row[1], Text(row[2], style="bold")]



def _show(table: LineTable[Row], source: Rows) -> None:
    """The test's three columns, ``source`` from its first row, the table focused."""
    table.set_columns([Column("n", "#", 5), Column("text", "Action", 30),
                       Column("status", "Status", 10)])
    table.set_source(source, cursor_row=0)
    table.focus()

class _Table(App[None]):
    def __init__(self, source: Rows, cursor_type: str = "row") -> None:
        super().__init__()
        self.source = source
        self.cursor_type = cursor_type
        self.messages: list[tuple[str, int, str | None]] = []

    def compose(self) -> ComposeResult:
        yield LineTable[Row](zebra_stripes=True, page_size=100)

    def on_mount(self) -> None:
        _show(self.query_one(LineTable), self.source)

    def on_line_table_row_highlighted(self, event: LineTable.RowHighlighted) -> None:
        self.messages.append(("highlighted", event.cursor_row, event.row_key))

    def on_line_table_row_selected(self, event: LineTable.RowSelected) -> None:
        self.messages.append(("selected", event.cursor_row, event.row_key))


async def test_rows_show_under_the_header_and_the_cursor_moves_over_the_whole_list() -> None:
    source = Rows(350)
    app = _Table(source)
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        lines = screen_lines(app)
        assert lines[0].split() == ["#", "Action", "Status"]
        assert lines[1].split() == ["0", "Action", "00000", "open"]
        assert source.pages_read == [0]  # one page for the first screen
        table = app.query_one(LineTable)
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 349 and table.cursor_key == "349"
        assert screen_lines(app)[-1].split()[:3] == ["349", "Action", "00349"]
        await pilot.press("home", "pagedown")
        await pilot.pause()
        assert table.cursor_row == 11  # a screenful down: eleven rows under the header
        await pilot.press("up")
        await pilot.pause()
        assert app.messages[-1] == ("highlighted", 10, "10")
        await pilot.press("enter")
        await pilot.pause()
        assert app.messages[-1] == ("selected", 10, "10")


async def test_a_changed_row_is_drawn_again_alone() -> None:
    source = Rows(40)
    app = _Table(source)
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(LineTable)
        source.drawn.clear()
        assert table.replace_row("3", (3, "Action 00003", "done"))
        await pilot.pause()
        assert source.drawn == [3]
        assert screen_lines(app)[4].split() == ["3", "Action", "00003", "done"]
        assert not table.replace_row("999", (999, "not loaded", "done"))


async def test_text_is_shown_as_typed_never_as_markup() -> None:
    source = Rows(3)
    source.rows[0] = (0, "[/b] [red]Ana[@click=app.quit] 👩‍🏫", "open")
    app = _Table(source)
    async with app.run_test(size=(60, 8)) as pilot:
        await pilot.pause()
        assert "[/b] [red]Ana[@click=app.quit]" in screen_lines(app)[1]


async def test_a_click_highlights_a_row_and_a_second_click_selects_it() -> None:
    app = _Table(Rows(20))
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        await pilot.click(LineTable, offset=(10, 4))  # the fourth row (index 3)
        await pilot.pause()
        assert app.query_one(LineTable).cursor_row == 3
        assert app.messages[-1] == ("highlighted", 3, "3")
        await pilot.click(LineTable, offset=(10, 4))
        await pilot.pause()
        assert app.messages[-1] == ("selected", 3, "3")
        # The wheel scrolls the rows; the cursor stays on its row. (Pilot has no wheel
        # of its own: its helper for mouse events sends one.)
        await pilot._post_mouse_events([events.MouseScrollDown], LineTable, offset=(10, 4))
        await pilot.pause()
        assert app.query_one(LineTable).scroll_offset.y > 0
        assert app.query_one(LineTable).cursor_row == 3


async def test_a_cell_cursor_keeps_the_fixed_columns_in_view() -> None:
    source = Rows(5)
    app = _Table(source)
    async with app.run_test(size=(30, 8)) as pilot:
        table = app.query_one(LineTable)
        table.cursor_type = "cell"
        table.fixed_columns = 1
        table.set_columns([Column("n", "#", 5), Column("text", "Action", 30),
                           Column("status", "Status", 10)])
        await pilot.pause()
        await pilot.press("right", "right")
        await pilot.pause()
        assert table.cursor_column == 2
        header = screen_lines(app)[0]
        assert header.startswith(" #   ") and "Status" in header  # "#" stayed on the left


class HeldRows(Rows):
    """A source holding only its first page, as a screen's list read from the store."""

    def page(self, offset: int, limit: int) -> Sequence[Row] | None:  # type: ignore[override]
        return super().page(offset, limit) if offset == 0 else None


class _Asking(Screen[None]):
    """Answers its table's PageWanted only when told to, as a worker that is slow."""

    def __init__(self, source: Rows) -> None:
        super().__init__()
        self.source = source
        self.wanted: list[LineTable.PageWanted] = []

    def compose(self) -> ComposeResult:
        yield LineTable[Row](page_size=100)

    def on_mount(self) -> None:
        _show(self.query_one(LineTable), self.source)

    def on_line_table_page_wanted(self, wanted: LineTable.PageWanted) -> None:
        self.wanted.append(wanted)

    def answer(self) -> None:
        for wanted in self.wanted:
            wanted.table.fill_page(wanted.source, wanted.offset, self.source.rows[
                wanted.offset:wanted.offset + wanted.limit])
        self.wanted.clear()


async def test_rows_not_held_are_asked_for_and_drawn_as_a_placeholder_until_they_come(
        ) -> None:
    source = HeldRows(950)
    asking = _Asking(source)
    app = App[None]()
    async with app.run_test(size=(60, 12)) as pilot:
        await app.push_screen(asking)
        await pilot.pause()
        table = asking.query_one(LineTable)
        table.scroll_to(y=195, animate=False, force=True)  # rows 195..: pages 1 and 2
        await pilot.pause()
        assert sorted(w.offset for w in asking.wanted) == [100, 200]
        assert screen_lines(app)[6].split() == ["…"]  # row 200's page: not read yet
        assert source.pages_read == [0]  # drawing read nothing
        asking.answer()
        await pilot.pause()
        assert screen_lines(app)[6].split() == ["200", "Action", "00200", "open"]
        # A key onto a row not read lands once its page has come: the cursor's key is
        # known when the next key is handled.
        press = asyncio.create_task(pilot.press("end"))
        async with asyncio.timeout(10):
            while not asking.wanted:
                await asyncio.sleep(0.01)
        assert not press.done()
        asking.answer()
        await press
        assert table.cursor_key == "949"


async def test_a_key_waiting_for_a_page_that_will_not_come_goes_on_when_released() -> None:
    source = HeldRows(950)
    asking = _Asking(source)
    app = App[None]()
    async with app.run_test(size=(60, 12)) as pilot:
        await app.push_screen(asking)
        await pilot.pause()
        table = asking.query_one(LineTable)
        press = asyncio.create_task(pilot.press("end"))
        async with asyncio.timeout(10):
            while not asking.wanted:
                await asyncio.sleep(0.01)
        assert not press.done()
        table.release_wanted()  # what a screen does when the read failed
        await press
        assert table.cursor_row == 949 and table.cursor_key is None
        await pilot.pause()
        assert len(asking.wanted) == 2  # looked at again, the row is asked for again
