"""A program running in a pseudo-terminal, driven and read the way a person would.

Shared by the whole-process benchmark and the fault tests: start a command with a
terminal of a given size, write keys to it, and wait for text to appear on its screen,
with the time each piece of output arrived.
"""

from __future__ import annotations

import bisect
import contextlib
import fcntl
import os
import pty
import re
import signal
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

KEYS = {
    "escape": b"\x1b", "enter": b"\r", "tab": b"\t", "up": b"\x1b[A", "down": b"\x1b[B",
    "right": b"\x1b[C", "left": b"\x1b[D", "ctrl+q": b"\x11", "ctrl+s": b"\x13",
    "delete": b"\x1b[3~", "f5": b"\x1b[15~", "backspace": b"\x7f",
    "home": b"\x1b[H", "end": b"\x1b[F", "ctrl+p": b"\x10", "space": b" ",
}
# Escape sequences and control bytes between the words of a frame.
_CONTROL = re.compile(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b[PX^_].*?\x1b\\|\x1b\][^\x07]*\x07"
                      rb"|\x1b.|[\x00-\x08\x0b-\x1f]")


def _controlling_terminal() -> None:
    """Make the pseudo-terminal the child's own, as a terminal window does: when this
    side closes, the child gets SIGHUP instead of reading end-of-file forever."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """``argv`` in a pseudo-terminal of ``size`` (columns, rows); its output read live."""

    def __init__(self, argv: Sequence[str], env: Mapping[str, str],
                 size: tuple[int, int] = (120, 40), cwd: str | None = None) -> None:
        self.master, slave = pty.openpty()
        columns, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.slave_name = os.ttyname(slave)
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            list(argv), stdin=slave, stdout=slave, stderr=slave, env=dict(env), cwd=cwd,
            start_new_session=True, close_fds=True, preexec_fn=_controlling_terminal)
        os.close(slave)
        self._raw = bytearray()
        self._ends: list[int] = []  # output offset after each chunk ...
        self._times: list[float] = []  # ... and when that chunk arrived
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            now = time.perf_counter()
            with self._lock:
                self._raw += chunk
                self._ends.append(len(self._raw))
                self._times.append(now)

    @property
    def offset(self) -> int:
        """Where the output is now: pass it to wait_for to look only at what comes next."""
        with self._lock:
            return len(self._raw)

    def text(self, since: int = 0) -> str:
        """The output since ``since`` with escape sequences taken out."""
        with self._lock:
            raw = bytes(self._raw[since:])
        return _CONTROL.sub(b" ", raw).decode("utf-8", "replace")

    def wait_for(self, marker: str, since: int = 0, timeout: float = 20.0) -> float:
        """When ``marker`` first appeared on screen after ``since`` (perf_counter time)."""
        wanted = marker.encode()
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                found = self._raw.find(wanted, since)
                if found >= 0:
                    end = found + len(wanted)
                    return self._times[bisect.bisect_left(self._ends, end)]
            if time.monotonic() > deadline or (self.proc.poll() is not None
                                               and not self._reader.is_alive()):
                raise TimeoutError(
                    f"{marker!r} did not appear within {timeout}s; the screen showed: "
                    f"{self.text(since)[-1500:]!r}")
            time.sleep(0.0005)

    def output_after(self, since: int, timeout: float = 10.0) -> float:
        """When the first output after offset ``since`` arrived (perf_counter time)."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if self._ends and self._ends[-1] > since:
                    return self._times[bisect.bisect_right(self._ends, since)]
            if time.monotonic() > deadline:
                raise TimeoutError(f"no output within {timeout}s")
            time.sleep(0.0005)

    def press(self, *keys: str, gap: float = 0.0) -> float:
        """Type keys (names from KEYS or literal text); returns when the last was sent."""
        sent = 0.0
        for key in keys:
            os.write(self.master, KEYS.get(key, key.encode()))
            sent = time.perf_counter()
            if gap:
                time.sleep(gap)
        return sent

    def burst(self, *keys: str) -> float:
        """Write all ``keys`` in ONE write, as a text expander or a password manager
        does: the app reads them together, before any of them has been handled."""
        os.write(self.master, b"".join(KEYS.get(key, key.encode()) for key in keys))
        return time.perf_counter()

    def wait_until_read(self, timeout: float = 20.0) -> None:
        """Return once the app has read every byte typed so far from the terminal.

        Closing a terminal window flushes whatever its program has not yet read (the
        kernel's hang-up empties the input queue), so no program can keep keys it never
        received; a test of what happens to keys already read waits for this first.
        """
        fd = os.open(self.slave_name, os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
        try:
            end = time.monotonic() + timeout
            quiet = 0
            while quiet < 3:  # the kernel may still be moving bytes into the queue
                waiting = struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0" * 4))[0]
                quiet = quiet + 1 if waiting == 0 else 0
                if time.monotonic() > end:
                    raise TimeoutError(f"{waiting} typed bytes still unread")
                time.sleep(0.01)
        finally:
            os.close(fd)

    def resize(self, columns: int, rows: int) -> float:
        """Change the terminal's size, as dragging a window or plugging in a projector
        does: the kernel sends the app SIGWINCH. Returns when the size was set."""
        fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        return time.perf_counter()

    def peak_memory_kib(self) -> int:
        """The process's high-water resident memory (Linux /proc)."""
        with Path(f"/proc/{self.proc.pid}/status").open(encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0

    def kill(self) -> None:
        """SIGKILL, as a dead battery or a force-quit would."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.close()

    def quit(self, timeout: float = 10.0) -> int:
        self.press("ctrl+q")
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        self.close()
        return code

    def close(self) -> None:
        self._reader.join(timeout=2)
        with contextlib.suppress(OSError):
            os.close(self.master)
