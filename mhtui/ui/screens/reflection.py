"""Staff reflections: what support people need, what stands in the way."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Header, Static

from mhtui.core.wording import plural
from mhtui.ui.screens.base import MHScreen
from mhtui.ui.widgets.text import one_line


class ReflectionScreen(MHScreen):
    TITLE_TEXT = "mhtui · reflections"
    HELP = (
        "A reflection is a counselor's, psychologist's or social worker's short note on "
        "the support they need, the barriers in their way and how their time is spent "
        "against how it should be. Anonymous reflections keep no name anywhere."
    )

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="reflections-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="reflection-status", classes="statusline")
        yield Footer(compact=True)

    def reload(self) -> None:
        from mhtui.store import reflections

        assert self.mh.team_id is not None
        rows = reflections.recent(self.mh.db, self.mh.team_id)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        fixed = (("Date", 10), ("Role", 14), ("Name", 16), ("State", 9))
        text_width = max(self.size.width - sum(w + 2 for _, w in fixed) - 4, 16)
        for label, width in (*fixed, ("Barriers", text_width)):
            table.add_column(label, width=width, key=label.lower())
        for r in rows:
            table.add_row(
                r.reflected_on.isoformat(),
                one_line(r.role_name, 14) or "—",
                one_line(r.author_name, 16) if r.author_name else "(anonymous)",
                r.state,
                one_line(r.barriers, text_width) or "—",
                key=str(r.id),
            )
        submitted = sum(1 for r in rows if r.state == "submitted")
        self.query_one("#reflection-status", Static).update(
            f"{submitted} submitted, {plural(len(rows) - submitted, 'draft')}" if rows
            else "No reflections yet for this team."
        )
