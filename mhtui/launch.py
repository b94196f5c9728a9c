"""Opening the app: the one place the command line hands over to Textual.

Outside mhtui.cli on purpose: the command line never imports textual or mhtui.ui (an
import-linter contract in pyproject.toml), except through this module, which it imports
only when `mhtui` runs with no command.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mhtui.store.database.target import Target


def run_app(target: Target, *, notices: tuple[str, ...] = ()) -> int:
    import gc

    # No garbage collection while Textual and the screens are imported and set up (about
    # 80 collections, 25 ms before the first frame): those objects live as long as the
    # app. It is on again once the store is open (ui/store_worker.py).
    gc.disable()
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
