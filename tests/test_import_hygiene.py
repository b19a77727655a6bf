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
