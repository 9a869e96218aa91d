"""Office sheets (n-up A4): gutters and bleed where the sheet has room, cut marks at every trim line
outside the artwork, and labels at least 8 mm from the paper edge. Geometry in points."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT, build_shipped, card_slots, run_tool, sheet_segments

MM = 72 / 25.4
A4 = (595.2756, 841.8898)
EDGE = 8 * MM


def build(kaartgen, folder: Path, out: Path, *decks: str, extra: tuple[str, ...] = ()) -> Path:
    result = kaartgen(folder, "build", *decks, *extra, "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def sheets(tmp_path_factory) -> Path:
    return build_shipped(tmp_path_factory.mktemp("sheets"), "gesprekskaarten", "interventiekaarten", "netwerkkaart")


def cards_on(reader: PdfReader, index: int) -> list[tuple[float, float, float, float]]:
    """Each card drawn on a page: its clip rectangle (x, y, w, h) in page space."""
    return [slot.clip for slot in card_slots(reader, index)]


def test_gesprekskaarten_get_a_6mm_gutter_and_3mm_bleed_on_a4(sheets):
    reader = PdfReader(sheets / "gesprekskaarten" / "gesprekskaarten-a4.pdf")
    assert [float(v) for v in reader.pages[0].mediabox[2:]] == pytest.approx(A4, abs=0.01)
    clips = cards_on(reader, 0)
    assert len(clips) == 4
    for x, y, w, h in clips:  # every card's artwork runs 3 mm past its trim
        assert (w, h) == pytest.approx((96 * MM, 136 * MM), abs=0.01)
    trims = sorted((x + 3 * MM, y + 3 * MM) for x, y, _, _ in clips)
    xs, ys = sorted({round(x, 2) for x, _ in trims}), sorted({round(y, 2) for _, y in trims})
    assert xs[1] - xs[0] == pytest.approx(90 * MM + 6 * MM, abs=0.02)  # card + gutter
    assert ys[1] - ys[0] == pytest.approx(130 * MM + 6 * MM, abs=0.02)
    # The grid leaves the 8 mm margin free on every side.
    assert xs[0] - 3 * MM >= 8 * MM - 0.01 and ys[0] - 3 * MM >= 8 * MM - 0.01
    assert xs[-1] + 93 * MM <= A4[0] - 8 * MM + 0.01 and ys[-1] + 133 * MM <= A4[1] - 8 * MM + 0.01


def test_small_cards_keep_nine_per_sheet_and_get_what_gutter_there_is(sheets):
    reader = PdfReader(sheets / "interventiekaarten" / "interventiekaarten-a4.pdf")
    clips = cards_on(reader, 0)
    assert len(clips) == 9
    widths = {round(w, 2) for _, _, w, _ in clips}
    heights = {round(h, 2) for _, _, _, h in clips}
    assert len(widths) == len(heights) == 1
    bleed_x, bleed_y = (widths.pop() - 63 * MM) / 2, (heights.pop() - 88 * MM) / 2
    assert 1 * MM <= bleed_x <= 3 * MM and 1 * MM <= bleed_y <= 3 * MM
    lefts = sorted({round(x + bleed_x, 2) for x, _, _, _ in clips})
    assert lefts[1] - lefts[0] == pytest.approx(63 * MM + 2 * bleed_x, abs=0.02)  # gutter = both bleeds


def test_a_layout_can_ask_for_no_gutter(project, kaartgen, tmp_path):
    layout = project / "layouts" / "gesprekskaart.yaml"
    layout.write_text(layout.read_text(encoding="utf-8").replace("sheet: {paper: A4, orientation: auto, margin: 8mm}",
                                                                 "sheet: {paper: A4, orientation: auto, margin: 8mm, "
                                                                 "gap: 0mm}"), encoding="utf-8")
    build(kaartgen, project, tmp_path, "gesprekskaarten")
    clips = cards_on(PdfReader(tmp_path / "gesprekskaarten" / "gesprekskaarten-a4.pdf"), 0)
    xs = sorted({round(x, 2) for x, _, _, _ in clips})
    assert xs[1] - xs[0] == pytest.approx(90 * MM, abs=0.02)  # cards touch; no bleed to show
    assert {round(w, 2) for _, _, w, _ in clips} == {round(90 * MM, 2)}


@pytest.mark.parametrize("deck", ["gesprekskaarten", "interventiekaarten", "netwerkkaart"])
def test_cut_marks_at_every_trim_line_outside_the_artwork(sheets, deck):
    reader = PdfReader(sheets / deck / f"{deck}-a4.pdf")
    for index in range(len(reader.pages)):
        width, height = (float(v) for v in reader.pages[index].mediabox[2:])
        clips = cards_on(reader, index)
        assert clips, index
        segments = sheet_segments(reader, index)
        for x0, y0, x1, y1 in segments:
            for cx, cy, cw, ch in clips:  # no mark touches a card's artwork (its bleed included)
                assert not (min(x0, x1) < cx + cw and max(x0, x1) > cx and min(y0, y1) < cy + ch and max(y0, y1) > cy)
            assert min(x0, x1, y0, y1) >= 3 * MM - 0.01 and max(x0, x1) <= width - 3 * MM + 0.01
            assert max(y0, y1) <= height - 3 * MM + 0.01
        vertical = {round(x0, 1) for x0, y0, x1, y1 in segments if x0 == x1}
        horizontal = {round(y0, 1) for x0, y0, x1, y1 in segments if y0 == y1}
        for cx, cy, cw, ch in clips:
            bx = (cw - trim_size(deck)[0]) / 2
            by = (ch - trim_size(deck)[1]) / 2
            assert {round(cx + bx, 1), round(cx + cw - bx, 1)} <= vertical, (index, cx)
            assert {round(cy + by, 1), round(cy + ch - by, 1)} <= horizontal, (index, cy)


def trim_size(deck: str) -> tuple[float, float]:
    return {"gesprekskaarten": (90 * MM, 130 * MM), "interventiekaarten": (63 * MM, 88 * MM),
            "netwerkkaart": (210 * MM, 148 * MM)}[deck]


def label_boxes(pdf: Path) -> dict[int, list[tuple[float, float, float, float, str]]]:
    """Per page, the (x0, y0, x1, y1, text) of each text line saying "vel N", from pdftotext's boxes
    (turned into PDF space: y upwards)."""
    import html
    out = run_tool("pdftotext", "-bbox-layout", str(pdf), "-")
    pages = {}
    for number, page in enumerate(re.findall(r"<page width=\"([\d.]+)\" height=\"([\d.]+)\">(.*?)</page>", out, re.S)):
        height = float(page[1])
        found = []
        for box, words in re.findall(r"<line (xMin=.*?)>(.*?)</line>", page[2], re.S):
            text = " ".join(html.unescape(w) for w in re.findall(r">([^<]*)</word>", words))
            if re.search(r"\bvel \d+\b", text):
                x0, y0, x1, y1 = (float(v) for v in re.findall(r'"([\d.]+)"', box))
                found.append((x0, height - y1, x1, height - y0, text))
        pages[number] = found
    return pages


@pytest.mark.parametrize("deck", ["gesprekskaarten", "interventiekaarten", "netwerkkaart"])
@pytest.mark.parametrize("duplex", ["long-edge", "short-edge"])
def test_sheet_labels_stay_8mm_from_every_paper_edge(kaartgen, tmp_path, deck, duplex):
    build(kaartgen, ROOT, tmp_path, deck, extra=("--duplex", duplex))
    pdf = tmp_path / deck / f"{deck}-a4.pdf"
    reader = PdfReader(pdf)
    boxes = label_boxes(pdf)
    assert len(boxes) == len(reader.pages)
    for index in range(len(reader.pages)):
        width, height = (float(v) for v in reader.pages[index].mediabox[2:])
        assert len(boxes[index]) == 1, boxes[index]
        x0, y0, x1, y1, text = boxes[index][0]
        assert x0 >= EDGE and x1 <= width - EDGE, text
        assert y0 >= EDGE - 0.5 and y1 <= height - EDGE + 0.5, (text, y0 / MM, y1 / MM)
        for cx, cy, cw, ch in cards_on(reader, index):  # and never on a card
            assert not (x0 < cx + cw and x1 > cx and y0 < cy + ch and y1 > cy), text


def test_a_deck_without_backs_is_labelled_single_sided(sheets):
    pdf = sheets / "netwerkkaart" / "netwerkkaart-a4.pdf"
    boxes = label_boxes(pdf)
    assert len(PdfReader(pdf).pages) == 2  # the participant's card and the facilitator's notes, no backs
    assert all("enkelzijdig afdrukken" in found[0][4] for found in boxes.values()), boxes
    with_backs = label_boxes(sheets / "gesprekskaarten" / "gesprekskaarten-a4.pdf")
    assert not any("enkelzijdig" in found[0][4] for found in with_backs.values())
