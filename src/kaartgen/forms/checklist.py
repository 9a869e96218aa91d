"""A checklist file (cards/checklist-*.yaml): its format, validation and model.

A checklist has `checklist:` (id, title, intro, form_version, levels) and `categories:`
with items. Each item becomes a radio group named `<category id>.<n>` whose export values
are the level values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kaartgen import messages as msg
from kaartgen.errors import KaartgenError, Problem
from kaartgen.schema import ListOf, Map, Num, Str, validate
from kaartgen.yamlio import Doc, load_file

DEFAULT_LAYOUT = "checklist"
PERSON_FIELDS = (("naam", "Naam"), ("school", "School / opleiding"), ("rol", "Rol"), ("datum", "Datum"))
PERSON_TOOLTIPS = {"naam": "Naam", "school": "School of opleiding",
                   "rol": "Rol (bijvoorbeeld leraar, schoolleider, opleider, student)", "datum": "Datum"}
RESERVED = {name for name, _ in PERSON_FIELDS} | {"kaartgen_form"}

NAME = r"^[a-z][a-z0-9_]*$"  # no dots: a dot separates parent and kid in PDF field names
CHECKLIST = Map({
    "checklist": Map({
        "id": Str(pattern=r"^[a-z0-9][a-z0-9_-]*$", pattern_hint=msg.ID_CHARACTERS(),
                  description="form id stored in the PDF; tally recognises copies by it"),
        "title": Str(), "intro": Str(), "source": Str(), "author": Str(),
        "form_version": Num(integer=True, minimum=1, description="raise when items change, so old "
                                                                   "copies are not mixed with new ones"),
        "layout": Str(description=f"layout in layouts/ (default {DEFAULT_LAYOUT})"),
        "levels": ListOf(Map({
            "value": Str(pattern=NAME, pattern_hint=msg.LEVEL_CHARACTERS()),
            "label": Str(description="column heading")}, required=("value", "label")),
            min_items=2, max_items=5, description="answer options, lowest first; scored 1, 2, 3 …"),
    }, required=("id", "title", "form_version", "levels")),
    "categories": ListOf(Map({
        "id": Str(pattern=NAME, pattern_hint=msg.CATEGORY_CHARACTERS()),
        "title": Str(),
        "items": ListOf(Str(max_length=300), min_items=1, max_items=30),
    }, required=("id", "title", "items")), min_items=1),
}, required=("checklist", "categories"), description="a kaartgen checklist")


@dataclass(frozen=True)
class Level:
    value: str
    label: str


@dataclass(frozen=True)
class Item:
    field: str  # the radio group's full name, e.g. ondersteunende_cultuur.3
    number: int
    text: str
    path: tuple  # key path in the YAML, for messages


@dataclass(frozen=True)
class Category:
    id: str
    title: str
    items: tuple[Item, ...]

    @property
    def comment_field(self) -> str:
        return f"{self.id}.opmerking"


@dataclass(eq=False)
class Checklist:
    name: str  # file stem: names the output folder
    doc: Doc
    id: str
    title: str
    intro: str
    version: int
    levels: tuple[Level, ...]
    categories: tuple[Category, ...]
    meta: dict = field(default_factory=dict)

    @property
    def items(self) -> list[Item]:
        return [item for category in self.categories for item in category.items]

    @property
    def layout(self) -> str:
        return self.meta.get("layout", DEFAULT_LAYOUT)

    def category_of(self, item: Item) -> Category:
        return next(c for c in self.categories if item in c.items)

    def label(self, value: str) -> str:
        return next(level.label for level in self.levels if level.value == value)


def load_checklist(path: Path) -> Checklist:
    doc = load_file(path)
    if doc.data is None:
        raise KaartgenError(Problem(doc.file, None, None, "", msg.EMPTY_CHECKLIST_FILE()))
    problems = validate(doc, CHECKLIST) or _check_names(doc)
    if problems:
        raise KaartgenError(problems)
    head = doc.data["checklist"]
    categories = tuple(
        Category(id=cat["id"], title=str(cat["title"]),
                 items=tuple(Item(f"{cat['id']}.{n}", n, str(text), ("categories", i, "items", n - 1))
                             for n, text in enumerate(cat["items"], start=1)))
        for i, cat in enumerate(doc.data["categories"]))
    meta = {k: str(head[k]) for k in ("source", "author", "layout") if k in head}
    return Checklist(name=path.stem, doc=doc, id=str(head["id"]), title=str(head["title"]),
                     intro=str(head.get("intro", "")), version=int(head["form_version"]),
                     levels=tuple(Level(str(lv["value"]), str(lv["label"])) for lv in head["levels"]),
                     categories=categories, meta=meta)


def _check_names(doc: Doc) -> list[Problem]:
    """Level values and category ids become PDF names: they must be unique and not clash."""
    problems = []
    seen: dict[str, int] = {}
    for i, level in enumerate(doc.data["checklist"]["levels"]):
        if level["value"] in seen:
            first = seen[level["value"]] + 1
            problems.append(doc.problem(("checklist", "levels", i, "value"),
                                        msg.LEVEL_TWICE(value=level["value"], first=first)))
        seen.setdefault(level["value"], i)
    ids: set[str] = set()
    for i, category in enumerate(doc.data["categories"]):
        if category["id"] in ids:
            problems.append(doc.problem(("categories", i, "id"), msg.DUPLICATE_CATEGORY(id=category["id"])))
        elif category["id"] in RESERVED:
            problems.append(doc.problem(("categories", i, "id"), msg.RESERVED_CATEGORY(id=category["id"])))
        ids.add(category["id"])
    return problems
