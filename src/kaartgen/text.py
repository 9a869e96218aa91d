"""Text boxes: {field} templates, light markup, Dutch hyphenation and shrink-to-fit.

Markup: **bold**, *italic*; a line starting with '- ' is a bullet; a line that is only a
list field ({questions}) becomes one bullet per item; other lines are paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from kaartgen.fonts import FontFamily
from kaartgen.model import Style
from kaartgen.typeset import NBSP, PROTECTED_NAMES, Line, Rules, break_lines, keep_together, words

__all__ = ["PROTECTED_NAMES", "Rules", "Block", "Fitted", "NoFit", "fit", "typeset", "blocks", "markup",
           "placeholders", "plain_text", "substitute"]

PLACEHOLDER = re.compile(r"\{([A-Za-z_][\w.]*)\}")
SIZE_STEP = 0.5
BULLET_INDENT = 1.1  # font sizes from the box's left edge to a bullet item's text


@dataclass(frozen=True)
class Block:
    xml: str
    bullet: bool


class NoFit(Exception):
    def __init__(self, needed: float, size: float, reason: str = ""):
        super().__init__(reason)
        self.needed, self.size, self.reason = needed, size, reason


def placeholders(template: str) -> list[str]:
    return PLACEHOLDER.findall(template)


def substitute(template: str, values: dict) -> str:
    """Fill {name} placeholders with plain values; lists are joined with commas."""
    def one(match):
        value = values.get(match.group(1))
        return ", ".join(map(str, value)) if isinstance(value, list) else ("" if value is None else str(value))
    return PLACEHOLDER.sub(one, template)


def blocks(template: str, values: dict) -> list[Block]:
    out: list[Block] = []
    for raw in template.splitlines():
        line = raw.strip()
        whole = PLACEHOLDER.fullmatch(line)
        if whole and isinstance(values.get(whole.group(1)), list):
            out += [Block(markup(str(item)), True) for item in values[whole.group(1)]]
            continue
        for filled in substitute(line, values).splitlines():  # a field may hold several lines
            filled = filled.strip()
            if filled.startswith("- "):
                out.append(Block(markup(filled[2:].strip()), True))
            elif filled:
                out.append(Block(markup(filled), False))
    return out


def plain_text(template: str, values: dict) -> str:
    """What a text box will show, without markup: for glyph checks and messages."""
    return "\n".join(re.sub(r"<[^>]+>", "", b.xml).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
                     for b in blocks(template, values))


def markup(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    return _nest(re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<i>\1</i>", text))


def _nest(xml: str) -> str:
    """Close and reopen tags so they nest: '***x***' gives <b><i>x</b></i>, which reportlab refuses."""
    out, open_tags, pos = [], [], 0
    for match in re.finditer(r"<(/?)([bi])>", xml):
        out.append(xml[pos:match.start()])
        pos = match.end()
        closing, tag = match.group(1), match.group(2)
        if not closing:
            open_tags.append(tag)
            out.append(match.group(0))
        elif tag in open_tags:
            above = open_tags[open_tags.index(tag) + 1:]
            out.append("".join(f"</{t}>" for t in reversed(above)) + f"</{tag}>" + "".join(f"<{t}>" for t in above))
            open_tags = open_tags[:open_tags.index(tag)] + above
    out.append(xml[pos:])
    out.append("".join(f"</{t}>" for t in reversed(open_tags)))
    return re.sub(r"<([bi])></\1>", "", "".join(out))  # a tag reopened only to be closed again


def fit(content: list[Block], family: FontFamily, style: Style, width: float, height: float,
        color, align: str, rules: Rules | None = None) -> Fitted:
    """Largest size from style.size down to style.min_size at which every line fits the box.

    A box that recurs with the same text (a heading, badge or footer on every card) is laid
    out once; the Fitted is shared, so callers must not change it.
    """
    return _fit_cached(tuple(content), family, style, width, height, color, type(color), align, rules or Rules())


@lru_cache(maxsize=256)
def _fit_cached(content, family, style, width, height, color, _color_type, align, rules) -> Fitted:
    size = style.size
    needed = 0.0
    while size >= style.min_size - 1e-6:
        result = typeset(content, family, style, size, width, color, align, rules)
        if result is not None and result.height <= height + 0.01:
            return result
        needed = result.height if result else float("inf")
        size = round(size - SIZE_STEP, 2)
    raise NoFit(needed, style.min_size, "a word is wider than the box" if needed == float("inf") else "")


def typeset(content, family: FontFamily, style: Style, size: float, width: float, color, align: str,
            rules: Rules, overflow: bool = False) -> Fitted | None:
    """`content` set at `size` in lines of `width`; None if a word cannot be placed (unless `overflow`,
    where such a word runs past the box on a line of its own)."""
    paragraphs = []
    indent = size * BULLET_INDENT
    for block in content:
        measure = (width - (indent if block.bullet else 0)) / size
        lines = break_lines(_words(block.xml, family, style, rules), measure, rules, style.hyphenate, overflow)
        if lines is None:
            return None
        paragraphs.append(SetParagraph(tuple(lines), block.bullet))
    leading, space = size * style.leading, style.space_after * size / style.size
    height = sum(len(p.lines) * leading for p in paragraphs) + space * max(len(paragraphs) - 1, 0)
    return Fitted(tuple(paragraphs), height, size, leading, space, width, align, color,
                  style.bullet, family.name(False, False))


@lru_cache(maxsize=8192)
def _words(xml: str, family: FontFamily, style: Style, rules: Rules):
    return words(keep_together(xml, rules, style.hyphenate), family, style.bold, style.italic)


@dataclass(frozen=True)
class SetParagraph:
    lines: tuple[Line, ...]
    bullet: bool

    @cached_property
    def runs(self) -> tuple[list[tuple[str, str]], ...]:
        """Each line's text runs, worked out once for the two PDFs that draw them."""
        return tuple(line.runs() for line in self.lines)


@dataclass(frozen=True)
class Fitted:
    """Text set in lines at one size, ready to draw at any place on any canvas."""

    paragraphs: tuple[SetParagraph, ...]
    height: float
    size: float
    leading: float
    space: float  # between paragraphs
    width: float
    align: str
    color: object  # a reportlab colour (RGB or CMYK)
    bullet: str
    bullet_font: str

    def lines(self) -> list[str]:
        """Each line's text, with the hyphens the breaking added: for tests and messages."""
        return [line.plain for paragraph in self.paragraphs for line in paragraph.lines]

    def draw(self, canvas, x: float, top: float) -> None:
        """Draw with the first line's top at `top`: each line's baseline one font size below its top."""
        canvas.setFillColor(self.color)
        text = canvas.beginText()
        baseline = top - self.size
        font = None  # set in every text object: a form or page does not inherit it
        for paragraph in self.paragraphs:
            indent = self.size * BULLET_INDENT if paragraph.bullet else 0.0
            if paragraph.bullet and paragraph.lines:
                text.setTextOrigin(x + self.size * 0.1, baseline)
                text.setFont(self.bullet_font, self.size)
                text.textOut(self.bullet)
                font = self.bullet_font
            last = len(paragraph.lines) - 1
            for n, (line, runs) in enumerate(zip(paragraph.lines, paragraph.runs)):
                font = self._draw_line(text, line, runs, x + indent, baseline, self.width - indent, n == last, font)
                baseline -= self.leading
            baseline -= self.space
        canvas.drawText(text)

    def _draw_line(self, text, line: Line, runs, left: float, baseline: float, measure: float, last: bool,
                   font: str | None) -> str | None:
        spare = measure - line.width * self.size
        # Tw widens every space character, and reportlab draws a non-breaking space as one too
        gaps = sum(run.count(" ") + run.count(NBSP) for run, _ in runs)
        justify = self.align == "justify" and not last and gaps > 0 and spare > 0
        shift = {"center": spare / 2, "right": spare}.get(self.align, 0.0)
        text.setTextOrigin(left + shift, baseline)
        if justify:
            text.setWordSpace(spare / gaps)  # code 32 is a space in every reportlab font subset
        for run, run_font in runs:
            if run_font != font:
                text.setFont(run_font, self.size)
                font = run_font
            text.textOut(run)
        if justify:
            text.setWordSpace(0)
        return font
