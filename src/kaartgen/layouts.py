"""Resolve a layout: load its YAML, follow `extends`, merge, validate, and build the model."""

from __future__ import annotations

from dataclasses import replace
from importlib import resources
from pathlib import Path

from kaartgen import formats, impose
from kaartgen import messages as msg
from kaartgen.colors import color_value, resolve_color
from kaartgen.errors import KaartgenError, Problem, Where
from kaartgen.fonts import FontProblem, font_file
from kaartgen.model import Element, FieldSpec, Layout, Marks, Sheet, Style, Template
from kaartgen.schema import Checker, Map, suggest, type_name, validate
from kaartgen.text import placeholders
from kaartgen.units import MM, parse_length
from kaartgen.yamlio import Doc, format_path, load_file

DEFAULTS = {
    "bleed": "3mm", "safe": "4mm",
    "fonts": {"family": "source-sans-pro"},
    "colors": {"black": "#000000", "white": "#ffffff"},
    "styles": {"body": {}},
    "marks": {"length": "5mm", "offset": "3mm", "width": "0.25pt"},
    "sheet": {"size": "A4", "orientation": "auto", "margin": "8mm", "gap": "6mm", "mode": "n-up"},
}
STYLE_DEFAULTS = {"size": "9pt", "leading": 1.25, "weight": "regular", "italic": False, "color": "black",
                  "align": "left", "space_after": "2pt", "hyphenate": True, "bullet": "•"}
BUILTIN_FONTS = {"source-sans-pro": ("font_source_sans_pro", {
    "regular": "SourceSansPro-Regular.ttf", "bold": "SourceSansPro-Bold.ttf",
    "italic": "SourceSansPro-It.ttf", "bold_italic": "SourceSansPro-BoldIt.ttf"})}


# A layout that extends another may leave out what its base gives (a template's front, one
# side of the size); whether the merged result is complete is checked in _build.
CHILD_LAYOUT = replace(formats.LAYOUT, fields={
    **formats.LAYOUT.fields,
    "size": replace(formats.LAYOUT.fields["size"], required=()),
    "templates": replace(formats.LAYOUT.fields["templates"],
                         extra=replace(formats.LAYOUT.fields["templates"].extra, required=())),
})


def available(layouts_dir: Path) -> list[str]:
    return sorted(p.stem for p in layouts_dir.glob("*.yaml"))


def load_layout(name: str, layouts_dir: Path, referrer: Problem | None = None) -> Layout:
    chain = _load_chain(name, layouts_dir, referrer)
    merged: dict = {}
    for doc in reversed(chain):  # base first, so the child wins
        merged = _merge(merged, {k: v for k, v in doc.data.items() if k != "extends"})
    return _build(name, chain, _merge(DEFAULTS, merged), layouts_dir.parent)


def _load_chain(name: str, layouts_dir: Path, referrer: Problem | None) -> list[Doc]:
    chain: list[Doc] = []
    seen: list[str] = []
    while name is not None:
        name = str(name)
        path = layouts_dir / f"{name}.yaml"
        if name in seen:
            raise KaartgenError(chain[-1].problem(("extends",), msg.EXTENDS_CYCLE(chain=" -> ".join(seen + [name]))))
        if not path.is_file() or "/" in name or "\\" in name:  # only files in layouts/ itself
            hint = suggest(name, available(layouts_dir))
            message = (msg.UNKNOWN_LAYOUT_PATH if "/" in name or "\\" in name or name.endswith(".yaml")
                       else msg.UNKNOWN_LAYOUT)(name=name, hint=hint, choices=available(layouts_dir))
            if chain:
                raise KaartgenError(chain[-1].problem(("extends",), message))
            if referrer:
                raise KaartgenError(Problem(referrer.file, referrer.line, referrer.column, referrer.path, message))
            raise KaartgenError(Problem(str(path), None, None, "", message))
        doc = load_file(path, inside=layouts_dir.parent)
        if doc.data is None:
            doc.data = {}
        if not isinstance(doc.data, dict):
            raise KaartgenError(doc.problem((), msg.LAYOUT_NOT_MAPPING(got=type_name(doc.data))))
        problems = validate(doc, CHILD_LAYOUT if "extends" in doc.data else formats.LAYOUT)
        problems = problems or _item_field_problems(doc)
        if problems:
            raise KaartgenError(problems)
        _stamp_elements(doc)
        chain.append(doc)
        seen.append(name)
        name = doc.data.get("extends")
    return chain


def _item_field_problems(doc: Doc) -> list[Problem]:
    """Fields of `items` fields nest, so the schema only sees a mapping; check each spec here."""
    checker = Checker(doc)

    def check(fields, path):
        for name, spec in (fields or {}).items():
            if isinstance(spec, dict) and "fields" in spec and isinstance(spec["fields"], dict):
                item_path = path + (name, "fields")
                Map({}, extra=formats.FIELD).check(spec["fields"], item_path, checker)
                check(spec["fields"], item_path)
    for key, template in (doc.data.get("templates") or {}).items():
        check(template.get("fields"), ("templates", key, "fields"))
    return checker.problems


def _stamp_elements(doc: Doc) -> None:
    """Tag each element with where it was written, because merging loses the file."""
    def place(path):
        line, column = doc.where(path)
        return doc.file, line, column, format_path(path)

    def stamp(elements, path):
        for i, element in enumerate(elements):
            line, column = doc.where(path + (i,))
            keys = {key: place(path + (i, key)) for key in element if path + (i, key) in doc.marks}
            element["_at"] = Where(f"{doc.file}:{line}:{column}", format_path(path + (i,)), keys)
            if element.get("type") == "repeat":
                stamp(element.get("elements", []), path + (i, "elements"))
    for name, elements in doc.data.get("faces", {}).items():
        stamp(elements, ("faces", name))
    for name, template in doc.data.get("templates", {}).items():
        stamp(template.get("front", []), ("templates", name, "front"))
        if isinstance(template.get("back"), list):
            stamp(template["back"], ("templates", name, "back"))


def _merge(base, override):
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for key, value in override.items():
            out[key] = _merge(base[key], value) if key in base else value
        return out
    return override


def _build(name: str, chain: list[Doc], data: dict, project: Path) -> Layout:
    problems: list[Problem] = []
    doc = chain[0]

    def fail(path, message):
        problems.append(_defining(chain, path).problem(path, message))

    for key in ("width", "height"):
        if key not in data.get("size", {}):
            fail(("size",), msg.MISSING_KEY_INHERITED(key="size" if "size" not in data else key))
    for key, raw in data.get("templates", {}).items():
        if "front" not in raw:
            fail(("templates", key), msg.MISSING_KEY_INHERITED(key="front"))
    if problems:
        raise KaartgenError(problems)
    width = parse_length(data["size"]["width"])
    height = parse_length(data["size"]["height"])
    bleed, safe = parse_length(data["bleed"]), parse_length(data["safe"])
    if bleed < 0 or safe < 0:
        fail(("bleed",), msg.NEGATIVE_BLEED())
    if safe * 2 >= min(width, height):
        fail(("safe",), msg.SAFE_TOO_LARGE(safe=data["safe"], width=round(width / MM), height=round(height / MM)))

    colors = {}
    for key, value in data["colors"].items():
        colors[key] = color_value(value)
    for key, value in colors.items():
        if resolve_color(value, colors) is None:
            others = [c for c in colors if c != key]
            fail(("colors", key), msg.NOT_A_HEX_COLOUR(value=value) if str(value).startswith("#")
                 else msg.NOT_A_COLOUR_NAME(value=value, hint=suggest(str(value), others), choices=others))
    styles = {}
    for key, raw in data["styles"].items():
        values = {**STYLE_DEFAULTS, **raw}
        size = parse_length(values["size"])
        min_size = parse_length(values.get("min_size", values["size"]))
        if min_size > size:
            fail(("styles", key, "min_size"), msg.MIN_SIZE_ABOVE_SIZE(min_size=values["min_size"], size=values["size"]))
        if not _is_color_ref(values["color"], colors):
            fail(("styles", key, "color"), unknown_colour(values["color"], colors))
        styles[key] = Style(size=size, min_size=min_size, leading=float(values["leading"]),
                            bold=values["weight"] == "bold", italic=bool(values["italic"]),
                            color=values["color"], align=values["align"],
                            space_after=parse_length(values["space_after"]),
                            hyphenate=bool(values["hyphenate"]), bullet=str(values["bullet"]))

    faces = {key: _elements(elements) for key, elements in data.get("faces", {}).items()}
    templates = {}
    for key, raw in data.get("templates", {}).items():
        back, back_face = None, None
        if isinstance(raw.get("back"), str):
            back_face = raw["back"]
            if back_face not in faces:
                fail(("templates", key, "back"), msg.UNKNOWN_FACE(name=back_face, hint=suggest(back_face, list(faces)),
                                                                  choices=list(faces)))
            else:
                back = faces[back_face]
        elif raw.get("back") is not None:
            back = _elements(raw["back"])
        for field_name, spec in raw.get("fields", {}).items():
            if spec.get("type") == "choice" and not spec.get("choices"):
                fail(("templates", key, "fields", field_name), msg.CHOICE_WITHOUT_CHOICES())
        templates[key] = Template(name=key, fields=_fields(raw.get("fields", {})),
                                  front=_elements(raw["front"]), back=back, back_face=back_face,
                                  shared_back=bool(back_face) and static_face(back or ()))
    if not templates:
        fail(("templates",), msg.NO_TEMPLATES())

    for template in templates.values():
        for element in _walk(template.front + (template.back or ())):
            _check_refs(element, colors, styles, problems)
        for element in template.front + (template.back or ()):
            _check_safe_zone(element, width, height, safe, problems)
        _check_placeholders(template.front + (template.back or ()), set(template.fields) | {"card.id"},
                            template.fields, problems)

    fonts = data["fonts"]
    if "files" in fonts:
        font_files = {}
        for key, rel in fonts["files"].items():
            try:
                font_files[key] = font_file(project, rel)
            except FontProblem as exc:
                fail(("fonts", "files", key), exc.said)
    else:
        package, files = BUILTIN_FONTS[fonts["family"]]
        root = resources.files(package) / "files"
        font_files = {key: str(root / filename) for key, filename in files.items()}

    marks = Marks(**{k: v if k == "style" else parse_length(v) for k, v in data["marks"].items()})
    if marks.offset < bleed:
        fail(("marks", "offset"), msg.MARKS_INSIDE_BLEED())
    sheet_raw = data["sheet"]
    sheet = Sheet(size=sheet_raw["size"], orientation=sheet_raw["orientation"],
                  margin=parse_length(sheet_raw["margin"]), gap=parse_length(sheet_raw["gap"]),
                  mode=sheet_raw["mode"])
    layout = Layout(name=name, file=doc.file, width=width, height=height, bleed=bleed, safe=safe,
                    font_files=font_files, colors=colors, styles=styles, marks=marks, sheet=sheet,
                    templates=templates, table={k: parse_length(v) for k, v in data.get("table", {}).items()})
    if sheet.mode == "n-up" and sheet.margin < 5 * MM - 0.01:
        fail(("sheet", "margin"), msg.SHEET_MARGIN_TOO_SMALL())
    elif sheet.mode == "n-up" and impose.plan_grid(layout).per_sheet == 0:
        fail(("size",), msg.CARD_DOES_NOT_FIT_SHEET(width=round(width / MM), height=round(height / MM),
                                                    sheet=sheet.size, margin=sheet_raw["margin"]))
    if problems:
        raise KaartgenError(problems, partial=layout)
    return layout


def _defining(chain: list[Doc], path: tuple) -> Doc:
    """The layout in the chain (child first) that writes the longest part of `path`, for positions."""
    path = tuple(path)
    for n in range(len(path), 0, -1):
        for doc in chain:
            if path[:n] in doc.marks:
                return doc
    return chain[0]


def _is_color_ref(value, colors) -> bool:
    # A name in colors counts even if its own value is broken: that is reported once, at colors.
    return "{" in str(value) or (isinstance(value, str) and value in colors) or resolve_color(value, colors) is not None


def _elements(raw: list) -> tuple[Element, ...]:
    out = []
    for item in raw:
        props = {k: v for k, v in item.items() if k not in ("_at", "elements")}
        children = _elements(item.get("elements", [])) if item["type"] == "repeat" else ()
        out.append(Element(kind=item["type"], props=props, where=item.get("_at", "?"), children=children))
    return tuple(out)


def _walk(elements):
    for element in elements:
        yield element
        yield from _walk(element.children)


def unknown_colour(name, colors: dict) -> msg.Said:
    return msg.UNKNOWN_COLOUR(name=name, hint=suggest(str(name), list(colors)), choices=list(colors))


def _check_refs(element: Element, colors, styles, problems) -> None:
    where = Where.of(element.where)
    for key in ("fill", "stroke", "color", "background"):
        value = element.props.get(key)
        if value is not None and not _is_color_ref(value, colors):
            problems.append(where.at(key, unknown_colour(value, colors)))
    style = element.props.get("style")
    if style is not None and style not in styles:
        problems.append(where.at("style", msg.UNKNOWN_STYLE(name=style, hint=suggest(str(style), list(styles)),
                                                            choices=list(styles))))
    dash = element.props.get("dash")
    if dash and (any(parse_length(d) < 0 for d in dash) or sum(parse_length(d) for d in dash) <= 0):
        problems.append(where.at("dash", msg.BAD_DASH()))


# Values every card can show besides its own fields; deck.* are the deck file's `deck:` keys.
SET_VALUES = ("set.name", "set.short_name", "set.sector", "set.logo", "set.contact")
TEXT_KEYS = ("content", "src", "fill", "stroke", "color", "background")


def _check_placeholders(elements, known: set, fields: dict, problems) -> None:
    """A {name} that no card can fill would print as nothing: catch the typo in the layout."""
    for element in elements:
        where = Where.of(element.where)
        for key in TEXT_KEYS:
            value = element.props.get(key)
            for name in placeholders(value) if isinstance(value, str) else ():
                if name not in known and not name.startswith("deck.") and name not in SET_VALUES:
                    problems.append(where.at(key, msg.UNKNOWN_PLACEHOLDER(
                        name=name, hint=suggest(name, sorted(known) + list(SET_VALUES)), choices=sorted(fields))))
        if element.kind == "repeat":
            spec = fields.get(element.props.get("items"))
            item_keys = {f.name for f in spec.fields} if spec and spec.fields else {"item"}
            if spec is None:
                items = str(element.props.get("items"))
                problems.append(where.at("items", msg.ITEMS_NOT_A_FIELD(name=items, hint=suggest(items, list(fields)),
                                                                        choices=list(fields))))
            _check_placeholders(element.children, known | item_keys | {"index", "count"}, fields, problems)


def static_face(elements) -> bool:
    """A face that uses no card field looks the same on every card: draw it once, reuse it."""
    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for v in value.values():
                yield from strings(v)
        elif isinstance(value, list):
            for v in value:
                yield from strings(v)
    def shared(name: str) -> bool:
        return name.startswith(("deck.", "set."))

    for element in elements:
        for s in strings(element.props):
            if not all(shared(p) for p in placeholders(s)):
                return False
        if not all(shared(key) for key in element.props.get("when") or {}):
            return False
        if element.children and not static_face(element.children):
            return False
    return True


def _check_safe_zone(element: Element, width: float, height: float, safe: float, problems) -> None:
    """Text must stay inside the safe zone: cutting is never exact to the millimetre."""
    if element.kind != "text":
        return
    p = element.props
    x, y = parse_length(p["x"], width), parse_length(p["y"], height)
    w, h = parse_length(p["w"], width), parse_length(p["h"], height)
    overshoot = {msg.EDGE_LEFT: safe - x, msg.EDGE_TOP: safe - y,
                 msg.EDGE_RIGHT: x + w - (width - safe), msg.EDGE_BOTTOM: y + h - (height - safe)}
    edges = [edge(mm=round(points / MM, 1)) for edge, points in overshoot.items() if points > 0.01]
    if edges:
        problems.append(Where.of(element.where).at("", msg.OUTSIDE_SAFE_ZONE(edges=edges, safe=round(safe / MM, 1))))


def _fields(raw: dict) -> dict[str, FieldSpec]:
    return {name: FieldSpec(name=name, type=spec["type"], required=bool(spec.get("required", False)),
                            choices=tuple(spec.get("choices", ())), minimum=spec.get("min"),
                            maximum=spec.get("max"), min_items=spec.get("min_items"),
                            max_items=spec.get("max_items"), max_length=spec.get("max_length"),
                            fields=tuple(_fields(spec.get("fields", {})).values()))
            for name, spec in raw.items()}
