"""The data and business layers never import the UI toolkit.

Each import runs in a fresh interpreter so nothing imported by other tests can hide a leak.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pytest

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
    + ["medoffice_tui.clock", "medoffice_tui.config"]
)


@pytest.mark.parametrize("module", LAYER_MODULES)
def test_layer_module_does_not_import_ui(module: str) -> None:
    code = (
        f"import importlib, json, sys; importlib.import_module({module!r}); "
        "print(json.dumps(sorted(m for m in sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = json.loads(out)
    leaked = [m for m in loaded if m.split(".")[0] in UI_PACKAGES]
    assert leaked == [], f"{module} pulls in {leaked[:5]}"


def test_layer_list_is_not_empty() -> None:
    # guards the parametrisation above against silently testing nothing
    assert "medoffice_tui.db.models" in LAYER_MODULES
    assert "medoffice_tui.services.errors" in LAYER_MODULES
    assert "medoffice_tui.demo.builder" in LAYER_MODULES
