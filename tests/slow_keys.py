"""mhtui as a loaded machine runs it, for tests/test_typing_survives.py: started as
``python -c "import tests.slow_keys as s; s.run(HOW)" --db PATH`` in a pseudo-terminal.

HOW is "reading": Textual's input thread hands each key it has read to the app 30 ms
after the one before (a thread starved of the processor); or "handling": the app takes
200 ms over each key (a loop starved of it), so a 64-key burst takes about 13 s.
Nothing here is part of mhtui; the app runs unchanged otherwise.

FED, if given, is a file that gets every piece of text the input thread reads from the
terminal, as it reads it: the test waits until the whole burst is there before it closes
the window (the kernel may still hold part of a burst on a loaded machine after the
terminal's queue looked empty, and a hang-up throws that part away).
"""

from __future__ import annotations

import runpy
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

READ_EVERY = 0.03
HANDLE_EACH = 0.2


def run(how: str, fed: str | None = None) -> None:
    from textual._xterm_parser import XTermParser

    feed = XTermParser.feed

    def watched_feed(self: XTermParser, data: str) -> Iterator[Any]:
        if fed is not None and data:
            with Path(fed).open("a", encoding="utf-8") as out:
                out.write(data)
        for event in feed(self, data):
            if how == "reading":
                time.sleep(READ_EVERY)
            yield event

    XTermParser.feed = watched_feed  # type: ignore[method-assign]
    if how == "handling":
        from mhtui.ui.key_gate import KeyGateApp

        deliver = KeyGateApp._deliver

        async def slow_deliver(self: KeyGateApp, event: Any) -> None:
            time.sleep(HANDLE_EACH)  # the whole loop held up, as by other processes
            await deliver(self, event)

        KeyGateApp._deliver = slow_deliver  # type: ignore[method-assign]
    elif how != "reading":
        raise ValueError(how)
    sys.argv = ["mhtui", *sys.argv[1:]]
    runpy.run_module("mhtui", run_name="__main__", alter_sys=True)
