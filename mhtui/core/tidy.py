"""Text as it is stored: what people typed or pasted, minus invisible control codes.

A NUL, a backspace or an escape byte pasted from another program cannot be seen, would
make a CSV export look like a binary file, and an escape sequence could repaint the
terminal of whoever lists the data. Tabs and line breaks stay; a carriage return
becomes a line break.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_RETURN = re.compile("\r\n?")


def tidy(text: str) -> str:
    """``text`` without control codes other than tab and line break."""
    if text.isprintable():  # the usual case, and cheap to check
        return text
    return _CONTROL.sub("", _RETURN.sub("\n", text))
