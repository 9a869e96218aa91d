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
    assert {"deck.schema.json", "layout.schema.json", "set.schema.json"} <= {p.name for p in (project / "schema").glob("*")}


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


@pytest.mark.parametrize("kind, text, key", [
    ("deck", "deck: {title: T, layout: gesprekskaart, colour: red}\ncards: []\n", "colour"),
    ("deck", "deck: {title: T, layout: gesprekskaart}\ncards: []\nextra: 1\n", "extra"),
    ("layout", "extends: base\nsize: {width: 63mm, height: 88mm}\nbleeed: 3mm\n", "bleeed"),
    ("layout", "templates:\n  card:\n    front:\n      - {type: rect, x: 0mm, y: 0mm, w: 1mm, h: 1mm, fil: red}\n",
     "fil"),
    ("set", "set: {name: N, short_name: S, sector: po, colour: red}\n", "colour"),
])
def test_an_unknown_key_fails_the_schema(kind, text, key):
    errors = list(validator(kind).iter_errors(as_json(yaml.safe_load(text))))
    assert errors, f"{key} was accepted"


def test_the_generated_schema_lists_the_element_types():
    layout = committed("layout")
    element = layout["$defs"]["element"]
    types = {variant["properties"]["type"]["const"] for variant in element["oneOf"]}
    assert types == {"rect", "circle", "line", "path", "text", "image", "repeat"}


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
    places = list(_paths(base))[1:]
    rng = random.Random(path.name)
    for _ in range(40):
        data = copy.deepcopy(base)
        where = rng.choice(places)
        parent = data
        for key in where[:-1]:
            parent = parent[key]
        roll = rng.random()
        if roll < 0.15 and isinstance(parent, dict):
            del parent[where[-1]]
        elif roll < 0.25 and isinstance(parent, dict):
            parent["zzz"] = 1
        else:
            parent[where[-1]] = copy.deepcopy(rng.choice(VALUES))
        ours = validate(Doc(rel(path), data), schema)
        if bool(ours) == checker.is_valid(as_json(data)):
            theirs = list(checker.iter_errors(as_json(data)))
            pytest.fail(f"{where}: kaartgen {[str(p) for p in ours][:2]}, JSON Schema {[e.message for e in theirs][:2]}")
