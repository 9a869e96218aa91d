"""Find and load the pictures a layout places: PNG and JPEG as raster images, SVG as vector drawings.

Takes an image path as written in a layout or card (relative to the project) and gives a
decoded image or drawing ready for reportlab, or an `ImageProblem` saying what is wrong
with the file. Where the picture goes on the card is `render`'s business.

Pictures come from partnerships and are not trusted: a file must be an ordinary file inside
the project (read without blocking), a raster image at most `MAX_PIXELS` pixels, and an SVG
may not reach outside itself (no external href, url() or entities), because svglib would
follow relative references out of the project.
"""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path
from typing import Callable

from kaartgen import messages as msg
from kaartgen.yamlio import FileRefused, read_regular

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")
MAX_IMAGE_BYTES = 50_000_000
MAX_PIXELS = 50_000_000  # 50 megapixels: an A3 poster at 300 dpi is 17 Mpx; decoded RGBA = 200 MB
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_EXTERNAL_CSS = re.compile(r"url\(\s*['\"]?\s*(?!#)|@import", re.I)


class ImageProblem(Exception):
    """A picture that cannot be used; `said` is the message for the user."""

    def __init__(self, said: msg.Said):
        super().__init__(str(said))
        self.said = said


def image_path(project: Path, src: str) -> Path:
    """The file `src` names, which must be a PNG, JPEG or SVG inside the project folder."""
    project = project.resolve()
    path = (project / src).resolve()
    try:
        path.relative_to(project)
    except ValueError:
        raise ImageProblem(msg.IMAGE_OUTSIDE_PROJECT(src=src))
    if not path.exists():
        raise ImageProblem(msg.IMAGE_NOT_FOUND(src=src))
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        raise ImageProblem(msg.IMAGE_WRONG_KIND(src=src))
    return path


def is_svg(path: Path) -> bool:
    return path.suffix.lower() == ".svg"


def read_image(path: Path, src: str) -> bytes:
    try:
        return read_regular(path, MAX_IMAGE_BYTES)
    except FileRefused as exc:
        raise ImageProblem(msg.IMAGE_REFUSED(src=src, text=exc.said))


def load_raster(path: Path, src: str, prepare: Callable, cache: dict):
    """A reportlab ImageReader for a PNG or JPEG, decoded once per `cache` and passed through
    `prepare` (e.g. a conversion to CMYK) before it is embedded."""
    from reportlab.lib.utils import ImageReader
    reader = cache.get(path)
    if reader is not None:
        return reader
    data = read_image(path, src)
    try:
        from PIL import Image
        with warnings.catch_warnings():  # our own budget below replaces Pillow's warning
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data), formats=("PNG", "JPEG"))
        with opened:
            width, height = opened.size
            if width * height > MAX_PIXELS:
                raise ImageProblem(msg.IMAGE_TOO_MANY_PIXELS(src=src, width=width, height=height,
                                                             megapixels=round(width * height / 1e6),
                                                             limit=MAX_PIXELS // 1_000_000))
            opened.load()
            reader = cache[path] = ImageReader(prepare(opened))
        reader.getSize()
    except ImageProblem:
        raise
    except Exception as exc:  # PIL raises many kinds for a broken file
        raise ImageProblem(msg.IMAGE_UNREADABLE(src=src, reason=exc.__class__.__name__))
    return reader


def load_svg(path: Path, src: str = ""):
    """A reportlab Drawing of an SVG file, with a width and height; the file may not refer to
    anything outside itself."""
    from svglib.svglib import svg2rlg
    data = read_image(path, src or path.name)
    check_svg(data, path.name)
    try:
        drawing = svg2rlg(io.BytesIO(data))
    except Exception as exc:
        raise ImageProblem(msg.SVG_UNREADABLE(src=path.name, reason=exc.__class__.__name__))
    if drawing is None or not drawing.width or not drawing.height:
        raise ImageProblem(msg.SVG_UNREADABLE(src=path.name, reason="-"))
    return drawing


def check_svg(data: bytes, src: str) -> None:
    """Refuse an SVG with entities, or with a link (href, url(), @import) to anything but its own
    elements (#id) or data embedded in it (data:)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring
    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise ImageProblem(msg.SVG_ENTITIES(src=src))
    except ParseError as exc:
        raise ImageProblem(msg.SVG_NOT_XML(src=src, reason=str(exc)))
    for element in root.iter():
        for key in ("href", XLINK_HREF):
            ref = (element.get(key) or "").strip()
            if ref and not ref.startswith(("#", "data:")):
                raise ImageProblem(msg.SVG_OUTSIDE_REFERENCE(src=src, ref=ref))
        texts = [element.get("style") or ""] + [v for k, v in element.attrib.items() if "url(" in v]
        if element.tag.endswith("style"):
            texts.append(element.text or "")
        if any(_EXTERNAL_CSS.search(text) for text in texts):
            raise ImageProblem(msg.SVG_OUTSIDE_STYLE(src=src))


def fit_box(iw, ih, x, y, w, h, fit):
    """Where a picture of iw×ih lands in the box x, y, w, h: `contain`, `cover` or `stretch`."""
    if fit == "stretch":
        return x, y, w, h
    scale = (max if fit == "cover" else min)(w / iw, h / ih)
    dw, dh = iw * scale, ih * scale
    return x + (w - dw) / 2, y + (h - dh) / 2, dw, dh
