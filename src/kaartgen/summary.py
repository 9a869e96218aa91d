"""summary.pdf: the tally of filled-in checklists, one section per checklist.

Each section: a legend, the strongest and weakest items and the gesprekspunten, then per
item its text, the counts and a horizontal bar stacked from the lowest level to the highest
plus 'niet ingevuld', and per category the comments people wrote. Same layout (colours,
styles, page templates) as the checklist sheets.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from kaartgen.checklists import DEFAULT_LAYOUT, Sheet, paginate
from kaartgen.tally import BLANK, DIVERGENT_SHARE, ItemResult, Tally
from kaartgen.units import MM

TEXT_W = 98 * MM    # item number + text + counts
BAR_X = 104 * MM    # from the left margin
BAR_W = 56 * MM
BAR_H = 4.5 * MM
TAG_W = 18 * MM     # the 'gesprekspunt' label after the bar
PAD = 2 * MM
MAX_COMMENT = 1200  # characters; a longer comment is cut, so it always fits a page


@dataclass
class Block:
    kind: str  # category | item | other; `paginate` keeps a category with the block after it
    height: float
    draw: Callable  # draw(canvas, top)


def write_pdf(tallies: list[Tally], path: Path, project: Path) -> None:
    layout = tallies[0].checklist.meta.get("layout", DEFAULT_LAYOUT)
    sheet = Sheet.open(layout, project, "tally")
    sections = []
    for tally in tallies:
        blocks = _blocks(tally, sheet)
        first_top, first_bottom = sheet.area("summary_page")
        next_top, next_bottom = sheet.area("summary_next")
        sections.append((tally, paginate(blocks, first_top - first_bottom, next_top - next_bottom)))
    total = sum(len(pages) for _, pages in sections)
    titles = ", ".join(t.checklist.title for t in tallies)
    canvas = sheet.canvas(path, f"Samenvatting – {titles}", "Samenvatting van ingevulde checklists", "kaartgen")
    number = 0
    for tally, pages in sections:
        values = {"title": tally.checklist.title, "respondents": tally.respondents,
                  "version": tally.checklist.version, "pages": total}
        for index, blocks in enumerate(pages):
            number += 1
            template = "summary_page" if index == 0 else "summary_next"
            sheet.draw_template(canvas, template, {**values, "page": number})
            top, _ = sheet.area(template)
            for block in blocks:
                block.draw(canvas, top)
                top -= block.height
            canvas.showPage()
    canvas.save()


def _blocks(tally: Tally, sheet: Sheet) -> list[Block]:
    blocks = [_legend(tally, sheet), _highlights(tally, sheet)]
    for category in tally.checklist.categories:
        blocks.append(_category(category.title, sheet))
        blocks += [_item(result, tally, sheet) for result in tally.items if result.item in category.items]
        if tally.comments.get(category.id):
            blocks += _comments(category.title, tally.comments[category.id], sheet)
    return blocks


def _legend(tally: Tally, sheet: Sheet) -> Block:
    levels = tally.checklist.levels
    lowest, highest = levels[0].label, levels[-1].label
    rule = sheet.para(f"**gesprekspunt**: minstens {DIVERGENT_SHARE:.0%} van wie het item invulde koos ‘{lowest}’ "
                      f"én minstens {DIVERGENT_SHARE:.0%} koos ‘{highest}’: de antwoorden lopen ver uiteen. "
                      f"Gemiddelde: {lowest} = 1 … {highest} = {len(levels)}, lege antwoorden tellen niet mee.",
                      "counts", sheet.width)
    swatches = [(f"level{i}", level.label) for i, level in enumerate(levels, start=1)] + [("level_none", BLANK)]

    def draw(canvas, top):
        x = sheet.left
        for color, label in swatches:
            sheet.fill(canvas, color, x, top - 3.5 * MM, 3.5 * MM, 3.5 * MM)
            text = sheet.para(label, "counts", 40 * MM, color="ink")
            sheet.draw_para(canvas, text, x + 5 * MM, top - 0.3 * MM)
            x += 5 * MM + sheet.text_width(label, "counts") + 6 * MM
        sheet.draw_para(canvas, rule, sheet.left, top - 6 * MM)
    return Block("other", 6 * MM + rule.height + 4 * MM, draw)


def _highlights(tally: Tally, sheet: Sheet) -> Block:
    strongest, weakest = tally.ranked()
    talk = [r for r in tally.items if r.gesprekspunt]
    parts = []
    for heading, results in (("Sterkst ontwikkeld", strongest), ("Minst ontwikkeld", weakest),
                             ("Gesprekspunten", talk)):
        if results:
            lines = "\n".join(f"{_label(r, tally)} {r.item.text} (gem. {_mean(r)})" for r in results)
            parts.append(sheet.para(f"**{heading}**\n{lines}", "intro", sheet.width - 2 * PAD))
    if not parts:
        parts.append(sheet.para("Nog geen verschillen: alle items scoren gelijk.", "intro", sheet.width - 2 * PAD))
    height = sum(p.height for p in parts) + (len(parts) - 1) * 2 * MM + 2 * PAD

    def draw(canvas, top):
        sheet.fill(canvas, "stripe", sheet.left, top - height, sheet.width, height)
        y = top - PAD
        for part in parts:
            sheet.draw_para(canvas, part, sheet.left + PAD, y)
            y -= part.height + 2 * MM
    return Block("other", height + 4 * MM, draw)


def _category(title: str, sheet: Sheet) -> Block:
    text = sheet.para(title, "category", sheet.width)
    height = 7.5 * MM

    def draw(canvas, top):
        sheet.fill(canvas, "category_fill", sheet.left, top - height, sheet.width, height)
        sheet.draw_para(canvas, text, sheet.left + PAD, top - (height - text.height) / 2)
    return Block("category", height, draw)


def _item(result: ItemResult, tally: Tally, sheet: Sheet) -> Block:
    levels = tally.checklist.levels
    text = sheet.para(result.item.text, "item", TEXT_W - 7 * MM)
    counts = " · ".join([f"{level.value} {n}" for level, n in zip(levels, result.counts)]
                        + [f"{BLANK} {result.blank}", f"gemiddeld {_mean(result)}"])
    counts_text = sheet.para(counts, "counts", TEXT_W - 7 * MM)
    number = sheet.para(str(result.item.number), "number", 7 * MM)
    tag = sheet.para("gesprekspunt", "tag", TAG_W - 2 * MM) if result.gesprekspunt else None
    height = text.height + 1 * MM + counts_text.height + 2 * PAD
    segments = [(f"level{i}", n) for i, n in enumerate(result.counts, start=1)] + [("level_none", result.blank)]

    def draw(canvas, top):
        x0 = sheet.left
        sheet.draw_para(canvas, number, x0 + PAD, top - PAD)
        sheet.draw_para(canvas, text, x0 + 7 * MM + PAD, top - PAD)
        sheet.draw_para(canvas, counts_text, x0 + 7 * MM + PAD, top - PAD - text.height - 1 * MM)
        bar_y = top - height / 2 - BAR_H / 2
        x = x0 + BAR_X
        for color, n in segments:
            if n:
                w = BAR_W * n / max(result.respondents, 1)
                sheet.fill(canvas, color, x, bar_y, w, BAR_H)
                x += w
        if tag:
            tag_x = x0 + BAR_X + BAR_W + 2 * MM
            sheet.fill(canvas, "gesprekspunt", tag_x, bar_y, TAG_W, BAR_H)
            sheet.draw_para(canvas, tag, tag_x + 1 * MM, bar_y + BAR_H - (BAR_H - tag.height) / 2)
        sheet.rule(canvas, "rule", x0, top - height, x0 + sheet.width, top - height)
    return Block("item", height, draw)


def _comments(title: str, texts: list[str], sheet: Sheet) -> list[Block]:
    """A heading, then one block per comment so that a page can break between them."""
    head = sheet.para(f"Opmerkingen bij ‘{title}’", "label", sheet.width)
    blocks = [Block("category", head.height + PAD,
                    lambda canvas, top: sheet.draw_para(canvas, head, sheet.left + PAD, top - PAD))]
    for text in texts:
        if len(text) > MAX_COMMENT:
            text = text[:MAX_COMMENT].rstrip() + " …"
        body = sheet.para(f"– {text}", "comment", sheet.width - 9 * MM, user_text=True)
        blocks.append(Block("other", body.height + 1.5 * MM,
                            lambda canvas, top, body=body: sheet.draw_para(canvas, body, sheet.left + 7 * MM,
                                                                            top - 1 * MM)))
    blocks[-1].height += 2 * MM
    return blocks


def _label(result: ItemResult, tally: Tally) -> str:
    category = next(c for c in tally.checklist.categories if result.item in c.items)
    if len(tally.checklist.categories) == 1:
        return f"{result.item.number}."
    return f"{category.title} {result.item.number}:"


def _mean(result: ItemResult) -> str:
    return "–" if result.mean is None else str(result.mean).replace(".", ",")
