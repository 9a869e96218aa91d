"""Write planned faces into PDF files, placed by the geometry in `impose`.

Takes `Face`s (drawing operations planned by `render`, or drawn by hand as for the calibration
page) and gives one PDF per writer:
- `PrintShopWriter`: one face per page, trim + bleed + room for crop marks, page boxes set;
- `OfficeSheetWriter`: n-up sheets with cut marks, each fronts page followed by its backs page
  placed for duplex printing, with a label line under the cards;
- `PlainWriter`: one face per page at its own size (posters, checklists, calibration).
Every writer opens its canvas the same way (`open_canvas`): embedded font from the first
operator on, invariant output for byte-identical rebuilds, metadata and language set.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from reportlab.pdfgen.canvas import Canvas

from kaartgen import impose
from kaartgen import messages as msg
from kaartgen.cmyk import Converter, add_output_intent
from kaartgen.errors import KaartgenError, Problem
from kaartgen.model import Layout, Printer
from kaartgen.printers import backs_off_sheet
from kaartgen.render import Op, draw
from kaartgen.units import MM


@dataclass(frozen=True)
class PdfInfo:
    """The PDF's metadata; its language is always Dutch (the content is)."""

    title: str
    author: str = "kaartgen"
    subject: str = ""
    keywords: str = ""


@dataclass(frozen=True)
class Face:
    """One card (or page) to write: its front, and its back if it has one."""

    name: str  # the card id
    front: list[Op]
    back: list[Op] | None = None
    shared_back: str | None = None  # a back every face naming it shares: drawn once per file


@dataclass(frozen=True)
class SheetLabels:
    """The line printed under the cards of an office sheet. The writer fills in {sheet};
    `for_title` fills in {title} (the deck's own title, without subtitle or set name)."""

    front: str
    back_long_edge: str
    back_short_edge: str
    single: str  # a sheet whose cards have no backs: print it single-sided

    def back(self, duplex: str) -> str:
        return self.back_long_edge if duplex == "long-edge" else self.back_short_edge

    def for_title(self, title: str) -> "SheetLabels":
        return SheetLabels(*(label.replace("{title}", title) for label in
                             (self.front, self.back_long_edge, self.back_short_edge, self.single)))


def open_canvas(path: Path, size: tuple[float, float], info: PdfInfo, font: str, cmyk: bool = False) -> Canvas:
    canvas = Canvas(str(path), pagesize=size, invariant=1, pageCompression=1, lang="nl-NL",
                    initialFontName=font, initialFontSize=9,
                    enforceColorSpace="sep_cmyk" if cmyk else None)  # CMYK, and registration colour for marks
    canvas.setTitle(info.title)
    canvas.setAuthor(info.author)
    canvas.setSubject(info.subject or info.title)
    canvas.setKeywords(info.keywords)
    canvas.setCreator("kaartgen")
    return canvas


Paint = Callable[[Canvas], None]  # draws one face with its trim's lower left corner at the origin


def _painter(ops: list[Op]) -> Paint:
    return lambda canvas: draw(canvas, ops)


class SharedBacks:
    """A back shared by every face naming it: one Form XObject per file, drawn wherever it is needed.

    Everything else is drawn straight onto its page: a form used once only adds an object and a
    resources dictionary to the file.
    """

    def __init__(self, canvas: Canvas, layout: Layout):
        self.canvas = canvas
        self.layout = layout
        self.defined: set[str] = set()

    def form(self, face: Face) -> str:
        """The name of `face`'s shared back form, defined the first time it is asked for."""
        name = f"face-{face.shared_back}"
        if name not in self.defined:
            b, layout = self.layout.bleed, self.layout
            self.canvas.beginForm(name, -b, -b, layout.width + b, layout.height + b)
            draw(self.canvas, face.back)
            self.canvas.endForm()
            self.defined.add(name)
        return name

    def painter(self, face: Face) -> Paint | None:
        """How `face`'s back is drawn: its shared form, or its own operations; None without a back."""
        if face.back is None:
            return None
        if face.shared_back:
            name = self.form(face)
            return lambda canvas: canvas.doForm(name)
        return _painter(face.back)


def _clip_to_bleed(canvas: Canvas, layout: Layout, bleed_x: float, bleed_y: float) -> None:
    """Cut away what a face draws outside its trim plus its bleed."""
    clip = canvas.beginPath()
    clip.rect(-bleed_x, -bleed_y, layout.width + 2 * bleed_x, layout.height + 2 * bleed_y)
    canvas.clipPath(clip, stroke=0, fill=0)


class PrintShopWriter:
    """One face per page with bleed and crop marks; with a `converter`, DeviceCMYK with its output intent."""

    def __init__(self, path: Path, layout: Layout, info: PdfInfo, font: str, *, converter: Converter | None = None,
                 guides: bool = False):
        self.page = impose.print_page(layout)
        self.layout = layout
        self.canvas = open_canvas(path, (self.page.width, self.page.height), info, font, converter is not None)
        if converter is not None:
            add_output_intent(self.canvas, converter)
        self.guides = guides
        self.shared = SharedBacks(self.canvas, layout)
        self.pages = 0

    def add(self, face: Face) -> None:
        for paint in (_painter(face.front), self.shared.painter(face)):
            if paint is not None:
                self._page(paint)

    def _page(self, paint: Paint) -> None:
        c, page, b = self.canvas, self.page, self.layout.bleed
        c.setTrimBox(page.trim_box)
        c.setBleedBox(page.bleed_box)
        c.saveState()
        c.translate(page.margin, page.margin)
        c.saveState()  # the guides are not clipped
        _clip_to_bleed(c, self.layout, b, b)
        paint(c)
        c.restoreState()
        if self.guides:
            impose.draw_guides(c, self.layout)
        c.restoreState()
        impose.draw_crop_marks(c, page, self.layout.marks)
        c.showPage()
        self.pages += 1

    def finish(self) -> int:
        self.canvas.save()
        return self.pages


class OfficeSheetWriter:
    """n-up sheets: a fronts page, then its backs page placed for duplex printing.

    The faces of a sheet wait, as planned operations, until the sheet is full; then each is drawn
    straight onto the sheet page, moved to its slot and clipped at the sheet's bleed.
    """

    def __init__(self, path: Path, layout: Layout, info: PdfInfo, font: str, *, printer: Printer,
                 labels: SheetLabels, guides: bool = False):
        self.layout = layout
        self.grid = impose.plan_grid(layout)
        if self.grid.per_sheet == 0:
            raise KaartgenError(Problem(layout.file, None, None, "size", msg.CARD_DOES_NOT_FIT_SHEET(
                width=round(layout.width / MM), height=round(layout.height / MM), sheet=layout.sheet.size,
                margin=round(layout.sheet.margin / MM, 1))))
        off_sheet = backs_off_sheet(printer, self.grid)
        if off_sheet:
            raise KaartgenError(off_sheet)
        self.printer = printer
        self.labels = labels
        self.guides = guides
        self.font = font
        self.canvas = open_canvas(path, (self.grid.sheet_w, self.grid.sheet_h), info, font)
        self.shared = SharedBacks(self.canvas, layout)
        self.pending: list[tuple[Paint, Paint | None]] = []  # (front, back) of each card on this sheet
        self.pages = 0
        self.sheets = 0

    def add(self, face: Face) -> None:
        self.pending.append((_painter(face.front), self.shared.painter(face)))
        if len(self.pending) == self.grid.per_sheet:
            self._flush()

    def _flush(self) -> None:
        if not self.pending:
            return
        self.sheets += 1
        has_backs = any(b for _, b in self.pending)
        self._sheet_page([(self.grid.front(i), f) for i, (f, _) in enumerate(self.pending)],
                         self.labels.front if has_backs else self.labels.single)
        if has_backs:
            self._sheet_page([(self.grid.back(i, self.printer), b) for i, (_, b) in enumerate(self.pending) if b],
                             self.labels.back(self.printer.duplex), self.grid.flips_vertically(self.printer))
        self.pending = []

    def _sheet_page(self, placed, label: str, label_on_top: bool = False) -> None:
        c, layout = self.canvas, self.layout
        bx, by = self.grid.bleed_x, self.grid.bleed_y
        for (x, y), paint in placed:
            c.saveState()
            c.translate(x, y)
            _clip_to_bleed(c, layout, bx, by)
            paint(c)
            if self.guides:
                impose.draw_guides(c, layout, bleed=False)
            c.restoreState()
        marks = replace(layout.marks, style=self.printer.cut_marks or layout.marks.style)
        impose.draw_cut_marks(c, self.grid, marks, [xy for xy, _ in placed], label_on_top)
        c.setFont(self.font, impose.LABEL_SIZE)
        baseline = impose.label_baseline()
        if label_on_top:  # the backs page is turned top↔bottom: its label sits on top, as far from the edge
            baseline = self.grid.sheet_h - impose.LABEL_EDGE - impose.LABEL_SIZE * 0.75
        c.drawString(self.grid.origin[0], baseline, label.replace("{sheet}", str(self.sheets)))
        c.showPage()
        self.pages += 1

    def finish(self) -> int:
        self._flush()
        self.canvas.save()
        return self.pages


class PlainWriter:
    """One face per page at the page's own size, for posters and sheets printed as they are.

    With a `guides` layout, its trim and safe zone are drawn on every page.
    """

    def __init__(self, path: Path, size: tuple[float, float], info: PdfInfo, font: str, *,
                 guides: Layout | None = None):
        self.canvas = open_canvas(path, size, info, font)
        self.guides = guides
        self.pages = 0

    def add(self, face: Face) -> None:
        for ops in (face.front, face.back):
            if ops is not None:
                draw(self.canvas, ops)
                if self.guides is not None:
                    impose.draw_guides(self.canvas, self.guides, bleed=False)
                self.canvas.showPage()
                self.pages += 1

    def finish(self) -> int:
        self.canvas.save()
        return self.pages
