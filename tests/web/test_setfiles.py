"""Set files as the page writes them: the CLI's format, comments kept, only real changes written;
Dutch problem texts; colour checks with suggestions that pass them."""

from __future__ import annotations

import difflib
import re

import pytest
from ruamel.yaml import YAML

from kaartgen.errors import Problem
from kaartgen.model import Color
from kaartgen.render import contrast
from kaartgen.web import colours, overrides
from kaartgen.web.dutch import dutch
from kaartgen.web.setfiles import SetStore, slugify
from webserver import server, web_project  # noqa: F401 (fixtures)

BRUG = "opleidingsschool-de-brug"
STEPS = {"step1": Color.from_hex("#1f6fb2"), "step2": Color.from_hex("#b83c0d"),
         "step3": Color.from_hex("#187a3c"), "step4": Color.from_hex("#6b2fa3")}


def brug_form(**changes) -> dict:
    fields = {"name": "Opleidingsschool De Brug", "short_name": "De Brug", "sector": "po", "primary": "#0b4d3a",
              "secondary": "#e3f1ec", "contact": "Vragen? opleiden@debrug.example · 030 123 45 67",
              "decks": ["gesprekskaarten", "routekaart", "dialoogkaart", "praatplaat", "netwerkkaart"]}
    return fields | changes


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def test_saving_unchanged_values_leaves_a_hand_written_file_as_it_was(server):
    path = server.root / "cards" / "sets" / f"{BRUG}.yaml"
    before = path.read_text(encoding="utf-8")
    status, _, text = server.post(f"/sets/{BRUG}", brug_form())
    assert status == 303, text
    assert path.read_text(encoding="utf-8") == before


def test_a_change_rewrites_one_line_and_keeps_the_comments(server):
    path = server.root / "cards" / "sets" / f"{BRUG}.yaml"
    before = path.read_text(encoding="utf-8")
    status, _, text = server.post(f"/sets/{BRUG}", brug_form(contact="Bel 030 999 99 99"))
    assert status == 303, text
    after = path.read_text(encoding="utf-8")
    assert changed_lines(before, after) == [
        '-  contact: "Vragen? opleiden@debrug.example · 030 123 45 67"', '+  contact: "Bel 030 999 99 99"']
    assert "# A fictional po partnership" in after


def test_problems_of_a_save_are_shown_per_field_in_dutch_and_nothing_is_written(server):
    path = server.root / "cards" / "sets" / f"{BRUG}.yaml"
    before = path.read_text(encoding="utf-8")
    status, _, text = server.post(f"/sets/{BRUG}", brug_form(short_name="K" * 45, name="", decks=[]))
    assert status == 400
    assert "Te lang: 45 tekens, maximaal 40. Haal er 5 tekens af." in text
    assert "Kies minstens één hulpmiddel." in text
    assert re.search(r'id="name-problems"[^>]*>\s*<p class="problem">', text)
    assert path.read_text(encoding="utf-8") == before


def test_changing_a_card_back_to_its_shipped_text_leaves_no_override(tmp_path):
    store = SetStore(tmp_path)
    data = YAML().load("set: {name: X, short_name: X, sector: po}\n")
    original = {"title": "Oud", "questions": ["a", "b"]}
    overrides.change_card(data, "gesprekskaarten", "kaart-1", {"title": "Nieuw", "questions": ["a", "b"]}, original)
    assert data["overrides"]["gesprekskaarten"]["replace"] == {"kaart-1": {"title": "Nieuw"}}
    overrides.change_card(data, "gesprekskaarten", "kaart-1", {"title": "Oud", "questions": ["a", "b"]}, original)
    assert "overrides" not in data
    overrides.leave_out(data, "gesprekskaarten", "kaart-2")
    assert overrides.removed_ids(data, "gesprekskaarten") == ["kaart-2"]
    overrides.restore(data, "gesprekskaarten", "kaart-2")
    assert store.dump(data).endswith("set: {name: X, short_name: X, sector: po}\n")


def test_an_added_card_gets_a_readable_unique_id(tmp_path):
    data = YAML().load("set: {name: X, short_name: De Brug, sector: po}\n")
    first = overrides.add_card(data, "gesprekskaarten", {"title": "Onze vraag", "step": 2}, [], "De Brug")
    second = overrides.add_card(data, "gesprekskaarten", {"title": "Onze vraag", "step": 3}, [first], "De Brug")
    assert (first, second) == ("de-brug-onze-vraag", "de-brug-onze-vraag-2")


@pytest.mark.parametrize("name, slug", [("Opleidingsschool Zuid-Oost!", "opleidingsschool-zuid-oost"),
                                        ("Één & Twee", "een-twee"), ("../../etc", "etc"), ("???", "set")])
def test_set_names_become_safe_slugs(name, slug):
    assert slugify(name) == slug


@pytest.mark.parametrize("message, dutch_text", [
    ("is 95 characters long; at most 80 allowed", "Te lang: 95 tekens, maximaal 80. Haal er 15 tekens af."),
    ("deck 'g', card 'k': text of questions does not fit its 78×47 mm box (layouts/g.yaml:40), even at 7.5pt: "
     "it needs 61 mm of height; shorten the text or change the layout",
     "De tekst past niet op de kaart: hij is 14 mm te hoog (er is 47 mm ruimte). Maak de tekst korter."),
    ("missing required key 'title'", "Vul Titel in; dat is verplicht."),
    ("has 7 items; at most 6 allowed", "Te veel regels: 7, maximaal 6. Haal er 1 weg."),
])
def test_problems_are_said_in_plain_dutch(message, dutch_text):
    assert dutch(Problem("formulier", None, None, "title", message)) == dutch_text


def test_a_main_colour_like_a_step_colour_gets_a_suggestion_that_passes():
    found = colours.check_primary("#1f6fb2", STEPS)
    assert found[0].startswith("Deze kleur lijkt te veel op de kleur van stap 1 (#1f6fb2)")
    suggestion = Color.from_hex(re.search(r"Suggestie: (#[0-9a-f]{6})", found[-1])[1])
    assert contrast(suggestion, colours.WHITE) >= 4.5
    assert min(colours.distance(suggestion, step) for step in STEPS.values()) >= colours.MIN_DISTANCE


def test_a_light_main_colour_is_too_weak_for_white_text():
    found = colours.check_primary("#ffcc00", STEPS)
    assert found[0] == "Witte tekst op deze kleur is slecht leesbaar (contrast 1,5:1, minimaal 4,5:1)."
    suggestion = Color.from_hex(re.search(r"#[0-9a-f]{6}", found[-1])[0])
    assert contrast(suggestion, colours.WHITE) >= 4.5
    assert colours.check_primary("#7a1f5c", STEPS) == []


def preview(server, card: str, **fields) -> dict:
    import json

    status, _, text = server.post(f"/sets/{BRUG}/kaart/gesprekskaarten/{card}/voorbeeld", fields, accept_json=True)
    assert status == 200, text
    return json.loads(text)


def test_a_shipped_cards_list_can_be_emptied_but_its_text_not(server):
    card = {"step": "1", "title": "Wat vraagt meedoen van de school?", "audience": "nieuw",
            "questions": "Welke taken horen bij een opleidingsschool?", "aandachtspunten": "", "source": "Eigen tekst"}
    result = preview(server, "informeren-nieuw-2", **card)
    assert result["problems"] == {} and result["image"].startswith("data:image/png")
    status, _, text = server.post(f"/sets/{BRUG}/kaart/gesprekskaarten/informeren-nieuw-2", card)
    assert status == 303, text
    data = YAML(typ="safe").load((server.root / "cards" / "sets" / f"{BRUG}.yaml").read_text(encoding="utf-8"))
    assert data["overrides"]["gesprekskaarten"]["replace"]["informeren-nieuw-2"]["aandachtspunten"] == []
    cover = preview(server, "omslag", title="Gesprekskaarten", subtitle="", text="Een eigen tekst.")
    assert cover["problems"] == {"subtitle": ["Leeg laten kan hier niet: dan blijft de standaardtekst staan. "
                                              "Schrijf een eigen tekst, of laat de hele kaart weg."]}


def test_a_logo_uploaded_again_in_another_type_replaces_the_old_file(server):
    import io

    from PIL import Image

    def image(kind: str) -> bytes:
        out = io.BytesIO()
        Image.new("RGB", (40, 20), "#0b4d3a").save(out, format=kind)
        return out.getvalue()
    logos = server.root / "cards" / "sets" / "logos"
    for kind, ext in (("PNG", "png"), ("JPEG", "jpg")):
        status, _, text = server.post(f"/sets/{BRUG}", brug_form(), files={"logo": (f"logo.{ext}", image(kind))})
        assert status == 303, text
    assert (logos / f"{BRUG}.jpg").is_file()
    assert not (logos / f"{BRUG}.png").exists()
    assert f"logo: cards/sets/logos/{BRUG}.jpg" in (server.root / "cards" / "sets" / f"{BRUG}.yaml").read_text()
    assert (logos / "de-brug.svg").is_file()  # placed by hand, under another name: left alone
