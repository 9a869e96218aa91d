"""Place card faces on sheets: print-shop pages with bleed and crop marks, office n-up sheets.

Duplex: the back of the card at a slot must land behind its front once the sheet is turned.
Turning over the long edge of a portrait sheet mirrors it left↔right; over the short edge,
top↔bottom (and the other way round for a landscape sheet).
"""

from __future__ import annotations

from dataclasses import dataclass

from kaartgen.model import Layout, Marks, Printer
from kaartgen.units import MM, PAPER, paper_size

DUPLEX_MODES = ("long-edge", "short-edge")


@dataclass(frozen=True)
class PrintPage:
    """A print-shop page: the trim box sits at (margin, margin) inside the MediaBox."""

    width: float
    height: float
    margin: float
    trim_w: float
    trim_h: float
    bleed: float

    @property
    def trim_box(self):
        m = self.margin
        return (m, m, m + self.trim_w, m + self.trim_h)

    @property
    def bleed_box(self):
        m, b = self.margin, self.bleed
        return (m - b, m - b, m + self.trim_w + b, m + self.trim_h + b)


def print_page(layout: Layout) -> PrintPage:
    margin = layout.marks.offset + layout.marks.length + 2 * MM
    return PrintPage(layout.width + 2 * margin, layout.height + 2 * margin, margin,
                     layout.width, layout.height, layout.bleed)


def draw_crop_marks(canvas, page: PrintPage, marks: Marks) -> None:
    """Short marks outside the bleed, in registration colour so they print on every plate."""
    from reportlab.lib.colors import CMYKColorSep
    x0, y0, x1, y1 = page.trim_box
    near, far = marks.offset, marks.offset + marks.length  # print-shop marks are always short marks
    canvas.saveState()
    canvas.setStrokeColor(CMYKColorSep(1, 1, 1, 1, spotName="All"))
    canvas.setLineWidth(marks.width)
    for x in (x0, x1):
        for y, sign in ((y0, -1), (y1, 1)):
            canvas.line(x, y + sign * near, x, y + sign * far)
    for y in (y0, y1):
        for x, sign in ((x0, -1), (x1, 1)):
            canvas.line(x + sign * near, y, x + sign * far, y)
    canvas.restoreState()


@dataclass(frozen=True)
class Grid:
    sheet_w: float
    sheet_h: float
    cols: int
    rows: int
    card_w: float
    card_h: float
    gap: float

    @property
    def per_sheet(self) -> int:
        return self.cols * self.rows

    @property
    def origin(self) -> tuple[float, float]:
        """Bottom-left corner of the whole grid, centred on the sheet."""
        grid_w = self.cols * self.card_w + (self.cols - 1) * self.gap
        grid_h = self.rows * self.card_h + (self.rows - 1) * self.gap
        return (self.sheet_w - grid_w) / 2, (self.sheet_h - grid_h) / 2

    def front(self, slot: int) -> tuple[float, float]:
        """Bottom-left of the card in `slot`, counting row by row from the top left."""
        col, row = slot % self.cols, slot // self.cols
        x0, y0 = self.origin
        x = x0 + col * (self.card_w + self.gap)
        y = y0 + (self.rows - 1 - row) * (self.card_h + self.gap)
        return x, y

    def back(self, slot: int, printer: Printer) -> tuple[float, float]:
        """Bottom-left of the back of the card in `slot`, shifted by the printer's duplex offset."""
        x, y = self.front(slot)
        portrait = self.sheet_w <= self.sheet_h
        if (printer.duplex == "long-edge") == portrait:
            x = self.sheet_w - x - self.card_w
        else:
            y = self.sheet_h - y - self.card_h
        return x + printer.offset_x, y + printer.offset_y

    def edges(self) -> tuple[list[float], list[float]]:
        """x positions of every vertical cut and y positions of every horizontal cut."""
        xs = sorted({round(v, 3) for s in range(self.cols) for v in (self.front(s)[0], self.front(s)[0] + self.card_w)})
        ys = sorted({round(v, 3) for s in range(0, self.per_sheet, self.cols)
                     for v in (self.front(s)[1], self.front(s)[1] + self.card_h)})
        return xs, ys


def plan_grid(layout: Layout) -> Grid:
    sheet = layout.sheet
    orientations = ("portrait", "landscape") if sheet.orientation == "auto" else (sheet.orientation,)
    best = None
    for orientation in orientations:
        w, h = paper_size(sheet.size, orientation)
        cols = _count(w - 2 * sheet.margin, layout.width, sheet.gap)
        rows = _count(h - 2 * sheet.margin, layout.height, sheet.gap)
        if best is None or cols * rows > best.per_sheet:
            best = Grid(w, h, cols, rows, layout.width, layout.height, sheet.gap)
    return best


def _count(space: float, size: float, gap: float) -> int:
    return max(0, int((space + gap + 1e-6) // (size + gap)))


def draw_cut_lines(canvas, grid: Grid, marks: Marks) -> None:
    """Lines from sheet edge to sheet edge at every card edge: each cut leaves the next lines intact."""
    xs, ys = grid.edges()
    canvas.saveState()
    canvas.setLineWidth(marks.width)
    for x in xs:
        canvas.line(x, 0, x, grid.sheet_h)
    for y in ys:
        canvas.line(0, y, grid.sheet_w, y)
    canvas.restoreState()


def draw_guides(canvas, layout: Layout, bleed: bool = True) -> None:
    """Designer guides in trim coordinates: bleed edge (cyan), trim (magenta), safe zone (green)."""
    w, h, b, s = layout.width, layout.height, layout.bleed, layout.safe
    canvas.saveState()
    canvas.setLineWidth(0.5)
    canvas.setDash([3, 2])
    # CMYK, so guides also work in a --cmyk print file.
    boxes = [((0.8, 0, 1, 0), -s), ((0, 1, 0, 0), 0)] + ([((1, 0, 0, 0), b)] if bleed else [])
    for cmyk, grow in boxes:
        canvas.setStrokeColorCMYK(*cmyk)
        canvas.rect(-grow, -grow, w + 2 * grow, h + 2 * grow, stroke=1, fill=0)
    canvas.restoreState()


def draw_cut_marks(canvas, grid: Grid, marks: Marks) -> None:
    """Short marks in the sheet margin at every cut line, clear of the cards."""
    if marks.style == "lines":
        draw_cut_lines(canvas, grid, marks)
        return
    xs, ys = grid.edges()
    x0, y0 = min(xs), min(ys)
    x1, y1 = max(xs), max(ys)
    room = min(x0, y0, grid.sheet_w - x1, grid.sheet_h - y1)
    gap = min(2 * MM, room / 3)
    length = max(0.0, min(marks.length, room - gap - 2 * MM))
    if length <= 0:
        return
    canvas.saveState()
    canvas.setLineWidth(marks.width)
    for x in xs:
        canvas.line(x, y0 - gap, x, y0 - gap - length)
        canvas.line(x, y1 + gap, x, y1 + gap + length)
    for y in ys:
        canvas.line(x0 - gap, y, x0 - gap - length, y)
        canvas.line(x1 + gap, y, x1 + gap + length, y)
    canvas.restoreState()


def page_name(width: float, height: float) -> str:
    """The paper size a page of this size is (A3 for 420×297 mm, either way round), else e.g. 90x130mm."""
    for name in PAPER:
        w, h = paper_size(name)
        if {round(w / MM), round(h / MM)} == {round(width / MM), round(height / MM)}:
            return name
    return f"{width / MM:.0f}x{height / MM:.0f}mm"
