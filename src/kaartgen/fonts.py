"""Register a layout's TrueType family with reportlab (embedded as a subset) and check glyphs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

VARIANTS = ("regular", "bold", "italic", "bold_italic")


@dataclass(frozen=True)
class FontFamily:
    family: str
    faces: tuple  # (variant, registered font name) pairs; a tuple keeps the family hashable

    @property
    def names(self) -> dict:
        return dict(self.faces)

    def name(self, bold: bool, italic: bool) -> str:
        return self.names[("bold_italic" if italic else "bold") if bold else ("italic" if italic else "regular")]

    def missing_glyphs(self, text: str, faces: set[tuple[bool, bool]] = frozenset({(False, False)})) -> list[str]:
        """Characters of `text` that one of the (bold, italic) faces lacks (Source Sans italic has no ĳ)."""
        missing = set()
        chars = set(text)
        for bold, italic in faces:
            cmap = pdfmetrics.getFont(self.name(bold, italic)).face.charToGlyph
            missing |= {ch for ch in chars if ord(ch) >= 32 and ord(ch) not in cmap and ch != "\u00ad"}
        return sorted(missing)


def register_family(files: dict[str, str]) -> FontFamily:
    # reportlab's font registry is process-wide; names derived from the files make this idempotent.
    tag = hashlib.sha1("|".join(files[v] for v in VARIANTS).encode()).hexdigest()[:8]
    names = {}
    for variant in VARIANTS:
        base = files[variant].rsplit("/", 1)[-1].rsplit(".", 1)[0]
        name = f"{base}-{tag}"
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, files[variant]))
        names[variant] = name
    family = f"family-{tag}"
    addMapping(family, 0, 0, names["regular"])
    addMapping(family, 1, 0, names["bold"])
    addMapping(family, 0, 1, names["italic"])
    addMapping(family, 1, 1, names["bold_italic"])
    for variant in VARIANTS:  # <b> inside a bold style must find the family of each face
        addMapping(names[variant], 0, 0, names["regular"])
        addMapping(names[variant], 1, 0, names["bold"])
        addMapping(names[variant], 0, 1, names["italic"])
        addMapping(names[variant], 1, 1, names["bold_italic"])
    return FontFamily(family=family, faces=tuple(names.items()))
