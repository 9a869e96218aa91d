"""Text boxes: markup, Dutch hyphenation, shrink-to-fit, and a clear failure when text cannot fit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, pdftext
from kaartgen import text
from kaartgen.fonts import register_family
from kaartgen.layouts import load_layout

LONG = ("Samenwerkingsverbanden tussen opleidingsscholen en lerarenopleidingen vragen om "
        "eigenaarschap van schoolleiders. ")


@pytest.fixture
def fit_project(tmp_path) -> Path:
    shutil.copytree(FIXTURES / "fit", tmp_path / "fit")
    return tmp_path / "fit"


@pytest.fixture
def style_and_family():
    layout = load_layout("mini", FIXTURES / "fit" / "layouts")
    return layout.styles["body"], register_family(layout.font_files)


def test_markup_becomes_bold_italic_and_bullets():
    blocks = text.blocks("**Vragen**\n{questions}\n- los *punt*", {"questions": ["Wat & hoe?", "Wie?"]})
    assert [b.bullet for b in blocks] == [False, True, True, True]
    assert blocks[0].xml == "<b>Vragen</b>"
    assert blocks[1].xml == "Wat &amp; hoe?"
    assert blocks[3].xml == "los <i>punt</i>"


def test_short_text_keeps_its_size(style_and_family):
    style, family = style_and_family
    fitted = text.fit(text.blocks("Kort.", {}), family, style, 150, 100, (0, 0, 0), "left")
    assert fitted.size == style.size


def test_long_text_shrinks_but_not_below_the_minimum(style_and_family):
    style, family = style_and_family
    fitted = text.fit(text.blocks(LONG * 3, {}), family, style, 150, 110, (0, 0, 0), "left")
    assert style.min_size <= fitted.size < style.size
    assert fitted.height <= 110


def test_dutch_words_are_hyphenated_in_narrow_boxes(style_and_family):
    style, family = style_and_family
    fitted = text.fit(text.blocks("samenwerkingsverbanden lerarenopleidingen", {}), family, style, 60, 200,
                      (0, 0, 0), "left")
    lines = fitted.lines()
    assert any(line.endswith("-") for line in lines), lines
    assert all(len(line.split()) == 1 for line in lines), lines  # two long words: each breaks, none shares


def test_text_that_cannot_fit_fails_naming_deck_card_and_field(fit_project, kaartgen):
    deck = fit_project / "cards" / "mini.yaml"
    deck.write_text(deck.read_text(encoding="utf-8") + f"  - id: te-lang\n    body: {LONG * 12}\n",
                    encoding="utf-8")
    (fit_project / "output" / "mini").mkdir(parents=True)
    result = kaartgen(fit_project, "build")
    assert result.exit_code == 1
    assert "deck 'mini', card 'te-lang'" in result.output
    assert "text of body does not fit" in result.output
    assert "Traceback" not in result.output
    assert not list((fit_project / "output" / "mini").iterdir())  # nothing half-written


def test_built_text_is_extractable(fit_project, kaartgen):
    result = kaartgen(fit_project, "build")
    assert result.exit_code == 0, result.output
    assert "Een korte tekst met nadruk." in pdftext(fit_project / "output" / "mini" / "mini-drukwerk.pdf")


def test_a_ligature_missing_from_the_italic_face_is_spelled_out(fit_project, kaartgen):
    # Source Sans Pro Regular has the ĳ ligature, its italic does not: Dutch text still prints, as "ij".
    deck = fit_project / "cards" / "mini.yaml"
    deck.write_text(deck.read_text(encoding="utf-8") + "  - id: cursief\n    body: \"Het *ĳs* is dun.\"\n",
                    encoding="utf-8")
    result = kaartgen(fit_project, "build")
    assert result.exit_code == 0, result.output
    assert "the italic face of the font has no 'ĳ'; it is printed as 'ij'" in result.output
    assert "Het ijs is dun." in pdftext(fit_project / "output" / "mini" / "mini-drukwerk.pdf")


def test_the_same_glyph_in_the_regular_face_is_fine(fit_project, kaartgen):
    deck = fit_project / "cards" / "mini.yaml"
    deck.write_text(deck.read_text(encoding="utf-8") + "  - id: recht\n    body: \"Het ĳs is dun.\"\n",
                    encoding="utf-8")
    assert kaartgen(fit_project, "build").exit_code == 0


def test_fields_fill_placeholders_lists_with_commas_and_missing_ones_empty():
    values = {"title": "Kaart", "questions": ["Wat?", 3], "empty": None}
    assert text.substitute("{title}: {questions} [{empty}] [{missing}]", values) == "Kaart: Wat?, 3 [] []"
    assert text.substitute("{n}", {"n": 0}) == "0"


def test_markup_escapes_angle_brackets_and_ampersands_before_adding_tags():
    assert text.markup("a < b & c > d **vet**") == "a &lt; b &amp; c &gt; d <b>vet</b>"


@pytest.mark.parametrize("typed, xml", [
    ("***beide***", "<b><i>beide</i></b>"),
    ("**vet *en schuin***", "<b>vet <i>en schuin</i></b>"),
    ("*schuin **en vet***", "<i>schuin <b>en vet</b></i>"),
])
def test_bold_and_italic_nest_properly(typed, xml):
    assert text.markup(typed) == xml


def test_overlapping_tags_are_closed_and_reopened():
    assert text._nest("<b>a<i>b</b>c</i>") == "<b>a<i>b</i></b><i>c</i>"
    assert text._nest("<b>open") == "<b>open</b>"
    assert text._nest("</i>los<i>x<b>y") == "los<i>x<b>y</b></i>"


def test_plain_text_is_what_the_box_shows_without_markup():
    shown = text.plain_text("**{title}** & meer\n{questions}\n- los *punt*", {"title": "A < B", "questions": ["x", "y"]})
    assert shown == "A < B & meer\nx\ny\nlos punt"
