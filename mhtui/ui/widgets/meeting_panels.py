"""What the projected check-in shows beside each kind of agenda item.

These only show what they are given: the meeting screen reads the store and writes to it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from mhtui.core.statuses import Status
from mhtui.core.wording import due_phrase, plural
from mhtui.store.actions.action_list import SINCE_GROUPS
from mhtui.store.actions.actions import ActionItem
from mhtui.store.checkins.checkins import ItemRow
from mhtui.store.reflections.rollup import RollUp
from mhtui.ui.widgets.line_table import Cell, Column, LineTable, ListRows
from mhtui.ui.widgets.status_legend import STATUS_LEGEND
from mhtui.ui.widgets.status_line import StatusLine
from mhtui.ui.widgets.text import lines, literal, one_line, styled


class ReviewPanel(Vertical):
    """Item 1: the open actions, overdue first, for the tracker's 1-5 keys."""

    def __init__(self) -> None:
        super().__init__(id="review-panel")
        self.rows: tuple[ActionItem, ...] = ()
        self.today: date | None = None
        self.drawn: tuple[object, ...] = ()  # what the table shows: rows, day
        self.drawn_width = 0  # the Action column's width the table was given
        self.source = ListRows[ActionItem](self.rows, lambda a: str(a.id), self._cells)

    def compose(self) -> ComposeResult:
        yield StatusLine(id="review-since")
        yield StatusLine(STATUS_LEGEND, id="review-legend")
        yield LineTable[ActionItem](id="review-table", cursor_type="row", zebra_stripes=True)

    def show(self, rows: Sequence[ActionItem], today: date) -> None:
        """The actions to review (the counts since the last check-in: show_since)."""
        self.rows, self.today = tuple(rows), today
        self.draw_rows()

    def show_since(self, since: Mapping[str, int] | None) -> None:
        """How many changes of each kind there were since the last check-in."""
        counts = {what: (since or {}).get(what, 0) for what in SINCE_GROUPS}
        self.query_one("#review-since", StatusLine).say(
            # Short enough for one line at 80 columns, numbers up to two digits.
            "Since last check-in: " + ", ".join(
                (f"{counts['new']} new", plural(counts["status"], "status change"),
                 f"{counts['completed']} completed", f"{counts['overdue']} newly overdue"))
            if since is not None else "No earlier check-in: every open action is listed."
            if self.rows else "No open actions to review yet: the plans item adds them.")

    def replace(self, action: ActionItem) -> bool:
        """Show ``action`` in place of its row (after a status key): only that row's
        line is drawn again. False when it is not listed."""
        index = next((i for i, a in enumerate(self.rows) if a.id == action.id), None)
        if index is None:
            return False
        self.rows = (*self.rows[:index], action, *self.rows[index + 1:])
        self.draw_rows()
        return True

    def _cells(self, a: ActionItem, columns: Sequence[Column]) -> Sequence[Cell]:
        status = Status(a.status)
        assert self.today is not None
        return (one_line(a.text, columns[0].width), f"{status.symbol} {status.short}",
                one_line(a.owner, 12) or "—",
                due_phrase(a.due_on, self.today, is_open=status.is_open))

    def draw_rows(self) -> None:
        """The table from the rows held, at the screen's width: a resize redraws it
        without reading the store again, and a row that changed alone (a status key) is
        the only line drawn again."""
        today = self.today
        if today is None:
            return  # not shown yet
        # The panel takes two thirds of the screen beside the notes, or all of it on a
        # narrow screen (the notes then take its place while written): Status, Owner and
        # When keep their width, and the action's text gives way.
        screen = self.app.size.width
        panel = screen if screen < 110 else screen * 2 // 3
        width = max(panel - 2 - 16 - 12 - 20 - 10, 12)
        table = self.query_one(LineTable)
        if width != self.drawn_width:
            self.drawn_width = width
            table.set_columns([Column(label.lower(), label, w) for label, w in (
                ("Action", width), ("Status", 16), ("Owner", 12), ("When", 20))])
        if (self.rows, today) == self.drawn:
            return  # a resize: the rows are as they were
        held = self.source.rows
        same_list = (self.drawn[1:] == (today,) and table.source is self.source
                     and [a.id for a in held] == [a.id for a in self.rows])
        self.drawn = (self.rows, today)
        if same_list:
            for before, now in zip(held, self.rows, strict=True):
                if before != now:
                    table.replace_row(str(now.id), now)
            self.source.rows = list(self.rows)
            return
        self.source.rows = list(self.rows)
        table.set_source(self.source, cursor_row=table.cursor_row)

    def selected(self) -> ActionItem | None:
        """The action under the cursor, if any."""
        if not self.rows:
            return None
        return self.rows[min(self.query_one(LineTable).cursor_row, len(self.rows) - 1)]


def barriers_text(rollup: RollUp, width: int) -> Content:
    """Item 2: the reflections' roll-up since the last check-in."""
    from mhtui.ui.widgets.rollup_view import full_text

    return full_text(rollup, width)


def raised_barriers(items: Sequence[ItemRow], rolled: RollUp | None) -> list[str]:
    """The barriers raised so far: the notes of the check-in's barriers item(s), line by
    line, then each reflection's barriers since the last check-in."""
    raised = [line.strip(" -•*\t") for item in items if item.kind == "barriers"
              for line in item.notes.splitlines() if line.strip(" -•*\t")]
    if rolled is not None:
        raised += [" ".join(e.barriers.split()) for e in rolled.entries if e.barriers.strip()]
    return raised


def plans_text(created: Sequence[ActionItem], raised: Sequence[str] = ()) -> Content:
    """Item 3: the barriers raised, and the actions set so far in this check-in."""
    head = "Press a to add an action: what, who is responsible, by when."
    out: list[Content | str] = [head, ""]
    out.append(styled("[b]Barriers raised ($count)[/b]", count=len(raised)))
    out += [f"  • {one_line(b, 200)}" for b in raised] or [
        "  None noted yet: item 2's notes and the reflections' barriers show here."]
    out.append("")
    if not created:
        out.append("No actions set in this check-in yet.")
        return lines(out)
    out.append(styled("[b]$count set in this check-in[/b]",
                      count=plural(len(created), "action")))
    for a in created:
        due = a.due_on.isoformat() if a.due_on else "no date"
        out.append(f"  #{a.id} {one_line(a.text, 200)} ({a.owner or 'no owner'}, due {due})")
    return lines(out)


class TextPanel(VerticalScroll):
    def __init__(self, panel_id: str) -> None:
        super().__init__(Static("", id=f"{panel_id}-text"), id=panel_id)

    def show(self, text: str | Content) -> None:
        """A ``str`` shows as it is, never as markup."""
        self.query_one(Static).update(literal(text) if isinstance(text, str) else text)
