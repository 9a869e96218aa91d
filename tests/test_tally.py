"""`kaartgen tally` counts exactly what people filled in, and says what it did not count.

Copies are real files, filled by pdftk (FDF), by pypdf (with and without the slash in radio
values) and by a browser-like filler (only /AS set, as an incremental update).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, NumberObject, TextStringObject

from conftest import ROOT, need_tool, pdftext
from kaartgen.forms.checklist import PERSON_FIELDS
from kaartgen.forms.sheet import MIN_CONTRAST
from kaartgen.colors import resolve_color
from kaartgen.layouts import load_layout
from kaartgen.render import contrast
from test_checklists import forms  # noqa: F401 - the fixture: both checklists built once
from test_checklists import LEVELS, answers_of, field_tree, fill_with_pypdf, form, invoke, org_checklist, read_csv

PEOPLE = [{"naam": "Anouk", "school": "De Brug", "rol": "leraar", "datum": "3-2-2026"},
          {"naam": "Bram", "school": "  de  BRUG ", "rol": "Leraar", "datum": "5 februari 2026"},
          {"naam": "Carla", "school": "Hogeschool Noord", "rol": "instituutsopleider", "datum": "2026-02-10"}]


def tally(tmp_path: Path, *args):
    return invoke(ROOT, "tally", *map(str, args), "--out", str(tmp_path / "tally"))


def fill_with_pdftk_fdf(src: Path, dest: Path, answers: dict, texts: dict | None = None) -> Path:
    """`pdftk form.pdf fill_form data.fdf output x.pdf`, the FDF written as pdftk expects it."""
    need_tool("pdftk")

    def literal(text: str) -> bytes:
        raw = b"\xfe\xff" + text.encode("utf-16-be")
        return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"
    entries = [b"<< /T (" + name.encode() + b") /V /" + value.encode() + b" >>"
               for name, value in answers.items() if value]
    entries += [b"<< /T (" + name.encode() + b") /V " + literal(value) + b" >>" for name, value in (texts or {}).items()]
    fdf = dest.with_suffix(".fdf")
    fdf.write_bytes(b"%FDF-1.2\n1 0 obj\n<< /FDF << /Fields [\n" + b"\n".join(entries)
                    + b"\n] >> >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
    subprocess.run(["pdftk", str(src), "fill_form", str(fdf), "output", str(dest)], check=True, capture_output=True)
    return dest


def fill_like_a_browser(src: Path, dest: Path, answers: dict, texts: dict) -> Path:
    """Only the chosen widget's /AS, appended as an incremental update (as pdf.js saves)."""
    writer = PdfWriter(src, incremental=True)
    fields = field_tree(writer._root_object)
    for name, value in texts.items():
        fields[name][NameObject("/V")] = TextStringObject(value)
    for name, value in answers.items():
        for kid in fields[name]["/Kids"]:
            kid = kid.get_object()
            if value and f"/{value}" in kid["/AP"]["/N"]:
                kid[NameObject("/AS")] = NameObject(f"/{value}")
    writer.write(dest)
    return dest


def fill_without_slash(src: Path, dest: Path, answers: dict, texts: dict) -> Path:
    """pypdf given 'sterk' instead of '/sterk': /V says sterk, no button is shown as on. Only
    ondersteunende_cultuur.2 is given right ('/sterk'), so the copy counts with one answer."""
    writer = PdfWriter(clone_from=src)
    values = {k: v for k, v in answers.items() if v} | {"ondersteunende_cultuur.2": "/sterk"}
    for page in writer.pages:
        writer.update_page_form_field_values(page, {**values, **texts}, auto_regenerate=False)
    writer.write(dest)
    return dest


@pytest.fixture(scope="module")
def batch(forms, tmp_path_factory) -> dict[str, Path]:
    """Three good copies by three fillers, plus blank, duplicate and inconsistent ones."""
    folder = tmp_path_factory.mktemp("kopieen")
    src = form(forms)
    files = {
        "pdftk": fill_with_pdftk_fdf(src, folder / "a-pdftk.pdf", answers_of(0), PEOPLE[0]),
        "pypdf": fill_with_pypdf(src, folder / "b-pypdf.pdf", answers_of(1),
                                 {**PEOPLE[1], "ondersteunende_cultuur.opmerking": "Eerste regel\n  - ingesprongen"}),
        "browser": fill_like_a_browser(src, folder / "c-browser.pdf", answers_of(2), PEOPLE[2]),
        "blank": fill_with_pypdf(src, folder / "d-leeg.pdf", {}, {"naam": "Niemand"}),
    }
    files["copy"] = folder / "e-kopie-van-a.pdf"
    files["copy"].write_bytes(files["pdftk"].read_bytes())
    resaved = PdfWriter(clone_from=files["pypdf"])  # saved again by another program: other bytes
    resaved.add_metadata({"/Producer": "een ander programma"})
    files["resaved"] = folder / "f-opnieuw-bram.pdf"
    resaved.write(files["resaved"])
    files["noslash"] = fill_without_slash(src, folder / "g-zonder-slash.pdf", answers_of(3), {"naam": "Dirk"})
    return files


@pytest.fixture(scope="module")
def counted(batch, tmp_path_factory):
    out = tmp_path_factory.mktemp("uit")
    result = tally(out, *batch.values())
    return result, out / "tally"


def test_good_copies_are_counted_exactly_and_the_others_named(batch, counted):
    result, out = counted
    assert result.exit_code == 1, "some files were not counted"
    rows = read_csv(out / "summary.csv")
    for item in org_checklist().items:
        expected = Counter(answers_of(i)[item.field] for i in range(3))  # pdftk, pypdf, browser
        if item.field == "ondersteunende_cultuur.2":
            expected["sterk"] += 1  # the one answer the inconsistent copy shows
        else:
            expected[None] += 1  # the inconsistent copy counts what a viewer shows: nothing
        assert [int(rows[item.field][level]) for level in LEVELS] == [expected[lv] for lv in LEVELS], item.field
        assert int(rows[item.field]["niet ingevuld"]) == expected[None]
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    expected_warnings = {"d-leeg.pdf": "blank form (no item answered), not counted",
                         "e-kopie-van-a.pdf": "same file as a-pdftk.pdf, counted once",
                         "f-opnieuw-bram.pdf": "same answers, name and date as b-pypdf.pdf, counted once"}
    for name, message in expected_warnings.items():
        assert any(name in line and message in line for line in warnings), (name, result.stderr)
    first_answered = next(f for f, v in answers_of(3).items() if v and f != "ondersteunende_cultuur.2")
    assert any("g-zonder-slash.pdf" in line and f"item {first_answered} " in line and "counted as shown (no choice)"
               in line for line in warnings), result.stderr
    assert "error" not in result.stderr.lower()
    assert "4 copies counted" in result.output


def test_the_last_page_lists_what_was_not_counted(counted):
    _, out = counted
    last = PdfReader(out / "summary.pdf").pages[-1].extract_text()
    text = " ".join(last.split())
    assert "let op: d-leeg.pdf: leeg, niet meegeteld" in text
    assert "let op: e-kopie-van-a.pdf: zelfde bestand als a-pdftk.pdf, één keer meegeteld" in text
    assert "let op: g-zonder-slash.pdf: uitspraak" in text and "geteld wat een lezer ziet (geen keuze)" in text


def test_who_took_part_page_shows_roles_schools_and_dates(counted):
    _, out = counted
    text = pdftext(out / "summary.pdf")
    who = text[text.index("Wie deden mee"):text.index("nog in startfase")]
    assert "4 ingevulde exemplaren meegeteld" in who
    assert "Ingevuld tussen 3 februari 2026 en 10 februari 2026" in who
    assert "3 bestanden niet meegeteld" in who
    # 'leraar' and 'Leraar', 'De Brug' and '  de  BRUG ' are one group each
    assert re.search(r"Per rol leraar 2 \(50%\) instituutsopleider 1 \(25%\) niet ingevuld 2 \(50%\)", who) is None
    assert re.search(r"Per rol leraar 2 \(50%\) instituutsopleider 1 \(25%\) niet ingevuld 1 \(25%\)", who), who
    assert re.search(r"Per school of opleiding De Brug 2 \(50%\) Hogeschool Noord 1 \(25%\) niet ingevuld 1 \(25%\)",
                     who), who


def test_answers_csv_and_xlsx_hold_every_counted_copy(batch, counted):
    _, out = counted
    raw = (out / "antwoorden.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    import csv
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines(True), delimiter=";"))
    assert [r["bestand"] for r in rows] == ["a-pdftk.pdf", "b-pypdf.pdf", "c-browser.pdf", "g-zonder-slash.pdf"]
    for row, copy in zip(rows, range(3)):
        for field, value in answers_of(copy).items():
            assert row[field] == (value or ""), (row["bestand"], field)
    assert {k: rows[0][k] for k, _ in PERSON_FIELDS} == PEOPLE[0]
    assert rows[1]["ondersteunende_cultuur.opmerking"] == "Eerste regel\n  - ingesprongen"
    book = load_workbook(out / "summary.xlsx")
    assert book.sheetnames == ["samenvatting", "antwoorden"]
    sheet = [[c.value for c in row] for row in book["antwoorden"].iter_rows()]
    header = sheet[0]
    assert [dict(zip(header, r))["bestand"] for r in sheet[1:]] == [r["bestand"] for r in rows]
    for xlsx_row, csv_row in zip(sheet[1:], rows):
        assert {k: (v or "") for k, v in zip(header, xlsx_row)} == csv_row
    summary = [[c.value for c in row] for row in book["samenvatting"].iter_rows()]
    csv_summary = read_csv(out / "summary.csv")
    for row in summary[1:]:
        record = dict(zip(summary[0], row))
        assert record["sterk"] == int(csv_summary[record["veld"]]["sterk"])
        mean = csv_summary[record["veld"]]["gemiddelde"]
        assert (record["gemiddelde"] or "") == (float(mean.replace(",", ".")) if mean else "")


def test_a_multi_line_comment_keeps_its_indent(counted):
    _, out = counted
    text = subprocess.run(["pdftotext", "-layout", str(out / "summary.pdf"), "-"], capture_output=True,
                          text=True).stdout
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if "Eerste regel" in line)
    assert lines[first + 1].index("- ingesprongen") > lines[first].index("Eerste regel"), lines[first:first + 2]


def test_one_copy_is_singular_and_nothing_claims_no_differences(forms, tmp_path):
    one = {field: None for field in answers_of(0)} | {"ondersteunende_cultuur.1": "sterk"}
    copy = fill_with_pypdf(form(forms), tmp_path / "een.pdf", one)
    result = tally(tmp_path, copy)
    assert result.exit_code == 0, result.output
    text = pdftext(tmp_path / "tally" / "summary.pdf")
    assert "1 ingevuld exemplaar" in text and "1 ingevulde exemplaren" not in text
    assert "Nog geen verschillen" not in text


# --- hostile and unusual copies ------------------------------------------------------------------

def run_cli(tmp_path: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """The real command in a subprocess: a hang fails the test instead of blocking the suite."""
    return subprocess.run([sys.executable, "-m", "kaartgen", "tally", *args, "--out", str(tmp_path / "tally")],
                          cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def good_copy(forms: Path, path: Path) -> Path:
    return fill_with_pypdf(form(forms), path, answers_of(0), {"naam": "Goed"})


def test_encrypted_copies_open_unless_they_need_a_password(forms, tmp_path):
    need_tool("qpdf")
    plain = good_copy(forms, tmp_path / "plain.pdf")
    aes = tmp_path / "aes.pdf"
    locked = tmp_path / "wachtwoord.pdf"
    subprocess.run(["qpdf", "--encrypt", "", "eigenaar", "256", "--", str(plain), str(aes)], check=True)
    subprocess.run(["qpdf", "--encrypt", "geheim", "eigenaar", "256", "--", str(plain), str(locked)], check=True)
    result = run_cli(tmp_path, str(aes), str(locked))
    assert result.returncode == 1, result.stderr
    assert "checklist-lerende-organisatie: 1 copy counted" in result.stdout
    assert f"warning: {locked}: protected with a password" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_field_that_is_its_own_kid_does_not_hang(forms, tmp_path):
    good = good_copy(forms, tmp_path / "goed.pdf")
    writer = PdfWriter(clone_from=fill_with_pypdf(form(forms), tmp_path / "x.pdf", answers_of(1)))
    top = next(f for f in writer._root_object["/AcroForm"]["/Fields"] if "/Kids" in f.get_object())
    top.get_object()[NameObject("/Kids")].append(top)  # the field contains itself
    writer.write(tmp_path / "cyclisch.pdf")
    result = run_cli(tmp_path, str(good), str(tmp_path / "cyclisch.pdf"))
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert "2 copies counted" in result.stdout


def test_opt_that_is_not_an_array_keeps_the_good_copies(forms, tmp_path):
    good = good_copy(forms, tmp_path / "goed.pdf")
    writer = PdfWriter(clone_from=fill_with_pypdf(form(forms), tmp_path / "x.pdf", answers_of(1)))
    fields = field_tree(writer._root_object)
    fields["ondersteunende_cultuur.1"][NameObject("/Opt")] = NumberObject(7)
    writer.write(tmp_path / "opt.pdf")
    result = run_cli(tmp_path, str(good), str(tmp_path / "opt.pdf"))
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert "2 copies counted" in result.stdout


def test_the_same_file_given_twice_is_read_once(forms, tmp_path):
    good = good_copy(forms, tmp_path / "goed.pdf")
    result = run_cli(tmp_path, str(good), str(good), str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "1 copy counted" in result.stdout and result.stderr == ""


def test_a_value_with_a_line_break_cannot_forge_an_output_line(forms, tmp_path):
    good = good_copy(forms, tmp_path / "goed.pdf")
    writer = PdfWriter(clone_from=good)
    fields = field_tree(writer._root_object)
    fields["ondersteunende_cultuur.1"][NameObject("/V")] = TextStringObject("sterk\nerror: vervalst")
    writer.write(tmp_path / "vals.pdf")
    result = run_cli(tmp_path, str(good), str(tmp_path / "vals.pdf"))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert all(line.startswith(("warning: ", "1 file not counted")) for line in lines), lines
    assert any("vals.pdf" in line and "sterk\\nerror: vervalst" in line for line in lines), lines


def test_out_below_a_regular_file_is_a_clear_error(forms, tmp_path):
    good = good_copy(forms, tmp_path / "goed.pdf")
    (tmp_path / "bestand").write_text("x")
    result = subprocess.run([sys.executable, "-m", "kaartgen", "tally", str(good), "--out",
                             str(tmp_path / "bestand" / "tally")], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "cannot write the summary" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_fifo_is_skipped_without_blocking(forms, tmp_path):
    import os
    good = good_copy(forms, tmp_path / "goed.pdf")
    os.mkfifo(tmp_path / "pijp.pdf")
    result = run_cli(tmp_path, str(good), str(tmp_path / "pijp.pdf"))
    assert result.returncode == 1
    assert "pijp.pdf: not a regular file" in result.stderr


# --- what the PDFs draw (tests that fail when the drawing is removed) ------------------------------

def page_ops(page) -> bytes:
    return page.get_contents().get_data()


def filled_rects(data: bytes, rgb: tuple[float, float, float]) -> list[float]:
    """Widths of rectangles filled in colour `rgb` in a content stream."""
    wanted = " ".join(f"{c:.4g}" for c in rgb)
    widths, current = [], None
    for line in data.decode("latin-1").splitlines():
        match = re.fullmatch(r"([\d.]+) ([\d.]+) ([\d.]+) rg", line.strip())
        if match:
            current = " ".join(f"{float(v):.4g}" for v in match.groups())
        rect = re.search(r"[-\d.]+ [-\d.]+ ([\d.]+) [-\d.]+ re f\*?$", line.strip())
        if rect and current == wanted:
            widths.append(float(rect.group(1)))
    return widths


def test_every_item_has_a_bar_as_long_as_its_answers(counted):
    _, out = counted
    layout = load_layout("checklist", ROOT / "layouts")
    bar_w = layout.table["bar_w"]
    reader = PdfReader(out / "summary.pdf")
    rows = read_csv(out / "summary.csv")
    items_page = page_ops(reader.pages[1])  # the page after "Wie deden mee"
    strongest = filled_rects(items_page, resolve_color("level3", layout.colors).as_rgb())
    first = org_checklist().items[0]
    share = int(rows[first.field]["sterk"]) / int(rows[first.field]["respondenten"])
    assert strongest and any(abs(w - bar_w * share) < 0.05 for w in strongest), strongest
    total = sum(len(filled_rects(items_page, resolve_color(f"level{i}", layout.colors).as_rgb())) for i in (1, 2, 3))
    assert total >= 6, "each item on the page draws its bar segments"


def test_the_printed_sheet_draws_an_answer_circle_per_item_and_level(forms):
    reader = PdfReader(form(forms, kind="print"))
    curves = sum(len(re.findall(rb"^[-\d. ]+ c$", page_ops(p), re.M)) for p in reader.pages)
    items = len(org_checklist().items)
    assert curves >= 4 * items * len(LEVELS), "a circle is four curves"


# --- the fillable form's font, the palette -----------------------------------------------------------

def test_typed_text_uses_the_embedded_house_font(forms, tmp_path):
    reader = PdfReader(form(forms))
    acroform = reader.trailer["/Root"]["/AcroForm"]
    fonts = acroform["/DR"]["/Font"]
    house = fonts["/KGHouse"].get_object()
    assert house["/Subtype"] == "/TrueType" and "/FontFile2" in house["/FontDescriptor"]
    assert "/Helv" in fonts, "a fallback for viewers that look for Helvetica"
    assert acroform["/DA"].startswith("/KGHouse ")
    texts = {name: node for name, node in field_tree(reader.trailer["/Root"]).items() if node.get("/FT") == "/Tx"}
    assert texts and all(node["/DA"].startswith("/KGHouse ") for node in texts.values())
    # Filled by pdftk, appearances generated by qpdf: the typed name is drawn in the house font.
    need_tool("qpdf")
    filled = fill_with_pdftk_fdf(form(forms), tmp_path / "ingevuld.pdf", {}, {"naam": "Anouk Ëlst"})
    flat = tmp_path / "plat.pdf"
    subprocess.run(["qpdf", "--generate-appearances", "--flatten-annotations=all", str(filled), str(flat)],
                   check=True, capture_output=True)
    fonts_out = subprocess.run(["pdffonts", str(flat)], capture_output=True, text=True).stdout
    assert re.search(r"SourceSansPro-Regular\s+TrueType\s+WinAnsi\s+yes", fonts_out), fonts_out
    assert "Anouk Ëlst" in pdftext(flat)


def test_the_level_colours_are_colour_blind_safe_and_their_labels_readable():
    layout = load_layout("checklist", ROOT / "layouts")
    ink, paper = (resolve_color(name, layout.colors) for name in ("ink", "paper"))
    levels = [resolve_color(f"level{i}", layout.colors) for i in (1, 2, 3)]
    for colour in levels:
        assert max(contrast(colour, ink), contrast(colour, paper)) >= MIN_CONTRAST
    # each level differs from the next in lightness, not only in hue
    for lighter, darker in zip(levels, levels[1:]):
        assert contrast(lighter, darker) >= 1.8
    for colour in levels:  # no red and green: one hue family (blue dominates)
        r, g, b = colour.as_rgb()
        assert b >= r and b >= g


def test_dutch_warnings_say_let_op(forms, tmp_path):
    import os
    good = good_copy(forms, tmp_path / "goed.pdf")
    blank = fill_with_pypdf(form(forms), tmp_path / "leeg.pdf", {})
    result = subprocess.run([sys.executable, "-m", "kaartgen", "tally", str(good), str(blank), "--out",
                             str(tmp_path / "tally")], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "LANGUAGE": "nl"})
    assert result.returncode == 1
    assert f"let op: {blank}: leeg, niet meegeteld [K923]" in result.stderr.splitlines()
    assert "checklist-lerende-organisatie: 1 ingevuld exemplaar meegeteld" in result.stdout


def test_a_date_that_cannot_be_read_is_named_not_silently_left_out_of_the_range(forms, tmp_path):
    import os
    src = form(forms)
    good = fill_with_pypdf(src, tmp_path / "anouk.pdf", answers_of(0), {"naam": "Anouk", "datum": "3-2-2026"})
    vague = fill_with_pypdf(src, tmp_path / "bram.pdf", answers_of(1), {"naam": "Bram", "datum": "dinsdag"})
    wrong = fill_with_pypdf(src, tmp_path / "carla.pdf", answers_of(2), {"naam": "Carla", "datum": "31-2-2026"})
    result = subprocess.run([sys.executable, "-m", "kaartgen", "tally", str(good), str(vague), str(wrong), "--out",
                             str(tmp_path / "tally")], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "LANGUAGE": "nl"})
    assert result.returncode == 0, result.stderr  # all three are counted
    assert "checklist-lerende-organisatie: 3 ingevulde exemplaren meegeteld" in result.stdout
    remark = ("is niet te lezen (schrijf hem zo: 3-2-2026); wel meegeteld, maar niet meegenomen in de periode "
              "waarin de checklist is ingevuld [K943]")
    lines = result.stderr.splitlines()
    assert f"let op: {vague}: datum 'dinsdag' {remark}" in lines, lines
    assert f"let op: {wrong}: datum '31-2-2026' {remark}" in lines, lines
    assert len(lines) == 2
    text = pdftext(tmp_path / "tally" / "summary.pdf")
    assert "Ingevuld op 3 februari 2026. Van 2 exemplaren is de datum niet te lezen: zie de laatste pagina." in text
    last = " ".join(PdfReader(tmp_path / "tally" / "summary.pdf").pages[-1].extract_text().split())
    assert "let op: bram.pdf: datum 'dinsdag' is niet te lezen" in last, last
    assert "let op: carla.pdf: datum '31-2-2026' is niet te lezen" in last, last


def test_a_folder_named_like_a_pdf_is_skipped_and_the_reasons_are_dutch(forms, tmp_path):
    import os
    good = good_copy(forms, tmp_path / "goed.pdf")
    (tmp_path / "map.pdf").mkdir()
    (tmp_path / "bestand").write_text("x")
    dutch = {**os.environ, "LANGUAGE": "nl"}
    result = subprocess.run([sys.executable, "-m", "kaartgen", "tally", str(tmp_path), "--out",
                             str(tmp_path / "uit")], cwd=ROOT, capture_output=True, text=True, timeout=60, env=dutch)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "interne fout" not in result.stderr
    assert f"let op: {tmp_path / 'map.pdf'}: geen gewoon bestand [K929]" in result.stderr.splitlines()
    blocked = subprocess.run([sys.executable, "-m", "kaartgen", "tally", str(good), "--out",
                              str(tmp_path / "bestand" / "tally")], cwd=ROOT, capture_output=True, text=True,
                             timeout=60, env=dutch)
    assert blocked.returncode == 1
    assert blocked.stderr.startswith("fout: ")
    assert "kan de samenvatting niet schrijven: een deel van het pad is een bestand, geen map" in blocked.stderr
    assert "Not a directory" not in blocked.stderr and "File exists" not in blocked.stderr, blocked.stderr


def test_per_role_gives_a_section_per_role_with_its_own_bars(batch, tmp_path):
    result = invoke(ROOT, "tally", str(batch["pdftk"]), str(batch["pypdf"]), str(batch["browser"]),
                    "--per", "rol", "--out", str(tmp_path / "tally"))
    assert result.exit_code == 0, result.output
    text = pdftext(tmp_path / "tally" / "summary.pdf")
    for heading in ("rol: leraar · 2 ingevulde exemplaren", "rol: instituutsopleider · 1 ingevuld exemplaar"):
        assert heading in text, heading
    first = org_checklist().items[0]
    leraren = Counter(answers_of(i)[first.field] for i in (0, 1))
    section = text[text.index("rol: leraar"):]
    assert f"startfase {leraren['startfase']} ({round(50 * leraren['startfase'])}%)" in section


def test_cmyk_summary_has_no_rgb_colour(batch, tmp_path):
    result = invoke(ROOT, "tally", str(batch["pdftk"]), "--cmyk", "--out", str(tmp_path / "tally"))
    assert result.exit_code == 0, result.output
    streams = "\n".join(page_ops(p).decode("latin-1") for p in PdfReader(tmp_path / "tally" / "summary.pdf").pages)
    assert not re.search(r"^[\d. ]+ (rg|RG)$", streams, re.M)
    assert re.search(r"^[\d. ]+ k$", streams, re.M), "the bars are painted in CMYK"
