"""Partnership sets and batch builds: names, logos, colours, overrides, sectors, broken sets."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from conftest import ROOT, normalise, pdftext, run_tool

SETS = ROOT / "cards" / "sets"


def set_yaml(slug: str) -> dict:
    return yaml.safe_load((SETS / f"{slug}.yaml").read_text(encoding="utf-8"))


def all_decks() -> list[str]:
    return sorted(p.stem for p in (ROOT / "cards").glob("*.yaml") if not p.stem.startswith("checklist"))


@pytest.fixture(scope="module")
def batch_out(batch_build) -> Path:
    assert "kaartgen batch" in batch_build.stdout  # the summary table
    return batch_build.out


@pytest.mark.parametrize("slug", [p.stem for p in sorted(SETS.glob("*.yaml"))])
def test_each_set_holds_every_included_deck_with_its_name(batch_out, slug):
    spec = set_yaml(slug)
    folder = batch_out / slug
    sector = spec["set"]["sector"]
    for deck in spec.get("decks") or all_decks():
        name = f"{deck}-{sector}" if deck == "dialoogkaart" else deck
        pdfs = sorted((folder / name).glob("*.pdf"))
        assert len(pdfs) == 2, (name, pdfs)
        reader = PdfReader(pdfs[0])
        assert spec["set"]["name"] in reader.metadata.title
    gespreks = folder / "gesprekskaarten" / "gesprekskaarten-drukwerk.pdf"
    text = pdftext(gespreks)
    assert spec["set"]["name"] in text
    assert normalise(spec["set"]["contact"]) in text


def test_raster_logo_is_an_image_in_the_pdf(batch_out):
    for slug in ("partnerschap-rivierenland", "mbo-netwerk-kust"):  # a PNG and a JPEG logo
        listing = run_tool("pdfimages", "-list", str(batch_out / slug / "gesprekskaarten" / "gesprekskaarten-drukwerk.pdf"))
        assert len(listing.strip().splitlines()) > 2, listing  # header lines plus at least one image


def test_svg_logo_stays_vector(batch_out):
    pdf = batch_out / "opleidingsschool-de-brug" / "gesprekskaarten" / "gesprekskaarten-drukwerk.pdf"
    listing = run_tool("pdfimages", "-list", str(pdf))
    assert len(listing.strip().splitlines()) == 2  # no raster image at all
    reader = PdfReader(pdf)
    back = reader.pages[1]
    content = b""
    for xobject in back["/Resources"]["/XObject"].values():
        content += xobject.get_object().get_data()
    # The bridge's arch is a curve: only the SVG logo draws curves (`c`) on this back, and it strokes them.
    assert re.search(rb"(-?[\d.]+ ){6}c\b", content), "no vector curve from the SVG logo"


def test_overridden_card_text_replaces_the_original(batch_out):
    text = pdftext(batch_out / "opleidingsschool-de-brug" / "gesprekskaarten" / "gesprekskaarten-a4.pdf")
    assert "Wat is De Brug?" in text
    assert "Wat is Samen Opleiden?" not in text
    assert "Onze eigen afspraak" in text  # an added card


def test_removed_card_is_left_out(batch_out):
    original = yaml.safe_load((ROOT / "cards" / "gesprekskaarten.yaml").read_text(encoding="utf-8"))
    removed = next(c for e in original["cards"] for c in e.get("cards", [e]) if c["id"] == "implementeren-alle-1")
    text = pdftext(batch_out / "partnerschap-rivierenland" / "gesprekskaarten" / "gesprekskaarten-a4.pdf")
    assert normalise(removed["title"]) not in text


def test_each_sector_gets_its_own_dialoogkaart(batch_out):
    for slug in ("opleidingsschool-de-brug", "partnerschap-rivierenland", "mbo-netwerk-kust"):
        sector = set_yaml(slug)["set"]["sector"]
        folders = sorted(p.name for p in (batch_out / slug).iterdir() if p.name.startswith("dialoogkaart"))
        assert folders == [f"dialoogkaart-{sector}"]


def test_broken_set_is_named_and_the_others_build(project, tmp_path):
    sets = project / "cards" / "sets"
    shutil.copytree(SETS, sets, dirs_exist_ok=True)
    (sets / "kapot.yaml").write_text("set:\n  name: Kapot\n  short_name: K\n  sector: hbo\n", encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "kaartgen", "batch", "--jobs", "2", "--out", str(out)],
                            cwd=project, capture_output=True, text=True)
    assert result.returncode == 1
    assert "cards/sets/kapot.yaml:4:3: set.sector: 'hbo' is not one of po, vo, mbo (did you mean 'mbo'?)" in result.stderr
    assert "Traceback" not in result.stderr
    assert "error: 1 of 4 sets failed" in result.stderr
    for slug in ("opleidingsschool-de-brug", "partnerschap-rivierenland", "mbo-netwerk-kust"):
        assert (out / slug / "gesprekskaarten" / "gesprekskaarten-drukwerk.pdf").is_file()
    assert not (out / "kapot").exists()


def write_set(project: Path, body: str) -> Path:
    path = project / "cards" / "sets" / "proef.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    return path


def test_unknown_card_id_gets_did_you_mean(project, kaartgen):
    write_set(project, "set: {name: Proef, short_name: P, sector: po}\ndecks: [gesprekskaarten]\n"
                       "overrides:\n  gesprekskaarten:\n    replace:\n      informeren-niew-1: {title: X}\n")
    result = kaartgen(project, "build", "--set", "cards/sets/proef.yaml")
    assert result.exit_code == 1
    assert "cards/sets/proef.yaml:6:7: overrides.gesprekskaarten.replace.informeren-niew-1: no card with id " \
           "'informeren-niew-1' (did you mean 'informeren-nieuw-1'?)" in result.output


def test_low_contrast_colour_switches_text_and_warns(project, kaartgen, tmp_path):
    write_set(project, "set:\n  name: Proef\n  short_name: P\n  sector: po\n  colors:\n    steps: {1: '#f6e27a'}\n"
                       "decks: [gesprekskaarten]\n")
    result = kaartgen(project, "build", "--set", "cards/sets/proef.yaml", "--out", str(tmp_path / "o"))
    assert result.exit_code == 0, result.output
    assert "colour #f6e27a is below 4.5:1; using black text" in result.output
    strict = kaartgen(project, "build", "--set", "cards/sets/proef.yaml", "--strict", "--out", str(tmp_path / "s"))
    assert strict.exit_code == 1
    assert "#f6e27a" in strict.output


def test_low_resolution_logo_warns(project, kaartgen, tmp_path):
    from PIL import Image
    Image.new("RGB", (40, 20), "red").save(project / "klein.png")
    write_set(project, "set: {name: Proef, short_name: P, sector: po, logo: klein.png}\ndecks: [gesprekskaarten]\n")
    result = kaartgen(project, "build", "--set", "cards/sets/proef.yaml", "--out", str(tmp_path / "o"))
    assert result.exit_code == 0, result.output
    assert "image 'klein.png' prints at" in result.output and "below 300 dpi" in result.output
    # where the logo is named (the set file, not the layout), with the size it needs
    warnings = [line for line in result.output.splitlines() if "klein.png" in line]
    assert warnings and all(line.startswith("warning: cards/sets/proef.yaml:1:") and " set.logo: " in line
                            for line in warnings), result.output
    assert all(re.search(r"needs at least \d+×\d+ pixels, it has 40×20 \[K614\]$", line) for line in warnings)


def test_misspelt_deck_is_named_and_its_correct_override_left_alone(project, kaartgen):
    write_set(project, "set: {name: Proef, short_name: P, sector: po}\ndecks: [gesprekskaartn]\n"
                       "overrides:\n  gesprekskaarten:\n    deck: {title: Anders}\n")
    result = kaartgen(project, "check", "--set", "cards/sets/proef.yaml")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert errors == ["error: cards/sets/proef.yaml:2:9: decks[0]: unknown deck 'gesprekskaartn' (did you mean "
                      "'gesprekskaarten'?); decks: dialoogkaart, gesprekskaarten, interventiekaarten, netwerkkaart, "
                      "praatplaat, routekaart [K503]"], result.output
