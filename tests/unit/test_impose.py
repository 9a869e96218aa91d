"""impose: print-shop page geometry, crop marks, the n-up grid, duplex backs, office cut marks."""

from __future__ import annotations

import re

import pytest
from reportlab.pdfgen.canvas import Canvas

from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from kaartgen import impose
from kaartgen.fonts import register_family
from kaartgen.model import Marks, Printer

from kit import MM, make_layout
from pdfops import length, operations, segments


@pytest.fixture
def layout(tmp_path):
    return make_layout(tmp_path / "layouts")


@pytest.fixture
def tight(tmp_path):
    """Cards edge to edge (no gutter), so positions are easy to work out by hand."""
    return make_layout(tmp_path / "tight", sheet={"gap": "0mm"})


def drawn(tmp_path, size, draw) -> list:
    """The line segments `draw(canvas)` puts on one page."""
    path = tmp_path / "page.pdf"
    canvas = Canvas(str(path), pagesize=size, invariant=1)
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return segments(path)


# --- print-shop page ----------------------------------------------------------------------

def test_print_page_leaves_room_for_the_marks_around_the_trim(layout):
    page = impose.print_page(layout)
    margin = (3 + 5 + 2) * MM  # mark offset + mark length + 2 mm paper beyond the marks
    assert page.margin == pytest.approx(margin)
    assert (page.width, page.height) == pytest.approx((63 * MM + 2 * margin, 88 * MM + 2 * margin))
    assert page.trim_box == pytest.approx((margin, margin, margin + 63 * MM, margin + 88 * MM))
    assert page.bleed_box == pytest.approx((margin - 3 * MM, margin - 3 * MM, margin + 66 * MM, margin + 91 * MM))


def test_crop_marks_are_eight_segments_on_the_trim_lines_outside_the_bleed(layout, tmp_path):
    page = impose.print_page(layout)
    found = drawn(tmp_path, (page.width, page.height), lambda c: impose.draw_crop_marks(c, page, layout.marks))
    x0, y0, x1, y1 = page.trim_box
    near, far = 3 * MM, 8 * MM
    expected = set()
    for x in (x0, x1):
        expected |= {(x, y0 - near, x, y0 - far), (x, y1 + near, x, y1 + far)}
    for y in (y0, y1):
        expected |= {(x0 - near, y, x0 - far, y), (x1 + near, y, x1 + far, y)}
    assert len(found) == 8
    assert set(found) == {tuple(round(v, 2) for v in s) for s in expected}
    bx0, by0, bx1, by1 = page.bleed_box

    def inside_bleed(x, y) -> bool:  # the bleed edge itself is allowed
        return bx0 + 0.02 < x < bx1 - 0.02 and by0 + 0.02 < y < by1 - 0.02
    assert not any(inside_bleed(x1, y1) or inside_bleed(x2, y2) for x1, y1, x2, y2 in found)


def test_crop_marks_print_in_registration_colour_on_every_plate(layout, tmp_path):
    page = impose.print_page(layout)
    path = tmp_path / "marks.pdf"
    canvas = Canvas(str(path), pagesize=(page.width, page.height), invariant=1, enforceColorSpace="sep_cmyk")
    impose.draw_crop_marks(canvas, page, layout.marks)
    canvas.showPage()
    canvas.save()
    pdf_page = PdfReader(path).pages[0]
    kind, name, alternate, tint = pdf_page["/Resources"]["/ColorSpace"]["/All"].get_object()
    assert (kind, name, alternate) == ("/Separation", "/All", "/DeviceCMYK")
    # the tint function: full tint is 100 % of each of C, M, Y and K
    assert re.findall(rb"([\d.]+) mul", tint.get_object().get_data()) == [b"1.0"] * 4
    stroke = [(operands, op) for operands, op in operations(path) if op in (b"CS", b"SCN")]
    assert stroke == [(["/All"], b"CS"), ([1], b"SCN")]


@pytest.mark.parametrize("bleed", [True, False, None])
def test_guides_are_the_safe_zone_trim_and_bleed_boxes_in_their_colours(layout, tmp_path, bleed):
    path = tmp_path / "guides.pdf"
    canvas = Canvas(str(path), pagesize=(300, 400), invariant=1)
    impose.draw_guides(canvas, layout, **({} if bleed is None else {"bleed": bleed}))  # by default with the bleed
    canvas.showPage()
    canvas.save()
    ops = operations(path)
    colours = [[float(v) for v in operands] for operands, op in ops if op == b"K"]
    boxes = [[round(float(v), 2) for v in operands] for operands, op in ops if op == b"re"]
    w, h, safe, trim_bleed = 63 * MM, 88 * MM, 4 * MM, 3 * MM
    expected_boxes = [[safe, safe, w - 2 * safe, h - 2 * safe], [0, 0, w, h]]
    expected_colours = [[0.8, 0, 1, 0], [0, 1, 0, 0]]  # green safe zone, magenta trim
    if bleed is not False:
        expected_boxes.append([-trim_bleed, -trim_bleed, w + 2 * trim_bleed, h + 2 * trim_bleed])
        expected_colours.append([1, 0, 0, 0])  # cyan bleed
    assert colours == expected_colours
    assert boxes == [[round(v, 2) for v in box] for box in expected_boxes]
    assert [operands for operands, op in ops if op == b"d"] == [[[3, 2], 0]]  # dashed, so they read as guides
    assert [operands for operands, op in ops if op == b"w"] == [[0.5]]  # thin
    assert [op for _, op in ops if op in (b"S", b"s", b"f", b"F", b"B", b"b", b"f*", b"B*")] == [b"S"] * len(boxes)


# --- the n-up grid ------------------------------------------------------------------------

def test_a_63x88_card_fits_three_by_three_on_portrait_a4(tight):
    grid = impose.plan_grid(tight)
    assert (grid.cols, grid.rows, grid.per_sheet) == (3, 3, 9)
    assert (grid.sheet_w, grid.sheet_h) == pytest.approx((210 * MM, 297 * MM), abs=0.01)
    assert grid.origin == pytest.approx((10.5 * MM, 16.5 * MM), abs=0.01)  # centred
    assert grid.front(0) == pytest.approx((10.5 * MM, 16.5 * MM + 2 * 88 * MM), abs=0.01)  # top left
    assert grid.front(5) == pytest.approx((10.5 * MM + 2 * 63 * MM, 16.5 * MM + 88 * MM), abs=0.01)


def test_a_wide_card_turns_the_sheet_when_that_fits_more(tmp_path):
    layout = make_layout(tmp_path / "layouts", size={"width": "130mm", "height": "90mm"})
    grid = impose.plan_grid(layout)
    # landscape A4: 281 × 194 mm of room gives 2 × 2; portrait only 1 × 3
    assert grid.sheet_w > grid.sheet_h and (grid.cols, grid.rows) == (2, 2)


def test_neighbours_are_one_card_and_one_gutter_apart(layout):
    grid = impose.plan_grid(layout)
    assert grid.front(1)[0] - grid.front(0)[0] == pytest.approx(grid.card_w + grid.gap_x)
    assert grid.front(0)[1] - grid.front(grid.cols)[1] == pytest.approx(grid.card_h + grid.gap_y)


@pytest.mark.parametrize("size, cols, rows", [(("97mm", "140.5mm"), 2, 2),  # exactly the room inside 8 mm margins
                                              (("63mm", "100mm"), 3, 2), (("190mm", "270mm"), 1, 1)])
def test_as_many_cards_as_fit_inside_the_margins(tmp_path, size, cols, rows):
    layout = make_layout(tmp_path / "layouts", size={"width": size[0], "height": size[1]})
    grid = impose.plan_grid(layout)
    assert (grid.cols, grid.rows) == (cols, rows)
    assert grid.sheet_w < grid.sheet_h  # portrait fits these best


def test_portrait_wins_when_both_ways_hold_as_many(tmp_path):
    grid = impose.plan_grid(make_layout(tmp_path / "layouts", size={"width": "63mm", "height": "63mm"}))
    assert grid.per_sheet == 12 and grid.sheet_w < grid.sheet_h  # 3 × 4 either way


def test_the_margins_count_when_cards_are_counted(tmp_path):
    # 200 mm fits a 210 mm wide portrait sheet, but not inside its 8 mm margins: landscape it is
    grid = impose.plan_grid(make_layout(tmp_path / "layouts", size={"width": "200mm", "height": "150mm"}))
    assert grid.sheet_w > grid.sheet_h and (grid.cols, grid.rows) == (1, 1)


def test_a_single_column_has_a_cut_line_above_and_below_every_row(tmp_path):
    grid = impose.plan_grid(make_layout(tmp_path / "layouts", size={"width": "150mm", "height": "130mm"},
                                        sheet={"gap": "0mm"}))
    assert (grid.cols, grid.rows) == (1, 2)
    xs, ys = grid.edges()
    assert len(xs) == 2 and len(ys) == 3


def centre(grid, x, y):
    return x + grid.card_w / 2, y + grid.card_h / 2


@pytest.mark.parametrize("orientation, duplex, axis", [
    ("portrait", "long-edge", "x"), ("portrait", "short-edge", "y"),
    ("landscape", "long-edge", "y"), ("landscape", "short-edge", "x")])
def test_each_back_lies_behind_its_front_once_the_sheet_is_turned(tmp_path, orientation, duplex, axis):
    layout = make_layout(tmp_path / "layouts", sheet={"orientation": orientation})
    grid = impose.plan_grid(layout)
    printer = Printer(duplex=duplex)
    for slot in range(grid.per_sheet):
        fx, fy = centre(grid, *grid.front(slot))
        bx, by = centre(grid, *grid.back(slot, printer))
        turned = (grid.sheet_w - bx, by) if axis == "x" else (bx, grid.sheet_h - by)
        assert turned == pytest.approx((fx, fy), abs=0.01), slot


def test_an_asymmetric_grid_really_moves_the_backs(tmp_path):
    """Two columns on a sheet with room for a third: the backs move to the other side."""
    layout = make_layout(tmp_path / "layouts", size={"width": "90mm", "height": "130mm"})
    grid = impose.plan_grid(layout)
    assert grid.cols == 2
    left = grid.front(0)[0]
    assert grid.back(0, Printer(duplex="long-edge"))[0] == pytest.approx(grid.front(1)[0])
    assert grid.back(0, Printer(duplex="short-edge"))[0] == pytest.approx(left)


def test_the_printer_offset_moves_only_the_backs(layout):
    grid = impose.plan_grid(layout)
    plain, shifted = Printer(), Printer(offset_x=1.5 * MM, offset_y=-2 * MM)
    for slot in range(grid.per_sheet):
        x, y = grid.back(slot, plain)
        assert grid.back(slot, shifted) == pytest.approx((x + 1.5 * MM, y - 2 * MM))
        assert grid.front(slot) == grid.front(slot)


def test_edges_are_every_cut_line_once(tight):
    grid = impose.plan_grid(tight)
    xs, ys = grid.edges()
    assert xs == pytest.approx([(10.5 + 63 * i) * MM for i in range(4)], abs=0.01)
    assert ys == pytest.approx([(16.5 + 88 * i) * MM for i in range(4)], abs=0.01)


# --- office cut marks ---------------------------------------------------------------------

def cut_marks(tmp_path, layout):
    grid = impose.plan_grid(layout)
    return grid, drawn(tmp_path, (grid.sheet_w, grid.sheet_h), lambda c: impose.draw_cut_marks(c, grid, layout.marks))


@pytest.mark.parametrize("size", [("63mm", "88mm"), ("90mm", "130mm"), ("105mm", "148mm")])
def test_cut_marks_sit_in_the_margin_on_every_cut_line_clear_of_the_artwork(tmp_path, size):
    layout = make_layout(tmp_path / "layouts", size={"width": size[0], "height": size[1]})
    grid, found = cut_marks(tmp_path, layout)
    xs, ys = grid.edges()
    assert len(found) == 2 * len(xs) + 2 * len(ys)  # both ends of every cut line
    art = (min(xs) - grid.bleed_x, min(ys) - grid.bleed_y, max(xs) + grid.bleed_x, max(ys) + grid.bleed_y)
    for x1, y1, x2, y2 in found:
        assert impose.MIN_MARK - 0.01 <= length((x1, y1, x2, y2)) <= layout.marks.length + 0.01
        if x1 == x2:  # a vertical mark: on a cut line, below or above the artwork, off the paper edge
            assert round(x1, 1) in {round(x, 1) for x in xs}
            assert max(y1, y2) <= art[1] - 1 * MM + 0.01 or min(y1, y2) >= art[3] + 1 * MM - 0.01
            assert min(y1, y2) >= impose.MARK_EDGE - 0.01 and max(y1, y2) <= grid.sheet_h - impose.MARK_EDGE + 0.01
        else:
            assert y1 == y2 and round(y1, 1) in {round(y, 1) for y in ys}
            assert max(x1, x2) <= art[0] - 1 * MM + 0.01 or min(x1, x2) >= art[2] + 1 * MM - 0.01
            assert min(x1, x2) >= impose.MARK_EDGE - 0.01 and max(x1, x2) <= grid.sheet_w - impose.MARK_EDGE + 0.01


def test_cut_marks_are_full_length_where_the_margin_has_room(tmp_path, tight):
    grid, found = cut_marks(tmp_path, tight)  # 10.5 mm beside the cards: 1 mm air, then all 5 mm
    left = [s for s in found if s[1] == s[3] and s[0] < grid.origin[0]]
    assert len(left) == 4 and all(length(s) == pytest.approx(5 * MM, abs=0.02) for s in left)
    assert all(max(s[0], s[2]) == pytest.approx(grid.origin[0] - 1 * MM, abs=0.01) for s in left)


def test_long_cut_marks_stop_short_of_the_paper_edge(tmp_path):
    layout = make_layout(tmp_path / "layouts", marks={"length": "20mm"})
    grid, found = cut_marks(tmp_path, layout)
    left = [s for s in found if s[1] == s[3] and s[0] < grid.origin[0]]
    assert left and all(min(s[0], s[2]) == pytest.approx(impose.MARK_EDGE, abs=0.01) for s in left)


def test_cut_lines_run_across_the_whole_sheet(layout, tmp_path):
    grid = impose.plan_grid(layout)
    lines = Marks(length=5 * MM, offset=3 * MM, width=0.25, style="lines")
    found = drawn(tmp_path, (grid.sheet_w, grid.sheet_h), lambda c: impose.draw_cut_marks(c, grid, lines))
    xs, ys = grid.edges()
    assert sorted(s[0] for s in found if s[0] == s[2]) == pytest.approx(xs, abs=0.01)
    assert all(length(s) == pytest.approx(grid.sheet_h, abs=0.01) for s in found if s[0] == s[2])
    assert all(length(s) == pytest.approx(grid.sheet_w, abs=0.01) for s in found if s[1] == s[3])
    assert len(found) == len(xs) + len(ys)


# --- office-sheet gutters, bleed and the label's room --------------------------------------
# Worked out by hand on portrait A4 (210 × 297 mm) with 8 mm margins, so 194 × 281 mm for cards.

LABEL_ROOM = 8 * MM + 1.2 * 6.5 + 1 * MM  # the label: 8 mm off the paper edge, one 6.5 pt line, 1 mm air
BELOW = LABEL_ROOM + 2 * MM + 1 * MM  # under the artwork: the label, a cut mark of 2 mm, 1 mm air


@pytest.mark.parametrize("size, extra, gaps, bleeds", [
    (("90mm", "130mm"), {}, (6, 6), (3, 3)),  # room for the full 6 mm gutters, so the full 3 mm bleed
    (("90mm", "130mm"), {"sheet": {"gap": "9mm"}}, (9, 9), (3, 3)),  # a wide gutter keeps just the bleed
    (("90mm", "130mm"), {"bleed": "2mm"}, (6, 6), (2, 2)),
    (("63mm", "88mm"), {}, (2.5, 4), (1.25, 2)),  # (194 − 3 × 63) / 2 across; 6 mm down leaves no label room: ⅔
    (("63mm", "88mm"), {"sheet": {"gap": "9mm"}}, (2.5, 3), (1.25, 1.5)),  # 9 and 6 mm do not fit down: ⅓ of 9
    (("95mm", "135mm"), {}, (4, 2), (2, 1)),  # 194 − 2 × 95 across; down only ⅓ of 6 mm leaves the label room
    (("95mm", "136mm"), {}, (4, 0), (2, 0)),  # not even 2 mm down: the rows touch, without bleed between them
    (("90mm", "132.7mm"), {}, (6, 4), (3, 2)),  # 5.85 mm down is not 6 mm: the next step, 4 mm
    (("190mm", "270mm"), {}, (0, 0), (3, 3)),  # one card: no gutter, all of its bleed
    (("90mm", "200mm"), {}, (6, 0), (3, 3)),  # a single row keeps its bleed above and below
])
def test_gutters_are_as_wide_as_there_is_room_for_and_hold_half_of_each_card_bleed(tmp_path, size, extra, gaps,
                                                                                  bleeds):
    grid = impose.plan_grid(make_layout(tmp_path / "layouts", size={"width": size[0], "height": size[1]}, **extra))
    assert (grid.sheet_w, grid.sheet_h) == pytest.approx((210 * MM, 297 * MM), abs=0.01)
    assert (grid.gap_x, grid.gap_y) == pytest.approx((gaps[0] * MM, gaps[1] * MM), abs=0.001)
    assert (grid.bleed_x, grid.bleed_y) == pytest.approx((bleeds[0] * MM, bleeds[1] * MM), abs=0.001)


@pytest.mark.parametrize("size, origin_y", [
    (("63mm", "88mm"), BELOW + 2 * MM),  # lifted just enough: the artwork (2 mm bleed) ends where the room ends
    (("90mm", "130mm"), BELOW + 3 * MM),
    (("95mm", "136mm"), BELOW),  # no bleed
    (("90mm", "200mm"), (297 - 200) / 2 * MM),  # room enough: centred
    (("95mm", "137.5mm"), 14 * MM),  # lifted only until the cards touch the top margin: 297 − 8 − 275 mm
    (("95mm", "140.4mm"), 8.2 * MM),  # 0.1 mm of room above: lifted by that much, no more
])
def test_the_grid_leaves_room_below_for_the_label_and_a_cut_mark(tmp_path, size, origin_y):
    grid = impose.plan_grid(make_layout(tmp_path / "layouts", size={"width": size[0], "height": size[1]}))
    top = grid.origin[1] + grid.rows * grid.card_h + (grid.rows - 1) * grid.gap_y
    assert grid.origin[1] == pytest.approx(origin_y, abs=0.001)
    assert top <= grid.sheet_h - 8 * MM + 0.001
    assert grid.origin[0] == pytest.approx((grid.sheet_w - grid.cols * grid.card_w - (grid.cols - 1) * grid.gap_x) / 2)


@pytest.mark.parametrize("size", [("97.1mm", "140.5mm"), ("97mm", "140.6mm")])
def test_a_card_a_fraction_of_a_point_too_large_is_not_squeezed_in(tmp_path, size):
    # 97 × 140.5 mm fills the 194 × 281 mm inside the margins twice each way (tested above);
    # 0.1 mm (0.28 pt) more leaves room for only one that way
    grid = impose.plan_grid(make_layout(tmp_path / "layouts", size={"width": size[0], "height": size[1]}))
    assert grid.per_sheet == 2


def vertical_marks(found, below: bool, grid) -> set:
    """Vertical marks under (or over) the cards, as (x, lower y, upper y) in mm rounded to 0.01."""
    middle = grid.sheet_h / 2
    return {(round(x1 / MM, 2), round(min(y1, y2) / MM, 2), round(max(y1, y2) / MM, 2))
            for x1, y1, x2, y2 in found if x1 == x2 and (max(y1, y2) < middle) == below}


def marks_for(tmp_path, length: str, label_on_top: bool):
    layout = make_layout(tmp_path / "layouts", marks={"length": length})  # 63 × 88 mm: 3 × 3 cards
    grid = impose.plan_grid(layout)
    found = drawn(tmp_path, (grid.sheet_w, grid.sheet_h),
                  lambda c: impose.draw_cut_marks(c, grid, layout.marks, label_on_top=label_on_top))
    xs = [round(x / MM, 2) for x in grid.edges()[0]]
    return grid, found, xs


@pytest.mark.parametrize("length", ["5mm", "20mm"])
def test_cut_marks_under_the_cards_stop_where_the_label_begins(tmp_path, length):
    grid, found, xs = marks_for(tmp_path, length, label_on_top=False)
    art_bottom = BELOW  # the artwork of the lowest row starts BELOW (see the grid test above)
    assert grid.origin[1] - grid.bleed_y == pytest.approx(art_bottom, abs=0.001)
    low, high = round(LABEL_ROOM / MM, 2), round((art_bottom - 1 * MM) / MM, 2)  # exactly a 2 mm mark
    assert vertical_marks(found, True, grid) == {(x, low, high) for x in xs}
    art_top = grid.front(0)[1] + grid.card_h + grid.bleed_y  # 6.25 mm under the paper edge
    assert (grid.sheet_h - art_top) / MM == pytest.approx(297 - (2 + 3 * 88 + 2 * 4 + 2) - BELOW / MM, abs=0.001)
    top = (round((art_top + 1 * MM) / MM, 2), round((grid.sheet_h - 3 * MM) / MM, 2))  # stops 3 mm off the edge
    assert vertical_marks(found, False, grid) == {(x, *top) for x in xs}


@pytest.mark.parametrize("length, low", [("5mm", BELOW - 1 * MM - 5 * MM), ("20mm", 3 * MM)])
def test_a_label_on_top_moves_the_room_it_needs_to_the_top(tmp_path, length, low):
    """The backs page turned top↔bottom has its label on top: no mark there (the 6.25 mm above the
    artwork lie inside the label's room), full marks below (down to 3 mm off the paper edge)."""
    grid, found, xs = marks_for(tmp_path, length, label_on_top=True)
    assert vertical_marks(found, False, grid) == set()
    assert vertical_marks(found, True, grid) == {(x, round(low / MM, 2), round((BELOW - 1 * MM) / MM, 2)) for x in xs}


def test_side_marks_run_from_the_artwork_to_3mm_off_the_paper_edge(tmp_path):
    grid, found, _ = marks_for(tmp_path, "5mm", label_on_top=False)
    ys = {round(y / MM, 2) for y in grid.edges()[1]}
    art_left = 8 * MM - 1.25 * MM  # the cards fill the width inside the margins; 1.25 mm of bleed
    left = {(round(min(x1, x2) / MM, 2), round(max(x1, x2) / MM, 2), round(y1 / MM, 2))
            for x1, y1, x2, y2 in found if y1 == y2 and x1 < grid.sheet_w / 2}
    assert left == {(3.0, round((art_left - 1 * MM) / MM, 2), y) for y in ys}
    right = {(round(grid.sheet_w / MM - max(x1, x2) / MM, 2), round(grid.sheet_w / MM - min(x1, x2) / MM, 2))
             for x1, y1, x2, y2 in found if y1 == y2 and x1 > grid.sheet_w / 2}
    assert right == {(3.0, round((art_left - 1 * MM) / MM, 2))}


def test_a_mark_that_would_be_shorter_than_2mm_is_left_out(tmp_path):
    layout = make_layout(tmp_path / "layouts", size={"width": "93.2mm", "height": "130mm"})
    grid, found = cut_marks(tmp_path, layout)
    # beside the cards: (210 − 2 × 93.2 − 6) / 2 − 3 mm bleed = 5.8 mm;
    # less 1 mm air and 3 mm off the paper edge leaves 1.8 mm
    assert grid.origin[0] - grid.bleed_x == pytest.approx(5.8 * MM, abs=0.001)
    assert [s for s in found if s[1] == s[3]] == []
    assert len(found) == 2 * len(grid.edges()[0])  # above and below they are there


def test_the_sheet_label_fits_its_room_in_the_cards_font(layout):
    font = register_family(layout.font_files).name(False, False)
    ascent, descent = pdfmetrics.getAscentDescent(font, impose.LABEL_SIZE)
    baseline = impose.label_baseline()
    assert baseline + descent >= 8 * MM  # descenders stay 8 mm off the paper edge, where printers still print
    assert baseline + descent <= 8 * MM + 0.5  # and no higher than needed
    assert baseline + ascent <= impose.label_top() == pytest.approx(LABEL_ROOM)


# --- page names ---------------------------------------------------------------------------

@pytest.mark.parametrize("size, name", [((420, 297), "A3"), ((297, 420), "A3"), ((210, 297), "A4"),
                                        ((105, 148), "A6"), ((500, 297), "500x297mm"), ((90, 130), "90x130mm")])
def test_page_name_is_the_paper_size_of_the_page(size, name):
    assert impose.page_name(size[0] * MM, size[1] * MM) == name
