"""The pieces screens share: the status line."""

from __future__ import annotations

from textual.app import App, ComposeResult

from mhtui.ui.widgets.status_line import StatusLine
from mhtui.ui.widgets.text import styled
from tests.helpers import text_of


class _OneLine(App[object]):
    def compose(self) -> ComposeResult:
        yield StatusLine(id="line")


async def test_the_status_line_shows_text_as_typed_on_one_line() -> None:
    app = _OneLine()
    async with app.run_test(size=(40, 10)) as pilot:
        line = app.query_one(StatusLine)
        line.say("Saved: '[b]Ana[/b]' [@click=app.quit]")
        await pilot.pause()
        assert text_of(app, "#line") == "Saved: '[b]Ana[/b]' [@click=app.quit]"
        line.say("a very long message " * 10)
        await pilot.pause()
        assert line.region.height == 1
        line.say(styled("[b]$who[/b] saved", who="[i]Ana"))
        await pilot.pause()
        assert text_of(app, "#line") == "[i]Ana saved"
