"""`textual run --dev mhtui.ui.app:MHApp`: the app made with no arguments, and live CSS
reload of every stylesheet it reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from mhtui.store.database.target import Target
from mhtui.ui.app import MHApp
from mhtui.ui.screens.dashboard import DashboardScreen


async def test_app_without_a_target_opens_the_database_of_the_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MHTUI_DB", str(tmp_path / "chosen.db"))
    app = MHApp()  # as `textual run` makes it
    assert app.target.path == tmp_path / "chosen.db"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert app.screen.sub_title == "My school"
    assert (tmp_path / "chosen.db").exists()


async def test_dev_mode_reloads_both_stylesheets(empty_target: Target,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTUAL", "debug")  # what `textual run --dev` sets
    app = MHApp(empty_target)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")  # any screen after the first reads screens.tcss
        await pilot.pause()
        assert app.css_monitor is not None
        watched = {Path(p).name for p in app.css_monitor._paths}
    assert {"app.tcss", "screens.tcss"} <= watched


async def test_without_dev_mode_nothing_is_watched(empty_target: Target) -> None:
    app = MHApp(empty_target)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        assert app.css_monitor is None
