"""Every PDF the project writes is one a print shop accepts: all fonts embedded, a valid file
(`qpdf --check`), and Ghostscript renders every page.

Built once: `kaartgen build` (decks, posters, checklists), `kaartgen build --cmyk`,
`kaartgen batch` over every set in cards/sets (plain and `--cmyk`) and a `tally` summary.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfWriter

from conftest import ROOT, need_tool, pdftext, run_tool

RUNS = {
    "build": ["build"],
    "build-cmyk": ["build", "--cmyk"],
    "batch": ["batch", "--jobs", "2"],
    "batch-cmyk": ["batch", "--jobs", "2", "--cmyk"],
}


def kaartgen(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kaartgen", *args], cwd=ROOT, capture_output=True, text=True)


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, Path]:
    """Output folder per run."""
    base = tmp_path_factory.mktemp("every-pdf")
    folders = {}
    for name, args in RUNS.items():
        result = kaartgen(*args, "--out", str(base / name))
        assert result.returncode == 0, f"{name}: {result.stderr}"
        folders[name] = base / name
    folders["tally"] = _tally(base, folders["build"])
    return folders


def _tally(base: Path, build: Path) -> Path:
    """A summary over two filled-in copies of the shipped organisation checklist."""
    form = build / "checklist-lerende-organisatie" / "checklist-lerende-organisatie-invulbaar.pdf"
    copies = base / "copies"
    copies.mkdir()
    for i, answer in enumerate(("/sterk", "/startfase")):
        writer = PdfWriter(clone_from=form)
        for page in writer.pages:
            writer.update_page_form_field_values(page, {"ondersteunende_cultuur.1": answer, "naam": f"Collega {i}"},
                                                 auto_regenerate=False)
        writer.write(copies / f"kopie-{i}.pdf")
    result = kaartgen("tally", str(copies), "--out", str(base / "tally"))
    assert result.returncode == 0, result.stderr
    return base / "tally"


def unembedded_fonts(pdf: Path) -> list[str]:
    lines = run_tool("pdffonts", str(pdf)).splitlines()[2:]
    # Columns from the right: emb sub uni object-number generation; a name may hold spaces.
    return [line for line in lines if line.split()[-5] != "yes"]


def problems(pdf: Path) -> list[str]:
    found = [f"font not embedded: {line}" for line in unembedded_fonts(pdf)]
    check = subprocess.run([need_tool("qpdf"), "--check", str(pdf)], capture_output=True, text=True)
    if check.returncode != 0:
        found.append(f"qpdf --check: {check.stdout[-300:]}{check.stderr[-300:]}")
    gs = subprocess.run([need_tool("gs"), "-q", "-dNOPAUSE", "-dBATCH", "-dPDFSTOPONERROR", "-sDEVICE=nullpage",
                         str(pdf)], capture_output=True, text=True)
    if gs.returncode != 0 or "Error" in gs.stdout + gs.stderr:
        found.append(f"ghostscript: {(gs.stdout + gs.stderr)[-300:]}")
    return found


@pytest.mark.parametrize("run", [*RUNS, "tally"])
def test_every_written_pdf_embeds_its_fonts_passes_qpdf_and_renders(written, run):
    pdfs = sorted(written[run].rglob("*.pdf"))
    assert pdfs, f"{run} wrote no PDF"
    if run.startswith("batch"):  # every set is there, the SVG-logo set included
        slugs = {p.stem for p in (ROOT / "cards" / "sets").glob("*.yaml")}
        assert {p.relative_to(written[run]).parts[0] for p in pdfs} == slugs
    bad = {str(pdf.relative_to(written[run])): found for pdf in pdfs if (found := problems(pdf))}
    assert not bad, bad


def test_an_svg_with_text_is_drawn_in_the_layout_font(project, tmp_path):
    """svglib draws SVG text in Helvetica, which is never embedded: it must use the layout's face."""
    logos = project / "cards" / "sets" / "logos"
    (logos / "tekst.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="80">'
        '<text x="10" y="40" font-family="Helvetica" font-size="20">De Brug</text>'
        '<text x="10" y="70" font-weight="bold"> </text></svg>', encoding="utf-8")
    (project / "cards" / "sets" / "tekst.yaml").write_text(
        "set: {name: Tekst, short_name: T, sector: po, logo: cards/sets/logos/tekst.svg}\n"
        "decks: [gesprekskaarten]\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kaartgen", "build", "--set", "cards/sets/tekst.yaml",
                             "--out", str(tmp_path)], cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    pdfs = sorted(tmp_path.rglob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        assert unembedded_fonts(pdf) == [], pdf
        assert "Helvetica" not in run_tool("pdffonts", str(pdf))
    assert "De Brug" in pdftext(tmp_path / "tekst" / "gesprekskaarten" / "gesprekskaarten-drukwerk.pdf")
