"""Panes are named by module and imported on first show; the names stay true."""

from __future__ import annotations

import subprocess
import sys

from medoffice_tui.ui.panes.registry import PANES


def test_each_entry_names_its_pane_truly() -> None:
    for pane_id, entry in PANES.items():
        cls = entry.load()
        assert (cls.TITLE, cls.PANE_KEY) == (entry.title, entry.key), pane_id


def test_the_app_module_imports_no_pane_and_no_admin_screen() -> None:
    probe = (
        "import sys, medoffice_tui.ui.app\n"
        "print(sorted(m for m in sys.modules if m.startswith('medoffice_tui.ui.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    for lazy in ("panes.schedule", "panes.patients", "panes.claims", "panes.stock",
                 "screens.audit", "screens.staff", "screens.help"):  # fmt: skip
        assert f"medoffice_tui.ui.{lazy}'" not in out, lazy
