"""The resolved model: what a layout and a deck mean after loading and validation. No I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Color:
    rgb: tuple[float, float, float] | None = None
    cmyk: tuple[float, float, float, float] | None = None  # 0..1

    @classmethod
    def from_hex(cls, text: str) -> "Color":
        text = text.lstrip("#")
        return cls(rgb=tuple(int(text[i:i + 2], 16) / 255 for i in (0, 2, 4)))

    def as_rgb(self) -> tuple[float, float, float]:
        if self.rgb is not None:
            return self.rgb
        c, m, y, k = self.cmyk
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))


@dataclass(frozen=True)
class Style:
    size: float
    min_size: float
    leading: float
    bold: bool
    italic: bool
    color: str
    align: str
    space_after: float
    hyphenate: bool
    bullet: str


@dataclass(frozen=True)
class Element:
    kind: str
    props: dict
    where: str  # "file:line:col" of the element's definition, for messages
    children: tuple = ()  # for repeat


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    required: bool = False
    choices: tuple = ()
    minimum: float | None = None
    maximum: float | None = None
    min_items: int | None = None
    max_items: int | None = None
    max_length: int | None = None
    fields: tuple = ()  # FieldSpecs of each item, for type items


@dataclass(frozen=True)
class Template:
    name: str
    fields: dict[str, FieldSpec]
    front: tuple[Element, ...]
    back: tuple[Element, ...] | None
    back_face: str | None  # name of a shared face, so identical backs are drawn once
    shared_back: bool = False  # the back face uses no card field: plan and draw it once per PDF


@dataclass(frozen=True)
class Marks:
    length: float
    offset: float
    width: float
    style: str = "marks"  # office sheets: short "marks" in the margin, or full-length cut "lines"


@dataclass(frozen=True)
class Printer:
    """An office printer's habits: how it turns the sheet and how far its backs are off."""

    name: str = "standaard"
    duplex: str = "long-edge"
    offset_x: float = 0.0  # points; positive moves the backs right
    offset_y: float = 0.0  # points; positive moves the backs up
    cut_marks: str | None = None  # overrides the layout's marks.style
    where: str = ""  # "file:line:col" of duplex_offset in the profile, for messages


@dataclass(frozen=True)
class Sheet:
    size: str
    orientation: str
    margin: float
    gap: float
    mode: str


@dataclass(frozen=True)
class Layout:
    name: str
    file: str
    width: float
    height: float
    bleed: float
    safe: float
    font_files: dict[str, str]
    colors: dict[str, Color]
    styles: dict[str, Style]
    marks: Marks
    sheet: Sheet
    templates: dict[str, Template]
    table: dict[str, float] = field(default_factory=dict)  # named sizes for row-by-row layouts, points


@dataclass
class Card:
    id: str
    template: str
    fields: dict[str, Any]
    where: str


@dataclass
class Deck:
    name: str
    file: str
    meta: dict[str, str]
    layout: Layout
    cards: list[Card] = field(default_factory=list)
    # where each {deck.…} value was written: "deck.title" -> (file, line, column, key path)
    meta_where: dict = field(default_factory=dict)
