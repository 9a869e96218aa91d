"""The file formats, declared once: layouts, decks and their elements.

`schema.py` turns these into validation (all problems at once) and JSON Schema.
"""

from __future__ import annotations

from dataclasses import replace

from kaartgen.schema import (Any_, Bool, Enum, Length, ListOf, Map, Num, OneOf, Overridable, Refused,
                             Schema, Str, Tagged)
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

ANCHORS = ("top-left", "top", "top-right", "left", "center", "right", "bottom-left", "bottom", "bottom-right")
MIGRATE = "`kaartgen migrate-layout FILE` converts a whole layout"

# Old spellings (layout language 1) and what to write now; a user's old file gets these messages.
MOVED_BOX = {"w": f"write 'width' ({MIGRATE})", "h": f"write 'height' ({MIGRATE})"}
MOVED_CIRCLE = {"cx": f"x and y are the top-left of the circle's box now; keep the centre with "
                      f"x, y and 'anchor: center' ({MIGRATE})",
                "cy": f"x and y are the top-left of the circle's box now; keep the centre with "
                      f"x, y and 'anchor: center' ({MIGRATE})"}
MOVED_FACE = Refused(f"a face is a mapping from element name to element now, not a list ({MIGRATE})")

anchor = Enum(ANCHORS, default="top-left", description="which point of the box x and y place")
box = {
    "x": Length(description="left edge (or the anchor point), from the left of the frame (trim or item box)"),
    "y": Length(description="top edge (or the anchor point), from the top of the frame"),
    "width": Length(positive=True, description="width; % of the frame's width"),
    "height": Length(positive=True, description="height; % of the frame's height"),
    "anchor": anchor,
}
common = {
    "type": Str(), "when": when, "name": Str(description="a label for messages"),
    "extends": Str(description="an element of this face or of `elements:` whose keys this one starts from"),
    "dx": Length(default="0mm", description="moves the element right (a child layout's nudge)"),
    "dy": Length(default="0mm", description="moves the element down"),
    "rotation": Num(default=0, description="degrees clockwise, around the centre of the element's box"),
    "opacity": Num(minimum=0, maximum=1, default=1, description="0 = invisible, 1 = opaque"),
}
dash = ListOf(Length(percent=False), min_items=1, max_items=4, description="dash and gap lengths")
stroke = {"stroke": color_value, "stroke_width": Length(percent=False, default="0.5pt"), "dash": dash}
fill = {"fill": color_value}

rect = Map({**common, **box, **fill, **stroke,
            "radius": Length(default="0mm", description="corner radius; % of the shorter side"),
            "bleed": Bool(default=False, description="extend edges that touch the trim out to the bleed edge")},
           required=("x", "y", "width", "height"), moved=MOVED_BOX)
ellipse = Map({**common, **box, **fill, **stroke}, required=("x", "y", "width", "height"), moved=MOVED_BOX)
circle = Map({**common, "x": box["x"], "y": box["y"], "anchor": anchor,
              "r": Length(positive=True, description="radius; % of the frame's shorter side"), **fill, **stroke},
             required=("x", "y", "r"), moved=MOVED_CIRCLE)
line = Map({**common, "x1": Length(), "y1": Length(), "x2": Length(), "y2": Length(), **stroke},
           required=("x1", "y1", "x2", "y2"))
path = Map({**common, "points": ListOf(ListOf(Length(), min_items=2, max_items=2), min_items=2,
                                       description="[x, y] of each point, from the top-left of the frame"),
            **stroke, **fill, "smooth": Bool(default=False, description="a smooth curve through the points"),
            "closed": Bool(default=False, description="join the last point to the first")},
           required=("points",))
text = Map({**common, **box, "content": Str(allow_empty=True, description="text with {field} templates; "
                                            "**bold**, *italic*, lines starting with '- ' are bullets"),
            "style": Str(default="body", description="a style from the layout's styles"),
            "color": color_value, "align": Enum(("left", "center", "right", "justify")),
            "valign": Enum(("top", "middle", "bottom"), default="top"),
            "background": color_value},
           required=("x", "y", "width", "height", "content"), moved=MOVED_BOX)
image = Map({**common, **box, "src": Str(description="path of a PNG, JPEG or SVG file inside the project"),
             "fit": Enum(("contain", "cover", "stretch"), default="contain"), "optional": Bool(
                 default=False, description="skip quietly when src is an empty template")},
            required=("x", "y", "width", "height", "src"), moved=MOVED_BOX)
qr = Map({**common, **box,
          "content": Str(default="{set.url}", description="what the code says; empty: nothing is drawn"),
          "color": replace(color_value, default="black"), "background": replace(color_value, default="white"),
          "border": Num(integer=True, minimum=0, maximum=8, default=2, description="quiet zone in modules"),
          "error": Enum(("l", "m", "q", "h"), default="m", description="error correction level")},
         required=("x", "y", "width", "height"), moved=MOVED_BOX)

ELEMENT_TYPES = ("rect", "ellipse", "circle", "line", "path", "text", "image", "qr", "repeat")


def element_schema(depth: int = 0) -> Tagged:
    variants = {"rect": rect, "ellipse": ellipse, "circle": circle, "line": line, "path": path,
                "text": text, "image": image, "qr": qr}
    if depth < 2:
        point = ListOf(Length(), min_items=2, max_items=2)
        variants["repeat"] = Map({
            **common, "items": Str(description="the card field (a list) to repeat over"),
            "count": Num(integer=True, minimum=1, maximum=200, description="repeat this often (without items)"),
            "width": Length(positive=True), "height": Length(positive=True), "anchor": anchor,
            "at": ListOf(point, min_items=1, description="position of each item (its anchor point), in order"),
            "grid": Map({"x": Length(), "y": Length(), "columns": Num(integer=True, minimum=1),
                         "dx": Length(), "dy": Length()}, required=("x", "y", "columns", "dx", "dy"),
                        description="first item at x, y; then dx to the right and dy down"),
            "ring": Map({**{k: box[k] for k in ("x", "y", "width", "height")},
                         "start": Num(default=-90, description="angle of the first item in degrees, "
                                                               "0 = right, -90 = top")},
                        required=("x", "y", "width", "height"),
                        description="items (their anchor points) on the ellipse inside this box, clockwise"),
            "elements": Map({}, extra=named_element(depth + 1)),
        }, required=("width", "height", "elements"),
            moved={**MOVED_BOX, "circle": f"write 'ring' with the box around the circle ({MIGRATE})"})
    return Tagged("type", variants, description="one drawn element")


def _loose(tagged: Tagged) -> tuple[Tagged, Map]:
    """Per file, an element may lean on its base for required keys; a change needs no type."""
    def relax(schema: Map) -> Map:
        fields = {k: relax(v) if isinstance(v, Map) and v.fields else v for k, v in schema.fields.items()}
        return replace(schema, fields=fields, required=())
    relaxed = {tag: relax(schema) for tag, schema in tagged.variants.items()}
    union = {key: value for schema in relaxed.values() for key, value in schema.fields.items() if key != "type"}
    moved = {key: value for schema in relaxed.values() for key, value in (schema.moved or {}).items()}
    return Tagged("type", relaxed, description=tagged.description), Map(union, moved=moved)


def named_element(depth: int = 0) -> Schema:
    tagged, changes = _loose(element_schema(depth))
    return OneOf([(dict, Overridable(tagged, changes)), (type(None), Any_(description="removes the element"))],
                 description="an element, a change to the base layout's element of this name, or null")


ELEMENT = element_schema()
FACE = OneOf([(dict, Map({}, extra=named_element())), (list, MOVED_FACE)],
             description="element name: element, drawn in this order")

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
    "size": Length(percent=False, positive=True, default="9pt"),
    "min_size": Length(percent=False, positive=True, description="smallest size when text must shrink "
                                                                 "(default: size, never shrink)"),
    "leading": Num(minimum=0.8, maximum=3, default=1.25, description="line height as a multiple of the size"),
    "bold": Bool(default=False), "italic": Bool(default=False), "color": replace(color_value, default="black"),
    "align": Enum(("left", "center", "right", "justify"), default="left"),
    "space_after": Length(percent=False, default="2pt", description="space below each paragraph"),
    "hyphenate": Bool(default=True),
    "bullet": Str(default="•", description="bullet character"),
}, moved={"weight": f"write 'bold: true' (or leave it out for regular) ({MIGRATE})"})

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
                  "stroke_width": Length(percent=False, positive=True)},
                 description="crop marks",
                 moved={"width": f"write 'stroke_width' ({MIGRATE})",
                        "style": f"write 'cut_marks' under sheet: (sheet: {{cut_marks: lines}}) ({MIGRATE})"}),
    "sheet": Map({"paper": Enum(tuple(PAPER)), "orientation": Enum(("portrait", "landscape", "auto")),
                  "margin": Length(percent=False),
                  "gap": Length(percent=False, description="gutter between cards, filled with their bleed "
                                "(at most this; less where the sheet has no room; default 6mm)"),
                  "mode": Enum(("n-up", "plain")),
                  "cut_marks": Enum(("marks", "lines"), description="short marks in the margin, or cut lines "
                                                                   "across the whole sheet")},
                 description="the office PDF", moved={"size": f"write 'paper' (sheet: {{paper: A4}}) ({MIGRATE})"}),
    "elements": Map({}, extra=named_element(), description="named elements that others `extends:`"),
    "faces": Map({}, extra=FACE, description="faces shared by templates (e.g. the deck back)"),
    "table": Map({}, extra=Length(percent=False), description="named sizes of parts that are laid out "
                                                              "row by row: the checklist table and the tally "
                                                              "summary (see layouts/checklist.yaml)"),
    "templates": Map({}, extra=Map({
        "fields": Map({}, extra=FIELD),
        "front": OneOf([(str, Str(description="name of a face in faces")), (dict, FACE), (list, MOVED_FACE)]),
        "back": OneOf([(str, Str(description="name of a face in faces")), (dict, FACE), (list, MOVED_FACE)]),
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

CARD_SOURCE = Map({"from": Str(description="a .xlsx or .csv file beside the deck: one row per card, one "
                                             "column per field (lists: questions.1, questions.2, …)"),
                    "sheet": Str(description="the sheet of an .xlsx file (default: the first)")},
                   required=("from",), description="cards from a spreadsheet")

DECK = Map({
    "deck": Map(DECK_META, required=("title", "layout")),
    "cards": OneOf([(list, CARD_LIST), (dict, CARD_SOURCE)]),
    "variants": Map({}, extra=PATCH, description="named variants, each its own output"),
}, required=("deck", "cards"), description="a kaartgen deck")

SET = Map({
    "set": Map({
        "name": Str(description="the partnership's full name"),
        "short_name": Str(max_length=40),
        "sector": Enum(("po", "vo", "mbo"), description="picks the dialoogkaart variant and sector cards"),
        "logo": Str(description="PNG, JPEG or SVG inside the project (SVG stays vector)"),
        "contact": Str(max_length=120, description="contact line for card backs"),
        "url": Str(pattern=r"^https?://[^\s/$.?#][^\s]*$", pattern_hint="a web address starting with https://",
                   max_length=300, description="the partnership's web page; QR codes on backs and posters"),
        "colors": Map({"primary": color_value, "secondary": color_value,
                       "steps": Map({}, extra=color_value, description="step number: colour")}),
    }, required=("name", "short_name", "sector")),
    "decks": ListOf(Str(), min_items=1, description="decks to include (default: all)"),
    "overrides": Map({}, extra=PATCH, description="deck name: replace / add / remove cards"),
}, required=("set",), description="a partnership set")

PRINTER = Map({
    "description": Str(),
    "duplex": Enum(("long-edge", "short-edge"), description="how the printer turns the sheet"),
    "back_offset": Map({"x": Length(percent=False), "y": Length(percent=False)},
                       description="shift of every back page: x to the right, y downwards (as in layouts) "
                                     "(read it off the 'kaartgen calibrate' page)"),
    "cut_marks": Enum(("marks", "lines"), description="override the layout's sheet.cut_marks"),
}, description="an office printer profile",
    moved={"duplex_offset": "write 'back_offset' with y pointing down as in layouts (change the sign of y)"})
