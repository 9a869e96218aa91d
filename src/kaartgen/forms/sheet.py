"""The page of a checklist or a summary: layout, font, colours and the table's sizes.

Page furniture (header band, intro, footer) comes from the layout's templates and is
planned and drawn by `render` like a card face; what lies between is laid out row by row
with the sizes in the layout's `table:` map, the layout's styles for text and the same
`Paint` as the decks, so `--cmyk` converts every colour and `--strict` turns a contrast
warning into an error.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from reportlab.lib.colors import Color as RLColor
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from kaartgen import impose
from kaartgen import messages as msg
from kaartgen import text as textmod
from kaartgen.errors import KaartgenError, Problem
from kaartgen.fonts import FontFamily, register_family
from kaartgen.cmyk import Converter, add_output_intent
from kaartgen.colors import resolve_color
from kaartgen.layouts import load_layout
from kaartgen.model import BoxElement, Color, Layout
from kaartgen.render import CMYKPaint, Context, Frame, Paint, contrast, draw, plan_face
from kaartgen.schema import suggest
from kaartgen.units import MM

MIN_CONTRAST = 4.5  # WCAG AA for normal text
TABLE_KEYS = ("header_gap", "footer_gap", "level_w", "number_w", "gap", "pad", "min_row", "head_row", "category_row",
              "comment_row", "write_line", "person_row", "person_label_w", "person_gap", "field_inset", "field_text", "radio",
              "bar_w", "bar_h", "tag_w", "swatch")  # what a checklist layout's `table:` must give


@dataclass
class Sheet:
    """A layout opened for drawing checklist or summary pages."""

    layout: Layout
    family: FontFamily
    project: Path
    name: str
    converter: Converter | None = None  # --cmyk: colours through the print profile, DeviceCMYK only
    guides: bool = False
    strict: bool = False
    warnings: list[Problem] = field(default_factory=list)

    @classmethod
    def open(cls, layout_name: str, project: Path, name: str, referrer: Problem | None = None,
             **options) -> "Sheet":
        layout = load_layout(layout_name, project / "layouts", referrer)
        missing = [key for key in TABLE_KEYS if key not in layout.table]
        if missing:
            raise KaartgenError(Problem(layout.file, None, None, "table", msg.TABLE_SIZES_MISSING(keys=missing)))
        return cls(layout, register_family(layout.font_files), project, name, **options)

    @property
    def paint(self) -> Paint:
        return CMYKPaint(self.converter) if self.converter else Paint()

    @property
    def left(self) -> float:
        return self.layout.sheet.margin

    @property
    def width(self) -> float:
        return self.layout.width - 2 * self.layout.sheet.margin

    def size(self, key: str) -> float:
        """A named size from the layout's `table:` map (one of TABLE_KEYS), in points."""
        return self.layout.table[key]

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
                        initialFontSize=9, enforceColorSpace="cmyk" if self.converter else None)
        if self.converter:
            add_output_intent(canvas, self.converter)
        canvas.setTitle(title)
        canvas.setSubject(subject)
        canvas.setAuthor(author)
        canvas.setKeywords("Samen Opleiden & Professionaliseren, checklist")
        canvas.setCreator("kaartgen")
        return canvas

    def area(self, template: str) -> tuple[float, float]:
        """PDF y of the top and bottom of the free area between a template's header and footer:
        elements in the top half of the page are the header, the others the footer."""
        frame = self._page_frame()
        margin, middle = self.layout.sheet.margin, self.layout.height / 2
        top, bottom = self.layout.height - margin, margin
        for element in self.template(template).front:
            if not isinstance(element, BoxElement):
                continue
            _, y, _, h = frame.box(element)
            if y + h > middle:
                top = min(top, y - self.size("header_gap"))
            else:
                bottom = max(bottom, y + h + self.size("footer_gap"))
        return top, bottom

    def _page_frame(self) -> Frame:
        return Frame(0, self.layout.height, self.layout.width, self.layout.height)

    def draw_template(self, canvas: Canvas, template: str, values: dict, paint: Paint | None = None) -> None:
        ctx = Context(layout=self.layout, family=self.family, values=values, project=self.project,
                      deck=self.name, card_id=template, card_where=self.layout.file, paint=paint or self.paint,
                      warnings=self.warnings, strict=self.strict)
        draw(canvas, plan_face(self.template(template).front, ctx, self._page_frame()))

    def finish_page(self, canvas: Canvas) -> None:
        if self.guides:
            impose.draw_guides(canvas, self.layout, bleed=False)
        canvas.showPage()

    def para(self, text: str, style: str, width: float, color: str | None = None,
             align: str | None = None, user_text: bool = False, lead: str = "") -> textmod.Fitted:
        """Text wrapped to `width` at the style's size: light markup (**bold**), no {templates}.
        `user_text` (what people typed into a form) gets no markup, keeps its leading spaces,
        and characters the face lacks are spelled out (ĳ → ij) or become '?', never a gap;
        `lead` is markup put before its first line."""
        st = replace(self.style(style), hyphenate=False)
        rgb = self.paint.text_color(self.color(color or st.color))
        # No shrink-to-fit here: rows grow with their text, and a word wider than the column
        # runs past it rather than failing the whole sheet.
        content = []
        for line in text.splitlines():
            if line.strip():
                xml = self._user_xml(line, style) if user_text else textmod.markup(line)
                content.append(textmod.Block(("" if content else textmod.markup(lead)) + xml, False))
        return textmod.typeset(content, self.family, st, st.size, width, rgb, align or st.align, textmod.Rules(),
                               overflow=True)

    def _user_xml(self, line: str, style: str) -> str:
        text = self._drawable(line.rstrip(), style)
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        indent = len(text) - len(text.lstrip(" "))
        return "\u00a0" * indent + text.lstrip(" ")  # a paragraph drops leading spaces; keep the indent

    def missing_glyphs(self, text: str, style: str) -> list[str]:
        """Characters the style's own face lacks. (The italic Source Sans Pro has no 'ĳ', which
        FontFamily.missing_glyphs, looking at the regular face only, does not see.)"""
        st = self.style(style)
        return self.family.missing_glyphs(text, {(st.bold, st.italic)})

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
        canvas.saveState()
        fitted.draw(canvas, x, top)
        canvas.restoreState()

    def fill(self, canvas: Canvas, color: str, x: float, y: float, w: float, h: float) -> None:
        self.paint.fill(canvas, self.color(color))
        canvas.rect(x, y, w, h, stroke=0, fill=1)

    def hatch(self, canvas: Canvas, color: str, x: float, y: float, w: float, h: float) -> None:
        """Diagonal lines across a box: a pattern, so the box reads without colour."""
        canvas.saveState()
        path = canvas.beginPath()
        path.rect(x, y, w, h)
        canvas.clipPath(path, stroke=0, fill=0)
        self.paint.stroke(canvas, self.color(color))
        canvas.setLineWidth(0.6)
        step = 1.6 * MM
        offset = -h
        while offset < w:
            canvas.line(x + offset, y, x + offset + h, y + h)
            offset += step
        canvas.restoreState()

    def rule(self, canvas: Canvas, color: str, x1: float, y1: float, x2: float, y2: float,
             width: float = 0.5) -> None:
        self.paint.stroke(canvas, self.color(color))
        canvas.setLineWidth(width)
        canvas.line(x1, y1, x2, y2)

    def circle(self, canvas: Canvas, color: str, cx: float, cy: float, r: float, width: float) -> None:
        self.paint.stroke(canvas, self.color(color))
        canvas.setLineWidth(width)
        canvas.circle(cx, cy, r, stroke=1, fill=0)

    def readable_on(self, style: str, background: str) -> str | None:
        """The text colour to use on `background`: the style's, or else ink or paper, whichever
        reads better (a warning, and an error with --strict, when the style's colour is too weak)."""
        wanted = self.style(style).color
        back = self.color(background)
        if contrast(self.color(wanted), back) >= MIN_CONTRAST:
            return None
        problem = Problem(self.layout.file, None, None, f"styles.{style}", msg.TABLE_LOW_CONTRAST(
            style=style, colour=wanted, background=background, ratio=round(contrast(self.color(wanted), back), 1),
            limit=MIN_CONTRAST))
        if self.strict:
            raise KaartgenError(problem)
        self.warnings.append(problem)
        return best_text_color(self, background)


def best_text_color(sheet: Sheet, background: str) -> str:
    """'ink' or 'paper', whichever has more contrast with `background`."""
    back = sheet.color(background)
    return max(("ink", "paper"), key=lambda name: contrast(sheet.color(name), back))


def paginate(rows: list, first_room: float, next_room: float) -> list[list]:
    """Rows (anything with .kind and .height) per page; a row of kind 'category' never ends a
    page without the row after it."""
    pages: list[list] = [[]]
    room = first_room
    for i, row in enumerate(rows):
        need = row.height + (rows[i + 1].height if row.kind == "category" and i + 1 < len(rows) else 0)
        if need > room and pages[-1]:
            pages.append([])
            room = next_room
        pages[-1].append(row)
        room -= row.height
    return pages

