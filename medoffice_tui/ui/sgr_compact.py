"""Fewer bytes per frame: the same screen, with each style change written once.

Textual writes every run of text as ``ESC[<style>m text ESC[0m``: a full style, then a
reset, so a line of a list in one colour with one bold word carries the colour three
times and three resets: 42% of the bytes of a claims-queue frame. ``compact``
rewrites one write to the terminal so that the screen it draws is the same cell for
cell, with the same colours and attributes, while the style is set only where the next
character's style differs from what the terminal already has, by the shorter of a
change ("bold off": ``ESC[22m``) or a reset and the whole new style, and the blank end
of a line is erased rather than written out.

The rules that keep it exact:
- a style is only ever written just before the text it applies to, so what the
  terminal shows is the same for every character;
- blanks with no attribute on the default background that reach the end of a line
  are erased (``ESC[K``) instead, where what follows puts the cursor on a given place
  (a carriage return, a cursor move, or a new line and then one of those): an erased
  cell and such a blank look the same, on any terminal, with or without "background
  colour erase", and the cursor ends where the original leaves it;
- before anything else whose effect can depend on the current style (an erase, a new
  line, a mode change: every control except a cursor move), the terminal is brought
  to the style the original had there;
- a write ends with the terminal in the style the original left it in, and the next
  write starts from it (``Compactor``);
- a style this module does not understand (a ``:`` sub-parameter, an unknown
  number), or anything else that can change the style (a restored cursor, a reset),
  leaves the whole write as it was, and the writes after it too until one ends in a
  plain reset.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from rich.cells import cell_len

#: one escape sequence (CSI ... final, or OSC ... BEL/ST), one control character, or a
#: run of plain text
_TOKEN = re.compile(
    r"\x1b\[(?P<csi>[0-?]*[ -/]*[@-~])"
    r"|\x1b\](?P<osc>.*?)(?:\x07|\x1b\\)"
    r"|(?P<esc>\x1b.?)"
    r"|(?P<ctl>[\x00-\x1a\x1c-\x1f\x7f])"
    r"|(?P<text>[^\x00-\x1f\x7f]+)",
    re.DOTALL,
)
#: Select Graphic Rendition: the style for the text that follows
_SGR = re.compile(r"\x1b\[[0-9;:]*m")
#: what can set the style other than SGR: restoring a saved cursor (DECRC and
#: ``CSI u``, which bring back its style too), leaving the alternate screen in the
#: modes that restore the cursor saved on entering it, a soft or full reset (saving a
#: cursor, or entering the alternate screen, leaves the style as it is)
_RESTORES_STYLE = re.compile(r"\x1b[8c]|\x1b\[u|\x1b\[!p|\x1b\[\?[0-9;]*104[89][0-9;]*l")
#: everything that sets the style, in the order written
_STYLE_SETTERS = re.compile(_SGR.pattern + "|" + _RESTORES_STYLE.pattern)
#: the cursor moves (plain CSI, no private or intermediate bytes): they never look at
#: the style (``CSI 1 SP A``, a scroll that fills with the background, is not one)
_CURSOR_MOVE = re.compile(r"\x1b\[[0-9;]*[ABCDEFGHdf]")
#: of those, the ones that put the cursor on a given column
_CURSOR_TO = re.compile(r"\x1b\[[0-9;]*[Hf]")
#: attribute code -> the code that turns it off (bold and dim share 22, both
#: underlines 24, both blinks 25, frame and encircle 54)
_OFF = {
    1: 22, 2: 22, 3: 23, 4: 24, 5: 25, 6: 25, 7: 27, 8: 28, 9: 29,
    21: 24, 51: 54, 52: 54, 53: 55,
}  # fmt: skip


class Style(NamedTuple):
    """What an SGR state means: the attribute codes that are on, and the colours (as
    their codes, ``""`` for the terminal's default)."""

    attrs: frozenset[int] = frozenset()
    fg: str = ""
    bg: str = ""

    def codes(self) -> list[str]:
        out = [str(a) for a in sorted(self.attrs)]
        if self.fg:
            out.append(self.fg)
        if self.bg:
            out.append(self.bg)
        return out


DEFAULT = Style()


class Unparsed(Exception):
    """An SGR sequence this module does not model."""


@lru_cache(maxsize=1024)
def apply_sgr(style: Style, params: str) -> Style:
    """The style after ``ESC[<params>m`` is written in ``style``."""
    if ":" in params:
        raise Unparsed(params)
    values = [int(p) if p else 0 for p in params.split(";")]
    attrs = set(style.attrs)
    fg, bg = style.fg, style.bg
    i = 0
    while i < len(values):
        v = values[i]
        if v == 0:
            attrs, fg, bg = set(), "", ""
        elif v in _OFF:
            attrs.add(v)
        elif v in (22, 23, 24, 25, 27, 28, 29, 54, 55):
            attrs -= {a for a, off in _OFF.items() if off == v}
        elif 30 <= v <= 37 or 90 <= v <= 97:
            fg = str(v)
        elif v == 39:
            fg = ""
        elif 40 <= v <= 47 or 100 <= v <= 107:
            bg = str(v)
        elif v == 49:
            bg = ""
        elif v in (38, 48):
            kind = values[i + 1] if i + 1 < len(values) else -1
            width = {5: 1, 2: 3}.get(kind)
            if width is None or i + 1 + width >= len(values):
                raise Unparsed(params)
            parts = values[i + 2 : i + 2 + width]
            if any(not 0 <= x <= 255 for x in parts):  # a terminal ignores it: not modelled
                raise Unparsed(params)
            code = ";".join(str(x) for x in values[i : i + 2 + width])
            if v == 38:
                fg = code
            else:
                bg = code
            i += 1 + width
        else:
            raise Unparsed(params)
        i += 1
    if {4, 21} <= attrs or {5, 6} <= attrs:  # one underline (blink) style on most terminals
        raise Unparsed(params)
    return Style(frozenset(attrs), fg, bg)


@lru_cache(maxsize=1024)
def change(have: Style, want: Style) -> str:
    """The shortest SGR sequence found that takes the terminal from ``have`` to ``want``."""
    if have == want:
        return ""
    reset = "\x1b[" + ";".join(["0", *want.codes()]) + "m" if want != DEFAULT else "\x1b[0m"
    steps: list[str] = []
    dropped = have.attrs - want.attrs
    offs = {_OFF[a] for a in dropped}
    # an off code can clear a partner that stays on (22 clears bold and dim alike)
    cleared = {a for a in have.attrs if _OFF[a] in offs}
    steps += [str(o) for o in sorted(offs)]
    steps += [str(a) for a in sorted(want.attrs - (have.attrs - cleared))]
    if want.fg != have.fg:
        steps.append(want.fg or "39")
    if want.bg != have.bg:
        steps.append(want.bg or "49")
    delta = "\x1b[" + ";".join(steps) + "m"
    return delta if len(delta) < len(reset) else reset


def compact(
    data: str, start: Style | None = DEFAULT, width: int | None = None
) -> tuple[str, Style | None]:
    """``data`` with its style changes written once each (see the module's rules), and
    the style the terminal is left in (``None``: not known, after a style this module
    does not model). ``start`` is the style the terminal has before ``data``; given
    the terminal's ``width``, blanks that run to the end of a line are erased."""
    if "\x1b" not in data:
        return data, start
    if start is None:
        return data, _end_style(data)
    tokens = [(m.lastgroup, m.group(0)) for m in _TOKEN.finditer(data)]
    out: list[str] = []
    have = want = start
    col: int | None = None  # the cursor's column, where it is known
    try:
        for i, (kind, token) in enumerate(tokens):
            if kind == "csi" and _SGR.fullmatch(token):
                want = apply_sgr(want, token[2:-1])
                continue
            if kind in ("csi", "esc") and _RESTORES_STYLE.fullmatch(token):
                raise Unparsed(token)
            if kind == "text":
                out.append(change(have, want))
                have = want
                if col is not None:
                    col += cell_len(token)
                    if (
                        width is not None
                        and col == width
                        and _blank_to_line_end(want, token, tokens, i)
                    ):
                        token = token.rstrip(" ") + "\x1b[K"  # the same blanks, erased
                    elif width is not None and col > width:
                        col = None  # wrapped: where it is now is not tracked
                out.append(token)
                continue
            if kind == "csi" and _CURSOR_MOVE.fullmatch(token):
                col = _column_after(token, col)
            else:
                if token != "\r":
                    out.append(change(have, want))
                    have = want
                col = 0 if token == "\r" else None
            out.append(token)
    except Unparsed:
        return data, _end_style(data)
    out.append(change(have, want))
    return "".join(out), want


def _column_after(move: str, col: int | None) -> int | None:
    """The cursor's column after a cursor move (``None`` where it is not known)."""
    final = move[-1]
    if final in "Hf":
        _, _, column = move[2:-1].partition(";")
        try:
            return max(int(column or 1), 1) - 1  # column 0 is column 1
        except ValueError:  # a private or sub-parameter form: not known
            return None
    return col if final in "ABd" else None


def _blank_to_line_end(style: Style, text: str, tokens: list[tuple], i: int) -> bool:
    """``text`` ends in blanks of the terminal's default background and no attribute,
    which reach the line's end, and what comes next (after any style change) puts the
    cursor where it would have been anyway: a carriage return or a move to a given
    place, or a new line followed by one of those (the original leaves the cursor on
    the last column, the erase where the blanks began). So erasing them draws the
    same cells and leaves the cursor where the original does."""
    if not text.endswith(" ") or style.attrs or style.bg:
        return False
    newline = False
    for kind, token in tokens[i + 1 :]:
        if kind == "csi" and _SGR.fullmatch(token):
            continue
        if token == "\n" and not newline:
            newline = True
            continue
        return token == "\r" or (kind == "csi" and bool(_CURSOR_TO.fullmatch(token)))
    return False


def _end_style(data: str) -> Style | None:
    """The style ``data`` leaves, when the last thing in it that sets the style is a
    plain reset (not known otherwise)."""
    last = None
    for match in _STYLE_SETTERS.finditer(data):
        last = match.group(0)
    return DEFAULT if last in ("\x1b[0m", "\x1b[m") else None


class Compactor:
    """``compact`` over a stream of writes, carrying the terminal's style from one to
    the next (each write may rely on the style the one before left)."""

    def __init__(self, width: Callable[[], int | None] = lambda: None) -> None:
        self.style: Style | None = DEFAULT
        self._width = width
        self._first = True

    def __call__(self, data: str) -> str:
        out, self.style = compact(data, self.style, self._width())
        if self._first:
            # the terminal's style before the first write is whatever the shell left:
            # a reset makes it the known default the compaction starts from
            self._first = False
            out = "\x1b[0m" + out
        return out
