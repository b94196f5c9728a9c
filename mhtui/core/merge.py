"""Free text that two people changed at the same time: keep both.

When a save is refused because someone else changed the same notes, plan answer or
reflection answer meanwhile, dropping what this person typed would lose it, and saving it
over theirs would overwrite what they wrote unseen. So the field gets theirs first, then
what was typed here under a line that says what happened; both are on screen to tidy up.
"""

from __future__ import annotations

DIVIDER = "--- typed here at the same time as the text above (both kept) ---"


def keep_both(theirs: str, mine: str) -> str:
    """``theirs`` followed by ``mine``, unless one already holds the other."""
    if not mine.strip() or mine.strip() in theirs:
        return theirs
    if not theirs.strip() or theirs.strip() in mine:
        return mine  # they only removed or kept what this person's text still holds
    return f"{theirs.rstrip()}\n\n{DIVIDER}\n{mine.strip()}"
