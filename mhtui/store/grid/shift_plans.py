"""A plan for each task marked to shift: the seven questions, its state, its actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from mhtui.core.clock import Clock
from mhtui.store.actions import actions
from mhtui.store.actions.actions import Fields
from mhtui.store.database.conflict import ConflictError, claim, refusal
from mhtui.store.database.db import Database
from mhtui.store.grid.grid import TaskView, task_view
from mhtui.store.models import Action, ShiftPlan, Task, TaskCategory

ANSWERS = ("roles", "when", "communication", "staffing", "training", "other_steps")
STATES = ("draft", "agreed", "done")


class PlanConflict(ConflictError):
    """The plan changed elsewhere since the screen read it; nothing was written."""


@dataclass(frozen=True)
class PlanView:
    """A shift plan as read: the answers, its state, and the version a change names."""

    id: int
    task_id: int
    roles: str
    when: str
    communication: str
    staffing: str
    training: str
    other_steps: str
    state: str
    updated_at: datetime
    version: int

    def answer(self, key: str) -> str:
        assert key in ANSWERS
        return str(getattr(self, key))


def _view(plan: ShiftPlan) -> PlanView:
    assert plan.id is not None
    return PlanView(plan.id, plan.task_id, plan.roles, plan.when, plan.communication,
                    plan.staffing, plan.training, plan.other_steps, plan.state,
                    plan.updated_at, plan.version)


def get_or_create(db: Database, task_id: int, clock: Clock) -> PlanView:
    with db.write() as session:
        plan = session.exec(select(ShiftPlan).where(ShiftPlan.task_id == task_id)).first()
        if plan is None:
            plan = ShiftPlan(task_id=task_id, updated_at=clock.now())
            session.add(plan)
        session.flush()
        return _view(plan)


def _plan_words(plan: ShiftPlan) -> str:
    answered = sum(1 for key in ANSWERS if getattr(plan, key).strip())
    return f"{plan.state}, {answered} of {len(ANSWERS)} questions answered"


def save(db: Database, plan_id: int, version: int, answers: dict[str, str], state: str,
         clock: Clock) -> PlanView:
    """Store the whole plan, based on the plan at ``version``; returns it as saved. A plan
    already as given is left alone, whatever the version: nothing would be lost."""
    values: dict[str, object] = {key: answers.get(key, "") for key in ANSWERS}
    values["state"] = state if state in STATES else "draft"
    with db.write() as session:
        plan = session.get(ShiftPlan, plan_id)
        if plan is not None and all(getattr(plan, k) == v for k, v in values.items()):
            return _view(plan)

        refuse = refusal("this shift plan", _plan_words, PlanConflict)
        saved = claim(session, ShiftPlan, plan_id, version, refuse, updated_at=clock.now(),
                      **values)
        session.flush()
        return _view(saved)


@dataclass(frozen=True)
class PlanRow:
    task: TaskView
    plan: PlanView | None
    actions: int


def listing(db: Database, team_id: int) -> list[PlanRow]:
    """Every task marked to shift, with its plan (if started) and linked actions."""
    with db.read() as session:
        tasks = session.exec(
            select(Task).join(TaskCategory)
            .where(TaskCategory.team_id == team_id, col(Task.to_shift).is_(True))
            .order_by(col(TaskCategory.position), col(Task.position))).all()
        plans = {p.task_id: p for p in session.exec(
            select(ShiftPlan).where(col(ShiftPlan.task_id).in_([t.id for t in tasks])))}
        counts: dict[int, int] = {}
        for plan_id in session.exec(
                select(Action.shift_plan_id).where(col(Action.shift_plan_id).is_not(None),
                                                   col(Action.deleted_at).is_(None))).all():
            if plan_id is not None:
                counts[plan_id] = counts.get(plan_id, 0) + 1
        views = {task_id: _view(plan) for task_id, plan in plans.items()}
    return [PlanRow(task_view(t), views.get(t.id or 0),
                    counts.get(views[t.id].id, 0) if t.id in views else 0) for t in tasks]


def make_action(db: Database, team_id: int, plan_id: int, fields: Fields,
                clock: Clock) -> int:
    """A tracker action linked to the plan; returns its number."""
    saved = actions.create(db, team_id, fields, clock, shift_plan_id=plan_id)
    assert saved.id is not None
    return saved.id


def plan_task(db: Database, plan_id: int) -> str | None:
    """The name of the task a shift plan shifts; None if the plan is gone."""
    with db.read() as session:
        return session.exec(select(Task.name).join(ShiftPlan, col(ShiftPlan.task_id) == Task.id)
                            .where(ShiftPlan.id == plan_id)).first()
