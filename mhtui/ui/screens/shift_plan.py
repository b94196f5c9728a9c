"""The plan to shift one task, and the list of every shift plan."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Label, Static, TextArea

from mhtui.core import grid_analysis
from mhtui.core.catalogue import SHIFT_PLAN_QUESTIONS
from mhtui.core.clock import local_today
from mhtui.core.grid_analysis import Candidate
from mhtui.core.merge import keep_both
from mhtui.store.actions.actions import Fields
from mhtui.store.grid import grid, shift_plans
from mhtui.store.grid.grid import TaskView
from mhtui.store.grid.shift_plans import PlanRow, PlanView
from mhtui.ui.screens.base import CONFLICT_KEPT, MHScreen
from mhtui.ui.widgets.autosave import Autosaver
from mhtui.ui.widgets.grid_text import info
from mhtui.ui.widgets.status_line import StatusLine
from mhtui.ui.widgets.text import lines, literal, styled, table_cell


@dataclass(frozen=True)
class PlanRead:
    """One task's plan as stored, the task, its candidate roles, and how many tracker
    actions are linked to the plan."""

    plan: PlanView
    task: TaskView
    candidates: tuple[Candidate, ...]
    actions: int


class ShiftPlanScreen(MHScreen):
    TITLE_TEXT = "mhtui · shift plan"
    HELP = (
        "The plan to move one task to other roles, in seven questions. Type the answers "
        "(saved as you type, and at once with ctrl+s); F6 moves the plan from draft to agreed "
        "to done. F7 adds a tracker action for the hiring step and F8 one for the training "
        "step, linked to this plan; the owner is filled from who the plan makes responsible "
        "(\"vice principal responsible\"), and the date asked. Candidate roles and suitable "
        "trainings are listed at the top."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="shift_plan.save", priority=True),
        Binding("f6", "state", "State", id="shift_plan.state", priority=True),
        # Function keys: some terminals send ctrl+h for Backspace.
        Binding("f7", "step('hire')", "Hiring action", id="shift_plan.hire", priority=True),
        Binding("f8", "step('train')", "Training action", id="shift_plan.train", priority=True),
    ]

    def __init__(self, task_id: int) -> None:
        super().__init__()
        self.task_id = task_id
        self.plan: PlanView | None = None
        self.shift_task: TaskView | None = None
        self.saver: Autosaver  # made in compose, once the app's clock is at hand

    def compose(self) -> ComposeResult:
        self.saver = Autosaver(self, self._write, self._say, self.mh.clock,
                               refusals=(shift_plans.PlanConflict,), saved="Plan saved")
        yield Header()
        with VerticalScroll(id="plan-body"):
            yield Static("", id="plan-head")
            yield StatusLine(id="plan-state")
            yield StatusLine("Saved as you type.", id="plan-saved")
            for key, question in SHIFT_PLAN_QUESTIONS[1:]:
                yield Label(question)
                # Filled by the first read (show): keys typed meanwhile wait for it.
                yield TextArea("", id=f"plan-{key}", compact=True, tab_behavior="focus",
                               soft_wrap=True)
            yield Static("", id="plan-actions")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#plan-body").can_focus = False
        self.query_one("#plan-roles", TextArea).focus()

    def read(self) -> PlanRead:
        db, team_id = self.mh.db, self.mh.team_id or 0
        plan = shift_plans.get_or_create(db, self.task_id, self.mh.clock)
        data = grid.load(db, team_id)
        task = next(t for _, ts in data.categories for t in ts if t.id == self.task_id)
        roles = [info(r) for r in data.roles]
        rows = [r for r in shift_plans.listing(db, team_id) if r.task.id == self.task_id]
        return PlanRead(plan, task, tuple(grid_analysis.candidates(self.task_id, roles,
                                                                   data.cells)),
                        rows[0].actions if rows else 0)

    def show(self, read: PlanRead) -> None:
        """The head, state and linked actions as read; the answers only the first time
        (after that the boxes hold what is typed, and saves are based on that plan)."""
        if self.plan is None:
            self.plan = read.plan
            for key, _ in SHIFT_PLAN_QUESTIONS[1:]:
                box = self.query_one(f"#plan-{key}", TextArea)
                with self.prevent(TextArea.Changed):  # shown, not typed: nothing to save
                    box.load_text(read.plan.answer(key))
            # The form opens at its top (the task, its candidates, the first question):
            # the head filled in below the focused box had scrolled it out of view.
            self.call_after_refresh(self.query_one("#plan-body").scroll_home, animate=False)
        task = self.shift_task = read.task
        self.query_one("#plan-head", Static).update(lines([
            styled("[b]$name[/b]", name=task.name), "Candidates: " + (", ".join(
                f"{c.role.name} ({'ready now' if c.ready else 'with training: '}"
                f"{'' if c.ready else '; '.join(c.trainings) or 'no training listed'})"
                for c in read.candidates) or "none marked Yes or With training outside the "
                "capacity-constrained roles.")]))
        self.query_one("#plan-state", Static).update(literal(
            f"State: {self.plan.state} (F6 changes it) · the first question: "
            f"{SHIFT_PLAN_QUESTIONS[0][1]} {task.name}"))
        self.query_one("#plan-actions", Static).update(
            f"{read.actions} tracker action(s) linked to this plan. F7 adds a hiring step, "
            "F8 a training step.")

    def answers(self) -> dict[str, str]:
        return {key: self.query_one(f"#plan-{key}", TextArea).text
                for key, _ in SHIFT_PLAN_QUESTIONS[1:]}

    @on(TextArea.Changed)
    def _changed(self) -> None:
        if self.is_mounted:
            self.saver.changed()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self.saver.flush()  # leaving a field writes it

    def _write(self, state: str | None = None) -> None:
        assert self.plan is not None
        try:
            self.plan = shift_plans.save(self.mh.db, self.plan.id, self.plan.version,
                                         self.answers(), state or self.plan.state,
                                         self.mh.clock)
        except shift_plans.PlanConflict as conflict:
            self.show_conflict(conflict, CONFLICT_KEPT)  # theirs on screen, and a line
            raise

    def reread(self) -> None:
        """After a refused save: the answers and state as stored now, read in a thread
        (the keys typed next wait for it)."""
        self.call_later(self._theirs_and_mine)

    async def _theirs_and_mine(self) -> None:
        """Each box shows the other person's answer, and below it what is in the box
        when the read lands (nothing typed is lost, nor typed while it was read)."""
        read = await asyncio.to_thread(self.read)
        self.plan = read.plan
        kept = False
        for key, _ in SHIFT_PLAN_QUESTIONS[1:]:
            box, theirs = self.query_one(f"#plan-{key}", TextArea), read.plan.answer(key)
            both = keep_both(theirs, box.text)
            kept = kept or both != theirs
            if both != box.text:
                box.load_text(both)
        self.show(read)
        if kept:
            self.saver.flush()  # at once: both are on screen now

    def _say(self, message: str) -> None:
        self.query_one("#plan-saved", StatusLine).say(message)

    async def action_save(self) -> None:
        if self.saver.flush(force=True):
            await self.read_now()

    async def action_state(self) -> None:
        assert self.plan is not None
        states = shift_plans.STATES
        state = states[(states.index(self.plan.state) + 1) % len(states)]
        if self.saver.run(lambda: self._write(state)):
            await self.read_now()

    def action_step(self, which: str) -> None:
        from mhtui.ui.screens.action_form import ActionForm

        assert self.plan is not None and self.shift_task is not None
        plan_id, team_id = self.plan.id, self.mh.team_id or 0
        what = "Hire for" if which == "hire" else "Train staff for"

        def created(fields: Fields | None) -> None:
            # The form's save: written before it closes (quitting saves through it too);
            # this screen is read again when it shows once more.
            if fields is not None:
                number = shift_plans.make_action(self.mh.db, team_id, plan_id, fields,
                                                 self.mh.clock)
                self.notify(f"Action #{number} added to the tracker.")

        # The owner the plan names for this step ("vice principal responsible"), to keep
        # or change in the form.
        owner = grid_analysis.responsible(
            self.answers()["staffing" if which == "hire" else "training"])
        self.app.push_screen(ActionForm(
            "Hiring step" if which == "hire" else "Training step", local_today(self.mh.clock),
            Fields(text=f"{what}: {self.shift_task.name}", owner=owner), require_owner=True,
            save=created))

    def flush(self) -> None:
        if self.plan is not None and self.is_mounted:
            self.saver.flush_or_raise()

    def action_back(self) -> None:
        from mhtui.ui.screens.dialog import ask_to_discard

        if self.saver.flush():
            self.app.pop_screen()
            return
        ask_to_discard(self.app, self.app.pop_screen, "Leave with the plan not saved?",
                       f"{self.saver.problem} y leaves without it; n stays.")


class PlansScreen(MHScreen):
    TITLE_TEXT = "mhtui · shift plans"
    HELP = ("Every task marked to shift, with the state of its plan and the tracker actions "
            "linked to it. Enter opens a plan.")

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="plans-table", cursor_type="row")
        yield StatusLine(id="plans-status")
        yield Footer(compact=True)

    def read(self) -> tuple[PlanRow, ...]:
        return tuple(shift_plans.listing(self.mh.db, self.mh.team_id or 0))

    def show(self, rows: tuple[PlanRow, ...]) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns("Task", "Plan", "Taken on by", "Actions")
        for row in rows:
            table.add_row(table_cell(row.task.name[:60]),
                          row.plan.state if row.plan else "not started",
                          table_cell((row.plan.roles if row.plan else "")[:40]), str(row.actions),
                          key=str(row.task.id))
        self.query_one("#plans-status", Static).update(
            f"{len(rows)} task(s) marked to shift." if rows
            else "No task is marked to shift yet: press s on a task in the grid.")

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(ShiftPlanScreen(int(str(event.row_key.value))))

    def action_back(self) -> None:
        self.app.pop_screen()
