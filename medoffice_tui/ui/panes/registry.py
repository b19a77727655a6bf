"""The four panes, by id, in F-key order, imported only when first shown.

The app starts on the sign-in screen, which needs none of them: naming each pane
by module keeps their imports (and their services') out of the cold start. A pane
is imported when it is first shown, or earlier by :func:`preload` while the desk
is typing a password.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from medoffice_tui.ui.panes.base import Pane

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PaneEntry:
    pane_id: str
    title: str
    key: str
    module: str
    class_name: str

    def load(self) -> type[Pane]:
        cls: type[Pane] = getattr(importlib.import_module(self.module), self.class_name)
        return cls


PANES: dict[str, PaneEntry] = {
    entry.pane_id: entry
    for entry in (
        PaneEntry("schedule", "Schedule", "f2", "medoffice_tui.ui.panes.schedule", "SchedulePane"),
        PaneEntry("patients", "Patients", "f3", "medoffice_tui.ui.panes.patients", "PatientsPane"),
        PaneEntry("claims", "Claims", "f4", "medoffice_tui.ui.panes.claims", "ClaimsPane"),
        PaneEntry("stock", "Stock", "f5", "medoffice_tui.ui.panes.stock", "StockPane"),
    )
}
DEFAULT_PANE = "schedule"


def pane_class(pane_id: str) -> type[Pane]:
    return PANES[pane_id].load()


def has_first_load(pane_id: str) -> bool:
    """Whether ``pane_id`` reads its first show's data before it is shown."""
    from medoffice_tui.ui.panes.base import Pane

    return pane_class(pane_id).first_load.__func__ is not Pane.first_load.__func__  # type: ignore[attr-defined]


def first_load(pane_id: str) -> object | None:
    """``pane_id``'s :meth:`Pane.first_load`, on a worker thread. A failure here is not
    the sign-in's: None, and the pane's own first load reports it as usual."""
    try:
        return pane_class(pane_id).first_load()
    except Exception as exc:  # noqa: BLE001 - the pane's own load shows the error
        log.info("the %s pane's first read failed (%s): it loads on show", pane_id,
                 type(exc).__name__)  # fmt: skip
        return None


def preload(stop: Callable[[], bool] = lambda: False) -> None:
    """Import every pane (on a worker thread, while nobody is waiting for one), checking
    ``stop`` between panes: quitting never waits for more than one pane's import."""
    for entry in PANES.values():
        if stop():
            return
        entry.load()
