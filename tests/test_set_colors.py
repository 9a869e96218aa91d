"""Partnership sets: colours that would hide a step are reported, added cards sit with their step."""

from __future__ import annotations

import shutil

import pytest
from pypdf import PdfReader

from conftest import ROOT
from kaartgen.cmyk import delta_e_2000, srgb_to_lab
from kaartgen.sets import CLASH


def set_file(project, colors: str, decks: str = "[gesprekskaarten]"):
    logos = project / "cards" / "sets" / "logos"
    shutil.copytree(ROOT / "cards" / "sets" / "logos", logos, dirs_exist_ok=True)
    path = project / "cards" / "sets" / "proef.yaml"
    path.write_text("set:\n  name: Proef\n  short_name: P\n  sector: po\n"
                    f"  colors: {colors}\ndecks: {decks}\n", encoding="utf-8")
    return path


def test_a_house_colour_equal_to_a_step_colour_warns(project, kaartgen, tmp_path):
    set_file(project, '{primary: "#1f6fb2"}')  # step 1's blue
    result = kaartgen(project, "build", "--set", "cards/sets/proef.yaml", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert ("warning: cards/sets/proef.yaml:5:12: set.colors.primary: colour 'primary' is too close to 'step1' "
            "(ΔE2000 0, below 15)") in result.output


def test_with_strict_a_colour_clash_is_an_error_and_nothing_is_written(project, kaartgen, tmp_path):
    set_file(project, '{primary: "#2a73b5"}')  # nearly step 1
    result = kaartgen(project, "build", "--set", "cards/sets/proef.yaml", "--strict", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert "error: cards/sets/proef.yaml:5:12: set.colors.primary: colour 'primary' is too close to 'step1'" \
        in result.output
    assert not list(tmp_path.rglob("*.pdf"))


def test_a_set_step_colour_close_to_another_step_warns(project, kaartgen, tmp_path):
    set_file(project, '{steps: {2: "#1f70b0"}}')  # step 2 made almost step 1
    result = kaartgen(project, "build", "--set", "cards/sets/proef.yaml", "--out", str(tmp_path))
    assert result.exit_code == 0
    assert "set.colors.steps.2: colour 'step2' is too close to 'step1'" in result.output


def test_interventie_steps_count_only_where_the_set_builds_interventiekaarten(project, kaartgen, tmp_path):
    set_file(project, '{primary: "#0f7c80"}')  # equal to interventiekaarten step 2, far from the route steps
    result = kaartgen(project, "build", "--set", "cards/sets/proef.yaml", "--out", str(tmp_path))
    assert "too close" not in result.output
    set_file(project, '{primary: "#0f7c80"}', "[interventiekaarten]")
    result = kaartgen(project, "build", "--set", "cards/sets/proef.yaml", "--out", str(tmp_path))
    assert "colour 'primary' is too close to 'istep2'" in result.output


@pytest.mark.parametrize("slug", [p.stem for p in sorted((ROOT / "cards" / "sets").glob("*.yaml"))])
def test_shipped_sets_keep_their_steps_apart(kaartgen, tmp_path, slug):
    result = kaartgen(ROOT, "build", "--set", f"cards/sets/{slug}.yaml", "--strict", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output


def test_the_clash_threshold_separates_the_shipped_step_colours():
    steps = ["#1f6fb2", "#b83c0d", "#187a3c", "#6b2fa3"]
    labs = [srgb_to_lab(tuple(int(c[i:i + 2], 16) / 255 for i in (1, 3, 5))) for c in steps]
    assert min(delta_e_2000(a, b) for i, a in enumerate(labs) for b in labs[i + 1:]) >= CLASH


def test_an_added_card_sits_with_its_step(kaartgen, tmp_path):
    result = kaartgen(ROOT, "build", "--set", "cards/sets/opleidingsschool-de-brug.yaml", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "opleidingsschool-de-brug" / "gesprekskaarten" / "gesprekskaarten-drukwerk.pdf"
    fronts = [page.extract_text() for page in PdfReader(pdf).pages[::2]]
    steps = [int(text.split("STAP ")[1][0]) if "STAP " in text else None for text in fronts]
    added = next(i for i, text in enumerate(fronts) if "Onze eigen afspraak" in text)
    assert steps[added] == 3
    assert steps[added - 1] == 3 and steps[added + 1] == 4  # the last step-3 card, before step 4
