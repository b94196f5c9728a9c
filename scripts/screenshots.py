"""Regenerate screenshots/ from demo data: `python3 dev.py screenshots`.

Each screen is saved as an SVG at 80x24 and at 200x50 (projector size), from a fresh
demo database and a fixed clock so the pictures only change when the screens do.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots"

# Keys from the dashboard to each screen worth a picture.
SHOTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("dashboard", ()),
    ("tracker", ("t",)),
    ("checkin", ("c",)),
    ("reflection", ("r",)),
    ("reflection-form", ("r", "down", "enter")),
    ("rollup", ("r", "v")),
    ("grid", ("g",)),
    ("shift-plan", ("g", "L", "down", "down", "enter")),
    ("capacity", ("g", "f")),
    ("help", ("f1",)),
    ("teams", ("s",)),
    ("checkin-running", ("c", "s", "ctrl+s", "space")),
    ("checkin-focus", ("c", "s", "ctrl+s", "space", "f")),
    ("agenda-editor", ("c", "a")),
    ("checkin-hub", ("c",)),
    ("invitation", ("c", "i")),
    ("district", ("d",)),
)
SIZES = ((80, 24), (200, 50))


async def shoot(template: Path, name: str, keys: tuple[str, ...], size: tuple[int, int],
                theme: str | None) -> Path:
    import shutil

    from mhtui.core.clock import FakeClock
    from mhtui.store.database.target import from_path
    from mhtui.ui.app import MHApp

    # Every shot starts from the same fresh demo data: a check-in started for one
    # picture must not be resumed in the next.
    copy = template.with_name(f"shot-{name}-{size[0]}.db")
    shutil.copyfile(template, copy)
    app = MHApp(from_path(copy), clock=FakeClock())
    if theme:
        app.theme = theme
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await app.workers.wait_for_complete()  # screens that read in a worker
        await pilot.pause()
        suffix = f"-{theme.split('-')[-1]}" if theme else ""
        path = OUT / f"{name}-{size[0]}x{size[1]}{suffix}.svg"
        path.write_text(app.export_screenshot(title=f"mhtui · {name}"), encoding="utf-8")
        return path


async def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        # Keep the developer's own settings and data out of the pictures.
        os.environ.update(HOME=home, XDG_DATA_HOME=f"{home}/data",
                          XDG_CONFIG_HOME=f"{home}/config", TZ="UTC")
        time.tzset()
        from mhtui.core.clock import FakeClock
        from mhtui.store.database import opening
        from mhtui.store.database.target import from_path
        from mhtui.store.demo import demo
        from mhtui.ui.themes import PROJECTOR_THEME

        template = Path(home) / "demo.db"
        target = from_path(template)
        opening.prepare(target)
        db = opening.connect(target)
        demo.build(db, FakeClock())
        db.close()
        OUT.mkdir(exist_ok=True)
        for old in OUT.glob("*.svg"):
            old.unlink()
        for name, keys in SHOTS:
            for size in SIZES:
                print(await shoot(template, name, keys, size, None))
        print(await shoot(template, "dashboard", (), (200, 50), PROJECTOR_THEME))
        print(await shoot(template, "checkin-running", ("c", "s", "ctrl+s", "space"),
                          (200, 50), PROJECTOR_THEME))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    asyncio.run(main())
