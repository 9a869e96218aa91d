"""Convert a layout (or printer profile) from layout language 1 to language 2.

Language 2: faces are mappings name → element; every element is placed by x, y (its top-left,
or the point `anchor` names) and sized by width/height; styles say `bold: true`; the sheet
names its `paper` and `cut_marks`; marks have a `stroke_width`; a printer's `back_offset.y`
points down as layout y does. Comments are not kept: YAML readers drop them.
"""

from __future__ import annotations

import re

import yaml

from kaartgen.units import MM, parse_length

SIDES = ("front", "back")


def migrate_layout(data: dict) -> dict:
    """A new layout mapping with the same meaning; language-2 parts are left as they are."""
    data = dict(data)
    for name, style in (data.get("styles") or {}).items():
        if isinstance(style, dict) and "weight" in style:
            style = {("bold" if k == "weight" else k): (v == "bold" if k == "weight" else v) for k, v in style.items()}
            data["styles"][name] = {k: v for k, v in style.items() if not (k == "bold" and v is False)}
    marks = dict(data.get("marks") or {})
    sheet = dict(data.get("sheet") or {})
    if "width" in marks:
        marks["stroke_width"] = marks.pop("width")
    if "style" in marks:
        sheet["cut_marks"] = marks.pop("style")
    if "size" in sheet:
        sheet = {("paper" if k == "size" else k): v for k, v in sheet.items()}
    for key, value in (("marks", marks), ("sheet", sheet)):
        if value:
            data[key] = value
    if isinstance(data.get("faces"), dict):
        data["faces"] = {name: _face(face) for name, face in data["faces"].items()}
    for template in (data.get("templates") or {}).values():
        for side in SIDES:
            if isinstance(template.get(side), list):
                template[side] = _face(template[side])
    return data


def migrate_printer(data: dict) -> dict:
    data = dict(data)
    if "duplex_offset" in data:
        offset = dict(data.pop("duplex_offset") or {})
        if "y" in offset:
            offset["y"] = _negated(offset["y"])
        data["back_offset"] = offset
    return data


def _face(elements) -> dict:
    if isinstance(elements, dict):
        return elements
    out: dict = {}
    for element in elements:
        element = _element(dict(element))
        base = _slug(element.pop("name", "")) or element["type"]
        name, n = base, 2
        while name in out:
            name, n = f"{base}-{n}", n + 1
        out[name] = element
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")


def _element(element: dict) -> dict:
    renamed = {"w": "width", "h": "height"}
    element = {renamed.get(k, k): v for k, v in element.items()}
    kind = element.get("type")
    if kind == "circle" and "cx" in element:
        element = _replace_keys(element, {"cx": "x", "cy": "y"})
        element["anchor"] = "center"
    if kind == "repeat":
        if "at" in element:
            element["anchor"] = "center"
        if "circle" in element:
            c = element.pop("circle")
            r, ry = c["r"], c.get("ry", c["r"])
            ring = {"x": _minus(c["cx"], r), "y": _minus(c["cy"], ry), "width": _twice(r), "height": _twice(ry)}
            if "start" in c:
                ring["start"] = c["start"]
            element["ring"] = ring
            element["anchor"] = "center"
        if "elements" in element:
            element["elements"] = _face(element["elements"])
    return element


def _replace_keys(element: dict, names: dict) -> dict:
    return {names.get(k, k): v for k, v in element.items()}


def _mm(points: float) -> str:
    return f"{round(points / MM, 3):g}mm"


def _minus(a, b) -> str:
    if str(a).strip().endswith("%") or str(b).strip().endswith("%"):
        raise ValueError(f"cannot convert a ring from {a} and {b}: give the circle's centre in mm")
    return _mm(parse_length(a) - parse_length(b))


def _twice(value) -> str:
    text = str(value).strip()
    if text.endswith("%"):
        return f"{float(text[:-1]) * 2:g}%"
    return _mm(2 * parse_length(value))


def _negated(value) -> str:
    text = str(value).strip()
    return text[1:] if text.startswith("-") else ("0mm" if parse_length(value) == 0 else f"-{text}")


def dump(data: dict, first_line: str = "") -> str:
    """YAML text: flow style for elements and other small mappings, block style around them."""
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None, width=140)
    return (first_line + "\n" if first_line else "") + text
