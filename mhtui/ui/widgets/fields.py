"""The one-line text field of every mhtui form.

Textual's Input selects all its text when it gets the focus, so the first key typed
replaced it: reopening a reflection put the cursor in "Your name" with the name
selected, the first key wiped the name and the draft was saved without it. Here a field
never opens with its text selected: the cursor waits at the end of what is there.
Every screen makes its fields from this class (tests/test_right_row.py checks).
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Input as TextualInput


class Input(TextualInput):
    def __init__(self, *args: Any, select_on_focus: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, select_on_focus=select_on_focus, **kwargs)
