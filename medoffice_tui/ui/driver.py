"""The terminal driver: Textual's Linux driver, plus leaving when the terminal goes away.

Over SSH a dropped connection is ordinary. Textual's input thread treats end of file on
stdin as "nothing to read yet" and polls again at once, so a closed terminal left the
app spinning at 50-90% CPU with the database open. Here end of file, or a read error
(EIO from a hung-up terminal), asks the app to quit: it signs out, closes the database
and exits within a second. SIGHUP and SIGTERM do the same (``ui/app.py``).
"""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder

from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver


class OfficeDriver(LinuxDriver):
    """LinuxDriver whose input thread ends the app when its terminal is gone."""

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
                for _key, mask in selector.select(0.1):
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
