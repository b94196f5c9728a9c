"""Text folded for searching: case and accents set aside, so "zoe", "ZOË" and "Zoë" are
one word to a filter.

SQLite's own lower() and LIKE fold ASCII only, so the store keeps each action's text and
owner folded here in a column of its own (``action.search``) and a filter compares folded
words with it. Standard library only: the migration that fills the column runs before
the ORM is imported.
"""

from __future__ import annotations

import unicodedata

# Between an action's text and its owner in the folded column: a line break, which no
# word of a filter holds, so no word matches across the two. (Not a control code:
# core/tidy.py takes those out of every string the database keeps.)
OWNER_MARK = "\n"


def fold(text: str) -> str:
    """``text`` case-folded (beyond ASCII: "ß" is "ss") and without accents or other
    combining marks ("Zoë" is "zoe", "Álvarez" is "alvarez")."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    # Casefold again: a few letters only fold once their marks are gone.
    return unicodedata.normalize("NFC", kept.casefold())


def search_key(text: str, owner: str) -> str:
    """What the ``search`` column holds for an action: its text and owner, folded."""
    return f"{fold(text)}{OWNER_MARK}{fold(owner)}"


def owner_key(owner: str) -> str:
    """The end of ``search_key`` that an owner spelled in any case or accents matches."""
    return f"{OWNER_MARK}{fold(owner.strip())}"


def words(query: str) -> list[str]:
    """The folded words of a filter, each to be found somewhere, in any order."""
    return [w for w in dict.fromkeys(fold(query).split()) if w]
