"""summary.pdf: the tally of filled-in checklists.

Per checklist a page "Wie deden mee" (copies counted, per role and per school/opleiding, the
date range), then a section with a legend, the strongest and weakest items, the
gesprekspunten, and per item its text, counts with percentages and a horizontal bar stacked
from the lowest level to the highest plus 'niet ingevuld', and per category the comments.
With --per, one more such section per role or school. The last page lists every file that
was not counted, or was counted with a remark ("let op: …"). Same layout (colours, styles,
page templates, table sizes) as the checklist sheets.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from kaartgen.forms.counting import BLANK, DIVERGENT_SHARE, ItemResult, Note, Tally, copies_text, plural
from kaartgen.forms.sheet import Sheet, best_text_color, paginate

MAX_COMMENT = 1200  # characters; a longer comment is cut, so it always fits a page
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december")


@dataclass
class Block:
    kind: str  # category | item | other; `paginate` keeps a category with the block after it
    height: float
    draw: Callable  # draw(canvas, top)


@dataclass
class Section:
    values: dict  # for the page templates: title, group, respondents, version
    blocks: list[Block]


def write_pdf(tallies: list[Tally], notes: list[Note], path: Path, sheet: Sheet) -> None:
    sections = []
    for tally in tallies:
        values = {"title": tally.checklist.title, "group": tally.group, "version": tally.checklist.version,
                  "respondents": copies_text(tally.respondents)}
        if not tally.group:
            sections.append(Section(values, who_took_part(tally, notes, sheet)))
        sections.append(Section(values, _blocks(tally, sheet)))
    if notes:
        sections.append(Section({"title": "Niet of met een opmerking meegeteld", "group": "",
                                 "version": tallies[0].checklist.version,
                                 "respondents": plural(len(notes), "bestand", "bestanden")},
                                _note_blocks(notes, sheet)))
    first_top, first_bottom = sheet.area("summary_page")
    next_top, next_bottom = sheet.area("summary_next")
    paged = [(s, paginate(s.blocks, first_top - first_bottom, next_top - next_bottom)) for s in sections]
    total = sum(len(pages) for _, pages in paged)
    titles = ", ".join(dict.fromkeys(t.checklist.title for t in tallies))
    canvas = sheet.canvas(path, f"Samenvatting – {titles}", "Samenvatting van ingevulde checklists", "kaartgen")
    number = 0
    for section, pages in paged:
        for index, blocks in enumerate(pages):
            number += 1
            template = "summary_page" if index == 0 else "summary_next"
            sheet.draw_template(canvas, template, {**section.values, "page": number, "pages": total})
            top, _ = sheet.area(template)
            for block in blocks:
                block.draw(canvas, top)
                top -= block.height
            sheet.finish_page(canvas)
    canvas.save()


# --- who took part ------------------------------------------------------------------------

def who_took_part(tally: Tally, notes: list[Note], sheet: Sheet) -> list[Block]:
    lines = [f"**{copies_text(tally.respondents)}** meegeteld.", _date_line(tally)]
    skipped = len({n.path for n in notes if not n.counted})
    if skipped:
        lines.append(f"{plural(skipped, 'bestand', 'bestanden')} niet meegeteld: zie de laatste pagina.")
    blocks = [_heading("Wie deden mee", sheet), _text("\n".join(lines), "intro", sheet)]
    for field_name, title in (("rol", "Per rol"), ("school", "Per school of opleiding")):
        blocks.append(_heading(title, sheet, "category"))
        blocks += [_share_row(label, n, tally.respondents, sheet) for label, n in tally.people(field_name)]
    return blocks


def _date_line(tally: Tally) -> str:
    dates, unreadable = tally.dates(), tally.unreadable_dates()
    if dates is None:
        return "Datum: niet (leesbaar) ingevuld."
    first, last = (f"{d.day} {MONTHS[d.month - 1]} {d.year}" for d in dates)
    line = f"Ingevuld op {first}." if first == last else f"Ingevuld tussen {first} en {last}."
    if unreadable:  # the range leaves these out: say so here, not only on the last page
        copies = plural(unreadable, "exemplaar", "exemplaren")
        line += f" Van {copies} is de datum niet te lezen: zie de laatste pagina."
    return line


def _share_row(label: str, n: int, total: int, sheet: Sheet) -> Block:
    gap, bar_h = sheet.size("gap"), sheet.size("bar_h")
    bar_x = sheet.left + sheet.width - sheet.size("bar_w")
    name = sheet.para(label, "item", bar_x - sheet.left - 25 * gap, user_text=True)
    share = sheet.para(f"{n} ({round(100 * n / total)}%)", "counts", 20 * gap, align="right")
    height = max(name.height, bar_h) + 2 * gap

    def draw(canvas, top):
        sheet.draw_para(canvas, name, sheet.left + gap, top - (height - name.height) / 2)
        sheet.draw_para(canvas, share, bar_x - 21 * gap, top - (height - share.height) / 2)
        bar_y = top - height / 2 - bar_h / 2
        sheet.fill(canvas, "level2", bar_x, bar_y, sheet.size("bar_w") * n / total, bar_h)
        sheet.rule(canvas, "rule", sheet.left, top - height, sheet.left + sheet.width, top - height)
    return Block("item", height, draw)


# --- per item -------------------------------------------------------------------------------

def _blocks(tally: Tally, sheet: Sheet) -> list[Block]:
    blocks = [_legend(tally, sheet), _highlights(tally, sheet)]
    for category in tally.checklist.categories:
        blocks.append(_heading(category.title, sheet, "category"))
        blocks += [_item(result, tally, sheet) for result in tally.items if result.item in category.items]
        if tally.comments.get(category.id):
            blocks += _comments(category.title, tally.comments[category.id], sheet)
    return blocks


def _legend(tally: Tally, sheet: Sheet) -> Block:
    levels = tally.checklist.levels
    lowest, highest = levels[0].label, levels[-1].label
    rule = sheet.para(f"**gesprekspunt**: minstens {DIVERGENT_SHARE:.0%} van wie de uitspraak invulde koos "
                      f"‘{lowest}’ én minstens {DIVERGENT_SHARE:.0%} koos ‘{highest}’: de antwoorden lopen ver "
                      f"uiteen. Gemiddelde: {lowest} = 1 … {highest} = {len(levels)}, lege antwoorden tellen "
                      f"niet mee. Percentages: van alle meegetelde exemplaren.", "counts", sheet.width)
    swatches = [(f"level{i}", level.label) for i, level in enumerate(levels, start=1)] + [("level_none", BLANK)]
    size, gap = sheet.size("swatch"), sheet.size("gap")

    def draw(canvas, top):
        x = sheet.left
        for color, label in swatches:
            _segment(canvas, sheet, color, x, top - size, size, size)
            text = sheet.para(label, "counts", 40 * gap, color="ink")
            sheet.draw_para(canvas, text, x + size + gap / 2, top - 0.3 * gap)
            x += size + gap + sheet.text_width(label, "counts") + 3 * gap
        sheet.draw_para(canvas, rule, sheet.left, top - size - 1.5 * gap)
    return Block("other", size + 1.5 * gap + rule.height + 2 * gap, draw)


def _highlights(tally: Tally, sheet: Sheet) -> Block:
    strongest, weakest = tally.ranked()
    talk = [r for r in tally.items if r.gesprekspunt]
    pad = sheet.size("gap")
    parts = []
    for heading, results in (("Sterkst ontwikkeld", strongest), ("Minst ontwikkeld", weakest),
                             ("Gesprekspunten", talk)):
        if results:
            lines = "\n".join(f"{_label(r, tally)} {r.item.text} (gem. {_mean(r)})" for r in results)
            parts.append(sheet.para(f"**{heading}**\n{lines}", "intro", sheet.width - 2 * pad))
    if not parts:
        scored = [r for r in tally.items if r.mean is not None]
        message = ("Nog geen verschillen: alle uitspraken scoren gelijk." if len(scored) > 1
                   else "Te weinig antwoorden om uitspraken te vergelijken.")
        parts.append(sheet.para(message, "intro", sheet.width - 2 * pad))
    height = sum(p.height for p in parts) + (len(parts) - 1) * pad + 2 * pad

    def draw(canvas, top):
        sheet.fill(canvas, "stripe", sheet.left, top - height, sheet.width, height)
        y = top - pad
        for part in parts:
            sheet.draw_para(canvas, part, sheet.left + pad, y)
            y -= part.height + pad
    return Block("other", height + 2 * pad, draw)


def _item(result: ItemResult, tally: Tally, sheet: Sheet) -> Block:
    levels = tally.checklist.levels
    gap, bar_w, bar_h, tag_w = (sheet.size(k) for k in ("gap", "bar_w", "bar_h", "tag_w"))
    number_w = sheet.size("number_w")
    text_w = sheet.width - bar_w - tag_w - 3 * gap - number_w
    text = sheet.para(result.item.text, "item", text_w)
    counts = " · ".join([f"{level.value} {n} ({result.share(n)}%)" for level, n in zip(levels, result.counts)]
                        + [f"{BLANK} {result.blank}", f"gemiddeld {_mean(result)}"])
    counts_text = sheet.para(counts, "counts", text_w)
    number = sheet.para(str(result.item.number), "number", number_w)
    tag = sheet.para("gesprekspunt", "tag", tag_w - gap) if result.gesprekspunt else None
    height = text.height + gap / 2 + counts_text.height + 2 * gap
    segments = [(f"level{i}", n) for i, n in enumerate(result.counts, start=1)] + [("level_none", result.blank)]
    bar_x = sheet.left + number_w + text_w + 2 * gap

    def draw(canvas, top):
        x0 = sheet.left
        sheet.draw_para(canvas, number, x0 + gap, top - gap)
        sheet.draw_para(canvas, text, x0 + number_w + gap, top - gap)
        sheet.draw_para(canvas, counts_text, x0 + number_w + gap, top - gap - text.height - gap / 2)
        bar_y = top - height / 2 - bar_h / 2
        x = bar_x
        for color, n in segments:
            if n:
                w = bar_w * n / max(result.respondents, 1)
                _segment(canvas, sheet, color, x, bar_y, w, bar_h, str(n))
                x += w
        if tag:
            tag_x = bar_x + bar_w + gap
            sheet.fill(canvas, "gesprekspunt", tag_x, bar_y, tag_w, bar_h)
            sheet.draw_para(canvas, tag, tag_x + gap / 2, bar_y + bar_h - (bar_h - tag.height) / 2)
        sheet.rule(canvas, "rule", x0, top - height, x0 + sheet.width, top - height)
    return Block("item", height, draw)


def _segment(canvas, sheet: Sheet, color: str, x: float, y: float, w: float, h: float, label: str = "") -> None:
    """One part of a bar; 'niet ingevuld' is hatched, so it reads without colour. The count
    goes inside when it fits, in ink or paper, whichever has the higher contrast."""
    if color == "level_none":
        sheet.fill(canvas, "paper", x, y, w, h)
        sheet.hatch(canvas, color, x, y, w, h)
    else:
        sheet.fill(canvas, color, x, y, w, h)
    if label and color != "level_none" and sheet.text_width(label, "tag") + 1 < w:
        text = sheet.para(label, "tag", w, color=best_text_color(sheet, color))
        sheet.draw_para(canvas, text, x, y + h - (h - text.height) / 2)


def _comments(title: str, texts: list[str], sheet: Sheet) -> list[Block]:
    """A heading, then one block per comment so that a page can break between them. The dash
    hangs in front: every line of a comment starts at the same indent."""
    gap = sheet.size("gap")
    head = sheet.para(f"Opmerkingen bij ‘{title}’", "label", sheet.width)
    blocks = [Block("category", head.height + gap,
                    lambda canvas, top: sheet.draw_para(canvas, head, sheet.left + gap, top - gap))]
    dash = sheet.para("–", "comment", 3 * gap)
    indent = sheet.left + 3.5 * gap
    for text in texts:
        if len(text) > MAX_COMMENT:
            text = text[:MAX_COMMENT].rstrip() + " …"
        body = sheet.para(text, "comment", sheet.left + sheet.width - indent, user_text=True)

        def draw(canvas, top, body=body):
            sheet.draw_para(canvas, dash, indent - 1.5 * gap, top - gap / 2)
            sheet.draw_para(canvas, body, indent, top - gap / 2)
        blocks.append(Block("other", body.height + 0.75 * gap, draw))
    blocks[-1].height += gap
    return blocks


# --- files not counted ----------------------------------------------------------------------

def _note_blocks(notes: list[Note], sheet: Sheet) -> list[Block]:
    intro = ("Deze bestanden zijn niet meegeteld, of wel meegeteld maar met een opmerking. "
             "Stuur een nieuw exemplaar als een bestand toch mee moet tellen.")
    blocks = [_heading("Let op", sheet), _text(intro, "intro", sheet)]
    for note in notes:
        blocks.append(_text(f"{note.path.name}: {note.said.render('nl')}", "item", sheet, user_text=True,
                            lead="**let op:** "))
    return blocks


# --- small parts ------------------------------------------------------------------------------

def _heading(title: str, sheet: Sheet, style: str = "section") -> Block:
    gap = sheet.size("gap")
    text = sheet.para(title, style, sheet.width - 2 * gap)
    height = text.height + 2 * gap
    fill = "category_fill" if style == "category" else None

    def draw(canvas, top):
        if fill:
            sheet.fill(canvas, fill, sheet.left, top - height, sheet.width, height)
        sheet.draw_para(canvas, text, sheet.left + gap, top - gap)
    return Block("category", height, draw)


def _text(content: str, style: str, sheet: Sheet, user_text: bool = False, lead: str = "") -> Block:
    gap = sheet.size("gap")
    text = sheet.para(content, style, sheet.width - 2 * gap, user_text=user_text, lead=lead)
    return Block("other", text.height + 2 * gap,
                 lambda canvas, top: sheet.draw_para(canvas, text, sheet.left + gap, top - gap))


def _label(result: ItemResult, tally: Tally) -> str:
    if len(tally.checklist.categories) == 1:
        return f"{result.item.number}."
    return f"{tally.checklist.category_of(result.item).title} {result.item.number}:"


def _mean(result: ItemResult) -> str:
    return "–" if result.mean is None else str(result.mean).replace(".", ",")
