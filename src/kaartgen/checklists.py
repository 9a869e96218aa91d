"""Checklists: load and validate a checklist file, render its fillable and its print PDF.

A checklist file (cards/checklist-*.yaml) has `checklist:` (id, title, intro, form_version,
levels) and `categories:` with items. Each item becomes one row of a table: the item text
left, one column per level. The fillable PDF has a radio group per item named
`<category id>.<n>` whose export values are the level values; the print PDF draws empty
circles instead. Page header and footer come from the layout's templates, drawn by the same
code as card faces; the table between them uses the layout's colours and styles.
"""

from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.colors import Color as RLColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from kaartgen import messages as msg
from kaartgen import text as textmod
from kaartgen.build import Result
from kaartgen.errors import KaartgenError, Problem
from kaartgen.fonts import FontFamily, register_family
from kaartgen.colors import resolve_color
from kaartgen.layouts import load_layout
from kaartgen.model import Color, Layout
from kaartgen.output import output_folder, write_atomically
from kaartgen.pdfform import FormWriter
from kaartgen.project import is_deck
from kaartgen.render import Context, Frame, Paint, draw, plan_face
from kaartgen.schema import ListOf, Map, Num, Str, suggest, validate
from kaartgen.units import MM
from kaartgen.yamlio import Doc, load_file

DEFAULT_LAYOUT = "checklist"
PERSON_FIELDS = (("naam", "Naam"), ("school", "School / opleiding"), ("rol", "Rol"), ("datum", "Datum"))
PERSON_TOOLTIPS = {"naam": "Naam", "school": "School of opleiding",
                   "rol": "Rol (bijvoorbeeld leraar, schoolleider, opleider, student)", "datum": "Datum"}
RESERVED = {name for name, _ in PERSON_FIELDS} | {"kaartgen_form"}

NAME = r"^[a-z][a-z0-9_]*$"  # no dots: a dot separates parent and kid in PDF field names
CHECKLIST = Map({
    "checklist": Map({
        "id": Str(pattern=r"^[a-z0-9][a-z0-9_-]*$", pattern_hint=msg.ID_CHARACTERS(),
                  description="form id stored in the PDF; tally recognises copies by it"),
        "title": Str(), "intro": Str(), "source": Str(), "author": Str(),
        "form_version": Num(integer=True, minimum=1, description="raise when items change, so old "
                                                                   "copies are not mixed with new ones"),
        "layout": Str(description=f"layout in layouts/ (default {DEFAULT_LAYOUT})"),
        "levels": ListOf(Map({
            "value": Str(pattern=NAME, pattern_hint=msg.LEVEL_CHARACTERS()),
            "label": Str(description="column heading")}, required=("value", "label")),
            min_items=2, max_items=5, description="answer options, lowest first; scored 1, 2, 3 …"),
    }, required=("id", "title", "form_version", "levels")),
    "categories": ListOf(Map({
        "id": Str(pattern=NAME, pattern_hint=msg.CATEGORY_CHARACTERS()),
        "title": Str(),
        "items": ListOf(Str(max_length=300), min_items=1, max_items=30),
    }, required=("id", "title", "items")), min_items=1),
}, required=("checklist", "categories"), description="a kaartgen checklist")


@dataclass(frozen=True)
class Level:
    value: str
    label: str


@dataclass(frozen=True)
class Item:
    field: str  # the radio group's full name, e.g. ondersteunende_cultuur.3
    number: int
    text: str
    path: tuple  # key path in the YAML, for messages


@dataclass(frozen=True)
class Category:
    id: str
    title: str
    items: tuple[Item, ...]

    @property
    def comment_field(self) -> str:
        return f"{self.id}.opmerking"


@dataclass(eq=False)
class Checklist:
    name: str  # file stem: names the output folder
    doc: Doc
    id: str
    title: str
    intro: str
    version: int
    levels: tuple[Level, ...]
    categories: tuple[Category, ...]
    meta: dict = field(default_factory=dict)

    @property
    def items(self) -> list[Item]:
        return [item for category in self.categories for item in category.items]

    def score(self, value: str) -> int:
        """1 for the lowest level, 2 for the next, …"""
        return [level.value for level in self.levels].index(value) + 1


# --- loading -----------------------------------------------------------------------------

def checklist_files(cards_dir: Path) -> list[Path]:
    return sorted(p for p in cards_dir.glob("*.yaml") if not is_deck(p))


def load_checklist(path: Path) -> Checklist:
    doc = load_file(path)
    if doc.data is None:
        raise KaartgenError(Problem(doc.file, None, None, "", msg.EMPTY_CHECKLIST_FILE()))
    problems = validate(doc, CHECKLIST)
    if problems:
        raise KaartgenError(problems)
    problems = _check_names(doc)
    if problems:
        raise KaartgenError(problems)
    head = doc.data["checklist"]
    categories = tuple(
        Category(id=cat["id"], title=str(cat["title"]),
                 items=tuple(Item(f"{cat['id']}.{n}", n, str(text), ("categories", i, "items", n - 1))
                             for n, text in enumerate(cat["items"], start=1)))
        for i, cat in enumerate(doc.data["categories"]))
    meta = {k: str(head[k]) for k in ("source", "author", "layout") if k in head}
    return Checklist(name=path.stem, doc=doc, id=str(head["id"]), title=str(head["title"]),
                     intro=str(head.get("intro", "")), version=int(head["form_version"]),
                     levels=tuple(Level(str(lv["value"]), str(lv["label"])) for lv in head["levels"]),
                     categories=categories, meta=meta)


def _check_names(doc: Doc) -> list[Problem]:
    """Level values and category ids become PDF names: they must be unique and not clash."""
    problems = []
    seen: dict[str, int] = {}
    for i, level in enumerate(doc.data["checklist"]["levels"]):
        if level["value"] in seen:
            first = seen[level["value"]] + 1
            problems.append(doc.problem(("checklist", "levels", i, "value"),
                                        msg.LEVEL_TWICE(value=level["value"], first=first)))
        seen.setdefault(level["value"], i)
    ids: set[str] = set()
    for i, category in enumerate(doc.data["categories"]):
        if category["id"] in ids:
            problems.append(doc.problem(("categories", i, "id"), msg.DUPLICATE_CATEGORY(id=category["id"])))
        elif category["id"] in RESERVED:
            problems.append(doc.problem(("categories", i, "id"), msg.RESERVED_CATEGORY(id=category["id"])))
        ids.add(category["id"])
    return problems


# --- pages: layout templates above and below, a table between -----------------------------

@dataclass
class Sheet:
    """The layout and font of a checklist, with helpers shared by the form and the summary."""

    layout: Layout
    family: FontFamily
    project: Path
    name: str

    @classmethod
    def open(cls, layout_name: str, project: Path, name: str, referrer: Problem | None = None) -> "Sheet":
        layout = load_layout(layout_name, project / "layouts", referrer)
        return cls(layout, register_family(layout.font_files), project, name)

    @property
    def left(self) -> float:
        return self.layout.sheet.margin

    @property
    def width(self) -> float:
        return self.layout.width - 2 * self.layout.sheet.margin

    def color(self, name: str) -> Color:
        color = resolve_color(name, self.layout.colors)
        if color is None:
            raise KaartgenError(Problem(self.layout.file, None, None, "colors", msg.LAYOUT_NEEDS_COLOUR(
                name=name, hint=suggest(name, list(self.layout.colors)), choices=list(self.layout.colors))))
        return color

    def rl_color(self, name: str) -> RLColor:
        return RLColor(*self.color(name).as_rgb())

    def style(self, name: str):
        if name not in self.layout.styles:
            raise KaartgenError(Problem(self.layout.file, None, None, "styles", msg.LAYOUT_NEEDS_STYLE(
                name=name, hint=suggest(name, list(self.layout.styles)), choices=list(self.layout.styles))))
        return self.layout.styles[name]

    def template(self, name: str):
        if name not in self.layout.templates:
            raise KaartgenError(Problem(self.layout.file, None, None, "templates", msg.LAYOUT_NEEDS_TEMPLATE(
                name=name, choices=list(self.layout.templates))))
        return self.layout.templates[name]

    def canvas(self, path: Path, title: str, subject: str, author: str) -> Canvas:
        canvas = Canvas(str(path), pagesize=(self.layout.width, self.layout.height), invariant=1,
                        pageCompression=1, lang="nl-NL", initialFontName=self.family.name(False, False),
                        initialFontSize=9)
        canvas.setTitle(title)
        canvas.setSubject(subject)
        canvas.setAuthor(author)
        canvas.setKeywords("Samen Opleiden & Professionaliseren, checklist")
        canvas.setCreator("kaartgen")
        return canvas

    def area(self, template: str) -> tuple[float, float]:
        """PDF y of the top and bottom of the free area between a template's header and footer."""
        frame = Frame(0, self.layout.height, self.layout.width, self.layout.height)
        margin, middle = self.layout.sheet.margin, self.layout.height / 2
        top, bottom = self.layout.height - margin, margin
        for element in self.template(template).front:
            if not {"x", "y", "w", "h"} <= element.props.keys():
                continue
            _, y, _, h = frame.box(element.props)
            if y + h > middle:
                top = min(top, y - 4 * MM)
            else:
                bottom = max(bottom, y + h + 3 * MM)
        return top, bottom

    def draw_template(self, canvas: Canvas, template: str, values: dict) -> None:
        ctx = Context(layout=self.layout, family=self.family, values=values, project=self.project,
                      deck=self.name, card_id=template, card_where=self.layout.file, paint=Paint())
        frame = Frame(0, self.layout.height, self.layout.width, self.layout.height)
        draw(canvas, plan_face(self.template(template).front, ctx, frame))

    def para(self, text: str, style: str, width: float, color: str | None = None,
             align: str | None = None, user_text: bool = False) -> textmod.Fitted:
        """Text wrapped to `width` at the style's size: light markup (**bold**), no {templates}.
        `user_text` (what people typed into a form) gets no markup, and characters the face
        lacks are spelled out (ĳ → ij) or become '?', never an empty gap."""
        st = self.style(style)
        rgb = Paint().text_color(self.color(color or st.color))
        para_style = textmod.paragraph_style(self.family, st, st.size, rgb, align or st.align, False)
        # No shrink-to-fit here: rows grow with their text. (text.fit would also reject lines that
        # reportlab lets run 5 % of a space wide, see rl_config.spaceShrinkage.)
        paragraphs = []
        for line in text.splitlines():
            if line.strip():
                if user_text:
                    xml = self._drawable(line, style).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                else:
                    xml = textmod.markup(line)
                para = Paragraph(xml, para_style)
                paragraphs.append((para, para.wrap(width, 1e6)[1], st.space_after))
        height = sum(h + space for _, h, space in paragraphs) - (st.space_after if paragraphs else 0)
        return textmod.Fitted(paragraphs, height, st.size)

    def missing_glyphs(self, text: str, style: str) -> list[str]:
        """Characters the style's own face lacks. (The italic Source Sans Pro has no 'ĳ', which
        FontFamily.missing_glyphs, looking at the regular face only, does not see.)"""
        st = self.style(style)
        cmap = pdfmetrics.getFont(self.family.name(st.bold, st.italic)).face.charToGlyph
        return sorted({ch for ch in text if ord(ch) >= 32 and ord(ch) not in cmap and ch != "\u00ad"})

    def _drawable(self, text: str, style: str) -> str:
        """User text with what the face lacks spelled out (ĳ → ij) or else replaced by '?'."""
        missing = set(self.missing_glyphs(text, style))
        if not missing:
            return text
        out = []
        for ch in text:
            plain = unicodedata.normalize("NFKC", ch) if ch in missing else ch
            out.append(plain if plain == ch or not self.missing_glyphs(plain, style) else "?")
        return "".join(out)

    def text_width(self, text: str, style: str) -> float:
        st = self.style(style)
        return stringWidth(text, self.family.name(st.bold, st.italic), st.size)

    @staticmethod
    def draw_para(canvas: Canvas, fitted: textmod.Fitted, x: float, top: float) -> None:
        cursor = top
        for para, height, space in fitted.paragraphs:
            cursor -= height
            para.drawOn(canvas, x, cursor)
            cursor -= space

    def fill(self, canvas: Canvas, color: str, x: float, y: float, w: float, h: float) -> None:
        canvas.setFillColorRGB(*self.color(color).as_rgb())
        canvas.rect(x, y, w, h, stroke=0, fill=1)

    def rule(self, canvas: Canvas, color: str, x1: float, y1: float, x2: float, y2: float,
             width: float = 0.5) -> None:
        canvas.setStrokeColorRGB(*self.color(color).as_rgb())
        canvas.setLineWidth(width)
        canvas.line(x1, y1, x2, y2)


# --- the checklist table ------------------------------------------------------------------

LEVEL_W = 22 * MM      # one answer column
NUMBER_W = 7 * MM      # the item number before its text
PAD = 2.2 * MM         # space above and below an item's text
MIN_ROW = 8.5 * MM
HEAD_ROW = 11 * MM     # column headings: the level labels
CATEGORY_ROW = 7.5 * MM
COMMENT_ROW = 21 * MM
PERSON_ROW = 8 * MM
RADIO = 12.0           # pt; diameter of a radio button or printed circle


@dataclass
class Row:
    kind: str  # head | category | item | comment
    height: float
    category: Category | None = None
    item: Item | None = None
    text: textmod.Fitted | None = None


def build_checklist(path: Path, project, out: Path) -> Result:
    """Write output/<name>/<name>-invulbaar.pdf and <name>-print.pdf; old files stay on failure."""
    started = time.perf_counter()
    checklist = load_checklist(path)
    sheet = Sheet.open(checklist.meta.get("layout", DEFAULT_LAYOUT), project.root, checklist.name,
                       checklist.doc.problem(("checklist", "layout"), "") if "layout" in checklist.meta else None)
    _check_glyphs(checklist, sheet)
    folder = output_folder(out, checklist.name)
    targets = [folder / f"{checklist.name}-invulbaar.pdf", folder / f"{checklist.name}-print.pdf"]
    pages = 0

    def write(temps):
        nonlocal pages
        pages = sum(render(checklist, sheet, temp, fillable) for temp, fillable in zip(temps, (True, False)))

    write_atomically(targets, write)
    return Result(checklist.name, targets, pages, time.perf_counter() - started, [])


def _check_glyphs(checklist: Checklist, sheet: Sheet) -> None:
    texts = [(("checklist", "title"), checklist.title, "sheet_title"),
             (("checklist", "intro"), checklist.intro, "intro")]
    texts += [(("checklist", "levels", i, "label"), lv.label, "level_head") for i, lv in enumerate(checklist.levels)]
    texts += [(("categories", i, "title"), c.title, "category") for i, c in enumerate(checklist.categories)]
    texts += [(item.path, item.text, "item") for item in checklist.items]
    problems = []
    for path, text, style in texts:
        missing = sheet.missing_glyphs(text, style)
        if missing:
            chars = [f"'{c}' (U+{ord(c):04X})" for c in missing]
            problems.append(checklist.doc.problem(path, msg.STYLE_NO_GLYPH(style=style, chars=chars)))
    if problems:
        raise KaartgenError(problems)


def render(checklist: Checklist, sheet: Sheet, path: Path, fillable: bool) -> int:
    """Draw the whole sheet; returns the number of pages."""
    item_w = sheet.width - len(checklist.levels) * LEVEL_W
    rows = [row for category in checklist.categories for row in _category_rows(category, sheet, item_w)]
    first_top, bottom = sheet.area("first_page")
    next_top, next_bottom = sheet.area("next_page")
    head = Row("head", HEAD_ROW)
    pages = paginate(rows, first_top - bottom - 2 * PERSON_ROW - 4 * MM - head.height,
                     next_top - next_bottom - head.height)
    title = f"{checklist.title} – {'invulformulier' if fillable else 'om te printen'}"
    canvas = sheet.canvas(path, title, checklist.intro or checklist.title, checklist.meta.get("author", "kaartgen"))
    form = FormWriter(canvas) if fillable else None
    if form:
        form.mark(checklist.id, checklist.version)
    values = {"title": checklist.title, "intro": checklist.intro, "mode": "invulbaar" if fillable else "print",
              "form": checklist.id, "version": checklist.version, "pages": len(pages)}
    for number, page_rows in enumerate(pages, start=1):
        template = "first_page" if number == 1 else "next_page"
        sheet.draw_template(canvas, template, {**values, "page": number})
        y, _ = sheet.area(template)
        if number == 1:
            y = _draw_person_fields(canvas, sheet, form, y)
        for row in [head] + page_rows:
            _draw_row(canvas, sheet, checklist, form, row, y, item_w)
            y -= row.height
        canvas.showPage()
    canvas.save()
    return len(pages)


def _category_rows(category: Category, sheet: Sheet, item_w: float) -> list[Row]:
    rows = [Row("category", CATEGORY_ROW, category=category)]
    for item in category.items:
        fitted = sheet.para(item.text, "item", item_w - NUMBER_W - 3 * MM)
        rows.append(Row("item", max(MIN_ROW, fitted.height + 2 * PAD), category=category, item=item, text=fitted))
    rows.append(Row("comment", COMMENT_ROW, category=category))
    return rows


def paginate(rows: list[Row], first_room: float, next_room: float) -> list[list[Row]]:
    """Rows per page; a category title never ends a page without its first item."""
    pages: list[list[Row]] = [[]]
    room = first_room
    for i, row in enumerate(rows):
        need = row.height + (rows[i + 1].height if row.kind == "category" and i + 1 < len(rows) else 0)
        if need > room and pages[-1]:
            pages.append([])
            room = next_room
        pages[-1].append(row)
        room -= row.height
    return pages


def _draw_person_fields(canvas: Canvas, sheet: Sheet, form: FormWriter | None, top: float) -> float:
    """Naam, school, rol, datum in two columns; returns the y below them."""
    col_w = (sheet.width - 6 * MM) / 2
    label_w = 30 * MM
    for i, (name, label) in enumerate(PERSON_FIELDS):
        x = sheet.left + (i % 2) * (col_w + 6 * MM)
        y = top - (i // 2 + 1) * PERSON_ROW
        sheet.draw_para(canvas, sheet.para(label, "label", label_w), x, y + PERSON_ROW - 2.6 * MM)
        box_x, box_w = x + label_w, col_w - label_w
        if form:
            form.textfield(name, PERSON_TOOLTIPS[name], box_x, y + 1 * MM, box_w, PERSON_ROW - 2 * MM,
                           **_field_style(sheet, 10))
        else:
            sheet.rule(canvas, "field_border", box_x, y + 1.5 * MM, box_x + box_w, y + 1.5 * MM, 0.6)
    return top - 2 * PERSON_ROW - 4 * MM


def _field_style(sheet: Sheet, size: float) -> dict:
    return dict(fill=sheet.rl_color("field_fill"), border=sheet.rl_color("field_border"),
                textColor=sheet.rl_color("ink"), border_width=0.6, fontSize=size)


def _draw_row(canvas, sheet: Sheet, checklist: Checklist, form, row: Row, top: float, item_w: float) -> None:
    x0, w = sheet.left, sheet.width
    bottom = top - row.height
    centres = [x0 + item_w + (i + 0.5) * LEVEL_W for i in range(len(checklist.levels))]
    if row.kind == "head":
        sheet.fill(canvas, "band", x0 + item_w, bottom, w - item_w, row.height)
        for level, cx in zip(checklist.levels, centres):
            fitted = sheet.para(level.label, "level_head", LEVEL_W - 2 * MM)
            sheet.draw_para(canvas, fitted, cx - LEVEL_W / 2 + 1 * MM, top - (row.height - fitted.height) / 2)
    elif row.kind == "category":
        sheet.fill(canvas, "category_fill", x0, bottom, w, row.height)
        fitted = sheet.para(row.category.title, "category", item_w)
        sheet.draw_para(canvas, fitted, x0 + 2 * MM, top - (row.height - fitted.height) / 2)
    elif row.kind == "item":
        if row.item.number % 2 == 0:
            sheet.fill(canvas, "stripe", x0, bottom, w, row.height)
        text_top = top - (row.height - row.text.height) / 2
        sheet.draw_para(canvas, sheet.para(str(row.item.number), "number", NUMBER_W), x0 + 2 * MM, text_top)
        sheet.draw_para(canvas, row.text, x0 + NUMBER_W + 2 * MM, text_top)
        cy = bottom + row.height / 2
        for level, cx in zip(checklist.levels, centres):
            _choice(canvas, sheet, form, row.item, level, cx, cy)
        sheet.rule(canvas, "rule", x0, bottom, x0 + w, bottom)
    elif row.kind == "comment":
        label = sheet.para(f"Opmerkingen bij ‘{row.category.title}’", "label", w)
        sheet.draw_para(canvas, label, x0, top - 2 * MM)
        box_top = top - 2 * MM - label.height - 1 * MM
        box_h = box_top - bottom - 3 * MM
        if form:
            form.textfield(row.category.comment_field, f"Opmerkingen bij {row.category.title}", x0,
                           box_top - box_h, w, box_h, fieldFlags="multiline", **_field_style(sheet, 9))
        else:
            for line_y in (box_top - box_h / 2, box_top - box_h):
                sheet.rule(canvas, "field_border", x0, line_y, x0 + w, line_y, 0.5)


def _choice(canvas, sheet: Sheet, form, item: Item, level: Level, cx: float, cy: float) -> None:
    if form:
        form.radio(item.field, item.text, level.value, cx - RADIO / 2, cy - RADIO / 2, RADIO,
                   fillColor=sheet.rl_color("paper"), borderColor=sheet.rl_color("field_border"),
                   textColor=sheet.rl_color("mark"), borderWidth=0.8)
    else:
        canvas.setStrokeColorRGB(*sheet.color("field_border").as_rgb())
        canvas.setLineWidth(0.8)
        canvas.circle(cx, cy, RADIO / 2 - 0.4, stroke=1, fill=0)
