"""output.py: names that cannot leave the output folder, atomic writes, checked PDFs, clean-up."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from conftest import run_tool
from kaartgen.output import OutputError, check_pdf, name_problem, output_folder, remove_leftovers, write_atomically


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
    with pytest.raises(OutputError, match="the PDF written is damaged"):
        write_atomically([good], lambda temps: temps[0].write_bytes(xref_entry_moved(before, 3, -1)))
    assert good.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["deck.pdf"]


def three_pages(path: Path) -> bytes:
    """A compressed three-page PDF as kaartgen's writers make them; returns its bytes."""
    canvas = Canvas(str(path), invariant=1, pageCompression=1)
    for number in range(1, 4):
        canvas.drawString(72, 72, f"pagina {number}")
        canvas.showPage()
    canvas.save()
    return path.read_bytes()


def xref_entry_moved(data: bytes, number: int, by: int) -> bytes:
    """`data` with the cross-reference entry of object `number` pointing `by` bytes further."""
    table = data.rindex(b"\nxref\n0 ") + 1
    at = data.index(b"\n", table + 5) + 1 + 20 * number
    return data[:at] + b"%010d" % (int(data[at:at + 10]) + by) + data[at + 10:]


def last_page_stream_damaged(data: bytes, path: Path) -> bytes:
    """`data` with one character changed inside the last page's (compressed) content stream."""
    number = PdfReader(path).pages[-1].raw_get("/Contents").idnum
    at = data.index(b"stream\n", data.index(b"\n%d 0 obj" % number)) + len(b"stream\n") + 20
    return data[:at] + (b"!" if data[at:at + 1] != b"!" else b"#") + data[at + 1:]


BROKEN = {
    "cut in half": (lambda data, path: data[:len(data) // 2], "cut off"),
    "end cut off": (lambda data, path: data[:-4], "cut off"),
    "no header": (lambda data, path: b"%PDX" + data[4:], "no %PDF header"),
    "xref entry off by one": (lambda data, path: xref_entry_moved(data, 2, 1), "points object 2 at the wrong place"),
    "startxref wrong": (lambda data, path: re.sub(rb"startxref\s+\d+", b"startxref\n100", data),
                        "startxref does not point at the cross-reference table"),
    "page count wrong": (lambda data, path: data.replace(b"/Count 3", b"/Count 4"), "counts 4 pages but lists 3"),
    "content stream damaged": (last_page_stream_damaged, "content stream .* does not decode"),
}


def test_a_whole_pdf_passes_the_check_with_its_page_count(tmp_path):
    three_pages(tmp_path / "goed.pdf")
    assert check_pdf(tmp_path / "goed.pdf") == 3


@pytest.mark.parametrize("how", BROKEN)
def test_a_damaged_pdf_fails_the_check_saying_why(tmp_path, how):
    change, reason = BROKEN[how]
    path = tmp_path / "kapot.pdf"
    changed = change(three_pages(path), path)
    path.write_bytes(changed)
    with pytest.raises(OutputError, match=rf"the PDF written is damaged \(.*{reason}.*\)") as caught:
        check_pdf(path, "deck.pdf")
    assert caught.value.problems[0].file == "deck.pdf"


def test_a_pdf_with_a_cross_reference_stream_is_read_by_pypdf(tmp_path):
    three_pages(tmp_path / "goed.pdf")
    run_tool("qpdf", "--object-streams=generate", str(tmp_path / "goed.pdf"), str(tmp_path / "xrefstream.pdf"))
    data = (tmp_path / "xrefstream.pdf").read_bytes()
    assert b"/XRef" in data and b"\nxref\n" not in data
    assert check_pdf(tmp_path / "xrefstream.pdf") == 3
    (tmp_path / "xrefstream.pdf").write_bytes(data[:len(data) // 2])
    with pytest.raises(OutputError, match="the PDF written is damaged"):
        check_pdf(tmp_path / "xrefstream.pdf")


def hand_made(*objects: bytes) -> bytes:
    """A PDF of `objects` (numbered from 1, the first is the catalogue) with a correct table."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Root 1 0 R /Size %d >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, table)
    return bytes(out)


def test_a_pdf_without_pages_is_refused_and_a_nested_page_tree_is_counted(tmp_path):
    path = tmp_path / "leeg.pdf"
    path.write_bytes(hand_made(b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Count 0 /Kids [ ] >>"))
    with pytest.raises(OutputError, match="the PDF written has no pages"):
        check_pdf(path)
    path.write_bytes(hand_made(b"<< /Type /Catalog /Pages 2 0 R >>",
                               b"<< /Type /Pages /Count 2 /Kids [ 3 0 R ] >>",
                               b"<< /Type /Pages /Parent 2 0 R /Count 2 /Kids [ 4 0 R 5 0 R ] >>",
                               b"<< /Type /Page /Parent 3 0 R /MediaBox [ 0 0 100 100 ] >>",
                               b"<< /Type /Page /Parent 3 0 R /MediaBox [ 0 0 100 100 ] >>"))
    assert check_pdf(path) == 2


def test_a_page_without_a_size_is_damaged(tmp_path):
    path = tmp_path / "zonder-maat.pdf"
    path.write_bytes(hand_made(b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Count 1 /Kids [ 3 0 R ] >>",
                               b"<< /Type /Page /Parent 2 0 R >>"))
    with pytest.raises(OutputError, match="page object 3 has no valid /MediaBox"):
        check_pdf(path)


def test_every_shipped_pdf_passes_the_check_with_the_page_count_pypdf_reads(shipped_build):
    pdfs = sorted(shipped_build.rglob("*.pdf"))
    assert len(pdfs) >= 10
    for pdf in pdfs:
        assert check_pdf(pdf) == len(PdfReader(pdf).pages), pdf


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
