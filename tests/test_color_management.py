"""`--cmyk` through an ICC profile: OutputIntent, pure-K text, registration crop marks, ink limit,
and colours that match the profile's own conversion."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from PIL import Image, ImageCms
from pypdf import PdfReader
from pypdf.generic import ContentStream

from conftest import ROOT, build_shipped, need_tool
from kaartgen.cmyk import DEFAULT_PROFILE, delta_e_2000, load_converter

MM = 72 / 25.4


@pytest.fixture(scope="module")
def cmyk_build(tmp_path_factory) -> Path:
    return build_shipped(tmp_path_factory.mktemp("cmyk"), "--cmyk", "gesprekskaarten", "interventiekaarten", "routekaart")


def shop_pdf(out: Path, deck: str) -> Path:
    return out / deck / f"{deck}-drukwerk.pdf"


# --- the OutputIntent ---------------------------------------------------------------------------

def output_intent(pdf: Path) -> dict:
    intents = PdfReader(pdf).trailer["/Root"]["/OutputIntents"]
    assert len(intents) == 1
    return intents[0].get_object()


def test_print_file_carries_a_pdfx_output_intent_with_the_profile_embedded(cmyk_build):
    intent = output_intent(shop_pdf(cmyk_build, "gesprekskaarten"))
    assert intent["/S"] == "/GTS_PDFX"
    assert intent["/OutputConditionIdentifier"] == "FOGRA39"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 4
    assert profile.get_data() == DEFAULT_PROFILE.read_bytes()
    opened = ImageCms.ImageCmsProfile(__import__("io").BytesIO(profile.get_data()))
    assert opened.profile.xcolor_space.strip() == "CMYK" and opened.profile.device_class == "prtr"
    reader = PdfReader(shop_pdf(cmyk_build, "gesprekskaarten"))
    for page in reader.pages:  # PDF/X needs both boxes on every page
        assert "/TrimBox" in page and "/BleedBox" in page


def test_office_pdf_and_plain_print_file_have_no_output_intent(tmp_path, kaartgen):
    assert kaartgen(ROOT, "build", "netwerkkaart", "--out", str(tmp_path)).exit_code == 0
    for pdf in (tmp_path / "netwerkkaart").glob("*.pdf"):
        assert "/OutputIntents" not in PdfReader(pdf).trailer["/Root"]


def test_icc_option_embeds_the_print_shops_profile(tmp_path, kaartgen):
    own = tmp_path / "drukkerij.icc"
    own.write_bytes(DEFAULT_PROFILE.read_bytes())
    result = kaartgen(ROOT, "build", "netwerkkaart", "--icc", str(own), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    intent = output_intent(shop_pdf(tmp_path / "out", "netwerkkaart"))  # --icc implies --cmyk
    assert intent["/OutputConditionIdentifier"] == "Custom"
    assert intent["/Info"] == "kaartgen FOGRA39L coated offset"


def test_an_rgb_profile_for_icc_is_a_clear_error(tmp_path, kaartgen):
    srgb = tmp_path / "srgb.icc"
    srgb.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    target = tmp_path / "out" / "netwerkkaart" / "netwerkkaart-drukwerk.pdf"
    result = kaartgen(ROOT, "build", "netwerkkaart", "--icc", str(srgb), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert f"{srgb}: not a CMYK output (printer) profile; ask the print shop for theirs" in result.output
    assert "Traceback" not in result.output
    assert not target.exists()


# --- text in pure black, crop marks on every plate, ink limit -------------------------------------

def text_colours(reader: PdfReader) -> list[tuple[float, ...]]:
    """The fill colour in effect for every text-showing operator, in pages and form XObjects."""
    streams = [page.get_contents() for page in reader.pages]
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject") or {}
        streams += [xobjects[name].get_object() for name in xobjects]
    colours = []
    for stream in streams:
        fill, stack = None, []
        for operands, op in ContentStream(stream, reader).operations:
            if op == b"q":
                stack.append(fill)
            elif op == b"Q":
                fill = stack.pop()
            elif op == b"k":
                fill = tuple(float(v) for v in operands)
            elif op in (b"rg", b"g", b"sc", b"scn"):
                fill = ("other", op)
            elif op in (b"Tj", b"TJ", b"'", b'"'):
                colours.append(fill)
    return colours


@pytest.mark.parametrize("deck", ["gesprekskaarten", "interventiekaarten", "routekaart"])
def test_no_text_is_drawn_in_four_colour_black(cmyk_build, deck):
    colours = text_colours(PdfReader(shop_pdf(cmyk_build, deck)))
    assert colours and all(c is not None and len(c) == 4 for c in colours), set(colours)
    rich = {c for c in colours if c[3] > 0.4 and sum(c[:3]) > 0 and max(c[:3]) < 0.3}
    assert not rich, rich  # dark neutral text must be on the black plate only
    assert (0, 0, 0, 1) in set(colours)


def test_black_text_overprints(cmyk_build):
    pdf = shop_pdf(cmyk_build, "gesprekskaarten")
    states = [gs.get_object() for page in PdfReader(pdf).pages
              for gs in (page["/Resources"].get("/ExtGState") or {}).values()]
    assert any(bool(s.get("/op")) for s in states) and any(s.get("/OPM") == 1 for s in states)


def plates(pdf: Path, tmp_path: Path, page: int, dpi: int = 72) -> dict[str, Image.Image]:
    need_tool("gs")
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=tiffsep", f"-r{dpi}", f"-dFirstPage={page}",
                    f"-dLastPage={page}", f"-sOutputFile={tmp_path}/p.tif", str(pdf)], check=True)
    # tiffsep writes one greyscale file per plate; 0 means full ink.
    return {name: Image.open(tmp_path / f"p({name}).tif") for name in ("Cyan", "Magenta", "Yellow", "Black")}


def test_crop_marks_print_on_every_plate(cmyk_build, tmp_path):
    pdf = shop_pdf(cmyk_build, "gesprekskaarten")
    x0, y0, _, _ = (float(v) for v in PdfReader(pdf).pages[0].trimbox)
    height = float(PdfReader(pdf).pages[0].mediabox[3])
    dpi = 144
    scale = dpi / 72
    # The vertical mark below the bottom-left trim corner: x = trim left, 3–8 mm below the trim.
    column = round(x0 * scale)
    rows = range(round((height - y0 + 4 * MM) * scale), round((height - y0 + 7 * MM) * scale))
    for name, plate in plates(pdf, tmp_path, 1, dpi).items():
        darkest = min(plate.getpixel((x, y)) for x in range(column - 1, column + 2) for y in rows)
        assert darkest < 128, f"no crop mark on the {name} plate"


def test_total_ink_stays_under_300_percent_on_the_darkest_page(cmyk_build, tmp_path):
    pdf = shop_pdf(cmyk_build, "interventiekaarten")
    page = PdfReader(pdf).pages[0]  # the dark cover
    dpi = 36
    separated = plates(pdf, tmp_path, 1, dpi)
    x0, y0, x1, y1 = (float(v) * dpi / 72 for v in page.bleedbox)
    height = float(page.mediabox[3]) * dpi / 72
    # Inside the bleed edge (a pixel of margin): crop marks just outside it are 400 %.
    box = (round(x0) + 1, round(height - y1) + 1, round(x1) - 1, round(height - y0) - 1)
    data = [separated[n].crop(box).tobytes() for n in ("Cyan", "Magenta", "Yellow", "Black")]
    ink = [sum(255 - plate[i] for plate in data) / 255 for i in range(len(data[0]))]
    assert max(ink) <= 3.0 + 0.02
    assert max(ink) > 1.0  # the cover is really printed in colour


# --- colours as the profile converts them ---------------------------------------------------------

def profile_transform(src, dst, src_mode, dst_mode):
    return ImageCms.buildTransform(src, dst, src_mode, dst_mode,
                                   renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
                                   flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)


def pixel(transform, mode, values):
    return ImageCms.applyTransform(Image.new(mode, (1, 1), values), transform).getpixel((0, 0))


def step_colours() -> dict[str, str]:
    colors = yaml.safe_load((ROOT / "layouts" / "base.yaml").read_text(encoding="utf-8"))["colors"]
    return {name: value for name, value in colors.items() if "step" in name}


def fills(pdf: Path) -> set[tuple[float, ...]]:
    reader = PdfReader(pdf)
    found = set()
    for page in reader.pages:
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"k":
                found.add(tuple(round(float(v), 4) for v in operands))
    return found


def test_step_colours_in_the_pdf_are_the_profiles_own_conversion(cmyk_build):
    profile = ImageCms.getOpenProfile(str(DEFAULT_PROFILE))
    to_cmyk = profile_transform(ImageCms.createProfile("sRGB"), profile, "RGB", "CMYK")
    to_lab = ImageCms.buildTransform(profile, ImageCms.createProfile("LAB", 5000), "CMYK", "LAB",
                                     renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)
    written = fills(shop_pdf(cmyk_build, "interventiekaarten")) | fills(shop_pdf(cmyk_build, "gesprekskaarten"))
    converter = load_converter(None)
    for name, value in step_colours().items():
        rgb = tuple(int(value[i:i + 2], 16) for i in (1, 3, 5))
        expected = pixel(to_cmyk, "RGB", rgb)
        ours = converter.area(converter_colour(value))
        assert tuple(round(v * 255) for v in ours) == pytest.approx(expected, abs=1), name
        assert tuple(round(v, 4) for v in ours) in written, f"{name} {ours} not drawn"
        lab_expected = lab(pixel(to_lab, "CMYK", expected))
        lab_ours = lab(pixel(to_lab, "CMYK", tuple(round(v * 255) for v in ours)))
        assert delta_e_2000(lab_expected, lab_ours) < 2, name


def converter_colour(value: str):
    from kaartgen.model import Color
    return Color.from_hex(value)


def lab(p) -> tuple[float, float, float]:
    return p[0] * 100 / 255, p[1] - 128, p[2] - 128


@pytest.mark.parametrize("patch", [(60, 20, 0, 10), (0, 70, 80, 0), (70, 0, 80, 20), (40, 40, 0, 0),
                                   (10, 10, 10, 40), (0, 30, 60, 10)])
def test_in_gamut_colours_print_within_delta_e_2(patch):
    """An sRGB colour the press can print (made from a CMYK patch) comes back within ΔE2000 < 2."""
    profile = ImageCms.getOpenProfile(str(DEFAULT_PROFILE))
    cmyk = tuple(round(v * 2.55) for v in patch)
    rgb = pixel(ImageCms.buildTransform(profile, ImageCms.createProfile("sRGB"), "CMYK", "RGB",
                                        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC), "CMYK", cmyk)
    converter = load_converter(None)
    printed = converter.area(converter_colour("#%02x%02x%02x" % rgb))
    assert delta_e_2000(converter.lab_of_rgb(tuple(v / 255 for v in rgb)), converter.lab_of_cmyk(printed)) < 2


@pytest.mark.parametrize("first, second, expected", [
    ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
    ((50, -1.3802, -84.2814), (50, 0, -82.7485), 1.0000),
    ((50, 2.5, 0), (73, 25, -18), 27.1492),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
])
def test_delta_e_2000_matches_sharmas_reference_data(first, second, expected):
    assert delta_e_2000(first, second) == pytest.approx(expected, abs=1e-4)


def test_grey_text_prints_on_the_black_plate_and_colours_stay_colours():
    converter = load_converter(None)
    assert converter.ink(converter_colour("#1b1b1f")) == ((0, 0, 0, 1), True)
    grey, overprint = converter.ink(converter_colour("#5a6472"))
    assert grey[:3] == (0, 0, 0) and 0.5 < grey[3] < 0.9 and not overprint
    blue, overprint = converter.ink(converter_colour("#1f6fb2"))
    assert blue[0] > 0.5 and not overprint
