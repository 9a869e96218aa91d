"""Turn a face's elements into drawing operations for one card.

A face is planned once (text fitted, images checked) and the plan can be drawn on any
number of canvases: the print-shop PDF and the office PDF share the work.
Coordinates in layouts run from the top-left of the frame (the trim, or a repeated item's
box) downwards; reportlab's run from the bottom-left upwards.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from kaartgen import images
from kaartgen import messages as msg
from kaartgen import text as textmod
from kaartgen.cmyk import Converter
from kaartgen.colors import resolve_color
from kaartgen.errors import KaartgenError, Problem, Where
from kaartgen.fonts import FontFamily, missing_in_markup, spell_out_missing
from kaartgen.model import ANCHOR_POINTS, BoxElement, Color, Dim, Element, Layout
from kaartgen.units import MM

Op = Callable[["object"], None]


@dataclass(frozen=True)
class Frame:
    x: float
    top: float
    w: float
    h: float

    def box(self, element: BoxElement) -> tuple[float, float, float, float]:
        """x, y (bottom, in PDF space), w, h of a box element."""
        left, top, w, h = element.box(self.w, self.h)
        return self.x + left, self.top - top - h, w, h

    def point(self, px: Dim, py: Dim) -> tuple[float, float]:
        return self.x + px.of(self.w), self.top - py.of(self.h)


@dataclass
class Context:
    layout: Layout
    family: FontFamily
    values: dict
    project: Path
    deck: str
    card_id: str
    card_where: str
    paint: "Paint"
    warnings: list = field(default_factory=list)
    strict: bool = False
    backdrops: list = field(default_factory=list)  # (x, y, w, h, Color) of filled shapes, in drawing order
    images: dict = field(default_factory=dict)  # path -> ImageReader, so a logo is decoded once per deck

    def problem(self, element: Element | None, message: msg.Said, key: str = "", fields=()) -> Problem:
        """At the first of `fields` (card fields whose text is at fault) that the card wrote itself,
        else at `key` of the element in the layout. An image path comes from the card's field."""
        message = msg.ON_CARD(deck=self.deck, card=self.card_id, text=message)
        if key == "src" and element is not None and not fields:
            fields = textmod.placeholders(str(getattr(element, "src", "")))
        for name in fields:
            if isinstance(self.card_where, Where) and name in self.card_where.keys:
                return self.card_where.at(name, message)
        where = element.where if element else self.card_where
        return Where.of(where).at(key, message)


class Paint:
    """Sets colours on a canvas; the CMYK print build swaps in a converting subclass."""

    def fill(self, canvas, color: Color) -> None:
        canvas.setFillColorRGB(*color.as_rgb())

    def stroke(self, canvas, color: Color) -> None:
        canvas.setStrokeColorRGB(*color.as_rgb())

    def text_color(self, color: Color):
        from reportlab.lib.colors import Color as RLColor
        return RLColor(*color.as_rgb())

    def begin_text(self, canvas, color: Color) -> None:
        """Set up the canvas for text in `color` (the print build makes black text overprint)."""

    def image(self, image):
        """A PIL image as it should be embedded."""
        return image


class CMYKPaint(Paint):
    """DeviceCMYK for the print shop, converted through an ICC profile (see kaartgen.cmyk):
    areas as the profile says, black text and thin rules as pure K with overprint."""

    def __init__(self, converter: Converter):
        self.converter = converter

    def fill(self, canvas, color: Color) -> None:
        canvas.setFillColorCMYK(*self.converter.area(color))

    def stroke(self, canvas, color: Color) -> None:
        cmyk, overprint = self.converter.ink(color)
        canvas.setStrokeColorCMYK(*cmyk)
        if overprint:
            canvas.setStrokeOverprint(True)
            canvas.setOverprintMask(1)

    def text_color(self, color: Color):
        from reportlab.lib.colors import CMYKColor
        return CMYKColor(*self.converter.ink(color)[0])

    def begin_text(self, canvas, color: Color) -> None:
        if self.converter.ink(color)[1]:
            canvas.setFillOverprint(True)
            canvas.setOverprintMask(1)

    def image(self, image):
        return self.converter.image(image)


def plan_face(elements: tuple[Element, ...], ctx: Context, frame: Frame) -> list[Op]:
    ops: list[Op] = []
    for element in elements:
        if not _visible(element, ctx.values):
            continue
        planned = PLANNERS[element.kind](element, ctx, frame)
        if planned and (element.rotation or element.opacity < 1):
            planned = [_transformed(element, frame, planned)]
        ops += planned
    return ops


def draw(canvas, ops: list[Op]) -> None:
    for op in ops:
        op(canvas)


def _transformed(element: Element, frame: Frame, ops: list[Op]) -> Op:
    """Rotation (clockwise, around the element's centre) and opacity around an element's drawing."""
    cx, cy = _centre(element, frame)

    def op(canvas):
        canvas.saveState()
        if element.opacity < 1:
            canvas.setFillAlpha(element.opacity)
            canvas.setStrokeAlpha(element.opacity)
        if element.rotation:
            canvas.translate(cx, cy)
            canvas.rotate(-element.rotation)  # layouts turn clockwise; PDF angles run counter-clockwise
            canvas.translate(-cx, -cy)
        draw(canvas, ops)
        canvas.restoreState()
    return op


def _centre(element: Element, frame: Frame) -> tuple[float, float]:
    if isinstance(element, BoxElement):
        x, y, w, h = frame.box(element)
        return x + w / 2, y + h / 2
    if element.kind == "circle":
        return _circle_geometry(element, frame)[:2]
    points = ([frame.point(element.x1, element.y1), frame.point(element.x2, element.y2)]
              if element.kind == "line" else [frame.point(*p) for p in getattr(element, "points", ())])
    if not points:
        return frame.x + frame.w / 2, frame.top - frame.h / 2
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def _visible(element: Element, values: dict) -> bool:
    for key, wanted in (element.when or {}).items():
        value = values.get(key)
        if isinstance(wanted, bool):  # `true`: the field is filled in; `false`: it is empty
            if bool(value) != wanted:
                return False
            continue
        options = wanted if isinstance(wanted, list) else [wanted]
        if value not in options and str(value) not in [str(o) for o in options]:
            return False
    return True


def _color(ctx: Context, element: Element, key: str) -> Color | None:
    """A colour resolved when the layout loaded, or a {field} template resolved for this card."""
    raw = getattr(element, key)
    if raw is None or isinstance(raw, Color):
        return raw
    raw = textmod.substitute(raw, ctx.values)
    color = resolve_color(raw, ctx.layout.colors)
    if color is None:
        raise KaartgenError(ctx.problem(element, msg.UNKNOWN_COLOUR_IN(name=raw, key=key, choices=list(ctx.layout.colors)),
                                        key))
    return color


def _plan_rect(element, ctx, frame) -> list[Op]:
    x, y, w, h = frame.box(element)
    if element.bleed:
        x, y, w, h = _extend_to_bleed(x, y, w, h, ctx.layout)
    fill, stroke = _color(ctx, element, "fill"), _color(ctx, element, "stroke")
    radius = element.radius.of(min(w, h))
    if fill:
        ctx.backdrops.append((x, y, w, h, fill))
    if radius:
        return [_shape_op(ctx, element, fill, stroke, lambda c, **paint: c.roundRect(x, y, w, h, radius, **paint))]
    return [_shape_op(ctx, element, fill, stroke, lambda c, **paint: c.rect(x, y, w, h, **paint))]


def _plan_ellipse(element, ctx, frame) -> list[Op]:
    x, y, w, h = frame.box(element)
    fill, stroke = _color(ctx, element, "fill"), _color(ctx, element, "stroke")
    if fill:  # the rectangle inside the ellipse counts as its backdrop
        ctx.backdrops.append((x + w * 0.15, y + h * 0.15, w * 0.7, h * 0.7, fill))
    return [_shape_op(ctx, element, fill, stroke, lambda c, **paint: c.ellipse(x, y, x + w, y + h, **paint))]


def _shape_op(ctx, element, fill, stroke, shape) -> Op:
    """An operation that paints `shape(canvas, stroke=…, fill=…)` in the element's colours."""
    def op(canvas):
        canvas.saveState()
        if fill:
            ctx.paint.fill(canvas, fill)
        if stroke:
            ctx.paint.stroke(canvas, stroke)
            canvas.setLineWidth(element.stroke_width)
            if element.dash:
                canvas.setDash(list(element.dash))
        shape(canvas, stroke=int(bool(stroke)), fill=int(bool(fill)))
        canvas.restoreState()
    return op


def _extend_to_bleed(x, y, w, h, layout: Layout):
    """Edges lying on the trim move out to the bleed edge, so no white shows after cutting."""
    b, eps = layout.bleed, 0.01
    x0, y0, x1, y1 = x, y, x + w, y + h
    if abs(x0) < eps:
        x0 -= b
    if abs(y0) < eps:
        y0 -= b
    if abs(x1 - layout.width) < eps:
        x1 += b
    if abs(y1 - layout.height) < eps:
        y1 += b
    return x0, y0, x1 - x0, y1 - y0


def _circle_geometry(element, frame) -> tuple[float, float, float]:
    r = element.r.of(min(frame.w, frame.h))
    ax, ay = ANCHOR_POINTS[element.anchor]
    x, top = frame.point(element.x, element.y)
    return x + (1 - 2 * ax) * r, top - (1 - 2 * ay) * r, r


def _plan_circle(element, ctx, frame) -> list[Op]:
    cx, cy, r = _circle_geometry(element, frame)
    fill, stroke = _color(ctx, element, "fill"), _color(ctx, element, "stroke")
    if fill:  # the square inside the circle counts as its backdrop
        ctx.backdrops.append((cx - r * 0.7, cy - r * 0.7, r * 1.4, r * 1.4, fill))
    return [_shape_op(ctx, element, fill, stroke, lambda c, **paint: c.circle(cx, cy, r, **paint))]


def _plan_line(element, ctx, frame) -> list[Op]:
    points = [frame.point(element.x1, element.y1), frame.point(element.x2, element.y2)]
    return _plan_points(element, ctx, points)


def _plan_path(element, ctx, frame) -> list[Op]:
    return _plan_points(element, ctx, [frame.point(px, py) for px, py in element.points])


def _plan_points(element, ctx, points) -> list[Op]:
    """A line or path: stroked (black unless it is filled), and filled when it has a fill."""
    fill = _color(ctx, element, "fill")
    stroke = _color(ctx, element, "stroke")
    if stroke is None and fill is None:
        stroke = resolve_color("black", ctx.layout.colors) or Color(rgb=(0, 0, 0))
    smooth, closed = getattr(element, "smooth", False), getattr(element, "closed", False) or fill is not None

    def op(canvas):
        canvas.saveState()
        if stroke:
            ctx.paint.stroke(canvas, stroke)
            canvas.setLineWidth(element.stroke_width)
            canvas.setLineCap(1)
            canvas.setLineJoin(1)
            if element.dash:
                canvas.setDash(list(element.dash))
        if fill:
            ctx.paint.fill(canvas, fill)
        path = canvas.beginPath()
        path.moveTo(*points[0])
        if smooth and len(points) > 2:
            for c1, c2, end in _catmull_rom(points + points[:1] if closed else points):
                path.curveTo(*c1, *c2, *end)
        else:
            for point in points[1:]:
                path.lineTo(*point)
        if closed:
            path.close()
        canvas.drawPath(path, stroke=int(bool(stroke)), fill=int(bool(fill)))
        canvas.restoreState()
    return [op]


def _catmull_rom(points):
    """Bezier segments of a smooth curve through every point."""
    padded = [points[0]] + list(points) + [points[-1]]
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1], padded[i], padded[i + 1], padded[i + 2]
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        yield c1, c2, p2


def _plan_text(element, ctx, frame) -> list[Op]:
    x, y, w, h = frame.box(element)
    style = ctx.layout.styles.get(element.style)
    if style is None:  # reported with the layout already; `check` still fits the other texts
        raise KaartgenError(ctx.problem(element, msg.UNKNOWN_STYLE(name=element.style, hint="",
                                                                   choices=list(ctx.layout.styles)), "style"))
    template = str(element.content)
    content = textmod.blocks(template, ctx.values)
    if not content:
        return []
    content = _spell_out_ligatures(ctx, style, content)
    _check_glyphs(element, ctx, template, style, content)
    background = _color(ctx, element, "background")
    ops = []
    if background is not None:  # a box of colour behind the text, which is also its backdrop
        ctx.backdrops.append((x, y, w, h, background))
        ops.append(_shape_op(ctx, element, background, None, lambda c, **paint: c.rect(x, y, w, h, **paint)))
    color = _color(ctx, element, "color") or resolve_color(style.color, ctx.layout.colors)
    color = _readable(ctx, element, color, (x, y, w, h))
    align = element.align or style.align
    try:
        fitted = textmod.fit(content, ctx.family, style, w, h, ctx.paint.text_color(color), align, _rules(ctx))
    except textmod.NoFit as exc:
        names = textmod.placeholders(template)
        fields = ", ".join(names) or element.name or "text"
        need = msg.WORD_TOO_WIDE() if exc.reason else msg.NEEDS_HEIGHT(mm=round(exc.needed / MM))
        longest = sorted(names, key=lambda n: -len(str(ctx.values.get(n) or "")))
        box = str(element.where).rsplit(":", 1)[0]
        raise KaartgenError(ctx.problem(
            element, msg.TEXT_DOES_NOT_FIT(fields=fields, width=round(w / MM), height=round(h / MM), box=box,
                                           size=float(exc.size), need=need), "content", longest))
    offset = {"top": 0.0, "middle": (h - fitted.height) / 2, "bottom": h - fitted.height}[element.valign]

    def op(canvas):
        canvas.saveState()
        ctx.paint.begin_text(canvas, color)
        fitted.draw(canvas, x, y + h - offset)
        canvas.restoreState()
    return ops + [op]


def _rules(ctx) -> textmod.Rules:
    """Names never hyphenated nor broken over lines: the defaults and the partnership's own."""
    own = tuple(str(ctx.values[key]) for key in ("set.name", "set.short_name") if ctx.values.get(key))
    return textmod.Rules(protected=textmod.PROTECTED_NAMES + own)


def _spell_out_ligatures(ctx, style, content):
    """ĳ/Ĳ as "ij"/"IJ" where the face lacks them, with one warning per deck and face."""
    out = []
    for block in content:
        xml, faces = spell_out_missing(block.xml, ctx.family, style.bold, style.italic)
        out.append(replace(block, xml=xml))
        for bold, italic in sorted(faces):
            face = {(False, False): msg.FACE_REGULAR, (True, False): msg.FACE_BOLD,
                    (False, True): msg.FACE_ITALIC}.get((bold, italic), msg.FACE_BOLD_ITALIC)
            ctx.warnings.append(Problem(ctx.layout.file, None, None, "fonts", msg.ON_DECK(
                deck=ctx.deck, text=msg.NO_IJ_GLYPH(face=face()))))
    return out


def _check_glyphs(element, ctx, template, style, content):
    missing = sorted(set().union(*(missing_in_markup(block.xml, ctx.family, style.bold, style.italic)
                                   for block in content)))
    if missing:
        chars = [f"'{c}' (U+{ord(c):04X})" for c in missing]
        names = [n for n in textmod.placeholders(template)
                 if set(missing) & set(textmod.plain_text(f"{{{n}}}", ctx.values))]
        fields = ", ".join(names) or "content"
        raise KaartgenError(ctx.problem(element, msg.NO_GLYPH(chars=chars, fields=fields), "content", names))


def _readable(ctx, element, color, box):
    """Text colour with at least 4.5:1 contrast (WCAG AA) against what lies behind the text.

    Partnership colours can make a layout's white-on-colour text unreadable; then the text
    turns black or white, whichever reads best, and a warning names the colour.
    """
    behind = _backdrop(ctx, box)
    if behind is None or contrast(color, behind) >= 4.5:
        return color
    black, white = Color(rgb=(0, 0, 0)), Color(rgb=(1, 1, 1))
    better = black if contrast(black, behind) >= contrast(white, behind) else white
    hex_behind = "#%02x%02x%02x" % tuple(round(v * 255) for v in behind.as_rgb())
    ctx.warnings.append(ctx.problem(element, (msg.LOW_CONTRAST_BLACK if better is black else msg.LOW_CONTRAST_WHITE)(
        ratio=round(contrast(color, behind), 1), colour=hex_behind), "color"))
    return better


def _backdrop(ctx, box) -> Color | None:
    """The fill of the last shape drawn under the centre of `box` (white paper if none)."""
    x, y, w, h = box
    cx, cy = x + w / 2, y + h / 2
    for bx, by, bw, bh, fill in reversed(ctx.backdrops):
        if bx <= cx <= bx + bw and by <= cy <= by + bh:
            return fill
    return Color(rgb=(1, 1, 1))


def contrast(a: Color, b: Color) -> float:
    la, lb = _luminance(a), _luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def _luminance(color: Color) -> float:
    def channel(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in color.as_rgb())
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _plan_image(element, ctx, frame) -> list[Op]:
    src = textmod.substitute(str(element.src), ctx.values).strip()
    if not src and element.optional:
        return []
    x, y, w, h = frame.box(element)
    fit = element.fit
    try:
        path = images.image_path(ctx.project, src)
        if images.is_svg(path):
            return _plan_svg(ctx, images.load_svg(path, src), x, y, w, h, fit)
        reader = images.load_raster(path, src, ctx.paint.image, ctx.images)
    except images.ImageProblem as exc:
        raise KaartgenError(ctx.problem(element, exc.said, "src"))
    iw, ih = reader.getSize()
    dx, dy, dw, dh = images.fit_box(iw, ih, x, y, w, h, fit)
    ctx.warnings += _resolution_warnings(ctx, element, src, iw, ih, dw, dh)

    def op(canvas):
        canvas.saveState()
        if fit == "cover":
            clip = canvas.beginPath()
            clip.rect(x, y, w, h)
            canvas.clipPath(clip, stroke=0, fill=0)
        canvas.drawImage(reader, dx, dy, dw, dh, mask="auto")
        canvas.restoreState()
    return [op]


def _resolution_warnings(ctx, element, src, iw, ih, dw, dh) -> list[Problem]:
    dpi = min(iw / (dw / 72), ih / (dh / 72)) if dw and dh else 0
    if dpi < 300:
        need_w, need_h = math.ceil(dw / 72 * 300), math.ceil(dh / 72 * 300)
        return [ctx.problem(element, msg.LOW_RESOLUTION(src=src, dpi=round(dpi), width=need_w, height=need_h,
                                                        has_width=iw, has_height=ih), "src")]
    return []


def _plan_svg(ctx, drawing, x, y, w, h, fit) -> list[Op]:
    from reportlab.graphics import renderPDF
    if isinstance(ctx.paint, CMYKPaint):
        _drawing_to_cmyk(drawing, ctx.paint.converter)
    dx, dy, dw, dh = images.fit_box(drawing.width, drawing.height, x, y, w, h, fit)
    sx, sy = dw / drawing.width, dh / drawing.height

    _svg_text_in_family(drawing, ctx.family)

    def op(canvas):
        canvas.saveState()
        canvas.translate(dx, dy)
        canvas.scale(sx, sy)
        # reportlab sets the drawing's initial font (Helvetica) in an empty text object unless it
        # matches the canvas's font: one unembedded font is enough for a print shop to reject the file.
        drawing.initialFontName, drawing.initialFontSize = canvas._fontname, canvas._fontsize
        renderPDF.draw(drawing, canvas, 0, 0)
        canvas.restoreState()
    return [op]


def _svg_text_in_family(node, family: FontFamily) -> None:
    """Drop empty SVG text and draw the rest in the layout's (embedded) fonts, never in the
    base-14 fonts svglib picks, which are not embedded."""
    from reportlab.graphics.shapes import String
    contents = getattr(node, "contents", None)
    if not contents:
        return
    contents[:] = [child for child in contents if not (isinstance(child, String) and not child.text.strip())]
    for child in contents:
        if isinstance(child, String):
            child.fontName = family.name("Bold" in child.fontName, "Oblique" in child.fontName
                                         or "Italic" in child.fontName)
        else:
            _svg_text_in_family(child, family)


def _drawing_to_cmyk(node, converter: Converter) -> None:
    """Give every shape of an SVG drawing CMYK colours, so no RGB operator reaches the print PDF."""
    from reportlab.lib.colors import CMYKColor
    from reportlab.lib.colors import Color as RLColor
    for attr, convert in (("fillColor", converter.area), ("strokeColor", lambda c: converter.ink(c)[0])):
        value = getattr(node, attr, None)
        if isinstance(value, RLColor) and not isinstance(value, CMYKColor):
            setattr(node, attr, CMYKColor(*convert(Color(rgb=(value.red, value.green, value.blue))),
                                          alpha=value.alpha))
    for child in getattr(node, "contents", []) or []:
        _drawing_to_cmyk(child, converter)


def _plan_qr(element, ctx, frame) -> list[Op]:
    """A QR code as vector squares (one path), square and centred in its box, on its background."""
    content = textmod.substitute(str(element.content), ctx.values).strip()
    if not content:
        return []
    import segno
    code = segno.make(content, error=element.error, micro=False)
    x, y, w, h = frame.box(element)
    modules = len(code.matrix) + 2 * element.border
    size = min(w, h)
    unit = size / modules
    left, top = x + (w - size) / 2, y + (h + size) / 2
    dark, light = _color(ctx, element, "color"), _color(ctx, element, "background")
    runs = [(row, start, end) for row, line in enumerate(code.matrix) for start, end in _dark_runs(line)]

    def op(canvas):
        canvas.saveState()
        if light is not None:
            ctx.paint.fill(canvas, light)
            canvas.rect(left, top - size, size, size, stroke=0, fill=1)
        ctx.paint.fill(canvas, dark)
        path = canvas.beginPath()
        for row, start, end in runs:
            path.rect(left + (start + element.border) * unit, top - (row + element.border + 1) * unit,
                      (end - start) * unit, unit)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.restoreState()
    if light is not None:
        ctx.backdrops.append((left, top - size, size, size, light))
    return [op]


def _dark_runs(line) -> list[tuple[int, int]]:
    """(start, end) of each run of dark modules in a row: fewer, larger rectangles, no hairline seams."""
    runs, start = [], None
    for i, dark in enumerate(list(line) + [0]):
        if dark and start is None:
            start = i
        elif not dark and start is not None:
            runs.append((start, i))
            start = None
    return runs


def _plan_repeat(element, ctx, frame) -> list[Op]:
    if element.items is None:
        items = [{} for _ in range(element.count or 0)]
    else:
        items = ctx.values.get(element.items) or []
    if not isinstance(items, list):
        raise KaartgenError(ctx.problem(element, msg.FIELD_NOT_A_LIST(name=element.items), "items"))
    w, h = element.width.of(frame.w), element.height.of(frame.h)
    ax, ay = ANCHOR_POINTS[element.anchor]
    ops: list[Op] = []
    for index, (item, (px, py)) in enumerate(zip(items, _item_points(element, ctx, frame, len(items), w, h)), start=1):
        values = {**ctx.values, **(item if isinstance(item, dict) else {"item": item}),
                  "index": index, "count": len(items)}
        item_frame = Frame(px - ax * w, py + ay * h, w, h)
        try:
            ops += plan_face(element.children, replace(ctx, values=values), item_frame)
        except KaartgenError as exc:  # name the item, so the user knows which station or role
            label = element.items or "count"
            raise KaartgenError([replace(p, path=f"{label}[{index - 1}].{p.path}".rstrip("."))
                                 for p in exc.problems])
    return ops


def _item_points(element, ctx, frame, count, w, h) -> list[tuple[float, float]]:
    """Where each item's anchor point goes, in PDF space."""
    ax, ay = ANCHOR_POINTS[element.anchor]
    if element.at:
        if count > len(element.at):
            raise KaartgenError(ctx.problem(element, msg.TOO_FEW_POSITIONS(count=count, positions=len(element.at)),
                                            "at"))
        return [frame.point(px, py) for px, py in element.at]
    if element.ring:
        ring = element.ring
        left, top = frame.point(ring["x"], ring["y"])
        rx, ry = ring["width"].of(frame.w) / 2, ring["height"].of(frame.h) / 2
        start = math.radians(float(ring.get("start", -90)))
        step = 2 * math.pi / max(count, 1)
        # Angles run clockwise from `start`, as on a clock face (y grows upwards in PDF space).
        return [(left + rx + rx * math.cos(start + i * step), top - ry - ry * math.sin(start + i * step))
                for i in range(count)]
    if element.grid:
        g = element.grid
        x0, top = frame.point(g["x"], g["y"])
        dx, dy = g["dx"].of(frame.w), g["dy"].of(frame.h)
        cols = int(g["columns"])
        return [(x0 + (i % cols) * dx, top - (i // cols) * dy) for i in range(count)]
    return [(frame.x + frame.w / 2 + (ax - 0.5) * w, frame.top - i * h - ay * h) for i in range(count)]


PLANNERS = {"rect": _plan_rect, "ellipse": _plan_ellipse, "circle": _plan_circle, "line": _plan_line,
            "path": _plan_path, "text": _plan_text, "image": _plan_image, "qr": _plan_qr, "repeat": _plan_repeat}
