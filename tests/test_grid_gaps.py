"""The grid's coverage gaps, undo and redo, the task column in view and ✗ under NO_COLOR."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rich.color import Color as RichColor
from textual.color import Color
from textual.pilot import Pilot
from textual.strip import Strip

from mhtui.core import grid_analysis
from mhtui.core.clock import FakeClock
from mhtui.core.grid_analysis import GAP_NONE, GAP_ONE, RoleInfo
from mhtui.store.database.db import Database
from mhtui.store.database.target import Target
from mhtui.store.grid import grid
from mhtui.ui.app import MHApp
from mhtui.ui.screens.grid import GridScreen
from tests.helpers import db_arg, screen_lines, table_rows, text_of
from tests.test_grid import cell_value, goto, open_grid

ROLES = [RoleInfo(1, "LCSW", True, "health"), RoleInfo(2, "Teacher", False, "teachers")]


@pytest.mark.parametrize(("cells", "gap", "starts"), [
    ({}, GAP_NONE, "✖ nobody · 0 train"),
    ({(7, 2): "training"}, GAP_NONE, "✖ nobody · 1 train"),
    ({(7, 1): "no", (7, 2): "no"}, GAP_NONE, "✖ nobody"),
    ({(7, 2): "yes"}, GAP_ONE, "! 1 only · 0 train"),
    ({(7, 1): "yes"}, GAP_ONE, "! 1 only · 0 train ⚑"),
    ({(7, 1): "yes", (7, 2): "yes"}, "", "2 now · 0 train"),
])
def test_gaps_come_first_with_a_symbol_and_words(cells: dict[tuple[int, int], str], gap: str,
                                                 starts: str) -> None:
    cover = grid_analysis.coverage(7, ROLES, cells)
    assert cover.gap == gap
    assert cover.text().startswith(starts)
    assert len(cover.text()) <= 21  # the coverage column's width (COVERAGE_WIDTH)


def _row(app: MHApp, prefix: str) -> list[str]:
    return next(r for r in table_rows(app, "#grid-table") if r[0].lstrip("★⇄ ").startswith(
        prefix))


async def _press(pilot: Pilot[None], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


async def test_a_task_nobody_can_do_is_flagged_and_every_edit_undoes(
        demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database]) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_grid(pilot)
        goto(screen, "Screening", "LCSW")
        await _press(pilot, "n")
        assert _row(app, "Screening")[1].startswith("! 1 only")
        assert text_of(app, "#grid-detail").startswith(GAP_ONE)
        goto(screen, "Screening", "Counselor")
        await _press(pilot, "n")
        assert _row(app, "Screening")[1] == "✖ nobody · 0 train"
        assert text_of(app, "#grid-detail").startswith(GAP_NONE)
        assert "Role: ▲ Counselor: No" in text_of(app, "#grid-detail")
        db = open_db(demo_target)
        assert cell_value(db, "Screening", "Counselor") == "no"
        await _press(pilot, "p", "c")  # a mark and a role's constrained mark
        await _press(pilot, "u")
        assert not any(r.name == "Counselor" and not r.capacity_constrained
                       for r in grid.load(db, 1).roles)  # back to constrained
        await _press(pilot, "u")  # the priority mark
        await _press(pilot, "u")  # Counselor's cell
        assert cell_value(db, "Screening", "Counselor") == "yes"
        assert _row(app, "Screening")[1].startswith("! 1 only")
        assert "Undone: Screening × Counselor" in "\n".join(screen_lines(app))
        await _press(pilot, "u")
        assert cell_value(db, "Screening", "LCSW") == "yes"
        assert _row(app, "Screening")[1].startswith("2 now")
        await _press(pilot, "u")
        assert "Nothing to undo." in "\n".join(screen_lines(app))
        await _press(pilot, "ctrl+r", "ctrl+r")
        assert (cell_value(db, "Screening", "LCSW"), cell_value(db, "Screening", "Counselor")
                ) == ("no", "no")
        assert _row(app, "Screening")[1] == "✖ nobody · 0 train"


async def test_undo_of_a_moved_row(demo_target: Target, clock: FakeClock,
                                   open_db: Callable[[Target], Database]) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_grid(pilot)
        goto(screen, "Psychological assessment", "LCSW")

        def order() -> list[str]:
            data = grid.load(open_db(demo_target), 1)
            return [t.name for t in data.categories[0][1]]

        before = order()
        await _press(pilot, "K")
        assert order()[0] == "Psychological assessment"
        await _press(pilot, "u")
        assert order() == before
        await _press(pilot, "ctrl+r")
        assert order()[0] == "Psychological assessment"


async def test_a_change_elsewhere_refuses_the_undo(
        demo_target: Target, clock: FakeClock, open_db: Callable[[Target], Database]) -> None:
    from mhtui.store.grid import grid_edit

    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_grid(pilot)
        goto(screen, "Screening", "Teacher")
        await _press(pilot, "y")
        db = open_db(demo_target)
        data = grid.load(db, 1)
        task = next(t for _, ts in data.categories for t in ts if t.name == "Screening")
        teacher = next(r for r in data.roles if r.name == "Teacher")
        key = (task.id, teacher.id)
        grid_edit.set_cell(db, *key, "training", data.stamps[key])  # another laptop
        await _press(pilot, "u")
        assert "Undo refused" in "\n".join(screen_lines(app))
        assert cell_value(db, "Screening", "Teacher") == "training"


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
async def test_the_task_column_stays_in_view_moving_right(
        demo_target: Target, clock: FakeClock, size: tuple[int, int]) -> None:
    from mhtui.store.database import opening
    from mhtui.store.grid import grid_edit

    db = opening.connect(demo_target)
    for n in range(8):  # more roles than fit
        grid_edit.add(db, "role", 1, f"Extra support role number {n}")
    db.close()
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=size) as pilot:
        screen = await open_grid(pilot)
        goto(screen, "Screening")
        await _press(pilot, "end")
        last = len(screen.table.columns) - 1
        assert screen.table.cursor_coordinate.column == last
        shown = "\n".join(screen_lines(app))
        assert "Screening" in shown
        assert "Role: Extra support role number 7" in text_of(app, "#grid-detail")


async def test_no_is_visible_under_no_color(demo_target: Target, clock: FakeClock,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_grid(pilot)
        assert isinstance(screen, GridScreen) and app.no_color
        found = []
        background = Color.parse("black")
        for line in app.screen._compositor.render_full_update().strips:
            segments = list(Strip.join(line))
            for line_filter in app._filters:
                segments = line_filter.apply(segments, background)
            found += [s.style for s in segments if "✗" in s.text and s.style is not None]
        assert found, "no ✗ drawn"
        for style in found:
            fg, bg = style.color, style.bgcolor
            assert isinstance(fg, RichColor) and isinstance(bg, RichColor)
            fore = Color.from_rich_color(fg).brightness
            back = Color.from_rich_color(bg).brightness
            assert abs(fore - back) > 0.3, (fg, bg)


async def test_undo_of_a_renamed_role(demo_target: Target, clock: FakeClock,
                                      open_db: Callable[[Target], Database]) -> None:
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_grid(pilot)
        goto(screen, "Screening", "Teacher")
        await pilot.press("R", "ctrl+a", "ctrl+k", *"Teacher [b]é", "enter")
        await pilot.pause()

        def names() -> list[str]:
            return [r.name for r in grid.load(open_db(demo_target), 1).roles]

        assert "Teacher [b]é" in names()
        await _press(pilot, "u")
        assert "Teacher" in names() and "Teacher [b]é" not in names()
        await _press(pilot, "ctrl+r")
        assert "Teacher [b]é" in names()


def test_a_grid_saved_by_libreoffice_reads_back(tmp_path: Path, demo_target: Target) -> None:
    """Semicolons and Windows-1252, as LibreOffice saves the grid's CSV by default."""
    import csv
    import io

    from mhtui.cli import main

    db = ["--db", db_arg(demo_target)]
    first = tmp_path / "grid.csv"
    assert main([*db, "export", "grid", "--out", str(first)]) == 0
    records = list(csv.reader(io.StringIO(first.read_text(encoding="utf-8-sig"))))
    records[0][-1] = "Enseignant·e"  # a role renamed in the sheet, in Windows-1252
    saved = tmp_path / "grid #2 (LibreOffice).csv"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(records)
    saved.write_bytes(buffer.getvalue().encode("cp1252"))
    assert main([*db, "import", "grid", str(saved), "--team", "Roosevelt Middle School"]) == 0
    again = tmp_path / "again.csv"
    assert main([*db, "export", "grid", "--team", "Roosevelt Middle School", "--out",
                 str(again)]) == 0
    back = list(csv.reader(io.StringIO(again.read_text(encoding="utf-8-sig"))))
    assert back[0][-1] == "Enseignant·e" and back[1:] == records[1:]


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 50)])
async def test_the_legend_is_read_whole_at_every_size(demo_target: Target, clock: FakeClock,
                                                     size: tuple[int, int]) -> None:
    """Every symbol's words are on screen: one line when it fits, else two (at 80 and 120
    columns the one line cut off the gap flags' meanings after '▲')."""
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=size) as pilot:
        await open_grid(pilot)
        legend = text_of(app, "#legend")
        for symbol in ("✓ Y", "✗ N", "◐ ", "· n", "★ p", "⇄ t", "▲ c", "⚑ o", "✖ g", "! o"):
            assert symbol in legend, symbol
        shown = [line.strip() for line in screen_lines(app)]
        assert all(line.strip() in shown for line in legend.splitlines()), (legend, shown)
        assert ("capacity-constrained" in legend) == (size[0] >= 175)  # the one line
