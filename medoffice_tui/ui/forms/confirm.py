"""A yes/no question: ``y`` or Enter for yes, ``n`` or Esc for no."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from medoffice_tui.ui.screen_focus import QuietFocus


class ConfirmScreen(QuietFocus, ModalScreen[bool]):
    """Ask one question; dismisses with True (yes) or False (no)."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; background: $background; }
    ConfirmScreen #confirm-box {
        width: 64; max-width: 100%; height: auto; border: round $warning; padding: 0 1;
    }
    ConfirmScreen #confirm-keys { color: $text-muted; margin-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes", tooltip="Yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="No"),
    ]

    def __init__(self, question: str, yes: str = "yes", no: str = "no") -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(self.question, id="confirm-question", markup=False)
            yield Static(f"y / Enter: {self.yes}     n / Esc: {self.no}", id="confirm-keys")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
