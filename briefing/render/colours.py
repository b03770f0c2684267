"""Colours that stay readable: WCAG contrast, and the theme accent adjusted per scheme.

Pure: hex strings in, hex strings and numbers out.

>>> round(contrast("#000000", "#ffffff"), 1)
21.0
"""

from __future__ import annotations

# WCAG 2.x level AA for body text: the ratio every text/background pair of the theme keeps.
AA = 4.5
WHITE = "#ffffff"
BLACK = "#000000"
# A derived dark accent aims past AA: dull red at exactly 4.5:1 on near-black still reads dim.
COMFORTABLE = 6.0
# The paper of each scheme (templates/colours.css defines the rest of the palette).
LIGHT_PAPER = "#ffffff"
DARK_PAPER = "#161616"


def rgb(colour: str) -> tuple[int, int, int]:
    """`#rgb` or `#rrggbb` as three 0–255 channels."""
    digits = colour.strip().lstrip("#")
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    if len(digits) != 6:
        raise ValueError(f"not a hex colour: {colour!r}")
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def hex_colour(channels: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0, min(255, c))):02x}" for c in channels)


def luminance(colour: str) -> float:
    """Relative luminance as WCAG 2.x defines it (sRGB, linearised)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two colours, 1 to 21."""
    a, b = luminance(foreground), luminance(background)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def readable(colour: str, background: str, minimum: float = AA) -> str:
    """`colour`, or the nearest mix of it towards white or black that reaches `minimum` on `background`.

    A user's accent (`theme.accent`) picked for white paper is usually too dark
    on the dark scheme's paper: it is lightened just enough, keeping its hue.
    """
    if contrast(colour, background) >= minimum:
        return hex_colour(rgb(colour))
    toward = WHITE if luminance(background) < 0.18 else BLACK
    start, end = rgb(colour), rgb(toward)
    for step in range(1, 101):
        share = step / 100
        mixed = hex_colour(tuple(s + (e - s) * share for s, e in zip(start, end, strict=True)))
        if contrast(mixed, background) >= minimum:
            return mixed
    return toward


def on(background: str) -> str:
    """White or black text, whichever reads better on `background` (the rank badge)."""
    return WHITE if contrast(WHITE, background) >= contrast(BLACK, background) else BLACK


def palette(accent: str) -> dict[str, str]:
    """The accent-derived colours of both schemes, for templates/colours.css."""
    light = readable(accent, LIGHT_PAPER)
    dark = readable(accent, DARK_PAPER, COMFORTABLE)
    return {
        "accent": light,
        "on_accent": on(light),
        "accent_dark": dark,
        "on_accent_dark": on(dark),
    }
