"""The resolved model: what a layout and a deck mean after loading and validation. No I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True)
class Color:
    rgb: tuple[float, float, float] | None = None
    cmyk: tuple[float, float, float, float] | None = None  # 0..1
    name: str | None = field(default=None, compare=False)  # the layout's name for it, if it had one

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
class Dim:
    """A length parsed once: points plus a share of a reference length ("50%" → share 0.5)."""

    points: float = 0.0
    share: float = 0.0

    def of(self, reference: float) -> float:
        return self.points + self.share * reference

    def __add__(self, other: "Dim") -> "Dim":
        return Dim(self.points + other.points, self.share + other.share)


# Fractions of the box that x, y place, per anchor name.
ANCHOR_POINTS = {"top-left": (0.0, 0.0), "top": (0.5, 0.0), "top-right": (1.0, 0.0),
                 "left": (0.0, 0.5), "center": (0.5, 0.5), "right": (1.0, 0.5),
                 "bottom-left": (0.0, 1.0), "bottom": (0.5, 1.0), "bottom-right": (1.0, 1.0)}

# A colour known when the layout loads, or a {field} template resolved per card.
Paintable = Color | str | None


@dataclass(frozen=True, kw_only=True)
class Element:
    """One drawn element, resolved when the layout loads: lengths parsed, defaults applied.

    Field names are the YAML keys (formats.py declares them); `where` is its source position."""

    kind: ClassVar[str] = ""
    where: str
    name: str | None = None
    when: dict | None = None
    rotation: float = 0.0
    opacity: float = 1.0

    @property
    def children(self) -> tuple:
        return ()


@dataclass(frozen=True, kw_only=True)
class BoxElement(Element):
    x: Dim
    y: Dim
    width: Dim
    height: Dim
    anchor: str = "top-left"

    def box(self, frame_w: float, frame_h: float) -> tuple[float, float, float, float]:
        """Left, top, width, height inside a frame of this size, y measured downwards."""
        w, h = self.width.of(frame_w), self.height.of(frame_h)
        ax, ay = ANCHOR_POINTS[self.anchor]
        return self.x.of(frame_w) - ax * w, self.y.of(frame_h) - ay * h, w, h


@dataclass(frozen=True, kw_only=True)
class Stroked:
    fill: Paintable = None
    stroke: Paintable = None
    stroke_width: float = 0.5
    dash: tuple = ()


@dataclass(frozen=True, kw_only=True)
class Rect(Stroked, BoxElement):
    kind: ClassVar[str] = "rect"
    radius: Dim = Dim()
    bleed: bool = False


@dataclass(frozen=True, kw_only=True)
class Ellipse(Stroked, BoxElement):
    kind: ClassVar[str] = "ellipse"


@dataclass(frozen=True, kw_only=True)
class Circle(Stroked, Element):
    kind: ClassVar[str] = "circle"
    x: Dim
    y: Dim
    r: Dim
    anchor: str = "top-left"


@dataclass(frozen=True, kw_only=True)
class Line(Stroked, Element):
    kind: ClassVar[str] = "line"
    x1: Dim
    y1: Dim
    x2: Dim
    y2: Dim


@dataclass(frozen=True, kw_only=True)
class Path(Stroked, Element):
    kind: ClassVar[str] = "path"
    points: tuple
    smooth: bool = False
    closed: bool = False


@dataclass(frozen=True, kw_only=True)
class Text(BoxElement):
    kind: ClassVar[str] = "text"
    content: str
    style: str = "body"
    color: Paintable = None
    align: str | None = None
    valign: str = "top"
    background: Paintable = None


@dataclass(frozen=True, kw_only=True)
class Image(BoxElement):
    kind: ClassVar[str] = "image"
    src: str
    fit: str = "contain"
    optional: bool = False


@dataclass(frozen=True, kw_only=True)
class Qr(BoxElement):
    kind: ClassVar[str] = "qr"
    content: str
    color: Paintable = None
    background: Paintable = None
    border: int = 2
    error: str = "m"


@dataclass(frozen=True, kw_only=True)
class Repeat(Element):
    kind: ClassVar[str] = "repeat"
    width: Dim
    height: Dim
    elements: tuple
    items: str | None = None
    count: int | None = None
    anchor: str = "top-left"
    at: tuple | None = None
    grid: dict | None = None
    ring: dict | None = None

    @property
    def children(self) -> tuple:
        return self.elements


ELEMENT_CLASSES = {cls.kind: cls for cls in (Rect, Ellipse, Circle, Line, Path, Text, Image, Qr, Repeat)}


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
    offset_y: float = 0.0  # points; positive moves the backs up (PDF space; the profile's y points down)
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
