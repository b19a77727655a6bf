"""The app with parts of Textual's chrome switched off: an experiment, not a fix.

``python -m bench.drivers.probe_app PROBES --db PATH --today YYYY-MM-DD`` starts the real
app exactly as ``python -m medoffice_tui`` does, except for PROBES (comma-separated):

- ``footer``: ``Footer.recompose`` is a no-op (the key line keeps what it showed first);
- ``scrollbar``: the lists get no vertical scrollbar (``scrollbar-size-vertical: 0``);
- ``nodebounce``: patient search queries at once (``SEARCH_DELAY_S = 0``).

Comparing the same keys with and without them measures what each costs.
"""

from __future__ import annotations

import sys

from textual.widgets import Footer

PROBES = ("footer", "scrollbar", "nodebounce")


async def _no_recompose(self: Footer) -> None:
    return None


def main(argv: list[str]) -> int:
    probes = set(argv[0].split(",")) if argv else set()
    if "footer" in probes:
        Footer.recompose = _no_recompose  # type: ignore[method-assign]
    if "scrollbar" in probes:
        from medoffice_tui.ui.app import MedofficeApp

        MedofficeApp.CSS = "PagedList { scrollbar-size-vertical: 0; }"
    if "nodebounce" in probes:
        from medoffice_tui.ui.panes import patients

        patients.SEARCH_DELAY_S = 0.0
    from medoffice_tui.launch import main as app_main

    return app_main(argv[1:])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
