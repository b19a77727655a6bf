"""README's permission table is the one in services/permissions.py, row for row."""

from __future__ import annotations

import re
from pathlib import Path

from medoffice_tui.services.permissions import PERMISSIONS, markdown_table

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_permission_table_matches_the_code() -> None:
    text = README.read_text(encoding="utf-8")
    block = re.search(
        r"<!-- PERMISSIONS:BEGIN[^\n]*-->\n(.*?)\n<!-- PERMISSIONS:END -->", text, re.S
    )
    assert block, "README has no permission table"
    assert block.group(1).strip() == markdown_table()
    assert len(block.group(1).strip().splitlines()) == len(PERMISSIONS) + 2
