"""Line breaking: paragraph markup → words → lines, with the Dutch hyphenation rules.

kaartgen breaks its own lines instead of asking reportlab's Paragraph, which parses the markup
again for every size tried and every hyphenation trial. Here a paragraph is parsed once into
words measured at 1 pt, so trying another size is only a division, and the rules below are
decided while the line is filled:

A word gets a hyphen only when the line before it would otherwise stay too short (or the word
alone is wider than a line), at a break point that leaves at least three letters on each side,
never in a protected name, and never on more than two lines in a row. A last line holding only
one short word takes its neighbour along. A word's own hyphen (pedagogisch-didactisch) and a
soft hyphen typed in the text are always allowed breaks.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from reportlab.pdfbase.pdfmetrics import stringWidth

from kaartgen.fonts import FontFamily, runs

SHY, NBSP = "\u00ad", "\u00a0"
PROTECTED_NAMES = ("Samen Opleiden", "Opleidingsschool")
MIN_WORD = 7  # letters; shorter words are never hyphenated
MIN_FRAGMENT = 3  # letters before and after a break
MAX_RUN = 2  # hyphenated lines in a row
SHORT_LINE = 0.7  # hyphenate only where the line would otherwise fill less of the box than this
SHORT_LAST_WORD = 6  # characters: a last line holding only such a word pulls its neighbour down
FIT_TOLERANCE = 0.02  # of the font size: a line may run this far past its measure (0.2 pt at 10 pt)
PHONE = re.compile(r"(?<![\w+])(\+?\d[\d ()\-]{5,}\d)(?!\w)")
SPACES = re.compile(r"[ \t\r\n\f\v]+")
LETTERS = re.compile(r"^([(\"'‘“]*)([^\W\d_]+)[.,;:!?)\"'’”]*$")


@dataclass(frozen=True)
class Rules:
    """What may not be broken: names (never hyphenated, kept on one line)."""

    protected: tuple[str, ...] = PROTECTED_NAMES


class Word(NamedTuple):
    """Text between two spaces, as runs of one font each; widths are at a font size of 1 pt.
    (A named tuple: a deck makes tens of thousands, and a frozen dataclass is slow to build.)"""

    pieces: tuple[tuple[str, str], ...]  # (text, font name)
    width: float
    space: float  # the space after the word, in the font of its last piece
    soft: tuple[int, ...] = ()  # offsets of soft hyphens typed in the text

    @property
    def plain(self) -> str:
        return "".join(text for text, _ in self.pieces)


class Line(NamedTuple):
    words: tuple[Word, ...]
    width: float  # at 1 pt, without the space after the last word
    broken: bool  # ends in a break inside a word

    @property
    def plain(self) -> str:
        return " ".join(word.plain for word in self.words)

    def runs(self) -> list[tuple[str, str]]:
        """(text, font): the line as few text runs as possible, spaces included."""
        out: list[list[str]] = []
        last = len(self.words) - 1
        for n, word in enumerate(self.words):
            for i, (text, font) in enumerate(word.pieces):
                if n < last and i == len(word.pieces) - 1:
                    text += " "
                if out and out[-1][1] == font:
                    out[-1][0] += text
                else:
                    out.append([text, font])
        return [(text, font) for text, font in out]


def keep_together(xml: str, rules: Rules, names: bool) -> str:
    """Non-breaking spaces inside phone numbers (always) and protected names (where text hyphenates)."""
    xml = PHONE.sub(lambda m: m.group(1).replace(" ", NBSP), xml)
    pattern = _names_pattern(rules) if names else None
    return pattern.sub(lambda m: m.group(0).replace(" ", NBSP), xml) if pattern else xml


@lru_cache(maxsize=64)
def _names_pattern(rules: Rules) -> re.Pattern | None:
    names = [re.escape(name) for name in rules.protected if " " in name]
    return re.compile("|".join(names), re.IGNORECASE) if names else None


# --- Words ------------------------------------------------------------------------------------------

@lru_cache(maxsize=131072)
def unit_width(text: str, font: str) -> float:
    return stringWidth(text, font, 1.0)


def words(xml: str, family: FontFamily, bold: bool, italic: bool) -> tuple[Word, ...]:
    """The words of one paragraph's markup (<b>, <i>, entities); a word may change font inside."""
    out: list[Word] = []
    pieces: list[tuple[str, str]] = []
    for part, face in runs(xml, bold, italic):
        if face is None or not part:
            continue
        font = family.name(*face)
        for n, chunk in enumerate(SPACES.split(html.unescape(part) if "&" in part else part)):
            if n and pieces:
                out.append(make_word(pieces))
                pieces = []
            if chunk:
                pieces.append((chunk, font))
    if pieces:
        out.append(make_word(pieces))
    return tuple(out)


def make_word(pieces: list[tuple[str, str]]) -> Word:
    return _plain_word(*pieces[0]) if len(pieces) == 1 else _without_soft_hyphens(pieces)


@lru_cache(maxsize=65536)
def _plain_word(text: str, font: str) -> Word:
    """A word in one font; memoised, since the same words recur on card after card."""
    return _without_soft_hyphens([(text, font)])


def _without_soft_hyphens(pieces: list[tuple[str, str]]) -> Word:
    """The word with the soft hyphens typed in it taken out and kept as break points."""
    if not any(SHY in text for text, _ in pieces):
        return _word(tuple(pieces))
    soft: list[int] = []
    offset = 0
    for text, _ in pieces:
        for char in text:
            if char == SHY:
                soft.append(offset)
            else:
                offset += 1
    return _word(tuple((text.replace(SHY, ""), font) for text, font in pieces), tuple(soft))


def _word(pieces: tuple[tuple[str, str], ...], soft: tuple[int, ...] = ()) -> Word:
    if len(pieces) == 1:
        text, font = pieces[0]
        return Word(pieces, unit_width(text, font), unit_width(" ", font), soft)
    pieces = tuple(p for p in pieces if p[0])
    width = sum(unit_width(text, font) for text, font in pieces)
    return Word(pieces, width, unit_width(" ", pieces[-1][1]), soft)


def split_word(word: Word, offset: int, hyphen: bool, skip: int = 0) -> tuple[Word, Word]:
    """The head (with a hyphen added if `hyphen`) and tail of `word` broken `offset` characters in,
    leaving out `skip` characters there (a non-breaking space broken after all)."""
    head: list[tuple[str, str]] = []
    tail: list[tuple[str, str]] = []
    seen = 0
    for text, font in word.pieces:
        cut = min(max(offset - seen, 0), len(text))
        rest = min(max(offset + skip - seen, 0), len(text))
        head.append((text[:cut], font))
        tail.append((text[rest:], font))
        seen += len(text)
    head = [p for p in head if p[0]]
    if hyphen:
        head.append(("-", head[-1][1]))
    soft = tuple(o - offset - skip for o in word.soft if o > offset + skip)
    return _word(tuple(head)), _word(tuple(tail), soft)._replace(space=word.space)


# --- Break points ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Break:
    offset: int
    hyphen: bool  # a hyphen is added at the break
    chosen: bool  # a dictionary break, made only where the rules say it helps
    last_resort: bool = False  # a kept-together space, broken only when the group is wider than a line


@lru_cache(maxsize=65536)
def breaks(word: Word, rules: Rules, dictionary: bool) -> tuple[Break, ...]:
    """Where `word` may break, the furthest first."""
    plain = word.plain
    found = {o: Break(o, True, False) for o in word.soft if MIN_FRAGMENT <= o <= len(plain) - MIN_FRAGMENT}
    for match in re.finditer("-", plain):
        end = match.end()
        if MIN_FRAGMENT < end <= len(plain) - MIN_FRAGMENT:
            found.setdefault(end, Break(end, False, False))
    if dictionary:
        for offset in hyphenation_points(plain, rules):
            found.setdefault(offset, Break(offset, True, True))
    for match in re.finditer(NBSP, plain):
        if plain[:match.start()].strip(NBSP) and match.end() < len(plain):  # not in an indent
            found.setdefault(match.start(), Break(match.start(), False, False, True))
    return tuple(found[o] for o in sorted(found, reverse=True))


def hyphenation_points(plain: str, rules: Rules) -> list[int]:
    """Offsets where the Dutch dictionary may hyphenate a word (with its punctuation)."""
    match = LETTERS.match(plain)
    if not match or len(match.group(2)) < MIN_WORD:
        return []
    letters = match.group(2)
    if any(name.lower() in letters.lower() for name in rules.protected if " " not in name):
        return []
    start = len(match.group(1))
    return [start + p for p in _dictionary().positions(letters)]


@lru_cache(maxsize=1)
def _dictionary():
    import pyphen
    return pyphen.Pyphen(lang="nl_NL", left=MIN_FRAGMENT, right=MIN_FRAGMENT)


# --- Lines ------------------------------------------------------------------------------------------

@dataclass
class _Filling:
    words: list[Word]
    width: float = 0.0

    def room(self, measure: float) -> float:
        return measure - self.width - (self.words[-1].space if self.words else 0.0)

    def add(self, word: Word) -> None:
        self.width = self.width + self.words[-1].space + word.width if self.words else word.width
        self.words.append(word)


def break_lines(paragraph: tuple[Word, ...], measure: float, rules: Rules, hyphenate: bool,
                overflow: bool = False) -> list[Line] | None:
    """Lines of at most `measure` (at 1 pt) filled word by word; None if a word cannot be placed
    (unless `overflow`, where such a word gets a line of its own)."""
    lines: list[Line] = []
    line = _Filling([])
    run = 0  # lines in a row ending in a break
    pending = list(reversed(paragraph))
    while pending:
        word = pending.pop()
        if word.width <= line.room(measure) + FIT_TOLERANCE:
            line.add(word)
            continue
        split = _split(word, line, measure, rules, hyphenate, last=not pending) if run < MAX_RUN else None
        if split is not None:
            line.add(split[0])
            pending.append(split[1])
        elif line.words:
            pending.append(word)
        elif overflow:
            line.add(word)
        else:
            return None
        lines.append(Line(tuple(line.words), line.width, split is not None))
        run = run + 1 if split is not None else 0
        line = _Filling([])
    if line.words:
        lines.append(Line(tuple(line.words), line.width, False))
    return _pull_last_word(lines, measure)


def _split(word: Word, line: _Filling, measure: float, rules: Rules, hyphenate: bool, last: bool):
    """(head, tail) of `word` with the head ending `line`, or None where the rules say no."""
    wide = word.width > measure + FIT_TOLERANCE
    too_short = line.width < SHORT_LINE * measure
    room = line.room(measure) + FIT_TOLERANCE
    for point in breaks(word, rules, hyphenate):
        if (point.chosen and not (too_short or wide)) or (point.last_resort and not wide):
            continue
        head, tail = split_word(word, point.offset, point.hyphen, skip=int(point.last_resort))
        if head.width > room:
            continue
        if last and not wide and len(tail.plain) <= SHORT_LAST_WORD:
            return None  # the tail would stand alone on the last line; an earlier break helps less
        return head, tail
    return None


def _pull_last_word(lines: list[Line], measure: float) -> list[Line]:
    """A last line of one short word takes its neighbour along, if that costs no extra line."""
    if len(lines) < 2:
        return lines
    before, last = lines[-2], lines[-1]
    if len(last.words) != 1 or len(last.words[0].plain) > SHORT_LAST_WORD or len(before.words) < 2 or before.broken:
        return lines
    moved = before.words[-1]
    width = moved.width + moved.space + last.width
    kept = before.words[:-1]
    kept_width = sum(w.width for w in kept) + sum(w.space for w in kept[:-1])
    if width > measure + FIT_TOLERANCE or kept_width < 0.5 * measure:
        return lines
    return lines[:-2] + [Line(kept, kept_width, False), Line((moved, *last.words), width, False)]
