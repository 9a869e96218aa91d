"""Print-shop and office-printer options: CMYK, duplex offset, cut lines, guides, calibration."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT, card_slots, need_tool, run_tool, sheet_segments
from test_gesprekskaarten import CARD_H, CARD_W

MM = 72 / 25.4


def gesprekskaarten_set(project: Path, logo: str) -> Path:
    sets = project / "cards" / "sets"
    shutil.copytree(ROOT / "cards" / "sets" / "logos", sets / "logos", dirs_exist_ok=True)
    path = sets / "proef.yaml"
    path.write_text(f"set: {{name: Proef, short_name: P, sector: po, logo: cards/sets/logos/{logo}}}\n"
                    "decks: [gesprekskaarten]\n", encoding="utf-8")
    return path


def uncompressed(pdf: Path) -> str:
    need_tool("qpdf")
    out = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(pdf), "-"], capture_output=True)
    return out.stdout.decode("latin-1")


@pytest.mark.parametrize("logo", ["rivierenland.png", "de-brug.svg"])
def test_cmyk_print_file_has_no_rgb_left(project, kaartgen, tmp_path, logo):
    gesprekskaarten_set(project, logo)
    result = kaartgen(project, "build", "--set", "cards/sets/proef.yaml", "--cmyk", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    folder = tmp_path / "proef" / "gesprekskaarten"
    shop = uncompressed(folder / "gesprekskaarten-drukwerk.pdf")
    assert not re.search(r"(^|\s)[\d.]+ [\d.]+ [\d.]+ (rg|RG)(\s|$)", shop, re.M)
    assert re.search(r"[\d.]+ [\d.]+ [\d.]+ [\d.]+ k", shop)
    images = run_tool("pdfimages", "-list", str(folder / "gesprekskaarten-drukwerk.pdf")).splitlines()[2:]
    assert all(line.split()[5] == "cmyk" for line in images), images
    if logo.endswith(".png"):
        assert images, "the raster logo should be in the print file"
    # The office file stays RGB.
    assert re.search(r"[\d.]+ [\d.]+ [\d.]+ rg", uncompressed(folder / "gesprekskaarten-a4.pdf"))


def test_cmyk_ink_is_on_every_page_and_under_300_percent(project, kaartgen, tmp_path):
    gesprekskaarten_set(project, "rivierenland.png")
    assert kaartgen(project, "build", "--set", "cards/sets/proef.yaml", "--cmyk", "--out", str(tmp_path)).exit_code == 0
    pdf = tmp_path / "proef" / "gesprekskaarten" / "gesprekskaarten-drukwerk.pdf"
    out = run_tool("gs", "-q", "-o", "-", "-sDEVICE=inkcov", str(pdf))
    pages = [[float(v) for v in line.split()[:4]] for line in out.splitlines() if "CMYK" in line]
    assert len(pages) == len(PdfReader(pdf).pages)
    assert all(sum(page) > 0 for page in pages)
    for op in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) [kK]", uncompressed(pdf)):
        assert sum(float(v) for v in op) <= 3.0 + 1e-6


def test_back_offset_moves_every_back_by_exactly_that_amount(project, kaartgen, tmp_path):
    (project / "printers").mkdir(exist_ok=True)
    (project / "printers" / "scheef.yaml").write_text("duplex: long-edge\nback_offset: {x: 1.5mm, y: 2mm}\n",
                                                    encoding="utf-8")
    plain, shifted = tmp_path / "plain", tmp_path / "shifted"
    assert kaartgen(project, "build", "gesprekskaarten", "--out", str(plain)).exit_code == 0
    result = kaartgen(project, "build", "gesprekskaarten", "--printer", "scheef", "--out", str(shifted))
    assert result.exit_code == 0, result.output
    a = PdfReader(plain / "gesprekskaarten" / "gesprekskaarten-a4.pdf")
    b = PdfReader(shifted / "gesprekskaarten" / "gesprekskaarten-a4.pdf")
    for i in range(len(a.pages)):
        before = sorted(slot.origin for slot in card_slots(a, i))
        after = sorted(slot.origin for slot in card_slots(b, i))
        assert len(after) == len(before) > 0
        dx, dy = (1.5 * MM, -2 * MM) if i % 2 else (0, 0)  # odd pages are the backs
        assert [v for p in after for v in p] == pytest.approx([v for x, y in before for v in (x + dx, y + dy)],
                                                              abs=0.001)


def test_full_length_cut_lines_run_edge_to_edge_at_every_card_edge(project, kaartgen, tmp_path):
    (project / "printers").mkdir(exist_ok=True)
    (project / "printers" / "lijnen.yaml").write_text("cut_marks: lines\n", encoding="utf-8")
    assert kaartgen(project, "build", "gesprekskaarten", "--printer", "lijnen", "--out", str(tmp_path)).exit_code == 0
    reader = PdfReader(tmp_path / "gesprekskaarten" / "gesprekskaarten-a4.pdf")
    sheet_w, sheet_h = (float(v) for v in reader.pages[0].mediabox[2:])
    origins = [slot.origin for slot in card_slots(reader, 0)]
    assert len(origins) == 4
    xs = sorted({round(v, 2) for x, _ in origins for v in (x, x + CARD_W)})
    ys = sorted({round(v, 2) for _, y in origins for v in (y, y + CARD_H)})
    segments = sheet_segments(reader, 0)
    vertical = {round(x1, 2) for x1, y1, x2, y2 in segments if x1 == x2 and {y1, y2} == {0, round(sheet_h, 2)}
                or (x1 == x2 and abs(abs(y2 - y1) - sheet_h) < 0.01)}
    horizontal = {round(y1, 2) for x1, y1, x2, y2 in segments if y1 == y2 and abs(abs(x2 - x1) - sheet_w) < 0.01}
    assert set(xs) <= vertical and set(ys) <= horizontal, (xs, vertical, ys, horizontal)


def test_guides_add_coloured_boxes_to_every_face(kaartgen, tmp_path):
    assert kaartgen(ROOT, "build", "gesprekskaarten", "--guides", "--out", str(tmp_path)).exit_code == 0
    content = uncompressed(tmp_path / "gesprekskaarten" / "gesprekskaarten-drukwerk.pdf")
    assert content.count("0 1 0 0 K") >= len(PdfReader(tmp_path / "gesprekskaarten" /
                                                       "gesprekskaarten-drukwerk.pdf").pages)


def test_calibration_page(kaartgen, tmp_path):
    out = tmp_path / "kalibratie.pdf"
    result = kaartgen(ROOT, "calibrate", "--out", str(out))
    assert result.exit_code == 0, result.output
    reader = PdfReader(out)
    assert len(reader.pages) == 2
    assert [float(v) for v in reader.pages[0].mediabox[2:]] == pytest.approx([595.28, 841.89], abs=0.1)
    text = reader.pages[0].extract_text()
    assert "back_offset" in text and "x (mm)" in text


def test_unknown_printer_profile_is_a_clear_error(kaartgen, project):
    result = kaartgen(project, "build", "gesprekskaarten", "--printer", "standard")
    assert result.exit_code == 1
    assert "unknown printer profile (did you mean 'standaard'?)" in result.output
