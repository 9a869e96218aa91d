"""layouts: the safe-zone check on text boxes, the card-fits-the-sheet check, and every check still
running after a schema problem."""

from __future__ import annotations

import pytest

from kaartgen.errors import KaartgenError

from kaartgen.layouts import load_layout

from kit import make_layout


def text_at(x, y, w, h) -> dict:
    return {"card": {"front": {"text": {"type": "text", "x": x, "y": y, "width": w, "height": h, "content": "Tekst"}}}}


def test_a_text_box_exactly_on_the_safe_zone_is_fine(tmp_path):
    make_layout(tmp_path / "layouts", templates=text_at("4mm", "4mm", "55mm", "80mm"))  # 63 × 88, safe 4 mm


@pytest.mark.parametrize("edge, box", [("left", ("3mm", "4mm", "50mm", "50mm")),
                                       ("top", ("4mm", "3.5mm", "50mm", "50mm")),
                                       ("right", ("4mm", "4mm", "55.5mm", "50mm")),
                                       ("bottom", ("4mm", "4mm", "50mm", "80.5mm"))])
def test_a_text_box_past_any_edge_of_the_safe_zone_is_an_error(tmp_path, edge, box):
    with pytest.raises(KaartgenError) as caught:
        make_layout(tmp_path / "layouts", templates=text_at(*box))
    [problem] = caught.value.problems
    assert "safe zone" in problem.message, edge
    assert problem.line == 7  # the text element in card.yaml


def test_shapes_may_run_to_the_trim(tmp_path):
    make_layout(tmp_path / "layouts", templates={"card": {"front": {
        "ground": {"type": "rect", "x": "0mm", "y": "0mm", "width": "100%", "height": "100%", "fill": "black"}}}})


def test_a_card_that_does_not_fit_the_sheet_is_an_error_at_load(tmp_path):
    with pytest.raises(KaartgenError) as caught:
        make_layout(tmp_path / "layouts", size={"width": "250mm", "height": "300mm"})
    assert any("does not fit on A4" in p.message for p in caught.value.problems)


def test_a_poster_on_plain_pages_need_not_fit_a_sheet(tmp_path):
    layout = make_layout(tmp_path / "layouts", size={"width": "420mm", "height": "297mm"}, sheet={"mode": "plain"})
    assert layout.sheet.mode == "plain"


# --- a schema problem does not hide the checks after it ---------------------------------------

HALF_VALID = """\
size: {width: 63mm, height: 88mm}
colors:
  ink: "#1b1b1f"
styles:
  body: {size: 9pt, color: ink}
templates:
  card:
    fields:
      title: {type: text}
    front:
      ground: {type: rect, x: 0mm, y: 0mm, width: 100%, height: 100%, fill: ink}
      title: {type: text, x: 1mm, y: 5mm, width: 53mm, height: 12mm, content: "{title}", style: body}
      note: {type: text, x: 5mm, y: 30mm, width: 50mm, height: 10mm, content: "{title}", style: kop}
"""
LATER = {(12, "K323"), (13, "K319")}  # title outside the safe zone; note's unknown style


def problems_of(tmp_path, text: str):
    folder = tmp_path / "layouts"
    folder.mkdir()
    (folder / "card.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(KaartgenError) as caught:
        load_layout("card", folder)
    return {(p.line, p.code) for p in caught.value.problems}, caught.value


@pytest.mark.parametrize("before, after, refused", [
    (None, None, set()),  # the semantic problems alone
    ("fill: ink}", "fil: ink}", {(11, "K213")}),  # an unknown key: the element is checked without it
    ("x: 0mm, y: 0mm", "x: nul, y: 0mm", {(11, "K216")}),  # a bad length: the element is left out, not 'missing x'
    ("y: 0mm, width: 100%, height: 100%, fill: ink}", "width: 100%, height: 100%, fil: ink}",  # a typo, and
     {(11, "K213"), (11, "K212")}),  # a key really missing in the same element: both are named
    ('ink: "#1b1b1f"', "ink: [1, 2]", {(3, "K201")}),  # a refused colour is still defined: no 'unknown colour'
    ("title: {type: text}", "title: {type: tekst}", {(9, "K207")}),  # a refused field is still a field
    ("body: {size: 9pt, color: ink}", "body: negen", {(5, "K201")}),  # a refused style is still a style
    ("colors:", "bleed: drie\ncolors:", {(2, "K216")}),  # the default bleed is used instead
])
def test_a_schema_problem_does_not_hide_the_checks_after_it(tmp_path, before, after, refused):
    text = HALF_VALID if before is None else HALF_VALID.replace(before, after)
    found, error = problems_of(tmp_path, text)
    later = {(line + (1 if "bleed" in (after or "") else 0), code) for line, code in LATER}
    assert found == refused | later, [str(p) for p in error.problems]
    assert all(p.file.endswith("layouts/card.yaml") and p.line for p in error.problems)
    assert (error.partial is None) == bool(refused)  # parts were left out: nothing may be built from it


def test_a_layout_without_a_usable_size_reports_only_what_the_schema_found(tmp_path):
    found, _ = problems_of(tmp_path, HALF_VALID.replace("width: 63mm", "width: breed"))
    assert found == {(1, "K216")}
