"""Checks on a set's own colours, with a suggestion that passes them.

The cards print white text on the main colour (cover, title band), so it needs 4.5:1 contrast
with white; it must also differ clearly from the step colours, or a card's step is no longer
recognisable by its colour. The second colour is a light background under dark text.
"""

from __future__ import annotations

import colorsys

from kaartgen.cmyk import colour_distance
from kaartgen.model import Color
from kaartgen.render import contrast
from kaartgen.sets import CLASH

WHITE = Color(rgb=(1.0, 1.0, 1.0))
INK = Color.from_hex("#1b1b1f")
MIN_CONTRAST = 4.5
MIN_DISTANCE = CLASH  # ΔE2000 below which a step block vanishes next to the colour (as the build warns)


def to_hex(color: Color) -> str:
    return "#%02x%02x%02x" % tuple(round(v * 255) for v in color.as_rgb())


distance = colour_distance  # the measure `kaartgen build --set` warns with


def _candidates(color: Color):
    """Colours near `color`: other lightness first, then other hues, nearest first."""
    h, lightness, s = colorsys.rgb_to_hls(*color.as_rgb())
    options = []
    for dh in range(-180, 181, 10):
        for dl in range(-60, 61, 3):
            new_l = min(max(lightness + dl / 100, 0.0), 1.0)
            rgb = colorsys.hls_to_rgb((h + dh / 360) % 1.0, new_l, s)
            options.append((abs(dh) / 90 + abs(dl) / 100, Color(rgb=rgb)))
    return [c for _, c in sorted(options, key=lambda o: o[0])]


def _suggest(color: Color, ok) -> str | None:
    return next((to_hex(c) for c in _candidates(color) if ok(c)), None)


def check_primary(value: str, steps: dict[str, Color]) -> list[str]:
    """Dutch problems with the main colour, each with a suggestion."""
    color = Color.from_hex(value)

    def ok(c):
        return contrast(c, WHITE) >= MIN_CONTRAST and all(distance(c, s) >= MIN_DISTANCE for s in steps.values())
    problems = []
    ratio = contrast(color, WHITE)
    if ratio < MIN_CONTRAST:
        problems.append(f"Witte tekst op deze kleur is slecht leesbaar (contrast {_ratio(ratio)}:1, minimaal 4,5:1).")
    for name, step in sorted(steps.items()):
        if distance(color, step) < MIN_DISTANCE:
            problems.append(f"Deze kleur lijkt te veel op de kleur van stap {name.removeprefix('step')} "
                            f"({to_hex(step)}); dan herken je de stap niet meer aan de kleur.")
    suggestion = _suggest(color, ok) if problems else None
    if suggestion:
        problems.append(f"Suggestie: {suggestion}.")
    return problems


def check_secondary(value: str) -> list[str]:
    color = Color.from_hex(value)
    ratio = contrast(color, INK)
    if ratio >= MIN_CONTRAST:
        return []
    suggestion = _suggest(color, lambda c: contrast(c, INK) >= MIN_CONTRAST)
    return [f"Donkere tekst op deze kleur is slecht leesbaar (contrast {_ratio(ratio)}:1, minimaal 4,5:1)."
            + (f" Suggestie: {suggestion}." if suggestion else "")]


def _ratio(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")
