"""Drive a real terminal program in a pseudo-terminal and watch what it paints.

Every UI figure goes through this: the program runs exactly as a user would start
it over SSH (its own pty, ``TERM=xterm``, 16 colours, no ``COLORTERM``), every
byte it writes is counted and fed to a ``pyte`` screen, and each keystroke is
timed from the moment the key is written to the last byte of the burst of output
it causes. Timestamps are taken in this process as bytes arrive, so they include
the kernel's pty hop (a few microseconds) but nothing else.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import pyte

#: the bytes an xterm sends for each key we press
KEYS: dict[str, bytes] = {
    "up": b"\x1b[A",
    "down": b"\x1b[B",
    "right": b"\x1b[C",
    "left": b"\x1b[D",
    "pageup": b"\x1b[5~",
    "pagedown": b"\x1b[6~",
    "home": b"\x1b[H",
    "end": b"\x1b[F",
    "enter": b"\r",
    "tab": b"\t",
    "escape": b"\x1b",
    "backspace": b"\x7f",
    "ctrl+u": b"\x15",
    "ctrl+q": b"\x11",
    "ctrl+c": b"\x03",
    "f1": b"\x1bOP",
    "f2": b"\x1bOQ",
    "f3": b"\x1bOR",
    "f4": b"\x1bOS",
    "f5": b"\x1b[15~",
    "f6": b"\x1b[17~",
}

_CURSOR_ROW = re.compile(rb"\x1b\[(\d+);\d+H")


def _ranges(values: list[int]) -> str:
    """[1, 2, 3, 5] -> "1-3,5"."""
    out: list[str] = []
    for v in values:
        if out and "-" in out[-1] and int(out[-1].split("-")[1]) == v - 1:
            out[-1] = f"{out[-1].split('-')[0]}-{v}"
        elif out and "-" not in out[-1] and int(out[-1]) == v - 1:
            out[-1] = f"{out[-1]}-{v}"
        else:
            out.append(str(v))
    return ",".join(out)


#: environment variables never passed through: they change what Textual paints
_STRIP_PREFIXES = ("TEXTUAL_", "MEDOFFICE_", "COLORTERM", "SSH_", "TMUX", "STY", "COLUMNS", "LINES")


def terminal_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A clean environment for a thin SSH-like terminal: TERM=xterm, no COLORTERM."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_STRIP_PREFIXES)}
    env.update({"TERM": "xterm", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
    env.pop("COLORTERM", None)
    if extra:
        env.update(extra)
    return env


@dataclass
class Burst:
    """What one action caused on the wire."""

    nbytes: int = 0
    #: seconds from the action to the first / last byte (None: nothing arrived)
    first_s: float | None = None
    last_s: float | None = None
    data: bytes = b""
    timed_out: bool = False
    #: the ``until`` condition held (always True when there was none)
    matched: bool = True
    #: (seconds after the action, chunk) for every read, when the app keeps data
    chunks: list[tuple[float, bytes]] = field(default_factory=list)

    def frames(self, gap_s: float = 0.003) -> list[tuple[float, int, list[int]]]:
        """Chunks grouped into frames (reads less than ``gap_s`` apart): for each,
        (ms after the action, bytes, screen rows it moved the cursor to)."""
        out: list[tuple[float, int, list[int]]] = []
        last = -1.0
        for t, chunk in self.chunks:
            rows = [int(m) for m in _CURSOR_ROW.findall(chunk)]
            if out and t - last < gap_s:
                ms, n, r = out[-1]
                out[-1] = (ms, n + len(chunk), r + rows)
            else:
                out.append((t * 1000.0, len(chunk), rows))
            last = t
        return [(ms, n, sorted(set(r))) for ms, n, r in out]

    def timeline(self) -> str:
        """``12 ms 4.1 KB rows 1-24 | 48 ms 1.0 KB rows 1,3-24``: what each frame repainted."""
        parts = []
        for ms, n, rows in self.frames():
            parts.append(f"{ms:.0f} ms {n:,} B rows {_ranges(rows) or '-'}")
        return " | ".join(parts)

    @property
    def last_ms(self) -> float | None:
        return None if self.last_s is None else self.last_s * 1000.0


@dataclass
class PtyApp:
    """One program in one pty, with a pyte screen mirroring its output."""

    argv: Sequence[str]
    cols: int = 80
    rows: int = 24
    env: Mapping[str, str] = field(default_factory=terminal_env)
    cwd: str | None = None
    keep_data: bool = True

    pid: int = -1
    fd: int = -1
    spawned_at: float = 0.0
    total_bytes: int = 0
    exited: bool = False

    def __post_init__(self) -> None:
        self._screen = pyte.Screen(self.cols, self.rows)
        self.stream = pyte.ByteStream(self._screen)
        #: bytes read but not yet fed to pyte: feeding is slow (milliseconds per
        #: frame), so it happens only when someone looks at the screen, never
        #: between a byte's arrival and its timestamp
        self._unfed: list[bytes] = []
        #: perf_counter when the last chunk came off the pty
        self.last_read_at = 0.0

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> PtyApp:
        winsize = struct.pack("HHHH", self.rows, self.cols, 0, 0)
        argv = list(self.argv)
        env = dict(self.env)
        self.spawned_at = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # child: size the terminal before anything can ask for it
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, winsize)
                if self.cwd:
                    os.chdir(self.cwd)
                os.execvpe(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, winsize)
        return self

    def close(self, timeout_s: float = 5.0) -> int | None:
        """Quit politely (ctrl+q), then SIGTERM, then SIGKILL. Returns the exit status."""
        if self.pid <= 0:
            return None
        if not self.exited:
            try:
                os.write(self.fd, KEYS["ctrl+q"])
            except OSError:
                pass
        status = self._wait_exit(timeout_s)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if status is not None:
                break
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                break
            status = self._wait_exit(2.0)
        try:
            os.close(self.fd)
        except OSError:
            pass
        self.pid = -1
        return status

    def _wait_exit(self, timeout_s: float) -> int | None:
        deadline = time.perf_counter() + timeout_s
        while True:
            self._read_some(0.05)  # keep draining so the child never blocks on a full pty
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.exited = True
                return status
            if time.perf_counter() >= deadline:
                return None
            if self.exited:
                time.sleep(0.02)

    def __enter__(self) -> PtyApp:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ reading

    def _read_some(self, timeout_s: float) -> bytes:
        if self.exited:
            return b""
        ready, _, _ = select.select([self.fd], [], [], max(timeout_s, 0.0))
        if not ready:
            return b""
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            self.exited = True
            return b""
        self.last_read_at = time.perf_counter()
        if not chunk:
            self.exited = True
            return b""
        self.total_bytes += len(chunk)
        self._unfed.append(chunk)
        return chunk

    @property
    def screen(self) -> pyte.Screen:
        """The pyte screen, brought up to date with everything read so far."""
        if self._unfed:
            data, self._unfed = b"".join(self._unfed), []
            self.stream.feed(data)
        return self._screen

    def drain(
        self,
        since: float,
        *,
        quiet_s: float = 0.05,
        max_s: float = 10.0,
        until: Callable[[], bool] | None = None,
    ) -> Burst:
        """Read until ``until()`` holds (if given) and no byte came for ``quiet_s``.

        Times in the Burst are relative to ``since`` (a ``perf_counter`` value).
        """
        burst = Burst()
        chunks: list[bytes] = []
        last_arrival = time.perf_counter()
        deadline = since + max_s
        satisfied = until is None
        while True:
            now = time.perf_counter()
            if now >= deadline:
                burst.timed_out = True
                break
            wait = min(quiet_s - (now - last_arrival), deadline - now)
            if satisfied and wait <= 0:
                break
            # not yet satisfied: poll in short steps, and look at the screen (slow) only
            # in a lull, so a frame's last chunk is timestamped when it arrives
            chunk = self._read_some(wait if satisfied else min(0.005, deadline - now))
            if chunk:
                last_arrival = self.last_read_at
                rel = last_arrival - since
                if burst.first_s is None:
                    burst.first_s = rel
                burst.last_s = rel
                burst.nbytes += len(chunk)
                if self.keep_data:
                    chunks.append(chunk)
                    burst.chunks.append((rel, chunk))
            elif not satisfied and until is not None and until():
                satisfied = True  # the quiet window runs from the last byte, not from now
            if self.exited and not chunk:
                break
        burst.matched = satisfied
        burst.data = b"".join(chunks)
        return burst

    def wait_for_text(self, text: str, *, quiet_s: float = 0.05, timeout_s: float = 30.0) -> Burst:
        """Startup: wait until ``text`` is on screen and output went quiet. Times from spawn."""
        return self.wait_until(lambda app: app.has_text(text), quiet_s=quiet_s,
                               timeout_s=timeout_s)  # fmt: skip

    def wait_until(
        self, ready: Callable[[PtyApp], bool], *, quiet_s: float = 0.05, timeout_s: float = 30.0
    ) -> Burst:
        """Startup: wait until ``ready(self)`` and output went quiet. Times from spawn."""
        return self.drain(
            self.spawned_at, quiet_s=quiet_s, max_s=timeout_s, until=lambda: ready(self)
        )

    # ------------------------------------------------------------------ writing

    def press(
        self,
        key: str,
        *,
        quiet_s: float = 0.05,
        max_s: float = 5.0,
        until: Callable[[], bool] | None = None,
    ) -> Burst:
        """Write one key (a name from KEYS, or else literal text) and time its burst of output."""
        return self.send(KEYS.get(key, key.encode()), quiet_s=quiet_s, max_s=max_s, until=until)

    def send(
        self,
        data: bytes,
        *,
        quiet_s: float = 0.05,
        max_s: float = 5.0,
        until: Callable[[], bool] | None = None,
    ) -> Burst:
        """Write raw bytes (typed text: never looked up in KEYS) and time the burst."""
        while self._read_some(0.0):  # bytes that came late for the previous key: not ours
            pass
        sent = time.perf_counter()
        os.write(self.fd, data)
        return self.drain(sent, quiet_s=quiet_s, max_s=max_s, until=until)

    def idle(self, seconds: float) -> Burst:
        """Press nothing for ``seconds``; whatever arrives is idle traffic."""
        start = time.perf_counter()
        return self.drain(start, quiet_s=seconds, max_s=seconds)

    def cpu_s(self) -> float:
        """CPU seconds the program has used so far, every thread (from /proc)."""
        try:
            with open(f"/proc/{self.pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def wait_cpu_idle(self, *, window_s: float = 0.1, timeout_s: float = 10.0) -> bool:
        """Wait until the program used (nearly) no CPU for ``window_s``: its background
        work is done (bytes that arrive meanwhile are read and dropped). False: timed out."""
        deadline = time.perf_counter() + timeout_s
        before = self.cpu_s()
        while time.perf_counter() < deadline:
            self.drain(time.perf_counter(), quiet_s=window_s, max_s=window_s)
            now = self.cpu_s()
            if now - before < 0.02:  # two clock ticks at most: a timer, not work
                return True
            before = now
        return False

    # ------------------------------------------------------------------ looking

    def screen_text(self) -> str:
        return "\n".join(self.screen.display)

    def has_text(self, text: str) -> bool:
        return any(text in line for line in self.screen.display)

    def memory_kb(self) -> dict[str, int]:
        """VmHWM (peak RSS) and VmRSS of the program, in kB, from /proc."""
        out: dict[str, int] = {}
        try:
            with open(f"/proc/{self.pid}/status") as fh:
                for line in fh:
                    if line.startswith(("VmHWM:", "VmRSS:")):
                        name, value = line.split(":", 1)
                        out[name] = int(value.split()[0])
        except OSError:
            pass
        return out
