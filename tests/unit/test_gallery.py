"""The element gallery (docs/elements.md): every element kind, its keys, and a picture drawn
from a real layout (tests/fixtures/gallery). KAARTGEN_UPDATE_GALLERY=1 rewrites the pictures."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image, ImageChops
from reportlab.pdfgen.canvas import Canvas

from conftest import FIXTURES, ROOT
from kaartgen import formats
from kaartgen.fonts import register_family
from kaartgen.layouts import load_layout
from kaartgen.render import Context, Frame, Paint, draw, plan_face

GALLERY = ROOT / "docs" / "elements.md"
PICTURES = ROOT / "docs" / "elements"
VALUES = {"title": "Samen opleiden", "card.index": 2, "card.count": 9, "steps": ["a", "b", "c", "d", "e"]}


def picture(kind: str) -> Image.Image:
    """The gallery layout's template for `kind`, drawn and rasterised at 100 dpi."""
    import pypdfium2

    layout = load_layout("gallery", FIXTURES / "gallery" / "layouts")
    family = register_family(layout.font_files)
    ctx = Context(layout=layout, family=family, values=VALUES, project=ROOT, deck="gallery", card_id=kind,
                  card_where="gallery", paint=Paint())
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(layout.width, layout.height), initialFontName=family.name(False, False),
                    invariant=1)
    frame = Frame(0, layout.height, layout.width, layout.height)
    draw(canvas, plan_face(layout.templates[kind].front, ctx, frame))
    canvas.showPage()
    canvas.save()
    page = pypdfium2.PdfDocument(buffer.getvalue())[0]
    return page.render(scale=100 / 72).to_pil().convert("RGB")


@pytest.mark.parametrize("kind", formats.ELEMENT_TYPES)
def test_every_element_kind_has_a_picture_drawn_from_the_gallery_layout(kind):
    image = picture(kind)
    blank = Image.new("RGB", image.size, "white")
    assert ImageChops.difference(image, blank).getbbox(), f"{kind}: nothing drawn"
    path = PICTURES / f"{kind}.png"
    if os.environ.get("KAARTGEN_UPDATE_GALLERY"):
        PICTURES.mkdir(parents=True, exist_ok=True)
        image.save(path, optimize=True)
    assert path.is_file(), f"run KAARTGEN_UPDATE_GALLERY=1 pytest {__file__}"
    with Image.open(path) as stored:
        assert stored.size == image.size


@pytest.mark.parametrize("kind", formats.ELEMENT_TYPES)
def test_the_gallery_names_every_key_of_every_element_kind(kind):
    text = GALLERY.read_text(encoding="utf-8")
    section = text.split(f"## `{kind}`", 1)[1].split("\n## ", 1)[0]
    assert f"](elements/{kind}.png)" in section
    keys = [k for k in formats.ELEMENT.variants[kind].fields if k not in formats.common]
    missing = [k for k in keys if f"`{k}`" not in section]
    assert not missing, f"{kind}: keys not described: {missing}"
