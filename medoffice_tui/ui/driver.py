"""The terminal driver: Textual's Linux driver, plus leaving when the terminal goes away.

Over SSH a dropped connection is ordinary. Textual's input thread treats end of file on
stdin as "nothing to read yet" and polls again at once, so a closed terminal left the
app spinning at 50-90% CPU with the database open. Here end of file, or a read error
(EIO from a hung-up terminal), asks the app to quit: it signs out, closes the database
and exits within a second. SIGHUP and SIGTERM do the same (``ui/app.py``).

A lone Esc is told from the start of a key's sequence by waiting ``ESCDELAY`` ms (the
app's default is 50, ``cli/run_cmd.py``); the input thread wakes when that wait ends,
not at its next 100 ms poll.

What it writes goes through ``sgr_compact.compact`` on Textual's output thread: the
same screen, with each style change written once (a pane switch sends ~30% fewer
bytes), and the main thread never waits for it.
"""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder
from typing import IO, Any

from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

from medoffice_tui.ui.sgr_compact import Compactor


class CompactOutput:
    """The terminal's output file, writing each text through ``sgr_compact.compact``.

    Textual's writer thread calls ``write`` once per frame (and once for each
    sync marker), so each call is one whole frame and compacted on its own."""

    def __init__(self, file: IO[str]) -> None:
        self._file = file
        self._compact = Compactor(width=self.columns)

    def columns(self) -> int | None:
        """The terminal's width now (``None`` when it has none: then no blank is erased)."""
        try:
            return os.get_terminal_size(self._file.fileno()).columns
        except (OSError, ValueError, AttributeError):
            return None

    def write(self, text: str) -> int:
        return self._file.write(self._compact(text))

    def __getattr__(self, name: str) -> Any:  # fileno, flush, isatty, ...
        return getattr(self._file, name)


class OfficeDriver(LinuxDriver):
    """LinuxDriver whose input thread ends the app when its terminal is gone, and
    whose output is compacted (``CompactOutput``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self._file is not None:
            self._file = CompactOutput(self._file)

    def _terminal_gone(self) -> None:
        hang_up = getattr(self._app, "hang_up", None)
        loop = getattr(self._app, "_loop", None)
        if loop is not None and hang_up is not None:
            loop.call_soon_threadsafe(hang_up, "end of input")

    def run_input_thread(self) -> None:
        """Textual's loop (``LinuxDriver.run_input_thread``), stopping at end of file."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")().decode
        try:
            while not self.exit_event.is_set():
                # a lone Esc waits for the rest of a sequence until the parser's
                # deadline: wake then, not at the next poll (up to 100 ms later)
                deadline = parser._timeout_time
                wait = 0.1 if deadline is None else min(max(deadline - get_time(), 0.0), 0.1)
                for _key, mask in selector.select(wait):
                    if not mask & selectors.EVENT_READ:
                        continue
                    try:
                        data = os.read(self.fileno, 1024 * 4)
                    except OSError:
                        data = b""
                    if not data:  # end of file: the terminal (or the pipe) is gone
                        self._terminal_gone()
                        return
                    for event in parser.feed(decode(data)):
                        self.process_message(event)
                for event in parser.tick():
                    self.process_message(event)
        finally:
            selector.close()
