"""A counselor's reflection, by keyboard only, saved as a draft while it is typed."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Header, Label, Select, Static, TextArea

from mhtui.core import allocation
from mhtui.core.allocation import ROLE_KINDS
from mhtui.core.dates import DateError, parse_calendar_date
from mhtui.core.merge import keep_both
from mhtui.store.reflections import reflection_edit
from mhtui.store.reflections.reflection_edit import Draft, ReflectionConflict, ReflectionError
from mhtui.ui.key_gate import Footer
from mhtui.ui.screens.base import CONFLICT_KEPT, MHScreen
from mhtui.ui.widgets.allocation_table import AllocationRowView, AllocationTable
from mhtui.ui.widgets.autosave import Autosaver, NotSaved
from mhtui.ui.widgets.fields import Input
from mhtui.ui.widgets.status_line import StatusLine
from mhtui.ui.widgets.text import show

if TYPE_CHECKING:
    from mhtui.store.database.db import Database
    from mhtui.store.reflections.reflections import ReflectionRow
    from mhtui.ui.key_gate import KeyGateApp

# What the form is made from: the reflection, its draft, the team's grid roles.
FormRead = tuple["ReflectionRow", Draft, list[str]]


def read_form(db: Database, reflection_id: int) -> FormRead:
    """Store calls only: the form's openers run it in a thread and hand it the result."""
    from mhtui.store.grid import grid

    reflection, draft = reflection_edit.load(db, reflection_id)
    return reflection, draft, [r.name for r in grid.load(db, reflection.team_id).roles]


class ReflectionForm(MHScreen):
    TITLE_TEXT = "mhtui · reflection"
    # Wide: the task types keep a column of their own width, the shares beside them.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]  # noqa: RUF012
    HELP = (
        "Your reflection for the check-in. Leave the name empty to stay anonymous: no name "
        "is kept anywhere, exports included, and its times are kept to the day only. "
        "Anonymous means anonymous to the team's roll-up, not to whoever receives your "
        "mail: a file you send from your own address tells the facilitator (and anyone "
        "the mail passes) who sent it. To stay anonymous to the facilitator too, have it "
        "handed on by someone else, or write it on the team's shared laptop or server. "
        "Everything is saved as a draft while you type "
        "(ctrl+s saves at once). Tab moves through the fields; in the time table it goes "
        "ideal, now, actions, then the next row, and stops at the last cell. The task "
        "types are fixed labels: ctrl+r renames the row you are in, ctrl+n adds a row (you "
        "name it), ctrl+d removes it. "
        "The time table is optional: leave every ideal and now cell empty to skip it. Once "
        "any is filled, the ideal column and the now column must each add up to 100, an "
        "empty cell counting as 0. F5 submits; if something is not right, the form moves "
        "to it and says which row and column. Choose your kind of role (school counselor, "
        "school psychologist, school social worker or other): for a school counselor the "
        "table shows ASCA's guidance and how far your time is from it. After submitting "
        "the reflection is read-only; o reopens it (recorded), and submitting again makes "
        "its next revision. x writes it to a JSON file in the folder mhtui was started in, "
        "named by date and role (reflection-2026-11-05-school-counselor.json; an anonymous "
        "one reflection-2026-11-05-anonymous.json), to send to the facilitator, who imports "
        "it with i in the reflections list (a newer revision replaces the older). The file "
        "names the team it was written for, and is not imported into another unasked."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="reflection_form.save", priority=True),
        Binding("f5", "submit", "Submit", id="reflection_form.submit", priority=True),
        Binding("ctrl+n", "add_row", "Add row", id="reflection_form.add_row", priority=True),
        Binding("ctrl+r", "rename_row", "Rename row", id="reflection_form.rename_row",
                priority=True),
        Binding("ctrl+d", "remove_row", "Remove row", id="reflection_form.remove_row",
                priority=True),
        Binding("o", "reopen", "Reopen", id="reflection_form.reopen"),
        Binding("x", "export", "Export", id="reflection_form.export"),
        # Tab stops at the last cell (and shift+tab at the date) instead of going round
        # to the top fields, where the next keys were typed over the date and name.
        Binding("tab", "step(1)", "Next field", id="reflection_form.next", show=False),
        Binding("shift+tab", "step(-1)", "Previous field", id="reflection_form.previous",
                show=False),
    ]

    def __init__(self, reflection_id: int, made_from: FormRead | None = None) -> None:
        super().__init__()
        self.reflection_id = reflection_id
        self.made_from = made_from  # read_form's answer, read off the screen's thread
        self.version = 0
        self.state = "draft"
        self.saved_on = date.min  # the date in the database: kept while the typed one is bad
        self.date_problem: str | None = None
        self.kind_shown = ""  # the kind of role as stored; a change of it is an edit
        self.told: str | None = None  # the last failed save's reason said in a notice
        self.saver: Autosaver  # made in compose, once the app's clock is at hand

    def compose(self) -> ComposeResult:
        reflection, draft, roles = (self.made_from
                                    or read_form(self.mh.db, self.reflection_id))
        self.version, self.state = reflection.version, reflection.state
        self.saved_on = draft.reflected_on
        self.kind_shown = draft.role_kind
        self.saver = Autosaver(self, self._write, self._say, self.mh.clock,
                               refusals=(ReflectionError,))
        yield Header()
        # Outside the scrolling form: whether the draft is saved stays in view at 80x24
        # however far down the time table someone is typing.
        yield StatusLine(id="reflection-state")
        with VerticalScroll(id="reflection-body"):
            yield Label("Date")
            yield Input(draft.reflected_on.isoformat(), id="r-date", compact=True)
            yield Static("", id="r-date-error", classes="error")
            yield Label("Your name (leave empty to stay anonymous)")
            yield Input(draft.author_name or "", id="r-name", compact=True)
            yield Label("Your role")
            yield Input(draft.role_name, id="r-role", suggester=SuggestFromList(
                roles, case_sensitive=False), placeholder="e.g. School counselor", compact=True)
            yield Label("What support do you need, if any, to better serve students?")
            yield TextArea(draft.support_needed, id="r-support", tab_behavior="focus",
                           soft_wrap=True, compact=True)
            yield Label("Are there barriers keeping you from supporting students? What are they?")
            yield TextArea(draft.barriers, id="r-barriers", tab_behavior="focus",
                           soft_wrap=True, compact=True)
            yield Label("What kind of role is yours? (for the guidance under the time table)")
            yield Select([(kind, kind) for kind in ROLE_KINDS], id="r-kind", compact=True,
                         prompt="choose your kind of role",
                         value=draft.role_kind if draft.role_kind in ROLE_KINDS
                         else Select.NULL)
            yield Label("How your time is spent, and how it should be (optional)")
            # A draft with no table yet gets the eight task types to fill in.
            yield AllocationTable(draft.rows or (reflection_edit.default_rows()
                                                 if reflection.state == "draft" else []))
            # Its messages quote what was typed ("'[b]x' is not a percentage"): never markup.
            yield Static("", id="r-submit-error", classes="error", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#reflection-body").can_focus = False
        self.apply_state()
        self.query_one("#r-name" if self.state == "draft" else "#r-date").focus()

    def read(self) -> None:
        """Nothing besides what the form was made from: the header's team, in a worker."""

    def show(self, _: None) -> None:
        self.query_one(AllocationTable).refresh_figures(self.role_kind())

    def role_kind(self) -> str:
        value = self.query_one("#r-kind", Select).value
        return value if isinstance(value, str) else ""

    # --- state ----------------------------------------------------------------------

    def apply_state(self) -> None:
        read_only = self.state != "draft"
        for widget in self.query("Input, TextArea, Select"):
            widget.disabled = read_only if not isinstance(widget, TextArea) else False
            if isinstance(widget, TextArea):
                widget.read_only = read_only
        self.query_one("#reflection-state", StatusLine).say(
            "Submitted: read-only. o reopens it to change it; x exports it." if read_only
            else "Draft: saved as you type. F5 submits.")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"reopen", "export"}:
            return self.state == "submitted"
        if action in {"submit", "add_row", "remove_row", "rename_row", "save"}:
            return self.state == "draft"
        return True

    # --- saving -----------------------------------------------------------------------

    def draft(self) -> Draft:
        """The form as typed. A date that does not read keeps the stored date, with the
        message by the field: one bad field never holds back the others."""
        try:
            day = parse_calendar_date(self.query_one("#r-date", Input).value)
            self.date_problem = None
        except DateError as exc:
            day = self.saved_on
            self.date_problem = (f"{exc} Not saved: the reflection keeps "
                                 f"{self.saved_on.isoformat()} until the date reads right.")
        show(self.query_one("#r-date-error", Static), self.date_problem or "")
        return Draft(
            reflected_on=day,
            author_name=self.query_one("#r-name", Input).value,
            role_name=self.query_one("#r-role", Input).value,
            support_needed=self.query_one("#r-support", TextArea).text,
            barriers=self.query_one("#r-barriers", TextArea).text,
            rows=self.query_one(AllocationTable).rows(),
            role_kind=self.role_kind(),
        )

    def _edited(self, figures: bool = False) -> None:
        if self.state != "draft" or not self.is_mounted:
            return
        if figures:  # only the table and the role's kind change them: re-reading every
            # cell at each key of an answer took a third of a burst's time
            self.query_one(AllocationTable).refresh_figures(self.role_kind())
        if self.query_one("#r-submit-error", Static).content:
            self._say_problem(focus=False)  # a fixed value clears its message
        self.saver.changed()

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _changed(self) -> None:
        self._edited()

    @on(AllocationTable.Edited)
    def _table_edited(self) -> None:
        self._edited(figures=True)

    @on(Select.Changed)
    def _kind_changed(self) -> None:
        if self.role_kind() != self.kind_shown:  # not the Select showing its first value
            self.kind_shown = self.role_kind()
            self._edited(figures=True)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        # Leaving a field writes it, once the keys typed meanwhile are handled and on
        # screen: a burst's Tabs make one write after it, not one each between keys.
        cast("KeyGateApp", self.app).after_keys(
            lambda: self.call_after_refresh(self._left_field))

    def _left_field(self) -> None:
        if self.state == "draft" and self.is_attached:
            self.saver.flush()

    def _write(self) -> None:
        draft = self.draft()
        try:
            self.version = reflection_edit.save_draft(self.mh.db, self.reflection_id,
                                                      self.version, draft,
                                                      self.mh.clock).version
        except ReflectionConflict as conflict:
            self.keep_typed = True  # the answers in the boxes stay, under theirs
            self.show_conflict(conflict, CONFLICT_KEPT)  # theirs on screen, and a line
            self.told = str(conflict)  # said there: not said again as a failed save
            raise
        self.saved_on = draft.reflected_on

    keep_typed = False  # a draft refused: the next reread keeps the answers typed here

    def reread(self) -> None:
        """After a refused save: every field shows the reflection as stored now, read in
        a thread (the keys typed next wait for it)."""
        self.call_later(self._reread)

    async def _reread(self) -> None:
        """After a refused draft, the two answers in the boxes when theirs lands stay
        below theirs (nothing typed is lost, nor typed while it was read); the one-line
        fields show the stored values."""
        reflection, draft = await asyncio.to_thread(reflection_edit.load, self.mh.db,
                                                    self.reflection_id)
        keep, self.keep_typed = self.keep_typed, False
        typed = [self.query_one(s, TextArea).text for s in ("#r-support", "#r-barriers")]
        self.version, self.state, self.saved_on = (reflection.version, reflection.state,
                                                   draft.reflected_on)
        for selector, value in (("#r-date", draft.reflected_on.isoformat()),
                                ("#r-name", draft.author_name or ""),
                                ("#r-role", draft.role_name)):
            self.query_one(selector, Input).value = value
        kept = False
        for selector, theirs, mine in (("#r-support", draft.support_needed, typed[0]),
                                       ("#r-barriers", draft.barriers, typed[1])):
            both = keep_both(theirs, mine) if keep else theirs
            kept = kept or both != theirs
            self.query_one(selector, TextArea).load_text(both)
        self.kind_shown = draft.role_kind
        self.query_one("#r-kind", Select).value = (
            draft.role_kind if draft.role_kind in ROLE_KINDS else Select.NULL)
        table = self.query_one(AllocationTable)
        views = list(table.query(AllocationRowView))
        for view, row in zip(views, draft.rows, strict=False):
            view.rename(row.task_type)
            for name, value in (("ideal", row.ideal), ("current", row.current),
                                ("actions", row.actions)):
                view.query_one(f".alloc-{name}", Input).value = value
        for view in views[len(draft.rows):]:
            view.remove()
        for row in draft.rows[len(views):]:
            table.mount(AllocationRowView(row), before=table.query_one("#alloc-totals"))
        self.apply_state()
        self.show(None)
        if kept and self.state == "draft":
            self.saver.flush()  # at once: both are on screen now

    def _say(self, message: str) -> None:
        problem = self.saver.problem
        if problem is None:
            message += (", all but the date (see the message by it)" if self.date_problem
                        else "") + ". F5 submits."
        elif problem != self.told:
            # A save that failed is also said in a notice, once for each new reason (the
            # draft is tried again at every pause in the typing).
            self.app.bell()
            self.notify(message, title="Not saved", severity="error", timeout=20)
        self.told = problem
        self.query_one("#reflection-state", StatusLine).say(message)

    def action_save(self) -> bool:
        """Write the whole draft now; True if all of it, date included, is saved."""
        if self.state != "draft":
            return True
        return self.saver.flush(force=True) and self.date_problem is None

    def _say_problem(self, *, focus: bool) -> bool:
        """Name the table's first problem under it (and, on F5, move to its field, which
        scrolls it into view at any size, and say it in a notice); False if none."""
        table = self.query_one(AllocationTable)
        box = self.query_one("#r-submit-error", Static)
        problems = allocation.table_problems(table.rows())
        if not problems:
            show(box, "")
            return False
        first = problems[0]
        where = (f"Row '{table.row_name(first)}', column {first.column}: "
                 if first.row is not None else "")
        text = first.text.split(": ", 1)[-1] if first.row is not None else first.text
        more = f" ({len(problems) - 1} more after it)" if len(problems) > 1 else ""
        message = f"Not submitted yet. {where}{text}{more}"
        show(box, message)
        if focus:
            cell = table.cell(first)
            cell.focus()
            body = self.query_one("#reflection-body", VerticalScroll)
            self.call_after_refresh(body.scroll_to_center, cell, animate=False)
            self.app.bell()
            self.notify(message, title="Not submitted", severity="warning", timeout=6)
        return True

    def action_submit(self) -> None:
        from mhtui.ui.screens.confirm import ConfirmScreen

        box = self.query_one("#r-submit-error", Static)
        if not self.action_save():
            message = "Not submitted yet: " + (self.saver.problem or self.date_problem
                                               or "the draft is not saved.")
            show(box, message)
            if self.date_problem:
                self.query_one("#r-date", Input).focus()
            self.notify(message, title="Not submitted", severity="warning", timeout=6)
            return
        if self._say_problem(focus=True):
            return

        async def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                saved = await asyncio.to_thread(reflection_edit.submit, self.mh.db,
                                                self.reflection_id, self.version, self.mh.clock)
            except ReflectionError as exc:
                show(box, str(exc))
                if isinstance(exc, ReflectionConflict):
                    self.show_conflict(exc)
                return
            self.version, self.state = saved.version, saved.state
            self.saver.stop()
            self.apply_state()
            revision = f" (revision {saved.revision})" if saved.revision > 1 else ""
            # On a district server the facilitator reads it there; a file goes by hand.
            where = ("The facilitator sees it on the district's server."
                     if self.mh.target.path is None
                     else "x writes it to a file for the facilitator.")
            self.notify(f"Reflection submitted{revision}. Thank you. {where}")

        self.app.push_screen(ConfirmScreen(
            "Submit this reflection?", "It becomes read-only and joins the team's roll-up "
            "for the next check-in."), answered)

    def action_reopen(self) -> None:
        from mhtui.ui.screens.confirm import ConfirmScreen

        async def answered(yes: bool | None) -> None:
            if yes:
                saved = await asyncio.to_thread(reflection_edit.reopen, self.mh.db,
                                                self.reflection_id, self.version, self.mh.clock)
                self.version, self.state = saved.version, saved.state
                self.apply_state()

        self.app.push_screen(ConfirmScreen(
            "Reopen this reflection?", "Only its author should. The reopening is recorded, "
            "and it leaves the roll-up until submitted again."), answered)

    async def action_export(self) -> None:
        """To the folder mhtui was started in, named by date and role, never over
        another file."""
        from pathlib import Path

        from mhtui.atomic import WriteFailed, write_file
        from mhtui.store.reflections import reflection_io

        db, reflection_id = self.mh.db, self.reflection_id
        try:
            reflection, _ = await asyncio.to_thread(reflection_edit.load, db, reflection_id)
        except LookupError:
            # On a district server an anonymous reflection, once submitted, keeps no trace
            # of its writer's login, so the writer no longer reads it: the facilitator
            # sees it there, with no file to send.
            self.notify("This reflection is on the district's server without your name or "
                        "login: the facilitator sees it there, no file is needed.",
                        timeout=20)
            return

        def write() -> Path:  # in a thread: read as a file's text, and written
            text = reflection_io.export_json(db, reflection_id)
            return write_file(reflection_io.free_path(
                Path.cwd(), reflection_io.file_name(reflection)), text, exclusive=True)

        try:
            path = await asyncio.to_thread(write)
        except (OSError, WriteFailed) as exc:  # a full disk: said, and the app goes on
            self.app.bell()
            self.notify(str(exc), title="Not written", severity="error", timeout=20)
            return
        mail = f" {reflection_io.MAILED}" if reflection.author_name is None else ""
        self.notify(f"Written to {path} (revision {reflection.revision}). Send it to the "
                    f"facilitator, who imports it with i in the reflections list.{mail}",
                    timeout=20)

    def action_step(self, step: int) -> None:
        chain = self.focus_chain
        end = chain[-1 if step > 0 else 0] if chain else None
        if end is not None and self.focused is end:
            self.notify("The last field: F5 submits." if step > 0 else "The first field.",
                        timeout=3)
            return
        if step > 0:
            self.focus_next()
        else:
            self.focus_previous()

    def _row_here(self) -> AllocationRowView | None:
        focused = self.app.focused
        return next((a for a in (focused.ancestors if focused else [])
                     if isinstance(a, AllocationRowView)), None)

    def action_add_row(self) -> None:
        from mhtui.ui.screens.prompt import PromptScreen

        async def named(name: str | None) -> None:
            if name and name.strip():
                await self.query_one(AllocationTable).add_row(" ".join(name.split()))

        self.app.push_screen(PromptScreen("Add a row to the time table",
                                          "Task type for the new row"), named)

    def action_rename_row(self) -> None:
        from mhtui.ui.screens.prompt import PromptScreen

        view = self._row_here()
        if view is None:
            self.notify("Move into a row of the time table to rename it.")
            return

        def named(name: str | None) -> None:
            if name and name.strip():
                self.query_one(AllocationTable).rename_row(view, " ".join(name.split()))

        self.app.push_screen(PromptScreen("Rename this row", "Task type",
                                          view.task_type), named)

    async def action_remove_row(self) -> None:
        view = self._row_here()
        if view is None:
            self.notify("Move into a row of the time table to remove it.")
            return
        await self.query_one(AllocationTable).remove_row(view)

    def action_back(self) -> None:
        from mhtui.ui.screens.dialog import ask_to_discard

        if self.state != "draft" or self.action_save():
            self.app.pop_screen()
            return
        # Something typed cannot be saved: leave only after a yes.
        ask_to_discard(self.app, self.app.pop_screen, "Leave without saving all of it?",
                       (self.saver.problem or self.date_problem or "")
                       + " y leaves; n stays to put it right.")

    def flush(self) -> None:
        if self.state != "draft":
            return
        self.saver.flush_or_raise()
        if self.date_problem is not None:
            raise NotSaved(f"Reflection date: {self.date_problem}")

