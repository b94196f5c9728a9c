"""The two looks: a calm default and a high-contrast one for washed-out projectors."""

from __future__ import annotations

from textual.theme import Theme

DEFAULT_THEME = "mhtui"
PROJECTOR_THEME = "mhtui-projector"

THEMES = (
    Theme(
        name=DEFAULT_THEME,
        primary="#3A7CA5",
        secondary="#81C3D7",
        accent="#F2A541",
        warning="#F2A541",
        error="#E4572E",
        success="#76B041",
        foreground="#E8EEF2",
        background="#14202B",
        surface="#1C2B38",
        panel="#24384A",
        dark=True,
    ),
    Theme(
        name=PROJECTOR_THEME,
        primary="#FFFFFF",
        secondary="#FFFF00",
        accent="#FFFF00",
        warning="#FFFF00",
        error="#FF5555",
        success="#55FF55",
        foreground="#FFFFFF",
        background="#000000",
        surface="#000000",
        panel="#202020",
        boost="#333333",
        dark=True,
        variables={"block-cursor-background": "#FFFF00", "block-cursor-foreground": "#000000",
                   "footer-key-foreground": "#FFFF00", "border": "#FFFFFF"},
    ),
)

THEME_LABELS = {DEFAULT_THEME: "default", PROJECTOR_THEME: "projector (high contrast)"}
