"""The data and business layers never import the UI toolkit.

Each import runs in a fresh interpreter so nothing imported by other tests can hide a leak.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import medoffice_tui.db
import medoffice_tui.demo
import medoffice_tui.services

UI_PACKAGES = ("textual", "rich")


def _modules_of(package) -> list[str]:
    names = [package.__name__]
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if ".migrations." in info.name:
            continue
        names.append(info.name)
    return names


LAYER_MODULES = (
    _modules_of(medoffice_tui.db)
    + _modules_of(medoffice_tui.services)
    + _modules_of(medoffice_tui.demo)
    + [
        "medoffice_tui.clock",
        "medoffice_tui.config",
        "medoffice_tui.errors",
        "medoffice_tui.errorlog",
        "medoffice_tui.files",
    ]
)

#: one fresh interpreter imports every layer module, noting after each one whether a UI
#: package has appeared: the first module after which one has is the one that pulled it in
_PROBE = """
import importlib, json, sys
first = {}
for name in json.loads(sys.argv[1]):
    importlib.import_module(name)
    for m in list(sys.modules):
        top = m.split(".")[0]
        if top in ("textual", "rich") and top not in first:
            first[top] = name
print(json.dumps(first))
"""


def test_no_layer_module_imports_the_ui_toolkit() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(LAYER_MODULES)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(out) == {}, f"UI toolkit pulled in by: {out}"


def test_layer_list_is_not_empty() -> None:
    # guards the parametrisation above against silently testing nothing
    assert "medoffice_tui.db.models" in LAYER_MODULES
    assert "medoffice_tui.services.actor" in LAYER_MODULES
    assert "medoffice_tui.demo.builder" in LAYER_MODULES


def test_screens_do_not_import_the_database_layer() -> None:
    """ui/ reaches data only through services/ (and services.session for connections)."""
    import ast
    from pathlib import Path

    import medoffice_tui.ui

    offenders = []
    for path in Path(medoffice_tui.ui.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            offenders += [f"{path.name}: {n}" for n in names if n.startswith("medoffice_tui.db")]
    assert offenders == []


#: what importing the app may load before its first frame (the sign-in screen): the shell
#: and the sign-in, lock and too-small screens; the panes, the other screens, the lists
#: and the forms load after it (``ui/panes/registry.py`` preloads them while the desk types)
FIRST_FRAME_UI = {
    "medoffice_tui.ui",
    "medoffice_tui.ui.app",
    "medoffice_tui.ui.app_bindings",
    "medoffice_tui.ui.app_commands",
    "medoffice_tui.ui.app_errors",
    "medoffice_tui.ui.app_garbage",
    "medoffice_tui.ui.app_help",
    "medoffice_tui.ui.app_locking",
    "medoffice_tui.ui.focus",
    "medoffice_tui.ui.key_gate",
    "medoffice_tui.ui.panes",
    "medoffice_tui.ui.panes.base",
    "medoffice_tui.ui.panes.registry",
    "medoffice_tui.ui.repaint_hold",
    "medoffice_tui.ui.safe",
    "medoffice_tui.ui.screen_focus",
    "medoffice_tui.ui.screens",
    "medoffice_tui.ui.screens.lock",
    "medoffice_tui.ui.screens.sign_in",
    "medoffice_tui.ui.screens.too_small",
    "medoffice_tui.ui.service_call",
    "medoffice_tui.ui.textual_fixes",
    "medoffice_tui.ui.theme",
    "medoffice_tui.ui.widgets",
    "medoffice_tui.ui.widgets.app_header",
    "medoffice_tui.ui.widgets.key_line",
    "medoffice_tui.ui.widgets.plain_input",
}


def test_the_first_frame_imports_only_the_shell_and_the_sign_in_screen() -> None:
    """Cold start: importing the app loads no pane, list, form or other screen, and (on
    SQLite, as ``launch`` runs it) no PostgreSQL driver."""
    probe = (
        "import json, sys\n"
        "for m in ('psycopg', 'psycopg2', 'psycopg2cffi'): sys.modules[m] = None\n"
        "import medoffice_tui.ui.app\n"
        "print(json.dumps(sorted(m for m, mod in sys.modules.items() if mod is not None)))\n"
    )
    loaded = json.loads(
        subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True
        ).stdout
    )
    ui = {m for m in loaded if m.startswith("medoffice_tui.ui")}
    assert ui - FIRST_FRAME_UI == set(), "imported before the first frame"
    assert "medoffice_tui.ui.app" in ui
    assert not [m for m in loaded if m.split(".")[0] in ("psycopg", "psycopg2")]
