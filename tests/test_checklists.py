"""Checklists: the fillable form, the print sheet, and `kaartgen tally` over filled-in copies."""

from __future__ import annotations

import csv
import os
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

from conftest import ROOT, need_tool, pdftext, run_tool
from kaartgen.forms.checklist import load_checklist
from kaartgen.cli import cli
from kaartgen.forms.reading import known_checklists, read_copy
from kaartgen.project import Project

ORG = "checklist-lerende-organisatie"
PARTNER = "checklist-lerend-partnerschap"
LEVELS = ("startfase", "gedeeltelijk", "sterk")
TEXT_FIELDS = ("naam", "school", "rol", "datum")

# Five copies of the organisation checklist: field -> answer per copy (None = left blank).
DEFAULT = ["gedeeltelijk", "gedeeltelijk", "sterk", "startfase", "gedeeltelijk"]
SPECIAL = {
    "ondersteunende_cultuur.1": ["startfase", "startfase", "sterk", "sterk", None],  # divergent
    "ondersteunende_cultuur.2": ["sterk"] * 5,  # the strongest
    "ondersteunende_cultuur.3": ["startfase"] * 4 + ["gedeeltelijk"],  # the weakest
    "focus_op_ontwikkeling.1": ["startfase", "gedeeltelijk", "gedeeltelijk", None, None],  # mean 5/3
    "expertise_benutten.6": [None] * 5,  # nobody answered
}
MEANS = {"ondersteunende_cultuur.1": "2,00", "ondersteunende_cultuur.2": "3,00", "ondersteunende_cultuur.3": "1,20",
         "focus_op_ontwikkeling.1": "1,67", "expertise_benutten.6": ""}


def org_checklist():
    return load_checklist(ROOT / "cards" / f"{ORG}.yaml")


def answers_of(copy: int) -> dict[str, str | None]:
    return {item.field: SPECIAL.get(item.field, DEFAULT)[copy] for item in org_checklist().items}


@pytest.fixture(scope="module")
def forms(tmp_path_factory) -> Path:
    """Both checklists built once with `kaartgen build <names>`; returns the output folder."""
    out = tmp_path_factory.mktemp("forms") / "output"
    result = invoke(ROOT, "build", ORG, PARTNER, "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


def invoke(folder: Path, *args: str):
    old = os.getcwd()
    os.chdir(folder)
    try:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def form(forms: Path, name: str = ORG, kind: str = "invulbaar") -> Path:
    return forms / name / f"{name}-{kind}.pdf"


def fill_with_pypdf(src: Path, dest: Path, answers: dict, texts: dict | None = None) -> Path:
    writer = PdfWriter(clone_from=src)
    values = {field: f"/{value}" for field, value in answers.items() if value} | (texts or {})
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    writer.write(dest)
    return dest


def field_tree(root) -> dict:
    """Terminal fields by fully qualified name, read independently of kaartgen.tally."""
    out = {}

    def walk(node, prefix):
        node = node.get_object()
        name = f"{prefix}.{node['/T']}" if prefix and "/T" in node else str(node.get("/T", prefix))
        kids = [kid.get_object() for kid in node.get("/Kids", [])]
        if any("/T" in kid for kid in kids):
            for kid in kids:
                walk(kid, name)
        else:
            out[name] = node
    for top in root["/AcroForm"]["/Fields"]:
        walk(top, "")
    return out


def read_csv(path: Path) -> dict[str, dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, so spreadsheets read the accents right"
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    return {row["veld"]: row for row in rows}


def tally(tmp_path: Path, *paths: Path):
    return invoke(ROOT, "tally", *map(str, paths), "--out", str(tmp_path / "tally"))


# --- the fillable form -----------------------------------------------------------------------

def test_dump_data_fields_lists_every_radio_group_and_text_field(forms):
    need_tool("pdftk")
    dump = run_tool("pdftk", str(form(forms)), "dump_data_fields_utf8")
    records = {}
    for block in dump.split("---"):
        lines = [line.split(": ", 1) for line in block.strip().splitlines() if ": " in line]
        name = next((v for k, v in lines if k == "FieldName"), None)
        if name:
            states = {v for k, v in lines if k == "FieldStateOption"}
            records[name] = {"type": dict(lines)["FieldType"], "states": states}
    checklist = org_checklist()
    for item in checklist.items:
        assert records[item.field]["type"] == "Button"
        assert records[item.field]["states"] >= set(LEVELS)
    for name in TEXT_FIELDS + tuple(c.comment_field for c in checklist.categories):
        assert records[name]["type"] == "Text", name
    assert len(checklist.items) == 18 and "ondersteunende_cultuur.3" in records


def test_every_field_has_a_tooltip_and_the_form_carries_its_id(forms):
    reader = PdfReader(form(forms))
    fields = field_tree(reader.trailer["/Root"])
    for item in org_checklist().items:
        assert fields[item.field]["/TU"] == item.text
        assert "/Opt" not in fields[item.field]
    for name in TEXT_FIELDS:
        assert fields[name]["/TU"]
    assert reader.metadata["/KaartgenForm"] == ORG
    assert reader.metadata["/KaartgenFormVersion"] == "1"
    assert reader.metadata.title.startswith("Checklist lerende organisatie")
    assert reader.trailer["/Root"]["/Lang"] == "nl-NL"


@pytest.mark.parametrize("kind", ["invulbaar", "print"])
def test_only_embedded_fonts(forms, kind):
    fonts = run_tool("pdffonts", str(form(forms, kind=kind))).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts
    assert not any("Helvetica" in line for line in fonts)


def test_print_sheet_has_no_form_but_the_same_table(forms):
    pdf = form(forms, kind="print")
    assert "/AcroForm" not in PdfReader(pdf).trailer["/Root"]
    text = pdftext(pdf)
    for item in org_checklist().items:
        assert item.text in text
    assert text.count("nog in startfase") == len(PdfReader(pdf).pages)  # the heading repeats per page
    assert len(PdfReader(form(forms, PARTNER, "print")).pages) == 1


def test_rebuild_is_byte_identical(forms, tmp_path):
    assert invoke(ROOT, "build", ORG, PARTNER, "--out", str(tmp_path)).exit_code == 0
    for name in (ORG, PARTNER):
        for kind in ("invulbaar", "print"):
            assert form(tmp_path, name, kind).read_bytes() == form(forms, name, kind).read_bytes()


def test_build_without_arguments_builds_the_checklists(shipped_build):
    for name in (ORG, PARTNER):
        assert form(shipped_build, name).is_file() and form(shipped_build, name, "print").is_file()


def dark_pixels(pdf: Path, rect, tmp_path: Path, threshold: int = 90) -> int:
    """Pixels darker than `threshold` inside a widget's /Rect on page 1, rendered at 72 dpi."""
    need_tool("pdftoppm")
    prefix = tmp_path / pdf.stem
    subprocess.run(["pdftoppm", "-r", "72", "-gray", "-f", "1", "-l", "1", str(pdf), str(prefix)], check=True)
    data = next(tmp_path.glob(f"{pdf.stem}*.pgm")).read_bytes()
    header = data.split(b"\n", 3)
    width, height = map(int, header[1].split())
    pixels = header[3]
    x0, y0, x1, y1 = (float(v) for v in rect)
    return sum(1 for y in range(int(height - y1) + 1, int(height - y0)) for x in range(int(x0) + 1, int(x1))
               if pixels[y * width + x] < threshold)


@pytest.mark.parametrize("filler", ["pypdf", "pdftk"])
def test_a_chosen_button_shows_its_dot(forms, tmp_path, filler):
    src = form(forms)
    if filler == "pypdf":
        filled = fill_with_pypdf(src, tmp_path / "filled.pdf", {"ondersteunende_cultuur.1": "sterk"})
    else:
        filled = fill_with_pdftk(src, tmp_path / "filled.pdf", {"ondersteunende_cultuur.1": "sterk"})
    group = field_tree(PdfReader(src).trailer["/Root"])["ondersteunende_cultuur.1"]
    widgets = [kid.get_object() for kid in group["/Kids"]]
    chosen = next(w for w in widgets if "/sterk" in w["/AP"]["/N"])
    other = next(w for w in widgets if "/startfase" in w["/AP"]["/N"])
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert dark_pixels(src, chosen["/Rect"], tmp_path / "a") == 0
    assert dark_pixels(filled, chosen["/Rect"], tmp_path / "b") >= 6
    assert dark_pixels(filled, other["/Rect"], tmp_path / "b") == 0


# --- tally ----------------------------------------------------------------------------------

def five_copies(forms: Path, folder: Path) -> list[Path]:
    folder.mkdir(exist_ok=True)
    return [fill_with_pypdf(form(forms), folder / f"kopie-{i}.pdf", answers_of(i),
                            {"naam": f"Collega {i}", "school": "De Brug", "ondersteunende_cultuur.opmerking":
                             f"Opmerking van collega {i}" if i < 2 else ""})
            for i in range(5)]


def counts_line(field: str) -> str:
    answers = [answers_of(i)[field] for i in range(5)]
    counts = Counter(answers)
    mean = MEANS.get(field, "2,00") or "–"
    share = {k: round(100 * n / 5) for k, n in counts.items()}
    return (f"startfase {counts['startfase']} ({share.get('startfase', 0)}%) · gedeeltelijk {counts['gedeeltelijk']} "
            f"({share.get('gedeeltelijk', 0)}%) · sterk {counts['sterk']} ({share.get('sterk', 0)}%) · "
            f"niet ingevuld {counts[None]} · gemiddeld {mean}")


def test_tally_counts_five_copies_exactly(forms, tmp_path):
    copies = five_copies(forms, tmp_path / "kopieen")
    result = tally(tmp_path, tmp_path / "kopieen")
    assert result.exit_code == 0, result.output
    rows = read_csv(tmp_path / "tally" / "summary.csv")
    checklist = org_checklist()
    assert list(rows) == [item.field for item in checklist.items]
    assert list(next(iter(rows.values()))) == ["checklist", "veld", "item", *LEVELS, "niet ingevuld",
                                               "respondenten", "gemiddelde", *(f"% {v}" for v in LEVELS),
                                               "% niet ingevuld"]
    for item in checklist.items:
        counts = Counter(answers_of(i)[item.field] for i in range(len(copies)))
        row = rows[item.field]
        assert row["item"] == item.text
        assert [int(row[level]) for level in LEVELS] == [counts[level] for level in LEVELS], item.field
        assert int(row["niet ingevuld"]) == counts[None]
        assert int(row["respondenten"]) == 5
        assert row["gemiddelde"] == MEANS.get(item.field, "2,00"), item.field


def test_summary_pdf_names_every_item_with_its_counts(forms, tmp_path):
    five_copies(forms, tmp_path / "kopieen")
    assert tally(tmp_path, tmp_path / "kopieen").exit_code == 0
    text = pdftext(tmp_path / "tally" / "summary.pdf")
    assert "5 ingevulde exemplaren" in text
    for item in org_checklist().items:
        after = text[text.rindex(item.text) + len(item.text):]
        assert after[after.index("startfase"):].startswith(counts_line(item.field)), item.field
    strongest = text[text.index("Sterkst ontwikkeld"):text.index("Minst ontwikkeld")]
    weakest = text[text.index("Minst ontwikkeld"):text.index("Gesprekspunten")]
    talk = text[text.index("Gesprekspunten"):text.index("Gesprekspunten") + 200]
    assert "helpen en steunen elkaar, ook als het moeilijk wordt (gem. 3,00)" in strongest
    assert strongest.count("gem.") == 1
    assert "kwetsbaar op te stellen en zeggen waar ze mee worstelen (gem. 1,20)" in weakest
    assert "volgen opleidingen" not in weakest and "(gem. 1,67)" in weakest and weakest.count("gem.") == 2
    assert "Ondersteunende cultuur 1: Alle leraren voelen zich samen verantwoordelijk" in talk
    assert talk.count("gem.") == 1, "only the item with both extremes is a gesprekspunt"
    assert "Opmerking van collega 1" in text and "Collega 1" not in text, "comments are shown without names"


def fill_with_pdftk(src: Path, dest: Path, answers: dict, texts: dict | None = None) -> Path:
    need_tool("pdftk")
    from xml.sax.saxutils import escape
    fields = {**{f: v for f, v in answers.items() if v}, **(texts or {})}
    xfdf = dest.with_suffix(".xfdf")
    xfdf.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<xfdf xmlns="http://ns.adobe.com/xfdf/"><fields>'
                    + "".join(f'<field name="{escape(k)}"><value>{escape(v)}</value></field>'
                              for k, v in fields.items())
                    + "</fields></xfdf>", encoding="utf-8")
    subprocess.run(["pdftk", str(src), "fill_form", str(xfdf), "output", str(dest)], check=True, capture_output=True)
    return dest


def test_a_copy_filled_by_pdftk_is_tallied_the_same(forms, tmp_path):
    by_pypdf = fill_with_pypdf(form(forms), tmp_path / "pypdf.pdf", answers_of(0))
    texts = {"naam": "Anouk Ëlst", "ondersteunende_cultuur.opmerking": "Wij vinden dit ‘prima’ – echt"}
    by_pdftk = fill_with_pdftk(form(forms), tmp_path / "pdftk.pdf", answers_of(0), texts)
    assert tally(tmp_path / "a", by_pypdf).exit_code == 0
    result = tally(tmp_path / "b", by_pdftk)
    assert result.exit_code == 0, result.output
    a, b = read_csv(tmp_path / "a" / "tally" / "summary.csv"), read_csv(tmp_path / "b" / "tally" / "summary.csv")
    assert a == b
    assert rows_answer(b, "ondersteunende_cultuur.2") == "sterk"
    assert "Wij vinden dit ‘prima’ – echt" in pdftext(tmp_path / "b" / "tally" / "summary.pdf")


def rows_answer(rows: dict, field: str) -> str | None:
    """The one answer a single copy gave for `field`, read back from summary.csv."""
    chosen = [level for level in LEVELS if rows[field][level] == "1"]
    return chosen[0] if chosen else None


def test_a_pdfjs_style_incremental_copy_is_read(forms, tmp_path):
    """pdf.js appends an incremental update; here only /AS is set on the chosen widgets (no /V),
    one state name is written with a #xx escape, and a comment is a UTF-16 string with BOM."""
    src = form(forms)
    writer = PdfWriter(src, incremental=True)
    fields = field_tree(writer._root_object)
    answers = answers_of(1)
    for name, value in answers.items():
        for kid in fields[name]["/Kids"]:
            kid = kid.get_object()
            if value and f"/{value}" in kid["/AP"]["/N"]:
                kid[NameObject("/AS")] = NameObject(f"/{value}")
    fields["focus_op_ontwikkeling.opmerking"][NameObject("/V")] = TextStringObject("Wĳ zĳn blĳ — echt")
    writer.write(tmp_path / "pdfjs.pdf")
    data = (tmp_path / "pdfjs.pdf").read_bytes()
    original = src.read_bytes()
    assert data.startswith(original), "an incremental update keeps the original bytes in front"
    update = data[len(original):]
    assert b"\\376\\377" in update or b"<feff" in update.lower(), "the comment is stored as UTF-16 with BOM"
    assert b"/V /" not in update, "no radio group got a /V"
    # Write one state as an escaped name: same length, so the xref offsets stay right.
    assert b"/AS /sterk\n" in update
    data = original + update.replace(b"/AS /sterk\n", b"/AS/st#65rk", 1)
    (tmp_path / "pdfjs.pdf").write_bytes(data)
    need_tool("qpdf")  # 3 = warnings only (pypdf's incremental trailer has a generous /Size)
    assert subprocess.run(["qpdf", "--check", str(tmp_path / "pdfjs.pdf")], capture_output=True).returncode in (0, 3)

    result = tally(tmp_path, tmp_path / "pdfjs.pdf")
    assert result.exit_code == 0, result.output
    rows = read_csv(tmp_path / "tally" / "summary.csv")
    for name, value in answers.items():
        assert rows_answer(rows, name) == value, name
    copy = read_copy(tmp_path / "pdfjs.pdf", known_checklists(Project(ROOT)))
    assert copy.comments["focus_op_ontwikkeling"] == "Wĳ zĳn blĳ — echt"
    # The italic face of the comments has no 'ĳ': the summary spells it out instead of leaving a gap.
    assert "Wij zijn blij — echt" in pdftext(tmp_path / "tally" / "summary.pdf")


def foreign_form(path: Path) -> Path:
    from reportlab.pdfgen.canvas import Canvas
    canvas = Canvas(str(path), invariant=1)
    canvas.acroForm.radio(name="vraag1", value="ja", selected=True, x=100, y=700)
    canvas.acroForm.radio(name="vraag1", value="nee", x=130, y=700)
    canvas.acroForm.textfield(name="naam", x=100, y=650)
    canvas.drawString(100, 750, "Een ander formulier")
    canvas.showPage()
    canvas.save()
    return path


def test_bad_files_are_named_and_good_copies_still_counted(forms, tmp_path):
    good = five_copies(forms, tmp_path / "kopieen")[:3]
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "notities.txt").write_text("geen pdf\n", encoding="utf-8")
    (bad / "half.pdf").write_bytes(good[0].read_bytes()[: good[0].stat().st_size // 2])
    foreign_form(bad / "ander-formulier.pdf")
    old = PdfWriter(clone_from=good[1])
    old.add_metadata({"/KaartgenFormVersion": "2"})
    old.write(bad / "oude-versie.pdf")
    paths = [*good, *sorted(bad.iterdir())]
    result = tally(tmp_path, *paths)
    assert result.exit_code != 0
    errors = result.stderr
    assert "Traceback" not in result.output
    reasons = {"notities.txt": "not a PDF file", "half.pdf": "damaged PDF",
               "ander-formulier.pdf": "not a kaartgen checklist form", "oude-versie.pdf": "version 2"}
    for name, reason in reasons.items():
        line = next((line for line in errors.splitlines() if name in line), "")
        assert reason in line, (name, errors)
    assert not any(p.name in errors for p in good)
    rows = read_csv(tmp_path / "tally" / "summary.csv")
    assert all(row["respondenten"] == "3" for row in rows.values())


def test_mixed_checklists_get_a_section_each(forms, tmp_path):
    org = fill_with_pypdf(form(forms), tmp_path / "org.pdf", answers_of(0))
    partner = fill_with_pypdf(form(forms, PARTNER), tmp_path / "partner.pdf", {"in_ons_partnerschap.4": "sterk"})
    result = tally(tmp_path, org, partner)
    assert result.exit_code == 0, result.output
    rows = read_csv(tmp_path / "tally" / "summary.csv")
    assert rows["in_ons_partnerschap.4"]["checklist"] == PARTNER and rows["in_ons_partnerschap.4"]["sterk"] == "1"
    assert rows["in_ons_partnerschap.5"]["niet ingevuld"] == "1" and rows["in_ons_partnerschap.5"]["gemiddelde"] == ""
    assert rows["ondersteunende_cultuur.1"]["checklist"] == ORG
    text = pdftext(tmp_path / "tally" / "summary.pdf")
    assert "Checklist lerend partnerschap" in text and "Checklist lerende organisatie" in text


def test_nothing_to_tally_is_an_error(tmp_path):
    (tmp_path / "leeg.txt").write_text("x")
    result = tally(tmp_path, tmp_path / "leeg.txt")
    assert result.exit_code == 1
    assert "no filled-in checklist copies" in result.stderr
    assert not (tmp_path / "tally" / "summary.pdf").exists()


# --- bad checklist files ----------------------------------------------------------------------

def test_a_broken_checklist_names_file_line_and_key_and_keeps_old_pdfs(project, kaartgen):
    assert kaartgen(project, "build", PARTNER).exit_code == 0
    before = form(project / "output", PARTNER).read_bytes()
    path = project / "cards" / f"{PARTNER}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  title: Checklist", "  titel: Checklist")
                        .replace("{value: sterk,", "{value: Sterk.ontwikkeld,"), encoding="utf-8")
    result = kaartgen(project, "build", PARTNER)
    assert result.exit_code == 1
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "titel:" in text)
    assert f"cards/{PARTNER}.yaml:{line}:3: checklist.titel: unknown key 'titel'" in result.output
    assert "did you mean 'title'" in result.output
    assert "checklist.levels[2].value" in result.output
    assert "Traceback" not in result.output
    assert form(project / "output", PARTNER).read_bytes() == before


def test_duplicate_category_ids_are_refused(project, kaartgen):
    path = project / "cards" / f"{ORG}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: expertise_benutten", "id: focus_op_ontwikkeling"),
                    encoding="utf-8")
    result = kaartgen(project, "build", ORG)
    assert result.exit_code == 1
    assert "duplicate category id 'focus_op_ontwikkeling'" in result.output
    assert f"cards/{ORG}.yaml:" in result.output


# --- the same output options as the decks ----------------------------------------------------------

def content(path: Path) -> str:
    return "\n".join(page.get_contents().get_data().decode("latin-1") for page in PdfReader(path).pages)


def test_cmyk_and_guides_apply_to_the_print_sheet(tmp_path):
    result = invoke(ROOT, "build", ORG, "--cmyk", "--guides", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    printed = content(tmp_path / ORG / f"{ORG}-print.pdf")
    assert not re.search(r"^[\d. ]+ (rg|RG)$", printed, re.M), "--cmyk: no RGB colour on the print sheet"
    assert re.search(r"^[\d. ]+ k$", printed, re.M)
    assert printed.count("0 1 0 0 K") >= 2, "--guides: the magenta trim box on every page"
    fillable = content(tmp_path / ORG / f"{ORG}-invulbaar.pdf")
    assert re.search(r"^[\d. ]+ rg$", fillable, re.M), "the fillable form is for screens: it stays RGB"


def test_strict_turns_a_weak_heading_colour_into_an_error(project, kaartgen):
    layout = project / "layouts" / "checklist.yaml"
    layout.write_text(layout.read_text(encoding="utf-8").replace("  band: primary", '  band: "#8fa3bf"'),
                      encoding="utf-8")
    loose = kaartgen(project, "build", ORG, "--out", str(project / "out"))
    assert loose.exit_code == 0 and "contrast" in loose.stderr and "warning" in loose.stderr
    strict = kaartgen(project, "build", ORG, "--strict", "--out", str(project / "out2"))
    assert strict.exit_code != 0 and "contrast" in strict.stderr
    assert not (project / "out2" / ORG / f"{ORG}-print.pdf").exists()


def test_table_sizes_come_from_the_layout(project, kaartgen, tmp_path):
    layout = project / "layouts" / "checklist.yaml"
    layout.write_text(layout.read_text(encoding="utf-8").replace("level_w: 22mm", "level_w: 30mm"), encoding="utf-8")
    assert kaartgen(project, "build", ORG, "--out", str(tmp_path)).exit_code == 0
    widget = next(kid.get_object() for kid in field_tree(PdfReader(tmp_path / ORG / f"{ORG}-invulbaar.pdf")
                                                          .trailer["/Root"])["ondersteunende_cultuur.1"]["/Kids"])
    centre = (float(widget["/Rect"][0]) + float(widget["/Rect"][2])) / 2
    page_w, mm = 595.2756, 72 / 25.4
    assert abs(centre - (page_w - 15 * mm - 3 * 30 * mm + 15 * mm)) < 0.5, "first answer column, 30 mm wide"
    layout.write_text(re.sub(r"^  radio: .*\n", "", layout.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    result = kaartgen(project, "build", ORG, "--out", str(tmp_path))
    assert result.exit_code != 0 and "needs these sizes in table: radio" in result.stderr


def test_printed_comment_boxes_take_the_pages_spare_room():
    from kaartgen.forms.form import Row, _grow_comments

    rows = [Row("category", 20), Row("item", 30), Row("comment", 60), Row("category", 20), Row("comment", 60)]
    grown = _grow_comments(rows, room=300)
    assert sum(row.height for row in grown) == pytest.approx(300)
    assert [row.height for row in grown if row.kind == "comment"] == [pytest.approx(115)] * 2
    assert [row.height for row in grown if row.kind != "comment"] == [20, 30, 20]
    assert _grow_comments(rows, room=190) == rows  # a full page keeps its rows as they are


def test_printed_comment_box_has_a_writing_line_per_pitch(forms):
    """The print version's comment boxes are ruled all the way down, not two lines and white below."""
    rules = Counter()
    for page in PdfReader(form(forms, kind="print")).pages:
        stream = page.get_contents().get_data().decode("latin-1")
        # every full-width writing line: "x0 y m x1 y l S" with the table's width
        for x0, y, x1 in re.findall(r"([\d.]+) ([\d.]+) m ([\d.]+) \2 l S", stream):
            rules[round(float(x1) - float(x0))] += 1
    width, count = rules.most_common(1)[0]
    assert width == round(180 * 72 / 25.4)  # A4 minus 2 × 15 mm margin
    assert count >= 25  # 2 per comment box before: the spare room is now ruled for writing
