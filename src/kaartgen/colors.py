"""Colour values as layouts and sets write them: '#rrggbb', {cmyk: [c, m, y, k]} or a colour name.

Takes the raw value and the named colours in scope; gives a `model.Color`. No I/O; shared by
layout loading, rendering and partnership sets.
"""

from __future__ import annotations

from kaartgen.model import Color


def color_value(value):
    """A {cmyk} mapping as a Color; a name or hex stays as written, for `resolve_color`."""
    if isinstance(value, dict):
        return Color(cmyk=tuple(v / 100 for v in value["cmyk"]))
    return value


def resolve_color(value, colors: dict, depth: int = 0) -> Color | None:
    """A Color for a hex string, {cmyk}, or a name (names may point at other names)."""
    if isinstance(value, Color):
        return value
    if isinstance(value, dict):
        return color_value(value)
    if not isinstance(value, str) or depth > 8:
        return None
    if value.startswith("#") and len(value) == 7:
        try:
            return Color.from_hex(value)
        except ValueError:
            return None
    if value in colors:
        return resolve_color(colors[value], colors, depth + 1)
    return None
