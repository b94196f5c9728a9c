"""Opening the app: the one place the command line hands over to Textual.

Outside mhtui.cli on purpose: the command line never imports textual or mhtui.ui (an
import-linter contract in pyproject.toml), except through this module, which it imports
only when `mhtui` runs with no command.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mhtui.store.target import Target


def run_app(target: Target, *, notices: tuple[str, ...] = ()) -> int:
    from mhtui.ui.app import MHApp

    app = MHApp(target, notices=notices)
    app.run()
    _quiet_if_hung_up()
    return app.return_code or 0


def _quiet_if_hung_up() -> None:
    """After the terminal window was closed: everything is saved, so leave with status
    0 rather than Python's 120 for output it could not write."""
    for name in ("stdout", "stderr"):
        try:
            getattr(sys, name).flush()
        except OSError:
            setattr(sys, name, Path(os.devnull).open("w"))  # noqa: SIM115
