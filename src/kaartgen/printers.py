"""Office printer profiles (printers/<name>.yaml): duplex turn, back-page offset, cut marks."""

from __future__ import annotations

from pathlib import Path

from kaartgen import formats
from kaartgen.errors import KaartgenError, Problem
from kaartgen.model import Printer
from kaartgen.schema import suggest, validate
from kaartgen.units import parse_length
from kaartgen.yamlio import load_file


def load_printer(name: str | None, printers_dir: Path) -> Printer:
    """The named profile (or a .yaml path); without a name, the built-in default."""
    if not name:
        return Printer()
    path = Path(name) if name.endswith(".yaml") else printers_dir / f"{name}.yaml"
    if not path.is_file():
        known = sorted(p.stem for p in printers_dir.glob("*.yaml"))
        raise KaartgenError(Problem(name, None, None, "", f"unknown printer profile{suggest(name, known)}; "
                                                          f"profiles: {', '.join(known) or 'none'} (in printers/)"))
    doc = load_file(path, inside=None if name.endswith(".yaml") else printers_dir.parent)
    doc.data = doc.data or {}
    problems = validate(doc, formats.PRINTER)
    if problems:
        raise KaartgenError(problems)
    offset = doc.data.get("duplex_offset") or {}
    return Printer(name=path.stem, duplex=doc.data.get("duplex", "long-edge"),
                   offset_x=parse_length(offset.get("x", 0)), offset_y=parse_length(offset.get("y", 0)),
                   cut_marks=doc.data.get("cut_marks"))
