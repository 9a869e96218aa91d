"""calibrate: the crosses on the back lie behind the scales on the front once the sheet is
turned the printer's way, and the scales are numbered so the reading is the offset to set."""

from __future__ import annotations

from collections import defaultdict

import pytest
from pypdf import PdfReader

from kaartgen.calibrate import RULER_GAP, write_calibration
from kaartgen.model import Printer
from kaartgen.units import paper_size

from kit import MM
from pdfops import length, segments

W, H = paper_size("A4")


def spots_on_front(path) -> list[tuple[float, float]]:
    """Where the scales cross: each 16 mm horizontal ruler sits RULER_GAP below its spot, centred on it."""
    rulers = [s for s in segments(path, 0) if s[1] == s[3] and length(s) == pytest.approx(16 * MM, abs=0.01)]
    return sorted(((x1 + x2) / 2, y1 + RULER_GAP) for x1, y1, x2, y2 in rulers)


def crosses_on_back(path) -> list[tuple[float, float]]:
    arms = [s for s in segments(path, 1) if length(s) == pytest.approx(2 * (RULER_GAP + 8 * MM), abs=0.01)]
    across = [s for s in arms if s[1] == s[3]]
    assert len(across) == len(arms) / 2
    return sorted(((x1 + x2) / 2, y1) for x1, y1, x2, y2 in across)


def turned(spot, duplex):
    x, y = spot  # portrait A4: the long edge is vertical, so turning over it mirrors left↔right
    return (W - x, y) if duplex == "long-edge" else (x, H - y)


@pytest.mark.parametrize("duplex", ["long-edge", "short-edge"])
def test_each_cross_lies_behind_a_scale_once_the_sheet_is_turned(tmp_path, duplex):
    path = tmp_path / "kalibratie.pdf"
    write_calibration(path, Printer(duplex=duplex))
    front = spots_on_front(path)
    assert len(front) == 3
    expected = sorted(turned(spot, duplex) for spot in front)
    assert [v for p in crosses_on_back(path) for v in p] == pytest.approx([v for p in expected for v in p], abs=0.02)


def scale_labels(path) -> list[list[str]]:
    """The numbers under each horizontal scale, left to right (nine per scale, scales side by side)."""
    rows = defaultdict(list)

    def visit(text, cm, tm, font, size):
        if text.strip().lstrip("+-").isdigit():
            rows[round(tm[5], 0)].append((tm[4], text.strip()))
    PdfReader(path).pages[0].extract_text(visitor_text=visit)
    scales = []
    for row in rows.values():
        if len(row) % 9 == 0:  # the vertical scales' numbers stand one per line
            texts = [text for _, text in sorted(row)]
            scales += [texts[i:i + 9] for i in range(0, len(texts), 9)]
    return scales


@pytest.mark.parametrize("duplex, left_to_right", [("long-edge", ["-8", "+8"]), ("short-edge", ["+8", "-8"])])
def test_the_x_scales_are_numbered_so_the_reading_is_the_offset(tmp_path, duplex, left_to_right):
    path = tmp_path / "kalibratie.pdf"
    write_calibration(path, Printer(duplex=duplex))
    scales = scale_labels(path)
    assert len(scales) == 3  # one x scale per spot
    for texts in scales:
        assert [texts[0], texts[-1]] == left_to_right and texts[4] == "0"


def test_the_page_says_which_edge_to_turn(tmp_path):
    path = tmp_path / "kalibratie.pdf"
    write_calibration(path, Printer(duplex="short-edge"))
    assert "omslaan over de korte kant" in PdfReader(path).pages[0].extract_text()
