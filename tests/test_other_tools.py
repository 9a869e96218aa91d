"""Every tool besides the gesprekskaarten, in the same layout language.

Routekaart and praatplaat (A3 posters), dialoogkaart (A4, po/vo/mbo), interventiekaarten
(63×88 cards) and the netwerkkaart (A5). Texts are read from the shipped YAML, so the tests
follow the content instead of repeating it.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from conftest import ROOT, card_slots, need_tool, normalise, pdftext

MM = 72 / 25.4
A3_LANDSCAPE = (420 * MM, 297 * MM)  # 1190.55 × 841.89 pt
BLEED = 3 * MM
SAFE = 4 * MM

# deck -> name of its office PDF
OFFICE = {
    "routekaart": "routekaart-a3.pdf",
    "praatplaat": "praatplaat-a3.pdf",
    "dialoogkaart-po": "dialoogkaart-po-a4.pdf",
    "dialoogkaart-vo": "dialoogkaart-vo-a4.pdf",
    "dialoogkaart-mbo": "dialoogkaart-mbo-a4.pdf",
    "interventiekaarten": "interventiekaarten-a4.pdf",
    "netwerkkaart": "netwerkkaart-a4.pdf",
}
SECTORS = ("po", "vo", "mbo")


# --- helpers -------------------------------------------------------------------------------

def load(name: str, root: Path = ROOT) -> dict:
    return yaml.safe_load((root / "cards" / f"{name}.yaml").read_text(encoding="utf-8"))


def deck_cards(name: str) -> list[dict]:
    """A deck's cards as kaartgen reads them (also from a spreadsheet): id, template and fields."""
    from kaartgen.decks import load_decks
    [deck] = load_decks(ROOT / "cards" / f"{name}.yaml", ROOT / "layouts")
    return [{"id": c.id, "template": c.template, **c.fields} for c in deck.cards]


def flat_cards(entries: list, inherited: dict | None = None):
    """Cards in order, with the fields of `with:` groups given to their cards."""
    for entry in entries:
        if "cards" in entry and "id" not in entry:
            yield from flat_cards(entry["cards"], {**(inherited or {}), **(entry.get("with") or {})})
        else:
            yield {**(inherited or {}), **entry}


def strings(value):
    """Every text inside a YAML value (dicts, lists, scalars)."""
    if isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)
    elif isinstance(value, str):
        yield value


def squash(text: str) -> str:
    """Compare texts regardless of line breaks and hyphenation: no spaces, no hyphens, no markup."""
    return re.sub(r"[\s\-\u00ad]+", "", normalise(text)).lower()


def contains(haystack: str, needle: str) -> bool:
    return squash(needle) in squash(haystack)


def box(page, name: str) -> tuple[float, ...]:
    value = page.get(name)
    assert value is not None, f"page has no {name} in its dictionary"
    return tuple(float(v) for v in value)


def content_streams(pdf: Path) -> dict[str, str]:
    """Decompressed content of every page and every form XObject, by name ("page 1", "face-deck-back")."""
    reader = PdfReader(str(pdf))
    found: dict[str, str] = {}

    def forms(resources):
        xobjects = (resources or {}).get("/XObject") if resources else None
        if not xobjects:
            return
        xobjects = xobjects.get_object()
        for key, ref in xobjects.items():
            obj = ref.get_object()
            name = key.lstrip("/").removeprefix("FormXob.")
            if obj.get("/Subtype") == "/Form" and name not in found:
                found[name] = obj.get_data().decode("latin-1")
                forms(obj.get("/Resources"))

    for number, page in enumerate(reader.pages, start=1):
        contents = page.get_contents()
        found[f"page {number}"] = contents.get_data().decode("latin-1") if contents is not None else ""
        forms(page.get("/Resources"))
    return found


def fills(stream: str) -> list[tuple[float, float, float]]:
    number = r"(-?\d*\.?\d+)"
    return [tuple(float(v) for v in m) for m in re.findall(rf"{number}\s+{number}\s+{number}\s+rg\b", stream)]


def has_fill(stream: str, rgb: tuple[float, float, float]) -> bool:
    return close_to(fills(stream), rgb)


def close_to(colours: list[tuple[float, float, float]], rgb: tuple[float, float, float]) -> bool:
    return any(all(abs(a - b) < 0.003 for a, b in zip(colour, rgb)) for colour in colours)


def hex_rgb(text: str) -> tuple[float, float, float]:
    text = text.lstrip("#")
    return tuple(int(text[i:i + 2], 16) / 255 for i in (0, 2, 4))


# --- every tool is built -------------------------------------------------------------------

PAPER_PT = {"a3": sorted((841.89, 1190.55)), "a4": sorted((595.28, 841.89))}


@pytest.mark.parametrize("deck", sorted(OFFICE))
def test_build_without_arguments_writes_every_tool_on_its_paper(shipped_build, deck):
    """The office PDF has the paper size its name says, and the print-shop PDF a page per face."""
    office = PdfReader(shipped_build / deck / OFFICE[deck])
    paper = PAPER_PT[OFFICE[deck].rsplit("-", 1)[1].removesuffix(".pdf")]
    for page in office.pages:
        assert sorted(float(v) for v in page.mediabox[2:]) == pytest.approx(paper, abs=0.1)
    shop = PdfReader(shipped_build / deck / f"{deck}-drukwerk.pdf")
    assert len(shop.pages) >= len(office.pages) and all("/TrimBox" in page for page in shop.pages)


@pytest.mark.parametrize("deck", ["routekaart", "praatplaat"])
def test_posters_are_a3_landscape(shipped_build, deck):
    plain = PdfReader(str(shipped_build / deck / OFFICE[deck]))
    assert len(plain.pages) >= 1
    for page in plain.pages:
        assert float(page.mediabox.width) == pytest.approx(A3_LANDSCAPE[0], abs=1)
        assert float(page.mediabox.height) == pytest.approx(A3_LANDSCAPE[1], abs=1)

    shop = PdfReader(str(shipped_build / deck / f"{deck}-drukwerk.pdf"))
    assert len(shop.pages) == len(plain.pages)
    for page in shop.pages:
        tx0, ty0, tx1, ty1 = box(page, "/TrimBox")
        bx0, by0, bx1, by1 = box(page, "/BleedBox")
        assert (tx1 - tx0, ty1 - ty0) == pytest.approx(A3_LANDSCAPE, abs=1)
        assert (bx0, by0, bx1, by1) == pytest.approx((tx0 - BLEED, ty0 - BLEED, tx1 + BLEED, ty1 + BLEED), abs=0.5)
        media = page.mediabox
        assert float(media.width) > bx1 - bx0 and float(media.height) > by1 - by0, "no room for crop marks"


def test_routekaart_has_a_front_and_instructions(shipped_build):
    plain = PdfReader(str(shipped_build / "routekaart" / OFFICE["routekaart"]))
    assert len(plain.pages) == 2
    handleiding = next(c for c in flat_cards(load("routekaart")["cards"]) if c.get("template") == "instructions")
    back = plain.pages[1].extract_text()
    assert contains(back, handleiding["title"])


# --- texts ---------------------------------------------------------------------------------

def test_routekaart_shows_every_step(shipped_build):
    text = pdftext(shipped_build / "routekaart" / OFFICE["routekaart"])
    route = next(c for c in flat_cards(load("routekaart")["cards"]) if c.get("template") == "map")
    stations = route["stations"]
    assert [s["step"] for s in stations] == [1, 2, 3, 4]
    for station in stations:
        for key in ("name", "aim", "nieuw", "deelnemend"):
            assert contains(text, station[key]), f"step {station['step']} {key} missing: {station[key]!r}"
    for key in ("legend_nieuw", "legend_deelnemend", "title"):
        assert contains(text, route[key])

    # The route and the gesprekskaarten name the steps alike: the colour links them, so must the words.
    steps = {c["step"]: c["step_name"] for c in flat_cards(load("gesprekskaarten")["cards"]) if "step_name" in c}
    assert steps == {s["step"]: s["name"] for s in stations}


def sector_texts() -> dict[str, set[str]]:
    """The texts each sector's variant puts in place of the base texts (from the YAML)."""
    variants = load("dialoogkaart")["variants"]
    texts = {sector: set(strings(variants[sector].get("replace", {}))) for sector in SECTORS}
    shared = {t for sector in SECTORS for t in texts[sector]
              if sum(t in texts[other] for other in SECTORS) > 1}
    return {sector: texts[sector] - shared for sector in SECTORS}


def test_dialoogkaart_texts_belong_to_their_own_sector(shipped_build):
    own = sector_texts()
    assert all(len(texts) >= 10 for texts in own.values()), own
    pdf = {sector: pdftext(shipped_build / f"dialoogkaart-{sector}" / OFFICE[f"dialoogkaart-{sector}"])
           for sector in SECTORS}
    for sector in SECTORS:
        for text in own[sector]:
            assert contains(pdf[sector], text), f"{sector}: missing {text!r}"
            for other in SECTORS:
                if other != sector:
                    assert not contains(pdf[other], text), f"{sector} text {text!r} shows up in the {other} variant"


def test_dialoogkaart_is_a_double_sided_a4(shipped_build):
    for sector in SECTORS:
        reader = PdfReader(str(shipped_build / f"dialoogkaart-{sector}" / OFFICE[f"dialoogkaart-{sector}"]))
        assert len(reader.pages) == 2  # front (roles) and back (agreements)
        for page in reader.pages:
            assert float(page.mediabox.width) == pytest.approx(210 * MM, abs=1)
            assert float(page.mediabox.height) == pytest.approx(297 * MM, abs=1)


def test_praatplaat_shows_every_element(shipped_build):
    text = pdftext(shipped_build / "praatplaat" / OFFICE["praatplaat"])
    poster = load("praatplaat")["cards"][0]
    assert len(poster["elements"]) == 8
    for element in poster["elements"]:
        for key in ("name", "text", "question"):
            assert contains(text, element[key]), f"missing {element[key]!r}"
    assert contains(text, poster["centre"])


def test_interventiekaarten_show_every_intervention(shipped_build):
    text = pdftext(shipped_build / "interventiekaarten" / "interventiekaarten-drukwerk.pdf")
    cards = [c for c in deck_cards("interventiekaarten") if "suit" in c]
    assert len(cards) > 40
    assert {c["suit"] for c in cards} == {"school", "partnerschap"}
    for card in cards:
        assert contains(text, card["text"]), f"{card['id']}: missing {card['text']!r}"
    for step_name in {c["step_name"] for c in cards}:
        assert contains(text, step_name)
    assert contains(text, "In school en opleiding") and contains(text, "In het partnerschap")


def test_interventiekaarten_nine_on_a_sheet(shipped_build):
    reader = PdfReader(str(shipped_build / "interventiekaarten" / OFFICE["interventiekaarten"]))
    cards = deck_cards("interventiekaarten")
    sheets = -(-len(cards) // 9)
    assert len(reader.pages) == 2 * sheets  # fronts and backs


def test_netwerkkaart_has_both_questions(shipped_build):
    text = pdftext(shipped_build / "netwerkkaart" / OFFICE["netwerkkaart"])
    opening = next(c for c in load("netwerkkaart")["cards"] if c["id"] == "opening")
    for key in ("take_label", "bring_label"):
        assert contains(text, opening[key])
    for prompt in opening["take_prompts"] + opening["bring_prompts"]:
        assert contains(text, prompt)
    shop = PdfReader(str(shipped_build / "netwerkkaart" / "netwerkkaart-drukwerk.pdf"))
    tx0, ty0, tx1, ty1 = box(shop.pages[0], "/TrimBox")
    assert (tx1 - tx0, ty1 - ty0) == pytest.approx((210 * MM, 148 * MM), abs=1)


@pytest.mark.parametrize("deck", ["routekaart", "praatplaat", "dialoogkaart-po", "dialoogkaart-mbo",
                                  "interventiekaarten", "netwerkkaart"])
def test_text_stays_in_the_safe_zone(shipped_build, deck):
    """Every word lies at least 4 mm inside the trim (word boxes from pdftotext -bbox)."""
    need_tool("pdftotext")
    pdf = shipped_build / deck / f"{deck}-drukwerk.pdf"
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True,
                          text=True, encoding="utf-8").stdout
    reader = PdfReader(str(pdf))
    pages = re.split(r"<page ", html)[1:]
    assert len(pages) == len(reader.pages)
    for number, (chunk, page) in enumerate(zip(pages, reader.pages), start=1):
        height = float(page.mediabox.height)
        tx0, ty0, tx1, ty1 = box(page, "/TrimBox")
        # pdftotext measures y from the top of the page
        top, bottom = height - ty1, height - ty0
        for x0, y0, x1, y1, word in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', chunk):
            x0, y0, x1, y1 = map(float, (x0, y0, x1, y1))
            tol = 0.6  # glyph boxes run a little past the text box
            assert x0 >= tx0 + SAFE - tol and x1 <= tx1 - SAFE + tol, f"page {number}: '{word}' too close to a side"
            assert y0 >= top + SAFE - tol and y1 <= bottom - SAFE + tol, f"page {number}: '{word}' too close to top/bottom"


# --- one colour, one place -----------------------------------------------------------------

def test_step_colour_is_shared_by_routekaart_and_gesprekskaarten(project, kaartgen):
    base = project / "layouts" / "base.yaml"
    old = re.search(r'^\s*step1:\s*"(#[0-9a-fA-F]{6})"', base.read_text(encoding="utf-8"), re.M).group(1)
    new = "#336699"
    base.write_text(re.sub(r'^(\s*step1:\s*)"#[0-9a-fA-F]{6}"', rf'\g<1>"{new}"',
                           base.read_text(encoding="utf-8"), count=1, flags=re.M), encoding="utf-8")
    result = kaartgen(project, "build", "routekaart", "gesprekskaarten")
    assert result.exit_code == 0, result.output
    out = project / "output"

    # The office sheets draw the cards' fronts in deck order on the odd pages, one slot each.
    reader = PdfReader(out / "gesprekskaarten" / "gesprekskaarten-a4.pdf")
    fronts = [slot for index in range(0, len(reader.pages), 2) for slot in card_slots(reader, index)]
    cards = list(flat_cards(load("gesprekskaarten", project)["cards"]))
    assert len(fronts) == len(cards)
    step1 = [(card["id"], slot) for card, slot in zip(cards, fronts) if card.get("step") == 1]
    assert step1
    for card_id, slot in step1:
        assert close_to(slot.fills, hex_rgb(new)), f"card {card_id}: new step1 colour not used"
    assert not any(close_to(slot.fills, hex_rgb(old)) for slot in fronts), "old step1 colour still used"

    route_shop = content_streams(out / "routekaart" / "routekaart-drukwerk.pdf")
    assert has_fill(route_shop["page 1"], hex_rgb(new))
    route_plain = content_streams(out / "routekaart" / OFFICE["routekaart"])
    assert has_fill(route_plain["page 1"], hex_rgb(new))
    for streams in (route_shop, route_plain):
        assert not any(has_fill(s, hex_rgb(old)) for s in streams.values())


# --- text that does not fit ----------------------------------------------------------------

def lengthen(file: str, where: tuple, field: str, times: int):
    """A change to a poster's card file that makes one text several times too long."""
    def change(root: Path) -> str:
        path = root / "cards" / f"{file}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        target = data
        for key in where:
            target = target[key]
        target[field] = " ".join([target[field]] * times)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return field
    return change


@pytest.mark.parametrize("deck, lengthen", [
    ("praatplaat", lengthen("praatplaat", ("cards", 0, "elements", 0), "text", 6)),
    ("routekaart", lengthen("routekaart", ("cards", 0, "stations", 2), "aim", 5)),
    ("dialoogkaart-po", lengthen("dialoogkaart", ("variants", "po", "replace", "voorkant", "roles", 3),
                                 "question", 4))])
def test_text_that_does_not_fit_a_poster_fails(project, kaartgen, deck, lengthen):
    first = kaartgen(project, "build", deck)
    assert first.exit_code == 0, first.output
    pdfs = sorted((project / "output" / deck).glob("*.pdf"))
    assert len(pdfs) == 2
    before = {p: p.read_bytes() for p in pdfs}

    field = lengthen(project)
    result = kaartgen(project, "build", deck)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"deck '{deck}'" in result.output
    assert "does not fit" in result.output
    assert re.search(rf"\b{field}\b", result.output), result.output
    for path, data in before.items():
        assert path.read_bytes() == data, f"{path.name} was replaced by a failed build"
    assert not [p for p in (project / "output" / deck).iterdir() if p.name.endswith(".tmp")]
