"""The gesprekskaarten deck end to end: page boxes, fonts, text, duplex geometry, metadata."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from conftest import ROOT, card_slots, normalise, pdftext, run_tool

MM = 72 / 25.4
CARD_W, CARD_H = 90 * MM, 130 * MM
BLEED = 3 * MM


def deck_yaml(name="gesprekskaarten") -> dict:
    return yaml.safe_load((ROOT / "cards" / f"{name}.yaml").read_text(encoding="utf-8"))


def all_questions() -> list[str]:
    questions = []
    for entry in deck_yaml()["cards"]:
        for card in entry.get("cards", [entry]):
            questions += card.get("questions", [])
    return questions


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("gesprekskaarten")
    result = subprocess.run([sys.executable, "-m", "kaartgen", "build", "gesprekskaarten", "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    folder = out / "gesprekskaarten"
    return {"drukwerk": folder / "gesprekskaarten-drukwerk.pdf", "a4": folder / "gesprekskaarten-a4.pdf"}


def box(page, name) -> list[float]:
    return [float(v) for v in page[name]]


def test_every_print_shop_page_has_trim_and_bleed_boxes(pdfs):
    reader = PdfReader(pdfs["drukwerk"])
    cards = sum(len(e.get("cards", [e])) for e in deck_yaml()["cards"])
    assert len(reader.pages) == 2 * cards  # front then back for every card
    for page in reader.pages:
        x0, y0, x1, y1 = box(page, "/TrimBox")
        assert x1 - x0 == pytest.approx(CARD_W, abs=0.5)
        assert y1 - y0 == pytest.approx(CARD_H, abs=0.5)
        bx0, by0, bx1, by1 = box(page, "/BleedBox")
        assert [x0 - bx0, y0 - by0, bx1 - x1, by1 - y1] == pytest.approx([BLEED] * 4, abs=0.05)
        mx0, my0, mx1, my1 = box(page, "/MediaBox")
        assert mx0 <= bx0 - 5 * MM and mx1 >= bx1 + 5 * MM  # room for crop marks outside the bleed


def test_pdfinfo_reports_the_boxes(pdfs):
    out = run_tool("pdfinfo", "-box", "-f", "1", "-l", "2", str(pdfs["drukwerk"]))
    trims = re.findall(r"TrimBox:\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", out)
    bleeds = re.findall(r"BleedBox:\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", out)
    assert len(trims) == 2 and len(bleeds) == 2
    for trim, bleed in zip(trims, bleeds):
        t, b = [float(v) for v in trim], [float(v) for v in bleed]
        assert t[2] - t[0] == pytest.approx(CARD_W, abs=0.5)
        assert t[0] - b[0] == pytest.approx(8.5, abs=0.1)
        assert b[3] - t[3] == pytest.approx(8.5, abs=0.1)


@pytest.mark.parametrize("kind", ["drukwerk", "a4"])
def test_fonts_are_embedded_subsets_and_not_type3(pdfs, kind):
    out = run_tool("pdffonts", str(pdfs[kind]))
    rows = out.strip().splitlines()[2:]
    assert rows, "no fonts at all"
    for row in rows:
        assert "Type 3" not in row
        assert "Helvetica" not in row
        name, emb, sub = row.split()[0], row.split()[-5], row.split()[-4]
        assert re.match(r"^[A-Z]{6}\+SourceSansPro", name), row
        assert (emb, sub) == ("yes", "yes"), row


@pytest.mark.parametrize("kind", ["drukwerk", "a4"])
def test_every_question_is_in_the_text_with_diacritics(pdfs, kind):
    text = pdftext(pdfs[kind])
    missing = [q for q in all_questions() if normalise(q) not in text]
    assert not missing, missing
    assert "creëren" in text


def mirrored(x, y, sheet_w, sheet_h, mirror):
    return (sheet_w - x - CARD_W, y) if mirror == "x" else (x, sheet_h - y - CARD_H)


def slot_words(pdf: Path) -> dict[int, list[tuple[float, float, str]]]:
    """Per page, the centre (PDF space, y upwards) and text of every word pdftotext finds."""
    import html
    page_pattern = r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>'
    word_pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    pages = {}
    out = run_tool("pdftotext", "-bbox", str(pdf), "-")
    for number, (height, body) in enumerate(re.findall(page_pattern, out, re.S)):
        pages[number] = [((float(x0) + float(x1)) / 2, float(height) - (float(y0) + float(y1)) / 2, html.unescape(word))
                         for x0, y0, x1, y1, word in re.findall(word_pattern, body)]
    return pages


def text_in(words, clip) -> str:
    """The words inside `clip`, joined without spaces or hyphens (line breaks differ between faces)."""
    x, y, w, h = clip
    return "".join(word for cx, cy, word in words if x <= cx <= x + w and y <= cy <= y + h).replace("-", "")


def check_duplex(path: Path, mirror: str) -> int:
    """Every card's own back sits where the turned sheet puts its front, and shows that card's title;
    returns the cards checked."""
    reader = PdfReader(path)
    words = slot_words(path)
    sheet_w, sheet_h = (float(v) for v in reader.pages[0].mediabox[2:])
    checked = 0
    for i in range(0, len(reader.pages), 2):
        backs = {tuple(round(v, 2) for v in slot.origin): slot for slot in card_slots(reader, i + 1)}
        for front in card_slots(reader, i):
            back = backs.pop(tuple(round(v, 2) for v in mirrored(*front.origin, sheet_w, sheet_h, mirror)))
            if back.forms:  # cover and instruction keep the shared deck back
                continue
            title = text_in(words[i + 1], back.clip)
            assert title and title in text_in(words[i], front.clip), (i, title)
            checked += 1
        assert not backs, f"backs on page {i + 2} without a front"
    return checked


def check_shared_back_slots(path: Path, mirror: str) -> int:
    """With one shared back design, the back slots are the mirrored front slots, each drawing that one form."""
    reader = PdfReader(path)
    sheet_w, sheet_h = (float(v) for v in reader.pages[0].mediabox[2:])
    checked = 0
    for i in range(0, len(reader.pages), 2):
        fronts = [mirrored(*slot.origin, sheet_w, sheet_h, mirror) for slot in card_slots(reader, i)]
        backs = card_slots(reader, i + 1)
        assert [v for p in sorted(slot.origin for slot in backs) for v in p] == pytest.approx(
            [v for p in sorted(fronts) for v in p], abs=0.01)
        assert all(slot.forms == ["face-deck-back"] for slot in backs)
        checked += len(fronts)
    return checked


def test_long_edge_duplex_backs_land_on_their_fronts(pdfs):
    reader = PdfReader(pdfs["a4"])
    assert [float(v) for v in reader.pages[0].mediabox[2:]] == pytest.approx([595.28, 841.89], abs=0.1)
    assert len(card_slots(reader, 0)) == 4  # 90×130 mm: 2 × 2 on A4 with margins
    assert check_shared_back_slots(pdfs["a4"], "x") == sum(len(e.get("cards", [e])) for e in deck_yaml()["cards"])


def test_short_edge_duplex_mirrors_top_to_bottom(kaartgen, project, tmp_path):
    # Give every card its own back design so each back can be matched to its front by name.
    layout = project / "layouts" / "gesprekskaart.yaml"
    text = layout.read_text(encoding="utf-8").replace("    back: deck-back\n  cover:",
                                                      "    back:\n      title: {type: text, x: 6mm, y: 6mm, width: 78mm, "
                                                      "height: 8mm, content: \"{title}\", style: heading}\n  cover:", 1)
    layout.write_text(text, encoding="utf-8")
    for duplex, mirror in (("short-edge", "y"), ("long-edge", "x")):
        out = tmp_path / duplex
        result = kaartgen(project, "build", "gesprekskaarten", "--duplex", duplex, "--out", str(out))
        assert result.exit_code == 0, result.output
        assert check_duplex(out / "gesprekskaarten" / "gesprekskaarten-a4.pdf", mirror) >= 12


@pytest.mark.parametrize("kind", ["drukwerk", "a4"])
def test_qpdf_check_passes(pdfs, kind):
    out = run_tool("qpdf", "--check", str(pdfs[kind]))
    assert "No syntax or stream encoding errors" in out


def test_metadata_and_language(pdfs):
    for path in pdfs.values():
        reader = PdfReader(path)
        meta = reader.metadata
        assert meta.title.startswith("Gesprekskaarten")
        assert meta.author and meta.subject
        assert reader.trailer["/Root"]["/Lang"] == "nl-NL"


def test_build_is_byte_identical(kaartgen, tmp_path):
    outputs = []
    for run in ("a", "b"):
        result = kaartgen(ROOT, "build", "gesprekskaarten", "--out", str(tmp_path / run))
        assert result.exit_code == 0, result.output
        outputs.append({p.name: p.read_bytes() for p in (tmp_path / run / "gesprekskaarten").glob("*.pdf")})
    assert outputs[0] == outputs[1] and len(outputs[0]) == 2


def test_check_validates_without_writing(kaartgen, project):
    result = kaartgen(project, "check")
    assert result.exit_code == 0, result.output
    assert "ok:" in result.output
    assert not (project / "output").exists()


@pytest.mark.parametrize("command", [[], ["build"], ["check"]])
def test_help(kaartgen, command):
    result = kaartgen(ROOT, *command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output
