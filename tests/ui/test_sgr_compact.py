"""Compacted output draws the same screen as Textual's, in fewer bytes.

Two independent judges of "the same": pyte (a terminal emulator: characters, colours,
bold, italic, underline, strike, reverse, blink) and the styles the frame was built
from (each Textual segment is ``ESC[style]m text ESC[0m``, so the style every cell must
end with is known without interpreting any escape), which also covers dim, overline
and the rest pyte does not model.
"""

from __future__ import annotations

import io
import random

import pyte
import pytest
from rich.color import ColorSystem
from rich.style import Style as RichStyle
from textual.strip import Strip

from medoffice_tui.ui.driver import CompactOutput
from medoffice_tui.ui.sgr_compact import DEFAULT, Compactor, Style, apply_sgr, change, compact

from .conftest import SIZE
from .test_app import settle

COLS, ROWS = 40, 6
ATTRS = ("bold", "dim", "italic", "underline", "blink", "reverse", "strike", "overline")
COLOURS = (None, "default", "red", "bright_cyan", "color(200)", "#336699", "black")
TEXTS = ("a", "Smith, Ann", "  ", "42.00", "█▋", "日本", "x" * 7, " late ")


def random_style(rng: random.Random) -> RichStyle | None:
    if rng.random() < 0.1:
        return None  # a segment with no style: written as plain text
    on = {a: True for a in ATTRS if rng.random() < 0.2}
    return RichStyle(color=rng.choice(COLOURS), bgcolor=rng.choice(COLOURS), **on)


def textual_frame(rng: random.Random, system: ColorSystem) -> tuple[str, list[list]]:
    """A frame as Textual writes one: a cursor move to each line, then its segments.
    Also what each cell must end as: (character, the style it was written with)."""
    out: list[str] = []
    cells: list[list] = [[None] * COLS for _ in range(ROWS)]
    for y in rng.sample(range(ROWS), rng.randint(1, ROWS)):
        x = rng.randrange(0, COLS // 2)
        out.append(f"\x1b[{y + 1};{x + 1}H")
        while True:
            text, style = rng.choice(TEXTS), random_style(rng)
            width = sum(2 if ord(c) > 0x2E80 else 1 for c in text)
            if x + width > COLS:
                break
            out.append(text if style is None else Strip.render_style(style, text, system))
            for char in text:
                cells[y][x] = (char, style)
                x += 2 if ord(char) > 0x2E80 else 1
        if rng.random() < 0.5:  # padded to the line's end, as a widget's line is
            pad, style = " " * (COLS - x), random_style(rng)
            out.append(pad if style is None else Strip.render_style(style, pad, system))
            cells[y][x:] = [(" ", style)] * len(pad)
        if rng.random() < 0.5:
            out.append("\n")
    return "".join(out), cells


def pyte_screen(*writes: str) -> tuple[list[list[tuple]], tuple[int, int]]:
    """Every cell, and where the cursor is, after ``writes`` (a new line is a bare line
    feed here, as on a tty without output translation: the cursor must match without it)."""
    screen = pyte.Screen(COLS, ROWS)
    stream = pyte.Stream(screen)
    for data in writes:
        stream.feed(data)
    cells = [[tuple(screen.buffer[y][x]) for x in range(COLS)] for y in range(ROWS)]
    return cells, (screen.cursor.x, screen.cursor.y)


def model_styles(data: str) -> dict[tuple[int, int], Style]:
    """Each cell's style as this module's model reads ``data`` (cursor moves and text
    only, as the frames here hold)."""
    import re

    styles: dict[tuple[int, int], Style] = {}
    style, x, y = DEFAULT, 0, 0
    for token in re.findall(r"\x1b\[[0-9;]*[mHK]|\n|[^\x1b\n]", data):
        if token == "\x1b[K":  # erased: blank cells of the style's background
            styles.update({(y, c): style for c in range(x, COLS)})
        elif token.endswith("m") and token.startswith("\x1b"):
            style = apply_sgr(style, token[2:-1])
        elif token.endswith("H") and token.startswith("\x1b"):
            row, col = token[2:-1].split(";")
            y, x = int(row) - 1, int(col) - 1
        elif token == "\n":
            y += 1
        else:
            styles[(y, x)] = style
            x += 2 if ord(token) > 0x2E80 else 1
    return styles


def expected_style(style: RichStyle | None, system: ColorSystem) -> Style:
    if style is None:
        return DEFAULT
    codes = Strip.render_ansi(style, system)
    return apply_sgr(DEFAULT, codes) if codes else DEFAULT


def blank(style: Style) -> Style:
    """What shows of a style on a blank: its background and the attributes that draw
    on a blank cell (a colour of the text shows on none)."""
    return Style(style.attrs, "", style.bg)


@pytest.mark.parametrize("width", [None, COLS])
@pytest.mark.parametrize(
    "system", [ColorSystem.STANDARD, ColorSystem.EIGHT_BIT, ColorSystem.TRUECOLOR]
)
def test_random_frames_draw_the_same_screen_in_fewer_bytes(system: ColorSystem, width) -> None:
    rng = random.Random(int(system))
    saved = erased = 0
    for _ in range(300):
        frame, cells = textual_frame(rng, system)
        out, end = compact(frame, width=width)
        erased += out.count("\x1b[K")
        assert end == DEFAULT
        assert len(out) <= len(frame)
        saved += len(frame) - len(out)
        assert pyte_screen(out) == pyte_screen(frame)
        styles = model_styles(out)
        for y, row in enumerate(cells):
            for x, cell in enumerate(row):
                if cell is None:
                    continue
                want, got = expected_style(cell[1], system), styles[(y, x)]
                if cell[0] == " ":
                    want, got = blank(want), blank(got)
                assert got == want, (y, x, cell)
    assert saved > 0
    assert (erased > 0) is (width is not None)


def test_a_list_line_carries_each_style_once() -> None:
    frame = (
        "\x1b[1;39;49mOwed\x1b[0m\x1b[39;49m 4,520 \x1b[0m"
        "\x1b[1;31;49mlate\x1b[0m\x1b[39;49m \x1b[0m"
    )
    out, _ = compact(frame)
    assert out == "\x1b[1mOwed\x1b[0m 4,520 \x1b[1;31mlate\x1b[0m "
    assert change(Style(frozenset({1}), "97", "44"), Style(frozenset(), "97", "44")) == "\x1b[22m"
    # bold off, dim kept: 22 clears both, so dim is set again
    assert change(Style(frozenset({1, 2})), Style(frozenset({2}))) in ("\x1b[22;2m", "\x1b[0;2m")


def test_a_write_ends_in_the_style_the_original_left_and_the_next_starts_from_it() -> None:
    compactor = Compactor()
    first, second = "\x1b[1;31mab", "cd\x1b[22mef\x1b[0m"
    assert pyte_screen(compactor(first), compactor(second)) == pyte_screen(first, second)
    assert compactor.style == DEFAULT


def test_the_first_write_starts_from_a_reset_whatever_the_shell_left() -> None:
    compactor = Compactor()
    left_bold = "\x1b[1m"  # a prompt that left bold on
    frame = "\x1b[39;49mplain\x1b[0m"
    # drawn as on a clean terminal (Textual's own frame would come out bold here)
    assert pyte_screen(left_bold, compactor(frame)) == pyte_screen(frame)
    assert compactor("\x1b[39;49mx\x1b[0m") == "x"  # no reset again after the first


@pytest.mark.parametrize(
    "data",
    [
        "\x1b[58;5;3munderline colour\x1b[0m",  # a code the model does not know
        "\x1b[4:3mcurly\x1b[0m",  # a sub-parameter
        "\x1b[1mbold\x1b7\x1b[0mx\x1b8y\x1b[0m",  # a restored cursor brings its style back
        "\x1b[1ma\x1b[?1049l\x1b[0m\x1b[1mb\x1b[0m",  # leaving the alternate screen
        "\x1b[1ma\x1b[u\x1b[0m\x1b[1mb\x1b[0m",  # a restored cursor (CSI u)
        "\x1b[1ma\x1bc\x1b[1mb\x1b[0m",  # a full reset
        "\x1b[31mA\x1b[0;38;5;300mB\x1b[0m",  # a colour no terminal has: ignored by them
        "\x1b[21mA\x1b[4;21mB\x1b[0m",  # both underlines: one style, the last wins
    ],
)
def test_what_it_does_not_model_is_written_as_it_was(data: str) -> None:
    assert compact(data)[0] == data


def test_after_an_unmodelled_style_writes_pass_as_they_are_until_a_plain_reset() -> None:
    compactor = Compactor()
    assert compactor("\x1b[58;5;3mx") == "\x1b[0m\x1b[58;5;3mx"
    assert compactor.style is None
    assert compactor("\x1b[1my\x1b[0m\x1b[1mz") == "\x1b[1my\x1b[0m\x1b[1mz"
    assert compactor("\x1b[1mw\x1b[0m") == "\x1b[1mw\x1b[0m"
    assert compactor.style == DEFAULT
    assert compactor("\x1b[1ma\x1b[0m\x1b[1mb\x1b[0m") == "\x1b[1mab\x1b[0m"


def test_blanks_to_the_end_of_a_line_are_erased_only_where_that_draws_the_same() -> None:
    line = "\x1b[1;1H\x1b[1mab\x1b[0m\x1b[39;49m      \x1b[0m"
    assert compact(line + "\r\n", width=8)[0] == "\x1b[1;1H\x1b[1mab\x1b[0m\x1b[K\r\n"
    assert "\x1b[K" not in compact(line + "\n", width=8)[0]  # the cursor's column after it
    assert compact(line + "\x1b[2;1Hx", width=8)[0].startswith(
        "\x1b[1;1H\x1b[1mab\x1b[0m\x1b[K\x1b[2;1H"
    )
    assert "\x1b[K" not in compact(line + "\r", width=9)[0]  # not the line's end
    assert "\x1b[K" not in compact(line, width=8)[0]  # the cursor would end elsewhere
    assert "\x1b[K" not in compact(line + "\nX", width=8)[0]  # X's column is where it ends
    assert compact(line + "\n\x1b[2;1HX", width=8)[0].startswith(
        "\x1b[1;1H\x1b[1mab\x1b[0m\x1b[K\n"  # a new line, then a move to a given place
    )
    assert "\x1b[K" not in compact(line + "\x1b[?25h", width=8)[0]  # and be shown there
    coloured = "\x1b[1;1Hab\x1b[44m      \x1b[0m\r"
    assert "\x1b[K" not in compact(coloured, width=8)[0]  # a background: not on every terminal
    underlined = "\x1b[1;1Hab\x1b[4m      \x1b[0m\r"
    assert "\x1b[K" not in compact(underlined, width=8)[0]
    assert "\x1b[K" not in compact("\x1b[1;3Hab      \r", width=8)[0]  # column 3: ends at 9
    assert compact("\x1b[1;0Hab      \r", width=8)[0] == "\x1b[1;0Hab\x1b[K\r"  # 0 is 1
    assert "\x1b[K" not in compact("\x1b[1;?3Hab      \r", width=8)[0]  # not a column
    assert compact("\x1b[1;3Hab    \r", width=8)[0] == "\x1b[1;3Hab\x1b[K\r"


@pytest.mark.parametrize(
    "writes",
    [
        ["\x1b[1m\x1b7\x1b[0m", "\x1b8", "\x1b[0mY"],  # a restore in a write of its own
        ["\x1b[1;1H\x1b[1m\x1b7\x1b[0m", "\x1b[0mX\x1b8", "\x1b[0mY"],  # after the reset
    ],
)
def test_a_restored_cursors_style_is_never_taken_for_the_default(writes: list[str]) -> None:
    compactor = Compactor()
    assert pyte_screen("\x1b[0m", *writes) == pyte_screen(*[compactor(w) for w in writes])


def test_a_sequence_that_fills_with_the_background_sees_the_original_style() -> None:
    data = "XYZ\x1b[44m\x1b[1 A\x1b[0m"  # scroll right (SL): blank columns in blue
    assert compact(data)[0] == "XYZ\x1b[44m\x1b[1 A\x1b[0m"


def test_entering_the_alternate_screen_keeps_the_style_known() -> None:
    """Textual's first write enters the alternate screen: the frames after it are still
    compacted (it saves the cursor and its style; it does not change them)."""
    compactor = Compactor()
    assert compactor("\x1b[?1049h\x1b[?25l") == "\x1b[0m\x1b[?1049h\x1b[?25l"
    assert compactor.style == DEFAULT
    assert compactor("\x1b[1ma\x1b[0m\x1b[1mb\x1b[0m") == "\x1b[1mab\x1b[0m"


def test_controls_other_than_cursor_moves_see_the_original_style() -> None:
    # an erase fills with the current background: it must be the original's there
    data = "\x1b[44mab\x1b[0m\x1b[K\x1b[44mcd\x1b[0m\x1b[2;1H\x1b[44mef\x1b[0m"
    out, _ = compact(data)
    assert out == "\x1b[44mab\x1b[0m\x1b[K\x1b[44mcd\x1b[2;1Hef\x1b[0m"
    assert compact("\x1b[>4;1m\x1b[1mx\x1b[0m")[0] == "\x1b[>4;1m\x1b[1mx\x1b[0m"  # not a style


def test_the_output_file_compacts_each_write_and_passes_the_rest_through() -> None:
    sink = io.StringIO()
    out = CompactOutput(sink)
    out.write("\x1b[1mab\x1b[0m\x1b[1mcd\x1b[0m")
    out.write("plain")
    assert sink.getvalue() == "\x1b[0m\x1b[1mabcd\x1b[0mplain"
    assert out.getvalue() == sink.getvalue()  # anything else is the file's own


async def test_the_apps_own_frames_draw_the_same_screen_compacted(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        sizes = []
        for key in ("f2", "f3", "f4", "f5"):
            await pilot.press(key)
            await settle(app, pilot)
            frame = app.screen._compositor.render_update(full=True).render_segments(app.console)
            out, end = compact(frame, width=SIZE[0])
            screen = pyte.Screen(*SIZE), pyte.Screen(*SIZE)
            pyte.Stream(screen[0]).feed(frame)
            pyte.Stream(screen[1]).feed(out)
            assert screen[0].display == screen[1].display
            assert [dict(r) for r in screen[0].buffer.values()] == [
                dict(r) for r in screen[1].buffer.values()
            ]
            assert end == DEFAULT
            sizes.append((len(frame.encode()), len(out.encode())))
        assert all(small < 0.8 * big for big, small in sizes), sizes
