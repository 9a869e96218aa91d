"""Build a deck: load → plan faces (render) → place and write (writers, impose).

Takes deck files (a `project.Selection`'s decks) and `Options`; gives a print-shop PDF and an
office PDF per deck in OUT/<deck>/. Both are written through `output.write_atomically`:
renamed into place only when the whole deck succeeded and the files read back, so a failed
build never touches a good PDF.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from kaartgen import impose
from kaartgen.cmyk import Converter, load_converter
from kaartgen.decks import load_decks
from kaartgen import messages as msg
from kaartgen.errors import KaartgenError, Problem, Where
from kaartgen.fonts import FontFamily, register_family
from kaartgen.model import Card, Deck, Printer
from kaartgen.output import OutputError, output_folder, write_atomically
from kaartgen.project import Project, Wanted, suggestion
from kaartgen.render import CMYKPaint, Context, Frame, Paint, plan_face
from kaartgen.writers import Face, OfficeSheetWriter, PdfInfo, PlainWriter, PrintShopWriter, SheetLabels

__all__ = ["Options", "Project", "Result", "build_deck", "check_deck", "load_all", "plan_deck"]

# Printed under the cards of an office sheet; the cards are Dutch, so is this line.
SHEET_LABELS = SheetLabels(front="{title} – vel {sheet}, voorkant",
                           back_long_edge="{title} – vel {sheet}, achterkant – dubbelzijdig afdrukken, lange kant",
                           back_short_edge="{title} – vel {sheet}, achterkant – dubbelzijdig afdrukken, korte kant",
                           single="{title} – vel {sheet} – enkelzijdig afdrukken, geen achterkant")


@dataclass
class Options:
    out: Path
    printer: Printer = field(default_factory=Printer)
    extra_values: dict = field(default_factory=dict)  # e.g. set.* for a partnership
    extra_where: dict = field(default_factory=dict)  # where each extra value was written, for messages
    cmyk: bool = False  # the print-shop PDF in DeviceCMYK; the office PDF stays RGB
    icc: Path | None = None  # the print shop's output profile for --cmyk (default: the shipped FOGRA39L)
    guides: bool = False  # draw trim, bleed and safe zone for designers
    strict: bool = False  # warnings (contrast, image resolution) become errors
    title_suffix: str = ""  # the partnership's name, for the PDF metadata
    sheet_labels: SheetLabels = SHEET_LABELS


@dataclass
class Result:
    deck: str
    files: list[Path]
    pages: int
    seconds: float
    warnings: list[Problem]


def load_all(project: Project, wanted: list[Wanted | Path]) -> list[Deck]:
    """The decks of every file (or just the variant asked for); problems from all files together,
    with the decks that could be made anyway as the error's `partial` (for `kaartgen check`)."""
    decks, problems = [], []
    for item in wanted:
        item = item if isinstance(item, Wanted) else Wanted(item)
        try:
            decks += _variant(load_decks(item.path, project.layouts), item, project)
        except KaartgenError as exc:
            problems += exc.problems
            decks += [d for d in exc.partial or [] if isinstance(d, Deck) and (item.variant is None or d.name == item.name)]
    if problems:
        raise KaartgenError(problems, partial=decks)
    return decks


def _variant(decks: list[Deck], wanted: Wanted, project: Project) -> list[Deck]:
    """The one variant asked for; a name that is no variant is an error listing the real ones."""
    if wanted.variant is None:
        return decks
    chosen = [deck for deck in decks if deck.name == wanted.name]
    if chosen:
        return chosen
    names = [deck.name for deck in decks if deck.name != wanted.path.stem]
    file = project.shown(wanted.path)
    said = (msg.UNKNOWN_VARIANT(suggestion=suggestion(wanted.name, names), file=file, variants=names) if names
            else msg.NO_VARIANTS(file=file, deck=wanted.path.stem))
    raise KaartgenError(Problem(wanted.name, None, None, "", said))


@dataclass
class PlannedCard:
    card: Card
    face: Face


@dataclass
class DeckPlan:
    """A deck's faces, planned card by card while they are written (memory stays flat).

    `warnings` is complete once `faces` is exhausted; problems (text that does not fit, a
    missing image) are raised together at the end of `faces`, after every card was tried.
    """

    deck: Deck
    faces: Iterator[PlannedCard]
    warnings: list[Problem]


def plan_deck(deck: Deck, project: Project, options: Options, paint: Paint | None = None) -> DeckPlan:
    warnings: list[Problem] = []
    return DeckPlan(deck, _plan_cards(deck, project, options, paint or Paint(), warnings), warnings)


def _plan_cards(deck: Deck, project: Project, options: Options, paint: Paint,
                warnings: list[Problem]) -> Iterator[PlannedCard]:
    family = register_family(deck.layout.font_files)
    problems: list[Problem] = []
    base_values = {**{f"deck.{k}": v for k, v in deck.meta.items()}, **options.extra_values}
    value_where = {**deck.meta_where, **options.extra_where}
    problems += _footer_glyphs(deck, family)
    shared_backs: dict[str, list] = {}
    images: dict = {}  # decoded images, shared by every card of the deck
    frame = Frame(0, deck.layout.height, deck.layout.width, deck.layout.height)
    for index, card in enumerate(deck.cards, start=1):
        where = Where.of(card.where)
        card_where = Where(where, where.path, {**value_where, **where.keys})
        card_values = {"card.id": card.id, "card.index": index, "card.count": len(deck.cards)}
        ctx = Context(layout=deck.layout, family=family, values={**base_values, **card.fields, **card_values},
                      project=project.root, deck=deck.name, card_id=card.id, card_where=card_where,
                      paint=paint, warnings=warnings, strict=options.strict, images=images)
        try:
            face = _plan_card(card, deck, ctx, frame, shared_backs)
        except KaartgenError as exc:
            shared = {where[:3] for where in value_where.values()}  # a set's name is wrong once, not per card
            problems += [p for p in exc.problems if (p.file, p.line, p.column) not in shared
                         or not any((p.file, p.line, p.column) == (q.file, q.line, q.column) for q in problems)]
            continue
        if not problems:
            yield PlannedCard(card, face)
    warnings[:] = {str(w): w for w in warnings}.values()  # a shared back warns once, not per card
    if options.strict:
        problems += warnings
    if problems:
        raise KaartgenError(problems)


def _footer_glyphs(deck: Deck, family: FontFamily) -> list[Problem]:
    """The office sheets print the deck title under the cards: it must have every glyph too."""
    missing = family.missing_glyphs(deck.meta.get("title", deck.name)) if deck.layout.sheet.mode == "n-up" else []
    if not missing:
        return []
    chars = [f"'{c}' (U+{ord(c):04X})" for c in missing]
    file, line, column, path = deck.meta_where.get("deck.title", (deck.file, None, None, "deck.title"))
    return [Problem(file, line, column, path, msg.ON_DECK(deck=deck.name, text=msg.NO_GLYPH_IN_TITLE(chars=chars)))]


def _plan_card(card: Card, deck: Deck, ctx: Context, frame: Frame, shared_backs: dict) -> Face:
    template = deck.layout.templates[card.template]
    front = plan_face(template.front, ctx, frame)
    if template.back is None:
        return Face(card.id, front)
    if not template.shared_back:
        return Face(card.id, front, plan_face(template.back, replace(ctx, backdrops=[]), frame))
    if template.back_face not in shared_backs:  # the same on every card: plan once
        shared_backs[template.back_face] = plan_face(template.back, replace(ctx, backdrops=[]), frame)
    return Face(card.id, front, shared_backs[template.back_face], shared_back=template.back_face)


def check_deck(deck: Deck, project: Project, options: Options) -> list[Problem]:
    """Plan every face without writing: catches text that does not fit and missing images."""
    plan = plan_deck(deck, project, options)
    for _ in plan.faces:
        pass
    return plan.warnings


def build_deck(deck: Deck, project: Project, options: Options) -> Result:
    try:
        return _build_deck(deck, project, options)
    except OutputError as exc:  # a full disk, a read-only folder, a file where a folder should be
        raise OutputError([replace(p, said=msg.ON_DECK(deck=deck.name, text=p.said)) for p in exc.problems])


def office_file_name(deck: Deck) -> str:
    """<deck>-a4.pdf for n-up sheets; for plain pages the name of the real page size (the trim)."""
    layout = deck.layout
    if layout.sheet.mode == "n-up":
        return f"{deck.name}-{layout.sheet.size.lower()}.pdf"
    return f"{deck.name}-{impose.page_name(layout.width, layout.height).lower()}.pdf"


def _build_deck(deck: Deck, project: Project, options: Options) -> Result:
    started = time.perf_counter()
    folder = output_folder(options.out, deck.name)
    targets = [folder / f"{deck.name}-drukwerk.pdf", folder / office_file_name(deck)]
    pages, warnings = write_atomically(targets, lambda temps: _write_deck(deck, project, options, temps))
    return Result(deck.name, targets, pages, time.perf_counter() - started, warnings)


def _write_deck(deck: Deck, project: Project, options: Options, temps: list[Path]) -> tuple[int, list[Problem]]:
    """Write the print-shop PDF and the office PDF to `temps`; returns (pages, warnings)."""
    converter = load_converter(options.icc) if options.cmyk else None
    shop, office = _writers(deck, options, temps, converter)
    office_plan = plan_deck(deck, project, options)
    # Colours are fixed when a face is planned, so a CMYK print file needs its own plan.
    shop_faces = plan_deck(deck, project, options, CMYKPaint(converter)).faces if options.cmyk else None
    for planned in office_plan.faces:
        shop.add(planned.face if shop_faces is None else next(shop_faces).face)
        office.add(planned.face)
    return shop.finish() + office.finish(), office_plan.warnings


def pdf_info(deck: Deck, options: Options) -> PdfInfo:
    title = deck.meta.get("title", deck.name)
    if deck.meta.get("subtitle"):
        title = f"{title} – {deck.meta['subtitle']}"
    keywords = deck.meta.get("keywords", "Samen Opleiden & Professionaliseren")
    if options.title_suffix:
        title = f"{title} – {options.title_suffix}"
        keywords = f"{keywords}; {options.title_suffix}"
    return PdfInfo(title=title, author=deck.meta.get("author", "kaartgen"), subject=deck.meta.get("subject", title),
                   keywords=keywords)


def _writers(deck: Deck, options: Options, temps: list[Path], converter: Converter | None):
    layout = deck.layout
    font = register_family(layout.font_files).name(False, False)
    info = pdf_info(deck, options)
    shop = PrintShopWriter(temps[0], layout, info, font, converter=converter, guides=options.guides)
    if layout.sheet.mode == "n-up":
        labels = options.sheet_labels.for_title(deck.meta.get("title", deck.name))
        office = OfficeSheetWriter(temps[1], layout, info, font, printer=options.printer, labels=labels,
                                   guides=options.guides)
    else:
        office = PlainWriter(temps[1], (layout.width, layout.height), info, font,
                             guides=layout if options.guides else None)
    return shop, office
