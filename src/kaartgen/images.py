"""Find and load the pictures a layout places: PNG and JPEG as raster images, SVG as vector drawings.

Takes an image path as written in a layout or card (relative to the project) and gives a
decoded image or drawing ready for reportlab, or an `ImageProblem` saying what is wrong
with the file. Where the picture goes on the card is `render`'s business.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")


class ImageProblem(Exception):
    """A picture that cannot be used; the message is meant for the user."""


def image_path(project: Path, src: str) -> Path:
    """The file `src` names, which must be a PNG, JPEG or SVG inside the project folder."""
    project = project.resolve()
    path = (project / src).resolve()
    try:
        path.relative_to(project)
    except ValueError:
        raise ImageProblem(f"image '{src}' lies outside the project folder")
    if not path.is_file():
        raise ImageProblem(f"image '{src}' not found")
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        raise ImageProblem(f"image '{src}' is not PNG, JPEG or SVG")
    return path


def is_svg(path: Path) -> bool:
    return path.suffix.lower() == ".svg"


def load_raster(path: Path, src: str, prepare: Callable, cache: dict):
    """A reportlab ImageReader for a PNG or JPEG, decoded once per `cache` and passed through
    `prepare` (e.g. a conversion to CMYK) before it is embedded."""
    from reportlab.lib.utils import ImageReader
    reader = cache.get(path)
    if reader is not None:
        return reader
    try:
        from PIL import Image
        with Image.open(path) as opened:
            opened.load()
            reader = cache[path] = ImageReader(prepare(opened))
        reader.getSize()
    except Exception as exc:  # PIL raises many kinds for a broken file
        raise ImageProblem(f"cannot read image '{src}': {exc.__class__.__name__}")
    return reader


def load_svg(path: Path):
    """A reportlab Drawing of an SVG file, with a width and height."""
    from svglib.svglib import svg2rlg
    try:
        drawing = svg2rlg(str(path))
    except Exception as exc:
        raise ImageProblem(f"cannot read SVG '{path.name}': {exc.__class__.__name__}")
    if drawing is None or not drawing.width or not drawing.height:
        raise ImageProblem(f"cannot read SVG '{path.name}'")
    return drawing


def fit_box(iw, ih, x, y, w, h, fit):
    """Where a picture of iw×ih lands in the box x, y, w, h: `contain`, `cover` or `stretch`."""
    if fit == "stretch":
        return x, y, w, h
    scale = (max if fit == "cover" else min)(w / iw, h / ih)
    dw, dh = iw * scale, ih * scale
    return x + (w - dw) / 2, y + (h - dh) / 2, dw, dh
