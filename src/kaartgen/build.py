"""The pipeline: load and validate → resolve layout → plan faces → impose → write.

Each deck gives a print-shop PDF (one face per page, bleed, crop marks, page boxes) and an
office PDF (n-up sheets with cut marks and duplex backs, or plain pages for posters).
PDFs are written through `output.write_atomically`: renamed into place only when the whole
deck succeeded and the files read back, so a failed build never touches a good PDF.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from kaartgen import impose
from kaartgen.decks import deck_files, load_decks
from kaartgen.errors import KaartgenError, Problem
from kaartgen.fonts import FontFamily, register_family
from kaartgen.model import Card, Deck, Layout, Printer, Template
from kaartgen.output import OutputError, output_folder, write_atomically
from kaartgen.render import CMYKPaint, Context, Frame, Paint, draw, plan_face
from kaartgen.units import MM


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def cards(self) -> Path:
        return self.root / "cards"

    @property
    def layouts(self) -> Path:
        return self.root / "layouts"


@dataclass
class Options:
    out: Path
    printer: Printer = field(default_factory=Printer)
    extra_values: dict = field(default_factory=dict)  # e.g. set.* for a partnership
    cmyk: bool = False  # the print-shop PDF in DeviceCMYK; the office PDF stays RGB
    guides: bool = False  # draw trim, bleed and safe zone for designers
    strict: bool = False  # warnings (contrast, image resolution) become errors
    title_suffix: str = ""  # the partnership's name, for the PDF metadata


@dataclass
class Result:
    deck: str
    files: list[Path]
    pages: int
    seconds: float
    warnings: list[Problem]


def find_decks(project: Project, names: list[str] | None = None) -> list[Path]:
    files = deck_files(project.cards)
    if not names:
        return files
    by_name = {p.stem: p for p in files}
    chosen, problems = [], []
    for name in names:
        path = Path(name)
        if path.suffix == ".yaml" and path.is_file():
            chosen.append(path)
        elif name in by_name:
            chosen.append(by_name[name])
        elif any(name.startswith(stem + "-") for stem in by_name):  # a variant, e.g. dialoogkaart-po
            chosen.append(by_name[next(s for s in by_name if name.startswith(s + "-"))])
        else:
            from kaartgen.schema import suggest
            problems.append(Problem(name, None, None, "", f"unknown deck{suggest(name, list(by_name))}; "
                                                          f"decks: {', '.join(by_name)}"))
    if problems:
        raise KaartgenError(problems)
    return list(dict.fromkeys(chosen))


def load_all(project: Project, paths: list[Path]) -> list[Deck]:
    """Every deck in `paths`; problems from all files are reported together."""
    decks, problems = [], []
    for path in paths:
        try:
            decks += load_decks(path, project.layouts)
        except KaartgenError as exc:
            problems += exc.problems
    if problems:
        raise KaartgenError(problems)
    return decks


def plan_deck(deck: Deck, project: Project, options: Options, paint: Paint | None = None):
    """Yield (card, front ops, back ops) for each card; all fitting problems are raised together.

    The last item is (None, warnings, None).
    """
    family = register_family(deck.layout.font_files)
    problems: list[Problem] = []
    warnings: list[Problem] = []
    base_values = {**{f"deck.{k}": v for k, v in deck.meta.items()}, **options.extra_values}
    static_backs: dict[str, list] = {}
    images: dict = {}  # decoded images, shared by every card of the deck
    for card in deck.cards:
        template = deck.layout.templates[card.template]
        ctx = Context(layout=deck.layout, family=family, values={**base_values, **card.fields,
                                                                 "card.id": card.id},
                      project=project.root, deck=deck.name, card_id=card.id, card_where=card.where,
                      paint=paint or Paint(), warnings=warnings, strict=options.strict, images=images)
        frame = Frame(0, deck.layout.height, deck.layout.width, deck.layout.height)
        try:
            front = plan_face(template.front, ctx, frame)
            back = None
            if template.back is not None:
                if template.shared_back:  # the same on every card: plan once
                    if template.back_face not in static_backs:
                        static_backs[template.back_face] = plan_face(template.back, replace(ctx, backdrops=[]), frame)
                    back = static_backs[template.back_face]
                else:
                    back = plan_face(template.back, replace(ctx, backdrops=[]), frame)
        except KaartgenError as exc:
            problems += exc.problems
            continue
        if not problems:
            yield card, front, back
    warnings = list({str(w): w for w in warnings}.values())  # a shared back warns once, not per card
    if options.strict:
        problems += warnings
    if problems:
        raise KaartgenError(problems)
    yield None, warnings, None


def check_deck(deck: Deck, project: Project, options: Options) -> list[Problem]:
    """Plan every face without writing: catches text that does not fit and missing images."""
    warnings = []
    for card, front, _ in plan_deck(deck, project, options):
        if card is None:
            warnings = front
    return warnings


def build_deck(deck: Deck, project: Project, options: Options) -> Result:
    try:
        return _build_deck(deck, project, options)
    except OutputError as exc:  # a full disk, a read-only folder, a file where a folder should be
        raise OutputError([replace(p, said=f"deck '{deck.name}': {p.message}") for p in exc.problems])


def _build_deck(deck: Deck, project: Project, options: Options) -> Result:
    started = time.perf_counter()
    folder = output_folder(options.out, deck.name)
    layout = deck.layout
    family = register_family(layout.font_files)
    office_name = f"{deck.name}-{layout.sheet.size.lower()}.pdf"
    targets = [folder / f"{deck.name}-drukwerk.pdf", folder / office_name]
    pages, warnings = write_atomically(targets, lambda temps: _write_deck(deck, project, options, family, temps))
    return Result(deck.name, targets, pages, time.perf_counter() - started, warnings)


def _write_deck(deck: Deck, project: Project, options: Options, family: FontFamily, temps: list[Path]):
    """Write the print-shop PDF and the office PDF to `temps`; returns (pages, warnings)."""
    layout = deck.layout
    shop = PrintShopWriter(temps[0], deck, family, options)
    office = (OfficeSheetWriter if layout.sheet.mode == "n-up" else PlainWriter)(temps[1], deck, family, options)
    warnings: list[Problem] = []
    office_plans = plan_deck(deck, project, options)
    # Colours are fixed when a face is planned, so a CMYK print file needs its own plan.
    shop_plans = plan_deck(deck, project, options, CMYKPaint()) if options.cmyk else None
    for card, front, back in office_plans:
        shop_front, shop_back = (front, back) if shop_plans is None else next(shop_plans)[1:]
        if card is None:
            warnings = front
            continue
        template = layout.templates[card.template]
        shop.add(card, template, shop_front, shop_back)
        office.add(card, template, front, back)
    return shop.finish() + office.finish(), warnings


def new_canvas(path: Path, size, deck: Deck, family: FontFamily, options: Options, cmyk: bool = False) -> Canvas:
    canvas = Canvas(str(path), pagesize=size, invariant=1, pageCompression=1, lang="nl-NL",
                    initialFontName=family.name(False, False), initialFontSize=9,
                    enforceColorSpace="cmyk" if cmyk else None)
    title = deck.meta.get("title", deck.name)
    if deck.meta.get("subtitle"):
        title = f"{title} – {deck.meta['subtitle']}"
    keywords = deck.meta.get("keywords", "Samen Opleiden & Professionaliseren")
    if options.title_suffix:
        title = f"{title} – {options.title_suffix}"
        keywords = f"{keywords}; {options.title_suffix}"
    canvas.setTitle(title)
    canvas.setAuthor(deck.meta.get("author", "kaartgen"))
    canvas.setSubject(deck.meta.get("subject", title))
    canvas.setKeywords(keywords)
    canvas.setCreator("kaartgen")
    return canvas


class _FaceForms:
    """Form XObjects for faces; a shared back face becomes one form used by every card."""

    def __init__(self, canvas: Canvas, layout: Layout):
        self.canvas = canvas
        self.layout = layout
        self.shared: set[str] = set()

    def define(self, name: str, ops) -> str:
        b, layout = self.layout.bleed, self.layout
        self.canvas.beginForm(name, -b, -b, layout.width + b, layout.height + b)
        draw(self.canvas, ops)
        self.canvas.endForm()
        return name

    def back(self, card: Card, template: Template, ops) -> str:
        if template.shared_back:
            name = f"face-{template.back_face}"
            if name not in self.shared:
                self.define(name, ops)
                self.shared.add(name)
            return name
        return self.define(f"card-{card.id}-back", ops)


class PrintShopWriter:
    def __init__(self, path: Path, deck: Deck, family: FontFamily, options: Options):
        self.page = impose.print_page(deck.layout)
        self.layout = deck.layout
        self.canvas = new_canvas(path, (self.page.width, self.page.height), deck, family, options, options.cmyk)
        self.guides = options.guides
        self.forms = _FaceForms(self.canvas, deck.layout)
        self.pages = 0

    def add(self, card, template, front, back) -> None:
        # Each front is used once here, so it is drawn straight onto its page (clipped at the
        # bleed); only a back shared by every card is worth a reusable form.
        self._page(lambda c: self._draw_clipped(front))
        if back is not None:
            if template.shared_back:
                name = self.forms.back(card, template, back)
                self._page(lambda c: self.canvas.doForm(name))
            else:
                self._page(lambda c: self._draw_clipped(back))

    def _draw_clipped(self, ops) -> None:
        c, b = self.canvas, self.layout.bleed
        c.saveState()
        clip = c.beginPath()
        clip.rect(-b, -b, self.layout.width + 2 * b, self.layout.height + 2 * b)
        c.clipPath(clip, stroke=0, fill=0)
        draw(c, ops)
        c.restoreState()

    def _page(self, draw_face) -> None:
        c, page = self.canvas, self.page
        c.setTrimBox(page.trim_box)
        c.setBleedBox(page.bleed_box)
        c.saveState()
        c.translate(page.margin, page.margin)
        draw_face(c)
        if self.guides:
            impose.draw_guides(c, self.layout)
        c.restoreState()
        impose.draw_crop_marks(c, page, self.layout.marks)
        c.showPage()
        self.pages += 1

    def finish(self) -> int:
        self.canvas.save()
        return self.pages


class OfficeSheetWriter:
    """n-up sheets: a fronts page, then its backs page placed for duplex printing."""

    def __init__(self, path: Path, deck: Deck, family: FontFamily, options: Options):
        self.layout = deck.layout
        self.grid = impose.plan_grid(deck.layout)
        if self.grid.per_sheet == 0:
            raise KaartgenError(Problem(deck.layout.file, None, None, "size",
                                        f"a {deck.layout.width / MM:.0f}×{deck.layout.height / MM:.0f} mm card does "
                                        f"not fit on {deck.layout.sheet.size} with its margin"))
        self.printer = options.printer
        self.guides = options.guides
        self.title = deck.meta.get("title", deck.name)
        self.canvas = new_canvas(path, (self.grid.sheet_w, self.grid.sheet_h), deck, family, options)
        self.forms = _FaceForms(self.canvas, deck.layout)
        self.pending: list[tuple[str, str | None]] = []
        self.pages = 0
        self.sheets = 0

    def add(self, card, template, front, back) -> None:
        front_name = self.forms.define(f"card-{card.id}-front", front)
        back_name = self.forms.back(card, template, back) if back is not None else None
        self.pending.append((front_name, back_name))
        if len(self.pending) == self.grid.per_sheet:
            self._flush()

    def _flush(self) -> None:
        if not self.pending:
            return
        self.sheets += 1
        self._sheet_page([(self.grid.front(i), f) for i, (f, _) in enumerate(self.pending)], "voorkant")
        if any(b for _, b in self.pending):
            self._sheet_page([(self.grid.back(i, self.printer), b) for i, (_, b) in enumerate(self.pending) if b],
                             f"achterkant – dubbelzijdig afdrukken, {'lange' if self.printer.duplex == 'long-edge' else 'korte'} kant")
        self.pending = []

    def _sheet_page(self, placed, label: str) -> None:
        c, layout = self.canvas, self.layout
        bleed_room = min(self.grid.gap / 2, layout.bleed)
        for (x, y), name in placed:
            c.saveState()
            c.translate(x, y)
            clip = c.beginPath()
            clip.rect(-bleed_room, -bleed_room, layout.width + 2 * bleed_room, layout.height + 2 * bleed_room)
            c.clipPath(clip, stroke=0, fill=0)
            c.doForm(name)
            if self.guides:
                impose.draw_guides(c, layout, bleed=False)
            c.restoreState()
        marks = replace(layout.marks, style=self.printer.cut_marks or layout.marks.style)
        impose.draw_cut_marks(c, self.grid, marks)
        c.setFont(c._fontname, 6.5)
        c.drawString(self.grid.origin[0], 3.2 * MM, f"{self.title} – vel {self.sheets}, {label}")
        c.showPage()
        self.pages += 1

    def finish(self) -> int:
        self._flush()
        self.canvas.save()
        return self.pages


class PlainWriter:
    """One face per page at trim size, for posters and sheets printed as they are."""

    def __init__(self, path: Path, deck: Deck, family: FontFamily, options: Options):
        self.canvas = new_canvas(path, (deck.layout.width, deck.layout.height), deck, family, options)
        self.layout = deck.layout
        self.guides = options.guides
        self.pages = 0

    def add(self, card, template, front, back) -> None:
        for ops in (front, back):
            if ops is not None:
                draw(self.canvas, ops)
                if self.guides:
                    impose.draw_guides(self.canvas, self.layout, bleed=False)
                self.canvas.showPage()
                self.pages += 1

    def finish(self) -> int:
        self.canvas.save()
        return self.pages
