"""How the grid's headers, cells and side panel read: symbols plus words, never colour alone."""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text

from mhtui.core.catalogue import NOT_ASSESSED_SYMBOL, Capability
from mhtui.core.grid_analysis import Candidate, Coverage, RoleInfo
from mhtui.store.models import Role, ShiftPlan, Task
from mhtui.ui.widgets.text import one_line

STYLES = {"yes": "bold green", "no": "red", "training": "yellow"}


def cell(value: str | None) -> Text:
    if value is None:
        return Text(NOT_ASSESSED_SYMBOL, style="dim")
    return Text(Capability(value).symbol, style=STYLES[value])


def task_label(task: Task, width: int) -> str:
    marks = ("★" if task.priority else " ") + ("⇄" if task.to_shift else " ")
    return f"{marks} {one_line(task.name, width - 3)}"


def role_label(role: Role, width: int = 14) -> str:
    return one_line(("▲ " if role.capacity_constrained else "") + role.name, width)


def info(role: Role) -> RoleInfo:
    return RoleInfo(role.id or 0, role.name, role.capacity_constrained, role.audience)


def side_panel(task: Task, coverage: Coverage, candidates: list[Candidate],
               plan: ShiftPlan | None) -> str:
    lines = [f"[b]{escape(task.name)}[/b]", ""]
    marks = [m for m, on in (("★ priority task", task.priority),
                             ("⇄ task to shift", task.to_shift)) if on]
    lines.append(", ".join(marks) or "Not marked (p priority, s to shift)")
    lines.append(f"Coverage: {coverage.words()}")
    if coverage.only_constrained:
        lines.append("[b]⚑ Only capacity-constrained roles can do this now.[/b]")
    if task.to_shift:
        lines += ["", "[b]Who could take it[/b]"]
        if not candidates:
            lines.append("No role outside the constrained ones is marked Yes or With "
                         "training yet.")
        for c in candidates:
            lines.append(f"{'✓ ready now' if c.ready else '◐ with training'}: "
                         f"{escape(c.role.name)}")
            if not c.ready and c.trainings:
                lines += [f"    · {escape(t)}" for t in c.trainings]
        state = plan.state if plan else "not started"
        lines += ["", f"Shift plan: {state} (P opens it, L lists all plans)"]
    return "\n".join(lines)
