"""The page as a facilitator uses it, in a real browser: make a set through the form, edit card
texts with live preview, build and download the ZIP, combine returned checklists. Every page
is checked with axe-core (no serious or critical violations)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfWriter
from ruamel.yaml import YAML

from conftest import ROOT, pdftext, run_tool
from webserver import axe_source, browser, serious_violations, server, web_project  # noqa: F401 (fixtures)

SET = "partnerschap-testland"
SCREENSHOT = ROOT / "docs" / "kaartgen-serve.png"
# The README's screenshot is replaced only on request, so running the tests leaves the worktree clean.
UPDATE_SCREENSHOT = os.environ.get("KAARTGEN_UPDATE_SCREENSHOT") == "1"
SHOTS = os.environ.get("KAARTGEN_WEB_SHOTS")  # a folder: also save a screenshot of every page there
PARTNER = "checklist-lerend-partnerschap"


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def accessible(page, axe_source: str) -> None:
    assert serious_violations(page, axe_source) == []


def set_file(server) -> dict:
    return YAML(typ="safe").load((server.root / "cards" / "sets" / f"{SET}.yaml").read_text(encoding="utf-8"))


def image_src(page, box: str) -> str:
    return page.eval_on_selector(f"#{box} img", "img => img.src")


def wait_new_image(page, box: str, old: str) -> str:
    page.wait_for_function("([box, old]) => { const i = document.querySelector('#' + box + ' img');"
                           " return i && i.src.startsWith('data:image/png') && i.src !== old; }", arg=[box, old])
    return image_src(page, box)


@pytest.fixture(scope="module")
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    opened = context.new_page()
    yield opened
    context.close()


def test_a_new_set_is_made_through_the_form(page, server, axe_source, tmp_path_factory):
    page.goto(server.url + "/")
    accessible(page, axe_source)
    shot(page, "start")
    page.fill("#nieuw-naam", "Partnerschap Testland")
    page.click("text=Nieuwe set maken")
    page.wait_for_url(f"**/sets/{SET}")
    page.fill("#short_name", "Testland")
    page.select_option("#sector", "vo")
    page.fill("#primary", "#7a1f5c")
    logo = tmp_path_factory.mktemp("logo") / "logo.png"
    from PIL import Image, ImageDraw
    image = Image.new("RGB", (360, 120), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 110, 110), fill="#7a1f5c")
    draw.rectangle((130, 40, 350, 80), fill="#e07b00")
    image.save(logo)
    page.set_input_files("#logo", str(logo))
    page.fill("#contact", "Vragen? testland@example.org")
    for deck in ("dialoogkaart", "interventiekaarten", "praatplaat", "routekaart"):
        page.uncheck(f"#deck-{deck}")
    page.wait_for_function("() => [...document.querySelectorAll('#set-voorbeeld img')]"
                           ".some(i => i.src.startsWith('data:image/png'))")
    page.click("text=Opslaan")
    page.wait_for_selector("text=Opgeslagen.")
    data = set_file(server)
    assert data["set"] == {"name": "Partnerschap Testland", "short_name": "Testland", "sector": "vo",
                           "logo": f"cards/sets/logos/{SET}.png", "contact": "Vragen? testland@example.org",
                           "colors": {"primary": "#7a1f5c"}}
    assert data["decks"] == ["gesprekskaarten", "netwerkkaart"]
    assert (server.root / "cards" / "sets" / "logos" / f"{SET}.png").read_bytes() == logo.read_bytes()
    accessible(page, axe_source)


def test_editing_a_card_changes_its_preview_and_problems_show_at_the_field(page, server, axe_source):
    page.goto(f"{server.url}/sets/{SET}?deck=gesprekskaarten")
    page.click("#kaart-informeren-nieuw-1 summary")
    box = "beeld-informeren-nieuw-1"
    page.wait_for_function(f"() => document.querySelector('#{box} img').naturalWidth > 0")
    first = image_src(page, box)
    page.fill("#k-informeren-nieuw-1-title", "Wat is Testland?")
    second = wait_new_image(page, box, first)
    page.fill("#k-informeren-nieuw-1-title", "Wat doet Testland?")
    third = wait_new_image(page, box, second)
    assert len({first, second, third}) == 3

    too_long = "Een titel die veel te lang is voor deze kaart, want hij gaat maar door en door en door"
    page.fill("#k-informeren-nieuw-1-title", too_long)
    problems = page.locator("#k-informeren-nieuw-1-title-problems")
    problems.get_by_text(f"Te lang: {len(too_long)} tekens, maximaal 80. Haal er {len(too_long) - 80} tekens af.").wait_for()
    long_question = "Welke afspraken maken we over het begeleiden van studenten in de school en in de opleiding? "
    page.fill("#k-informeren-nieuw-1-questions", "\n".join([long_question * 2] * 6))
    page.locator("#k-informeren-nieuw-1-questions-problems").get_by_text("mm te hoog").wait_for()
    assert problems.inner_text().strip()  # both problems at once
    shot(page, "set-problemen")

    page.fill("#k-informeren-nieuw-1-title", "Wat doet Testland?")
    page.fill("#k-informeren-nieuw-1-questions", "Wat weet je al over Testland?\nWie doet er al mee?")
    page.wait_for_function("() => !document.querySelector('#k-informeren-nieuw-1-questions-problems').textContent.trim()")
    page.locator("#kaart-informeren-nieuw-1").get_by_role("button", name="Kaart bewaren").click()
    page.wait_for_selector("#kaart-informeren-nieuw-1 .badge:text('aangepast')")
    replaced = set_file(server)["overrides"]["gesprekskaarten"]["replace"]["informeren-nieuw-1"]
    assert replaced == {"title": "Wat doet Testland?", "questions": ["Wat weet je al over Testland?", "Wie doet er al mee?"]}
    accessible(page, axe_source)


def test_a_card_is_added_with_only_the_fields_its_template_needs_and_one_left_out(page, server, tmp_path):
    page.goto(f"{server.url}/sets/{SET}?deck=gesprekskaarten")
    new = page.locator("#kaart-nieuwe-kaart")
    labels = [t.strip() for t in new.locator("label").all_inner_texts()]
    assert [label.split(" (")[0] for label in labels] == ["Stap", "Titel", "Voor wie", "Vragen", "Aandachtspunten", "Bron"]
    page.select_option("#k-nieuwe-kaart-step", "2")
    page.fill("#k-nieuwe-kaart-title", "Onze eigen vraag")
    page.select_option("#k-nieuwe-kaart-audience", "alle")
    page.fill("#k-nieuwe-kaart-questions", "Wat maakt Testland anders?\nWat willen we samen bereiken?")
    page.wait_for_function("() => document.querySelector('#beeld-nieuwe-kaart img')")
    new.get_by_role("button", name="Kaart toevoegen").click()
    page.wait_for_selector("#kaart-testland-onze-eigen-vraag .badge:text('toegevoegd')")
    added = set_file(server)["overrides"]["gesprekskaarten"]["add"]
    assert added == [{"id": "testland-onze-eigen-vraag", "step": 2, "title": "Onze eigen vraag", "audience": "alle",
                      "questions": ["Wat maakt Testland anders?", "Wat willen we samen bereiken?"],
                      "source": "Eigen kaart van Testland", "step_name": "Urgentie creëren"}]
    page.click("#kaart-informeren-nieuw-2 summary")
    page.locator("#kaart-informeren-nieuw-2").get_by_role("button", name="Kaart weglaten").click()
    page.wait_for_selector("#kaart-informeren-nieuw-2 .badge:text('weggelaten')")
    assert set_file(server)["overrides"]["gesprekskaarten"]["remove"] == ["informeren-nieuw-2"]
    page.goto(f"{server.url}/sets/{SET}")
    page.wait_for_function("() => [...document.querySelectorAll('#set-voorbeeld img')].every(i => i.complete)")
    target = SCREENSHOT if UPDATE_SCREENSHOT else tmp_path / SCREENSHOT.name
    page.screenshot(path=str(target))
    assert target.stat().st_size > 20_000
    shot(page, "set")


def download(page, form: str, tmp_path: Path) -> zipfile.ZipFile:
    page.locator(form).get_by_role("button", name="Bouwen").click()
    link = page.locator(form).get_by_role("link", name="Downloaden")
    link.wait_for(timeout=60_000)
    with page.expect_download() as info:
        link.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return zipfile.ZipFile(target)


def test_build_and_download_gives_the_sets_pdfs_and_a_printing_guide(page, server, tmp_path):
    page.goto(f"{server.url}/sets/{SET}")
    archive = download(page, "form[action$='/bouwen']", tmp_path)
    shot(page, "set-gebouwd")
    names = sorted(archive.namelist())
    assert names == ["LEESMIJ.txt", "gesprekskaarten/gesprekskaarten-a4.pdf",
                     "gesprekskaarten/gesprekskaarten-drukwerk.pdf", "netwerkkaart/netwerkkaart-a4.pdf",
                     "netwerkkaart/netwerkkaart-drukwerk.pdf"]
    guide = archive.read("LEESMIJ.txt").decode("utf-8")
    assert "OP KANTOOR PRINTEN" in guide and "NAAR DE DRUKKERIJ" in guide and "drukwerk.pdf" in guide
    archive.extractall(tmp_path / "zip")
    text = pdftext(tmp_path / "zip" / "gesprekskaarten" / "gesprekskaarten-drukwerk.pdf")
    assert "Partnerschap Testland" in text
    assert "Wat doet Testland?" in text and "Onze eigen vraag" in text
    assert "Welke taken en rollen horen" not in text  # the card left out
    for pdf in (tmp_path / "zip").rglob("*.pdf"):
        fonts = run_tool("pdffonts", str(pdf)).splitlines()[2:]
        assert fonts and all(line.split()[-5] == "yes" for line in fonts), (pdf.name, fonts)


def test_a_shipped_deck_without_a_set_downloads_the_same_way(page, server, axe_source, tmp_path):
    page.goto(server.url + "/")
    page.select_option("#los-deck", "netwerkkaart")
    archive = download(page, "form[action='/bouwen']", tmp_path)
    assert sorted(archive.namelist()) == ["LEESMIJ.txt", "netwerkkaart/netwerkkaart-a4.pdf",
                                          "netwerkkaart/netwerkkaart-drukwerk.pdf"]
    accessible(page, axe_source)


@pytest.fixture(scope="module")
def filled_copies(tmp_path_factory) -> list[Path]:
    """Three filled-in copies of the partnership checklist: item 1 answered startfase, sterk, sterk."""
    out = tmp_path_factory.mktemp("checklists")
    result = subprocess.run([sys.executable, "-m", "kaartgen", "build", PARTNER, "--out", str(out)], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    blank = out / PARTNER / f"{PARTNER}-invulbaar.pdf"
    copies = []
    for n, first in enumerate(["startfase", "sterk", "sterk"]):
        writer = PdfWriter(clone_from=blank)
        radios = [name for name, spec in writer.get_fields().items() if spec.get("/FT") == "/Btn"]
        values = {name: "/gedeeltelijk" for name in radios} | {"in_ons_partnerschap.1": f"/{first}",
                                                               "naam": f"Collega {n + 1}"}  # identical files count once
        if n == 0:
            values["in_ons_partnerschap.opmerking"] = "Meer tijd voor samen leren, graag."
        for pdf_page in writer.pages:
            writer.update_page_form_field_values(pdf_page, values, auto_regenerate=False)
        copy = out / f"ingevuld-{n + 1}.pdf"
        writer.write(copy)
        copies.append(copy)
    return copies


def test_tally_counts_uploaded_checklists_and_names_the_junk(page, server, axe_source, filled_copies, tmp_path):
    page.goto(server.url + "/tally")
    accessible(page, axe_source)
    shot(page, "tally")
    junk = tmp_path / "boodschappen.txt"
    junk.write_text("melk, brood")
    page.set_input_files("#files", [str(p) for p in filled_copies] + [str(junk)])
    page.get_by_role("button", name="Combineren").click()
    page.wait_for_selector("#overzicht")
    assert page.locator("[data-counted]").inner_text() == "3 checklists meegeteld."
    assert "boodschappen.txt" in page.locator(".not-counted").inner_text()
    first_row = [c.strip() for c in page.locator("table.tally tbody tr").first.locator("td").all_inner_texts()]
    assert first_row[2:] == ["1", "0", "2", "0", "2,33"]
    assert page.locator("ul.comments li").all_inner_texts() == ["Meer tijd voor samen leren, graag."]
    accessible(page, axe_source)
    shot(page, "tally-overzicht")
    with page.expect_download() as info:
        page.get_by_role("link", name="summary.csv downloaden").click()
    csv_text = Path(info.value.path()).read_bytes().decode("utf-8-sig")
    assert csv_text.count("\n") >= 10


def test_the_page_works_with_the_keyboard_alone(page, server):
    page.goto(server.url + "/")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "nieuw-naam":
            break
    assert page.evaluate("document.activeElement.id") == "nieuw-naam"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")  # focus is visible
    page.keyboard.type("Toetsenbord Partnerschap")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sets/toetsenbord-partnerschap")
    first = page.locator("details.card-edit").first
    card_id = first.get_attribute("id").removeprefix("kaart-")
    first.locator("summary").focus()
    page.keyboard.press("Enter")
    assert first.evaluate("details => details.open")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id").startswith(f"k-{card_id}-")


def test_all_shipped_products_download_includes_the_checklists(server, tmp_path):
    status, _, text = server.post("/bouwen", {"deck": "alle"}, accept_json=True)
    assert status == 202, text
    job = json.loads(text)
    deadline = time.monotonic() + 120
    while job["state"] in ("wacht", "bezig") and time.monotonic() < deadline:
        time.sleep(0.2)
        job = server.get_json(f"/bouwen/{job['id']}")
    assert job["state"] == "klaar", job
    status, _, _ = server.request("GET", job["download"])
    assert status == 200
    archive = zipfile.ZipFile(next(server.app.site.runner.get(job["id"]).folder.glob("*.zip")))
    names = set(archive.namelist())
    assert {"checklist-lerend-partnerschap/checklist-lerend-partnerschap-invulbaar.pdf",
            "gesprekskaarten/gesprekskaarten-a4.pdf", "dialoogkaart-po/dialoogkaart-po-a4.pdf",
            "LEESMIJ.txt"} <= names
    assert job["done"] == job["total"] == len(list((server.root / "cards").glob("*.yaml")))  # one per product


def test_a_colour_too_close_to_a_step_gets_a_suggestion_that_can_be_taken(page, server):
    page.goto(f"{server.url}/sets/{SET}")
    page.fill("#primary", "#1f6fb2")  # step 1's own blue
    warnings = page.locator("#primary-warnings")
    warnings.get_by_text("lijkt te veel op de kleur van stap 1").wait_for()
    button = warnings.get_by_role("button")
    suggested = button.inner_text().removeprefix("Gebruik ")
    button.click()
    assert page.input_value("#primary") == suggested
    page.wait_for_function("() => !document.querySelector('#primary-warnings').textContent.trim()")
