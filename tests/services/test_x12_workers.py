"""Worker processes for test_x12_engines.py (fresh 'spawn' processes): desks that export
claims, or read the same 835, at the same moment."""

from __future__ import annotations

import datetime as dt
import traceback
from typing import Any


def _open(url: str) -> Any:
    from medoffice_tui import clock
    from medoffice_tui.db.connection import open_database
    from medoffice_tui.services import staff

    clock.pin(now=dt.datetime(2026, 11, 23, 10, 30))
    open_database(url)
    return staff.system_actor(via="test")


def export_worker(url: str, barrier: Any, claim_id: int, folder: str) -> dict[str, Any]:
    try:
        actor = _open(url)
        from medoffice_tui.services.x12 import export
    except Exception as exc:  # meet the others at the barrier, then report
        barrier.wait(timeout=120)
        return {"error": repr(exc)}
    barrier.wait(timeout=120)
    try:
        result = export.export_837p(actor, folder, claim_ids=[claim_id])
        return {"interchange": int(result.interchange), "path": str(result.path)}
    except Exception as exc:
        return {"error": "".join(traceback.format_exception_only(exc)).strip()}


def import_worker(url: str, barrier: Any, text: str) -> dict[str, Any]:
    try:
        actor = _open(url)
        from medoffice_tui.services.x12 import remit
    except Exception as exc:
        barrier.wait(timeout=120)
        return {"error": repr(exc)}
    barrier.wait(timeout=120)
    try:
        report = remit.import_835(actor, text=text, name="same.835")
        return {"counts": report.counts(), "already": bool(report.already)}
    except Exception as exc:
        name = type(exc).__name__
        return {"refused": name, "message": str(exc)[:200]}
