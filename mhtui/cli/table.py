"""Plain text tables for the command line, written a row at a time.

Every column is kept at every width and no cell is cut: a cell longer than its column
wraps onto more lines at spaces (a word longer than the column is broken). Widths are
fixed before the first row, so rows stream out as they are read, with no table of
100,000 rows held in memory.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len

GAP = "  "


@dataclass(frozen=True)
class Column:
    header: str
    least: int  # never narrower than this
    want: int = 0  # as wide as this when there is room (0: least)
    share: int = 0  # how much of the room left over it takes (0: none)
    right: bool = False  # numbers line up on the right


def widths(columns: Sequence[Column], total: int) -> list[int]:
    """Each column's width so the table spans ``total`` cells when it can; when it
    cannot, each column gets its least width (wide enough for its header)."""
    base = [max(c.least, cells(c.header)) for c in columns]
    room = total - sum(base) - len(GAP) * (len(columns) - 1)
    for i, column in enumerate(columns):
        grow = min(max(column.want - base[i], 0), max(room, 0))
        base[i], room = base[i] + grow, room - grow
    shares = sum(c.share for c in columns)
    if room <= 0 or not shares:
        return base
    extra = [room * c.share // shares for c in columns]
    extra[next(i for i, c in enumerate(columns) if c.share)] += room - sum(extra)
    return [b + e for b, e in zip(base, extra, strict=True)]


def cells(text: str) -> int:
    """How many terminal cells ``text`` takes (a CJK letter or an emoji takes two)."""
    return len(text) if text.isascii() else cell_len(text)


def _break_word(word: str, width: int) -> list[tuple[str, int]]:
    """A word wider than ``width`` in lines: after its hyphens where it has them
    ("Ünal-" / "Okonkwo"), else between letters; no letter is lost."""
    parts: list[tuple[str, int]] = []
    for part in re.split(r"(?<=-)(?=.)", word):
        size = cells(part)
        if size <= width:
            parts.append((part, size))
            continue
        piece, used = "", 0
        for char in part:
            char_size = cells(char)
            if piece and used + char_size > width:
                parts.append((piece, used))
                piece, used = "", 0
            piece, used = piece + char, used + char_size
        if piece:
            parts.append((piece, used))
    lines = [parts[0]]
    for part, size in parts[1:]:
        line, used = lines[-1]
        lines[-1:] = ([(line + part, used + size)] if used + size <= width
                      else [(line, used), (part, size)])
    return lines


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken at spaces; line breaks and
    tabs in it start a new word. Always at least one line."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line, used = "", 0
        for word in paragraph.split():
            size = cells(word)
            for part, part_size in (_break_word(word, width) if size > width
                                    else [(word, size)]):
                if not line:
                    line, used = part, part_size
                elif used + 1 + part_size <= width:
                    line, used = f"{line} {part}", used + 1 + part_size
                else:
                    lines.append(line)
                    line, used = part, part_size
        lines.append(line)
    return lines or [""]


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * max(width - cells(text), 0)
    return space + text if right else text + space


def render_row(cells: Sequence[str], columns: Sequence[Column],
               sizes: Sequence[int]) -> str:
    """One row as text lines (ending in a line break): each cell wrapped in its column."""
    wrapped = [wrap(cell, size) for cell, size in zip(cells, sizes, strict=True)]
    height = max(len(lines) for lines in wrapped)
    out = []
    for n in range(height):
        parts = [_pad(lines[n] if n < len(lines) else "", size, column.right)
                 for lines, size, column in zip(wrapped, sizes, columns, strict=True)]
        out.append(GAP.join(parts).rstrip())
    return "\n".join(out) + "\n"


def render_header(columns: Sequence[Column], sizes: Sequence[int]) -> str:
    head = render_row([c.header for c in columns], columns, sizes)
    rule = GAP.join("─" * size for size in sizes)
    return f"{head}{rule}\n"
