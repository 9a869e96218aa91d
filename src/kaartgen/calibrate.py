"""A duplex calibration sheet: print it double-sided, hold it against the light, read the offset.

The front carries scales, the back a cross at the same spots. A printer that shifts its backs
moves the cross along the scales; the number under the cross is what goes into the printer
profile's back_offset (the scales are numbered so that no sign needs working out; y points
down, as in layouts).
"""

from __future__ import annotations

from pathlib import Path

from kaartgen.fonts import FontFamily, register_family
from kaartgen.layouts import BUILTIN_FONTS
from kaartgen.model import Printer
from kaartgen.units import MM, paper_size
from kaartgen.writers import Face, PdfInfo, PlainWriter

SCALE_MM = 8  # the scales run from -8 to +8 mm
RULER_GAP = 14 * MM  # distance from a spot to its rulers
SPOTS = ((0.5, 0.5), (0.22, 0.2), (0.78, 0.2))  # where on the sheet, as shares of width and height


def font_files() -> dict[str, str]:
    from importlib import resources
    package, files = BUILTIN_FONTS["source-sans-pro"]
    root = resources.files(package) / "files"
    return {key: str(root / name) for key, name in files.items()}


def write_calibration(path: Path, printer: Printer) -> None:
    family = register_family(font_files())
    size = paper_size("A4")
    writer = PlainWriter(path, size, PdfInfo("kaartgen – kalibratie dubbelzijdig afdrukken"), family.name(False, False))
    writer.add(calibration_face(family, printer, size))
    writer.finish()


def back_spot(x: float, y: float, size: tuple[float, float], printer: Printer) -> tuple[float, float]:
    """Where on the back a spot goes so that it lies behind (x, y) of the front once the sheet is turned."""
    width, height = size
    return (width - x, y) if printer.duplex == "long-edge" else (x, height - y)  # portrait A4


def calibration_face(family: FontFamily, printer: Printer, size: tuple[float, float]) -> Face:
    width, height = size
    spots = [(fx * width, fy * height) for fx, fy in SPOTS]

    def front(canvas) -> None:
        for x, y in spots:
            _scales(canvas, family, x, y, printer.duplex == "long-edge")
        _instructions(canvas, family, printer, width, height)

    def back(canvas) -> None:
        for x, y in spots:
            _cross(canvas, *back_spot(x, y, size, printer))
        canvas.setFont(family.name(False, False), 9)
        canvas.drawCentredString(width / 2, 12 * MM, "Achterkant van het kalibratievel – de kruisjes horen op de "
                                                     "nul van de schalen aan de voorkant te vallen.")
    return Face("kalibratie", [front], [back])


def _scales(canvas, family, x, y, mirror_x: bool) -> None:
    """A horizontal and a vertical scale crossing at (x, y), numbered so the reading is the offset.

    Seen through the paper, a back shifted by d in its own coordinates appears at -d along a
    mirrored axis and at +d along a kept one; the correction is -d, so a mirrored axis is
    numbered as it runs and a kept axis against it.
    """
    sign_x = 1 if mirror_x else -1
    sign_y = 1 if mirror_x else -1  # back_offset.y points down, PDF y up
    canvas.saveState()
    canvas.setLineWidth(0.3)
    canvas.setFont(family.name(False, False), 6)
    # The rulers sit beside the spot, so the cross's long arms pass over them without clutter.
    rx, ry = y - RULER_GAP, x - RULER_GAP
    for value in range(-SCALE_MM, SCALE_MM + 1):
        tick = 5 * MM if value == 0 else (3 * MM if value % 2 == 0 else 1.8 * MM)
        canvas.line(x + value * MM, rx, x + value * MM, rx - tick)
        canvas.line(ry, y + value * MM, ry - tick, y + value * MM)
        if value % 2 == 0:
            canvas.drawCentredString(x + value * MM, rx - 5.5 * MM, f"{sign_x * value:+g}" if value else "0")
            canvas.drawRightString(ry - 5.5 * MM, y + value * MM - 2, f"{sign_y * value:+g}" if value else "0")
    canvas.line(x - SCALE_MM * MM, rx, x + SCALE_MM * MM, rx)
    canvas.line(ry, y - SCALE_MM * MM, ry, y + SCALE_MM * MM)
    canvas.circle(x, y, 0.6 * MM, stroke=1, fill=0)
    canvas.setFont(family.name(True, False), 6)
    canvas.drawString(x + (SCALE_MM + 1.5) * MM, rx - 1 * MM, "x (mm)")
    canvas.drawCentredString(ry, y + (SCALE_MM + 1.5) * MM, "y (mm)")
    canvas.restoreState()


def _cross(canvas, x, y) -> None:
    canvas.saveState()
    canvas.setLineWidth(0.6)
    arm = RULER_GAP + 8 * MM
    canvas.line(x - arm, y, x + arm, y)
    canvas.line(x, y - arm, x, y + arm)
    canvas.restoreState()


def _instructions(canvas, family, printer: Printer, width, height) -> None:
    side = "lange" if printer.duplex == "long-edge" else "korte"
    lines = [
        ("Kalibratie voor dubbelzijdig afdrukken", True),
        (f"1. Druk dit bestand dubbelzijdig af, omslaan over de {side} kant, op werkelijke grootte (100 %).", False),
        ("2. Houd het vel tegen het licht en kijk naar de voorkant.", False),
        ("3. Lees bij elke schaal af waar het kruisje van de achterkant valt: de x en de y.", False),
        ("4. Zet die getallen in het printerprofiel, bijvoorbeeld printers/mijnprinter.yaml:", False),
        ("      back_offset: {x: 1.5mm, y: 0.5mm}", False),
        ("5. Maak je kaarten met: kaartgen build --printer mijnprinter", False),
        ("Verschillen de drie schalen veel, dan schaalt de printer: zet schalen uit in het afdrukvenster.", False),
    ]
    y = height - 20 * MM
    for text, bold in lines:
        canvas.setFont(family.name(bold, False), 13 if bold else 9.5)
        canvas.drawString(18 * MM, y, text)
        y -= 8 * MM if bold else 5.5 * MM
