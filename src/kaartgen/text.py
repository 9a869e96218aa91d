"""Text boxes: {field} templates, light markup, Dutch hyphenation and shrink-to-fit.

Markup: **bold**, *italic*; a line starting with '- ' is a bullet; a line that is only a
list field ({questions}) becomes one bullet per item; other lines are paragraphs.
"""

from __future__ import annotations

import html
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
        hyphenationLang="", embeddedHyphenation=1,  # we place the hyphenation points (wrap_hyphenated)
        splitLongWords=0,
    )


def fit(content: list[Block], family: FontFamily, style: Style, width: float, height: float,
        color: tuple, align: str, rules: "Rules | None" = None) -> Fitted:
    """Largest size from style.size down to style.min_size at which every line fits the box.

    A box that recurs with the same text (a heading, badge or footer on every card) is laid
    out once; the Fitted and its Paragraphs are shared, so callers must not change them.
    """
    return _fit_cached(tuple(content), family, style, width, height, color, type(color), align, rules or Rules())


@lru_cache(maxsize=256)
def _fit_cached(content, family, style, width, height, color, _color_type, align, rules) -> Fitted:
    return _fit(content, family, style, width, height, color, align, rules)


def _fit(content, family, style, width, height, color, align, rules) -> Fitted:
    size = style.size
    needed = 0.0
    while size >= style.min_size - 1e-6:
        result = _layout(content, family, style, size, width, color, align, rules)
        if result is not None and result.height <= height + 0.01:
            return result
        needed = result.height if result else float("inf")
        size = round(size - SIZE_STEP, 2)
    raise NoFit(needed, style.min_size, "a word is wider than the box" if needed == float("inf") else "")


def _layout(content, family, style, size, width, color, align, rules) -> Fitted | None:
    paragraphs = []
    total = 0.0
    space = style.space_after * size / style.size
    for block in content:
        pstyle = paragraph_style(family, style, size, color, align, block.bullet)
        measure = width - pstyle.leftIndent
        xml = keep_together(block.xml, rules, style.hyphenate)
        if _too_wide(xml, family, style, size, rules, measure):
            return None  # fail fast: no line breaking can place this word

        def make(text, pstyle=pstyle, bullet=block.bullet):
            return Paragraph(text, pstyle, bulletText=style.bullet if bullet else None)
        para = wrap_hyphenated(make, xml, width, measure, rules) if style.hyphenate else _wrapped(make, [xml], width)
        h = para.height
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


# --- Line breaking -------------------------------------------------------------------------------
# reportlab breaks lines; we decide where it may hyphenate. A word gets soft hyphens only when
# the line before it would otherwise stay too short, at break points that leave at least three
# letters on each side, never in a name, and never on more than two lines in a row.

SHY, NBSP = "\u00ad", "\u00a0"
PROTECTED_NAMES = ("Samen Opleiden", "Opleidingsschool")
MIN_WORD = 7  # letters; shorter words are never hyphenated
MIN_FRAGMENT = 3  # letters before and after a break
MAX_RUN = 2  # hyphenated lines in a row
SHORT_LINE = 0.7  # hyphenate only where the line would otherwise fill less of the box than this
SHORT_LAST_WORD = 6  # characters: a last line holding only such a word pulls its neighbour down
PHONE = re.compile(r"(?<![\w+])(\+?\d[\d ()\-]{5,}\d)(?!\w)")
WORD = re.compile(r"^((?:</?[bi]>|[(\"'‘“])*)([^\W\d_]+)((?:</?[bi]>|[.,;:!?)\"'’”])*)$")


@dataclass(frozen=True)
class Rules:
    """What may not be broken: names (never hyphenated, kept on one line)."""

    protected: tuple[str, ...] = PROTECTED_NAMES


def keep_together(xml: str, rules: Rules, names: bool) -> str:
    """Non-breaking spaces inside phone numbers (always) and protected names (where text hyphenates)."""
    xml = PHONE.sub(lambda m: m.group(1).replace(" ", NBSP), xml)
    if names:
        for name in rules.protected:
            if " " in name:
                xml = re.sub(re.escape(name), name.replace(" ", NBSP), xml, flags=re.IGNORECASE)
    return xml


@lru_cache(maxsize=1)
def _dictionary():
    import pyphen
    return pyphen.Pyphen(lang="nl_NL", left=MIN_FRAGMENT, right=MIN_FRAGMENT)


@lru_cache(maxsize=65536)
def hyphenated(token: str, rules: Rules) -> str | None:
    """`token` (a word with markup and punctuation) with soft hyphens at its allowed breaks, or None.

    Memoised: the same words recur on every card, and each text box may try them more than once."""
    match = WORD.match(token)
    if not match or len(match.group(2)) < MIN_WORD:
        return None
    word = match.group(2)
    if any(name.lower() in word.lower() for name in rules.protected if " " not in name):
        return None
    positions = _dictionary().positions(word)
    if not positions:
        return None
    pieces = [word[i:j] for i, j in zip([0, *positions], [*positions, len(word)])]
    return match.group(1) + SHY.join(pieces) + match.group(3)


def wrap_hyphenated(make, xml: str, width: float, measure: float, rules: Rules):
    """A Paragraph (from `make(xml)`) wrapped to `width`, hyphenated only where a line of `measure`
    would otherwise be too short."""
    tokens = [t for t in xml.split(" ") if t]
    para = _wrapped(make, tokens, width)
    tried: set[int] = set()
    while (candidate := _next_break(para, tokens, measure, tried)) is not None:
        line_no, index = candidate
        tried.add(index)
        trial = tokens.copy()
        trial[index] = hyphenated(tokens[index], rules) or tokens[index]
        if trial[index] == tokens[index]:
            continue
        wrapped = _wrapped(make, trial, width)
        if _acceptable(line_words(wrapped), line_no):
            tokens, para = trial, wrapped
    return _pull_last_word(make, para, tokens, width, measure)


def _wrapped(make, tokens: list[str], width: float):
    para = make(" ".join(tokens))
    para.wrap(width, 1e6)
    return para


def line_words(para) -> list[tuple[list[str], float]]:
    """Each line's words (plain text) and its empty space."""
    out = []
    for line in getattr(para.blPara, "lines", []):
        if isinstance(line, tuple):
            out.append((list(line[1]), line[0]))
        else:
            text = "".join(getattr(f, "text", "") for f in line.words)
            out.append(([w for w in text.split(" ") if w], line.extraSpace))
    return out


@lru_cache(maxsize=65536)
def _plain(token: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", token)).replace(SHY, "")


def _line_starts(lines, tokens) -> list[tuple[int, int]] | None:
    """(token index, letters into that token) where each line starts; None if the lines cannot be followed."""
    plain = [_plain(t) for t in tokens]
    starts, t, offset = [], 0, 0
    for words, _ in lines:
        starts.append((t, offset))
        for word in words:
            word = word.replace(SHY, "")
            rest = plain[t][offset:] if t < len(plain) else ""
            if word == rest:
                t, offset = t + 1, 0
            elif word and rest.startswith(word):
                offset += len(word)
            elif word.endswith("-") and len(word) > 1 and rest.startswith(word[:-1]):
                offset += len(word) - 1
            else:
                return None
    return starts


def _acceptable(lines, line_no: int) -> bool:
    """A trial hyphenation helps: line `line_no` now ends in a break, no more than MAX_RUN broken
    lines follow each other, and no short tail stands alone on the last line."""
    if not _ends_hyphenated(lines, line_no):
        return False
    run = longest = 0
    for n in range(len(lines)):
        run = run + 1 if _ends_hyphenated(lines, n) else 0
        longest = max(longest, run)
    lone_tail = _ends_hyphenated(lines, len(lines) - 2) and len(lines[-1][0]) == 1 \
        and len(lines[-1][0][0]) <= SHORT_LAST_WORD
    return longest <= MAX_RUN and not lone_tail


def _ends_hyphenated(lines, line_no: int) -> bool:
    """Whether the line ends in a hyphen the line breaking added (not a word's own hyphen)."""
    if line_no >= len(lines) - 1 or not lines[line_no][0]:
        return False
    last, following = lines[line_no][0][-1], lines[line_no + 1][0]
    return last.endswith("-") and bool(following) and following[0][:1].islower()


def _next_break(para, tokens, measure, tried) -> tuple[int, int] | None:
    """(line, token): the first word that may still be hyphenated, either because the line before it
    would otherwise stay too short or because the word alone is wider than its line."""
    lines = line_words(para)
    starts = _line_starts(lines, tokens)
    if starts is None:
        return None
    for line_no, (words, extra) in enumerate(lines):
        index, offset = starts[line_no]
        if extra < -0.5 and len(words) == 1 and offset == 0 and index not in tried:
            return line_no, index
        if line_no == len(lines) - 1:
            break
        index, offset = starts[line_no + 1]
        too_short = (measure - extra) < SHORT_LINE * measure
        if too_short and offset == 0 and index < len(tokens) and index not in tried \
                and not _ends_hyphenated(lines, line_no):
            return line_no, index
    return None


def _pull_last_word(make, para, tokens, width, measure):
    """A last line of one short word takes its neighbour along, if that costs no extra line."""
    lines = line_words(para)
    if len(lines) < 2 or len(tokens) < 3 or len(lines[-1][0]) != 1 or len(lines[-1][0][0]) > SHORT_LAST_WORD:
        return para
    if SHY in tokens[-2] or _ends_hyphenated(lines, len(lines) - 2):
        return para
    trial = tokens[:-2] + [tokens[-2] + NBSP + tokens[-1]]
    wrapped = _wrapped(make, trial, width)
    new = line_words(wrapped)
    if len(new) == len(lines) and (measure - new[-2][1]) >= 0.5 * measure:
        return wrapped
    return para


def _too_wide(xml: str, family: FontFamily, style: Style, size: float, rules: Rules, measure: float) -> bool:
    """Whether a word is wider than a line between its break points, or longer than the lines
    it may be broken over (MAX_RUN breaks in a row)."""
    return any(_token_too_wide(token, family, style.bold, style.italic, style.hyphenate, size, rules, measure)
               for token in xml.split(" "))


@lru_cache(maxsize=65536)
def _token_too_wide(token: str, family: FontFamily, bold: bool, italic: bool, hyphenate: bool, size: float,
                    rules: Rules, measure: float) -> bool:
    """_too_wide for one word; memoised, since the same words recur in box after box."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    font = family.name(bold or "<b>" in token, italic or "<i>" in token)
    width = stringWidth(_plain(token), font, size)
    if width <= measure:
        return False
    if width > (MAX_RUN + 1) * measure:
        return True
    breakable = (hyphenated(token, rules) if hyphenate else None) or token
    return max(stringWidth(_plain(piece), font, size) for piece in re.split(f"[{SHY}-]", breakable)) > measure + 0.5
