"""Cards from a spreadsheet (XLSX or CSV), and cards written back to one.

Takes a spreadsheet with one row per card and one column per field (a header row first) and
gives a `SheetDoc`: the same `Doc` a YAML deck gives ({"cards": [...]} with a position for
every value), so cards from a spreadsheet are checked exactly like cards from YAML. A list
field is written in numbered columns (`questions.1`, `questions.2`, …) or as lines in one cell.
Positions name the cell: `cards/vragen.xlsx:Gesprekskaarten!C7`, or `cards/vragen.csv:7:3`.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from kaartgen import messages as msg
from kaartgen.errors import KaartgenError, Problem
from kaartgen.model import Card, FieldSpec
from kaartgen.yamlio import Doc, display_name

SUFFIXES = (".xlsx", ".csv")
NUMBERED = re.compile(r"^(.+)\.(\d+)$")


class SheetDoc(Doc):
    """A Doc whose positions are cells; in an XLSX file they read `file:Sheet!C7`."""

    sheet: str | None = None

    def position(self, path: tuple) -> tuple[str, int | None, int | None]:
        row, column = self.where(path)
        if self.sheet is None or row is None:
            return self.file, row, column
        return f"{self.file}:{self.sheet}!{column_letter(column)}{row}", None, None


def column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def load_cards(path: Path, sheet: str | None, fields: dict[str, FieldSpec], referrer: Problem) -> SheetDoc:
    """The cards in a spreadsheet as a Doc; `fields` (all templates' fields) say which are lists."""
    name = display_name(path)
    if path.suffix.lower() not in SUFFIXES or not path.is_file():
        said = (msg.SPREADSHEET_NOT_FOUND if path.suffix.lower() in SUFFIXES else msg.SPREADSHEET_KIND)(name=name)
        raise KaartgenError(Problem(referrer.file, referrer.line, referrer.column, referrer.path, said))
    if path.suffix.lower() == ".csv":
        header, rows = _csv_rows(path)
        doc = SheetDoc(name, None)
    else:
        sheet, header, rows = _xlsx_rows(path, sheet, referrer)
        doc = SheetDoc(name, None)
        doc.sheet = sheet
    doc.data = {"cards": [_card(doc, i, header, number, values, fields) for i, (number, values) in enumerate(rows)]}
    doc.marks[("cards",)] = (1, 1)
    return doc


def _csv_rows(path: Path) -> tuple[list[str], list[tuple[int, list]]]:
    text = path.read_text(encoding="utf-8-sig")  # Excel writes a BOM
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
    table = list(csv.reader(io.StringIO(text), dialect))
    return (table[0] if table else []), [(n, row) for n, row in enumerate(table[1:], start=2) if any(row)]


def _xlsx_rows(path: Path, sheet: str | None, referrer: Problem):
    from openpyxl import load_workbook
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise KaartgenError(Problem(display_name(path), None, None, "",
                                    msg.SPREADSHEET_UNREADABLE(kind=exc.__class__.__name__)))
    name = sheet or book.sheetnames[0]
    if name not in book.sheetnames:
        raise KaartgenError(Problem(referrer.file, referrer.line, referrer.column, referrer.path,
                                    msg.NO_SHEET(name=name, file=display_name(path), choices=list(book.sheetnames))))
    table = [list(row) for row in book[name].iter_rows(values_only=True)]
    book.close()
    header = ["" if v is None else str(v).strip() for v in (table[0] if table else [])]
    return name, header, [(n, row) for n, row in enumerate(table[1:], start=2) if any(v not in (None, "") for v in row)]


def _card(doc: SheetDoc, index: int, header: list[str], row_number: int, values: list, fields: dict) -> dict:
    card: dict = {}
    numbered: dict[str, list] = {}
    for column, (key, value) in enumerate(zip(header, values), start=1):
        value = _cell(value)
        if not key or value is None:
            continue
        match = NUMBERED.match(key)
        if match and _is_list(fields.get(match.group(1))):
            numbered.setdefault(match.group(1), []).append((int(match.group(2)), value, column))
            continue
        if _is_list(fields.get(key)) or key == "sectors":
            value = [line.strip() for line in re.split(r"[\n;]" if key == "sectors" else r"\n", str(value))
                     if line.strip()]
        elif fields.get(key) is not None and fields[key].type == "int" and re.fullmatch(r"-?\d+", str(value)):
            value = int(value)
        card[key] = value
        doc.marks[("cards", index, key)] = (row_number, column)
    for key, items in numbered.items():
        items.sort()
        card[key] = [value for _, value, _ in items]
        doc.marks[("cards", index, key)] = (row_number, items[0][2])
        for k, (_, _, column) in enumerate(items):
            doc.marks[("cards", index, key, k)] = (row_number, column)
    doc.marks[("cards", index)] = (row_number, 1)
    return card


def _cell(value):
    """A cell's value as YAML would give it: text, a whole number, or nothing for an empty cell."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        value = value.replace("\r\n", "\n")
        return value if value.strip() else None
    return value


def _is_list(spec: FieldSpec | None) -> bool:
    return spec is not None and spec.type == "list"


def write_xlsx(cards: list[Card], header: list[str], path: Path, sheet: str) -> None:
    """The cards as a spreadsheet `load_cards` reads back, in these `columns`."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    table = book.active
    table.title = sheet[:31]  # Excel's limit for a sheet name
    table.append(header)
    for card in cards:
        table.append([_export_value(card, key) for key in header])
    for cell in table[1]:
        cell.font = Font(bold=True)
    for row in table.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    table.freeze_panes = "B2"
    book.save(path)


def columns(cards: list[Card], fields: dict[str, FieldSpec], source: str) -> list[str]:
    """Column names for these cards: id, template, then each field (a list in numbered columns)."""
    header = ["id"] + (["template"] if any(c.template != "card" for c in cards) else [])
    for name, spec in fields.items():
        if spec.type == "items":
            raise KaartgenError(Problem(source, None, None, "", msg.ITEMS_IN_SPREADSHEET(name=name)))
        if spec.type == "list":
            longest = max((len(c.fields.get(name) or []) for c in cards), default=0)
            header += [f"{name}.{n}" for n in range(1, max(longest, 1) + 1)]
        else:
            header.append(name)
    return header


def _export_value(card: Card, key: str):
    if key == "id":
        return card.id
    if key == "template":
        return card.template
    match = NUMBERED.match(key)
    if match and isinstance(card.fields.get(match.group(1)), list):
        items = card.fields[match.group(1)]
        n = int(match.group(2))
        return items[n - 1] if n <= len(items) else None
    value = card.fields.get(key)
    return None if value is None else value
