"""The file formats, declared once: layouts, decks and their elements.

`schema.py` turns these into validation (all problems at once) and JSON Schema.
"""

from __future__ import annotations

from kaartgen.schema import (Any_, Bool, Enum, Length, ListOf, Map, Num, OneOf, Schema, Str,
                             Tagged)
from kaartgen.units import PAPER

COLOR_HINT = "a colour name from the layout's colors, '#rrggbb', or a {field} template"
HEX_PATTERN = r"^#[0-9a-fA-F]{6}$"

color_value = OneOf([
    (str, Str(description=COLOR_HINT)),
    (dict, Map({"cmyk": ListOf(Num(minimum=0, maximum=100), min_items=4, max_items=4,
                               description="C, M, Y, K in percent")}, required=("cmyk",))),
], description="a colour: '#rrggbb' or {cmyk: [c, m, y, k]} in percent")

when = Map({}, extra=OneOf([(list, ListOf(Any_())), ((str, int, float, bool), Any_())]),
           description="draw only when each named field has this value (or one of these values)")

box = {
    "x": Length(description="left edge, from the left of the frame (trim or item box)"),
    "y": Length(description="top edge, from the top of the frame"),
    "w": Length(positive=True, description="width"),
    "h": Length(positive=True, description="height"),
}
common = {"type": Str(), "when": when, "name": Str(description="a label for messages")}

rect = Map({**common, **box, "fill": color_value, "stroke": color_value,
            "stroke_width": Length(percent=False), "radius": Length(),
            "bleed": Bool(description="extend edges that touch the trim out to the bleed edge")},
           required=("x", "y", "w", "h"))
circle = Map({**common, "cx": Length(), "cy": Length(), "r": Length(positive=True),
              "fill": color_value, "stroke": color_value, "stroke_width": Length(percent=False)},
             required=("cx", "cy", "r"))
line = Map({**common, "x1": Length(), "y1": Length(), "x2": Length(), "y2": Length(),
            "stroke": color_value, "stroke_width": Length(percent=False),
            "dash": ListOf(Length(percent=False), min_items=1, max_items=4)},
           required=("x1", "y1", "x2", "y2"))
path = Map({**common, "points": ListOf(ListOf(Length(), min_items=2, max_items=2), min_items=2),
            "stroke": color_value, "stroke_width": Length(percent=False), "smooth": Bool(),
            "dash": ListOf(Length(percent=False), min_items=1, max_items=4)},
           required=("points",))
text = Map({**common, **box, "content": Str(allow_empty=True, description="text with {field} templates; "
                                            "**bold**, *italic*, lines starting with '- ' are bullets"),
            "style": Str(description="a style from the layout's styles"),
            "color": color_value, "align": Enum(("left", "center", "right", "justify")),
            "valign": Enum(("top", "middle", "bottom")),
            "background": color_value},
           required=("x", "y", "w", "h", "content"))
image = Map({**common, **box, "src": Str(description="path of a PNG, JPEG or SVG file inside the project"),
             "fit": Enum(("contain", "cover", "stretch")), "optional": Bool(
                 description="skip quietly when src is an empty template")},
            required=("x", "y", "w", "h", "src"))

ELEMENT_TYPES = ("rect", "circle", "line", "path", "text", "image", "repeat")


def element_schema(depth: int = 0) -> Schema:
    variants = {"rect": rect, "circle": circle, "line": line, "path": path, "text": text, "image": image}
    if depth < 2:
        variants["repeat"] = Map({
            **common, "items": Str(description="the card field (a list) to repeat over"),
            "w": Length(positive=True), "h": Length(positive=True),
            "at": ListOf(ListOf(Length(), min_items=2, max_items=2), min_items=1,
                         description="centre of each item, in order"),
            "grid": Map({"x": Length(), "y": Length(), "columns": Num(integer=True, minimum=1),
                         "dx": Length(), "dy": Length()}, required=("x", "y", "columns", "dx", "dy")),
            "circle": Map({"cx": Length(), "cy": Length(), "r": Length(positive=True),
                           "ry": Length(positive=True, description="vertical radius: items on an ellipse "
                                                                   "(default: r, a circle)"),
                           "start": Num(description="angle of the first item in degrees, 0 = right, "
                                                    "-90 = top")}, required=("cx", "cy", "r")),
            "elements": ListOf(element_schema(depth + 1), min_items=1),
        }, required=("items", "w", "h", "elements"))
    return Tagged("type", variants, description="one drawn element")


ELEMENT = element_schema()
ELEMENTS = ListOf(ELEMENT)

FIELD = Map({
    "type": Enum(("text", "list", "int", "choice", "items")),
    "required": Bool(),
    "choices": ListOf(Any_(), min_items=1),
    "min": Num(), "max": Num(),
    "min_items": Num(integer=True, minimum=0),
    "max_items": Num(integer=True, minimum=0),
    "max_length": Num(integer=True, minimum=1),
    "fields": Map({}, extra=Any_(), description="fields of each item (type items)"),
}, required=("type",), description="a card field the template uses")

STYLE = Map({
    "size": Length(percent=False, positive=True), "min_size": Length(percent=False, positive=True),
    "leading": Num(minimum=0.8, maximum=3, description="line height as a multiple of the size"),
    "weight": Enum(("regular", "bold")), "italic": Bool(), "color": color_value,
    "align": Enum(("left", "center", "right", "justify")),
    "space_after": Length(percent=False), "hyphenate": Bool(),
    "bullet": Str(description="bullet character"),
})

FONT_FILES = Map({"regular": Str(), "bold": Str(), "italic": Str(), "bold_italic": Str()},
                 required=("regular", "bold", "italic", "bold_italic"))

LAYOUT = Map({
    "extends": Str(description="name of the layout this one builds on"),
    "description": Str(),
    "size": Map({"width": Length(percent=False, positive=True), "height": Length(percent=False, positive=True)},
                required=("width", "height"), description="trim size"),
    "bleed": Length(percent=False),
    "safe": Length(percent=False, description="text stays at least this far inside the trim"),
    "fonts": Map({"family": Enum(("source-sans-pro",)), "files": FONT_FILES},
                 description="built-in family or your own TTF files"),
    "colors": Map({}, extra=color_value),
    "styles": Map({}, extra=STYLE),
    "marks": Map({"length": Length(percent=False, positive=True), "offset": Length(percent=False,
                                                                                  description="distance from the trim"),
                  "width": Length(percent=False, positive=True),
                  "style": Enum(("marks", "lines"), description="office sheets: short marks in the margin, "
                                                                "or cut lines across the whole sheet")},
                 description="crop marks"),
    "sheet": Map({"size": Enum(tuple(PAPER)), "orientation": Enum(("portrait", "landscape", "auto")),
                  "margin": Length(percent=False),
                  "gap": Length(percent=False, description="gutter between cards, filled with their bleed "
                                "(at most this; less where the sheet has no room; default 6mm)"),
                  "mode": Enum(("n-up", "plain"))}, description="the office PDF"),
    "faces": Map({}, extra=ELEMENTS, description="faces shared by templates (e.g. the deck back)"),
    "table": Map({}, extra=Length(percent=False), description="named sizes of parts that are laid out "
                                                              "row by row: the checklist table and the tally "
                                                              "summary (see layouts/checklist.yaml)"),
    "templates": Map({}, extra=Map({
        "fields": Map({}, extra=FIELD),
        "front": ELEMENTS,
        "back": OneOf([(str, Str(description="name of a face in faces")), (list, ELEMENTS)]),
    }, required=("front",))),
}, description="a kaartgen layout")

DECK_META = {
    "title": Str(), "subtitle": Str(), "subject": Str(), "author": Str(), "keywords": Str(),
    "layout": Str(description="name of a layout in layouts/"),
    "source": Str(description="where the texts come from"),
}

CARD_LIST = ListOf(Map({}, extra=Any_()), description="cards; an entry with 'with' and 'cards' "
                                                      "gives fields to a group of cards")

PATCH = Map({
    "deck": Map({k: v for k, v in DECK_META.items() if k != "layout"}),
    "replace": Map({}, extra=Map({}, extra=Any_()), description="card id: fields to replace"),
    "add": CARD_LIST,
    "remove": ListOf(Str(), description="card ids to leave out"),
})

DECK = Map({
    "deck": Map(DECK_META, required=("title", "layout")),
    "cards": CARD_LIST,
    "variants": Map({}, extra=PATCH, description="named variants, each its own output"),
}, required=("deck", "cards"), description="a kaartgen deck")

SET = Map({
    "set": Map({
        "name": Str(description="the partnership's full name"),
        "short_name": Str(max_length=40),
        "sector": Enum(("po", "vo", "mbo"), description="picks the dialoogkaart variant and sector cards"),
        "logo": Str(description="PNG, JPEG or SVG inside the project (SVG stays vector)"),
        "contact": Str(max_length=120, description="contact line for card backs"),
        "colors": Map({"primary": color_value, "secondary": color_value,
                       "steps": Map({}, extra=color_value, description="step number: colour")}),
    }, required=("name", "short_name", "sector")),
    "decks": ListOf(Str(), min_items=1, description="decks to include (default: all)"),
    "overrides": Map({}, extra=PATCH, description="deck name: replace / add / remove cards"),
}, required=("set",), description="a partnership set")

PRINTER = Map({
    "description": Str(),
    "duplex": Enum(("long-edge", "short-edge"), description="how the printer turns the sheet"),
    "duplex_offset": Map({"x": Length(percent=False), "y": Length(percent=False)},
                         description="shift of every back page: x to the right, y upwards "
                                     "(read it off the 'kaartgen calibrate' page)"),
    "cut_marks": Enum(("marks", "lines"), description="override the layout's marks.style"),
}, description="an office printer profile")
