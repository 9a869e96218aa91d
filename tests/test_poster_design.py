"""Posters and cards as designed for use: writing space on the praatplaat, the routekaart filled in for
a partnership with its logo in a place of its own, no empty heading on a card."""

from __future__ import annotations

import re

from pypdf import PdfReader
from pypdf.generic import ContentStream

from conftest import normalise, pdftext

MM = 72 / 25.4


def long_rules(pdf, minimum: float) -> list[tuple[float, float, float, float]]:
    content = PdfReader(pdf).pages[0].get_contents().get_data().decode("latin-1")
    segments = [tuple(float(v) for v in m) for m in re.findall(r"([\d.]+) ([\d.]+) m ([\d.]+) ([\d.]+) l", content)]
    return [s for s in segments if s[1] == s[3] and abs(s[2] - s[0]) >= minimum]


def test_every_praatplaat_element_has_eight_lines_to_write_on(shipped_build):
    pdf = shipped_build / "praatplaat" / "praatplaat-a3.pdf"
    rules = long_rules(pdf, 80 * MM)
    elements = len(re.findall(r"^\d\b", PdfReader(pdf).pages[0].extract_text(), re.M)) or 8
    assert len(rules) >= 8 * elements, len(rules)
    # Writing lines sit at least 7 mm apart: room for handwriting.
    for x in {round(r[0]) for r in rules}:
        ys = sorted(r[1] for r in rules if round(r[0]) == x)
        assert all(b - a >= 7 * MM - 0.1 for a, b in zip(ys, ys[1:]) if b - a > 1), ys


def test_a_set_routekaart_names_the_partnership_and_keeps_its_logo_out_of_the_box(batch_build):
    folder = batch_build.out / "partnerschap-rivierenland" / "routekaart"
    pdf = folder / "routekaart-a3.pdf"
    assert "Partnerschap: Partnerschap Opleiden Rivierenland" in normalise(pdftext(pdf))
    reader = PdfReader(pdf)
    page = reader.pages[0]
    height = float(page.mediabox[3])
    stack, ctm, placed = [], [1, 0, 0, 1, 0, 0], []
    for operands, op in ContentStream(page.get_contents(), reader).operations:
        if op == b"q":
            stack.append(ctm)
        elif op == b"Q":
            ctm = stack.pop()
        elif op == b"cm":
            a, b, c, d, e, f = (float(v) for v in operands)
            ctm = [a * ctm[0] + b * ctm[2], a * ctm[1] + b * ctm[3], c * ctm[0] + d * ctm[2],
                   c * ctm[1] + d * ctm[3], e * ctm[0] + f * ctm[2] + ctm[4], e * ctm[1] + f * ctm[3] + ctm[5]]
        elif op == b"Do":
            placed.append((ctm[4], ctm[5], ctm[0], ctm[3]))
    assert placed, "the logo is drawn"
    for x, y, w, h in placed:  # in the header band (top 44 mm), not in the owner box at the bottom
        assert y >= height - 44 * MM and y + h <= height, (x, y, w, h)


def test_a_blank_routekaart_keeps_its_fill_in_line(shipped_build):
    text = normalise(pdftext(shipped_build / "routekaart" / "routekaart-a3.pdf"))
    assert "Partnerschap: ……" in text and "Eigenaar van de route" in text


def test_a_card_without_aandachtspunten_has_no_such_heading(batch_build):
    pdf = batch_build.out / "opleidingsschool-de-brug" / "gesprekskaarten" / "gesprekskaarten-drukwerk.pdf"
    fronts = [page.extract_text() for page in PdfReader(pdf).pages[::2]]
    own = next(text for text in fronts if "Onze eigen afspraak" in text)
    assert "Aandachtspunten" not in own
    assert sum("Aandachtspunten" in text for text in fronts) >= 15  # the other cards keep theirs
