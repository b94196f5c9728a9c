"""The action tracker: every action with its owner, due date and status."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Header, Static

from mhtui.core.clock import local_today
from mhtui.core.statuses import Status
from mhtui.core.wording import due_phrase
from mhtui.ui.screens.base import MHScreen
from mhtui.ui.widgets.text import one_line

WIDE = 110  # below this many columns the created and due dates give way to the text


class TrackerScreen(MHScreen):
    TITLE_TEXT = "mhtui · action tracker"
    HELP = (
        "Every barrier gets an action with an owner and a due date. An action is overdue "
        "when its date has passed and it is neither completed nor abandoned; overdue rows "
        "say so in words and with a ! mark. Rows are read from the database a page at a "
        "time, so the tracker stays quick with any number of actions."
    )

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="actions-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="tracker-status", classes="statusline")
        yield Footer(compact=True)

    def on_resize(self, _event: events.Resize) -> None:
        if self.mh.team_id is not None and self.is_current:
            self.reload()

    def reload(self) -> None:
        from mhtui.store import actions

        assert self.mh.team_id is not None
        today = local_today(self.mh.clock)
        page = actions.page(self.mh.db, self.mh.team_id)
        wide = self.size.width >= WIDE
        columns: list[tuple[str, int]] = [("Status", 28 if wide else 16), ("Owner", 14),
                                          ("When", 20)]
        if wide:
            columns = [("Created", 10), *columns[:2], ("Due", 10), columns[2]]
        fixed = sum(width + 2 for _, width in columns)
        text_width = max(self.size.width - fixed - 4, 16)
        columns.insert(1 if wide else 0, ("Action", text_width))
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for label, width in columns:
            table.add_column(label, width=width, key=label.lower())
        for action in page.rows:
            status = Status(action.status)
            cells = {
                "Created": action.created_on.isoformat(),
                "Action": one_line(action.text, text_width),
                "Status": f"{status.symbol} {status.value if wide else status.short}",
                "Owner": one_line(action.owner, 14) or "—",
                "Due": action.due_on.isoformat() if action.due_on else "—",
                "When": due_phrase(action.due_on, today, is_open=status.is_open),
            }
            table.add_row(*(cells[label] for label, _ in columns), key=str(action.id))
        shown = f"{page.offset + 1}–{page.offset + len(page.rows)}" if page.rows else "0"
        self.query_one("#tracker-status", Static).update(
            f"Showing {shown} of {page.total} actions" if page.total
            else "No actions yet for this team."
        )
