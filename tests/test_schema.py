"""JSON Schema for editors: generated from formats.py, committed in schema/, never stale, and
in agreement with kaartgen's own validation."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from kaartgen.decks import load_decks
from kaartgen.errors import KaartgenError
from kaartgen.schema import validate
from kaartgen.schemas import MODELINE, declared, format_of, json_schema, modeline
from kaartgen.yamlio import Doc, load_file

jsonschema = pytest.importorskip("jsonschema")

SCHEMA_DIR = ROOT / "schema"
SHIPPED = sorted([*ROOT.glob("cards/*.yaml"), *ROOT.glob("cards/sets/*.yaml"), *ROOT.glob("layouts/*.yaml")])
CORPUS = Path(__file__).resolve().parent / "bad_inputs"
# what JSON Schema cannot say; kaartgen check still catches it
BEYOND_JSON_SCHEMA = {"absurd-size"}  # a length larger than any paper


def as_json(data):
    """YAML data as an editor's YAML server sees it: keys become text (steps: {1: …})."""
    return json.loads(json.dumps(data))


def committed(name: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


def validator(name: str):
    return jsonschema.Draft202012Validator(committed(name))


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_kaartgen_schema_output_equals_the_committed_files(project, kaartgen, tmp_path):
    out = tmp_path / "schema"
    result = kaartgen(project, "schema", "--out", str(out))
    assert result.exit_code == 0, result.output
    made = sorted(p.name for p in out.glob("*.json"))
    assert made == sorted(p.name for p in SCHEMA_DIR.glob("*.json")), "run `kaartgen schema` and commit schema/"
    for name in made:
        assert (out / name).read_text(encoding="utf-8") == (SCHEMA_DIR / name).read_text(encoding="utf-8"), \
            f"schema/{name} is stale: run `kaartgen schema` and commit it"


def test_default_folder_is_schema(project, kaartgen):
    result = kaartgen(project, "schema")
    assert result.exit_code == 0, result.output
    assert {"deck.schema.json", "layout.schema.json", "set.schema.json",
            "deck-gesprekskaart.schema.json"} <= {p.name for p in (project / "schema").glob("*")}


@pytest.mark.parametrize("path", sorted(SCHEMA_DIR.glob("*.json")), ids=lambda p: p.name)
def test_committed_schemas_are_valid_draft_2020_12(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"]
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", SHIPPED, ids=rel)
def test_every_shipped_file_validates_against_its_schema(path):
    kind = format_of(path, ROOT)
    assert (SCHEMA_DIR / f"{kind}.schema.json").is_file(), f"no schema for {rel(path)} ({kind})"
    errors = [f"{list(e.absolute_path)}: {e.message}"
              for e in validator(kind).iter_errors(as_json(load_file(path).data))]
    assert not errors, errors[:5]


@pytest.mark.parametrize("path", SHIPPED, ids=rel)
def test_every_shipped_file_names_its_schema_on_the_first_line(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == modeline(path, ROOT)
    target = (path.parent / first.removeprefix(MODELINE)).resolve()
    assert target.is_file(), target


def test_a_deck_whose_layout_does_not_load_names_the_generic_deck_schema(project):
    for layout in ("base", "bestaat-niet", "../layouts/gesprekskaart"):
        path = project / "cards" / "nieuw.yaml"
        path.write_text(f"deck: {{title: T, layout: '{layout}'}}\ncards: []\n", encoding="utf-8")
        assert modeline(path, project) == f"{MODELINE}../schema/deck.schema.json", layout
    assert modeline(project / "cards" / "gesprekskaarten.yaml", project) == \
        f"{MODELINE}../schema/deck-gesprekskaart.schema.json"


@pytest.mark.parametrize("kind, text, key", [
    ("deck", "deck: {title: T, layout: gesprekskaart, colour: red}\ncards: []\n", "colour"),
    ("deck", "deck: {title: T, layout: gesprekskaart}\ncards: []\nextra: 1\n", "extra"),
    ("layout", "extends: base\nsize: {width: 63mm, height: 88mm}\nbleeed: 3mm\n", "bleeed"),
    ("layout", "templates:\n  card:\n    front:\n      box: {type: rect, x: 0mm, y: 0mm, width: 1mm, height: 1mm, fil: red}\n",
     "fil"),
    ("set", "set: {name: N, short_name: S, sector: po, colour: red}\n", "colour"),
])
def test_an_unknown_key_fails_the_schema(kind, text, key):
    errors = list(validator(kind).iter_errors(as_json(yaml.safe_load(text))))
    assert errors, f"{key} was accepted"


def test_the_generated_schema_lists_the_element_types():
    layout = committed("layout")
    element = layout["$defs"]["named-element"]["anyOf"][0]["then"]  # a whole element (with its type)
    types = {variant["properties"]["type"]["const"] for variant in element["oneOf"]}
    assert types == {"rect", "ellipse", "circle", "line", "path", "text", "image", "qr", "repeat"}


# --- deck-<layout>.schema.json: the cards of a deck have the fields of the layout's templates -----

DECKS = [path for path in SHIPPED if format_of(path, ROOT) == "deck"]


def layout_validator(data: dict):
    return validator(f"deck-{data['deck']['layout']}")


def kaartgen_accepts(text: str, folder: Path) -> bool:
    path = folder / "deck.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_decks(path, ROOT / "layouts")
    except KaartgenError:
        return False
    return True


@pytest.mark.parametrize("path", DECKS, ids=rel)
def test_every_shipped_deck_validates_against_the_schema_of_its_layout(path):
    data = load_file(path).data
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in layout_validator(data).iter_errors(as_json(data))]
    assert not errors, errors[:5]


def test_the_layout_of_every_shipped_deck_has_a_deck_schema():
    layouts = {load_file(path).data["deck"]["layout"] for path in DECKS}
    assert {f"deck-{layout}.schema.json" for layout in layouts} <= {p.name for p in SCHEMA_DIR.glob("deck-*.json")}
    assert not (SCHEMA_DIR / "deck-base.schema.json").exists()  # base alone is no layout


GESPREK = "deck: {title: T, layout: gesprekskaart}\ncards:\n"
CARD = "{id: a, step: 1, step_name: S, title: T, audience: nieuw, questions: [q], source: s}"
GROUP = "  - with: {step: 1, step_name: S, source: s}\n    cards:\n      - %s\n"
COVER = "  - {id: c, template: cover, title: Omslag, %s}\n"


@pytest.mark.parametrize("text, valid", [
    pytest.param(GESPREK + f"  - {CARD}\n", True, id="card"),
    pytest.param(GESPREK + f"  - {CARD.replace('title', 'titel')}\n", False, id="misspelt-field"),
    pytest.param(GESPREK + f"  - {CARD.replace('nieuw', 'nieuwe')}\n", False, id="not-a-choice"),
    pytest.param(GESPREK + f"  - {CARD.replace('step: 1', 'step: 5')}\n", False, id="step-out-of-range"),
    pytest.param(GESPREK + f"  - {CARD.replace('title: T, ', '')}\n", False, id="missing-required"),
    pytest.param(GESPREK + f"  - {CARD.replace('a,', 'A b,')}\n", False, id="bad-id"),
    pytest.param(GESPREK + COVER % "subtitle: Sub", True, id="other-template"),
    pytest.param(GESPREK + COVER % "audience: nieuw", False, id="field-of-another-template"),
    pytest.param(GESPREK + COVER % "text: x" + "  - {id: d, template: kover, title: T}\n", False,
                 id="unknown-template"),
    pytest.param(GESPREK + GROUP % "{id: a, title: T, audience: nieuw, questions: [q]}", True,
                 id="group-supplies-required-fields"),
    pytest.param(GESPREK + GROUP % "{id: a, titel: T, audience: nieuw, questions: [q]}", False,
                 id="group-card-misspelt-field"),
    pytest.param(GESPREK + GROUP % "{id: a, title: T, audience: nieuwe, questions: [q]}", False,
                 id="group-card-not-a-choice"),
    pytest.param(GESPREK + "  - with: {stap: 1}\n    cards:\n      - " + CARD + "\n", False,
                 id="group-with-misspelt-field"),
    pytest.param(GESPREK + "  - with: {template: cover, subtitle: S}\n    cards:\n      - {id: c, title: T}\n"
                 "      - cards:\n          - {id: d, title: U, text: x}\n", True, id="template-from-with"),
    pytest.param(GESPREK + "  - with: {template: cover}\n    cards:\n      - {id: c, title: T, audience: nieuw}\n",
                 False, id="template-from-with-field-of-another-template"),
    pytest.param(GESPREK + "  - with: {step: 1}\n    id: x\n    cards: []\n", False, id="group-stray-key"),
    pytest.param(GESPREK + f"  - {CARD}\nvariants:\n  po:\n    replace:\n      a: {{title: Nieuw}}\n"
                 f"    add:\n      - {CARD.replace('a,', 'b,')}\n", True, id="variant"),
    pytest.param(GESPREK + f"  - {CARD}\nvariants:\n  po:\n    replace:\n      a: {{titel: Nieuw}}\n", False,
                 id="variant-replace-misspelt-field"),
    pytest.param(GESPREK + f"  - {CARD}\nvariants:\n  po:\n    add:\n      - {{id: b, title: T}}\n", False,
                 id="variant-add-missing-required"),
    pytest.param("deck: {title: T, layout: dialoogkaart}\ncards:\n  - {id: a, title: T}\n", False,
                 id="layout-without-a-card-template"),
])
def test_the_layout_schema_checks_cards_as_kaartgen_does(text, valid, tmp_path):
    data = yaml.safe_load(text)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in layout_validator(data).iter_errors(as_json(data))]
    assert not errors if valid else errors, errors
    assert kaartgen_accepts(text, tmp_path) == valid


def kaartgen_looks_away(data: dict, where: tuple, value) -> bool:
    """Where kaartgen lets through what the deck schema refuses (data: the deck before the change)."""
    if isinstance(value, bool):
        return True  # a choice of 1, 2, 3 takes true: True == 1 in Python
    if where[-1] in ("with", "cards") and len(where) > 2 and value is not None and not value:
        return True  # a group's `with: 0` or `cards: {}` reads as none (`or {}`)
    variants = data.get("variants") or {}
    node, card, field = data, None, None
    for key in where:  # the card the change is in, and which of its fields
        if isinstance(node, dict) and "id" in node and "with" not in node:
            card, field = node, key
            break
        node = node[key]
    # with variants kaartgen builds only those: a field each of them replaces is never checked as is
    return bool(variants) and card is not None and all(
        field in ((patch or {}).get("replace") or {}).get(card["id"], {}) for patch in variants.values())


def breakages(base, seed: str, count: int = 40):
    """Copies of `base` with one random change each: a key removed, an unknown key added, or a
    value replaced. Yields (data, key path, the value put in or None)."""
    places = list(_paths(base))[1:]
    rng = random.Random(seed)
    for _ in range(count):
        data = copy.deepcopy(base)
        where = rng.choice(places)
        parent = data
        for key in where[:-1]:
            parent = parent[key]
        roll = rng.random()
        value = None
        if roll < 0.15 and isinstance(parent, dict):
            del parent[where[-1]]
        elif roll < 0.25 and isinstance(parent, dict):
            parent["zzz"] = 1
        else:
            parent[where[-1]] = value = copy.deepcopy(rng.choice(VALUES))
        yield data, where, value


@pytest.mark.parametrize("path", DECKS, ids=rel)
def test_what_the_layout_schema_refuses_kaartgen_refuses_too(path, tmp_path):
    """Random small breakages of a shipped deck: an editor must not complain about a deck that
    kaartgen builds. (The other way round the schema may be laxer: a card in a group need not
    have the required fields, `with` may give them; duplicate ids it cannot see.)"""
    base = load_file(path).data
    checker = layout_validator(base)
    for data, where, value in breakages(base, path.name):
        if not checker.is_valid(as_json(data)) and not kaartgen_looks_away(base, where, value):
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
            assert not kaartgen_accepts(text, tmp_path), \
                f"{where}: {[e.message for e in checker.iter_errors(as_json(data))][:2]}"


# --- JSON Schema and kaartgen's own validation must agree ---------------------------------------

def _corpus_files():
    for case in sorted(p for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_")):
        for path in sorted(case.rglob("*.yaml")):
            if path.name != "expect.yaml" and path.relative_to(case).parts[0] in ("cards", "layouts"):
                yield pytest.param(case, path, id=f"{case.name}/{path.relative_to(case)}")


@pytest.mark.parametrize("case, path", list(_corpus_files()))
def test_bad_inputs_fail_the_schema_exactly_when_kaartgen_finds_a_format_problem(case, path):
    from kaartgen.errors import KaartgenError

    kind = format_of(path, case)
    schemas = declared()
    if kind not in schemas or path.stat().st_size > 1_000_000:
        pytest.skip("not one of our formats, or too large to matter here")
    try:
        doc = load_file(path)
    except KaartgenError:
        pytest.skip("refused while reading (syntax, tags, duplicate keys, aliases); editors report those themselves")
    if doc.data is None:
        pytest.skip("empty file")
    ours = validate(doc, schemas[kind])
    theirs = list(jsonschema.Draft202012Validator(json_schema(kind, schemas[kind])).iter_errors(as_json(doc.data)))
    if case.name in BEYOND_JSON_SCHEMA:
        assert ours and not theirs
        return
    assert bool(ours) == bool(theirs), ([str(p) for p in ours], [e.message for e in theirs])


VALUES = [0, 1, 2.5, -3, True, None, "", " ", "x", "5mm", "-5mm", "0mm", "50%", "12", "#ff0000", [], ["a"],
          [1, 2], {}, {"a": 1}, {"cmyk": [1, 2, 3, 4]}, "left", "bold", "A4", "po", "text", "rect"]


def _paths(data, path=()):
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _paths(value, path + (i,))


@pytest.mark.parametrize("path", SHIPPED, ids=rel)
def test_mutated_shipped_files_get_the_same_verdict_from_both(path):
    """Random small breakages (a wrong type, a missing or an extra key) of a shipped file:
    the JSON Schema an editor uses must accept and refuse exactly what kaartgen does."""
    kind = format_of(path, ROOT)
    schema = declared()[kind]
    checker = jsonschema.Draft202012Validator(json_schema(kind, schema))
    base = load_file(path).data
    for data, where, _ in breakages(base, path.name):
        ours = validate(Doc(rel(path), data), schema)
        if bool(ours) == checker.is_valid(as_json(data)):
            theirs = list(checker.iter_errors(as_json(data)))
            pytest.fail(f"{where}: kaartgen {[str(p) for p in ours][:2]}, JSON Schema {[e.message for e in theirs][:2]}")
