"""Count what people filled in: which copies count, answers per item, who took part.

A copy counts when at least one item is answered. Of two copies with the same file content,
or of one form with the same answers, comments, name and date (a name or a date must be
filled in: two anonymous colleagues may well agree), the first is counted and the second
listed. Scores run from 1 (lowest level, 'nog in startfase') to 3 ('sterk ontwikkeld'); the
mean leaves out copies where the item is blank. An item is a *gesprekspunt* (the answers
diverge widely) when at least a quarter of those who answered it chose the lowest level and
at least a quarter the highest: people see the same thing very differently, which is worth a
conversation whatever the mean says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from statistics import median

from kaartgen import messages as msg
from kaartgen.errors import Problem
from kaartgen.forms.checklist import Checklist, Item
from kaartgen.forms.reading import Copy
from kaartgen.messages import Said

DIVERGENT_SHARE = 0.25  # both extremes chosen by at least this share of the answers: gesprekspunt
BLANK = "niet ingevuld"
GROUPINGS = {"rol": "rol", "school": "school"}  # --per value: the person field it groups by


@dataclass(frozen=True)
class Note:
    """A file that was not counted, or counted with a remark, and why."""

    path: Path
    said: Said
    counted: bool = False

    def problem(self) -> Problem:
        return Problem(str(self.path), None, None, "", self.said)


@dataclass
class ItemResult:
    item: Item
    counts: tuple[int, ...]  # per level, lowest first
    blank: int

    @property
    def answered(self) -> int:
        return sum(self.counts)

    @property
    def respondents(self) -> int:
        return self.answered + self.blank

    def share(self, n: int) -> Decimal:
        """n as a percentage of all respondents, whole numbers."""
        if not self.respondents:
            return Decimal(0)
        return (Decimal(100 * n) / Decimal(self.respondents)).quantize(Decimal("1"), ROUND_HALF_UP)

    @property
    def mean(self) -> Decimal | None:
        if not self.answered:
            return None
        total = sum(score * n for score, n in enumerate(self.counts, start=1))
        return (Decimal(total) / Decimal(self.answered)).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def gesprekspunt(self) -> bool:
        n = self.answered
        return n >= 2 and self.counts[0] >= DIVERGENT_SHARE * n and self.counts[-1] >= DIVERGENT_SHARE * n


@dataclass
class Tally:
    checklist: Checklist
    copies: list[Copy]
    items: list[ItemResult]
    comments: dict[str, list[str]] = field(default_factory=dict)  # category id -> texts
    group: str = ""  # "rol: leraar" for a --per section

    @property
    def respondents(self) -> int:
        return len(self.copies)

    def ranked(self, count: int = 3) -> tuple[list[ItemResult], list[ItemResult]]:
        """At most `count` strongest and weakest items: highest and lowest mean, but only items
        above (below) the median item, so a middling item is never called strong or weak."""
        scored = [r for r in self.items if r.mean is not None]
        if not scored:
            return [], []
        middle = median(r.mean for r in scored)
        strongest = sorted((r for r in scored if r.mean > middle), key=lambda r: -r.mean)[:count]
        weakest = sorted((r for r in scored if r.mean < middle), key=lambda r: r.mean)[:count]
        return strongest, weakest

    def people(self, field_name: str) -> list[tuple[str, int]]:
        """How many copies per value of a person field (rol, school), normalised for case and
        spaces and shown as most people wrote it; most frequent first, blank last."""
        return [(label, len(copies)) for label, copies in groups(self.copies, field_name)]

    def dates(self) -> tuple[date, date] | None:
        found = [d for d in (parse_date(c.person.get("datum", "")) for c in self.copies) if d]
        return (min(found), max(found)) if found else None

    def unreadable_dates(self) -> int:
        """Copies with a date filled in that cannot be read (left out of `dates`)."""
        return sum(1 for c in self.copies if unreadable_date(c))


def plural(n: int, one: str, many: str) -> str:
    """'1 ingevuld exemplaar', '2 ingevulde exemplaren'."""
    return f"{n} {one if n == 1 else many}"


def copies_text(n: int) -> str:
    return plural(n, "ingevuld exemplaar", "ingevulde exemplaren")


def groups(copies: list[Copy], field_name: str) -> list[tuple[str, list[Copy]]]:
    """Copies grouped by a person field, normalised for case and spaces."""
    by_key: dict[str, list[Copy]] = {}
    for copy in copies:
        by_key.setdefault(" ".join(copy.person.get(field_name, "").split()).casefold(), []).append(copy)

    def label(key: str, members: list[Copy]) -> str:
        if not key:
            return BLANK
        spellings = [" ".join(c.person[field_name].split()) for c in members]
        return max(dict.fromkeys(spellings), key=spellings.count)

    ordered = sorted(by_key.items(), key=lambda kv: (not kv[0], -len(kv[1]), kv[0]))
    return [(label(key, members), members) for key, members in ordered]


MONTHS = {name: n for n, names in enumerate(
    [("jan", "januari"), ("feb", "februari"), ("mrt", "maart"), ("apr", "april"), ("mei",),
     ("jun", "juni"), ("jul", "juli"), ("aug", "augustus"), ("sep", "sept", "september"),
     ("okt", "oktober"), ("nov", "november"), ("dec", "december")], start=1) for name in names}


def parse_date(text: str) -> date | None:
    """A date as people type it: 3-2-2026, 03/02/26, 2026-02-03, 3 februari 2026."""
    text = text.strip().lower()
    patterns = ((r"(\d{4})-(\d{1,2})-(\d{1,2})", (1, 2, 3)), (r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})", (3, 2, 1)))
    for pattern, (y, m, d) in patterns:
        match = re.fullmatch(pattern, text)
        if match:
            return _date(match.group(y), match.group(m), match.group(d))
    match = re.fullmatch(r"(\d{1,2})\s+([a-z]+)\.?\s+(\d{2,4})", text)
    if match and match.group(2) in MONTHS:
        return _date(match.group(3), str(MONTHS[match.group(2)]), match.group(1))
    return None


def _date(year: str, month: str, day: str) -> date | None:
    y = int(year) + (2000 if len(year) == 2 else 0)
    try:
        return date(y, int(month), int(day))
    except ValueError:
        return None


def select(copies: list[Copy]) -> tuple[list[Copy], list[Note]]:
    """The copies that count, and a note for each that does not (blank, duplicate) or that
    counts with a remark (a stored value that differs from what a viewer shows)."""
    counted, notes = [], []
    by_digest: dict[str, Copy] = {}
    by_answers: dict[tuple, Copy] = {}
    for copy in copies:
        if copy.answered == 0 and copy.disagreements:
            notes.append(Note(copy.path, msg.TALLY_STORED_NOT_SHOWN(count=len(copy.disagreements),
                                                                    field=copy.disagreements[0])))
            continue
        if copy.answered == 0:
            notes.append(Note(copy.path, msg.TALLY_BLANK()))
            continue
        if copy.digest in by_digest:
            notes.append(Note(copy.path, msg.TALLY_SAME_FILE(first=by_digest[copy.digest].path.name)))
            continue
        key = _identity(copy)
        if key in by_answers:
            notes.append(Note(copy.path, msg.TALLY_SAME_ANSWERS(first=by_answers[key].path.name)))
            continue
        by_digest[copy.digest] = copy
        if key is not None:
            by_answers[key] = copy
        counted.append(copy)
        notes += _disagreement_notes(copy) + _date_notes(copy)
    return counted, notes


def unreadable_date(copy: Copy) -> str:
    """The date as written, when it is filled in but cannot be read; else ''."""
    written = copy.person.get("datum", "").strip()
    return written if written and parse_date(written) is None else ""


def _date_notes(copy: Copy) -> list[Note]:
    """A date nobody can read is left out of the date range: say so, or the range looks complete."""
    written = unreadable_date(copy)
    return [Note(copy.path, msg.TALLY_UNREADABLE_DATE(value=written), counted=True)] if written else []


def _identity(copy: Copy) -> tuple | None:
    name = copy.person.get("naam", "").casefold()
    day = copy.person.get("datum", "").casefold()
    if not name and not day:
        return None
    return (copy.checklist.id, name, day, tuple(sorted(copy.answers.items(), key=lambda kv: kv[0])),
            tuple(sorted(copy.comments.items())))


def _disagreement_notes(copy: Copy) -> list[Note]:
    notes = []
    for field_name in copy.disagreements:
        item = next(i for i in copy.checklist.items if i.field == field_name)
        shown = copy.answers[field_name]
        said = msg.TALLY_DISAGREES(field=field_name, text=item.text[:40] + "…",
                                   shown=copy.checklist.label(shown) if shown else msg.TALLY_NO_CHOICE())
        notes.append(Note(copy.path, said, counted=True))
    return notes


def count(copies: list[Copy], order: list[Checklist], group: str = "") -> list[Tally]:
    """One Tally per checklist that has copies, in the order of `order`."""
    tallies = []
    for checklist in order:
        mine = [c for c in copies if c.checklist is checklist]
        if not mine:
            continue
        items = []
        for item in checklist.items:
            answers = [c.answers[item.field] for c in mine]
            counts = tuple(answers.count(level.value) for level in checklist.levels)
            items.append(ItemResult(item, counts, answers.count(None)))
        comments = {cat.id: [c.comments[cat.id] for c in mine if cat.id in c.comments]
                    for cat in checklist.categories}
        tallies.append(Tally(checklist, mine, items, {k: v for k, v in comments.items() if v}, group))
    return tallies


def count_per(copies: list[Copy], order: list[Checklist], per: str) -> list[Tally]:
    """One Tally per checklist and value of the person field `per` (rol or school)."""
    tallies = []
    for checklist in order:
        mine = [c for c in copies if c.checklist is checklist]
        for label, members in groups(mine, GROUPINGS[per]):
            tallies += count(members, [checklist], f"{per}: {label}")
    return tallies
