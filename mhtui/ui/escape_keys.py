"""Esc then a key, read from the terminal in one piece, is Esc then that key.

A terminal sends Alt+X as the bytes ESC X: the same bytes as Esc then X typed in quick
succession (a fast typist, a burst of keys), so the two cannot be told apart. Textual
reads ESC X as alt+X, and ESC 1 ... ESC 0, ESC -, ESC = and ESC § as the characters
WezTerm on macOS sends for Option and a key of the top row (¡ ™ £ ¢ ∞ ...): Esc then 4
in one burst typed "¢" into the tracker's filter and changed nothing. mhtui binds no
alt key, so here ESC X is always Esc then X:

- ESC and a digit (the status keys) become Esc then the digit as soon as they are read,
  whatever follows them in the burst;
- the other Option characters are forgotten, so ESC X reaches the app as alt+X, and
  ``esc_then`` splits an alt+X that carries a printable X into Esc then X (unless the
  settings' keymap binds that alt key: the key gate leaves such a key as it is).

The table of sequences is Textual's private ``_ansi_sequences.ANSI_SEQUENCES_KEYS``:
the only private of Textual's used, here alone, and tests/test_right_row.py fails the
day a Textual release changes it. ESC b and ESC f (iTerm's word left and right) stay
as Textual reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from textual import events


@dataclass(frozen=True)
class _Key:
    """A key name as Textual's table holds one (it reads only ``value``)."""

    value: str


def read_esc_then_key() -> None:
    """Make Textual's parser read ESC X as Esc then X (idempotent)."""
    from textual import _ansi_sequences

    table = cast("dict[str, Any]", _ansi_sequences.ANSI_SEQUENCES_KEYS)
    for sequence, meaning in list(table.items()):
        if len(sequence) == 2 and sequence[0] == "\x1b" and isinstance(meaning, str):
            del table[sequence]  # an Option character: ESC X is alt+X again
    for digit in "0123456789":
        # A key named by one character carries it, so a text box after Esc gets it too.
        table["\x1b" + digit] = (_Key("escape"), _Key(digit))


def esc_then(key: events.Key) -> tuple[events.Key, events.Key] | None:
    """alt+X with a printable X: Esc, then X as Textual names the key on its own."""
    char = key.character
    if not key.key.startswith("alt+") or char is None or len(char) != 1 \
            or not char.isprintable():
        return None
    name = char if char.isalnum() else key.key.removeprefix("alt+")
    return events.Key("escape", "\x1b"), events.Key(name, char)
