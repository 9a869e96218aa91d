"""Text boxes: {field} templates, light markup, Dutch hyphenation and shrink-to-fit.

Markup: **bold**, *italic*; a line starting with '- ' is a bullet; a line that is only a
list field ({questions}) becomes one bullet per item; other lines are paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from kaartgen.fonts import FontFamily
from kaartgen.model import Style

PLACEHOLDER = re.compile(r"\{([A-Za-z_][\w.]*)\}")
ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
SIZE_STEP = 0.5


@dataclass(frozen=True)
class Block:
    xml: str
    bullet: bool


@dataclass
class Fitted:
    paragraphs: list  # (Paragraph, height, space_after)
    height: float
    size: float


class NoFit(Exception):
    def __init__(self, needed: float, size: float, reason: str = ""):
        super().__init__(reason)
        self.needed, self.size, self.reason = needed, size, reason


def placeholders(template: str) -> list[str]:
    return PLACEHOLDER.findall(template)


def substitute(template: str, values: dict) -> str:
    """Fill {name} placeholders with plain values; lists are joined with commas."""
    def one(match):
        value = values.get(match.group(1), "")
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
    return "".join(out)


@lru_cache(maxsize=4096)
def paragraph_style(family: FontFamily, style: Style, size: float, color: tuple, align: str,
                    bullet: bool) -> ParagraphStyle:
    font = family.name(style.bold, style.italic)
    indent = size * 1.1 if bullet else 0
    return ParagraphStyle(
        name=f"{font}-{size}-{bullet}", fontName=font, fontSize=size, leading=size * style.leading,
        textColor=color, alignment=ALIGN[align], leftIndent=indent, bulletIndent=size * 0.1,
        bulletFontName=family.name(False, False), bulletFontSize=size, bulletColor=color,
        hyphenationLang="nl_NL" if style.hyphenate else "", embeddedHyphenation=1,
        splitLongWords=0,
    )


def fit(content: list[Block], family: FontFamily, style: Style, width: float, height: float,
        color: tuple, align: str) -> Fitted:
    """Largest size from style.size down to style.min_size at which every line fits the box.

    A box that recurs with the same text (a heading, badge or footer on every card) is laid
    out once; the Fitted and its Paragraphs are shared, so callers must not change them.
    """
    return _fit_cached(tuple(content), family, style, width, height, color, type(color), align)


@lru_cache(maxsize=256)
def _fit_cached(content, family, style, width, height, color, _color_type, align) -> Fitted:
    return _fit(content, family, style, width, height, color, align)


def _fit(content, family, style, width, height, color, align) -> Fitted:
    size = style.size
    needed = 0.0
    while size >= style.min_size - 1e-6:
        result = _layout(content, family, style, size, width, color, align)
        if result is not None and result.height <= height + 0.01:
            return result
        needed = result.height if result else float("inf")
        size = round(size - SIZE_STEP, 2)
    raise NoFit(needed, style.min_size, "a word is wider than the box" if needed == float("inf") else "")


def _layout(content, family, style, size, width, color, align) -> Fitted | None:
    paragraphs = []
    total = 0.0
    space = style.space_after * size / style.size
    for block in content:
        para = Paragraph(block.xml, paragraph_style(family, style, size, color, align, block.bullet),
                         bulletText=style.bullet if block.bullet else None)
        _, h = para.wrap(width, 1e6)
        if _overflows(para):
            return None
        paragraphs.append((para, h, space))
        total += h + space
    if paragraphs:
        total -= space
    return Fitted(paragraphs, total, size)


def _overflows(para: Paragraph) -> bool:
    lines = getattr(para.blPara, "lines", [])
    for line in lines:
        extra = line[0] if isinstance(line, tuple) else getattr(line, "extraSpace", 0)
        if extra < -1.0:  # reportlab itself lets a line shrink its spaces by up to ~0.8pt
            return True
    return False
