"""Drawing typed elements: what each new element kind and feature puts in the content stream,
and a QR code that a real decoder reads back from a rendered page."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from conftest import need_tool
from kaartgen.fonts import register_family
from kaartgen.layouts import load_layout
from kaartgen.render import Context, Frame, Paint, draw, plan_face

LAYOUT = """\
size: {width: 63mm, height: 88mm}
colors: {ink: "#1b1b1f", red: "#cc0000", yellow: "#ffdd00"}
styles: {body: {size: 9pt}}
templates:
  card:
    fields: {title: {type: text}}
    front:
%s
"""


def render(tmp_path: Path, elements: str, values: dict | None = None) -> tuple[str, object]:
    """The page's content stream and resources after drawing `elements` (YAML lines) on one page."""
    folder = tmp_path / "layouts"
    folder.mkdir(exist_ok=True)
    (folder / "t.yaml").write_text(LAYOUT % elements, encoding="utf-8")
    layout = load_layout("t", folder)
    family = register_family(layout.font_files)
    ctx = Context(layout=layout, family=family, values=values or {}, project=tmp_path, deck="t", card_id="een",
                  card_where="t", paint=Paint())
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(layout.width, layout.height), pageCompression=0,
                    initialFontName=family.name(False, False))
    draw(canvas, plan_face(layout.templates["card"].front, ctx, Frame(0, layout.height, layout.width, layout.height)))
    canvas.showPage()
    canvas.save()
    (tmp_path / "page.pdf").write_bytes(buffer.getvalue())
    page = PdfReader(io.BytesIO(buffer.getvalue())).pages[0]
    return page.get_contents().get_data().decode("latin-1"), page["/Resources"]


def operators(stream: str, op: str) -> list[list[float]]:
    """Operands of every `op` in a content stream (numbers only)."""
    number = r"-?\d+(?:\.\d+)?(?:e-?\d+)?"
    return [[float(v) for v in re.findall(number, m.group(1))]
            for m in re.finditer(rf"((?:{number}\s+)+){op}\b", stream)]


def test_ellipse_is_drawn_with_four_curves(tmp_path):
    stream, _ = render(tmp_path, "      e: {type: ellipse, x: 10mm, y: 10mm, width: 40mm, height: 20mm, fill: red}")
    assert len(operators(stream, "c")) == 4
    assert ".8 0 0 rg" in stream


def test_opacity_sets_an_extgstate_with_ca(tmp_path):
    stream, resources = render(tmp_path, "      r: {type: rect, x: 0mm, y: 0mm, width: 10mm, height: 10mm, "
                                         "fill: red, opacity: 0.4}")
    states = resources["/ExtGState"]
    values = [(float(s.get_object().get("/ca", 1)), float(s.get_object().get("/CA", 1))) for s in states.values()]
    assert (0.4, 1.0) in values or (0.4, 0.4) in values
    assert re.search(r"/\w+ gs", stream)


def test_rotation_turns_clockwise_around_the_centre(tmp_path):
    stream, _ = render(tmp_path, "      r: {type: rect, x: 10mm, y: 10mm, width: 20mm, height: 10mm, "
                                 "fill: red, rotation: 90}")
    rotations = [m for m in operators(stream, "cm") if len(m) == 6 and abs(m[0]) < 1e-6 and abs(abs(m[1]) - 1) < 1e-6]
    assert rotations, stream
    a, b, c, d, _, _ = rotations[0]
    assert (b, c) == pytest.approx((-1, 1))  # cos 90°, -sin 90° (clockwise on the page)


def test_a_closed_filled_path_is_filled(tmp_path):
    stream, _ = render(tmp_path, "      p: {type: path, points: [[1mm, 1mm], [20mm, 1mm], [10mm, 15mm]], "
                                 "closed: true, fill: yellow}")
    assert re.search(r"\bh\b", stream), "the path is closed"
    assert re.search(r"\bf\*?\s", stream), "and filled, without a stroke"
    assert len(operators(stream, "l")) == 2


def test_a_text_background_paints_a_box_behind_the_text(tmp_path):
    stream, _ = render(tmp_path, "      t: {type: text, x: 5mm, y: 5mm, width: 30mm, height: 10mm, "
                                 "content: hallo, background: yellow}")
    box = stream.index(" re")
    assert "1 .866667 0 rg" in stream[:box] and box < stream.index("BT")


def test_card_number_and_count_placeholders(tmp_path):
    stream, _ = render(tmp_path, "      t: {type: text, x: 5mm, y: 5mm, width: 40mm, height: 10mm, "
                                 "content: \"kaart {card.index} van {card.count} ({card.id})\"}",
                       {"card.index": 3, "card.count": 12, "card.id": "een"})
    text = subprocess.run(["pdftotext", str(tmp_path / "page.pdf"), "-"], capture_output=True, text=True).stdout
    assert "kaart 3 van 12 (een)" in " ".join(text.split())


def test_qr_code_scans(tmp_path):
    zbarimg = need_tool("zbarimg")
    need_tool("pdftoppm")
    url = "https://opleidingsschool-debrug.example/samen-opleiden"
    stream, _ = render(tmp_path, "      code: {type: qr, x: 10mm, y: 20mm, width: 40mm, height: 40mm}",
                       {"set.url": url})
    assert "BI" not in stream, "vector squares, not an image"
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(tmp_path / "page.pdf"),
                    str(tmp_path / "page")], check=True)
    result = subprocess.run([zbarimg, "-q", "--raw", str(tmp_path / "page.png")], capture_output=True, text=True)
    assert result.stdout.strip() == url


def test_qr_without_url_draws_nothing(tmp_path):
    stream, _ = render(tmp_path, "      code: {type: qr, x: 10mm, y: 20mm, width: 40mm, height: 40mm}")
    assert " re" not in stream
