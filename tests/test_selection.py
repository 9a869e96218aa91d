"""What a command works on: names, variants, checklists and sets in one loop, and no silent fallbacks."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

MM = 72 / 25.4


def built(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*.pdf"))


def test_a_variant_that_does_not_exist_is_an_error_listing_the_real_ones(kaartgen, project, tmp_path):
    result = kaartgen(project, "build", "dialoogkaart-xyz", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert ("dialoogkaart-xyz: unknown deck (did you mean 'dialoogkaart-vo'?); cards/dialoogkaart.yaml makes the "
            "variants dialoogkaart-po, dialoogkaart-vo, dialoogkaart-mbo [K091]") in result.output
    assert built(tmp_path) == []


def test_a_variant_of_a_deck_without_variants_is_an_error(kaartgen, project, tmp_path):
    result = kaartgen(project, "build", "netwerkkaart-po", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert "cards/netwerkkaart.yaml has no variants, its deck is 'netwerkkaart'" in result.output
    assert built(tmp_path) == []


def test_one_variant_builds_only_that_variant(kaartgen, project, tmp_path):
    result = kaartgen(project, "build", "dialoogkaart-vo", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert built(tmp_path) == ["dialoogkaart-vo/dialoogkaart-vo-a4.pdf", "dialoogkaart-vo/dialoogkaart-vo-drukwerk.pdf"]


def test_decks_and_checklists_build_in_one_run_and_a_broken_one_does_not_stop_the_others(kaartgen, project, tmp_path):
    (project / "cards" / "kapot.yaml").write_text("deck: {title: Kapot, layout: gesprekskaart}\ncards: []\n",
                                                  encoding="utf-8")
    result = kaartgen(project, "build", "kapot", "netwerkkaart", "checklist-lerend-partnerschap", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert "1 not built: kapot;" in result.output
    assert built(tmp_path) == ["checklist-lerend-partnerschap/checklist-lerend-partnerschap-invulbaar.pdf",
                               "checklist-lerend-partnerschap/checklist-lerend-partnerschap-print.pdf",
                               "netwerkkaart/netwerkkaart-a4.pdf", "netwerkkaart/netwerkkaart-drukwerk.pdf"]


def test_an_unknown_name_lists_decks_and_checklists(kaartgen, project):
    result = kaartgen(project, "build", "checklist-lerend-partnerschp")
    assert result.exit_code == 1
    assert "unknown deck (did you mean 'checklist-lerend-partnerschap'?); decks: dialoogkaart," in result.output
    assert "checklists: checklist-lerend-partnerschap, checklist-lerende-organisatie" in result.output


def test_plain_pages_are_named_after_their_real_size_not_an_ignored_sheet_size(kaartgen, project, tmp_path):
    layout = project / "layouts" / "routekaart.yaml"
    text = layout.read_text(encoding="utf-8")
    assert "sheet: {paper: A3, orientation: landscape, mode: plain}" in text
    layout.write_text(text.replace("sheet: {paper: A3,", "sheet: {paper: A5,"), encoding="utf-8")
    result = kaartgen(project, "build", "routekaart", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert built(tmp_path) == ["routekaart/routekaart-a3.pdf", "routekaart/routekaart-drukwerk.pdf"]
    page = PdfReader(tmp_path / "routekaart" / "routekaart-a3.pdf").pages[0]
    assert [float(v) for v in page.mediabox[2:]] == pytest.approx([420 * MM, 297 * MM], abs=0.1)


def test_a_plain_page_of_no_paper_size_is_named_by_its_millimetres(kaartgen, project, tmp_path):
    layout = project / "layouts" / "praatplaat.yaml"
    text = layout.read_text(encoding="utf-8")
    assert "size: {width: 420mm, height: 297mm}" in text
    layout.write_text(text.replace("size: {width: 420mm, height: 297mm}", "size: {width: 500mm, height: 297mm}"),
                      encoding="utf-8")
    result = kaartgen(project, "build", "praatplaat", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "praatplaat/praatplaat-500x297mm.pdf" in built(tmp_path)


def test_check_a_set(kaartgen, project):
    result = kaartgen(project, "check", "--set", "cards/sets/partnerschap-rivierenland.yaml")
    assert result.exit_code == 0, result.output
    assert "ok: 6 deck(s)" in result.output and "0 checklist(s)" in result.output
    assert not (project / "output").exists()


def test_check_a_set_reports_its_own_mistakes_with_the_line(kaartgen, project):
    path = project / "cards" / "sets" / "partnerschap-rivierenland.yaml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    line = next(i for i, entry in enumerate(lines, start=1) if "remove: [implementeren-alle-1]" in entry)
    path.write_text(text.replace("remove: [implementeren-alle-1]", "remove: [implementeren-alle-9]"), encoding="utf-8")
    result = kaartgen(project, "check", "--set", "cards/sets/partnerschap-rivierenland.yaml")
    assert result.exit_code == 1
    assert f"cards/sets/partnerschap-rivierenland.yaml:{line}:" in result.output
    assert "no card with id 'implementeren-alle-9'" in result.output


def test_check_with_a_set_and_decks_is_a_usage_error(kaartgen, project):
    result = kaartgen(project, "check", "gesprekskaarten", "--set", "cards/sets/partnerschap-rivierenland.yaml")
    assert result.exit_code == 1
    assert "--set checks the decks the set file names; leave out DECKS" in result.output
