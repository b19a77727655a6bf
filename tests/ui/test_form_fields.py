"""A plain field is two widgets (itself and its box), draws its label and hint itself,
mounts its error line with its first error; boxes are built without Textual's early
styling; the app collects its garbage between keys, not inside them."""

from __future__ import annotations

import gc

from textual.app import App, ComposeResult
from textual.widgets import Static

from medoffice_tui import launch
from medoffice_tui.ui import app_garbage
from medoffice_tui.ui.forms import ChoiceField, TextField
from medoffice_tui.ui.forms.fields import HINT_CELLS, LABEL_WIDTH
from medoffice_tui.ui.widgets.plain_input import PlainInput

from .test_app import settle
from .test_schedule import SIZE


class FieldsApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TextField("name", "Last name", required=True, hint="as on the card")
        yield ChoiceField("kind", "Kind", [("a", "Annual"), ("b", "Sick visit")])
        yield TextField("plain", "No hint")


def _line(app: App[None], y: int) -> str:
    return "".join(segment.text for segment in app.screen._compositor.render_strips()[y])


async def test_a_plain_field_is_two_widgets_and_draws_its_label_and_hint() -> None:
    app = FieldsApp()
    async with app.run_test(size=(60, 6)) as pilot:
        await pilot.pause()
        name = app.query_one("#field-name", TextField)
        assert [type(w) for w in name.query("*")] == [PlainInput]
        assert len(app.query_one("#field-kind", ChoiceField).query("*")) == 1
        await pilot.press(*"Okafor")
        await pilot.pause()
        first = _line(app, 0)
        assert first.startswith("Last name*".ljust(LABEL_WIDTH) + "Okafor")
        assert first.rstrip().endswith("as on the card")
        assert _line(app, 1).startswith("Kind".ljust(LABEL_WIDTH) + "< Annual >")
        assert name.size.height == 1 and not name.query(".field-error")


async def test_a_plain_fields_error_line_comes_with_its_first_error_and_goes() -> None:
    app = FieldsApp()
    async with app.run_test(size=(60, 6)) as pilot:
        await pilot.pause()
        name = app.query_one("#field-name", TextField)
        name.set_error("last name is required")
        await pilot.pause()
        assert name.has_class("-invalid") and name.size.height == 2
        assert "last name is required" in str(name.query_one(".field-error", Static).render())
        assert _line(app, 1).strip() == "last name is required"
        name.clear_error()
        await pilot.pause()
        assert not name.has_class("-invalid") and name.size.height == 1


async def test_a_hint_change_moves_the_box_edge_and_a_long_hint_is_cut() -> None:
    app = FieldsApp()
    async with app.run_test(size=(60, 6)) as pilot:
        await pilot.pause()
        plain = app.query_one("#field-plain", TextField)
        assert plain.input.styles.margin.right == 0  # no hint: the box runs to the edge
        plain.set_hint("x" * 40)
        await pilot.pause()
        assert plain.input.styles.margin.right == HINT_CELLS + 1
        shown = _line(app, 2).rstrip()
        assert shown.endswith("…") and len(shown) == 60


async def test_a_plain_input_is_built_without_styling_it_first(monkeypatch) -> None:  # noqa: ANN001
    styled: list[object] = []
    app = FieldsApp()
    async with app.run_test(size=(60, 6)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(PlainInput, "update_node_styles", lambda self, **_: styled.append(self))
        box = PlainInput(value="x", compact=True)
        assert box.compact and box.has_class("-textual-compact") and box.has_class("-valid")
        assert box not in styled  # styled once, when it is mounted


async def test_the_app_collects_garbage_once_the_keys_stop(make_app, monkeypatch) -> None:
    collected: list[int] = []
    released: list[int] = []
    monkeypatch.setattr(launch, "_keeps_built", True)  # as in the app's own run
    monkeypatch.setattr(launch, "collect_garbage", lambda: collected.append(1) or 0)
    monkeypatch.setattr(app_garbage, "release_closed_widgets", lambda: released.append(1))
    # keys 0.1 s apart against a 0.5 s pause: room for a loaded machine (four test
    # workers on two cores) to be late with a key without it counting as a pause
    monkeypatch.setattr(app_garbage, "IDLE_COLLECT_S", 0.5)
    gc.collect()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for _ in range(4):  # keys 0.1 s apart: nothing is collected between them
            await pilot.press("down")
            await pilot.pause(0.1)
        assert collected == []
        [gc.collect(0) for _ in range(3)]  # garbage past the newest objects is owed
        await pilot.pause(1.2)
        assert collected == [1] and released == [1]
        await pilot.pause(0.8)
        assert collected == [1]  # one collection per pause, and none while idle after


async def test_a_plain_form_field_error_still_shows_beside_it(make_app) -> None:
    """The booking form's start time refused: the error line under the field, the
    label drawn in the error colour (the field's own render)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("b")
        await settle(app, pilot)
        form = app.screen
        start = form.field("start")
        start.set_error("that time was just taken")
        await pilot.pause()
        assert start.has_class("-invalid")
        assert start.render().spans  # the label's style: the error colour
        label_style = start.get_component_rich_style("field--invalid", partial=True)
        assert label_style.bold
