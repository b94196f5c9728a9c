"""How one action reads in the tracker's columns and in its detail panel."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.content import Content

from mhtui.core.statuses import Status
from mhtui.core.wording import due_phrase, long_date
from mhtui.store.actions.actions import ActionItem, HistoryLine
from mhtui.ui.widgets.text import lines, one_line, styled, table_cell

# (label, width) of the columns beside the action text; width 0 means "what is left".
# Every set starts with the action's number (#, as wide as the page's largest), and keeps
# "When" whole: "! overdue by 365 days" is 21 cells.
WIDE_COLUMNS = (("#", 0), ("Created", 10), ("Action", 0), ("Status", 28), ("Owner", 16),
                ("Due", 10), ("When", 21), ("From", 10))
MEDIUM_COLUMNS = (("#", 0), ("Action", 0), ("Status", 16), ("Owner", 14), ("Due", 10),
                  ("When", 21))
NARROW_COLUMNS = (("#", 0), ("Action", 0), ("Status", 16), ("Owner", 10), ("When", 21))
WIDE_FROM, MEDIUM_FROM = 130, 110  # the table's width


def columns_for(width: int, id_digits: int = 3) -> list[tuple[str, int]]:
    """The columns for a table ``width`` cells wide; "#" is ``id_digits`` wide."""
    chosen = (WIDE_COLUMNS if width >= WIDE_FROM else MEDIUM_COLUMNS if width >= MEDIUM_FROM
              else NARROW_COLUMNS)
    number = max(id_digits, 1)
    fixed = sum(w + 2 for _, w in chosen if w) + number + 2
    text_width = max(width - fixed - 4, 12)
    return [(label, number if label == "#" else w or text_width) for label, w in chosen]


def cells(action: ActionItem, columns: list[tuple[str, int]], today: date,
          meetings: dict[int, date]) -> list[Text]:
    status = Status(action.status)
    wide = any(label == "Created" for label, _ in columns)
    origin = meetings.get(action.meeting_id or 0)
    values = {
        "#": str(action.id),
        "Created": action.created_on.isoformat(),
        "Status": f"{status.symbol} {status.value if wide else status.short}",
        "Due": action.due_on.isoformat() if action.due_on else "—",
        "When": due_phrase(action.due_on, today, is_open=status.is_open),
        "From": origin.isoformat() if origin else "",
    }
    out = []
    for label, width in columns:
        if label == "Action":
            out.append(table_cell(one_line(action.text, width)))
        elif label == "Owner":
            out.append(table_cell(one_line(action.owner, width) or "—"))
        else:
            out.append(table_cell(values[label]))
    return out


def _event_line(event: HistoryLine) -> str:
    stamp = event.at.astimezone().strftime("%Y-%m-%d %H:%M")
    if event.kind == "created":
        what = "created"
    elif event.kind == "status":
        what = f"status: {event.old_value} → {event.new_value}"
    elif event.kind == "edit":
        old = one_line(event.old_value, 40) or "(empty)"
        new = one_line(event.new_value, 40) or "(empty)"
        what = f"{event.field}: {old} → {new}"
    else:
        what = event.kind
    return f"{stamp}  {what}"


def detail(action: ActionItem, events: list[HistoryLine], today: date,
           origin: date | None, plan_task: str | None = None) -> Content:
    """``plan_task``: the task whose shift plan the action came from, if it did."""
    status = Status(action.status)
    due = long_date(action.due_on) if action.due_on else "no date"
    when = due_phrase(action.due_on, today, is_open=status.is_open)
    return lines([
        styled("[b]$text[/b]", text=action.text),
        # Near the top: the panel under the table shows its first lines only.
        *([f"From the shift plan for “{one_line(plan_task, 200)}” (plan "
           f"{action.shift_plan_id}; in the grid, L lists the plans)"]
          if action.shift_plan_id is not None and plan_task is not None else []),
        "",
        f"Status  {status.symbol} {status.value}",
        f"Owner   {action.owner or '(none)'}",
        f"Due     {due}" + (f"  ({when})" if when else ""),
        f"Created {long_date(action.created_on)}"
        + (f", in the check-in of {long_date(origin)}" if origin else ""),
        f"Number  #{action.id}",
        "",
        styled("[b]History[/b]"),
        *(_event_line(e) for e in events),
    ])
