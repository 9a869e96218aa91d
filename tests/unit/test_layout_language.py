"""Layouts: the anchor rule, merging named elements through `extends`, element `extends`,
typed elements with defaults from the schema, and migration messages for old spellings."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaartgen.errors import KaartgenError
from kaartgen.layouts import load_layout
from kaartgen.migrate import dump, migrate_layout, migrate_printer
from kaartgen.model import Color, Dim, Rect, Text
from kaartgen.printers import load_printer
from kaartgen.units import MM
from kaartgen.yamlio import load_file

BASE = """\
size: {width: 63mm, height: 88mm}
colors: {ink: "#1b1b1f", red: "#cc0000", blue: "#0000cc"}
styles: {body: {size: 9pt}}
templates:
  card:
    front:
      band: {type: rect, x: 0mm, y: 0mm, width: 100%, height: 20mm, fill: red}
      title: {type: text, x: 5mm, y: 5mm, width: 53mm, height: 10mm, content: "hallo"}
"""


def layouts(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "layouts"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return folder


def front(layout, template: str = "card") -> dict:
    return {element.name: element for element in layout.templates[template].front}


def errors(folder: Path, name: str) -> list[str]:
    with pytest.raises(KaartgenError) as caught:
        load_layout(name, folder)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("anchor, left, top", [
    ("top-left", 30, 40), ("center", 20, 35), ("bottom-right", 10, 30), ("top", 20, 40), ("left", 30, 35),
])
def test_x_and_y_place_the_point_the_anchor_names(anchor, left, top):
    rect = Rect(where="t", x=Dim(30 * MM), y=Dim(40 * MM), width=Dim(20 * MM), height=Dim(10 * MM), anchor=anchor)
    x, y, w, h = rect.box(63 * MM, 88 * MM)
    assert (x / MM, y / MM, w / MM, h / MM) == pytest.approx((left, top, 20, 10))


def test_percentages_are_of_the_frame_width_and_height():
    rect = Rect(where="t", x=Dim(share=0.5), y=Dim(share=0.5), width=Dim(share=0.1), height=Dim(share=0.1),
                anchor="center")
    x, y, w, h = rect.box(100.0, 200.0)
    assert (x, y, w, h) == pytest.approx((45, 90, 10, 20))


def test_elements_are_typed_with_units_parsed_and_defaults_from_the_schema(tmp_path):
    layout = load_layout("base", layouts(tmp_path, base=BASE))
    band, title = front(layout).values()
    assert isinstance(band, Rect) and isinstance(title, Text)
    assert band.height == Dim(20 * MM) and band.width == Dim(share=1.0)
    assert band.fill == Color.from_hex("#cc0000")  # a static colour is resolved once
    assert band.stroke_width == pytest.approx(0.5)  # formats.py: stroke_width default 0.5pt
    assert (title.style, title.valign, title.anchor) == ("body", "top", "top-left")
    assert band.where.keys["fill"][1] == 7


def test_a_child_changes_one_element_through_two_levels_of_extends(tmp_path):
    folder = layouts(tmp_path, base=BASE,
                     middle="extends: base\ntemplates:\n  card:\n    front:\n      band: {fill: blue}\n",
                     child="extends: middle\ntemplates:\n  card:\n    front:\n      title: {dy: 2mm}\n"
                           "      logo: {type: rect, x: 1mm, y: 1mm, width: 5mm, height: 5mm}\n"
                           "      band: {height: 25mm}\n")
    elements = front(load_layout("child", folder))
    assert list(elements) == ["band", "title", "logo"]  # the base's order; new names come last
    assert elements["band"].fill == Color.from_hex("#0000cc")  # from middle
    assert elements["band"].height == Dim(25 * MM)  # from child
    assert elements["band"].x == Dim(0.0)  # from base
    assert elements["title"].y == Dim(7 * MM)  # 5mm + dy 2mm
    file, line, _, path = elements["band"].where.keys["fill"]
    assert (Path(file).name, line, path) == ("middle.yaml", 5, "templates.card.front.band.fill")


def test_null_removes_an_element_of_the_base(tmp_path):
    folder = layouts(tmp_path, base=BASE, child="extends: base\ntemplates:\n  card:\n    front:\n      band: null\n")
    assert list(front(load_layout("child", folder))) == ["title"]


def test_changing_an_element_the_base_does_not_have_is_an_error(tmp_path):
    folder = layouts(tmp_path, base=BASE, child="extends: base\ntemplates:\n  card:\n    front:\n      bnad: {fill: blue}\n")
    [message] = errors(folder, "child")
    assert "child.yaml:5:" in message and "templates.card.front.bnad" in message
    assert "no element 'bnad' in the layout this one extends" in message


def test_an_element_extends_another_of_its_face_or_of_elements(tmp_path):
    text = BASE + "      second: {extends: band, y: 30mm}\n      rule: {extends: line}\n" \
                  "elements:\n  line: {type: line, x1: 0mm, y1: 50mm, x2: 100%, y2: 50mm, stroke: blue}\n"
    elements = front(load_layout("base", layouts(tmp_path, base=text)))
    assert elements["second"].fill == Color.from_hex("#cc0000") and elements["second"].y == Dim(30 * MM)
    assert elements["rule"].stroke == Color.from_hex("#0000cc") and elements["rule"].y1 == Dim(50 * MM)


def test_element_extends_in_a_circle_is_an_error(tmp_path):
    text = BASE + "      a: {extends: b}\n      b: {extends: a}\n"
    [message] = errors(layouts(tmp_path, base=text), "base")
    assert "'extends' makes a cycle" in message and "templates.card.front.a" in message


def test_front_may_name_a_shared_face(tmp_path):
    text = BASE.replace("    front:\n", "    front: page\n    unused:\n") .replace("templates:", "faces:\n  page:\n"
           "    band: {type: rect, x: 0mm, y: 0mm, width: 100%, height: 20mm, fill: red}\ntemplates:")
    text = text.replace("    unused:\n      band: {type: rect, x: 0mm, y: 0mm, width: 100%, height: 20mm, fill: red}\n"
                        "      title: {type: text, x: 5mm, y: 5mm, width: 53mm, height: 10mm, content: \"hallo\"}\n", "")
    assert list(front(load_layout("base", layouts(tmp_path, base=text)))) == ["band"]


@pytest.mark.parametrize("old, new, message", [
    ("width: 100%, height: 20mm, fill: red}", "w: 100%, h: 20mm, fill: red}", "'w' is old layout language: write 'width'"),
    ("styles: {body: {size: 9pt}}", "styles: {body: {size: 9pt, weight: bold}}", "write 'bold: true'"),
    ("size: {width: 63mm", "sheet: {size: A4}\nsize: {width: 63mm", "'size' is old layout language: write 'paper'"),
    ("size: {width: 63mm", "marks: {width: 0.25pt}\nsize: {width: 63mm", "write 'stroke_width'"),
    ("size: {width: 63mm", "marks: {style: lines}\nsize: {width: 63mm", "write 'cut_marks' under sheet:"),
    ("      band: {type: rect", "      - {type: rect", "a face is a mapping from element name to element now"),
])
def test_old_spellings_get_a_located_migration_message(tmp_path, old, new, message):
    text = BASE.replace(old, new, 1)
    if new.startswith("      - "):
        text = text.replace('      title: {type: text', '      - {type: text')
    found = errors(layouts(tmp_path, base=text), "base")
    assert any(message in m and "base.yaml:" in m and "migrate-layout" in m for m in found), found


def test_an_old_circle_centre_names_the_anchor_rule(tmp_path):
    text = BASE + "      dot: {type: circle, cx: 5mm, cy: 5mm, r: 2mm}\n"
    found = errors(layouts(tmp_path, base=text), "base")
    assert any("base.yaml:9:" in m and "front.dot.cx" in m and "'anchor: center'" in m for m in found), found


OLD = """\
size: {width: 63mm, height: 88mm}
sheet: {size: A4, margin: 8mm}
marks: {length: 5mm, offset: 3mm, width: 0.25pt, style: lines}
styles: {body: {size: 9pt, weight: bold}}
templates:
  card:
    fields: {items: {type: list}}
    front:
      - {type: rect, x: 0mm, y: 0mm, w: 100%, h: 20mm, name: Top band}
      - {type: circle, cx: 10mm, cy: 30mm, r: 3mm}
      - type: repeat
        items: items
        w: 10mm
        h: 10mm
        circle: {cx: 31.5mm, cy: 50mm, r: 20mm, start: 0}
        elements:
          - {type: text, x: 0mm, y: 0mm, w: 100%, h: 100%, content: "{item}"}
"""


def test_migrate_layout_keeps_the_meaning(tmp_path):
    folder = layouts(tmp_path, base=OLD)
    new = migrate_layout(load_file(folder / "base.yaml").data)
    (folder / "base.yaml").write_text(dump(new), encoding="utf-8")
    layout = load_layout("base", folder)
    band, dot, ring = layout.templates["card"].front
    assert band.name == "top-band" and band.width == Dim(share=1.0) and band.height == Dim(20 * MM)
    assert dot.anchor == "center" and dot.x == Dim(10 * MM)
    assert ring.anchor == "center" and ring.ring["x"] == Dim(11.5 * MM) and ring.ring["width"] == Dim(40 * MM)
    assert layout.sheet.size == "A4" and layout.marks.style == "lines" and layout.styles["body"].bold


def test_migrate_printer_turns_the_y_offset_down(tmp_path):
    folder = tmp_path / "printers"
    folder.mkdir()
    assert migrate_printer({"duplex_offset": {"x": "1mm", "y": "-2mm"}}) == {"back_offset": {"x": "1mm", "y": "2mm"}}
    (folder / "oud.yaml").write_text("duplex_offset: {x: 1mm, y: 2mm}\n", encoding="utf-8")
    with pytest.raises(KaartgenError) as caught:
        load_printer("oud", folder)
    assert "oud.yaml:1:1: duplex_offset: 'duplex_offset' is old layout language: write 'back_offset'" \
        in str(caught.value.problems[0])
    (folder / "nieuw.yaml").write_text("back_offset: {x: 1mm, y: 2mm}\n", encoding="utf-8")
    printer = load_printer("nieuw", folder)
    assert (printer.offset_x, printer.offset_y) == pytest.approx((1 * MM, -2 * MM))  # PDF y points up
