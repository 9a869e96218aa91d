"""Place card faces on sheets: print-shop pages with bleed and crop marks, office n-up sheets.

Duplex: the back of the card at a slot must land behind its front once the sheet is turned.
Turning over the long edge of a portrait sheet mirrors it left↔right; over the short edge,
top↔bottom (and the other way round for a landscape sheet).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

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


LABEL_EDGE = 8 * MM  # sheet labels stay this far from the paper edge (many printers cannot print closer)
LABEL_SIZE = 6.5  # pt
MARK_EDGE = 3 * MM  # cut marks stop this far from the paper edge
MIN_MARK = 2 * MM  # shorter cut marks are left out


@dataclass(frozen=True)
class Grid:
    """Cards on an office sheet: columns and rows with a gutter between them, so each card keeps
    some bleed (a duplex shift then shows its own background, not a white sliver or a neighbour)."""

    sheet_w: float
    sheet_h: float
    cols: int
    rows: int
    card_w: float
    card_h: float
    gap_x: float = 0.0
    gap_y: float = 0.0
    bleed_x: float = 0.0  # how far each card's artwork runs past its trim, left and right
    bleed_y: float = 0.0
    lift: float = 0.0  # the grid sits this much above the centre, to leave room for the label below

    @property
    def per_sheet(self) -> int:
        return self.cols * self.rows

    @property
    def origin(self) -> tuple[float, float]:
        """Bottom-left corner of the whole grid, centred on the sheet."""
        grid_w = self.cols * self.card_w + (self.cols - 1) * self.gap_x
        grid_h = self.rows * self.card_h + (self.rows - 1) * self.gap_y
        return (self.sheet_w - grid_w) / 2, (self.sheet_h - grid_h) / 2 + self.lift

    def flips_vertically(self, printer: Printer) -> bool:
        """Whether the backs page is the fronts page turned top↔bottom (so its label goes on top)."""
        portrait = self.sheet_w <= self.sheet_h
        return (printer.duplex == "long-edge") != portrait

    def front(self, slot: int) -> tuple[float, float]:
        """Bottom-left of the card in `slot`, counting row by row from the top left."""
        col, row = slot % self.cols, slot // self.cols
        x0, y0 = self.origin
        x = x0 + col * (self.card_w + self.gap_x)
        y = y0 + (self.rows - 1 - row) * (self.card_h + self.gap_y)
        return x, y

    def back(self, slot: int, printer: Printer) -> tuple[float, float]:
        """Bottom-left of the back of the card in `slot`, shifted by the printer's duplex offset."""
        x, y = self.front(slot)
        if self.flips_vertically(printer):
            y = self.sheet_h - y - self.card_h
        else:
            x = self.sheet_w - x - self.card_w
        return x + printer.offset_x, y + printer.offset_y

    def edges(self) -> tuple[list[float], list[float]]:
        """x positions of every vertical cut and y positions of every horizontal cut."""
        xs = sorted({round(v, 3) for s in range(self.cols) for v in (self.front(s)[0], self.front(s)[0] + self.card_w)})
        ys = sorted({round(v, 3) for s in range(0, self.per_sheet, self.cols)
                     for v in (self.front(s)[1], self.front(s)[1] + self.card_h)})
        return xs, ys


def plan_grid(layout: Layout) -> Grid:
    """As many cards as fit inside the margins; then gutters up to `sheet.gap` where there is room."""
    sheet = layout.sheet
    orientations = ("portrait", "landscape") if sheet.orientation == "auto" else (sheet.orientation,)
    best = None
    for orientation in orientations:
        w, h = paper_size(sheet.size, orientation)
        cols = _count(w - 2 * sheet.margin, layout.width, 0)
        rows = _count(h - 2 * sheet.margin, layout.height, 0)
        if best is None or cols * rows > best.per_sheet:
            best = _spaced(Grid(w, h, cols, rows, layout.width, layout.height), sheet.margin, sheet.gap, layout.bleed)
    return best


def _spaced(grid: Grid, margin: float, wanted_gap: float, bleed: float) -> Grid:
    """Gutters (at most `wanted_gap`) and bleed where the sheet has room, keeping the margins and,
    under the cards, room for cut marks and the label."""
    gap_x = _gutter(grid.sheet_w - 2 * margin, grid.card_w, grid.cols, wanted_gap)
    below = max(margin, label_top() + MIN_MARK + 1 * MM)  # the label, a cut mark, air; then the bleed
    gap_y = 0.0
    for gap in (wanted_gap, wanted_gap * 2 / 3, wanted_gap / 3, 0.0):  # the widest gutter that leaves room below
        bleed_y = _sheet_bleed(bleed, grid.rows, gap)
        gap_y = _gutter(grid.sheet_h - margin - below - bleed_y, grid.card_h, grid.rows, gap)
        if gap_y >= gap - 0.01 or gap == 0.0:
            break
    spaced = replace(grid, gap_x=gap_x, gap_y=gap_y, bleed_x=_sheet_bleed(bleed, grid.cols, gap_x),
                     bleed_y=_sheet_bleed(bleed, grid.rows, gap_y))
    bottom = spaced.origin[1]
    room_above = bottom - margin  # centred: the same room above as below
    lift = min(max(0.0, below + spaced.bleed_y - bottom), max(0.0, room_above))
    return replace(spaced, lift=lift)


def _gutter(space: float, size: float, count: int, wanted: float) -> float:
    if count < 2:
        return 0.0
    return max(0.0, min(wanted, (space - count * size) / (count - 1)))


def _sheet_bleed(bleed: float, count: int, gap: float) -> float:
    return bleed if count < 2 else min(bleed, gap / 2)


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


def draw_cut_marks(canvas, grid: Grid, marks: Marks, placed: list[tuple[float, float]] | None = None,
                   label_on_top: bool = False) -> None:
    """Short marks in the sheet margin at every trim line of the cards `placed` (bottom-left corners;
    default: the fronts), clear of every card's bleed, of the paper edge and of the label."""
    if marks.style == "lines":
        draw_cut_lines(canvas, grid, marks)
        return
    placed = placed or [grid.front(i) for i in range(grid.per_sheet)]
    xs = sorted({round(v, 3) for x, _ in placed for v in (x, x + grid.card_w)})
    ys = sorted({round(v, 3) for _, y in placed for v in (y, y + grid.card_h)})
    label = label_top()
    canvas.saveState()
    canvas.setLineWidth(marks.width)
    for x in xs:
        for start, end in _mark_spans(min(ys) - grid.bleed_y, 0, 0 if label_on_top else label, marks):
            canvas.line(x, start, x, end)
        for start, end in _mark_spans(grid.sheet_h - max(ys) - grid.bleed_y, grid.sheet_h,
                                      label if label_on_top else 0, marks, -1):
            canvas.line(x, start, x, end)
    for y in ys:
        for start, end in _mark_spans(min(xs) - grid.bleed_x, 0, 0, marks):
            canvas.line(start, y, end, y)
        for start, end in _mark_spans(grid.sheet_w - max(xs) - grid.bleed_x, grid.sheet_w, 0, marks, -1):
            canvas.line(start, y, end, y)
    canvas.restoreState()


def _mark_spans(room: float, edge: float, keep_clear: float, marks: Marks, direction: int = 1):
    """The mark between the artwork (`room` from the paper edge at `edge`) and that edge: 1 mm clear
    of the artwork, at least MARK_EDGE and `keep_clear` from the edge; none if shorter than MIN_MARK."""
    near = room - 1 * MM
    far = max(MARK_EDGE, keep_clear, near - marks.length)
    if near - far < MIN_MARK - 0.01:
        return []
    return [(edge + direction * near, edge + direction * far)]


def label_top() -> float:
    """Height above the paper's bottom edge that the sheet label takes, with some air above it."""
    return LABEL_EDGE + LABEL_SIZE * 1.2 + 1 * MM


def label_baseline() -> float:
    """The label's baseline: its descenders stay LABEL_EDGE above the paper edge."""
    return LABEL_EDGE + LABEL_SIZE * 0.3


def page_name(width: float, height: float) -> str:
    """The paper size a page of this size is (A3 for 420×297 mm, either way round), else e.g. 90x130mm."""
    for name in PAPER:
        w, h = paper_size(name)
        if {round(w / MM), round(h / MM)} == {round(width / MM), round(height / MM)}:
            return name
    return f"{width / MM:.0f}x{height / MM:.0f}mm"
