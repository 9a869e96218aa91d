"""output.py: names that cannot leave the output folder, atomic writes, checked PDFs, clean-up."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from kaartgen.output import OutputError, name_problem, output_folder, remove_leftovers, write_atomically


def write_pdf(path: Path, text: str = "hallo") -> None:
    canvas = Canvas(str(path), invariant=1)
    canvas.drawString(72, 72, text)
    canvas.showPage()
    canvas.save()


@pytest.mark.parametrize("name", ["../escape", "..", "a/b", "a\\b", ".verborgen", "", "x\n", "deck.", "a..b",
                                  "x" * 200])
def test_names_that_could_leave_the_folder_are_refused(name):
    assert name_problem(name)


@pytest.mark.parametrize("name", ["gesprekskaarten", "dialoogkaart-po", "opleidingsschool_de_brug", "Mijn deck",
                                  "kaart.v2", "één"])
def test_ordinary_names_are_accepted(name):
    assert name_problem(name) is None


def test_output_folder_refuses_a_symlink_that_leads_outside(tmp_path):
    root, outside = tmp_path / "output", tmp_path / "elders"
    root.mkdir()
    outside.mkdir()
    (root / "deck").symlink_to(outside)
    with pytest.raises(OutputError, match="leads outside the output folder"):
        output_folder(root, "deck")
    with pytest.raises(OutputError, match="cannot name an output file"):
        output_folder(root, "../elders")
    assert output_folder(root, "ander") == root / "ander"


def test_targets_are_replaced_only_when_every_file_was_written(tmp_path):
    good, other = tmp_path / "a.pdf", tmp_path / "b.csv"
    write_pdf(good, "oud")
    other.write_text("oud", encoding="utf-8")
    before = good.read_bytes()

    def fail_halfway(temps):
        write_pdf(temps[0], "nieuw")
        raise OutputError([])
    with pytest.raises(OutputError):
        write_atomically([good, other], fail_halfway)
    assert good.read_bytes() == before and other.read_text(encoding="utf-8") == "oud"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "b.csv"]

    write_atomically([good, other], lambda temps: (write_pdf(temps[0], "nieuw"), temps[1].write_text("nieuw")))
    assert good.read_bytes() != before and other.read_text(encoding="utf-8") == "nieuw"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "b.csv"]


def test_a_broken_pdf_never_replaces_a_good_one(tmp_path):
    good = tmp_path / "deck.pdf"
    write_pdf(good)
    before = good.read_bytes()
    with pytest.raises(OutputError, match="the PDF written is damaged"):
        write_atomically([good], lambda temps: temps[0].write_bytes(before[: len(before) // 2]))
    with pytest.raises(OutputError, match="the PDF written is damaged"):
        write_atomically([good], lambda temps: None)  # nothing written at all
    assert good.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["deck.pdf"]


def test_a_symlink_at_the_target_is_replaced_not_followed(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("geheim", encoding="utf-8")
    folder = tmp_path / "output"
    folder.mkdir()
    (folder / "deck.pdf").symlink_to(victim)
    write_atomically([folder / "deck.pdf"], lambda temps: write_pdf(temps[0]))
    assert victim.read_text(encoding="utf-8") == "geheim"
    assert not (folder / "deck.pdf").is_symlink()


def test_temp_names_are_fresh_files_that_cannot_be_planted(tmp_path):
    seen = []

    def record(temps):
        seen.extend(temps)
        assert temps[0].parent == tmp_path and temps[0].stat().st_size == 0
        write_pdf(temps[0])
    write_atomically([tmp_path / "deck.pdf"], record)
    write_atomically([tmp_path / "deck.pdf"], record)
    assert seen[0] != seen[1]  # unpredictable: not derived from the process id
    assert all(str(os.getpid()) not in p.name for p in seen)


def test_leftovers_of_killed_builds_are_removed_but_not_those_of_a_running_build(tmp_path):
    target = tmp_path / "deck.pdf"
    dead = tmp_path / ".deck.pdf.kaartgen-dood.tmp"
    old_style = tmp_path / ".deck.pdf.12345.tmp"
    running = tmp_path / ".deck.pdf.kaartgen-bezig.tmp"
    other_deck = tmp_path / ".ander.pdf.kaartgen-dood.tmp"
    planted = tmp_path / ".deck.pdf.kaartgen-link.tmp"
    outside = tmp_path / "buiten.txt"
    outside.write_text("blijft", encoding="utf-8")
    for path in (dead, old_style, running, other_deck):
        path.write_bytes(b"%PDF-half")
    planted.symlink_to(outside)
    fd = os.open(running, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as a build in another process holds it
    try:
        write_atomically([target], lambda temps: write_pdf(temps[0]))
        assert not dead.exists() and not old_style.exists() and not planted.is_symlink()
        assert running.exists() and other_deck.exists()
        assert outside.read_text(encoding="utf-8") == "blijft"
    finally:
        os.close(fd)
    assert remove_leftovers(target) == [running]


def test_a_full_disk_is_an_error_naming_the_target(tmp_path):
    def full(temps):
        raise OSError(28, "No space left on device", str(temps[0]))
    with pytest.raises(OutputError, match="No space left on device") as caught:
        write_atomically([tmp_path / "deck.pdf"], full)
    assert caught.value.problems[0].file == str(tmp_path / "deck.pdf")
    assert list(tmp_path.iterdir()) == []


def test_written_files_get_the_usual_permissions_not_the_temp_files_private_ones(tmp_path):
    umask = os.umask(0o022)
    os.umask(umask)
    write_atomically([tmp_path / "deck.pdf"], lambda temps: write_pdf(temps[0]))
    assert (tmp_path / "deck.pdf").stat().st_mode & 0o777 == 0o666 & ~umask != 0o600
