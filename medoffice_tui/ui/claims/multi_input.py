"""Forms whose fields hold several boxes on one row (a charge line, a posting line):
Tab walks every box in screen order, and saving waits for every box to take its keys."""

from __future__ import annotations

from typing import Any

from textual.widget import Widget
from textual.widgets import Input

from medoffice_tui.ui.focus import after_typed, focus_now
from medoffice_tui.ui.forms import FormScreen
from medoffice_tui.ui.forms.fields import ChoiceInput


class MultiInputForm(FormScreen[Any]):
    """A FormScreen whose Tab order is every input of every field."""

    def all_inputs(self) -> list[Widget]:
        out: list[Widget] = []
        for item in self.fields:
            for widget in item.query("*"):
                if isinstance(widget, Input | ChoiceInput) and widget.display:
                    out.append(widget)
        return out

    def action_next_field(self, step: int) -> None:
        focused = self.focused
        for item in self.fields:
            take = getattr(item, "take_tab", None)
            if take is not None and focused is not None and focused in item.query("*") and take():
                return  # the field used the Tab (a lookup match taken)
        inputs = self.all_inputs()
        if not inputs:
            return
        current = self.focused
        index = next((i for i, w in enumerate(inputs) if w is current), -1)
        focus_now(inputs[(index + step) % len(inputs)])

    def action_save(self) -> None:
        after_typed(self._save, *self.all_inputs())
