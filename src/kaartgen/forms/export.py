"""The tally as tables: summary.csv and antwoorden.csv for Dutch Excel, and summary.xlsx with
the same two sheets for those who open files by double-click.

CSV the way a Dutch spreadsheet expects: UTF-8 with a byte-order mark, ';' between fields
and a decimal comma ("2,40"), so it opens in columns. In the XLSX, counts, percentages and
means are numbers.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from kaartgen.forms.checklist import PERSON_FIELDS
from kaartgen.forms.counting import BLANK, Tally


def summary_rows(tallies: list[Tally]) -> list[list]:
    levels = list(dict.fromkeys(level.value for t in tallies for level in t.checklist.levels))
    header = ["checklist", "veld", "item", *levels, BLANK, "respondenten", "gemiddelde",
              *(f"% {v}" for v in levels), f"% {BLANK}"]
    rows = [header]
    for tally in tallies:
        if tally.group:
            continue  # the sections per group are in the PDF; the table holds the overall counts
        for result in tally.items:
            by_level = dict(zip((lv.value for lv in tally.checklist.levels), result.counts))
            shares = [result.share(by_level[v]) if v in by_level else "" for v in levels]
            rows.append([tally.checklist.id, result.item.field, result.item.text,
                         *(by_level.get(v, "") for v in levels), result.blank, result.respondents,
                         "" if result.mean is None else result.mean, *shares, result.share(result.blank)])
    return rows


def answer_rows(tallies: list[Tally]) -> list[list]:
    """One row per counted copy: file, the person fields, every item's answer, the comments."""
    overall = [t for t in tallies if not t.group]
    items = list(dict.fromkeys(item.field for t in overall for item in t.checklist.items))
    comments = list(dict.fromkeys(c.comment_field for t in overall for c in t.checklist.categories))
    rows = [["checklist", "bestand", *(name for name, _ in PERSON_FIELDS), *items, *comments]]
    for tally in overall:
        for copy in tally.copies:
            answers = {field: copy.answers.get(field) or "" for field in items}
            texts = {c.comment_field: copy.comments.get(c.id, "") for c in tally.checklist.categories}
            rows.append([tally.checklist.id, copy.path.name, *(copy.person.get(name, "") for name, _ in PERSON_FIELDS),
                         *(answers[f] for f in items),
                         *(texts.get(f, "") for f in comments)])
    return rows


def write_csv(rows: list[list], path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerows([[_dutch(value) for value in row] for row in rows])


def _dutch(value) -> str:
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "@") else text  # typed text, not a formula for Excel


def write_xlsx(sheets: dict[str, list[list]], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
            for cell in sheet[sheet.max_row]:
                if cell.data_type == "f":  # typed text that starts with '=' is text, not a formula
                    cell.data_type = "s"
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for column in sheet.columns:
            widest = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(8, widest + 2))
            for c in column[1:]:
                c.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
    book.properties.creator = "kaartgen"
    book.save(path)

