"""JSON Schema files for the YAML formats, generated from the declarations in formats.py.

Editors use them to check and complete YAML (VS Code's YAML extension reads a first line
`# yaml-language-server: $schema=../schema/deck.schema.json`). `kaartgen schema` writes them;
the copies in schema/ are committed and a test keeps them equal to what this module makes.
(Named `schemas`, not `jsonschema`, so it never shadows the jsonschema package.)
"""

from __future__ import annotations

import json
from pathlib import Path

from kaartgen import formats
from kaartgen.schema import Map, Schema

DRAFT = "https://json-schema.org/draft/2020-12/schema"
MODELINE = "# yaml-language-server: $schema="

TITLES = {
    "deck": "kaartgen deck (cards/<deck>.yaml)",
    "layout": "kaartgen layout (layouts/<layout>.yaml)",
    "set": "kaartgen partnership set (cards/sets/<slug>.yaml)",
    "checklist": "kaartgen checklist (cards/checklist-<name>.yaml)",
}


def checklist_schema() -> Schema | None:
    """The checklist format, if checklists.py (or formats.py) declares one: a Map with a
    top-level `checklist` key."""
    candidates = [getattr(formats, "CHECKLIST", None)]
    try:
        from kaartgen import checklists
    except ImportError:
        checklists = None
    if checklists is not None:
        candidates.append(getattr(checklists, "CHECKLIST", None))
        candidates += [value for name, value in sorted(vars(checklists).items()) if name.isupper()]
    for value in candidates:
        if isinstance(value, Map) and "checklist" in value.fields:
            return value
    return None


def declared() -> dict[str, Schema]:
    """Format name → its declared schema."""
    out: dict[str, Schema] = {"deck": formats.DECK, "layout": formats.LAYOUT, "set": formats.SET}
    checklist = checklist_schema()
    if checklist is not None:
        out["checklist"] = checklist
    return out


def shared_parts() -> dict[str, Schema]:
    """Parts used in many places, written once under $defs (the layout schema would be 30× larger)."""
    return {"elements": formats.ELEMENTS, "element": formats.ELEMENT,
            "element-in-repeat": formats.element_schema(1), "element-in-nested-repeat": formats.element_schema(2),
            "style": formats.STYLE, "field": formats.FIELD, "patch": formats.PATCH, "card-list": formats.CARD_LIST,
            "color": formats.color_value, "when": formats.when}


def json_schema(name: str, schema: Schema) -> dict:
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
    out = {"$schema": DRAFT, "title": TITLES.get(name, f"kaartgen {name}"), **body}
    if defs:
        out["$defs"] = {part: defs[part] for part in sorted(defs)}
    return out


def _key(node) -> str:
    return json.dumps(node, sort_keys=True, ensure_ascii=False)


def render(name: str, schema: Schema) -> str:
    return json.dumps(json_schema(name, schema), indent=2, ensure_ascii=False) + "\n"


def write_schemas(out: Path) -> list[Path]:
    """Write <name>.schema.json for every format into `out`; returns the paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in declared().items():
        path = out / f"{name}.schema.json"
        text = render(name, schema)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def format_of(path: Path, root: Path) -> str | None:
    """Which format a YAML file in a project is: deck, layout, set or checklist (None: none of ours)."""
    parts = path.relative_to(root).parts
    if parts[:2] == ("cards", "sets") and len(parts) == 3:
        return "set"
    if parts[0] == "layouts" and len(parts) == 2:
        return "layout"
    if parts[0] == "cards" and len(parts) == 2:
        from kaartgen.decks import _is_deck
        return "deck" if _is_deck(path) else "checklist"
    return None


def modeline(path: Path, root: Path) -> str | None:
    """The first line that links a YAML file to its schema in schema/ at the project root."""
    kind = format_of(path, root)
    if kind is None:
        return None
    depth = len(path.relative_to(root).parts) - 1
    return f"{MODELINE}{'../' * depth}schema/{kind}.schema.json"
