"""How `actions list` writes an action: a row of its table (a block of lines in a
terminal too narrow for the columns) or a JSON record, for one team's list
(cli/actions.py) and every team's (cli/all_teams.py) alike.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterable
from datetime import date

from mhtui.core.csv_actions import json_cells
from mhtui.core.statuses import Status
from mhtui.core.wording import due_phrase
from mhtui.store.actions.actions import ActionItem

DEFAULT_LIMIT = 200  # rows a table shows unless --limit says otherwise


def as_json(action: ActionItem, plans: dict[int, str]) -> dict[str, object]:
    """An action as `actions list --format json` writes it."""
    plan = action.shift_plan_id
    return {
        "id": action.id, **json_cells(action), "meeting_id": action.meeting_id,
        # As the export writes it: the plan and the task it shifts, or null.
        "shift_plan": None if plan is None else {"id": plan, "task": plans.get(plan, "")},
    }


def print_table(rows: Iterable[tuple[str | None, ActionItem]], total: int, top: int,
                today: date, school: tuple[str, int] | None = None) -> None:
    """Print ``rows`` (each with its school, or None) as `actions list` does; ``school``
    (its header and wanted width) adds a school column first (--all-teams)."""
    from mhtui.cli import table

    width = shutil.get_terminal_size().columns  # $COLUMNS, the terminal, or 80 in a pipe
    columns = [table.Column("#", len(str(top)), right=True), table.Column("Created", 10),
               table.Column("Action", 12, share=4), table.Column("Status", 14, want=16),
               table.Column("Owner", 7, share=1), table.Column("Due", 10, share=1)]
    if school is not None:
        columns.insert(0, table.Column(school[0], 8, want=school[1], share=1))
    sizes = table.widths(columns, width)
    stacked = sum(sizes) + len(table.GAP) * (len(sizes) - 1) > width
    write = sys.stdout.write
    if not stacked:
        write(table.render_header(columns, sizes))
    shown = 0
    for name, a in rows:
        status = Status(a.status)
        parts = [a.due_on.isoformat() if a.due_on else "",
                 due_phrase(a.due_on, today, is_open=status.is_open)]
        due = " ".join(filter(None, parts))
        if len(due) > sizes[-1]:  # the date on its line, the words under it
            due = "\n".join(filter(None, parts))
        cells = [str(a.id), a.created_on.isoformat(), a.text, f"{status.symbol} {status.short}",
                 a.owner, due]
        if stacked:
            write(_stacked(cells, width, name))
        else:
            write(table.render_row(cells if school is None else [name or "", *cells],
                                   columns, sizes))
        shown += 1
    if not total:
        write("No actions match.\n")
    elif shown < total:
        write(f"… {total - shown:,} more of {total:,} not shown: --limit 0 lists them all, "
              "--format csv gives a spreadsheet.\n")


def _stacked(cells: list[str], width: int, school: str | None = None) -> str:
    """One action as a block of lines, for a terminal too narrow for the columns."""
    from mhtui.cli import table

    number, created, text, status, owner, due = cells
    facts = [school or "", f"#{number}", status, owner or "no owner", f"created {created}",
             due if due.startswith("no") else f"due {due}"]
    lines = table.wrap(" · ".join(f for f in facts if f), width)
    lines += ["  " + line for line in table.wrap(text, max(width - 2, 10))]
    return "\n".join(lines) + "\n\n"
