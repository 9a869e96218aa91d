"""Office printer profiles (printers/<name>.yaml): duplex turn, back-page offset, cut marks."""

from __future__ import annotations

from pathlib import Path

from kaartgen import formats
from kaartgen import messages as msg
from kaartgen.errors import KaartgenError, Problem, Where
from kaartgen.impose import Grid
from kaartgen.model import Printer
from kaartgen.schema import suggest, validate
from kaartgen.units import MM, parse_length
from kaartgen.yamlio import load_file


def load_printer(name: str | None, printers_dir: Path) -> Printer:
    """The named profile (or a .yaml path); without a name, the built-in default."""
    if not name:
        return Printer()
    path = Path(name) if name.endswith(".yaml") else printers_dir / f"{name}.yaml"
    if not path.is_file():
        known = sorted(p.stem for p in printers_dir.glob("*.yaml"))
        raise KaartgenError(Problem(name, None, None, "", msg.UNKNOWN_PRINTER(hint=suggest(name, known), choices=known)))
    doc = load_file(path, inside=None if name.endswith(".yaml") else printers_dir.parent)
    doc.data = doc.data or {}
    problems = validate(doc, formats.PRINTER)
    if problems:
        raise KaartgenError(problems)
    offset = doc.data.get("back_offset") or {}
    line, column = doc.where(("back_offset",))
    # The profile's y points down, as in layouts; the model's (PDF space) points up.
    return Printer(name=path.stem, duplex=doc.data.get("duplex", "long-edge"),
                   offset_x=parse_length(offset.get("x", 0)), offset_y=-parse_length(offset.get("y", 0)),
                   cut_marks=doc.data.get("cut_marks"), where=Where(f"{doc.file}:{line}:{column}", "back_offset"))


def backs_off_sheet(printer: Printer, grid: Grid) -> Problem | None:
    """A problem when the printer's back offset moves a back (partly) off the sheet: it would
    print cut off, or not at all."""
    for slot in range(grid.per_sheet):
        x, y = grid.back(slot, printer)
        if x < 0 or y < 0 or x + grid.card_w > grid.sheet_w or y + grid.card_h > grid.sheet_h:
            return Where.of(printer.where or printer.name).at("", msg.BACKS_OFF_SHEET(
                x=round(printer.offset_x / MM, 1), y=round(-printer.offset_y / MM, 1),
                width=round(grid.sheet_w / MM), height=round(grid.sheet_h / MM)))
    return None
