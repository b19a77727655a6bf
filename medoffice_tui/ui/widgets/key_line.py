"""The key line: the keys that work here, on one line, drawn as one piece of text.

Textual's ``Footer`` rebuilds a widget per key every time the bindings change (a
pane switch, a focus change, a cursor move that enables or disables a key), which
costs a layout pass and re-sends the line. This widget renders the same
information as a single ``Text`` and repaints only when that text changes.

Keys whose action ``check_action`` disables for now (a status the appointment
cannot take, an action the signed-in role lacks) are shown dimmed; hidden ones
(``check_action`` returning False) are left out.
"""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Region
from textual.screen import Screen
from textual.widget import Widget


def _cells(text: Text) -> list[tuple[str, tuple[object, ...]]]:
    """Each character with the styles over it (the key line is one cell per character)."""
    styles: list[tuple[object, ...]] = [()] * len(text.plain)
    for span in text.spans:
        for index in range(span.start, min(span.end, len(styles))):
            styles[index] = (*styles[index], span.style)
    return list(zip(text.plain, styles, strict=True))


def changed_columns(old: Text, new: Text) -> tuple[int, int] | None:
    """The columns [start, end) that differ between two renderings of the line, or None
    when the text is not one cell per character (repaint it all)."""
    if old.cell_len != len(old.plain) or new.cell_len != len(new.plain):
        return None
    before, after = _cells(old), _cells(new)
    blank = (" ", ())
    size = max(len(before), len(after))
    before += [blank] * (size - len(before))
    after += [blank] * (size - len(after))
    differing = [i for i in range(size) if before[i] != after[i]]
    if not differing:
        return None
    return differing[0], differing[-1] + 1


class KeyLine(Widget):
    """``key Description`` pairs from the screen's active bindings that have ``show=True``."""

    DEFAULT_CSS = """
    KeyLine {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        & > .key-line--key {
            color: $footer-key-foreground;
            text-style: bold;
        }
        & > .key-line--disabled {
            color: $text-muted;
            text-style: dim;
        }
    }
    """

    COMPONENT_CLASSES = {"key-line--key", "key-line--disabled"}

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._text = Text("")
        self._plain = ""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self._bindings_changed, self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        text = self.build_text()
        if text.plain != self._plain or text.spans != self._text.spans:
            changed = changed_columns(self._text, text)
            self._text, self._plain = text, text.plain
            if changed is None:
                self.refresh()
            else:  # only the keys that changed (a status key dimmed), not the whole line
                start, end = changed
                self.refresh(Region(start, 0, end - start, 1))

    def build_text(self) -> Text:
        key_style = self.get_component_rich_style("key-line--key", partial=True)
        off_style = self.get_component_rich_style("key-line--disabled", partial=True)
        seen: set[str] = set()
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            if text:
                text.append(" ")
            key = self.app.get_key_display(binding)
            if enabled:
                text.append(key, style=key_style)
                text.append(f" {binding.description}")
            else:
                text.append(f"{key} {binding.description}", style=off_style)
        return text

    def render(self) -> Text:
        return self._text
