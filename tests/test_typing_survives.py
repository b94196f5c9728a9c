"""Nothing typed is lost, with the real app in a pseudo-terminal.

Steady typing (a key every 100 ms, so never the half second of quiet a debounce waits
for) is killed with SIGKILL mid-word: the file holds all but at most the last ~2 s.
Every way of quitting right after typing (ctrl+q, the palette's "app: quit", SIGTERM,
closing the terminal) writes what was typed first.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.terminal import Terminal
from mhtui.store.database.target import Target
from tests.conftest import InTerminal
from tests.helpers import WRITTEN_HERE, db_arg, settled, start_checkin_in
from tests.test_killed import _env, _intact, _query

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="pseudo-terminals as on Linux")

TYPING_SECONDS = 5.0
GAP = 0.1  # one key every 100 ms: steady, never a half-second pause
LOST_AT_MOST = 2.0 + 0.5  # the longest wait for a write, and a margin for a slow machine


@pytest.fixture
def app(demo_target: Target, in_terminal: InTerminal) -> Callable[[], Terminal]:
    return lambda: in_terminal(demo_target)


def _open_reflection(term: Terminal) -> None:
    since = term.offset
    term.press("r")
    term.wait_for("Discard draft", since)
    term.press("n")
    term.wait_for("leave empty to stay anonymous", since)
    settled(term)
    term.press("tab", "tab")  # the support box
    settled(term)


def _type_steadily(term: Terminal) -> str:
    """Distinct letters for TYPING_SECONDS, one every GAP; returns what was typed."""
    typed = ""
    alphabet = "abcdefghijklmnopqrstuvwxyz"
    end = time.monotonic() + TYPING_SECONDS
    while time.monotonic() < end:
        key = alphabet[len(typed) % len(alphabet)]
        term.press(key)
        typed += key
        time.sleep(GAP)
    return typed


def _all_but_the_last_seconds(stored: str, typed: str) -> None:
    assert typed.startswith(stored), (stored, typed)
    # With a debounce alone nothing at all would be stored: the typing never paused.
    assert len(stored) >= len(typed) - LOST_AT_MOST / GAP, (stored, typed)


def test_steady_typing_in_a_reflection_survives_a_kill(
    app: Callable[[], Terminal], demo_target: Target
) -> None:
    term = app()
    _open_reflection(term)
    typed = _type_steadily(term)
    term.kill()  # no pause after the last key

    _intact(demo_target)
    (stored,), = _query(demo_target, "SELECT support_needed FROM reflection WHERE "
                        f"state = 'draft' AND {WRITTEN_HERE}")
    _all_but_the_last_seconds(str(stored), typed)


def test_steady_typing_in_check_in_notes_survives_a_kill(
    app: Callable[[], Terminal], demo_target: Target
) -> None:
    term = app()
    start_checkin_in(term)
    term.press("w")
    settled(term)
    typed = _type_steadily(term)
    term.kill()

    _intact(demo_target)
    (stored,), = _query(demo_target, "SELECT notes FROM meetingitem WHERE meeting_id = "
                        "(SELECT max(id) FROM meeting) AND position = 0")
    _all_but_the_last_seconds(str(stored), typed)


def _ctrl_q(term: Terminal) -> None:
    term.press("ctrl+q")


def _palette_quit(term: Terminal) -> None:
    since = term.offset
    term.press("\x10")  # ctrl+p
    term.wait_for("Search for commands", since)
    since = term.offset
    term.press(*"app: quit", gap=0.03)
    term.wait_for("Leave mhtui", since)  # the entry is listed, first
    term.press("enter")


def _sigterm(term: Terminal) -> None:
    term.proc.send_signal(signal.SIGTERM)


def _close_terminal(term: Terminal) -> None:
    os.close(term.master)  # the window closes: the app gets SIGHUP


WAYS_OUT = pytest.mark.parametrize(
    "leave", [_ctrl_q, _palette_quit, _sigterm, _close_terminal],
    ids=["ctrl+q", "palette", "SIGTERM", "closed terminal"])


@WAYS_OUT
def test_every_way_of_quitting_writes_the_draft_just_typed(
    app: Callable[[], Terminal], demo_target: Target, leave: Callable[[Terminal], None]
) -> None:
    term = app()
    _open_reflection(term)
    since = term.offset
    term.press(*"A quiet room", gap=0.03)
    term.wait_for("room", since)  # on screen, well inside the half second before a write
    leave(term)
    assert term.proc.wait(timeout=60) == 0  # it quit by itself, not killed by a signal
    _intact(demo_target)
    rows = _query(demo_target, "SELECT support_needed FROM reflection WHERE state = "
                  f"'draft' AND {WRITTEN_HERE}")
    assert rows == [("A quiet room",)]


@WAYS_OUT
def test_every_way_of_quitting_saves_the_action_typed_in_an_open_form(
    app: Callable[[], Terminal], demo_target: Target, leave: Callable[[Terminal], None]
) -> None:
    term = app()
    start_checkin_in(term)
    since = term.offset
    term.press("n", "n", gap=0.2)  # the plans item
    term.wait_for("Item 3 of", since)
    since = term.offset
    term.press("a")
    term.wait_for("Who is responsible", since)
    settled(term)
    since = term.offset
    term.press(*"Book the east wing room", "tab", *"John Smith", gap=0.03)
    term.wait_for("Smith", since)
    leave(term)  # with the form still open, not saved with ctrl+s
    assert term.proc.wait(timeout=60) == 0
    _intact(demo_target)
    rows = _query(demo_target, "SELECT owner, meeting_id IS NOT NULL FROM action WHERE "
                  "text = 'Book the east wing room'")
    assert rows == [("John Smith", 1)]


BURST = "R1 some longer text typed in one go by a facilitator in the room"


@pytest.mark.parametrize("leave", [_close_terminal, _sigterm],
                         ids=["closed terminal", "SIGTERM"])
def test_quitting_while_a_burst_is_still_being_handled_keeps_all_of_it(
    app: Callable[[], Terminal], demo_target: Target, leave: Callable[[Terminal], None]
) -> None:
    """The window closes (or the system stops mhtui) the moment a text expander has
    written a long burst, before the app has handled it: every key of it is handled
    first, all of it is written, and the app leaves by itself.

    The test waits only until the app has read the burst from the terminal: a closing
    window's hang-up flushes bytes its program never read, on any terminal."""
    term = app()
    _open_reflection(term)
    term.burst(BURST)
    term.wait_until_read()
    leave(term)
    assert term.proc.wait(timeout=60) == 0
    rows = _query(demo_target, "SELECT support_needed FROM reflection WHERE state = "
                  f"'draft' AND {WRITTEN_HERE}")
    assert rows == [(BURST,)]


@pytest.mark.parametrize("how", ["reading", "handling"])
@pytest.mark.parametrize("leave", [_close_terminal, _sigterm],
                         ids=["closed terminal", "SIGTERM"])
def test_quitting_on_a_loaded_machine_waits_for_every_key_read(
    in_terminal: InTerminal, demo_target: Target, leave: Callable[[Terminal], None],
    how: str, tmp_path: Path
) -> None:
    """As above, on a machine so loaded that Textual's input thread hands the keys it
    read to the app slowly ("reading": the app quit 0.1 s after the signal with a few of
    them), or the app takes ~13 s over the burst ("handling": it quit at 10 s, the draft
    cut): it leaves only once every key read is handled and written (tests/slow_keys.py
    slows it down)."""
    fed = tmp_path / "fed.txt"
    term = in_terminal(demo_target, command=(
        "-c", f"import tests.slow_keys as slow; slow.run({how!r}, {str(fed)!r})"))
    _open_reflection(term)
    term.burst(BURST)
    # Until the app's input thread has the whole burst: the event itself, since an empty
    # terminal queue can still be followed by bytes the kernel had not moved into it.
    deadline = time.monotonic() + 60
    while BURST not in (fed.read_text(encoding="utf-8") if fed.exists() else ""):
        assert time.monotonic() < deadline, "the app never read the whole burst"
        time.sleep(0.01)
    leave(term)
    assert term.proc.wait(timeout=60) == 0
    rows = _query(demo_target, "SELECT support_needed FROM reflection WHERE state = "
                  f"'draft' AND {WRITTEN_HERE}")
    assert rows == [(BURST,)]


@pytest.mark.skipif(not shutil.which("tmux"), reason="needs tmux")
def test_a_tmux_window_killed_mid_burst_leaves_no_copy_behind(
        demo_target: Target, tmp_path: Path) -> None:
    """tmux kill-session, as people close a pane: the hang-up came while Textual's output
    was stuck writing to the dead terminal, and the app hung for ever holding the file,
    with the burst lost. Now it writes the burst and leaves."""
    session = f"mhtui-test-{os.getpid()}"
    env = " ".join(f"{k}={shlex.quote(v)}" for k, v in _env().items()
                   if k in {"HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME",
                            "XDG_CACHE_HOME", "TZ", "LANG"})
    command = (f"cd {shlex.quote(str(ROOT))} && env {env} TERM=xterm-256color "
               f"{shlex.quote(sys.executable)} -m mhtui --db {shlex.quote(db_arg(demo_target))}")
    subprocess.run(["tmux", "new", "-d", "-s", session, "-x", "80", "-y", "24", command],
                   check=True)

    def pane() -> str:
        return subprocess.run(["tmux", "capture-pane", "-pt", session], capture_output=True,
                              text=True).stdout

    def keys(*what: str, literal: bool = False) -> None:
        subprocess.run(["tmux", "send-keys", "-t", session, *(["-l"] if literal else []),
                        *what], check=True)

    def until(text: str) -> None:
        deadline = time.monotonic() + 20
        while text not in pane():
            assert time.monotonic() < deadline, pane()
            time.sleep(0.1)

    try:
        until("on record")
        keys("r")
        until("Discard draft")
        keys("n")
        until("leave empty to stay anonymous")
        # Kept: tmux's pane shows text only, and moving the focus changes only colours.
        time.sleep(0.3)
        keys("Tab", "Tab")
        time.sleep(0.3)
        keys(BURST, literal=True)
        # The first words on screen: the app has read the burst (bytes not yet read
        # when a terminal hangs up are thrown away by the kernel, not by mhtui); the
        # rest is still being handled when the window goes.
        until(BURST[:12])
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False)
    deadline = time.monotonic() + 20
    while _holding(demo_target) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _holding(demo_target), "mhtui still running after its window closed"
    rows = _query(demo_target, "SELECT support_needed FROM reflection WHERE state = "
                  f"'draft' AND {WRITTEN_HERE}")
    assert rows == [(BURST,)]


def _holding(target: Target) -> bool:
    """Whether a process still has the database open (Linux /proc): the file, or (on a
    server) mhtui still running with its URL."""
    if target.path is None:
        wanted = f"--db\0{db_arg(target)}\0".encode()
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                if wanted in cmdline.read_bytes():
                    return True
            except OSError:
                continue
        return False
    path = target.path
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        try:
            if any(str(fd.readlink()) == str(path) for fd in fd_dir.iterdir()):
                return True
        except OSError:
            continue
    return False
