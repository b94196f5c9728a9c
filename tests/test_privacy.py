"""Privacy: no network anywhere, and what the app writes is readable by its owner only."""

from __future__ import annotations

import socket
import stat
from pathlib import Path
from typing import Any

import pytest

from mhtui.core.clock import FakeClock
from mhtui.store.database.target import Target
from mhtui.ui.app import MHApp
from tests.helpers import db_arg

EVERY_SCREEN = (("t",), ("c",), ("c", "a"), ("c", "S"), ("c", "i"), ("r",), ("r", "v"),
                ("r", "n"), ("g",), ("g", "L"), ("g", "f"), ("s",), ("f1",))


async def test_no_screen_opens_a_network_connection(demo_target: Target, clock: FakeClock,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[Any] = []

    def refuse(self: socket.socket, address: Any) -> None:
        attempts.append(address)
        raise OSError("network access is not allowed in mhtui")

    # asyncio's own wake-up socketpair is local and never connects, so it is unaffected.
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        for keys in EVERY_SCREEN:
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
            app.go("dashboard")
            await pilot.pause()
        await app.workers.wait_for_complete()
    assert attempts == []


@pytest.mark.sqlite_only("the SQLite file, its WAL and lock files and its backups folder "
                         "beside it are made private")
async def test_files_the_app_writes_are_private(demo_target: Target, clock: FakeClock) -> None:
    assert demo_target.path is not None
    app = MHApp(demo_target, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("t", "5")  # a write, so the WAL exists
        await pilot.pause()
        app.backup_now()
        await app.workers.wait_for_complete()
        folder = demo_target.path.parent
        # Checked while the app runs: the WAL and SHM files exist only until it closes.
        modes = {p.name: stat.S_IMODE(p.stat().st_mode)
                 for p in folder.rglob("*") if p.is_file()}
    assert "demo.db-wal" in modes and "demo.db.lock" in modes
    assert all(mode & 0o077 == 0 for mode in modes.values()), modes
    backups = folder / "backups"
    assert stat.S_IMODE(backups.stat().st_mode) == 0o700
    assert len(list(backups.glob("*.db"))) == 2  # today's daily copy and the one just made


def test_exports_are_private(tmp_path: Path, demo_target: Target) -> None:
    from mhtui.cli import main

    out = tmp_path / "exports"
    out.mkdir()  # --out never makes the folder a file goes in (test_files.py)
    for args in (["export", "actions", "--out", str(out / "a.csv")],
                 ["export", "reflections", "--out", str(out / "r.csv")],
                 ["export", "grid", "--out", str(out / "g.csv")],
                 ["export", "meeting", "latest", "--out", str(out / "m.md")],
                 ["invite", "--out", str(out / "invite")]):
        assert main(["--db", db_arg(demo_target), *args]) == 0
    files = [p for p in out.rglob("*") if p.is_file()]
    names = {p.relative_to(out).as_posix() for p in files}
    assert {"a.csv", "r.csv", "g.csv", "m.md", "invite/checkins.ics",
            "invite/invitation-everyone.txt"} <= names
    assert sum(name.startswith("invite/invitation-") for name in names) >= 3  # per person
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files)
