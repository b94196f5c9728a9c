"""How the grid's headers, cells and side panel read: symbols plus words, never colour alone."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from mhtui.core.catalogue import NOT_ASSESSED_SYMBOL, Capability
from mhtui.core.grid_analysis import Candidate, Coverage, RoleInfo
from mhtui.store.grid.grid import RoleView, TaskView
from mhtui.ui.widgets.text import lines, one_line, styled

# Bright colours, bold: under NO_COLOR Textual draws each colour as its grey, and the
# plain ANSI red turned ✗ into grey 237 on the table's 236.
STYLES = {"yes": "bold #5fd75f", "no": "bold #ff8787", "training": "bold #ffd75f"}


def cell(value: str | None) -> Text:
    if value is None:
        return Text(NOT_ASSESSED_SYMBOL, style="dim")
    return Text(Capability(value).symbol, style=STYLES[value])


def task_label(task: TaskView, width: int) -> str:
    """Plain text: a table cell wraps it in ``table_cell``."""
    marks = ("★" if task.priority else " ") + ("⇄" if task.to_shift else " ")
    return f"{marks} {one_line(task.name, width - 3)}"


def role_label(role: RoleView, width: int = 14) -> str:
    """Plain text: a column label wraps it in ``table_cell``."""
    return one_line(("▲ " if role.capacity_constrained else "") + role.name, width)


def info(role: RoleView) -> RoleInfo:
    return RoleInfo(role.id, role.name, role.capacity_constrained, role.audience)


def side_panel(task: TaskView, coverage: Coverage, candidates: list[Candidate],
               plan_state: str | None, role: RoleView | None = None,
               value: str | None = None) -> Content:
    """``plan_state``: the state of the task's shift plan, None if not started; ``role``:
    the cursor's column, named in full with its cell's ``value``."""
    out: list[Content | str] = []
    if coverage.gap:  # before anything else
        out += [styled("[b reverse]$gap[/b reverse]", gap=coverage.gap), ""]
    out += [styled("[b]$name[/b]", name=task.name)]
    if role is not None:
        shown = Capability(value).label if value else "not assessed"
        out.append(styled("Role: $role: $value", role=(
            "▲ " if role.capacity_constrained else "") + role.name, value=shown))
    out.append("")
    marks = [m for m, on in (("★ priority task", task.priority),
                             ("⇄ task to shift", task.to_shift)) if on]
    out.append(", ".join(marks) or "Not marked (p priority, s to shift)")
    out.append(f"Coverage: {coverage.words()}")
    if coverage.only_constrained:
        out.append(styled("[b]⚑ Only capacity-constrained roles can do this now.[/b]"))
    if task.to_shift:
        out += ["", styled("[b]Who could take it[/b]")]
        if not candidates:
            out.append("No role outside the constrained ones is marked Yes or With "
                       "training yet.")
        for c in candidates:
            out.append(f"{'✓ ready now' if c.ready else '◐ with training'}: {c.role.name}")
            if not c.ready and c.trainings:
                out += [f"    · {t}" for t in c.trainings]
        out += ["", f"Shift plan: {plan_state or 'not started'} (P opens it, L lists all plans)"]
    return lines(out)
