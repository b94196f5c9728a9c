"""Edit an agenda: the team's template for every check-in, or one meeting's own."""

from __future__ import annotations

import asyncio
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Label, Select, Static, TextArea

from mhtui.core.wording import is_whole_number
from mhtui.store.checkins import agenda
from mhtui.store.checkins.agenda import Agenda, AgendaError, Item
from mhtui.ui.screens.base import MHScreen
from mhtui.ui.screens.dialog import Dialog
from mhtui.ui.widgets.fields import Input
from mhtui.ui.widgets.status_line import StatusLine
from mhtui.ui.widgets.text import literal, one_line, table_cell

ItemValues = tuple[str, int, str, str]  # title, minutes, questions, kind
AgendaRead = tuple[tuple[Item, ...], int]  # the items, the meeting's length
SHORT_KINDS = {"review": "review", "barriers": "barriers", "plans": "plans",
               "other": "notes only"}


class AgendaItemForm(Dialog[ItemValues | None]):
    BOX = "agenda-form"
    FIRST = "item-title"
    TITLE_TEXT = "agenda item"
    HELP = ("Title, minutes (a whole number), what the check-in shows beside the item (the "
            "review's action table, the barriers, the plans, or notes only) and guiding "
            "questions, one per line. ctrl+s saves.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="agenda_item.save", priority=True),
    ]

    def __init__(self, item: Item | None) -> None:
        super().__init__()
        self.item = item

    def compose(self) -> ComposeResult:
        item = self.item
        with VerticalScroll(id="agenda-form", classes="dialog") as box:
            box.border_title = "Agenda item"
            box.border_subtitle = "ctrl+s save · esc cancel"
            yield Label("Title")
            yield Input(item.title if item else "", id="item-title")
            yield Label("Minutes")
            yield Input(str(item.minutes) if item else "10", id="item-minutes")
            yield Label("Guiding questions, one per line")
            yield TextArea(item.questions if item else "", id="item-questions",
                           tab_behavior="focus", soft_wrap=True)
            yield Label("Kind: what the check-in shows beside it")
            yield Select([(words, kind) for kind, words in agenda.KINDS.items()],
                         value=item.kind if item else "other", allow_blank=False,
                         id="item-kind")
            yield Static("", id="item-error", classes="error")
        yield Footer(compact=True)

    def action_save(self) -> None:
        title = self.query_one("#item-title", Input).value
        minutes_text = self.query_one("#item-minutes", Input).value.strip()
        if not is_whole_number(minutes_text):
            self.query_one("#item-error", Static).update(
                literal(f"{minutes_text!r} is not a whole number of minutes."))
            return
        if not title.strip():
            self.query_one("#item-error", Static).update("An agenda item needs a title.")
            return
        self.dismiss((title, int(minutes_text), self.query_one("#item-questions", TextArea).text,
                      str(self.query_one("#item-kind", Select).value)))


class LengthForm(Dialog[int | None]):
    BOX = "length-form"
    FIRST = "length"

    def __init__(self, minutes: int) -> None:
        super().__init__()
        self.minutes = minutes

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="length-form", classes="dialog") as box:
            box.border_title = "Meeting length"
            yield Label("Minutes (Enter saves)")
            yield Input(str(self.minutes), id="length")
            yield Static("", id="length-error", classes="error")

    @on(Input.Submitted)
    def _done(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if is_whole_number(value) and 5 <= int(value) <= 600:
            self.dismiss(int(value))
        else:
            self.query_one("#length-error", Static).update(
                "Give a whole number of minutes from 5 to 600.")


class AgendaEditor(MHScreen):
    TITLE_TEXT = "mhtui · agenda"
    HELP = (
        "The items of the agenda, in order. a adds an item, e or Enter edits the selected "
        "one (its title, minutes, kind and guiding questions), Delete removes it (after "
        "asking), K and J move it up and down, m sets the meeting's length, R resets to "
        "the default agenda (after asking): the toolkit's three items, review, barriers "
        "and plans (a check-in's own agenda keeps its other items, with their notes, after "
        "them). An item's kind chooses what the check-in shows beside it: the review's "
        "action table, the barriers, the plans, or notes only. A warning shows when the "
        "items add up to more than the meeting's length. Esc goes back."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", id="agenda.add"),
        Binding("e", "edit", "Edit", id="agenda.edit"),
        Binding("delete", "remove", "Delete", id="agenda.remove"),
        Binding("K", "move(-1)", "Up", id="agenda.up"),
        Binding("J", "move(1)", "Down", id="agenda.down"),
        Binding("m", "length", "Length", id="agenda.length"),
        Binding("R", "reset", "Reset to default", id="agenda.reset"),
    ]

    def __init__(self, which: Agenda) -> None:
        super().__init__()
        self.which = which
        self.items: tuple[Item, ...] = ()
        # This screen's title (load sets it before the read, show need not).
        vars(self)["TITLE_TEXT"] = "mhtui · " + (
            "agenda template" if which.kind == "template" else "this check-in's agenda")

    def compose(self) -> ComposeResult:
        yield Header()
        yield StatusLine(id="agenda-heading")
        yield DataTable(id="agenda-table", cursor_type="row")
        yield Static("", id="agenda-warning", classes="warning")
        yield Static("", id="agenda-detail")
        yield Footer(compact=True)

    def read(self) -> AgendaRead:
        db = self.mh.db
        return tuple(agenda.items(db, self.which)), agenda.length(db, self.which)

    def show(self, model: AgendaRead) -> None:
        self.items, length = model
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear(columns=True)
        table.add_columns("#", "Item", "Minutes", "Questions", "Kind")
        for number, item in enumerate(self.items, start=1):
            count = len([q for q in item.questions.splitlines() if q.strip()])
            table.add_row(str(number), table_cell(one_line(item.title, 50)), str(item.minutes),
                          str(count), SHORT_KINDS.get(item.kind, item.kind), key=str(item.id))
        table.move_cursor(row=min(keep, len(self.items) - 1))
        total = sum(i.minutes for i in self.items)
        scope = ("Template for new check-ins" if self.which.kind == "template"
                 else "This check-in only")
        self.query_one("#agenda-heading", Static).update(
            f"{scope} · items total {total} min · meeting length {length} min")
        self.query_one("#agenda-warning", Static).update(
            f"! The items add up to {total} minutes, {total - length} more than the "
            f"{length}-minute meeting." if total > length else "")
        self.show_detail()

    def selected(self) -> Item | None:
        table = self.query_one(DataTable)
        return self.items[table.cursor_row] if self.items else None

    @on(DataTable.RowHighlighted)
    def show_detail(self) -> None:
        item = self.selected()
        self.query_one("#agenda-detail", Static).update(literal(
            "\n".join(f"• {q}" for q in item.questions.splitlines() if q.strip())
            if item else ""))

    async def _save(self, item_id: int | None, values: ItemValues | None,
                    version: int = 0) -> None:
        if values is None:
            return
        try:
            await asyncio.to_thread(agenda.save, self.mh.db, self.which, item_id, version,
                                    *values)
        except AgendaError as exc:
            self.notify(str(exc), severity="error")
        await self.read_now()

    def action_add(self) -> None:
        self.app.push_screen(AgendaItemForm(None), lambda v: self._save(None, v))

    def action_edit(self) -> None:
        item = self.selected()
        if item is not None:
            self.app.push_screen(AgendaItemForm(item),
                                 lambda v: self._save(item.id, v, item.version))

    @on(DataTable.RowSelected)
    def _enter(self) -> None:
        self.action_edit()

    def action_remove(self) -> None:
        from mhtui.ui.screens.confirm import ConfirmScreen

        item = self.selected()
        if item is None:
            return

        async def answered(yes: bool | None) -> None:
            if yes:
                try:
                    await asyncio.to_thread(agenda.remove, self.mh.db, self.which, item.id,
                                            item.version)
                except AgendaError as exc:
                    self.notify(str(exc), severity="error")
                await self.read_now()

        self.app.push_screen(ConfirmScreen(f"Remove {item.title!r} from the agenda?"), answered)

    async def action_move(self, step: int) -> None:
        item = self.selected()
        if item is None:
            return
        await asyncio.to_thread(agenda.move, self.mh.db, self.which, item.id, item.version,
                                step)
        await self.read_now()
        table = self.query_one(DataTable)
        table.move_cursor(row=next(i for i, it in enumerate(self.items) if it.id == item.id))

    def action_reset(self) -> None:
        from mhtui.ui.screens.confirm import ConfirmScreen

        template = self.which.kind == "template"

        async def answered(yes: bool | None) -> None:
            if yes:
                await asyncio.to_thread(agenda.reset_default, self.mh.db, self.which)
                await self.read_now()
                self.notify("The default agenda is back: review, barriers, plans.")

        self.app.push_screen(ConfirmScreen(
            "Reset to the default agenda?",
            "The template becomes the toolkit's three items (review, barriers, plans); your "
            "own items and changes to it go." if template else
            "Each of the toolkit's three items this check-in lacks comes back, first in "
            "the agenda; its other items stay after them, with their notes and time."),
            answered)

    async def action_length(self) -> None:
        length, version = await asyncio.to_thread(agenda.length_and_version, self.mh.db,
                                                  self.which)

        async def chosen(minutes: int | None) -> None:
            if minutes is not None:
                await asyncio.to_thread(agenda.set_length, self.mh.db, self.which, version,
                                        minutes)
                await self.read_now()

        self.app.push_screen(LengthForm(length), chosen)

    def action_back(self) -> None:
        self.app.pop_screen()
