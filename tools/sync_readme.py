"""Rewrite README's generated blocks from the code: ``make docs``.

Today: the permission table between ``<!-- PERMISSIONS:BEGIN ... -->`` and
``<!-- PERMISSIONS:END -->``, from ``services/permissions.py``. Tests fail when the
README and the code disagree; this puts the README right.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def main() -> int:
    from medoffice_tui.services.permissions import markdown_table

    text = README.read_text(encoding="utf-8")
    pattern = re.compile(
        r"(<!-- PERMISSIONS:BEGIN[^\n]*-->\n)(.*?)(\n<!-- PERMISSIONS:END -->)", re.S
    )
    if not pattern.search(text):
        print("README has no PERMISSIONS block", file=sys.stderr)
        return 1
    new = pattern.sub(lambda m: m.group(1) + markdown_table() + m.group(3), text)
    if new != text:
        README.write_text(new, encoding="utf-8")
        print("README permission table updated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
