"""Resolve a layout: load its YAML, follow `extends`, merge, validate, and build the model."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from dataclasses import replace
from importlib import resources
from pathlib import Path

from kaartgen import formats, impose
from kaartgen import messages as msg
from kaartgen.colors import color_value, resolve_color
from kaartgen.errors import KaartgenError, Problem, Where
from kaartgen.fonts import FontProblem, font_file
from kaartgen.model import ELEMENT_CLASSES, Dim, Element, FieldSpec, Layout, Marks, Sheet, Style, Template
from kaartgen.schema import Checker, Length, ListOf, Map, suggest, type_name
from kaartgen.text import placeholders
from kaartgen.units import MM, parse_dim, parse_length
from kaartgen.yamlio import Doc, format_path, load_file

DEFAULTS = {
    "bleed": "3mm", "safe": "4mm",
    "fonts": {"family": "source-sans-pro"},
    "colors": {"black": "#000000", "white": "#ffffff"},
    "styles": {"body": {}},
    "marks": {"length": "5mm", "offset": "3mm", "stroke_width": "0.25pt"},
    "sheet": {"paper": "A4", "orientation": "auto", "margin": "8mm", "gap": "6mm", "mode": "n-up",
              "cut_marks": "marks"},
}
STYLE_DEFAULTS = {key: spec.default for key, spec in formats.STYLE.fields.items() if spec.default is not None}
COLOR_KEYS = ("fill", "stroke", "color", "background")
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
    """The layout `name`, or a KaartgenError with every problem found. After schema problems the
    later checks (colours, styles, elements, safe zone) still run on what the schema accepted."""
    refused = _Refused()
    chain = _load_chain(name, layouts_dir, referrer, refused)
    merged: dict = {}
    for doc in reversed(chain):  # base first, so the child wins
        merged = _merge(merged, {k: v for k, v in doc.data.items() if k != "extends"})
    sources = _Sources(chain)
    try:
        _expand_element_extends(merged, sources)
        layout = _build(name, sources, _merge(DEFAULTS, merged), layouts_dir.parent)
    except KaartgenError as exc:
        if not refused.problems:
            raise
        raise KaartgenError(refused.problems + refused.besides(exc.problems)) from None
    if refused.problems:
        raise KaartgenError(refused.problems)  # no partial layout: parts of it were left out
    return layout


class _Refused:
    """Schema problems of the files of a chain, and the places taken out of their data because of them."""

    def __init__(self):
        self.problems: list[Problem] = []
        self.places: set[tuple[str, str]] = set()  # (file, key path)

    def add(self, doc: Doc, problems: list[Problem], pruned: list[tuple]) -> None:
        self.problems += problems
        self.places |= {(doc.file, format_path(path, doc.data)) for path in pruned}

    def besides(self, problems: list[Problem]) -> list[Problem]:
        """The later problems, without those that only say that a part taken out is missing (an
        element whose `x` was refused has no `x`; a layout whose only template was refused has none)."""
        return [p for p in problems if not self._taken_out(p)]

    def _taken_out(self, problem: Problem) -> bool:
        places = [place for file, place in self.places if file == problem.file]
        if problem.code in _MISSING_KEY:  # the key it misses, or the whole mapping, was taken out
            missing = _joined(problem.path, str(problem.params.get("key")))
            return any(place == problem.path or _within(place, missing) for place in places)
        if problem.code == msg.NO_TEMPLATES.code:
            return any(_within(place, "templates") for place in places)
        if problem.code == msg.NO_BASE_ELEMENT.code:  # its `type` was taken out
            return any(_within(place, problem.path) for place in places)
        return False


_MISSING_KEY = {m.code for m in (msg.MISSING_KEY, msg.MISSING_KEY_ONE_OF, msg.MISSING_KEY_INHERITED)}


def _joined(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _within(place: str, path: str) -> bool:
    """Whether the key path `place` is `path` or lies inside it."""
    return place == path or place.startswith((path + ".", path + "["))


def _load_chain(name: str, layouts_dir: Path, referrer: Problem | None, refused: _Refused) -> list[Doc]:
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
        problems, pruned = _valid_part(doc)
        if pruned is None:  # nothing the later checks could work on
            raise KaartgenError(refused.problems + problems)
        refused.add(doc, problems, pruned)
        chain.append(doc)
        seen.append(name)
        name = doc.data.get("extends")
    return chain


class _PathChecker(Checker):
    """A Checker that also keeps the key path of each problem."""

    def __init__(self, doc: Doc):
        super().__init__(doc)
        self.paths: list[tuple] = []

    def fail(self, path: tuple, message) -> None:
        super().fail(path, message)
        self.paths.append(tuple(path))


MAX_PRUNE_ROUNDS = 8


def _valid_part(doc: Doc) -> tuple[list[Problem], list[tuple] | None]:
    """The schema's problems in `doc`, and the key paths taken out of `doc.data` so that the rest
    is valid: each refused value, then what became incomplete without it (an element without its
    `x`). None when nothing valid would be left (the size of a layout that does not extend another)."""
    first = _PathChecker(doc)
    _check_schema(doc, first)
    checker, pruned = first, []
    for _ in range(MAX_PRUNE_ROUNDS):
        if not checker.problems:
            return first.problems, pruned
        if () in checker.paths:
            break
        for path in checker.paths:
            _prune(doc.data, path)
        pruned += checker.paths
        checker = _PathChecker(doc)
        _check_schema(doc, checker)
    return first.problems, None


def _check_schema(doc: Doc, checker: Checker) -> None:
    (CHILD_LAYOUT if "extends" in doc.data else formats.LAYOUT).check(doc.data, (), checker)
    if not checker.problems:  # fields of `items` fields nest, so the schema only sees a mapping
        _check_item_fields(doc, checker)


def _check_item_fields(doc: Doc, checker: Checker) -> None:
    def check(fields, path):
        for name, spec in (fields or {}).items():
            if isinstance(spec, dict) and "fields" in spec and isinstance(spec["fields"], dict):
                item_path = path + (name, "fields")
                Map({}, extra=formats.FIELD).check(spec["fields"], item_path, checker)
                check(spec["fields"], item_path)
    for key, template in (doc.data.get("templates") or {}).items():
        check(template.get("fields"), ("templates", key, "fields"))


def _prune(data: dict, path: tuple) -> None:
    """Take the value at `path` out of `data`. A named colour, style, face or field is kept with a
    neutral value instead, so what refers to it by name is not reported as unknown as well."""
    parent = data
    for part in path[:-1]:
        parent = parent.get(part) if isinstance(parent, dict) else None
    if not isinstance(parent, dict) or path[-1] not in parent:
        if len(path) > 1:
            _prune(data, path[:-1])  # a list item, or a place already taken out: its container goes
        return
    if len(path) == 2 and path[0] in ("colors", "styles", "faces"):
        parent[path[-1]] = "#000000" if path[0] == "colors" else {}
    elif len(path) == 4 and path[0] == "templates" and path[2] == "fields":
        parent[path[-1]] = {"type": "text"}
    else:
        del parent[path[-1]]


def _merge(base, override):
    """Mappings merge key by key (so faces merge element by element); `null` removes a key."""
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for key, value in override.items():
            if value is None and isinstance(base.get(key), dict):
                del out[key]
            else:
                out[key] = _merge(base[key], value) if key in base else value
        return out
    return override


class _Sources:
    """Positions in a merged layout: each key path is found in the file of the chain that wrote it."""

    def __init__(self, chain: list[Doc]):
        self.chain = chain
        self.origins: dict[tuple, tuple] = {}  # element path -> path of the element it extends

    def problem(self, path: tuple, message: str) -> Problem:
        return _defining(self.chain, path).problem(path, message)

    def place(self, path: tuple) -> tuple:
        doc = _defining(self.chain, path)
        line, column = doc.where(path)
        return doc.file, line, column, format_path(path)

    def written(self, path: tuple) -> bool:
        return any(tuple(path) in doc.marks for doc in self.chain)

    def where(self, path: tuple, element: dict) -> Where:
        file, line, column, text = self.place(path)
        keys = {}
        for key in element:
            at = path
            while not self.written(at + (key,)) and at in self.origins:
                at = self.origins[at]  # a key inherited from the element this one extends
            keys[key] = self.place(at + (key,)) if self.written(at + (key,)) else (file, line, column,
                                                                                    format_path(path + (key,)))
        return Where(f"{file}:{line}:{column}", text, keys)


def _faces(data: dict):
    """(path, face mapping) of every face in a layout: shared faces and the templates' own."""
    for name, face in (data.get("faces") or {}).items():
        yield ("faces", name), face
    for name, template in (data.get("templates") or {}).items():
        for side in ("front", "back"):
            if isinstance(template.get(side), dict):
                yield ("templates", name, side), template[side]


def _expand_element_extends(data: dict, sources: _Sources) -> None:
    """An element's `extends` names an element of its own face or of `elements:`; copy its keys in."""
    library = data.get("elements") or {}
    problems: list[Problem] = []
    failed: set[tuple] = set()  # elements already reported, so a cycle is reported once

    def resolve(face: dict, path: tuple, name, trail: tuple) -> dict:
        element, here = face[name], path + (name,)
        if not isinstance(element, dict) or "extends" not in element:
            return element
        target = element["extends"]
        base_face, base_path = (face, path) if target in face and target != name else (library, ("elements",))
        if here in failed:
            return element
        if here in trail or not isinstance(base_face.get(target), dict):
            failed.update(trail + (here,))
            message = (msg.EXTENDS_CYCLE(chain=" -> ".join(format_path(p) for p in trail + (here,)))
                       if here in trail else msg.NO_ELEMENT_TO_EXTEND(
                           name=target, hint=suggest(str(target), list(face) + list(library))))
            problems.append(sources.problem(here + ("extends",), message))
            return element
        base = resolve(base_face, base_path, target, trail + (here,))
        face[name] = _merge({k: v for k, v in base.items() if k != "name"},
                            {k: v for k, v in element.items() if k != "extends"})
        sources.origins[here] = base_path + (target,)
        return face[name]

    def expand(face: dict, path: tuple) -> None:
        for name in list(face):
            element = resolve(face, path, name, ())
            if isinstance(element, dict) and isinstance(element.get("elements"), dict):
                expand(element["elements"], path + (name, "elements"))

    expand(library, ("elements",))
    for path, face in _faces(data):
        expand(face, path)
    if problems:
        raise KaartgenError(list({str(p): p for p in problems}.values()))


def _build(name: str, sources: _Sources, data: dict, project: Path) -> Layout:
    problems: list[Problem] = []

    def fail(path, message):
        problems.append(sources.problem(tuple(path), message))

    for key in ("width", "height"):
        if key not in data.get("size", {}):
            fail(("size",), msg.MISSING_KEY_INHERITED(key="size" if "size" not in data else key))
    for key, raw in data.get("templates", {}).items():
        if "front" not in raw:
            fail(("templates", key), msg.MISSING_KEY_INHERITED(key="front"))
    if problems:
        raise KaartgenError(problems)
    broken = _drop_broken_elements(data, sources)  # the checks below still run on the others
    problems += broken
    width = parse_length(data["size"]["width"])
    height = parse_length(data["size"]["height"])
    bleed, safe = parse_length(data["bleed"]), parse_length(data["safe"])
    if bleed < 0 or safe < 0:
        fail(("bleed",), msg.NEGATIVE_BLEED())
    if safe * 2 >= min(width, height):
        fail(("safe",), msg.SAFE_TOO_LARGE(safe=data["safe"], width=round(width / MM), height=round(height / MM)))
    colors = _colors(data, fail)
    styles = _styles(data, colors, fail)
    resolver = _Resolver(sources, colors, styles, problems)
    templates = _templates(data, resolver, fail)
    for template in templates.values():
        faces = template.front + (template.back or ())
        for element in faces:
            _check_safe_zone(element, width, height, safe, problems)
        _check_placeholders(faces, set(template.fields) | set(CARD_VALUES), template.fields, problems)
    font_files = _font_files(data["fonts"], project, fail)
    marks, sheet = _marks_and_sheet(data, bleed, fail)
    layout = Layout(name=name, file=sources.chain[0].file, width=width, height=height, bleed=bleed, safe=safe,
                    font_files=font_files, colors=colors, styles=styles, marks=marks, sheet=sheet,
                    templates=templates, table={k: parse_length(v) for k, v in data.get("table", {}).items()})
    _check_fits_sheet(layout, data["sheet"]["margin"], fail)
    if problems:
        raise KaartgenError(list({str(p): p for p in problems}.values()), partial=None if broken else layout)
    return layout


def _check_fits_sheet(layout: Layout, margin, fail) -> None:
    sheet = layout.sheet
    if sheet.mode == "n-up" and sheet.margin >= 5 * MM - 0.01 and impose.plan_grid(layout).per_sheet == 0:
        fail(("size",), msg.CARD_DOES_NOT_FIT_SHEET(width=round(layout.width / MM), height=round(layout.height / MM),
                                                    sheet=sheet.size, margin=margin))


def _drop_broken_elements(data: dict, sources: _Sources) -> list[Problem]:
    """Each file was checked on its own; now that the chain is merged, every element must be whole.
    The problems, and the elements that are not whole taken out of `data`."""
    checker = Checker(sources)

    def check(face: dict, path: tuple, depth: int) -> None:
        for name, element in list(face.items()):
            here, before = path + (name,), len(checker.problems)
            if isinstance(element, dict) and "type" not in element:
                checker.fail(here, msg.NO_BASE_ELEMENT(name=name, choices=list(formats.ELEMENT_TYPES)))
            else:
                formats.element_schema(depth).check(element, here, checker)
            if len(checker.problems) > before:
                del face[name]
            elif isinstance(element, dict) and isinstance(element.get("elements"), dict):
                check(element["elements"], here + ("elements",), depth + 1)
    for path, face in _faces(data):
        check(face, path, 0)
    return checker.problems


def _colors(data: dict, fail) -> dict:
    colors = {key: color_value(value) for key, value in data["colors"].items()}
    for key, value in colors.items():
        if resolve_color(value, colors) is None:
            others = [c for c in colors if c != key]
            fail(("colors", key), msg.NOT_A_HEX_COLOUR(value=value) if str(value).startswith("#")
                 else msg.NOT_A_COLOUR_NAME(value=value, hint=suggest(str(value), others), choices=others))
    return colors


def _styles(data: dict, colors: dict, fail) -> dict[str, Style]:
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
                            bold=bool(values["bold"]), italic=bool(values["italic"]),
                            color=values["color"], align=values["align"],
                            space_after=parse_length(values["space_after"]),
                            hyphenate=bool(values["hyphenate"]), bullet=str(values["bullet"]))
    return styles


def _templates(data: dict, resolver: "_Resolver", fail) -> dict[str, Template]:
    faces = {key: resolver.face(face, ("faces", key)) for key, face in (data.get("faces") or {}).items()}

    def side(key: str, raw, which: str):
        if isinstance(raw, str):
            if raw not in faces:
                fail(("templates", key, which), msg.UNKNOWN_FACE(name=raw, hint=suggest(raw, list(faces)),
                                                                 choices=list(faces)))
                return (), raw
            return faces[raw], raw
        return (None, None) if raw is None else (resolver.face(raw, ("templates", key, which)), None)

    templates = {}
    for key, raw in data.get("templates", {}).items():
        front, _ = side(key, raw["front"], "front")
        back, back_face = side(key, raw.get("back"), "back")
        for field_name, spec in raw.get("fields", {}).items():
            if spec.get("type") == "choice" and not spec.get("choices"):
                fail(("templates", key, "fields", field_name), msg.CHOICE_WITHOUT_CHOICES())
        templates[key] = Template(name=key, fields=_fields(raw.get("fields", {})), front=front, back=back,
                                  back_face=back_face, shared_back=bool(back_face) and static_face(back or ()))
    if not templates:
        fail(("templates",), msg.NO_TEMPLATES())
    return templates


def _font_files(fonts: dict, project: Path, fail) -> dict[str, str]:
    if "files" not in fonts:
        package, files = BUILTIN_FONTS[fonts["family"]]
        root = resources.files(package) / "files"
        return {key: str(root / filename) for key, filename in files.items()}
    font_files = {}
    for key, rel in fonts["files"].items():
        try:
            font_files[key] = font_file(project, rel)
        except FontProblem as exc:
            fail(("fonts", "files", key), exc.said)
    return font_files


def _marks_and_sheet(data: dict, bleed: float, fail) -> tuple[Marks, Sheet]:
    raw_marks, raw_sheet = data["marks"], data["sheet"]
    marks = Marks(length=parse_length(raw_marks["length"]), offset=parse_length(raw_marks["offset"]),
                  width=parse_length(raw_marks["stroke_width"]), style=raw_sheet["cut_marks"])
    if marks.offset < bleed:
        fail(("marks", "offset"), msg.MARKS_INSIDE_BLEED())
    sheet = Sheet(size=raw_sheet["paper"], orientation=raw_sheet["orientation"],
                  margin=parse_length(raw_sheet["margin"]), gap=parse_length(raw_sheet["gap"]),
                  mode=raw_sheet["mode"])
    if sheet.mode == "n-up" and sheet.margin < 5 * MM - 0.01:
        fail(("sheet", "margin"), msg.SHEET_MARGIN_TOO_SMALL())
    return marks, sheet


def _defining(chain: list[Doc], path: tuple) -> Doc:
    """The layout in the chain (child first) that writes the longest part of `path`, for positions."""
    path = tuple(path)
    for n in range(len(path), 0, -1):
        for doc in chain:
            if path[:n] in doc.marks:
                return doc
    return chain[0]


def unknown_colour(name, colors: dict) -> msg.Said:
    return msg.UNKNOWN_COLOUR(name=name, hint=suggest(str(name), list(colors)), choices=list(colors))


def _is_color_ref(value, colors) -> bool:
    # A name in colors counts even if its own value is broken: that is reported once, at colors.
    return "{" in str(value) or (isinstance(value, str) and value in colors) or resolve_color(value, colors) is not None


class _Resolver:
    """Turns merged element mappings into typed elements, once per layout (Squib's argument pipeline:
    the element's value, else the declared default; then units parsed and static colours resolved)."""

    def __init__(self, sources: _Sources, colors: dict, styles: dict, problems: list):
        self.sources, self.colors, self.styles, self.problems = sources, colors, styles, problems

    def face(self, face: dict, path: tuple) -> tuple[Element, ...]:
        return tuple(self.element(raw, path + (name,)) for name, raw in face.items() if raw is not None)

    def element(self, raw: dict, path: tuple) -> Element:
        kind = raw["type"]
        cls, declared = ELEMENT_CLASSES[kind], formats.ELEMENT.variants[kind].fields
        where = self.sources.where(path, raw)
        values = {"where": where, "name": raw.get("name", path[-1])}
        for spec in dataclass_fields(cls):
            key = spec.name
            if key in ("where", "name") or key not in declared:
                continue
            value = raw.get(key, getattr(declared[key], "default", None))
            if value is not None:
                values[key] = self.convert(declared[key], value, where, key)
        if kind == "repeat":
            values["elements"] = self.face(raw["elements"], path + ("elements",))
        if kind == "text" and values["style"] not in self.styles:
            self.problems.append(where.at("style", msg.UNKNOWN_STYLE(
                name=values["style"], hint=suggest(str(values["style"]), list(self.styles)), choices=list(self.styles))))
        if values.get("dash") and (min(values["dash"]) < 0 or sum(values["dash"]) <= 0):
            self.problems.append(where.at("dash", msg.BAD_DASH()))
        shift = (_dim(raw.get("dx", 0)), _dim(raw.get("dy", 0)))
        return cls(**_shifted(kind, values, *shift))

    def convert(self, declared, value, where: Where, key: str):
        if key in COLOR_KEYS:
            return self.color(value, where, key)
        if isinstance(declared, Length):
            return _dim(value) if declared.percent else parse_length(value)
        if isinstance(declared, ListOf) and isinstance(declared.item, Length):  # dash
            return tuple(parse_length(v) for v in value)
        if isinstance(declared, ListOf):  # points: [[x, y], …]
            return tuple((_dim(x), _dim(y)) for x, y in value)
        if isinstance(declared, Map):  # grid, ring
            return {k: _dim(v) if isinstance(declared.fields.get(k), Length) else v for k, v in value.items()}
        return float(value) if key in ("rotation", "opacity") else value

    def color(self, value, where: Where, key: str):
        if isinstance(value, str) and "{" in value:
            return value  # a {field} template: resolved per card
        color = resolve_color(value, self.colors)
        if color is None:
            self.problems.append(where.at(key, unknown_colour(value, self.colors)))
        return replace(color, name=value) if color is not None and isinstance(value, str) else color


def _dim(value) -> Dim:
    return Dim(*parse_dim(value))


def _shifted(kind: str, values: dict, dx: Dim, dy: Dim) -> dict:
    """Apply `dx`/`dy` (a child layout's nudge) to wherever the element is placed."""
    if not (dx.points or dx.share or dy.points or dy.share):
        return values
    out = dict(values)
    if "x" in values:
        out["x"], out["y"] = values["x"] + dx, values["y"] + dy
    if kind == "line":
        out.update(x1=values["x1"] + dx, x2=values["x2"] + dx, y1=values["y1"] + dy, y2=values["y2"] + dy)
    for key in ("points", "at"):
        if values.get(key):
            out[key] = tuple((x + dx, y + dy) for x, y in values[key])
    for key in ("grid", "ring"):
        if values.get(key):
            out[key] = {**values[key], "x": values[key]["x"] + dx, "y": values[key]["y"] + dy}
    return out


def _walk(elements):
    for element in elements:
        yield element
        yield from _walk(element.children)


# Values every card can show besides its own fields; deck.* are the deck file's `deck:` keys.
SET_VALUES = ("set.name", "set.short_name", "set.sector", "set.logo", "set.contact", "set.url")
CARD_VALUES = ("card.id", "card.index", "card.count")


def element_texts(element: Element):
    """(key, text) of an element's values that may hold {field} templates."""
    for spec in dataclass_fields(element):
        value = getattr(element, spec.name)
        if isinstance(value, str) and spec.name not in ("where", "name"):
            yield spec.name, value


def element_colors(element: Element):
    """The colours an element is drawn in, as the layout names them ("step1", "step{step}", "#1f6fb2")."""
    for key in COLOR_KEYS:
        value = getattr(element, key, None)
        name = value if isinstance(value, str) else getattr(value, "name", None)
        if name:
            yield name


def _check_placeholders(elements, known: set, fields: dict, problems) -> None:
    """A {name} that no card can fill would print as nothing: catch the typo in the layout."""
    for element in elements:
        where = Where.of(element.where)
        for key, value in element_texts(element):
            for name in placeholders(value):
                if name not in known and not name.startswith("deck.") and name not in SET_VALUES:
                    problems.append(where.at(key, msg.UNKNOWN_PLACEHOLDER(
                        name=name, hint=suggest(name, sorted(known) + list(SET_VALUES)), choices=sorted(fields))))
        if element.kind == "repeat":
            spec = fields.get(element.items)
            item_keys = {f.name for f in spec.fields} if spec and spec.fields else {"item"}
            if element.items is not None and spec is None:
                items = str(element.items)
                problems.append(where.at("items", msg.ITEMS_NOT_A_FIELD(name=items, hint=suggest(items, list(fields)),
                                                                        choices=list(fields))))
            if element.items is None and element.count is None:
                problems.append(where.at("", msg.REPEAT_NEEDS_ITEMS()))
            _check_placeholders(element.children, known | item_keys | {"index", "count"}, fields, problems)


def static_face(elements) -> bool:
    """A face that uses no card field looks the same on every card: draw it once, reuse it."""
    def shared(name: str) -> bool:
        return name.startswith(("deck.", "set.")) or name in ("index", "count")

    for element in elements:
        for _, text in element_texts(element):
            if not all(shared(p) for p in placeholders(text)):
                return False
        if not all(shared(key) for key in element.when or {}):
            return False
        if getattr(element, "items", None) or (element.children and not static_face(element.children)):
            return False
    return True


def _check_safe_zone(element: Element, width: float, height: float, safe: float, problems) -> None:
    """Text must stay inside the safe zone: cutting is never exact to the millimetre."""
    if element.kind != "text":
        return
    x, y, w, h = element.box(width, height)
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
