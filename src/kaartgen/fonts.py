"""Register a layout's TrueType family with reportlab (embedded as a subset) and check glyphs.

A layout's own font files are checked when the layout loads (`font_file`): an ordinary file
inside the project, a TrueType font reportlab can read. A bad one is a located error that
never quotes the file's bytes.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFile

from kaartgen import messages as msg
from kaartgen.yamlio import FileRefused, read_regular

VARIANTS = ("regular", "bold", "italic", "bold_italic")
MAX_FONT_BYTES = 30_000_000
TRUETYPE_MAGIC = (b"\x00\x01\x00\x00", b"true")
OTHER_FONT_KINDS = {b"OTTO": msg.FONT_KIND_CFF, b"ttcf": msg.FONT_KIND_COLLECTION,
                    b"wOFF": msg.FONT_KIND_WOFF, b"wOF2": msg.FONT_KIND_WOFF2}


class FontProblem(Exception):
    """A font file that cannot be used; `said` is the message for the user."""

    def __init__(self, said: msg.Said):
        super().__init__(str(said))
        self.said = said


def font_file(project: Path, rel: str) -> str:
    """The absolute path of the font file `rel` (relative to the project), after checking that it
    is an ordinary file inside the project and a TrueType font reportlab can embed."""
    root = Path(project).resolve()
    path = (root / str(rel)).resolve()
    if not path.is_relative_to(root):
        raise FontProblem(msg.FONT_OUTSIDE_PROJECT(file=rel))
    if not path.exists():
        raise FontProblem(msg.FONT_FILE_MISSING(file=rel))
    try:
        info = path.stat()
        _check_truetype(str(path), info.st_size, info.st_mtime_ns)
    except FontProblem as exc:
        raise FontProblem(msg.FONT_FILE_IS(file=rel, text=exc.said))
    return str(path)


@lru_cache(maxsize=64)
def _check_truetype(path: str, size: int, mtime: int) -> None:
    """Raise FontProblem unless `path` holds a TrueType font; cached per file version."""
    try:
        data = read_regular(Path(path), MAX_FONT_BYTES)
    except FileRefused as exc:
        raise FontProblem(exc.said)
    kind = data[:4]
    if kind not in TRUETYPE_MAGIC:
        raise FontProblem(msg.FONT_OTHER_KIND(kind=OTHER_FONT_KINDS[kind]()) if kind in OTHER_FONT_KINDS
                          else msg.FONT_NOT_TRUETYPE())
    try:
        TTFontFile(io.BytesIO(data), validate=0)
    except Exception:  # reportlab's TTFError quotes the file's bytes: never pass them on
        raise FontProblem(msg.FONT_DAMAGED())


@dataclass(frozen=True)
class FontFamily:
    family: str
    faces: tuple  # (variant, registered font name) pairs; a tuple keeps the family hashable

    @cached_property
    def names(self) -> dict:
        return dict(self.faces)

    def name(self, bold: bool, italic: bool) -> str:
        return self.names[("bold_italic" if italic else "bold") if bold else ("italic" if italic else "regular")]

    def missing_glyphs(self, text: str, faces: set[tuple[bool, bool]] = frozenset({(False, False)})) -> list[str]:
        """Characters of `text` that one of the (bold, italic) faces lacks (Source Sans italic has no ĳ)."""
        missing = set()
        chars = set(text)
        for bold, italic in faces:
            cmap = pdfmetrics.getFont(self.name(bold, italic)).face.charToGlyph
            missing |= {ch for ch in chars if ord(ch) >= 32 and ord(ch) not in cmap and ch != "\u00ad"}
        return sorted(missing)


# Dutch ĳ/Ĳ are one letter, but "ij"/"IJ" spelled out is correct Dutch too: where a face lacks
# the ligature (Source Sans Pro italic does), it is spelled out instead of failing the build.
SPELLED_OUT = {"\u0133": "ij", "\u0132": "IJ"}
_FACE_TAG = re.compile(r"(</?[bi]>)")


def runs(xml: str, bold: bool, italic: bool):
    """(part, face) for each piece of paragraph markup: a <b>/<i> tag has face None, a text run
    the (bold, italic) face it is drawn in, starting from the style's face."""
    depth = {"b": 0, "i": 0}
    for part in _FACE_TAG.split(xml):
        if _FACE_TAG.fullmatch(part):
            depth[part[-2]] += -1 if part[1] == "/" else 1
            yield part, None
        else:
            yield part, (bold or depth["b"] > 0, italic or depth["i"] > 0)


def spell_out_missing(xml: str, family: FontFamily, bold: bool, italic: bool) -> tuple[str, set[tuple[bool, bool]]]:
    """Paragraph markup with ĳ/Ĳ spelled out in the runs whose face lacks them; also the faces
    (bold, italic) where that happened."""
    if not any(ch in xml for ch in SPELLED_OUT):
        return xml, set()
    parts, changed = [], set()
    for part, face in runs(xml, bold, italic):
        lacking = [ch for ch in SPELLED_OUT if face and ch in part and family.missing_glyphs(ch, {face})]
        for ch in lacking:
            part = part.replace(ch, SPELLED_OUT[ch])
        if lacking:
            changed.add(face)
        parts.append(part)
    return "".join(parts), changed


def missing_in_markup(xml: str, family: FontFamily, bold: bool, italic: bool) -> set[str]:
    """Characters of paragraph markup that the face of their own run lacks."""
    missing: set[str] = set()
    for part, face in runs(xml, bold, italic):
        if face:
            text = html.unescape(re.sub(r"<[^>]+>", "", part))
            missing |= set(family.missing_glyphs(text, {face}))
    return missing


def register_family(files: dict[str, str]) -> FontFamily:
    # reportlab's font registry is process-wide; names derived from the files make this idempotent.
    tag = hashlib.sha1("|".join(files[v] for v in VARIANTS).encode()).hexdigest()[:8]
    names = {}
    for variant in VARIANTS:
        base = files[variant].rsplit("/", 1)[-1].rsplit(".", 1)[0]
        name = f"{base}-{tag}"
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, files[variant]))
        names[variant] = name
    family = f"family-{tag}"
    addMapping(family, 0, 0, names["regular"])
    addMapping(family, 1, 0, names["bold"])
    addMapping(family, 0, 1, names["italic"])
    addMapping(family, 1, 1, names["bold_italic"])
    for variant in VARIANTS:  # <b> inside a bold style must find the family of each face
        addMapping(names[variant], 0, 0, names["regular"])
        addMapping(names[variant], 1, 0, names["bold"])
        addMapping(names[variant], 0, 1, names["italic"])
        addMapping(names[variant], 1, 1, names["bold_italic"])
    return FontFamily(family=family, faces=tuple(names.items()))
