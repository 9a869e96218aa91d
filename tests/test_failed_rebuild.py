"""A failed rebuild leaves the previous PDFs exactly as they were, and no temporary files.

A good project is built, then one input is broken in a way a user would break it, and the
build runs again: exit code 1, the old PDFs byte for byte unchanged, output/ clean.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from conftest import ROOT

BASE = Path(__file__).resolve().parent / "bad_inputs" / "_base"


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file under out/, by relative path, with its bytes."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def write_logo(path: Path, color=(31, 111, 178)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (200, 200), color).save(path)


@pytest.fixture
def small_project(tmp_path) -> Path:
    """The corpus's minimal project with two decks; the second card of 'deck' shows a logo."""
    folder = tmp_path / "project"
    shutil.copytree(BASE, folder)
    deck = folder / "cards" / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8") + "    logo: images/logo.png\n", encoding="utf-8")
    (folder / "cards" / "tweede.yaml").write_text(
        "deck:\n  title: Tweede deck\n  layout: card\ncards:\n  - id: alleen\n    title: Enige kaart\n",
        encoding="utf-8")
    write_logo(folder / "images" / "logo.png")
    return folder


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def replace_text(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


BREAKS = {
    # bad YAML: a tab and an unclosed bracket at the end of the deck
    "bad-yaml": lambda p: append(p / "cards" / "deck.yaml", "\tkapot: [\n"),
    # the last card's text no longer fits its box (fails while the PDF is being written)
    "text-does-not-fit": lambda p: append(p / "cards" / "deck.yaml",
                                          "    text: \"" + "Veel te veel woorden op een kaart. " * 40 + "\"\n"),
    "missing-image": lambda p: (p / "images" / "logo.png").unlink(),
    "corrupt-image": lambda p: (p / "images" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n kapot"),
    "layout-unknown-colour": lambda p: replace_text(p / "layouts" / "base.yaml", "fill: accent", "fill: acent"),
    "layout-deleted": lambda p: (p / "layouts" / "card.yaml").unlink(),
    "missing-glyph": lambda p: replace_text(p / "cards" / "deck.yaml", "Eerste kaart", "Eerste kaart \u2603\U0001F600"),
}


@pytest.mark.parametrize("how", sorted(BREAKS))
def test_failed_rebuild_keeps_old_pdfs(kaartgen, small_project, how):
    out = small_project / "output"
    first = kaartgen(small_project, "build")
    assert first.exit_code == 0, first.output
    before = snapshot(out)
    assert sorted(before) == ["deck/deck-a4.pdf", "deck/deck-drukwerk.pdf",
                              "tweede/tweede-a4.pdf", "tweede/tweede-drukwerk.pdf"]

    BREAKS[how](small_project)
    second = kaartgen(small_project, "build")
    assert second.exit_code == 1, second.output
    assert "error:" in second.output and "Traceback" not in second.output

    after = snapshot(out)
    assert sorted(after) == sorted(before), "files appeared in or vanished from output/"
    assert after["deck/deck-drukwerk.pdf"] == before["deck/deck-drukwerk.pdf"]
    assert after["deck/deck-a4.pdf"] == before["deck/deck-a4.pdf"]
    assert not [p for p in out.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]


def test_failed_rebuild_through_the_real_entry_point(small_project):
    """The same through `python -m kaartgen`, as a user runs it: exit 1, PDFs untouched."""
    def run():
        return subprocess.run([sys.executable, "-m", "kaartgen", "build"], cwd=small_project,
                              capture_output=True, text=True, encoding="utf-8")
    assert run().returncode == 0
    before = snapshot(small_project / "output")
    BREAKS["text-does-not-fit"](small_project)
    result = run()
    assert result.returncode == 1, result.stderr
    assert "does not fit" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(small_project / "output") == before


def test_other_decks_still_build_when_one_fails(kaartgen, small_project):
    """A deck that fails while drawing does not stop the others; its old PDFs stay."""
    out = small_project / "output"
    assert kaartgen(small_project, "build").exit_code == 0
    before = snapshot(out)
    BREAKS["text-does-not-fit"](small_project)
    replace_text(small_project / "cards" / "tweede.yaml", "Enige kaart", "Enige kaart, nu anders")
    result = kaartgen(small_project, "build")
    assert result.exit_code == 1
    assert "deck" in result.output and "not built" in result.output
    after = snapshot(out)
    assert after["deck/deck-drukwerk.pdf"] == before["deck/deck-drukwerk.pdf"]
    assert after["deck/deck-a4.pdf"] == before["deck/deck-a4.pdf"]
    assert after["tweede/tweede-drukwerk.pdf"] != before["tweede/tweede-drukwerk.pdf"]  # rebuilt


def test_shipped_deck_survives_a_broken_edit(kaartgen, project):
    """The shipped gesprekskaarten: a facilitator's bad edit leaves yesterday's PDFs intact."""
    out = project / "output"
    assert kaartgen(project, "build", "gesprekskaarten").exit_code == 0
    before = snapshot(out)
    deck = project / "cards" / "gesprekskaarten.yaml"
    text = deck.read_text(encoding="utf-8")
    for broken in (text.replace("    title: ", "\ttitle: ", 1),  # a tab
                   text.replace("audience: nieuw", "audience: nieuwe", 1),  # not one of the choices
                   text + "  - id: extra\n    step: 1\n    step_name: Informeren\n    title: Te lang\n"
                          "    audience: alle\n    source: test\n    questions:\n      - \"" + "Woorden " * 400 + "\"\n"):
        deck.write_text(broken, encoding="utf-8")
        result = kaartgen(project, "build", "gesprekskaarten")
        assert result.exit_code == 1, result.output
        assert snapshot(out) == before
    assert ROOT != project


def test_failure_after_the_first_pdf_is_written_leaves_no_temp_file(kaartgen, small_project, monkeypatch):
    """The print-shop PDF is complete on disk when the office PDF fails: neither replaces the old."""
    from kaartgen import writers
    from kaartgen.errors import KaartgenError, Problem

    out = small_project / "output"
    assert kaartgen(small_project, "build", "deck").exit_code == 0
    before = snapshot(out)
    replace_text(small_project / "cards" / "deck.yaml", "Eerste kaart", "Eerste kaart, herzien")
    original = writers.OfficeSheetWriter.finish

    def finish_then_fail(self):
        original(self)  # the temporary file is written in full
        raise KaartgenError(Problem("output", None, None, "", "disk full (simulated)"))
    monkeypatch.setattr(writers.OfficeSheetWriter, "finish", finish_then_fail)
    result = kaartgen(small_project, "build", "deck")
    assert result.exit_code == 1
    assert "disk full" in result.output
    assert snapshot(out) == before


def test_unwritable_output_is_a_clear_error_not_a_crash(kaartgen, project, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "gesprekskaarten").write_text("a file where the deck folder should be", encoding="utf-8")
    result = kaartgen(project, "build", "gesprekskaarten", "--out", str(out))
    assert result.exit_code == 1
    assert "deck 'gesprekskaarten': cannot create the output folder" in result.output
    assert "internal error" not in result.output


def test_a_project_without_decks_says_so(kaartgen, tmp_path):
    (tmp_path / "cards").mkdir()
    result = kaartgen(tmp_path, "build")
    assert result.exit_code == 1
    assert "nothing to build" in result.output
