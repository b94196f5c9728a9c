"""Text drawn in solid blocks, scaled to a box: the check-in's clock and its state words,
big enough to read from the back of the room.

Each glyph is five pixels high. A pixel becomes a block of ``█`` cells: the box's height
is shared out among the five rows (rows differ by one cell at most), and each pixel is as
wide as twice its height allows (a terminal cell is about twice as tall as wide), or
narrower when the text would not fit the box's width. Pure logic: no textual.
"""

from __future__ import annotations

from dataclasses import dataclass

GLYPH_ROWS = 5
FONT: dict[str, tuple[str, ...]] = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", ".##", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", ".#.", ".#.", ".#."),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    ":": (".", "#", ".", "#", "."),
    "+": ("...", ".#.", "###", ".#.", "..."),
    "-": ("...", "...", "###", "...", "..."),
    " ": ("..", "..", "..", "..", ".."),
    "!": ("#", "#", "#", ".", "#"),
    "A": (".#.", "#.#", "###", "#.#", "#.#"),
    "B": ("##.", "#.#", "##.", "#.#", "##."),
    "C": (".##", "#..", "#..", "#..", ".##"),
    "D": ("##.", "#.#", "#.#", "#.#", "##."),
    "E": ("###", "#..", "##.", "#..", "###"),
    "F": ("###", "#..", "##.", "#..", "#.."),
    "G": (".##", "#..", "#.#", "#.#", ".##"),
    "H": ("#.#", "#.#", "###", "#.#", "#.#"),
    "I": ("###", ".#.", ".#.", ".#.", "###"),
    "J": ("..#", "..#", "..#", "#.#", ".#."),
    "K": ("#.#", "#.#", "##.", "#.#", "#.#"),
    "L": ("#..", "#..", "#..", "#..", "###"),
    "M": ("#...#", "##.##", "#.#.#", "#...#", "#...#"),
    "N": ("#..#", "##.#", "#.##", "#..#", "#..#"),
    "O": (".#.", "#.#", "#.#", "#.#", ".#."),
    "P": ("##.", "#.#", "##.", "#..", "#.."),
    "Q": (".#.", "#.#", "#.#", "##.", ".##"),
    "R": ("##.", "#.#", "##.", "#.#", "#.#"),
    "S": (".##", "#..", ".#.", "..#", "##."),
    "T": ("###", ".#.", ".#.", ".#.", ".#."),
    "U": ("#.#", "#.#", "#.#", "#.#", "###"),
    "V": ("#.#", "#.#", "#.#", "#.#", ".#."),
    "W": ("#...#", "#...#", "#.#.#", "##.##", "#...#"),
    "X": ("#.#", "#.#", ".#.", "#.#", "#.#"),
    "Y": ("#.#", "#.#", ".#.", ".#.", ".#."),
    "Z": ("###", "..#", ".#.", "#..", "###"),
}


def drawable(text: str) -> bool:
    """Whether every character of ``text`` has a glyph (letters in any case)."""
    return bool(text) and all(c.upper() in FONT for c in text)


def _units(text: str) -> int:
    """The text's width in pixels, one pixel of space between glyphs."""
    return sum(len(FONT[c.upper()][0]) for c in text) + max(len(text) - 1, 0)


def _shares(total: int, parts: int) -> list[int]:
    """``total`` cells shared among ``parts`` as evenly as can be, the extra in the
    middle rows (so a digit's bars stay even at the top and bottom)."""
    base, extra = divmod(total, parts)
    sizes = [base] * parts
    order = sorted(range(parts), key=lambda i: abs(i - (parts - 1) / 2))
    for i in order[:extra]:
        sizes[i] += 1
    return sizes


@dataclass(frozen=True)
class Drawn:
    lines: list[str]
    pixel_width: int

    @property
    def height(self) -> int:
        return len(self.lines)

    @property
    def width(self) -> int:
        return max((len(line) for line in self.lines), default=0)


def draw(text: str, width: int, height: int) -> Drawn | None:
    """``text`` in blocks, as tall as ``height`` and no wider than ``width``; None when
    it cannot be drawn there (a character without a glyph, or a box too small for
    pixels one cell wide and one cell high)."""
    if not drawable(text) or height < GLYPH_ROWS or width < 1:
        return None
    units = _units(text)
    pixel_width = min(max(1, round(2 * height / GLYPH_ROWS)), width // units)
    if pixel_width < 1:
        return None
    rows = _shares(height, GLYPH_ROWS)
    out: list[str] = []
    for row, repeat in enumerate(rows):
        pixels = ".".join(FONT[c.upper()][row] for c in text)
        line = "".join(("█" if p == "#" else " ") * pixel_width for p in pixels)
        out.extend([line.rstrip()] * repeat)
    return Drawn(out, pixel_width)
