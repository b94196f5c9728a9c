"""Names made safe for file names, in any script.

Letters, digits and combining marks of every alphabet stay (李明, Zoë, نور, हिन्दी), as
lower case; anything else (spaces, punctuation, brackets, emoji, `/`, `#`, `?`, `%`,
control codes) becomes one hyphen. No file name made from it starts with a dot, holds a
separator, or is longer than the limit. An empty result takes the fallback.
"""

from __future__ import annotations

import unicodedata

LIMIT = 60


def slug(text: str, fallback: str = "team") -> str:
    out: list[str] = []
    for char in unicodedata.normalize("NFKC", text).casefold():
        if unicodedata.category(char)[0] in "LNM":
            out.append(char)
        elif out and out[-1] != "-":
            out.append("-")
    made = "".join(out).strip("-")[:LIMIT].strip("-")
    return made or fallback
