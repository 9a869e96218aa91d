"""layouts: the safe-zone check on text boxes, and the card-fits-the-sheet check."""

from __future__ import annotations

import pytest

from kaartgen.errors import KaartgenError

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
