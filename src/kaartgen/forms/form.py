"""A checklist as two PDFs: `<name>-invulbaar.pdf` (a fillable form) and `<name>-print.pdf`.

Each item is one row of a table: the item text left, one column per level. The fillable PDF
has a radio group per item named `<category id>.<n>` whose export values are the level
values; the print PDF draws empty circles instead. Sizes come from the layout's `table:`
map, colours and styles from the layout, the page furniture from its templates.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path

from kaartgen import text as textmod
from kaartgen.build import Options, Result
from kaartgen.cmyk import load_converter
from kaartgen import messages as msg
from kaartgen.errors import KaartgenError
from kaartgen.forms.checklist import PERSON_FIELDS, PERSON_TOOLTIPS, Category, Checklist, Item, Level, load_checklist
from kaartgen.forms.pdfform import FormWriter
from kaartgen.forms.sheet import Sheet, paginate
from kaartgen.output import output_folder, write_atomically


@dataclass
class Row:
    kind: str  # head | category | item | comment
    height: float
    category: Category | None = None
    item: Item | None = None
    text: textmod.Fitted | None = None


@dataclass
class Table:
    """Where the columns of a checklist's table are, on a sheet."""

    sheet: Sheet
    checklist: Checklist

    @property
    def level_w(self) -> float:
        return self.sheet.size("level_w")

    @property
    def item_w(self) -> float:
        return self.sheet.width - len(self.checklist.levels) * self.level_w

    def centres(self) -> list[float]:
        x = self.sheet.left + self.item_w
        return [x + (i + 0.5) * self.level_w for i in range(len(self.checklist.levels))]


def open_checklist(path: Path, project, options: Options) -> tuple[Checklist, Sheet]:
    """The checklist and its sheet, checked: file, layout (table sizes included) and glyphs."""
    checklist = load_checklist(path)
    referrer = checklist.doc.problem(("checklist", "layout"), "") if "layout" in checklist.meta else None
    sheet = Sheet.open(checklist.layout, project.root, checklist.name, referrer,
                       guides=options.guides, strict=options.strict)
    _check_glyphs(checklist, sheet)
    return checklist, sheet


def check_checklist(path: Path, project, options: Options) -> tuple[Checklist, list]:
    """Everything `build_checklist` checks, without writing: the checklist and the warnings."""
    checklist, sheet = open_checklist(path, project, options)
    _pages(Table(sheet, checklist))
    sheet.readable_on("level_head", "band")
    return checklist, sheet.warnings


def build_checklist(path: Path, project, options: Options) -> Result:
    """Write <out>/<name>/<name>-invulbaar.pdf and <name>-print.pdf; old files stay on failure.
    --cmyk applies to the print version (the fillable one is for screens), --guides and
    --strict to both."""
    started = time.perf_counter()
    checklist, sheet = open_checklist(path, project, options)
    folder = output_folder(options.out, checklist.name)
    targets = [folder / f"{checklist.name}-invulbaar.pdf", folder / f"{checklist.name}-print.pdf"]
    pages = 0

    def write(temps):
        nonlocal pages
        pages = render(checklist, sheet, temps[0], fillable=True)
        sheet.converter = load_converter(options.icc) if options.cmyk else None
        pages += render(checklist, sheet, temps[1], fillable=False)

    write_atomically(targets, write)
    return Result(checklist.name, targets, pages, time.perf_counter() - started,
                  list({str(w): w for w in sheet.warnings}.values()))


def _check_glyphs(checklist: Checklist, sheet: Sheet) -> None:
    texts = [(("checklist", "title"), checklist.title, "sheet_title"),
             (("checklist", "intro"), checklist.intro, "intro")]
    texts += [(("checklist", "levels", i, "label"), lv.label, "level_head") for i, lv in enumerate(checklist.levels)]
    texts += [(("categories", i, "title"), c.title, "category") for i, c in enumerate(checklist.categories)]
    texts += [(item.path, item.text, "item") for item in checklist.items]
    problems = []
    for path, text, style in texts:
        missing = sheet.missing_glyphs(text, style)
        if missing:
            chars = [f"'{c}' (U+{ord(c):04X})" for c in missing]
            problems.append(checklist.doc.problem(path, msg.STYLE_NO_GLYPH(style=style, chars=chars)))
    if problems:
        raise KaartgenError(problems)


def render(checklist: Checklist, sheet: Sheet, path: Path, fillable: bool) -> int:
    """Draw the whole sheet; returns the number of pages."""
    table = Table(sheet, checklist)
    pages = _pages(table)
    if not fillable:  # on paper, the room a page has left is writing space, not white
        pages = [_grow_comments(rows, room) for rows, room in zip(pages, _rooms(table, len(pages)))]
    title = f"{checklist.title} – {'invulformulier' if fillable else 'om te printen'}"
    canvas = sheet.canvas(path, title, checklist.intro or checklist.title, checklist.meta.get("author", "kaartgen"))
    form = FormWriter(canvas, sheet.family, sheet.size("field_text")) if fillable else None
    if form:
        form.mark(checklist.id, checklist.version)
    values = {"title": checklist.title, "intro": checklist.intro, "mode": "invulbaar" if fillable else "print",
              "form": checklist.id, "version": checklist.version, "pages": len(pages)}
    head_color = sheet.readable_on("level_head", "band")
    for number, page_rows in enumerate(pages, start=1):
        template = "first_page" if number == 1 else "next_page"
        sheet.draw_template(canvas, template, {**values, "page": number})
        y, _ = sheet.area(template)
        if number == 1:
            y = _draw_person_fields(canvas, sheet, form, y)
        for row in [Row("head", sheet.size("head_row"))] + page_rows:
            _draw_row(canvas, table, form, row, y, head_color)
            y -= row.height
        sheet.finish_page(canvas)
    canvas.save()
    return len(pages)


def _pages(table: Table) -> list[list[Row]]:
    rows = [row for category in table.checklist.categories for row in _category_rows(category, table)]
    first_room, next_room = _rooms(table, 2)
    return paginate(rows, first_room, next_room)


def _rooms(table: Table, pages: int) -> list[float]:
    """The height each page has for table rows: the first page also holds the person fields."""
    sheet = table.sheet
    first_top, bottom = sheet.area("first_page")
    next_top, next_bottom = sheet.area("next_page")
    head, person = sheet.size("head_row"), 2 * sheet.size("person_row") + sheet.size("person_gap")
    return [first_top - bottom - person - head] + [next_top - next_bottom - head] * (pages - 1)


def _grow_comments(rows: list[Row], room: float) -> list[Row]:
    """The page's spare height shared out over its comment rows."""
    comments = [row for row in rows if row.kind == "comment"]
    spare = room - sum(row.height for row in rows)
    if not comments or spare <= 0:
        return rows
    extra = spare / len(comments)
    return [replace(row, height=row.height + extra) if row.kind == "comment" else row for row in rows]


def _category_rows(category: Category, table: Table) -> list[Row]:
    sheet = table.sheet
    rows = [Row("category", sheet.size("category_row"), category=category)]
    for item in category.items:
        fitted = sheet.para(item.text, "item", table.item_w - sheet.size("number_w") - sheet.size("gap"))
        height = max(sheet.size("min_row"), fitted.height + 2 * sheet.size("pad"))
        rows.append(Row("item", height, category=category, item=item, text=fitted))
    rows.append(Row("comment", sheet.size("comment_row"), category=category))
    return rows


def _draw_person_fields(canvas, sheet: Sheet, form: FormWriter | None, top: float) -> float:
    """Naam, school, rol, datum in two columns; returns the y below them."""
    gap, row_h, label_w = sheet.size("person_gap"), sheet.size("person_row"), sheet.size("person_label_w")
    col_w = (sheet.width - gap) / 2
    inset = sheet.size("field_inset")
    for i, (name, label) in enumerate(PERSON_FIELDS):
        x = sheet.left + (i % 2) * (col_w + gap)
        y = top - (i // 2 + 1) * row_h
        text = sheet.para(label, "label", label_w)
        sheet.draw_para(canvas, text, x, y + (row_h + text.height) / 2)
        box_x, box_w = x + label_w, col_w - label_w
        if form:
            form.textfield(name, PERSON_TOOLTIPS[name], box_x, y + inset, box_w, row_h - 2 * inset,
                           **_field_style(sheet))
        else:
            sheet.rule(canvas, "field_border", box_x, y + inset, box_x + box_w, y + inset, 0.6)
    return top - 2 * row_h - gap


def _field_style(sheet: Sheet) -> dict:
    return dict(fill=sheet.rl_color("field_fill"), border=sheet.rl_color("field_border"),
                text_color=sheet.rl_color("ink"), border_width=0.6)


def _draw_row(canvas, table: Table, form, row: Row, top: float, head_color: str | None) -> None:
    sheet = table.sheet
    x0, w, item_w = sheet.left, sheet.width, table.item_w
    bottom = top - row.height
    if row.kind == "head":
        sheet.fill(canvas, "band", x0 + item_w, bottom, w - item_w, row.height)
        for level, cx in zip(table.checklist.levels, table.centres()):
            fitted = sheet.para(level.label, "level_head", table.level_w - sheet.size("gap"), color=head_color)
            sheet.draw_para(canvas, fitted, cx - table.level_w / 2 + sheet.size("gap") / 2,
                            top - (row.height - fitted.height) / 2)
    elif row.kind == "category":
        sheet.fill(canvas, "category_fill", x0, bottom, w, row.height)
        fitted = sheet.para(row.category.title, "category", item_w)
        sheet.draw_para(canvas, fitted, x0 + sheet.size("gap"), top - (row.height - fitted.height) / 2)
    elif row.kind == "item":
        _draw_item(canvas, table, form, row, top)
    elif row.kind == "comment":
        _draw_comment(canvas, sheet, form, row, top)


def _draw_item(canvas, table: Table, form, row: Row, top: float) -> None:
    sheet = table.sheet
    x0, bottom = sheet.left, top - row.height
    if row.item.number % 2 == 0:
        sheet.fill(canvas, "stripe", x0, bottom, sheet.width, row.height)
    text_top = top - (row.height - row.text.height) / 2
    number_w, gap = sheet.size("number_w"), sheet.size("gap")
    sheet.draw_para(canvas, sheet.para(str(row.item.number), "number", number_w), x0 + gap, text_top)
    sheet.draw_para(canvas, row.text, x0 + number_w + gap, text_top)
    cy = bottom + row.height / 2
    for level, cx in zip(table.checklist.levels, table.centres()):
        _choice(canvas, sheet, form, row.item, level, cx, cy)
    sheet.rule(canvas, "rule", x0, bottom, x0 + sheet.width, bottom)


def _draw_comment(canvas, sheet: Sheet, form, row: Row, top: float) -> None:
    x0, w, gap = sheet.left, sheet.width, sheet.size("gap")
    bottom = top - row.height
    label = sheet.para(f"Opmerkingen bij ‘{row.category.title}’", "label", w)
    sheet.draw_para(canvas, label, x0, top - gap)
    box_top = top - gap - label.height - gap / 2
    box_h = box_top - bottom - 1.5 * gap
    if form:
        form.textfield(row.category.comment_field, f"Opmerkingen bij {row.category.title}", x0,
                       box_top - box_h, w, box_h, multiline=True, **_field_style(sheet))
    else:
        pitch = sheet.size("write_line")
        for line in range(1, max(1, int(box_h // pitch)) + 1):
            sheet.rule(canvas, "field_border", x0, box_top - line * pitch, x0 + w, box_top - line * pitch, 0.5)


def _choice(canvas, sheet: Sheet, form, item: Item, level: Level, cx: float, cy: float) -> None:
    radio = sheet.size("radio")
    if form:
        form.radio(item.field, item.text, level.value, cx - radio / 2, cy - radio / 2, radio,
                   fillColor=sheet.rl_color("paper"), borderColor=sheet.rl_color("field_border"),
                   textColor=sheet.rl_color("mark"), borderWidth=0.8)
    else:
        sheet.circle(canvas, "field_border", cx, cy, radio / 2 - 0.4, 0.8)
