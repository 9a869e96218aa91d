"""JSON Schema files for the YAML formats, generated from the declarations in formats.py.

Editors use them to check and complete YAML (VS Code's YAML extension reads a first line
`# yaml-language-server: $schema=../schema/deck.schema.json`). `kaartgen schema` writes them;
the copies in schema/ are committed and a test keeps them equal to what this module makes.

A card's fields are declared per template in the deck's layout, so besides the generic
deck.schema.json every layout with card fields gets deck-<layout>.schema.json, built from the
same declarations kaartgen checks cards with (decks.card_schema); a deck names its own.
(Named `schemas`, not `jsonschema`, so it never shadows the jsonschema package.)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote

from kaartgen import formats
from kaartgen.decks import DEFAULT_TEMPLATE, card_schema
from kaartgen.errors import KaartgenError
from kaartgen.forms.checklist import CHECKLIST as CHECKLIST_FORMAT
from kaartgen.layouts import load_layout
from kaartgen.model import Layout
from kaartgen.project import CHECKLIST, DECK, LAYOUT, SET, Project, deck_files, kind_of
from kaartgen.schema import Enum, Schema
from kaartgen.yamlio import load_file

DRAFT = "https://json-schema.org/draft/2020-12/schema"
MODELINE = "# yaml-language-server: $schema="

TITLES = {
    "deck": "kaartgen deck (cards/<deck>.yaml)",
    "layout": "kaartgen layout (layouts/<layout>.yaml)",
    "set": "kaartgen partnership set (cards/sets/<slug>.yaml)",
    "checklist": "kaartgen checklist (cards/checklist-<name>.yaml)",
}


def declared() -> dict[str, Schema]:
    """Format name → its declared schema."""
    return {"deck": formats.DECK, "layout": formats.LAYOUT, "set": formats.SET, "checklist": CHECKLIST_FORMAT}


def shared_parts() -> dict[str, Schema]:
    """Parts used in many places, written once under $defs (the layout schema would be 30× larger)."""
    return {"face": formats.FACE, "element": formats.ELEMENT, "named-element": formats.named_element(),
            "named-element-in-repeat": formats.named_element(1),
            "named-element-in-nested-repeat": formats.named_element(2),
            "style": formats.STYLE, "field": formats.FIELD, "patch": formats.PATCH, "card-list": formats.CARD_LIST,
            "color": formats.color_value, "when": formats.when}


def json_schema(name: str, schema: Schema, extra_defs: dict[str, dict] | None = None,
                title: str | None = None) -> dict:
    """The JSON Schema of a declared format; `extra_defs` are more named parts for $defs."""
    body = schema.to_json()
    named = {}
    for part, declared_part in shared_parts().items():
        named.setdefault(_key(declared_part.to_json()), part)
    defs: dict[str, dict] = {}

    def factor(node, top: bool = False):
        if isinstance(node, list):
            return [factor(item) for item in node]
        if not isinstance(node, dict):
            return node
        part = None if top else named.get(_key(node))
        if part is not None:
            if part not in defs:
                defs[part] = {}  # reserve the name first: parts contain parts
                defs[part] = {k: factor(v) for k, v in node.items()}
            return {"$ref": f"#/$defs/{part}"}
        return {k: factor(v) for k, v in node.items()}

    body = factor(body, top=True)
    for part, node in (extra_defs or {}).items():
        defs[part] = factor(node, top=True)
    out = {"$schema": DRAFT, "title": title or TITLES.get(name, f"kaartgen {name}"), **body}
    if defs:
        out["$defs"] = {part: defs[part] for part in sorted(defs)}
    return out


def _key(node) -> str:
    return json.dumps(node, sort_keys=True, ensure_ascii=False)


def render(name: str, schema: Schema) -> str:
    return _dump(json_schema(name, schema))


def _dump(body: dict) -> str:
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


# --- one deck schema per layout: cards with the fields of the layout's templates -----------------

@dataclass
class _Ref(Schema):
    """A named part of $defs, for the declared formats to point at."""

    part: str

    def check(self, value, path, checker):  # only ever turned into JSON Schema
        raise NotImplementedError

    def to_json(self):
        return _ref(self.part)


def _ref(part: str) -> dict:
    pointer = part.replace("~", "~0").replace("/", "~1")  # JSON Pointer, then URI fragment
    return {"$ref": "#/$defs/" + quote(pointer, safe="-._~!$&'()*+,;=:@")}


# decks._is_group: an entry with `with`, or with `cards` but no `id`, is a group of cards
IS_GROUP = {"anyOf": [{"required": ["with"]}, {"required": ["cards"], "not": {"required": ["id"]}}]}


def deck_layouts(project: Path) -> dict[str, Layout]:
    """The layouts that decks in project/cards/ use and that give their templates card fields: each
    gets a deck-<layout>.schema.json. Others (base layouts, broken ones) leave decks the generic one."""
    folder = project / "layouts"
    found = {name: _layout_with_fields(name, folder) for name in sorted(_used_layouts(project / "cards"))}
    return {name: layout for name, layout in found.items() if layout is not None}


def _used_layouts(cards: Path) -> set[str]:
    names = set()
    for path in deck_files(Project(cards.parent)) if cards.is_dir() else []:
        try:
            data = load_file(path).data
        except KaartgenError:
            continue
        deck = data.get("deck") if isinstance(data, dict) else None
        if isinstance(deck, dict) and isinstance(deck.get("layout"), str):
            names.add(deck["layout"])
    return names


def _layout_with_fields(name: str, folder: Path) -> Layout | None:
    try:
        layout = load_layout(name, folder)
    except KaartgenError:
        return None
    return layout if any(template.fields for template in layout.templates.values()) else None


def deck_schema_name(layout: str) -> str:
    return f"deck-{layout}"


def layout_deck_schema(layout: Layout) -> dict:
    """The deck format with the cards of this layout: each card has the fields its template
    declares (by `template`, else that of its group's `with`, else `card`), also in groups and
    in `variants`. In a group a card may get any field from `with`, so there none is required."""
    names = tuple(layout.templates)
    template = Enum(names, description=f"a template of layout '{layout.name}' "
                                       f"(default: that of the group, else '{DEFAULT_TEMPLATE}')")
    cards = {}
    for name, spec in layout.templates.items():
        declared_card = card_schema(spec.fields)
        cards[name] = replace(declared_card, fields={**declared_card.fields, "template": template},
                              description=f"a card of template '{name}'")
    contexts = names if DEFAULT_TEMPLATE in names else names + (DEFAULT_TEMPLATE,)
    needs_template = {"required": ["template"],
                      "description": f"layout '{layout.name}' has no template '{DEFAULT_TEMPLATE}': name one"}

    def by_template(card_part: str, default: str) -> dict:
        """A card: the fields of its own template, or else those of `default`."""
        return {"type": "object", "properties": {"template": template.to_json()}, "allOf": [
            *({"if": {"required": ["template"], "properties": {"template": {"const": name}}},
               "then": _ref(f"{card_part}.{name}")} for name in names),
            {"if": {"not": {"required": ["template"]}},
             "then": _ref(f"{card_part}.{default}") if default in names else needs_template}]}

    def cards_in(context: str) -> dict:
        return {"properties": {"cards": {"items": _ref(f"entry-in-group.{context}")}}}

    def group(context: str) -> dict:
        with_template = {"type": "object", "required": ["template"]}
        return {
            "type": "object", "description": "a group: its cards share the fields under 'with'",
            "properties": {"with": {"if": {"type": "null"}, "else": _ref("fields")},  # empty is fine
                           "cards": {"type": ["array", "null"]}},
            "additionalProperties": False,
            "allOf": [*({"if": {"required": ["with"], "properties": {"with": {
                            **with_template, "properties": {"template": {"const": name}}}}},
                         "then": cards_in(name)} for name in names),
                      {"if": {"not": {"required": ["with"], "properties": {"with": with_template}}},
                       "then": cards_in(context)}]}

    fields = _fields_of_any_template(cards)
    defs = {"entry": {"if": IS_GROUP, "then": _ref(f"group.{DEFAULT_TEMPLATE}"),
                      "else": by_template("card", DEFAULT_TEMPLATE)},
            "fields": {"type": "object",
                       "properties": {key: options[0] if len(options) == 1 else {"anyOf": options}
                                      for key, options in fields.items()},
                       "additionalProperties": False,
                       "description": "fields of any template; a card's own template decides"}}
    for name, declared_card in cards.items():
        defs[f"card.{name}"] = declared_card.to_json()
        defs[f"group-card.{name}"] = replace(declared_card, required=()).to_json()
    for context in contexts:
        defs[f"group.{context}"] = group(context)
        defs[f"entry-in-group.{context}"] = {"if": IS_GROUP, "then": _ref(f"group.{context}"),
                                             "else": by_template("group-card", context)}

    return json_schema("deck", _deck_format(layout), defs,
                       title=f"kaartgen deck with layout {layout.name} (cards/<deck>.yaml)")


def _fields_of_any_template(cards: dict) -> dict[str, list]:
    """Every template's fields with their possible schemas, for `with` and `replace`."""
    fields: dict[str, list] = {}
    for declared_card in cards.values():
        for key, schema in declared_card.fields.items():
            options = fields.setdefault(key, [])
            if schema.to_json() not in options:
                options.append(schema.to_json())
    return fields


def _deck_format(layout: Layout):
    """The deck format whose cards, added cards and replacements refer to this layout's definitions."""
    card_list = replace(formats.CARD_LIST, item=_Ref("entry"))
    patch = replace(formats.PATCH, fields={**formats.PATCH.fields, "add": card_list,
                                           "replace": replace(formats.PATCH.fields["replace"], extra=_Ref("fields"))})
    cards_field = replace(formats.DECK.fields["cards"], options=[(list, card_list), (dict, formats.CARD_SOURCE)])
    return replace(formats.DECK, fields={**formats.DECK.fields, "cards": cards_field,
                                         "variants": replace(formats.DECK.fields["variants"], extra=patch)},
                   description=f"a kaartgen deck with layout '{layout.name}'")


def schema_texts(project: Path | None = None) -> dict[str, str]:
    """File name → text of every schema: the formats, and a deck schema per layout of `project`."""
    texts = {f"{name}.schema.json": render(name, schema) for name, schema in declared().items()}
    for name, layout in (deck_layouts(project) if project is not None else {}).items():
        texts[f"{deck_schema_name(name)}.schema.json"] = _dump(layout_deck_schema(layout))
    return texts


def write_schemas(out: Path, project: Path | None = None) -> list[Path]:
    """Write the schemas into `out` (deck ones for the layouts of `project`); returns the paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_texts(project).items():
        path = out / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def format_of(path: Path, root: Path) -> str | None:
    """Which format a YAML file in a project is: deck, layout, set or checklist (None: none of ours)."""
    kind = kind_of(path, root)
    return kind if kind in (DECK, CHECKLIST, SET, LAYOUT) else None


def modeline(path: Path, root: Path) -> str | None:
    """The first line that links a YAML file to its schema in schema/ at the project root; a deck
    names the schema of its layout when `kaartgen schema` makes one."""
    kind = format_of(path, root)
    if kind is None:
        return None
    if kind == "deck":
        layout = _deck_layout(path)
        if layout is not None and _layout_with_fields(layout, root / "layouts") is not None:
            kind = deck_schema_name(layout)
    depth = len(path.relative_to(root).parts) - 1
    return f"{MODELINE}{'../' * depth}schema/{kind}.schema.json"


def _deck_layout(path: Path) -> str | None:
    """The `deck.layout` of a deck file, if it can be read."""
    try:
        data = load_file(path).data
    except KaartgenError:
        return None
    meta = data.get("deck") if isinstance(data, dict) else None
    layout = meta.get("layout") if isinstance(meta, dict) else None
    return layout if isinstance(layout, str) and layout else None
