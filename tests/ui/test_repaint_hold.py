"""``ui/repaint_hold``: a hold on the app's repaints across awaits, ended once by a
call or by its timer, leaving no timer behind."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Static

from medoffice_tui.ui.repaint_hold import hold_repaints


class _One(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("x", id="x")


def count_updates(app: App[Any]) -> list[object]:
    """The screen updates the app sends from now on (appended as they are sent)."""
    sent: list[object] = []
    display = app._display

    def counting(screen, update) -> None:  # noqa: ANN001
        if update is not None:
            sent.append(update)
        display(screen, update)

    app._display = counting  # type: ignore[method-assign]
    return sent


async def test_nothing_is_drawn_until_the_hold_ends_and_then_once() -> None:
    app = _One()
    async with app.run_test(size=(20, 4)) as pilot:
        await pilot.pause()
        sent = count_updates(app)
        end = hold_repaints(app)
        app.query_one("#x", Static).update("one")
        await pilot.pause(0.05)
        app.query_one("#x", Static).update("two")
        await pilot.pause(0.05)
        assert sent == []
        end()
        end()  # a second call changes nothing
        await pilot.pause(0.05)
        assert len(sent) == 1
        assert app._batch_count == 0
        holds = [t for t in app._timers if t.name == "repaint-hold"]
        assert holds and all(t._task is None or t._task.done() for t in holds)


async def test_a_hold_never_ended_ends_by_itself() -> None:
    app = _One()
    async with app.run_test(size=(20, 4)) as pilot:
        await pilot.pause()
        sent = count_updates(app)
        hold_repaints(app, max_s=0.1)
        app.query_one("#x", Static).update("one")
        await pilot.pause(0.05)
        assert sent == []
        await pilot.pause(0.15)
        assert app._batch_count == 0 and len(sent) == 1
