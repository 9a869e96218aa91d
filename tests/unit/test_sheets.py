"""Cards from spreadsheets: CSV and XLSX rows become cards, checked like YAML cards, with
problems located at the cell; `kaartgen export-cards` writes a workbook that reads back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from kaartgen.decks import load_decks
from kaartgen.errors import KaartgenError

DECK = "deck: {title: Mini, layout: interventiekaart}\ncards: {from: %s}\n"
HEADER = ["id", "step", "step_name", "suit", "text", "source"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "layouts", tmp_path / "layouts")
    (tmp_path / "cards").mkdir()
    return tmp_path


def xlsx(path: Path, rows: list[list], sheet: str = "Kaarten") -> None:
    from openpyxl import Workbook
    book = Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    book.save(path)


def deck(folder: Path, source: str):
    (folder / "cards" / "mini.yaml").write_text(DECK % source, encoding="utf-8")
    return load_decks(folder / "cards" / "mini.yaml", folder / "layouts")


def problems(folder: Path, source: str) -> list[str]:
    with pytest.raises(KaartgenError) as caught:
        deck(folder, source)
    return [str(p) for p in caught.value.problems]


def test_csv_rows_are_cards(folder):
    (folder / "cards" / "mini.csv").write_text(
        "id;step;step_name;suit;text;source\ns1;1;Breng in beeld;school;Praat met elkaar.;Bron\n"
        "s2;2;Deel kennis;partnerschap;\"Eerste regel\nTweede regel\";Bron\n", encoding="utf-8-sig")
    [mini] = deck(folder, "mini.csv")
    assert [c.id for c in mini.cards] == ["s1", "s2"]
    assert mini.cards[1].fields["text"] == "Eerste regel\nTweede regel"
    assert mini.cards[0].fields["step"] == "1" or mini.cards[0].fields["step"] == 1


def test_a_csv_cell_error_names_row_and_column(folder):
    (folder / "cards" / "mini.csv").write_text(",".join(HEADER) + "\ns1,1,Naam,school,Tekst,Bron\n"
                                               "s2,1,Naam,scool,Tekst,Bron\n", encoding="utf-8")
    [message] = problems(folder, "mini.csv")
    assert "mini.csv:3:4: cards[s2].suit: 'scool' is not one of school, partnerschap" in message


def test_an_xlsx_cell_error_names_sheet_and_cell(folder):
    xlsx(folder / "cards" / "mini.xlsx", [HEADER, ["s1", 1, "Naam", "school", "Tekst", "Bron"],
                                         ["s2", 9, "Naam", "school", "Tekst", "Bron"]])
    [message] = problems(folder, "mini.xlsx, sheet: Kaarten")
    assert "mini.xlsx:Kaarten!B3: cards[s2].step: 9 is not one of 1, 2, 3, 4, 5, 6" in message


def test_an_unknown_sheet_lists_the_sheets(folder):
    xlsx(folder / "cards" / "mini.xlsx", [HEADER])
    [message] = problems(folder, "mini.xlsx, sheet: Vragen")
    assert "mini.yaml:2:" in message and "no sheet 'Vragen' in" in message and "sheets: Kaarten" in message


def test_list_fields_from_numbered_columns_or_lines_in_a_cell(folder):
    (folder / "layouts" / "lijst.yaml").write_text(
        "extends: base\nsize: {width: 90mm, height: 130mm}\ntemplates:\n  card:\n"
        "    fields: {questions: {type: list, max_items: 3}, tips: {type: list}}\n"
        "    front:\n      q: {type: text, x: 6mm, y: 6mm, width: 78mm, height: 100mm, content: \"{questions}\\n{tips}\"}\n",
        encoding="utf-8")
    xlsx(folder / "cards" / "lijst.xlsx", [["id", "questions.2", "questions.1", "tips"],
                                          ["een", "Tweede?", "Eerste?", "tip a\ntip b"],
                                          ["twee", None, "Alleen?", None]])
    (folder / "cards" / "lijst.yaml").write_text("deck: {title: Lijst, layout: lijst}\ncards: {from: lijst.xlsx}\n",
                                                 encoding="utf-8")
    [lijst] = load_decks(folder / "cards" / "lijst.yaml", folder / "layouts")
    assert lijst.cards[0].fields == {"questions": ["Eerste?", "Tweede?"], "tips": ["tip a", "tip b"]}
    assert lijst.cards[1].fields == {"questions": ["Alleen?"]}


def test_export_cards_writes_a_workbook_that_reads_back_the_same(project, kaartgen):
    out = project / "cards" / "interventiekaarten.xlsx"
    result = kaartgen(project, "export-cards", "interventiekaarten", "--xlsx", "--out", str(out))
    assert result.exit_code == 0, result.output
    [before] = load_decks(project / "cards" / "interventiekaarten.yaml", project / "layouts")
    source = project / "cards" / "interventiekaarten.yaml"
    text = source.read_text(encoding="utf-8")
    if "from:" not in text:  # a YAML deck: point it at the workbook
        head = text.split("\ncards:", 1)[0]
        source.write_text(head + "\ncards: {from: interventiekaarten.xlsx}\n", encoding="utf-8")
    [after] = load_decks(source, project / "layouts")
    assert [(c.id, c.template, c.fields) for c in after.cards] == [(c.id, c.template, c.fields) for c in before.cards]
