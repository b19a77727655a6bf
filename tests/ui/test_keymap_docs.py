"""The README keymap table lists every key binding the app declares, and nothing stale."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

from textual.binding import Binding

import medoffice_tui.ui

README = Path(__file__).resolve().parents[2] / "README.md"


def _declared_binding_ids() -> set[str]:
    ids: set[str] = set()
    for info in pkgutil.walk_packages(medoffice_tui.ui.__path__, "medoffice_tui.ui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            for binding in cls.__dict__.get("BINDINGS", []):
                assert isinstance(binding, Binding), f"{cls.__name__}: use Binding(..., id=...)"
                assert binding.id, f"{cls.__name__}: binding {binding.key!r} has no id"
                ids.add(binding.id)
    return ids


def _documented_binding_ids() -> set[str]:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- KEYMAP:BEGIN.*?<!-- KEYMAP:END -->", text, re.S)
    assert block, "README has no keymap table"
    return set(re.findall(r"`([a-z-]+\.[a-z-]+)`", block.group(0)))


def test_readme_keymap_lists_every_binding() -> None:
    declared = _declared_binding_ids()
    assert len(declared) > 30
    assert declared - _documented_binding_ids() == set()


def test_readme_keymap_has_no_stale_keys() -> None:
    assert _documented_binding_ids() - _declared_binding_ids() == set()
