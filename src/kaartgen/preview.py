"""PNG previews of a deck: every face of the print-shop PDF, cut to the trim (or the bleed),
and one contact sheet with all faces.

Rendering uses pypdfium2 (a pip wheel, no system programs); the contact sheet uses Pillow.
Files go to <deck folder>/preview/: <card-id>-front.png, <card-id>-back.png and
<deck>-overzicht.png. A face is exactly round(trim / 72 × dpi) pixels wide and high; with
bleed, round(bleed / 72 × dpi) pixels more on every side, so the trim edge falls on a pixel edge.
"""

from __future__ import annotations

import math
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from kaartgen import messages as msg
from kaartgen.build import Options, build_deck, load_all
from kaartgen.errors import KaartgenError, Problem
from kaartgen.model import Deck
from kaartgen.output import write_atomically
from kaartgen.project import Project, select
from kaartgen.schema import suggest
from kaartgen.sets import set_decks

DEFAULT_DPI = 150
SHEET_NAME = "{deck}-overzicht.png"
THUMB = 260  # longest side of a face on the contact sheet, in pixels


@dataclass(frozen=True)
class Face:
    card_id: str
    side: str  # "front" or "back"
    page: int  # index in the print-shop PDF

    @property
    def file_name(self) -> str:
        return f"{self.card_id}-{self.side}.png"


@dataclass
class PreviewResult:
    deck: str
    folder: Path
    files: list[Path]
    sheet: Path | None
    seconds: float = 0.0


def faces(deck: Deck) -> list[Face]:
    """The pages of the print-shop PDF: front, then back if the template has one, card by card."""
    out, page = [], 0
    for card in deck.cards:
        out.append(Face(card.id, "front", page))
        page += 1
        if deck.layout.templates[card.template].back is not None:
            out.append(Face(card.id, "back", page))
            page += 1
    return out


def pixel_size(deck: Deck, dpi: int, bleed: bool) -> tuple[int, int]:
    layout = deck.layout
    extra = 2 * bleed_pixels(deck, dpi) if bleed else 0
    return round(layout.width / 72 * dpi) + extra, round(layout.height / 72 * dpi) + extra


def bleed_pixels(deck: Deck, dpi: int) -> int:
    return round(deck.layout.bleed / 72 * dpi)


def only_card(deck: Deck, card_id: str) -> Deck:
    """The deck with just this card; an unknown id is an error with a did-you-mean."""
    ids = [card.id for card in deck.cards]
    if card_id not in ids:
        raise KaartgenError(Problem(deck.file, None, None, "", msg.NO_CARD_IN_DECK(
            id=card_id, deck=deck.name, hint=suggest(card_id, ids), choices=ids)))
    return replace(deck, cards=[card for card in deck.cards if card.id == card_id])


def select_decks(project: Project, name: str, options: Options,
                 set_file: Path | None = None) -> tuple[list[Deck], Options]:
    """The decks NAME stands for (a deck, a .yaml file, or one variant such as dialoogkaart-po),
    customised by a partnership set if one is given, and the options for their output folder."""
    if set_file is None:
        selection = select(project, [name])
        if not selection.decks:
            raise KaartgenError(Problem(name, None, None, "", msg.NOT_A_DECK()))
        decks = load_all(project, selection.decks)
        chosen_options = options
    else:
        decks, chosen_options = set_decks(set_file, project, options)
        available = sorted({d.name for d in decks} | {Path(d.file).stem for d in decks})
        decks = [d for d in decks if name in (d.name, Path(d.file).stem, Path(name).stem)]
        if not decks:
            raise KaartgenError(Problem(str(set_file), None, None, "", msg.DECK_NOT_IN_SET(
                name=name, hint=suggest(name, available), choices=available)))
    exact = [d for d in decks if d.name == name]
    return (exact or decks), chosen_options


def preview_deck(deck: Deck, project: Project, options: Options, folder: Path, *, dpi: int = DEFAULT_DPI,
                 bleed: bool = False, card_id: str | None = None) -> PreviewResult:
    """Build the deck (or one card of it) in a temporary folder and render its faces into `folder`.

    The PDFs in output/ are left alone. With a card id only that card's PNGs are written and
    the contact sheet is kept as it was.
    """
    started = time.perf_counter()
    subset = only_card(deck, card_id) if card_id is not None else deck
    with tempfile.TemporaryDirectory(prefix="kaartgen-preview-") as temp:
        result = build_deck(subset, project, replace(options, out=Path(temp)))
        pdf = result.files[0]
        out = render_faces(pdf, subset, folder, dpi=dpi, bleed=bleed, sheet=card_id is None,
                           tidy=card_id is None)
    out.seconds = time.perf_counter() - started
    return out


def render_faces(pdf: Path, deck: Deck, folder: Path, *, dpi: int = DEFAULT_DPI, bleed: bool = False,
                 sheet: bool = True, tidy: bool = True) -> PreviewResult:
    """Render every face of a print-shop PDF that was built from `deck` into PNGs in `folder`.

    `tidy` removes face PNGs of cards that are no longer in the deck.
    """
    import pypdfium2 as pdfium

    folder.mkdir(parents=True, exist_ok=True)
    planned = faces(deck)
    size = pixel_size(deck, dpi, bleed)
    grow = bleed_pixels(deck, dpi) if bleed else 0
    scale = dpi / 72
    document = pdfium.PdfDocument(str(pdf))
    written: list[Path] = []
    images = []
    try:
        if len(document) != len(planned):
            raise KaartgenError(Problem(str(pdf), None, None, "", msg.PAGES_DO_NOT_MATCH(
                pages=len(document), deck=deck.name, faces=len(planned))))
        for face in planned:
            page = document[face.page]
            try:
                image = _render_trim(page, scale, size, grow)
            finally:
                page.close()
            target = folder / face.file_name
            _save_png(image, target)
            written.append(target)
            if sheet:
                images.append((face, image))
    finally:
        document.close()
    if tidy:
        keep = {p.name for p in written}
        for old in list(folder.glob("*-front.png")) + list(folder.glob("*-back.png")):
            if old.name not in keep:
                old.unlink(missing_ok=True)
    sheet_path = None
    if sheet:
        sheet_path = folder / SHEET_NAME.format(deck=deck.name)
        _save_png(contact_sheet(deck, images, dpi=dpi, bleed_px=grow), sheet_path)
    return PreviewResult(deck.name, folder, written, sheet_path)


def _render_trim(page, scale: float, size: tuple[int, int], grow: int):
    """The trim box of `page` (grown by `grow` pixels on every side) as an RGB image of exactly `size`."""
    left_pt, bottom_pt, right_pt, top_pt = page.get_cropbox()
    trim_left, _, _, trim_top = page.get_trimbox()
    width, height = size
    # where the wanted image starts in a full-page rendering, in whole pixels
    x0 = round((trim_left - left_pt) * scale) - grow
    y0 = round((top_pt - trim_top) * scale) - grow
    full_w = math.ceil((right_pt - left_pt) * scale)
    full_h = math.ceil((top_pt - bottom_pt) * scale)
    # let pdfium skip most of the rest (it rounds crops up, so leave two pixels spare), then cut exactly
    crop_l, crop_t = max(x0 - 2, 0), max(y0 - 2, 0)
    crop_r, crop_b = max(full_w - (x0 + width) - 2, 0), max(full_h - (y0 + height) - 2, 0)
    crop = (crop_l / scale, crop_b / scale, crop_r / scale, crop_t / scale)
    bitmap = page.render(scale=scale, crop=crop, fill_color=(255, 255, 255, 255), draw_annots=True)
    try:
        image = bitmap.to_pil().convert("RGB")
    finally:
        bitmap.close()
    dx, dy = x0 - math.ceil(crop[0] * scale), y0 - math.ceil(crop[3] * scale)
    return image.crop((dx, dy, dx + width, dy + height))


def _save_png(image, target: Path) -> None:
    """Write next to the target and rename, so a viewer never shows half a file."""
    write_atomically([target], lambda temps: image.save(temps[0], format="PNG", optimize=False, compress_level=3))


SIDE_LABEL = {"front": "voor", "back": "achter"}


def contact_sheet(deck: Deck, images: list, *, dpi: int, bleed_px: int = 0):
    """All faces in a grid, front and back of a card side by side, each with a small label."""
    from PIL import Image, ImageDraw

    font, title_font = _fonts(deck)
    if not images:
        return Image.new("RGB", (400, 100), "white")
    face_w, face_h = images[0][1].size
    factor = min(1.0, THUMB / max(face_w, face_h))
    thumb_w, thumb_h = max(1, round(face_w * factor)), max(1, round(face_h * factor))
    pad, label_h, header_h = 16, 22, 44
    cell_w, cell_h = thumb_w + pad, thumb_h + label_h + pad
    two_sided = any(face.side == "back" for face, _ in images)
    # about 4:3 overall, an even number of columns when cards have backs so pairs stay together
    columns = max(1, math.ceil(math.sqrt(len(images) * cell_h / cell_w * 4 / 3)))
    if two_sided and columns % 2:
        columns += 1
    columns = min(columns, len(images) + (len(images) % 2 if two_sided else 0))
    rows = math.ceil(len(images) / columns)
    cards = len({face.card_id for face, _ in images})
    title = (f"{deck.meta.get('title', deck.name)} ({deck.name}) – {cards} kaart{'en' if cards != 1 else ''}, "
             f"{len(images)} zijde{'n' if len(images) != 1 else ''}, {dpi} dpi")
    title_w = math.ceil(ImageDraw.Draw(Image.new("RGB", (1, 1))).textlength(title, font=title_font))
    width = max(columns * cell_w + pad, title_w + 2 * pad)
    sheet = Image.new("RGB", (width, header_h + rows * cell_h + pad), (232, 232, 232))
    draw = ImageDraw.Draw(sheet)
    draw.text((pad, 12), title, fill=(40, 40, 40), font=title_font)
    for i, (face, image) in enumerate(images):
        col, row = i % columns, i // columns
        x, y = pad + col * cell_w, header_h + row * cell_h
        thumb = image.resize((thumb_w, thumb_h), Image.LANCZOS) if factor < 1 else image
        sheet.paste(thumb, (x, y))
        draw.rectangle((x - 1, y - 1, x + thumb_w, y + thumb_h), outline=(150, 150, 150))
        if bleed_px:
            b = round(bleed_px * factor)
            draw.rectangle((x + b, y + b, x + thumb_w - 1 - b, y + thumb_h - 1 - b), outline=(220, 0, 120))
        label = f"{face.card_id} · {SIDE_LABEL[face.side]}"
        label = _fit_label(draw, label, font, thumb_w)
        draw.text((x, y + thumb_h + 4), label, fill=(60, 60, 60), font=font)
    return sheet


def _fit_label(draw, label: str, font, width: int) -> str:
    if draw.textlength(label, font=font) <= width:
        return label
    while len(label) > 2 and draw.textlength(label + "…", font=font) > width:
        label = label[:-1]
    return label + "…"


def _fonts(deck: Deck):
    """The deck's own font for labels (it has the Dutch diacritics); Pillow's default otherwise."""
    from PIL import ImageFont

    try:
        regular = deck.layout.font_files["regular"]
        bold = deck.layout.font_files.get("bold", regular)
        return ImageFont.truetype(regular, 12), ImageFont.truetype(bold, 16)
    except (OSError, KeyError):
        return ImageFont.load_default(), ImageFont.load_default()
