"""writers: every page of the print-shop file has its boxes and its crop marks; office sheets
carry cut marks and their label, and draw each face inline in its slot, clipped at the sheet's
bleed; a shared back is one form; plain pages have the face's size."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from kaartgen import impose
from kaartgen.fonts import register_family
from kaartgen.model import Printer
from kaartgen.writers import Face, OfficeSheetWriter, PdfInfo, PlainWriter, PrintShopWriter, SheetLabels

from conftest import card_slots
from kit import MM, make_layout
from pdfops import length, operations, segments

LABELS = SheetLabels("{title}: vel {sheet} voor", "{title}: vel {sheet} achter (lang)", "{title}: vel {sheet} achter (kort)",
                     "{title}: vel {sheet} enkel")


@pytest.fixture
def layout(tmp_path):
    return make_layout(tmp_path / "layouts")


@pytest.fixture
def font(layout):
    return register_family(layout.font_files).name(False, False)


def square(canvas) -> None:
    canvas.rect(0, 0, 10, 10, fill=1, stroke=0)


def faces(n: int, shared: bool = True) -> list[Face]:
    return [Face(f"c{i}", [square], [square], shared_back="deck-back" if shared else None) for i in range(n)]


def test_every_print_shop_page_has_boxes_and_eight_crop_marks(layout, font, tmp_path):
    path = tmp_path / "shop.pdf"
    writer = PrintShopWriter(path, layout, PdfInfo("Proef"), font)
    for face in faces(3):
        writer.add(face)
    assert writer.finish() == 6
    page = impose.print_page(layout)
    reader = PdfReader(path)
    assert len(reader.pages) == 6
    for i, pdf_page in enumerate(reader.pages):
        assert [float(v) for v in pdf_page["/TrimBox"]] == pytest.approx(page.trim_box, abs=0.01)
        assert [float(v) for v in pdf_page["/BleedBox"]] == pytest.approx(page.bleed_box, abs=0.01)
        marks = [s for s in segments(path, i) if length(s) == pytest.approx(5 * MM, abs=0.02)]
        assert len(marks) == 8, i


def test_a_shared_back_is_one_form_drawn_on_every_back_page(layout, font, tmp_path):
    path = tmp_path / "shop.pdf"
    writer = PrintShopWriter(path, layout, PdfInfo("Proef"), font)
    for face in faces(3):
        writer.add(face)
    writer.finish()
    for i in (1, 3, 5):
        assert [operands[0] for operands, op in operations(path, i) if op == b"Do"] == ["/FormXob.face-deck-back"]


def office(path, layout, font, printer=Printer(), n=9, shared=True) -> OfficeSheetWriter:
    writer = OfficeSheetWriter(path, layout, PdfInfo("Proef"), font, printer=printer, labels=LABELS.for_title("Proef"))
    for face in faces(n, shared):
        writer.add(face)
    writer.finish()
    return writer


def test_office_sheets_alternate_fronts_and_backs_with_cut_marks_on_each(layout, font, tmp_path):
    path = tmp_path / "office.pdf"
    writer = office(path, layout, font, n=10)  # 9 per sheet: two sheets, the second with one card
    reader = PdfReader(path)
    assert writer.pages == len(reader.pages) == 4
    assert [len(card_slots(reader, i)) for i in range(4)] == [9, 9, 1, 1]
    for i in range(4):
        marks = segments(path, i)
        assert marks and all(impose.MIN_MARK - 0.01 <= length(s) <= 5 * MM + 0.01 for s in marks), i


def form_xobjects(reader: PdfReader) -> set[str]:
    """Names of every Form XObject any page uses."""
    return {str(name) for page in reader.pages for name, ref in (page["/Resources"].get("/XObject") or {}).items()
            if ref.get_object()["/Subtype"] == "/Form"}


@pytest.mark.parametrize("duplex", ["long-edge", "short-edge"])
def test_office_faces_are_drawn_inline_in_their_slots_clipped_at_the_sheet_bleed(layout, font, tmp_path, duplex):
    path = tmp_path / "office.pdf"
    printer = Printer(duplex=duplex)
    office(path, layout, font, printer=printer, n=9, shared=False)
    reader = PdfReader(path)
    grid = impose.plan_grid(layout)
    assert grid.bleed_x > 0 and grid.bleed_y > 0  # the default gutter leaves room for bleed
    assert form_xobjects(reader) == set()
    for index, place in ((0, grid.front), (1, lambda i: grid.back(i, printer))):
        slots = card_slots(reader, index)
        assert len(slots) == 9
        for i, slot in enumerate(slots):
            x, y = place(i)
            assert slot.origin == pytest.approx((x, y), abs=0.01)
            assert slot.clip == pytest.approx((x - grid.bleed_x, y - grid.bleed_y, layout.width + 2 * grid.bleed_x,
                                               layout.height + 2 * grid.bleed_y), abs=0.01)
            assert slot.forms == [] and slot.filled == [pytest.approx((x, y, 10, 10), abs=0.01)]  # the square


def test_a_shared_back_is_one_form_on_the_office_sheets_too(layout, font, tmp_path):
    path = tmp_path / "office.pdf"
    office(path, layout, font, n=10)
    reader = PdfReader(path)
    assert form_xobjects(reader) == {"/FormXob.face-deck-back"}
    for index in (1, 3):
        assert all(slot.forms == ["face-deck-back"] and not slot.filled for slot in card_slots(reader, index))
    for index in (0, 2):
        assert all(slot.forms == [] and len(slot.filled) == 1 for slot in card_slots(reader, index))


def test_the_sheet_label_says_which_sheet_and_side(layout, font, tmp_path):
    path = tmp_path / "office.pdf"
    office(path, layout, font, printer=Printer(duplex="short-edge"), n=10)
    texts = [PdfReader(path).pages[i].extract_text().strip() for i in range(4)]
    assert texts == ["Proef: vel 1 voor", "Proef: vel 1 achter (kort)", "Proef: vel 2 voor", "Proef: vel 2 achter (kort)"]


def test_faces_without_a_back_give_no_backs_page_and_say_so(layout, font, tmp_path):
    path = tmp_path / "office.pdf"
    writer = OfficeSheetWriter(path, layout, PdfInfo("Proef"), font, printer=Printer(), labels=LABELS.for_title("Proef"))
    writer.add(Face("alleen", [square]))
    assert writer.finish() == 1
    assert PdfReader(path).pages[0].extract_text().strip() == "Proef: vel 1 enkel"


def test_plain_pages_have_the_given_size_one_face_side_per_page(font, tmp_path):
    path = tmp_path / "plain.pdf"
    writer = PlainWriter(path, (420 * MM, 297 * MM), PdfInfo("Poster", subject="Onderwerp"), font)
    writer.add(Face("poster", [square], [square]))
    writer.add(Face("los", [square]))
    assert writer.finish() == 3
    reader = PdfReader(path)
    assert [[float(v) for v in p.mediabox[2:]] for p in reader.pages] == [pytest.approx([420 * MM, 297 * MM])] * 3
    assert reader.metadata.title == "Poster" and reader.metadata.subject == "Onderwerp"
    assert reader.trailer["/Root"]["/Lang"] == "nl-NL"


def test_sheet_labels_fill_in_the_title_once_and_leave_the_sheet_number():
    labels = LABELS.for_title("Kaarten {x}")
    assert labels.front == "Kaarten {x}: vel {sheet} voor"
    assert labels.back("long-edge") == "Kaarten {x}: vel {sheet} achter (lang)"
    assert labels.back("short-edge") == "Kaarten {x}: vel {sheet} achter (kort)"
    assert labels.single == "Kaarten {x}: vel {sheet} enkel"
