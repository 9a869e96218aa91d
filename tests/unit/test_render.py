"""Drawing typed elements: where each element lands on the card (read back from the content
stream, in points), its colours, the warnings and errors it gives (code, text, file:line and key
path), and a QR code that a real decoder reads back from a rendered page.

The layouts are written on the fly: `x`/`y` count from the card's top-left, the content stream
from its bottom-left, so a box at y = 10 mm of height 5 mm has its bottom at H - 15 mm."""

from __future__ import annotations

import io
import math
import os
import re
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import segno
from PIL import Image
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from conftest import need_tool
from kaartgen import messages as msg
from kaartgen.cmyk import load_converter
from kaartgen.errors import KaartgenError, Where
from kaartgen.fonts import register_family
from kaartgen.layouts import load_layout
from kaartgen.model import Color
from kaartgen.render import CMYKPaint, Context, Frame, Paint, contrast, draw, plan_face
from pdfops import placements, rectangles, segments

MM = 72 / 25.4
W, H = 63 * MM, 88 * MM
CARD_SIZE = "{width: 63mm, height: 88mm}"

LAYOUT = """\
size: %s
safe: 0mm
colors: {ink: "#1b1b1f", red: "#cc0000", yellow: "#ffdd00"%s}
styles: {body: {size: 9pt}, schuin: {size: 9pt, italic: true}, vetschuin: {size: 9pt, bold: true, italic: true}}
templates:
  card:
    fields:
      title: {type: text}
      kleur: {type: text}
      lijn: {type: text}
      soort: {type: text}
      niveau: {type: text}
      logo: {type: text}
      kort: {type: text}
      lang: {type: text}
      woorden: {type: list}
      stations: {type: items, fields: {naam: {type: text}}}
    front:
%s
"""
FIRST_LINE = LAYOUT.splitlines().index("%s") + 1  # of the first element of the front


@dataclass
class Page:
    stream: str
    resources: object
    ctx: Context
    path: Path

    def ops(self, op: str) -> list[list[float]]:
        return operators(self.stream, op)

    def warnings(self, code: str) -> dict[str, object]:
        """The warnings with this code, by the name of the element they are about."""
        return {p.path.split(".")[3]: p for p in self.ctx.warnings if p.code == code}


def layout_of(tmp_path: Path, elements: str, size: str = CARD_SIZE, colors: str = "", fonts: str = ""):
    folder = tmp_path / "layouts"
    folder.mkdir(exist_ok=True)
    (folder / "t.yaml").write_text(fonts + LAYOUT % (size, colors, elements), encoding="utf-8")
    return load_layout("t", folder)


def render(tmp_path: Path, elements: str, values: dict | None = None, *, paint=None, card_where="cards/t.yaml:1:1",
           size: str = CARD_SIZE, colors: str = "", layout=None) -> Page:
    """Draw `elements` (YAML lines of the front) on one page; errors are raised as planning raises them."""
    layout = layout or layout_of(tmp_path, elements, size, colors)
    family = register_family(layout.font_files)
    ctx = Context(layout=layout, family=family, values=values or {}, project=tmp_path, deck="t", card_id="een",
                  card_where=card_where, paint=paint or Paint())
    ops = plan_face(layout.templates["card"].front, ctx, Frame(0, layout.height, layout.width, layout.height))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(layout.width, layout.height), pageCompression=0,
                    initialFontName=family.name(False, False),
                    enforceColorSpace="sep_cmyk" if isinstance(paint, CMYKPaint) else None)  # as the writers do
    draw(canvas, ops)
    canvas.showPage()
    canvas.save()
    path = tmp_path / "page.pdf"
    path.write_bytes(buffer.getvalue())
    page = PdfReader(io.BytesIO(buffer.getvalue())).pages[0]
    return Page(page.get_contents().get_data().decode("latin-1"), page["/Resources"], ctx, path)


def operators(stream: str, op: str) -> list[list[float]]:
    """Operands of every `op` in a content stream (numbers only)."""
    number = r"-?\d*\.?\d+(?:e-?\d+)?"
    return [[float(v) for v in re.findall(number, m.group(1))]
            for m in re.finditer(rf"((?:{number}\s+)+){op}(?=\s)", stream)]


def card_fields(**lines: int) -> Where:
    """A card in cards/d.yaml whose fields are written on the given lines."""
    return Where("cards/d.yaml:3:3", "cards[een]",
                 {name: ("cards/d.yaml", line, 12, f"cards[een].{name}") for name, line in lines.items()})


def pt(*values: float) -> list:
    return [pytest.approx(v, abs=0.01) for v in values]


def painted(stream: str) -> list[str]:
    """The painting operators in order: f (fill), S (stroke), B (both)."""
    return [op.rstrip("*") for op in re.findall(r"(?<=\s)(f\*?|S|B\*?)(?=\s)", stream)]


# --- shapes, their boxes and their colours


def test_a_rect_is_its_box_filled_and_stroked_in_its_colours(tmp_path):
    page = render(tmp_path, "      r: {type: rect, x: 10mm, y: 20mm, width: 30mm, height: 15mm, fill: '{kleur}', "
                            "stroke: '{lijn}', stroke_width: 2pt, dash: [3pt, 1pt]}",
                  {"kleur": "yellow", "lijn": "red"})
    assert page.ops("re") == [pt(10 * MM, H - 35 * MM, 30 * MM, 15 * MM)]
    assert "1 .866667 0 rg" in page.stream and ".8 0 0 RG" in page.stream
    assert page.ops("w") == [[2]] and "[3 1] 0 d" in page.stream
    assert painted(page.stream) == ["B"]


@pytest.mark.parametrize("paint, ops", [("fill: red", ["f"]), ("stroke: red", ["S"])])
def test_a_shape_is_only_filled_or_only_stroked_as_it_says(tmp_path, paint, ops):
    for shape in ("rect", "ellipse", "circle"):
        size = "r: 5mm" if shape == "circle" else "width: 10mm, height: 10mm"
        page = render(tmp_path, f"      s: {{type: {shape}, x: 10mm, y: 10mm, {size}, {paint}}}")
        assert painted(page.stream) == ops, shape
    rounded = render(tmp_path, "      s: {type: rect, x: 10mm, y: 10mm, width: 10mm, height: 10mm, radius: 2mm, "
                               f"{paint}}}")
    assert painted(rounded.stream) == ops


def test_a_rounded_rect_has_four_rounded_corners_inside_its_box(tmp_path):
    page = render(tmp_path, "      r: {type: rect, x: 10mm, y: 20mm, width: 30mm, height: 15mm, radius: 3mm, "
                            "fill: red}")
    assert not page.ops("re") and len(page.ops("c")) == 4
    xs = [v for op in ("m", "l", "c") for o in page.ops(op) for v in o[::2]]
    ys = [v for op in ("m", "l", "c") for o in page.ops(op) for v in o[1::2]]
    assert (min(xs), max(xs), min(ys), max(ys)) == tuple(pt(10 * MM, 40 * MM, H - 35 * MM, H - 20 * MM))


def test_an_ellipse_fills_its_box(tmp_path):
    page = render(tmp_path, "      e: {type: ellipse, x: 10mm, y: 10mm, width: 40mm, height: 20mm, fill: '{kleur}', "
                            "stroke: '{lijn}'}", {"kleur": "red", "lijn": "yellow"})
    assert len(page.ops("c")) == 4 and ".8 0 0 rg" in page.stream and "1 .866667 0 RG" in page.stream
    xs = [o[-2] for o in page.ops("c")] + [page.ops("m")[0][0]]
    ys = [o[-1] for o in page.ops("c")] + [page.ops("m")[0][1]]
    assert (min(xs), max(xs), min(ys), max(ys)) == tuple(pt(10 * MM, 50 * MM, H - 30 * MM, H - 10 * MM))


@pytest.mark.parametrize("anchor, centre", [("top-left", (25, 45)), ("center", (20, 40)), ("bottom-right", (15, 35))])
def test_a_circle_is_placed_by_its_anchor(tmp_path, anchor, centre):
    page = render(tmp_path, f"      c: {{type: circle, x: 20mm, y: 40mm, r: 5mm, anchor: {anchor}, "
                            "fill: '{kleur}', stroke: '{kleur}'}", {"kleur": "red"})
    xs = [o[-2] for o in page.ops("c")]
    ys = [o[-1] for o in page.ops("c")]
    cx, cy = centre
    assert (min(xs), max(xs)) == tuple(pt((cx - 5) * MM, (cx + 5) * MM))
    assert (min(ys), max(ys)) == tuple(pt(H - (cy + 5) * MM, H - (cy - 5) * MM))
    assert ".8 0 0 rg" in page.stream and ".8 0 0 RG" in page.stream


# --- bleed


def test_a_bleeding_rect_reaches_past_each_trim_edge_it_lies_on(tmp_path):
    bleed = 3 * MM
    page = render(tmp_path, "      a: {type: rect, x: 0mm, y: 0mm, width: 100%, height: 100%, bleed: true, fill: red}\n"
                            "      b: {type: rect, x: 30mm, y: 40mm, width: 33mm, height: 48mm, bleed: true, "
                            "fill: red}\n"
                            "      c: {type: rect, x: 0.2mm, y: 0.2mm, width: 62.6mm, height: 87.6mm, bleed: true, "
                            "fill: red}\n"
                            "      d: {type: rect, x: 0mm, y: 0mm, width: 100%, height: 100%, fill: red}")
    assert page.ops("re") == [pt(-bleed, -bleed, W + 2 * bleed, H + 2 * bleed),
                              pt(30 * MM, -bleed, 33 * MM + bleed, 48 * MM + bleed),
                              pt(0.2 * MM, 0.2 * MM, 62.6 * MM, 87.6 * MM),
                              pt(0, 0, W, H)]


# --- lines and paths


def test_a_line_without_colours_is_stroked_in_the_layouts_black_with_round_ends(tmp_path):
    page = render(tmp_path, "      l: {type: line, x1: 5mm, y1: 10mm, x2: 40mm, y2: 30mm}", colors=', black: "#1b1b1f"')
    assert segments(page.path) == [tuple(round(v, 2) for v in (5 * MM, H - 10 * MM, 40 * MM, H - 30 * MM))]
    assert ".105882 .105882 .121569 RG" in page.stream
    assert "1 J" in page.stream and "1 j" in page.stream
    assert painted(page.stream) == ["S"], "stroked, not closed nor filled"
    assert not re.search(r"\sh\s", page.stream)


def test_a_path_is_stroked_in_its_colour_and_filled_and_closed_when_it_has_a_fill(tmp_path):
    points = "[[5mm, 10mm], [40mm, 10mm], [20mm, 30mm]]"
    open_path = render(tmp_path, f"      p: {{type: path, points: {points}, stroke: '{{lijn}}'}}", {"lijn": "red"})
    assert segments(open_path.path) == [tuple(round(v, 2) for v in s) for s in
                                        [(5 * MM, H - 10 * MM, 40 * MM, H - 10 * MM),
                                         (40 * MM, H - 10 * MM, 20 * MM, H - 30 * MM)]]
    assert ".8 0 0 RG" in open_path.stream and painted(open_path.stream) == ["S"]
    assert not re.search(r"\sh\s", open_path.stream)
    filled = render(tmp_path, f"      p: {{type: path, points: {points}, fill: '{{kleur}}'}}", {"kleur": "yellow"})
    assert "1 .866667 0 rg" in filled.stream and re.search(r"\sh\s", filled.stream)
    assert painted(filled.stream) == ["f"], "a filled path has no stroke unless it asks for one"
    closed = render(tmp_path, f"      p: {{type: path, points: {points}, closed: true}}")
    assert re.search(r"\sh\s", closed.stream) and painted(closed.stream) == ["S"]


def catmull_rom(points, closed=False):
    """The Bezier segments of a Catmull-Rom curve through `points` (ends repeated), in PDF space."""
    pts = points + points[:1] if closed else points
    padded = [pts[0]] + pts + [pts[-1]]
    out = []
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1:i + 3]
        out.append([p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6,
                    p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6, *p2])
    return out


@pytest.mark.parametrize("closed", [False, True])
def test_a_smooth_path_is_a_catmull_rom_curve_through_every_point(tmp_path, closed):
    mm_points = [(5, 10), (40, 12), (30, 45), (8, 33)]
    page = render(tmp_path, "      p: {type: path, smooth: true, closed: %s, points: [%s]}"
                  % (str(closed).lower(), ", ".join(f"[{x}mm, {y}mm]" for x, y in mm_points)))
    points = [(x * MM, H - y * MM) for x, y in mm_points]
    assert page.ops("m") == [pt(*points[0])]
    assert page.ops("c") == [pt(*segment) for segment in catmull_rom(points, closed)]
    assert not page.ops("l")
    assert bool(re.search(r"\sh\s", page.stream)) == closed


def test_a_smooth_path_through_two_points_is_straight_and_through_three_is_curved(tmp_path):
    two = render(tmp_path, "      p: {type: path, smooth: true, points: [[5mm, 10mm], [40mm, 30mm]]}")
    assert len(two.ops("l")) == 1 and not two.ops("c")
    three = render(tmp_path, "      p: {type: path, smooth: true, points: [[5mm, 10mm], [40mm, 30mm], [10mm, 50mm]]}")
    assert len(three.ops("c")) == 2 and not three.ops("l")


# --- rotation and opacity


@pytest.mark.parametrize("element, centre", [
    ("{type: rect, x: 10mm, y: 10mm, width: 20mm, height: 10mm, fill: red}", (20, 15)),
    ("{type: ellipse, x: 10mm, y: 10mm, width: 20mm, height: 10mm, fill: red}", (20, 15)),
    ("{type: circle, x: 10mm, y: 10mm, r: 5mm, fill: red}", (15, 15)),
    ("{type: line, x1: 5mm, y1: 10mm, x2: 25mm, y2: 40mm}", (15, 25)),
    ("{type: path, points: [[5mm, 5mm], [10mm, 5mm], [30mm, 45mm]]}", (17.5, 25)),
    ("{type: repeat, count: 1, width: 10mm, height: 10mm, elements: {d: {type: rect, x: 0mm, y: 0mm, width: 100%, "
     "height: 100%, fill: red}}}", (31.5, 44)),
])
def test_an_element_turns_clockwise_around_its_centre(tmp_path, element, centre):
    """The element's matrix turns 30° clockwise and leaves the centre where it is (a repeat: the card's centre)."""
    page = render(tmp_path, f"      e: {element[:-1]}, rotation: 30}}")
    [(a, b, c, d, e, f)] = [o for o in page.ops("cm") if o[:4] != [1, 0, 0, 1]]
    cos, sin = math.cos(math.radians(30)), math.sin(math.radians(30))
    assert [a, b, c, d] == pt(cos, -sin, sin, cos)
    x, y = centre[0] * MM, H - centre[1] * MM
    assert (a * x + c * y + e, b * x + d * y + f) == tuple(pt(x, y))


def test_a_turned_element_at_full_opacity_sets_no_transparency(tmp_path):
    page = render(tmp_path, "      r: {type: rect, x: 10mm, y: 10mm, width: 20mm, height: 10mm, fill: red, "
                            "rotation: 90}")
    assert "/ExtGState" not in page.resources and not re.search(r"/\w+ gs", page.stream)


def test_opacity_sets_an_extgstate_with_ca(tmp_path):
    page = render(tmp_path, "      r: {type: rect, x: 0mm, y: 0mm, width: 10mm, height: 10mm, fill: red, opacity: 0.4}")
    states = page.resources["/ExtGState"]
    values = [(float(s.get_object().get("/ca", 1)), float(s.get_object().get("/CA", 1))) for s in states.values()]
    assert (0.4, 1.0) in values or (0.4, 0.4) in values
    assert re.search(r"/\w+ gs", page.stream)


# --- when: elements shown for some cards only


@pytest.mark.parametrize("when, values, shown", [
    ("{title: true}", {"title": "Welkom"}, True), ("{title: true}", {}, False),
    ("{title: false}", {}, True), ("{title: false}", {"title": "Welkom"}, False),
    ("{soort: [a, b]}", {"soort": "b"}, True), ("{soort: [a, b]}", {"soort": "c"}, False),
    ("{soort: a}", {"soort": "a"}, True), ("{niveau: 2}", {"niveau": "2"}, True), ("{niveau: 2}", {"niveau": 3}, False),
    ("{title: true, soort: a}", {"title": "x", "soort": "b"}, False),
])
def test_when_shows_an_element_only_for_the_cards_it_names(tmp_path, when, values, shown):
    page = render(tmp_path, "      r: {type: rect, x: 0mm, y: 0mm, width: 5mm, height: 5mm, fill: red, "
                            f"when: {when}}}\n"
                            "      s: {type: rect, x: 10mm, y: 0mm, width: 5mm, height: 5mm, fill: yellow}", values)
    assert len(page.ops("re")) == (2 if shown else 1), "the elements after it are drawn either way"


# --- colours


def test_an_unknown_colour_from_a_card_names_it_the_key_and_the_choices(tmp_path):
    with pytest.raises(KaartgenError) as caught:
        render(tmp_path, "      r: {type: rect, x: 0mm, y: 0mm, width: 5mm, height: 5mm, fill: '{kleur}'}",
               {"kleur": "paars"})
    [problem] = caught.value.problems
    assert (problem.code, Path(problem.file).name, problem.line, problem.path) == \
        ("K607", "t.yaml", FIRST_LINE, "templates.card.front.r.fill")
    assert problem.params["text"].params == {"name": "paars", "key": "fill",
                                            "choices": ["black", "white", "ink", "red", "yellow"]}
    assert problem.message.startswith("deck 't', card 'een': unknown colour 'paars' in fill")


# --- text colour against what lies behind it


def test_contrast_follows_wcag():
    white, black = Color.from_hex("#ffffff"), Color.from_hex("#000000")
    assert contrast(black, white) == pytest.approx(21) and contrast(white, black) == pytest.approx(21)
    for colour, behind, ratio in [("#777777", white, 4.48), ("#767676", white, 4.54), ("#ff0000", white, 4.00),
                                  ("#0000ff", white, 8.59), ("#00ff00", black, 15.30)]:
        assert contrast(Color.from_hex(colour), behind) == pytest.approx(ratio, abs=0.005), colour
    # a very dark grey is on the straight part of the sRGB curve: 0.02 / 12.92
    assert contrast(Color(rgb=(0.02, 0.02, 0.02)), white) == pytest.approx(1.05 / (0.02 / 12.92 + 0.05), abs=1e-6)


PROBE = "{type: text, x: %s, y: %s, anchor: center, width: %s, height: %s, content: Aa, color: black}"


def probes(*centres, size=("6mm", "5mm")) -> str:
    return "\n".join(f"      p{i}: {PROBE % (x, y, *size)}" for i, (x, y) in enumerate(centres))


def test_black_text_on_a_dark_fill_turns_white_with_a_warning_at_its_colour(tmp_path):
    page = render(tmp_path, "      r: {type: rect, x: 0mm, y: 0mm, width: 30mm, height: 30mm, fill: ink}\n"
                  + probes(("10mm", "10mm"), ("50mm", "50mm")))
    warned = page.warnings("K613")
    assert list(warned) == ["p0"], "the text on paper stays black"
    assert warned["p0"].path == "templates.card.front.p0.color" and warned["p0"].line == FIRST_LINE + 1
    assert warned["p0"].params["text"].params == {"ratio": 1.2, "colour": "#1b1b1f"}
    assert "text contrast 1.2:1 on colour #1b1b1f is below 4.5:1; using white text" in warned["p0"].message
    assert re.findall(r"([\d.]+ [\d.]+ [\d.]+) rg\s+BT", page.stream) == ["1 1 1", "0 0 0"]


def test_white_text_on_a_light_fill_turns_black_and_enough_contrast_is_left_alone(tmp_path):
    page = render(tmp_path, "      r: {type: rect, x: 0mm, y: 0mm, width: 30mm, height: 30mm, fill: yellow}\n"
                  "      w: {type: text, x: 5mm, y: 5mm, width: 20mm, height: 6mm, content: Aa, color: white}\n"
                  "      g: {type: text, x: 5mm, y: 40mm, width: 20mm, height: 6mm, content: Aa, color: '#767676'}\n"
                  "      p: {type: text, x: 5mm, y: 60mm, width: 20mm, height: 6mm, content: Aa, color: white}")
    assert list(page.warnings("K612")) == ["w", "p"] and not page.warnings("K613")
    assert page.warnings("K612")["w"].params["text"].params == {"ratio": 1.3, "colour": "#ffdd00"}
    assert page.warnings("K612")["p"].params["text"].params == {"ratio": 1.0, "colour": "#ffffff"}
    assert re.findall(r"([\d.]+ [\d.]+ [\d.]+) rg\s+BT", page.stream) == ["0 0 0", ".462745 .462745 .462745", "0 0 0"]


def test_the_backdrop_of_text_is_the_last_fill_under_its_centre_edges_included(tmp_path):
    # sizes in points, so the centres fall exactly on the rectangle's edges
    page = render(tmp_path, "      r: {type: rect, x: 50pt, y: 50pt, width: 100pt, height: 100pt, fill: ink}\n"
                  "      y: {type: rect, x: 160pt, y: 0pt, width: 40pt, height: 200pt, fill: ink}\n"
                  "      z: {type: rect, x: 160pt, y: 0pt, width: 40pt, height: 200pt, fill: yellow}\n"
                  + probes(("50pt", "50pt"), ("150pt", "150pt"), ("100pt", "180pt"), ("20pt", "100pt"),
                           ("180pt", "100pt"), size=("20pt", "14pt")),
                  size="{width: 200pt, height: 200pt}")
    assert set(page.warnings("K613")) == {"p0", "p1"}, "the corners count, what lies beside it does not"
    assert not page.warnings("K612"), "yellow, drawn last, is what lies behind p4"


def test_the_inner_part_of_an_ellipse_or_circle_is_a_backdrop(tmp_path):
    # the middle 70 % of an ellipse's box; a circle's square of 1.4 r around its centre
    ellipse = render(tmp_path, "      e: {type: ellipse, x: 10mm, y: 10mm, width: 40mm, height: 20mm, fill: ink}\n"
                     + probes(("42mm", "14mm"), ("46mm", "20mm"), ("30mm", "12mm"), ("14mm", "20mm")))
    assert set(ellipse.warnings("K613")) == {"p0"}
    circle = render(tmp_path, "      c: {type: circle, x: 30mm, y: 40mm, r: 10mm, anchor: center, fill: ink}\n"
                    + probes(("36mm", "34mm"), ("38mm", "40mm"), ("30mm", "32mm"), ("23.5mm", "46.5mm")))
    assert set(circle.warnings("K613")) == {"p0", "p3"}


# --- pictures


def picture(folder: Path, name: str, width: int, height: int, mode: str = "RGB") -> str:
    colour = (200, 30, 30, 0) if mode == "RGBA" else (200, 30, 30)
    Image.new(mode, (width, height), colour).save(folder / name)
    return name


IMAGE = "      i: {type: image, x: 10mm, y: 10mm, width: 20mm, height: 20mm, src: %s, fit: %s}"


@pytest.mark.parametrize("fit, placed", [("contain", (20, 10, 10, 15)), ("stretch", (20, 20, 10, 10)),
                                         ("cover", (40, 20, 0, 10))])
def test_a_picture_is_placed_in_its_box_as_fit_says(tmp_path, fit, placed):
    page = render(tmp_path, IMAGE % (picture(tmp_path, "foto.png", 2000, 1000), fit))
    w, h, left, top = placed
    [(_, matrix)] = placements(page.path)
    assert matrix == tuple(pt(w * MM, 0, 0, h * MM, left * MM, H - (top + h) * MM))
    assert rectangles(page.path) == ([tuple(pt(10 * MM, H - 30 * MM, 30 * MM, H - 10 * MM))] if fit == "cover" else [])
    assert bool(re.search(r"\sW\*? n\s", page.stream)) == (fit == "cover"), "only cover cuts the picture off"


def test_a_transparent_png_keeps_its_transparency(tmp_path):
    page = render(tmp_path, IMAGE % (picture(tmp_path, "logo.png", 400, 400, "RGBA"), "contain"))
    [image] = [x.get_object() for x in page.resources["/XObject"].values()]
    assert "/SMask" in image and image["/Width"] == 400


def test_a_picture_from_a_card_field_and_an_optional_one_left_empty(tmp_path):
    src = picture(tmp_path, "foto.png", 800, 800)
    elements = "      i: {type: image, x: 10mm, y: 10mm, width: 20mm, height: 20mm, src: '{logo}', optional: true}"
    assert len(placements(render(tmp_path, elements, {"logo": src}).path)) == 1
    empty = render(tmp_path, elements, {"logo": ""})
    assert not placements(empty.path) and not empty.ctx.warnings
    with pytest.raises(KaartgenError) as caught:
        render(tmp_path, elements.replace("optional: true", "optional: false"), {"logo": ""})
    assert caught.value.problems[0].code == "K604", "a required picture without a file is an error"


def low_resolution(page: Page) -> list[dict]:
    return [p.params["text"].params for p in page.ctx.warnings if p.code == "K614"]


def test_a_picture_below_300_dpi_warns_with_the_pixels_it_needs(tmp_path):
    # 200×120 pixels on 20×12 mm is 254 dpi; 300 dpi needs 20 / 25.4 × 300 = 236.2 and 141.7 pixels
    src = picture(tmp_path, "klein.png", 200, 120)
    page = render(tmp_path, f"      i: {{type: image, x: 10mm, y: 10mm, width: 20mm, height: 12mm, src: {src}}}\n"
                            f"      j: {{type: image, x: 10mm, y: 40mm, width: 20mm, height: 12mm, src: {src}}}")
    assert low_resolution(page) == [{"src": "klein.png", "dpi": 254, "width": 237, "height": 142,
                                     "has_width": 200, "has_height": 120}] * 2, "one warning per picture"
    problem = page.ctx.warnings[0]
    assert (problem.path, problem.line) == ("templates.card.front.i.src", FIRST_LINE)
    assert problem.message == ("deck 't', card 'een': image 'klein.png' prints at 254 dpi (below 300 dpi); at this "
                               "size it needs at least 237×142 pixels, it has 200×120")


def test_the_lower_of_the_two_resolutions_counts(tmp_path):
    # stretched: 300 pixels over 20 mm is 381 dpi across, 30 pixels over 10 mm is 76 dpi down
    src = picture(tmp_path, "smal.png", 300, 30)
    page = render(tmp_path, f"      i: {{type: image, x: 10mm, y: 10mm, width: 20mm, height: 10mm, src: {src}, "
                            "fit: stretch}")
    assert [(w["dpi"], w["width"], w["height"]) for w in low_resolution(page)] == [(76, 237, 119)]
    tall = picture(tmp_path, "hoog.png", 30, 300)
    page = render(tmp_path, f"      i: {{type: image, x: 10mm, y: 10mm, width: 10mm, height: 20mm, src: {tall}, "
                            "fit: stretch}")
    assert [w["dpi"] for w in low_resolution(page)] == [76]


def test_exactly_300_dpi_is_enough(tmp_path):
    src = picture(tmp_path, "precies.png", 300, 150)  # on 1 × 0.5 inch
    page = render(tmp_path, f"      i: {{type: image, x: 10mm, y: 10mm, width: 72pt, height: 36pt, src: {src}}}")
    assert not page.ctx.warnings and len(placements(page.path)) == 1


@pytest.mark.parametrize("write, code, text", [
    (None, "K603", "image 'weg.png' not found"),
    (b"geen png", "K605", "cannot read image 'weg.png': UnidentifiedImageError"),
])
def test_a_missing_or_broken_picture_is_an_error_at_its_src(tmp_path, write, code, text):
    if write is not None:
        (tmp_path / "weg.png").write_bytes(write)
    with pytest.raises(KaartgenError) as caught:
        render(tmp_path, IMAGE % ("weg.png", "contain"))
    [problem] = caught.value.problems
    assert (problem.code, problem.path, problem.line) == (code, "templates.card.front.i.src", FIRST_LINE)
    assert problem.message == f"deck 't', card 'een': {text}"


def test_a_picture_that_is_not_an_ordinary_file_is_refused_by_the_name_the_layout_gives(tmp_path):
    (tmp_path / "logos").mkdir()
    os.mkfifo(tmp_path / "logos" / "pijp.svg")
    with pytest.raises(KaartgenError) as caught:
        render(tmp_path, IMAGE % ("logos/pijp.svg", "contain"))
    [problem] = caught.value.problems
    assert (problem.code, problem.path) == ("K129", "templates.card.front.i.src")
    assert problem.message == ("deck 't', card 'een': image 'logos/pijp.svg': is a named pipe (FIFO), not an ordinary "
                               "file; kaartgen reads only ordinary files")


def test_a_picture_named_by_a_card_is_wrong_where_the_card_names_it(tmp_path):
    elements = "      i: {type: image, x: 10mm, y: 10mm, width: 20mm, height: 20mm, src: 'logos/{logo}'}"
    with pytest.raises(KaartgenError) as caught:
        render(tmp_path, elements, {"logo": "weg.png"}, card_where=card_fields(title=4, logo=7))
    [problem] = caught.value.problems
    assert (problem.code, problem.file, problem.line, problem.path) == ("K603", "cards/d.yaml", 7, "cards[een].logo")
    with pytest.raises(KaartgenError) as caught:  # a field the card did not write (from the set): the layout
        render(tmp_path, elements, {"logo": "weg.png"}, card_where=card_fields(title=4))
    assert caught.value.problems[0].path == "templates.card.front.i.src"


# --- SVG pictures


def svg(folder: Path, body: str, width: int = 100, height: int = 50, name: str = "logo.svg") -> str:
    (folder / name).write_text(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
                               f'viewBox="0 0 {width} {height}">{body}</svg>', encoding="utf-8")
    return name


@pytest.mark.parametrize("fit, box", [("contain", (10, 15, 30, 25)), ("stretch", (10, 10, 30, 30))])
def test_an_svg_stays_vector_and_lands_in_its_box(tmp_path, fit, box):
    src = svg(tmp_path, '<g><rect x="0" y="0" width="100" height="50" fill="#cc0000"/></g>')
    page = render(tmp_path, IMAGE % (src, fit))
    left, top, right, bottom = box
    assert rectangles(page.path) == [tuple(pt(left * MM, H - bottom * MM, right * MM, H - top * MM))]
    assert not page.resources.get("/XObject")


def fonts(page: Page) -> set[str]:
    """The font files a page uses, without subset tag (SourceSansPro-Bold)."""
    return {str(f.get_object()["/BaseFont"]).split("+")[-1] for f in page.resources["/Font"].values()}


def face(ctx: Context, bold: bool, italic: bool) -> str:
    return Path(ctx.layout.font_files[("bold_italic" if italic else "bold") if bold else
                                      ("italic" if italic else "regular")]).stem


@pytest.mark.parametrize("attributes, bold, italic", [
    ('font-family="Helvetica"', False, False), ('font-weight="bold"', True, False),
    ('font-style="italic"', False, True), ('font-family="Times" font-style="italic"', False, True),
    ('font-weight="bold" font-style="italic"', True, True),
])
def test_svg_text_is_drawn_in_the_layouts_embedded_fonts_and_empty_text_is_left_out(tmp_path, attributes, bold,
                                                                                     italic):
    src = svg(tmp_path, f'<g><g><text x="5" y="20" {attributes}>Logo</text></g><text x="5" y="40"> </text></g>')
    page = render(tmp_path, IMAGE % (src, "contain"))
    assert fonts(page) == {face(page.ctx, bold, italic)}
    assert page.stream.count("BT") == 1, "the empty text object is gone"
    text = subprocess.run(["pdftotext", str(page.path), "-"], capture_output=True, text=True).stdout
    assert text.split() == ["Logo"]


# --- the print shop's CMYK


@pytest.fixture(scope="module")
def converter():
    return load_converter(None)


def cmyk_ops(stream: str, op: str) -> list[list[float]]:
    return [o for o in operators(stream, op) if len(o) == 4]


def overprint(page: Page) -> set[str]:
    """The overprint settings a page makes: /OP (strokes), /op (fills, text), /OPM."""
    states = [s.get_object() for s in page.resources.get("/ExtGState", {}).values()]
    return {f"{key} {value}" for state in states for key, value in state.items()}


def test_cmyk_fills_come_from_the_profile(tmp_path, converter):
    page = render(tmp_path, "      r: {type: rect, x: 0mm, y: 0mm, width: 30mm, height: 30mm, fill: yellow, "
                            "stroke: red}",
                  paint=CMYKPaint(converter))
    assert not re.search(r"\s(rg|RG)\s", page.stream)
    assert cmyk_ops(page.stream, "k") == [pt(*converter.area(Color.from_hex("#ffdd00")))]
    assert cmyk_ops(page.stream, "K") == [pt(*converter.ink(Color.from_hex("#cc0000"))[0])]
    assert not overprint(page), "colour does not overprint"


def test_cmyk_black_rules_and_text_are_pure_k_and_overprint(tmp_path, converter):
    rule = render(tmp_path, "      l: {type: line, x1: 5mm, y1: 40mm, x2: 40mm, y2: 40mm, stroke: black}",
                  paint=CMYKPaint(converter))
    assert cmyk_ops(rule.stream, "K") == [[0, 0, 0, 1]] and overprint(rule) == {"/OP True", "/OPM 1"}
    text = render(tmp_path, "      t: {type: text, x: 5mm, y: 50mm, width: 30mm, height: 6mm, content: Tekst, "
                            "color: black}", paint=CMYKPaint(converter))
    assert cmyk_ops(text.stream, "k") == [[0, 0, 0, 1]] and overprint(text) == {"/op True", "/OPM 1"}
    assert not re.search(r"\s(rg|RG)\s", rule.stream + text.stream)


def test_cmyk_pictures_are_converted(tmp_path, converter):
    page = render(tmp_path, IMAGE % (picture(tmp_path, "foto.png", 100, 100), "contain"), paint=CMYKPaint(converter))
    [image] = [x.get_object() for x in page.resources["/XObject"].values()]
    assert image["/ColorSpace"] == "/DeviceCMYK"


def test_cmyk_svg_colours_are_converted_keeping_their_opacity(tmp_path, converter):
    src = svg(tmp_path, '<g><rect x="0" y="0" width="100" height="50" fill="#cc0000" fill-opacity="0.5" '
                        'stroke="#1f6fb2"/><g><circle cx="50" cy="25" r="10" fill="#ffdd00"/></g></g>')
    page = render(tmp_path, IMAGE % (src, "contain"), paint=CMYKPaint(converter))
    assert not re.search(r"\s(rg|RG)\s", page.stream)
    # [1:]: renderPDF first sets the drawing's default black (0 0 0 1)
    assert cmyk_ops(page.stream, "k")[1:] == [pt(*converter.area(Color.from_hex(c))) for c in ("#cc0000", "#ffdd00")]
    assert cmyk_ops(page.stream, "K")[1:] == [pt(*converter.ink(Color.from_hex("#1f6fb2"))[0])]
    states = [s.get_object() for s in page.resources["/ExtGState"].values()]
    assert [float(s["/ca"]) for s in states if "/ca" in s] == [0.5]


# --- QR codes


def modules(page: Page, left: float, top: float, unit: float, border: int) -> set[tuple[int, int]]:
    """(row, column) of every dark module drawn after the light square, from the rectangles' corners."""
    cells = set()
    for x0, y0, x1, y1 in rectangles(page.path)[1:]:
        row, col = round((top - y1) / unit) - border, round((x0 - left) / unit) - border
        assert round((top - y0) / unit) - border == row + 1, "one row high"
        cells |= {(row, c) for c in range(col, col + round((x1 - x0) / unit))}
    return cells


@pytest.mark.parametrize("content, error, box", [("abc", "m", (40, 30)),
                                                 ("https://example.org/kaartgen/abc", "h", (30, 40))])
def test_a_qr_code_is_its_modules_square_and_centred_in_its_box_on_its_background(tmp_path, content, error, box):
    w, h = box
    page = render(tmp_path, f"      q: {{type: qr, x: 10mm, y: 20mm, width: {w}mm, height: {h}mm, "
                            f"content: '{content}', "
                            f"error: {error}, border: 3, color: '{{kleur}}', background: '{{lijn}}'}}",
                  {"kleur": "red", "lijn": "yellow"})
    matrix = segno.make(content, error=error, micro=False).matrix
    size = min(w, h) * MM
    unit = size / (len(matrix) + 6)
    left, top = (10 + (w - min(w, h)) / 2) * MM, H - (20 + (h - min(w, h)) / 2) * MM
    assert rectangles(page.path)[0] == tuple(pt(left, top - size, left + size, top)), "the light square"
    dark = {(r, c) for r, line in enumerate(matrix) for c, v in enumerate(line) if v}
    assert modules(page, left, top, unit, 3) == dark
    assert re.search(r"1 \.866667 0 rg\s.*\.8 0 0 rg\s", page.stream, re.S)
    assert painted(page.stream) == ["f", "f"], "no outline: it would eat into the quiet zone"


def test_text_on_a_qr_codes_background_reads_against_it(tmp_path):
    page = render(tmp_path, "      q: {type: qr, x: 10mm, y: 20mm, width: 40mm, height: 30mm, content: abc, "
                            "color: white, background: ink}\n" + probes(("30mm", "35mm"), ("30mm", "60mm")))
    assert list(page.warnings("K613")) == ["p0"]


def test_qr_code_scans(tmp_path):
    zbarimg = need_tool("zbarimg")
    need_tool("pdftoppm")
    url = "https://opleidingsschool-debrug.example/samen-opleiden"
    page = render(tmp_path, "      code: {type: qr, x: 10mm, y: 20mm, width: 40mm, height: 40mm}", {"set.url": url})
    assert "BI" not in page.stream, "vector squares, not an image"
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(page.path), str(tmp_path / "page")], check=True)
    result = subprocess.run([zbarimg, "-q", "--raw", str(tmp_path / "page.png")], capture_output=True, text=True)
    assert result.stdout.strip() == url


def test_qr_without_url_draws_nothing(tmp_path):
    page = render(tmp_path, "      code: {type: qr, x: 10mm, y: 20mm, width: 40mm, height: 40mm}")
    assert " re" not in page.stream


# --- repeat


ITEM = "elements: {d: {type: rect, x: 0mm, y: 0mm, width: 100%, height: 100%, fill: red}}"


def boxes(page: Page) -> list[tuple]:
    """Each rectangle as (left, top) in mm from the card's top-left, and its width and height in mm."""
    return [tuple(round(v, 2) for v in (x0 / MM, (H - y1) / MM, (x1 - x0) / MM, (y1 - y0) / MM))
            for x0, y0, x1, y1 in rectangles(page.path)]


@pytest.mark.parametrize("anchor", ["top-left", "center", "bottom-right"])
def test_repeated_items_without_positions_stack_down_from_the_top_centred(tmp_path, anchor):
    page = render(tmp_path, f"      r: {{type: repeat, count: 3, width: 20mm, height: 8mm, anchor: {anchor}, {ITEM}}}")
    assert boxes(page) == [(21.5, 0, 20, 8), (21.5, 8, 20, 8), (21.5, 16, 20, 8)]


def test_repeated_items_sit_with_their_anchor_on_each_position(tmp_path):
    page = render(tmp_path, "      r: {type: repeat, count: 2, width: 6mm, height: 4mm, anchor: center, "
                            f"at: [[10mm, 10mm], [40mm, 60mm]], {ITEM}}}")
    assert boxes(page) == [(7, 8, 6, 4), (37, 58, 6, 4)]
    page = render(tmp_path, "      r: {type: repeat, count: 2, width: 6mm, height: 4mm, anchor: bottom-right, "
                            f"at: [[10mm, 10mm], [40mm, 60mm]], {ITEM}}}")
    assert boxes(page) == [(4, 6, 6, 4), (34, 56, 6, 4)]


def test_more_items_than_positions_is_an_error_at_at(tmp_path):
    page = render(tmp_path, "      r: {type: repeat, count: 2, width: 6mm, height: 4mm, "
                            f"at: [[10mm, 10mm], [9mm, 9mm]], {ITEM}}}")
    assert len(boxes(page)) == 2, "as many as there are positions is fine"
    with pytest.raises(KaartgenError) as caught:
        render(tmp_path, "      r: {type: repeat, count: 3, width: 6mm, height: 4mm, "
                         f"at: [[10mm, 10mm], [9mm, 9mm]], {ITEM}}}")
    [problem] = caught.value.problems
    assert (problem.code, problem.path, problem.line) == ("K616", "templates.card.front.r.at", FIRST_LINE)
    assert problem.message == "deck 't', card 'een': 3 items but only 2 positions in 'at'"


def test_a_grid_fills_rows_of_columns(tmp_path):
    page = render(tmp_path, "      r: {type: repeat, count: 3, width: 20mm, height: 10mm, "
                            f"grid: {{x: 5mm, y: 10mm, columns: 2, dx: 25mm, dy: 12mm}}, {ITEM}}}")
    assert boxes(page) == [(5, 10, 20, 10), (30, 10, 20, 10), (5, 22, 20, 10)]


@pytest.mark.parametrize("start, centres", [("", [(30, 10), (50, 20), (30, 30), (10, 20)]),
                                            (", start: 0", [(50, 20), (30, 30), (10, 20), (30, 10)]),
                                            (", start: 45", [(30 + 20 * 0.5 ** 0.5, 20 + 10 * 0.5 ** 0.5),
                                                             (30 - 20 * 0.5 ** 0.5, 20 + 10 * 0.5 ** 0.5),
                                                             (30 - 20 * 0.5 ** 0.5, 20 - 10 * 0.5 ** 0.5),
                                                             (30 + 20 * 0.5 ** 0.5, 20 - 10 * 0.5 ** 0.5)])])
def test_a_ring_places_items_clockwise_on_the_ellipse_in_its_box(tmp_path, start, centres):
    page = render(tmp_path, "      r: {type: repeat, count: 4, width: 4mm, height: 4mm, anchor: center, "
                            f"ring: {{x: 10mm, y: 10mm, width: 40mm, height: 20mm{start}}}, {ITEM}}}")
    assert [(x + 2, y + 2) for x, y, _, _ in boxes(page)] == [tuple(pt(*c)) for c in centres]


def test_each_item_fills_its_own_placeholders_and_index_and_count(tmp_path):
    text = "{type: text, x: 0mm, y: 0mm, width: 100%, height: 100%, content: 'CONTENT'}"
    page = render(tmp_path, "      r: {type: repeat, items: stations, width: 50mm, height: 8mm, "
                            f"elements: {{t: {text.replace('CONTENT', '{index}/{count} {naam}')}}}}}\n"
                            "      s: {type: repeat, items: woorden, width: 50mm, height: 8mm, anchor: top-left, "
                            "grid: {x: 5mm, y: 40mm, columns: 1, dx: 0mm, dy: 8mm}, "
                            f"elements: {{t: {text.replace('CONTENT', '{item}')}}}}}",
                  {"stations": [{"naam": "Amersfoort"}, {"naam": "Utrecht"}], "woorden": ["kijken", "luisteren"]})
    words = subprocess.run(["pdftotext", str(page.path), "-"], capture_output=True, text=True).stdout.split()
    assert words == ["1/2", "Amersfoort", "2/2", "Utrecht", "kijken", "luisteren"]


def test_items_that_are_not_a_list_are_an_error_at_items(tmp_path):
    with pytest.raises(KaartgenError) as caught:
        render(tmp_path, f"      r: {{type: repeat, items: stations, width: 5mm, height: 5mm, {ITEM}}}",
               {"stations": "Utrecht"})
    [problem] = caught.value.problems
    assert (problem.code, problem.path, problem.line) == ("K615", "templates.card.front.r.items", FIRST_LINE)
    assert problem.message == "deck 't', card 'een': field 'stations' is not a list"


@pytest.mark.parametrize("repeat, values, where", [
    ("items: stations", {"stations": [{"naam": "Ede"}, {"naam": "Ede ☃"}]}, "stations[1]"),
    ("count: 2", {}, "count[0]"),
])
def test_a_problem_inside_an_item_names_the_item(tmp_path, repeat, values, where):
    content = "{naam}" if "items" in repeat else "☃ {index}"
    with pytest.raises(KaartgenError) as caught:
        render(tmp_path, f"      r: {{type: repeat, {repeat}, width: 50mm, height: 8mm, elements: {{t: {{type: text, "
                         f"x: 0mm, y: 0mm, width: 100%, height: 100%, content: '{content}'}}}}}}", values)
    [problem] = caught.value.problems
    assert (problem.code, problem.path) == ("K611", f"{where}.templates.card.front.r.elements.t.content")


# --- text


def words(page: Page) -> list[tuple[str, float, float, float, float]]:
    """(word, left, top, right, bottom) of each word, in points from the page's top-left (pdftotext -bbox)."""
    html = subprocess.run(["pdftotext", "-bbox", str(page.path), "-"], capture_output=True, text=True).stdout
    return [(w, *map(float, box)) for *box, w in
            re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', html)]


def test_text_sits_at_the_top_middle_or_bottom_of_its_box(tmp_path):
    tops = {}
    for valign in ("top", "middle", "bottom"):
        page = render(tmp_path, "      t: {type: text, x: 5mm, y: 5mm, width: 40mm, height: 30mm, content: Hallo, "
                                f"valign: {valign}}}")
        [(_, _, top, _, bottom)] = words(page)
        tops[valign] = top
        assert 5 * MM <= top and bottom <= 35 * MM + 0.01
    assert tops["top"] - 5 * MM < 9, "the first line starts at the top (less than one 9 pt line below it)"
    assert tops["bottom"] - tops["top"] == pytest.approx(2 * (tops["middle"] - tops["top"]), abs=0.01)
    assert tops["bottom"] - tops["top"] > 50


def test_the_elements_alignment_wins_over_the_styles(tmp_path):
    page = render(tmp_path, "      t: {type: text, x: 5mm, y: 5mm, width: 40mm, height: 10mm, content: Hallo, "
                            "align: right}")
    [(_, _, _, right, _)] = words(page)
    assert right == pytest.approx(45 * MM, abs=0.5)


def test_a_text_background_paints_a_box_behind_the_text(tmp_path):
    page = render(tmp_path, "      t: {type: text, x: 5mm, y: 5mm, width: 30mm, height: 10mm, content: hallo, "
                            "background: '{kleur}'}", {"kleur": "yellow"})
    box = page.stream.index(" re")
    assert "1 .866667 0 rg" in page.stream[:box] and box < page.stream.index("BT")
    assert page.ops("re") == [pt(5 * MM, H - 15 * MM, 30 * MM, 10 * MM)] and painted(page.stream) == ["f"]


def test_card_number_and_count_placeholders(tmp_path):
    page = render(tmp_path, "      t: {type: text, x: 5mm, y: 5mm, width: 40mm, height: 10mm, "
                            "content: \"kaart {card.index} van {card.count} ({card.id})\"}",
                  {"card.index": 3, "card.count": 12, "card.id": "een"})
    assert [w[0] for w in words(page)] == ["kaart", "3", "van", "12", "(een)"]


def lines(page: Page) -> list[list[str]]:
    rows: dict[int, list[str]] = {}
    for word, _, top, _, _ in words(page):
        rows.setdefault(round(top), []).append(word)
    return list(rows.values())


@pytest.mark.parametrize("key", ["set.name", "set.short_name"])
def test_the_partnerships_own_name_is_never_broken_over_lines(tmp_path, key):
    text = ("      t: {type: text, x: 5mm, y: 5mm, width: 30mm, height: 30mm, "
            "content: 'Welkom bij De Brug Academie in Ede'}")
    assert lines(render(tmp_path, text)) == [["Welkom", "bij", "De", "Brug"], ["Academie", "in", "Ede"]]
    assert lines(render(tmp_path, text, {key: "De Brug Academie"})) == \
        [["Welkom", "bij"], ["De", "Brug", "Academie"], ["in", "Ede"]]


def test_text_colour_from_a_card_field(tmp_path):
    page = render(tmp_path, "      t: {type: text, x: 5mm, y: 5mm, width: 30mm, height: 10mm, content: Hallo, "
                            "color: '{kleur}'}", {"kleur": "red"})
    assert re.findall(r"([\d.]+ [\d.]+ [\d.]+) rg\s+BT", page.stream) == [".8 0 0"]


def test_an_unknown_style_is_an_error_at_style(tmp_path):
    layout = layout_of(tmp_path, "      t: {type: text, x: 5mm, y: 5mm, width: 40mm, height: 10mm, content: Hallo}")
    card = layout.templates["card"]
    layout = replace(layout, templates={"card": replace(card, front=(replace(card.front[0], style="kop"),))})
    with pytest.raises(KaartgenError) as caught:
        render(tmp_path, "", layout=layout)
    [problem] = caught.value.problems
    assert (problem.code, problem.path, problem.line) == ("K319", "templates.card.front.t.style", FIRST_LINE)
    assert problem.message == ("deck 't', card 'een': unknown style 'kop'; defined styles: "
                               "body, schuin, vetschuin")


def test_text_that_does_not_fit_is_blamed_on_the_longest_field_the_card_wrote(tmp_path):
    box = "{type: text, x: 5mm, y: 5mm, width: 12mm, height: 8mm, content: '%s'}"
    where = card_fields(kort=4, lang=5)
    with pytest.raises(KaartgenError) as caught:
        render(tmp_path, f"      t: {box % '{kort} {lang}'}", {"kort": "Dit is", "lang": " ".join(["woorden"] * 40)},
               card_where=where)
    [problem] = caught.value.problems
    layout_file = str(tmp_path / "layouts" / "t.yaml")
    assert (problem.code, problem.file, problem.line, problem.path) == ("K608", "cards/d.yaml", 5, "cards[een].lang")
    params = problem.params["text"].params
    assert {k: v for k, v in params.items() if k != "need"} == {
        "fields": "kort, lang", "width": 12, "height": 8, "box": f"{layout_file}:{FIRST_LINE}", "size": 9.0}
    assert params["need"].code == "K610" and 150 < params["need"].params["mm"] < 170, "40 lines of 3.8 mm"
    with pytest.raises(KaartgenError) as caught:
        render(tmp_path, f"      t: {box % 'Onderwijsbevoegdheidsaanvraagformulieren'}", card_where=where)
    [problem] = caught.value.problems
    assert (problem.code, problem.path, problem.params["text"].params["fields"]) == \
        ("K608", "templates.card.front.t.content", "t")
    assert problem.message.endswith("even at 9pt: a word is wider than the box; shorten the text or change the layout")


def test_a_character_the_font_lacks_is_an_error_naming_the_field_it_came_from(tmp_path):
    with pytest.raises(KaartgenError) as caught:
        render(tmp_path, "      t: {type: text, x: 5mm, y: 5mm, width: 40mm, height: 10mm, content: '{kort} {lang}'}",
               {"kort": "Sneeuw", "lang": "pop ☃"}, card_where=card_fields(kort=4, lang=5))
    [problem] = caught.value.problems
    assert (problem.code, problem.file, problem.line, problem.path) == ("K611", "cards/d.yaml", 5, "cards[een].lang")
    assert problem.message == ("deck 't', card 'een': the font has no glyph for '☃' (U+2603) in lang; "
                               "remove the character or use a font that has it")
    with pytest.raises(KaartgenError) as caught:
        render(tmp_path, "      t: {type: text, x: 5mm, y: 5mm, width: 40mm, height: 10mm, content: '{kort} {lang}'}",
               {"kort": "☃", "lang": "pop ☃"})
    assert caught.value.problems[0].params["text"].params["fields"] == "kort, lang"
    with pytest.raises(KaartgenError) as caught:
        render(tmp_path, "      t: {type: text, x: 5mm, y: 5mm, width: 40mm, height: 10mm, content: 'pop ☃'}")
    [problem] = caught.value.problems
    assert (problem.path, problem.params["text"].params["fields"]) == ("templates.card.front.t.content", "content")


@pytest.mark.parametrize("style, content, faces", [("body", "ĳs", []), ("schuin", "ĳs", ["italic"]),
                                                   ("vetschuin", "ĳs", ["bold italic"]),
                                                   ("body", "ĳs *ĳs* **ĳs** ***ĳs***", ["italic", "bold italic"])])
def test_a_face_without_the_ij_ligature_spells_it_out_with_a_warning_for_the_deck(tmp_path, style, content, faces):
    page = render(tmp_path, f"      t: {{type: text, x: 5mm, y: 5mm, width: 50mm, height: 20mm, content: '{content}', "
                            f"style: {style}}}")
    warned = page.ctx.warnings
    assert [(p.code, p.file, p.line, p.path) for p in warned] == \
        [("K628", str(tmp_path / "layouts" / "t.yaml"), None, "fonts")] * len(faces)
    assert [p.message for p in warned] == [f"deck 't': the {f} face of the font has no 'ĳ'; it is printed as 'ij'"
                                           for f in faces]


def test_the_ij_warning_names_each_face_that_lacks_it(tmp_path):
    """Own font files where the regular and bold faces lack ĳ (Source Sans italic in their place)."""
    builtin = layout_of(tmp_path, "      r: {type: rect, x: 0mm, y: 0mm, width: 5mm, height: 5mm}").font_files
    (tmp_path / "fonts").mkdir()
    chosen = {"regular": "italic", "bold": "italic", "italic": "regular", "bold_italic": "regular"}
    for face, source in chosen.items():
        (tmp_path / "fonts" / f"{face}.ttf").write_bytes(Path(builtin[source]).read_bytes())
    fonts = "fonts: {files: {%s}}\n" % ", ".join(f"{face}: fonts/{face}.ttf" for face in chosen)
    layout = layout_of(tmp_path, "      t: {type: text, x: 5mm, y: 5mm, width: 50mm, height: 20mm, "
                                 "content: 'ĳs **ĳs** *ĳs* ***ĳs***'}", fonts=fonts)
    page = render(tmp_path, "", layout=layout)
    assert [p.params["text"].params["face"].render() for p in page.ctx.warnings] == ["regular", "bold"]


# --- where a problem is reported


def test_a_problem_goes_to_the_cards_field_when_the_card_wrote_it_else_to_the_layout(tmp_path):
    page = render(tmp_path, "      t: {type: text, x: 5mm, y: 5mm, width: 40mm, height: 10mm, content: '{title}'}",
                  {"title": "Welkom"}, card_where=card_fields(title=4))
    ctx, element = page.ctx, page.ctx.layout.templates["card"].front[0]
    said = msg.FIELD_NOT_A_LIST(name="title")  # any coded message
    at = ctx.problem(element, said, "content", ["title"])
    assert (at.file, at.line, at.column, at.path) == ("cards/d.yaml", 4, 12, "cards[een].title")
    assert at.message == "deck 't', card 'een': field 'title' is not a list" and at.code == "K615"
    at = ctx.problem(element, said, "content", ["kort"])
    assert (Path(at.file).name, at.line, at.path) == ("t.yaml", FIRST_LINE, "templates.card.front.t.content")
    at = ctx.problem(None, said, "title")
    assert (at.file, at.line, at.path) == ("cards/d.yaml", 4, "cards[een].title")
    at = ctx.problem(None, said, "soort")
    assert (at.file, at.line, at.column, at.path) == ("cards/d.yaml", 3, 3, "cards[een].soort")
    plain = replace(ctx, card_where="cards/d.yaml:3:3")
    at = plain.problem(element, said, "content", ["title"])
    assert (Path(at.file).name, at.path) == ("t.yaml", "templates.card.front.t.content")
    at = plain.problem(None, said, "title")
    assert (at.file, at.line, at.column, at.path) == ("cards/d.yaml", 3, 3, "title")
