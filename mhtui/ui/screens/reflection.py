"""Staff reflections: the team's drafts and submitted ones, and the way to the roll-up."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Static

from mhtui.core.clock import local_today
from mhtui.core.wording import plural
from mhtui.ui.screens.base import MHScreen
from mhtui.ui.widgets.status_line import StatusLine
from mhtui.ui.widgets.text import one_line, table_cell

if TYPE_CHECKING:
    from mhtui.store.reflections.reflections import ReflectionRow


class ReflectionScreen(MHScreen):
    TITLE_TEXT = "mhtui · reflections"
    HELP = (
        "A reflection is a counselor's, psychologist's or social worker's short note on "
        "the support they need, the barriers in their way and how their time is spent "
        "against how it should be. n starts one; Enter opens the selected one (drafts "
        "can be finished, submitted ones read); d discards a draft; v shows the team's "
        "roll-up for the barriers discussion. The # column is each reflection's number "
        "for the command line (mhtui export reflection 12). Importing, for the "
        "facilitator: i asks for the files counselors sent (reflection-DATE-ROLE.json, or "
        "reflection-DATE-anonymous.json, written by x in their form); every file is checked "
        "before any is added, a newer revision of a reflection replaces the one held, and "
        "an older one is skipped. A file names the team it was written for: one written "
        "for another team is imported into this one only after a y. "
        "Anonymous reflections keep no name anywhere, and their role shows only as its "
        "kind (school counselor, psychologist, social worker, other) where at least 3 "
        "anonymous reflections of the period share it ('role not shown' otherwise); Enter "
        "on a submitted anonymous one shows its day and answers alone, not its role, time "
        "table or the time it came in. mhtui holds no student records."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New", id="reflection.new"),
        Binding("d", "discard", "Discard draft", id="reflection.discard"),
        Binding("v", "rollup", "Roll-up", id="reflection.rollup"),
        Binding("i", "import", "Import files", id="reflection.import"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="reflections-table", cursor_type="row", zebra_stripes=True)
        yield StatusLine(id="reflection-status")
        yield Footer(compact=True)

    def read(self) -> tuple[ReflectionRow, ...]:
        from mhtui.store.reflections import reflections

        assert self.mh.team_id is not None
        return tuple(reflections.recent(self.mh.db, self.mh.team_id))

    def show(self, rows: tuple[ReflectionRow, ...]) -> None:
        self.rows = {r.id: r for r in rows}
        self.versions = {r.id: r.version for r in rows}  # what a discard is based on
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear(columns=True)
        # Role and name get 13 cells, up to 24 when the screen has room (a wide screen
        # cut "school social worker" beside a half-empty Barriers column).
        who = max(13, min(24, (self.size.width - 90) // 2))
        fixed = (("#", 3), ("Date", 10), ("Role", who), ("Name", who), ("State", 12))
        text_width = max(self.size.width - sum(w + 2 for _, w in fixed) - 4, 15)
        for label, width in (*fixed, ("Barriers", text_width)):
            table.add_column(label, width=width, key=label.lower())
        for r in rows:
            table.add_row(
                str(r.id), r.reflected_on.isoformat(),
                table_cell(one_line(r.role_name, who) or "—"),
                table_cell(one_line(r.author_name, who) if r.author_name
                           else "(anonymous)"),
                r.state if r.revision < 2 else f"{r.state} r{r.revision}",  # r2: revision
                table_cell(one_line(r.barriers, text_width) or "—"), key=str(r.id))
        if rows:
            table.move_cursor(row=min(keep, len(rows) - 1))
        submitted = sum(1 for r in rows if r.state == "submitted")
        self.query_one("#reflection-status", Static).update(
            f"{submitted} submitted, {plural(len(rows) - submitted, 'draft')}" if rows
            else "No reflections yet for this team. Press n to write one.")

    def selected_id(self) -> int | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return int(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

    async def action_new(self) -> None:
        from mhtui.store.reflections import reflection_edit
        from mhtui.store.reflections.reflection_edit import Draft, default_rows
        from mhtui.ui.screens.reflection_form import FormRead, ReflectionForm, read_form

        db, team_id, clock = self.mh.db, self.mh.team_id, self.mh.clock
        assert team_id is not None

        def new() -> tuple[int, FormRead]:
            created = reflection_edit.new_draft(
                db, team_id, Draft(local_today(clock), None, "", rows=default_rows()), clock)
            assert created.id is not None
            return created.id, read_form(db, created.id)

        self.app.push_screen(ReflectionForm(*await asyncio.to_thread(new)))

    @on(DataTable.RowSelected)
    async def _open(self) -> None:
        from mhtui.ui.screens.reflection_anonymous import AnonymousReflection
        from mhtui.ui.screens.reflection_form import ReflectionForm, read_form

        chosen = self.selected_id()
        row = self.rows.get(chosen) if chosen is not None else None
        if row is not None and row.author_name is None and row.state == "submitted":
            self.app.push_screen(AnonymousReflection(row))  # its answers only
        elif chosen is not None:
            made_from = await asyncio.to_thread(read_form, self.mh.db, chosen)
            self.app.push_screen(ReflectionForm(chosen, made_from))

    def action_discard(self) -> None:
        from mhtui.store.reflections import reflection_edit
        from mhtui.ui.screens.confirm import ConfirmScreen

        chosen = self.selected_id()
        if chosen is None:
            return
        version = self.versions.get(chosen, 0)

        async def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                await asyncio.to_thread(reflection_edit.discard, self.mh.db, chosen, version)
            except reflection_edit.ReflectionError as exc:
                self.notify(str(exc), severity="error")
            await self.read_now()

        self.app.push_screen(ConfirmScreen("Discard this draft?",
                                           "Its text is deleted for good."), answered)

    def commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("reflections: import files",
                            "Add reflection files sent from other laptops to this team",
                            self.action_import)

    def action_import(self) -> None:
        from mhtui.ui.screens.import_form import ImportForm

        self.app.push_screen(ImportForm(), self._import_paths)

    async def _import_paths(self, paths: list[str] | None) -> None:
        from pathlib import Path

        from mhtui.store.reflections import reflection_io

        if not paths:
            return
        assert self.mh.team_id is not None
        parsed = []
        for name in paths:  # every file checked whole before anything is written
            path = Path(name).expanduser()
            try:
                parsed.append(await asyncio.to_thread(reflection_io.read, path))
            except OSError as exc:
                self.notify(f"{path}: cannot be read ({exc.strerror}). Nothing was imported.",
                            severity="error", timeout=8)
                return
            except ValueError as exc:  # too big, or not one of ours
                self.notify(f"{path}: {str(exc).rstrip('.')}. Nothing was imported.",
                            severity="error", timeout=8)
                return
        team = await asyncio.to_thread(self.mh.active_team)
        others = reflection_io.written_for_another(parsed, team.name)

        async def import_them(yes: bool | None = True) -> None:
            if not yes:
                self.notify("Nothing was imported.", timeout=6)
                return
            done = await asyncio.to_thread(reflection_io.import_all, self.mh.db, team.id,
                                           parsed, self.mh.clock)
            said = done.words()
            self.notify(said[0].upper() + said[1:] + ".", timeout=10)
            await self.read_now()

        if not others:
            await import_them()
            return
        from mhtui.ui.screens.confirm import ConfirmScreen

        # A file never joins another school's team unasked (it went silently into
        # whichever team was open).
        school = parsed[others[0]].school
        named = ", ".join(Path(paths[i]).name for i in others[:3])
        more = f" and {len(others) - 3} more" if len(others) > 3 else ""
        self.app.push_screen(ConfirmScreen(
            f"Import into {team.name!r}, written for {school!r}?",
            f"{named}{more}: written for the team {school!r}, not {team.name!r}, the team "
            f"open now. y imports every file given into {team.name!r}; n imports nothing "
            f"(switch to {school!r} first to import it there)."), import_them)

    def action_rollup(self) -> None:
        self.mh.show_kept("rollup")  # built once, read again each time it is shown
