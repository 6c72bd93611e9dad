"""The site's brand: its accent colour (checked for contrast, with a shade derived for the dark
scheme) and its logo, as values ready for the templates."""
from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import cached_property

# What the accent colour stands on: the light scheme's page (the contract checks "on white"),
# and the dark scheme's page and its lighter panels (templates/static/style.css), so the
# derived shade reads on both.
WHITE = "#ffffff"
DARK_BACKGROUNDS = ("#16181c", "#22252b")
MIN_CONTRAST = 4.5


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of `#rrggbb`."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(one: str, other: str) -> float:
    """WCAG 2.1 contrast ratio of two `#rrggbb` colours (1 to 21)."""
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def mix(colour: str, other: str, share: float) -> str:
    """`colour` moved `share` (0 to 1) of the way towards `other`."""
    parts = [round(int(colour[i:i + 2], 16) * (1 - share) + int(other[i:i + 2], 16) * share)
             for i in (1, 3, 5)]
    return "#" + "".join(f"{part:02x}" for part in parts)


def dark_shade(colour: str) -> str:
    """The lightest-needed step of `colour` towards white that reaches MIN_CONTRAST on every
    dark-scheme background: the same hue, lighter, the first of 1/100 steps that reads."""
    for step in range(101):
        shade = mix(colour, WHITE, step / 100)
        if all(contrast(shade, bg) >= MIN_CONTRAST for bg in DARK_BACKGROUNDS):
            return shade
    return WHITE


@dataclass(frozen=True)
class Accent:
    light: str          # as written (lowercase): reaches MIN_CONTRAST on white
    dark: str           # derived for the dark scheme

    @classmethod
    def of(cls, colour: str) -> Accent:
        return cls(colour, dark_shade(colour))


@dataclass(frozen=True)
class Logo:
    """An SVG or PNG file beside site.yaml, shown only as an image (never inline markup)."""

    name: str           # the file's name, as site.yaml gives it
    media_type: str     # image/svg+xml or image/png
    data: bytes

    @property
    def suffix(self) -> str:
        return ".svg" if self.media_type == "image/svg+xml" else ".png"

    @property
    def asset(self) -> str:
        """Where the site keeps it, relative to the site root."""
        return f"assets/logo{self.suffix}"

    @cached_property
    def data_uri(self) -> str:
        """The logo inside the print HTML: the PDF needs no file from outside the templates."""
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode()}"
