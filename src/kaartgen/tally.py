"""Tally filled-in checklist copies: read them, count the answers per item, write a summary.

Reading. Copies are read with pypdf, never by scanning bytes: a browser (pdf.js) saves an
incremental update, so the file still holds the empty objects of the original. A copy is
recognised by the form id and version in its document info (/KaartgenForm,
/KaartgenFormVersion), or else by the hidden field `kaartgen_form`. An answer is the radio
group's /V, or else the state (/AS) of the widget that is switched on; programs differ in
which one they write. pypdf decodes #20-style escapes in names and UTF-16 text strings.

Counting. Scores run from 1 (lowest level, 'nog in startfase') to 3 ('sterk ontwikkeld');
the mean leaves out copies where the item is blank. An item is a *gesprekspunt* (the
answers diverge widely) when at least a quarter of those who answered it chose the lowest
level and at least a quarter chose the highest: people see the same thing very
differently, which is worth a conversation whatever the mean says.

Output. summary.pdf (per item a stacked bar, counts, strongest and weakest items,
gesprekspunten, and the comments; one section per checklist) and summary.csv, written the
way a Dutch spreadsheet expects: UTF-8 with a byte-order mark, ';' between fields and a
decimal comma ("2,40"), so it opens in columns with a double click.
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from statistics import median

from pypdf import PdfReader

from kaartgen import messages as msg
from kaartgen.checklists import Checklist, Item, checklist_files, load_checklist
from kaartgen.errors import KaartgenError, Problem
from kaartgen.output import write_atomically
from kaartgen.pdfform import FORM_KEY, ID_FIELD, VERSION_KEY

DIVERGENT_SHARE = 0.25  # both extremes chosen by at least this share of the answers: gesprekspunt
BLANK = "niet ingevuld"


class Skipped(Exception):
    """A file that is not a usable copy; `said` says why."""

    def __init__(self, said: msg.Said):
        super().__init__(str(said))
        self.said = said


@dataclass
class Copy:
    path: Path
    checklist: Checklist
    answers: dict[str, str | None]  # field name -> level value, None when blank
    comments: dict[str, str]  # category id -> comment text


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


# --- reading ------------------------------------------------------------------------------

def expand(inputs: list[Path]) -> list[Path]:
    """Files as given; a folder stands for the PDFs directly inside it."""
    out = []
    for path in inputs:
        if path.is_dir():
            out += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".pdf")
        else:
            out.append(path)
    return out


def known_checklists(cards_dir: Path) -> dict[str, Checklist]:
    """The checklists in cards/ by form id: a copy is read against its definition."""
    known: dict[str, Checklist] = {}
    for path in checklist_files(cards_dir):
        checklist = load_checklist(path)
        if checklist.id in known:
            raise KaartgenError(checklist.doc.problem(("checklist", "id"), msg.FORM_ID_TWICE(
                id=checklist.id, file=known[checklist.id].doc.file)))
        known[checklist.id] = checklist
    if not known:
        raise KaartgenError(Problem(str(cards_dir), None, None, "", msg.NO_CHECKLISTS()))
    return known


def read_copy(path: Path, known: dict[str, Checklist]) -> Copy:
    if not path.is_file():
        raise Skipped(msg.NO_SUCH_FILE())
    with path.open("rb") as handle:
        if b"%PDF-" not in handle.read(1024):
            raise Skipped(msg.NOT_A_PDF())
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.ERROR)  # its warnings about a damaged file would clutter our one-line reason
    try:
        reader = PdfReader(path, strict=False)
        info = {key: str(value) for key, value in (reader.metadata or {}).items()}
        fields = _fields(reader)
    except Exception as exc:  # pypdf raises many kinds of errors on a damaged file
        raise Skipped(msg.DAMAGED_PDF(reason=f"{exc.__class__.__name__}: {exc}"))
    finally:
        log.setLevel(level)
    form_id, version = _form_id(info, fields)
    if form_id not in known:
        raise Skipped(msg.UNKNOWN_FORM(id=form_id, choices=sorted(known)))
    checklist = known[form_id]
    if version != str(checklist.version):
        raise Skipped(msg.OTHER_FORM_VERSION(version=version, id=form_id, current=checklist.version))
    missing = [item.field for item in checklist.items if item.field not in fields]
    if missing:
        raise Skipped(msg.FORM_FIELDS_MISSING(fields=missing[:3] + (["…"] if len(missing) > 3 else [])))
    values = [level.value for level in checklist.levels]
    answers = {}
    for item in checklist.items:
        answer = _radio_value(fields[item.field])
        if answer is not None and answer not in values:
            raise Skipped(msg.BAD_ANSWER(field=item.field, answer=answer, choices=values))
        answers[item.field] = answer
    comments = {c.id: _text_value(fields.get(c.comment_field)) for c in checklist.categories}
    return Copy(path, checklist, answers, {k: v for k, v in comments.items() if v})


def _form_id(info: dict, fields: dict) -> tuple[str, str]:
    if info.get(FORM_KEY):
        return info[FORM_KEY], info.get(VERSION_KEY, "?")
    hidden = _text_value(fields.get(ID_FIELD))
    if hidden and "/" in hidden:  # the document info was dropped by the program that saved it
        form_id, _, version = hidden.rpartition("/")
        return form_id, version
    raise Skipped(msg.NOT_A_FORM())


def _fields(reader: PdfReader) -> dict[str, dict]:
    """Terminal fields by fully qualified name ('ondersteunende_cultuur.3')."""
    acroform = reader.trailer["/Root"].get("/AcroForm")
    out: dict[str, dict] = {}
    if acroform is None:
        return out

    def walk(node, prefix: str, depth: int) -> None:
        node = node.get_object()
        name = f"{prefix}.{node['/T']}" if prefix and "/T" in node else str(node.get("/T", prefix))
        kids = [kid.get_object() for kid in node.get("/Kids", [])]
        if depth < 32 and any("/T" in kid for kid in kids):  # kids are fields, not widgets
            for kid in kids:
                walk(kid, name, depth + 1)
        else:
            out[name] = node

    for top in acroform.get_object().get("/Fields", []):
        walk(top, "", 0)
    return out


def _radio_value(node: dict) -> str | None:
    """The group's /V, or else the /AS of the widget that is on; None when nothing is chosen."""
    state = _state(node.get("/V"))
    if state is None:
        widgets = [kid.get_object() for kid in node.get("/Kids", [])] or [node]
        chosen = [_state(w.get("/AS")) for w in widgets if _state(w.get("/AS")) is not None]
        state = chosen[0] if chosen else None
    options = node.get("/Opt")
    if state is not None and options is not None and state.isdigit() and int(state) < len(options):
        state = str(options[int(state)])  # states may be indices into the export values in /Opt
    return state


def _state(value) -> str | None:
    # A name (/sterk) as the standard says, but some programs (pypdf among them) write the
    # text "/sterk" or "sterk" instead; "Off" means no choice.
    if value is None:
        return None
    text = str(value)
    text = text[1:] if text.startswith("/") else text
    return None if text in ("", "Off") else text


def _text_value(node) -> str:
    if node is None or node.get("/V") is None:
        return ""
    value = node["/V"]
    if isinstance(value, bytes):  # a byte string pypdf could not read as text
        value = value.decode("utf-8", errors="replace")
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


# --- counting -----------------------------------------------------------------------------

def count(copies: list[Copy], order: list[Checklist]) -> list[Tally]:
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
        tallies.append(Tally(checklist, mine, items, {k: v for k, v in comments.items() if v}))
    return tallies


# --- writing ------------------------------------------------------------------------------

def write_csv(tallies: list[Tally], path: Path) -> None:
    levels = list(dict.fromkeys(level.value for t in tallies for level in t.checklist.levels))
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["checklist", "veld", "item", *levels, BLANK, "respondenten", "gemiddelde"])
        for tally in tallies:
            for result in tally.items:
                by_level = dict(zip((lv.value for lv in tally.checklist.levels), result.counts))
                mean = "" if result.mean is None else str(result.mean).replace(".", ",")
                writer.writerow([tally.checklist.id, result.item.field, result.item.text,
                                 *(by_level.get(v, "") for v in levels), result.blank, result.respondents, mean])


@dataclass
class Outcome:
    files: list[Path]
    tallies: list[Tally]
    skipped: list[Problem]


def run(inputs: list[Path], out: Path, project_root: Path) -> Outcome:
    """Read every copy, count, write summary.pdf and summary.csv; bad files are listed, not fatal."""
    from kaartgen import summary  # drawing the PDF needs reportlab and the layout; keep reading light

    known = known_checklists(project_root / "cards")
    copies, skipped = [], []
    for path in expand(inputs):
        try:
            copies.append(read_copy(path, known))
        except Skipped as exc:
            skipped.append(Problem(str(path), None, None, "", msg.SKIPPED(text=exc.said)))
    if not copies:
        raise KaartgenError(skipped + [Problem(" ".join(map(str, inputs)) or ".", None, None, "", msg.NO_COPIES())])
    tallies = count(copies, list(known.values()))
    out.mkdir(parents=True, exist_ok=True)
    targets = [out / "summary.pdf", out / "summary.csv"]

    def write(temps):
        summary.write_pdf(tallies, temps[0], project_root)
        write_csv(tallies, temps[1])

    write_atomically(targets, write)
    return Outcome(targets, tallies, skipped)
