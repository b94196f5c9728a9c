"""The role-capability grid as CSV (words) and Markdown (symbols), and the CSV read back.

Layout: "Task category", "Task", "Priority", "To shift", then one column per role. A last
row whose category is "(capacity-constrained)" marks the constrained roles with "yes".
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from mhtui.core.catalogue import NOT_ASSESSED_SYMBOL, Capability
from mhtui.core.csv_actions import BOM, csv_problem, safe_cell, sniff_delimiter, unsafe_cell
from mhtui.core.csv_actions import reader as csv_reader

FIXED = ("Task category", "Task", "Priority", "To shift")
CONSTRAINED_ROW = "(capacity-constrained)"
WORDS = {c.value: c.label for c in Capability}
_FROM_WORD = {label.lower(): value for value, label in WORDS.items()} | {
    "y": "yes", "n": "no", "t": "training", "training": "training", "with training": "training",
    "✓": "yes", "✗": "no", "◐": "training", "": None, "·": None, "not assessed": None,
}


@dataclass
class GridDoc:
    roles: list[tuple[str, bool]] = field(default_factory=list)  # (name, constrained)
    # (category, [(task, priority, to_shift, [cell value per role])])
    categories: list[tuple[str, list[tuple[str, bool, bool, list[str | None]]]]] = field(
        default_factory=list)


def write_csv(doc: GridDoc) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*FIXED, *(safe_cell(name) for name, _ in doc.roles)])
    for category, tasks in doc.categories:
        for task, priority, shift, cells in tasks:
            writer.writerow([safe_cell(category), safe_cell(task), "yes" if priority else "",
                             "yes" if shift else "",
                             *(WORDS.get(c or "", "") for c in cells)])
    writer.writerow([CONSTRAINED_ROW, "", "", "", *("yes" if c else "" for _, c in doc.roles)])
    return out.getvalue()


def write_markdown(doc: GridDoc) -> str:
    def esc(text: str) -> str:
        return text.replace("|", "\\|")

    heads = [esc(n) + (" ▲" if c else "") for n, c in doc.roles]
    lines = ["| Task category | Task | | " + " | ".join(heads) + " |",
             "|---|---|---|" + "---|" * len(heads)]
    for category, tasks in doc.categories:
        for index, (task, priority, shift, cells) in enumerate(tasks):
            marks = ("★" if priority else "") + ("⇄" if shift else "")
            symbols = [Capability(c).symbol if c else NOT_ASSESSED_SYMBOL for c in cells]
            lines.append(f"| {esc(category) if index == 0 else ''} | {esc(task)} | {marks} | "
                         + " | ".join(symbols) + " |")
    legend = "  ".join(f"{c.symbol} {c.label}" for c in Capability)
    lines += ["", f"{legend}  {NOT_ASSESSED_SYMBOL} not assessed  ★ priority task  "
              "⇄ task to shift  ▲ capacity-constrained role"]
    return "\n".join(lines) + "\n"


def _flag(text: str) -> bool | None:
    value = text.strip().lower()
    if value in ("yes", "y", "x", "✓", "true", "1"):
        return True
    if value in ("", "no", "n", "false", "0"):
        return False
    return None


def read_csv(text: str) -> tuple[GridDoc, list[tuple[int, str]]]:
    """The grid, and every problem with its line number (nothing is usable if any)."""
    errors: list[tuple[int, str]] = []
    text = text.removeprefix(BOM)
    reader = csv_reader(text, sniff_delimiter(text))  # ";" from LibreOffice, tabs
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return GridDoc(), [(1, "The file is empty or not CSV.")]
    if [h.strip().lower() for h in header[:4]] != [f.lower() for f in FIXED]:
        return GridDoc(), [(1, f"The first columns must be: {', '.join(FIXED)}.")]
    names = [unsafe_cell(h).strip() for h in header[4:]]
    if not names or any(not n for n in names):
        errors.append((1, "Every role column needs a name."))
    doc = GridDoc(roles=[(n, False) for n in names])
    by_category: dict[str, list[tuple[str, bool, bool, list[str | None]]]] = {}
    line = 1
    try:
        for record in reader:
            line = reader.line_num
            if not any(c.strip() for c in record):
                continue
            record = record + [""] * (4 + len(names) - len(record))
            category, task = unsafe_cell(record[0]).strip(), unsafe_cell(record[1]).strip()
            if category == CONSTRAINED_ROW:
                flags = [_flag(c) for c in record[4:4 + len(names)]]
                if None in flags:
                    errors.append((line, "Capacity-constrained marks must be 'yes' or empty."))
                doc.roles = [(n, bool(f)) for n, f in zip(names, flags, strict=True)]
                continue
            if not category or not task:
                errors.append((line, "Each row needs a task category and a task."))
                continue
            priority, shift = _flag(record[2]), _flag(record[3])
            if priority is None or shift is None:
                errors.append((line, "Priority and To shift must be 'yes' or empty."))
                continue
            cells: list[str | None] = []
            for role, word in zip(names, record[4:4 + len(names)], strict=True):
                key = word.strip().lower()
                if key not in _FROM_WORD:
                    errors.append((line, f"{word.strip()!r} under {role!r} is not Yes, No, "
                                         "With training or empty."))
                cells.append(_FROM_WORD.get(key))
            by_category.setdefault(category, []).append((task, priority, shift, cells))
    except csv.Error as exc:
        errors.append((line + 1, csv_problem(exc)))
    doc.categories = list(by_category.items())
    if not doc.categories and not errors:
        errors.append((2, "The file has no tasks."))
    return doc, errors
