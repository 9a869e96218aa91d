"""Read what a page draws from its content stream: straight line segments, rectangles and form
placements, in page coordinates (every `cm` applied)."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ContentStream


def _apply(ctm, x, y):
    a, b, c, d, e, f = ctm
    return a * x + c * y + e, b * x + d * y + f


def operations(path: Path, page: int = 0):
    reader = PdfReader(path)
    return ContentStream(reader.pages[page].get_contents(), reader).operations


def _placed(path: Path, page: int):
    """(ctm, operands, operator) of every operator but q, Q and cm, which make the ctm."""
    stack, ctm = [], [1, 0, 0, 1, 0, 0]
    for operands, op in operations(path, page):
        if op == b"q":
            stack.append(list(ctm))
        elif op == b"Q":
            ctm = stack.pop()
        elif op == b"cm":
            a, b, c, d, e, f = (float(v) for v in operands)
            A, B, C, D, E, F = ctm
            ctm = [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F]
        else:
            yield ctm, operands, op


def segments(path: Path, page: int = 0) -> list[tuple[float, float, float, float]]:
    """Every `x1 y1 m x2 y2 l` pair as (x1, y1, x2, y2) in page space, rounded to 0.01 pt."""
    out, start = [], None
    for ctm, operands, op in _placed(path, page):
        if op == b"m":
            start = _apply(ctm, *(float(v) for v in operands))
        elif op == b"l" and start is not None:
            end = _apply(ctm, *(float(v) for v in operands))
            out.append(tuple(round(v, 2) for v in (*start, *end)))
            start = end
    return out


def rectangles(path: Path, page: int = 0) -> list[tuple[float, float, float, float]]:
    """Every `re` as (left, bottom, right, top) in page space, rounded to 0.01 pt."""
    out = []
    for ctm, operands, op in _placed(path, page):
        if op == b"re":
            x, y, w, h = (float(v) for v in operands)
            (x0, y0), (x1, y1) = _apply(ctm, x, y), _apply(ctm, x + w, y + h)
            out.append(tuple(round(v, 2) for v in (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))))
    return out


def length(segment) -> float:
    x1, y1, x2, y2 = segment
    return ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5


def placements(path: Path, page: int = 0) -> list[tuple[str, tuple[float, ...]]]:
    """Every `Do` (an image or form) as (name, (a, b, c, d, e, f)): its matrix in page space."""
    return [(str(operands[0]), tuple(round(v, 2) for v in ctm))
            for ctm, operands, op in _placed(path, page) if op == b"Do"]
