"""Small layouts written on the fly for unit tests: the minimum a Layout needs, plus what a test sets."""

from __future__ import annotations

from pathlib import Path

import yaml

from kaartgen.layouts import load_layout

MM = 72 / 25.4


def make_layout(folder: Path, **overrides):
    """A 63×88 mm card layout (3 mm bleed, 4 mm safe zone, crop marks 5 mm long at 3 mm) with `overrides`."""
    data = {"size": {"width": "63mm", "height": "88mm"},
            "templates": {"card": {"front": {"ground": {"type": "rect", "x": "0mm", "y": "0mm", "width": "100%",
                                                        "height": "100%", "fill": "black"}}}}}
    data.update(overrides)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "card.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_layout("card", folder)
