"""PNG previews: one PNG per face at an exact pixel size, a contact sheet, --card and --bleed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader

DPI = 60  # small and fast; the pixel rule is the same at any resolution


def boxes(pdf: Path) -> list[tuple[float, float, float]]:
    """(trim width, trim height, bleed) in points for every page of a print-shop PDF."""
    out = []
    for page in PdfReader(pdf).pages:
        trim, bleed = page.trimbox, page.bleedbox
        out.append((float(trim.width), float(trim.height), float(trim.left) - float(bleed.left)))
    return out


def expected_names(project: Path, deck: str) -> list[str]:
    """<id>-front.png and, for templates with a back, <id>-back.png, in deck order."""
    from kaartgen.build import load_all
    from kaartgen.project import Project, select

    p = Project(project)
    [model] = load_all(p, select(p, [deck]).decks)
    names = []
    for card in model.cards:
        names.append(f"{card.id}-front.png")
        if model.layout.templates[card.template].back is not None:
            names.append(f"{card.id}-back.png")
    return names


@pytest.fixture
def built(project, kaartgen, tmp_path):
    """Build a deck normally (for its PDF boxes), then preview it."""
    def run(deck: str, *args: str) -> tuple[Path, Path]:
        pdf_out = tmp_path / "pdf"
        result = kaartgen(project, "build", deck, "--out", str(pdf_out))
        assert result.exit_code == 0, result.output
        result = kaartgen(project, "preview", deck, "--dpi", str(DPI), *args)
        assert result.exit_code == 0, result.output
        return pdf_out / deck / f"{deck}-drukwerk.pdf", project / "output" / deck / "preview"
    return run


def face_files(folder: Path) -> list[Path]:
    return [p for p in folder.glob("*.png") if not p.name.endswith("-overzicht.png")]


def test_every_face_has_a_png_of_the_exact_trim_size(built, project):
    pdf, folder = built("gesprekskaarten")
    pages = boxes(pdf)
    names = expected_names(project, "gesprekskaarten")
    assert len(names) == len(pages)  # page order is front, back per card
    assert sorted(p.name for p in face_files(folder)) == sorted(names)
    for name, (w, h, _) in zip(names, pages):
        with Image.open(folder / name) as image:
            assert image.size == (round(w / 72 * DPI), round(h / 72 * DPI)), name
            assert image.mode == "RGB"


def test_bleed_adds_the_bleed_on_every_side_and_lines_up_with_the_trim(built, project, kaartgen):
    pdf, folder = built("gesprekskaarten")
    trimmed = {p.name: Image.open(p).copy() for p in face_files(folder)}
    result = kaartgen(project, "preview", "gesprekskaarten", "--dpi", str(DPI), "--bleed")
    assert result.exit_code == 0, result.output
    w, h, bleed = boxes(pdf)[0]
    extra = round(bleed / 72 * DPI)
    assert extra > 0
    for name, trim_image in trimmed.items():
        with Image.open(folder / name) as image:
            assert image.size == (round(w / 72 * DPI) + 2 * extra, round(h / 72 * DPI) + 2 * extra), name
            inner = image.convert("RGB").crop((extra, extra, extra + trim_image.width, extra + trim_image.height))
            # the same pixels as the trimmed preview: the trim edge falls on a pixel edge
            assert ImageChops.difference(inner, trim_image).getbbox() is None, name
    back = Image.open(folder / "omslag-back.png").convert("RGB")
    assert back.getpixel((0, 0)) == back.getpixel((extra + 2, extra + 2))  # the background runs into the bleed


def test_single_sided_cards_and_posters_have_only_fronts(built, project):
    for deck in ("netwerkkaart", "praatplaat"):
        pdf, folder = built(deck)
        pages = boxes(pdf)
        names = expected_names(project, deck)
        assert sorted(p.name for p in face_files(folder)) == sorted(names)
        for name, (w, h, _) in zip(names, pages):
            with Image.open(folder / name) as image:
                assert image.size == (round(w / 72 * DPI), round(h / 72 * DPI)), name


def test_contact_sheet_shows_every_face(built, project):
    _, folder = built("gesprekskaarten")
    sheet = folder / "gesprekskaarten-overzicht.png"
    assert sheet.is_file()
    faces = face_files(folder)
    with Image.open(sheet) as image, Image.open(faces[0]) as face:
        # room for every face (thumbnails are at most the face size) in a grid
        assert image.width * image.height > len(faces) * face.width * face.height * 0.5
        assert image.getpixel((1, 1)) != (255, 255, 255)  # a grey ground around the white cards


def test_card_option_renders_only_that_card(project, kaartgen):
    result = kaartgen(project, "preview", "gesprekskaarten", "--card", "informeren-nieuw-2", "--dpi", str(DPI))
    assert result.exit_code == 0, result.output
    folder = project / "output" / "gesprekskaarten" / "preview"
    assert sorted(p.name for p in folder.glob("*.png")) == ["informeren-nieuw-2-back.png",
                                                             "informeren-nieuw-2-front.png"]
    assert not (project / "output" / "gesprekskaarten" / "gesprekskaarten-drukwerk.pdf").exists()  # PDFs untouched


def test_card_option_keeps_the_other_previews(project, kaartgen):
    assert kaartgen(project, "preview", "netwerkkaart", "--dpi", str(DPI)).exit_code == 0
    folder = project / "output" / "netwerkkaart" / "preview"
    before = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.png")}
    result = kaartgen(project, "preview", "netwerkkaart", "--card", "opening", "--dpi", str(DPI))
    assert result.exit_code == 0, result.output
    after = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.png")}
    assert set(after) == set(before)
    assert after["netwerkkaart-overzicht.png"] == before["netwerkkaart-overzicht.png"]


def test_unknown_card_id_is_a_clear_error(project, kaartgen):
    result = kaartgen(project, "preview", "gesprekskaarten", "--card", "informeren-niew-1")
    assert result.exit_code == 1
    assert "no card with id 'informeren-niew-1' in deck 'gesprekskaarten' (did you mean 'informeren-nieuw-1'?)" \
        in result.output
    assert "cards/gesprekskaarten.yaml" in result.output
    assert "Traceback" not in result.output
    assert not (project / "output" / "gesprekskaarten" / "preview").exists()


def test_unknown_deck_is_a_clear_error(project, kaartgen):
    result = kaartgen(project, "preview", "gesprekskaart")
    assert result.exit_code == 1
    assert "unknown deck (did you mean 'gesprekskaarten'?)" in result.output


def test_set_preview_goes_to_the_set_folder(project, kaartgen):
    result = kaartgen(project, "preview", "gesprekskaarten", "--set", "cards/sets/partnerschap-rivierenland.yaml",
                      "--card", "omslag", "--dpi", str(DPI))
    assert result.exit_code == 0, result.output
    folder = project / "output" / "partnerschap-rivierenland" / "gesprekskaarten" / "preview"
    assert (folder / "omslag-back.png").is_file()
    plain = kaartgen(project, "preview", "gesprekskaarten", "--card", "omslag", "--dpi", str(DPI))
    assert plain.exit_code == 0, plain.output
    with Image.open(folder / "omslag-back.png") as with_set, \
            Image.open(project / "output" / "gesprekskaarten" / "preview" / "omslag-back.png") as without:
        assert ImageChops.difference(with_set.convert("RGB"), without.convert("RGB")).getbbox() is not None
