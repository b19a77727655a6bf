"""Moving around the schedule: days, providers and columns."""

from __future__ import annotations

import datetime as dt

from medoffice_tui import clock
from medoffice_tui.ui.focus import focus_now


class Navigation:
    """Mixin of ``SchedulePane``: day and provider keys."""

    def action_day(self, delta: int) -> None:
        self.day += dt.timedelta(days=delta)
        self.reload()

    def action_today(self) -> None:
        self.day = clock.today()
        self.reload()

    def action_goto(self) -> None:
        from medoffice_tui.ui.screens.schedule_dialogs import GoToDateForm

        def go(day: dt.date | None) -> None:
            if day is not None:
                self.day = day
                self.reload()

        self.app.push_screen(GoToDateForm(), go)

    def action_cycle_provider(self) -> None:
        if not self.providers:
            return
        if self.provider_index is None:
            self.provider_index = 0
        elif self.provider_index + 1 < len(self.providers):
            self.provider_index += 1
        else:
            self.provider_index = None
        self.focus_col = 0
        self._show_lists(keep_cursor=False, same_rows=True)

    def action_provider_step(self, step: int) -> None:
        """Left/Right: the next column side by side; else the previous/next provider."""
        if not self.providers:
            return
        mode, shown = self.mode()
        if mode == "grid" and len(shown) > 1:
            row = self.focused_list.cursor_row
            target = self.focus_col + step
            if 0 <= target < len(shown):
                self._set_focus_col(target)
            elif 0 <= self.col_offset + step <= len(self.providers) - self._fit:
                self.col_offset += step
                self._show_lists(keep_cursor=True, same_rows=True)
            self.focused_list.move_cursor(row)
            self._render_detail()
            return
        count = len(self.providers)
        order: list[int | None] = [None, *range(count)]
        index = order.index(self.provider_index) if self.provider_index in order else 0
        self.provider_index = order[(index + step) % len(order)]
        self.focus_col = 0
        self._show_lists(keep_cursor=False, same_rows=True)

    def _set_focus_col(self, index: int) -> None:
        self.focus_col = index
        for n, column in enumerate(self.columns):
            column.set_class(n == index and not column.has_class("-hidden"), "-focused")
        focus_now(self.focused_list)
        self.refresh_bindings()

    def action_reload(self) -> None:
        self.reload()
