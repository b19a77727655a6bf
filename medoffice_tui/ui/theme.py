"""The ``medoffice`` theme: built on the terminal's 16 ANSI colours.

Front desks reach the app over SSH from PuTTY and thin terminals that report
``TERM=xterm`` (16 colours, no truecolour). A truecolour theme down-sampled to 16
colours loses the difference between the cursor row, the header and muted text;
this theme names ANSI colours directly, so what the terminal shows is what was
designed, and each cell costs the shortest SGR sequence.
"""

from __future__ import annotations

from textual.theme import BUILTIN_THEMES, Theme

THEME_NAME = "medoffice"

MEDOFFICE_THEME = Theme(
    name=THEME_NAME,
    ansi=True,
    dark=True,
    primary="ansi_blue",
    secondary="ansi_cyan",
    accent="ansi_bright_cyan",
    warning="ansi_yellow",
    error="ansi_red",
    success="ansi_green",
    foreground="ansi_default",
    background="ansi_default",
    surface="ansi_default",
    panel="ansi_default",
    boost="ansi_default",
    variables={
        "ansi-background": "ansi_black",
        "ansi-foreground": "ansi_white",
        "border": "ansi_blue",
        "border-blurred": "ansi_bright_black",
        # the row cursor: black on cyan reads in every 16-colour palette and is
        # unlike the header (white on blue) and the footer keys
        "block-cursor-foreground": "ansi_black",
        "block-cursor-background": "ansi_cyan",
        "block-cursor-text-style": "none",
        "block-cursor-blurred-foreground": "ansi_black",
        "block-cursor-blurred-background": "ansi_white",
        "block-cursor-blurred-text-style": "none",
        "input-cursor-background": "ansi_white",
        "input-cursor-foreground": "ansi_black",
        "input-cursor-text-style": "none",
        "input-selection-background": "ansi_blue",
        "input-selection-foreground": "ansi_bright_white",
        "screen-selection-background": "ansi_blue",
        "screen-selection-foreground": "ansi_bright_white",
        "footer-background": "ansi_default",
        "footer-key-foreground": "ansi_bright_yellow",
        "footer-key-background": "ansi_default",
        "footer-description-foreground": "ansi_default",
        "footer-description-background": "ansi_default",
        "footer-item-background": "ansi_default",
        "scrollbar": "ansi_bright_black",
        "scrollbar-hover": "ansi_white",
        "scrollbar-active": "ansi_bright_white",
        "scrollbar-background": "ansi_default",
        "scrollbar-corner-color": "ansi_default",
        "scrollbar-background-hover": "ansi_default",
        "scrollbar-background-active": "ansi_default",
    },
)


def theme_names() -> list[str]:
    """Every theme ``--theme`` accepts: ours first, then Textual's built-ins."""
    return [THEME_NAME, *sorted(BUILTIN_THEMES)]


def resolve_theme(name: str | None) -> str:
    """The theme to use for ``name``; unknown names fall back to ours (never a crash)."""
    if name and (name == THEME_NAME or name in BUILTIN_THEMES):
        return name
    return THEME_NAME
