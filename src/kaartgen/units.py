"""Lengths with units ("63mm", "1.5cm", "10pt", "0.5in", "50%") to points."""

from __future__ import annotations

import math
import re

from kaartgen import messages as msg

MM = 72 / 25.4
UNITS = {"mm": MM, "cm": 10 * MM, "pt": 1.0, "in": 72.0}
_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(mm|cm|pt|in|%)\s*$")
LENGTH_PATTERN = r"^\s*-?\d+(\.\d+)?\s*(mm|cm|pt|in|%)\s*$"

# Nothing we print is larger than an A0 sheet; a bigger value is a typo (a 10 km card).
MAX_LENGTH_PT = 1189 * MM * 1.5
MAX_PERCENT = 1000.0  # ten times the frame: more is a typo, and huge values break the PDF


class UnitError(ValueError):
    def __init__(self, said: msg.Said):
        super().__init__(str(said))
        self.said = said


def parse_length(value, reference: float | None = None) -> float:
    """Points for `value`; percentages need the reference length they are a share of."""
    if isinstance(value, bool) or value is None:
        raise UnitError(msg.EXPECTED_LENGTH(got=repr(value)))
    if isinstance(value, (int, float)):
        if value == 0:
            return 0.0
        raise UnitError(msg.NEEDS_UNIT(value=value))
    match = _LENGTH.match(str(value))
    if not match:
        unit = re.sub(r"^[\s\d.\-]+", "", str(value)).strip()
        if re.match(r"^\s*-?\d", str(value)) and unit:
            raise UnitError(msg.UNKNOWN_UNIT(unit=unit, value=value))
        raise UnitError(msg.EXPECTED_LENGTH(got=f"'{value}'"))
    number, unit = float(match.group(1)), match.group(2)
    if not math.isfinite(number):
        raise UnitError(msg.LENGTH_NOT_FINITE(value=_short(value)))
    if unit == "%":
        if reference is None:
            raise UnitError(msg.NO_PERCENT_HERE(value=value))
        if abs(number) > MAX_PERCENT:
            raise UnitError(msg.PERCENT_TOO_LARGE(value=_short(value), limit=f"{MAX_PERCENT:g}"))
        return number / 100 * reference
    points = number * UNITS[unit]
    if abs(points) > MAX_LENGTH_PT:
        raise UnitError(msg.LARGER_THAN_PAPER(value=_short(value)))
    return points


def _short(value, limit: int = 24) -> str:
    text = str(value).strip()
    return text if len(text) <= limit else f"{text[:limit // 2]}…{text[-(limit // 2):]}"


def parse_dim(value) -> tuple[float, float]:
    """(points, share) of a length that may be a percentage of a reference decided later."""
    if isinstance(value, str) and value.strip().endswith("%"):
        return 0.0, parse_length(value, 1.0)
    return parse_length(value), 0.0


def is_length(value) -> bool:
    try:
        parse_length(value, 1.0)
        return True
    except UnitError:
        return False


PAPER = {"A0": (841, 1189), "A1": (594, 841), "A2": (420, 594), "A3": (297, 420), "A4": (210, 297),
         "A5": (148, 210), "A6": (105, 148), "letter": (215.9, 279.4)}


def paper_size(name: str, orientation: str = "portrait") -> tuple[float, float]:
    w, h = (d * MM for d in PAPER[name])
    return (h, w) if orientation == "landscape" else (w, h)
