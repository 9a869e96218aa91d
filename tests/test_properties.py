"""Property tests: whatever a user types into a YAML file, kaartgen answers with a KaartgenError
(file, line, key path, message) or a PDF, never with another exception.

Uses the loading functions directly (yamlio, decks.load_decks, layouts.load_layout) and the
build pipeline on the small project of the bad-input corpus (tests/bad_inputs/_base/).
"""

from __future__ import annotations

import math
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, example, find, given, settings
from hypothesis import strategies as st

from kaartgen import build, formats
from kaartgen import text as textmod
from kaartgen.decks import load_decks
from kaartgen.errors import KaartgenError
from kaartgen.fonts import register_family
from kaartgen.layouts import load_layout
from kaartgen.model import Style
from kaartgen.schema import Any_, Bool, Enum, Length, ListOf, Map, Num, OneOf, Str, Tagged
from kaartgen.units import MM
from kaartgen.yamlio import load_text

BASE = Path(__file__).resolve().parent / "bad_inputs" / "_base"
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def folder():
    """One scratch copy of the small project for the whole module (hypothesis reuses it)."""
    root = Path(tempfile.mkdtemp(prefix="kaartgen-props-"))
    shutil.copytree(BASE, root / "project")
    (root / "project" / "images").mkdir()
    from PIL import Image
    Image.new("RGB", (60, 60), (200, 30, 30)).save(root / "project" / "images" / "logo.png")
    yield root / "project"
    shutil.rmtree(root, ignore_errors=True)


def dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def only_kaartgen_errors(call):
    """Run `call`; a KaartgenError is a fine answer as long as every problem names a file."""
    try:
        return call()
    except KaartgenError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.file and problem.message, problem
        return None


# --- random YAML -------------------------------------------------------------------------

YAML_TOKENS = st.sampled_from(list("abcé ë:-#\t\n'\"[]{},&*!|>%@?`\\") + ["  ", "\n  ", "- ", ": ", "\u00a0", "ĳ"])


def yaml_text(max_tokens: int):
    """Text made of the characters and pairs that mean something to YAML."""
    return st.lists(YAML_TOKENS, max_size=max_tokens).map("".join)

KEYS = st.sampled_from(["deck", "cards", "title", "layout", "id", "text", "questions", "audience", "logo",
                        "template", "with", "variants", "replace", "add", "remove", "size", "width", "height",
                        "templates", "card", "front", "back", "fields", "type", "extends", "colors", "styles",
                        "x", "y", "w", "h", "content", "style", "fill", "src"]) | st.text(max_size=8)
SCALARS = (st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=True)
           | st.text(max_size=30) | yaml_text(20)
           | st.sampled_from(["63mm", "0", "-5mm", "100%", "1e9mm", "card", "base", "nieuw", "#ff0000", "{title}"]))
DATA = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
                    max_leaves=25)


@FAST
@given(yaml_text(120) | st.text(max_size=200))
@example("a:\n\tb: 1\n")
@example("a: &a [*a]\n")
@example("- " * 400 + "x\n")
@example("[" * 2000)
@example("x: !!python/object/apply:os.system [ls]\n")
@example("a: *b\n")
@example("\ufeffdeck: 1\n")
@example("? [a, b]\n: c\n")
def test_any_text_loads_or_fails_cleanly(text):
    doc = only_kaartgen_errors(lambda: load_text(text, "random.yaml"))
    if doc is not None:
        for path in list(doc.marks):
            line, column = doc.where(path)
            assert line >= 1 and column >= 1


@FAST
@given(DATA)
def test_any_data_as_deck_fails_cleanly(folder, data):
    path = folder / "cards" / "random.yaml"
    path.write_text(dump(data), encoding="utf-8")
    only_kaartgen_errors(lambda: load_decks(path, folder / "layouts"))


@FAST
@given(DATA)
def test_any_data_as_layout_fails_cleanly(folder, data):
    (folder / "layouts" / "random.yaml").write_text(dump(data), encoding="utf-8")
    only_kaartgen_errors(lambda: load_layout("random", folder / "layouts"))


# Data shaped like a deck gets past the first checks, so the card and variant code runs too.
CARD = st.dictionaries(st.sampled_from(["id", "title", "text", "audience", "questions", "logo", "template",
                                        "with", "cards", "sectors"]) | st.text(max_size=5), DATA, max_size=6)
CARD_VALUES = st.fixed_dictionaries({"id": st.sampled_from(["een", "twee", "Een", "een"]) | st.text(max_size=5)},
                                    optional={"title": SCALARS, "text": SCALARS, "audience": SCALARS,
                                              "questions": st.lists(SCALARS, max_size=5), "logo": SCALARS,
                                              "template": SCALARS})
SHORT_TEXT = st.text(st.sampled_from(list("abcdeéëfghiïjklmnoöpqrstuüvwxyzĳABCDEIJKLMZ0123456789 .,?!-'’")),
                     min_size=1, max_size=30).filter(str.strip)  # what the shipped font can print
GOOD_CARD = st.fixed_dictionaries(
    {"title": SHORT_TEXT},
    optional={"text": SHORT_TEXT, "audience": st.sampled_from(["nieuw", "deelnemend", "alle"]),
              "questions": st.lists(SHORT_TEXT, max_size=3)})
GOOD_DECK = st.fixed_dictionaries({
    "deck": st.fixed_dictionaries({"title": SHORT_TEXT, "layout": st.just("card")}),
    "cards": st.lists(GOOD_CARD, min_size=1, max_size=4).map(
        lambda cards: [{"id": f"kaart-{i}", **card} for i, card in enumerate(cards)])})
DECKISH = GOOD_DECK | st.fixed_dictionaries(
    {"deck": st.fixed_dictionaries({"title": SCALARS, "layout": st.sampled_from(["card", "base", "kaart"]) | SCALARS}),
     "cards": st.lists(CARD | CARD_VALUES | st.fixed_dictionaries({"with": DATA, "cards": st.lists(CARD_VALUES,
                                                                                                    max_size=3)}),
                       max_size=4)},
    optional={"variants": st.dictionaries(st.text(max_size=4), st.fixed_dictionaries(
        {}, optional={"replace": st.dictionaries(st.sampled_from(["een", "twee", "x"]), DATA, max_size=2),
                      "add": st.lists(CARD_VALUES, max_size=2), "remove": st.lists(SCALARS, max_size=2)}),
        max_size=2)})


def check_deck_data(folder: Path, data) -> bool:
    """Write `data` as a deck and check it; True when a deck with cards was checked without problems."""
    path = folder / "cards" / "random.yaml"
    path.write_text(dump(data), encoding="utf-8")
    decks = only_kaartgen_errors(lambda: load_decks(path, folder / "layouts"))
    project = build.Project(folder)
    checked = [only_kaartgen_errors(lambda: build.check_deck(deck, project, build.Options(out=folder / "output")))
               for deck in decks or []]
    return bool(checked) and all(result is not None for result in checked) and any(d.cards for d in decks)


@FAST
@given(DECKISH)
def test_deck_shaped_data_builds_or_fails_cleanly(folder, data):
    event(f"checked without problems: {check_deck_data(folder, data)}")


# --- random layouts from the element schema ---------------------------------------------

UNITS = ["mm", "cm", "pt", "in", "%", "", "px", " mm", "MM"]
FITTING = st.builds(lambda n: f"{n}mm", st.integers(1, 40))  # inside the 63×88 mm card
LENGTHS = st.one_of(FITTING, FITTING, FITTING,  # mostly lengths that fit, so layouts get drawn
                    st.builds(lambda n, u: f"{n:g}{u}", st.floats(-100, 400, allow_nan=False) | st.integers(-5, 300),
                              st.sampled_from(UNITS)),
                    st.sampled_from([0, 5, "0mm", "1e3mm", "5 mm", "", "abc", None, True]))
NAMED = {
    "fill": st.sampled_from(["accent", "ink", "white", "#00ff00", "#0f0", "{audience}", "acent", "step{title}"]),
    "stroke": st.sampled_from(["accent", "#000000", "nope"]),
    "color": st.sampled_from(["ink", "white", "accent", "zwart"]),
    "background": st.sampled_from(["accent", "white"]),
    "style": st.sampled_from(["body", "title", "kop"]),
    "content": st.sampled_from(["{title}", "{text}", "{questions}", "**{title}**\n- {text}", "", "vast", "{nope}",
                                "{deck.title} · {card.id}", "{item}"]),
    "src": st.sampled_from(["", "{logo}", "images/logo.png", "images/nope.png", "../x.png", "/etc/passwd"]),
    "items": st.sampled_from(["questions", "title", "nope"]),
    "type": None,  # set by the Tagged variant
}


def from_schema(schema, key: str = "", depth: int = 0, tame: bool = False):
    """A hypothesis strategy for values of `schema`: sometimes valid, often not; with `tame`, only
    the required keys, with values that are valid on their own (so that some layouts get drawn)."""
    if key in NAMED and NAMED[key] is not None:
        return NAMED[key]
    if isinstance(schema, Length):
        return FITTING if tame else LENGTHS
    if isinstance(schema, Tagged):
        return st.one_of([from_schema(variant, depth=depth, tame=tame).map(lambda d, tag=tag: {**d, schema.key: tag})
                          for tag, variant in schema.variants.items()])
    if isinstance(schema, Map):
        if depth > 2:
            return st.just({})
        optional = {} if tame else {k: from_schema(s, k, depth + 1) for k, s in schema.fields.items()
                                    if k not in schema.required and k not in ("type", "name")}
        required = {k: from_schema(s, k, depth + 1, tame) for k, s in schema.fields.items() if k in schema.required}
        return st.fixed_dictionaries(required, optional=optional)
    if isinstance(schema, ListOf):
        return st.lists(from_schema(schema.item, key, depth + 1, tame), min_size=max(0, schema.min_items - 1),
                        max_size=min(schema.max_items or 3, 3))
    if isinstance(schema, OneOf):
        return st.one_of([from_schema(s, key, depth, tame) for _, s in schema.options])
    if isinstance(schema, Enum):
        return st.sampled_from(list(schema.values) + ([] if tame else ["anders"]))
    if isinstance(schema, Bool):
        return st.booleans()
    if isinstance(schema, Num):
        if schema.minimum is not None and schema.maximum is not None and tame:
            low, high = int(math.ceil(schema.minimum)), int(schema.maximum)
            return st.integers(low, high) if schema.integer else st.floats(schema.minimum, schema.maximum)
        return st.integers(-3, 400) | st.floats(-1, 400, allow_nan=False)
    if isinstance(schema, Str):
        return SHORT_TEXT if tame else st.text(max_size=10)
    if isinstance(schema, Any_):
        return SCALARS
    return DATA


ELEMENTS = st.lists(from_schema(formats.ELEMENT) | from_schema(formats.ELEMENT, tame=True), min_size=1, max_size=4).map(
    lambda elements: {f"e{i}": element for i, element in enumerate(elements)})  # a face names its elements
LAYOUT_SIZES = st.fixed_dictionaries({"width": LENGTHS, "height": LENGTHS})


def build_layout(folder: Path, elements, size, bleed) -> bool:
    """Build the test deck with a layout of `elements`; True when its PDFs were written."""
    layout = {"extends": "base", "templates": {"card": {"front": elements}}}
    if size:
        layout["size"] = size
    if bleed:
        layout["bleed"] = bleed
    (folder / "layouts" / "card.yaml").write_text(dump(layout), encoding="utf-8")
    out = Path(tempfile.mkdtemp(prefix="out-", dir=folder))
    try:
        decks = only_kaartgen_errors(lambda: load_decks(folder / "cards" / "deck.yaml", folder / "layouts"))
        project = build.Project(folder)
        built = [only_kaartgen_errors(lambda: build.build_deck(deck, project, build.Options(out=out)))
                 for deck in decks or []]
        return bool(built) and all(result is not None for result in built)
    finally:
        shutil.rmtree(out)
        (folder / "layouts" / "card.yaml").write_text("extends: base\n", encoding="utf-8")


LAYOUT_ARGS = (ELEMENTS, st.none() | LAYOUT_SIZES, st.none() | st.sampled_from(["0mm", "3mm", "-1mm", "10%"]))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(*LAYOUT_ARGS)
def test_random_layouts_build_or_fail_cleanly(folder, elements, size, bleed):
    event(f"built: {build_layout(folder, elements, size, bleed)}")


def test_the_random_decks_and_layouts_reach_the_build(folder):
    """The two properties above say 'builds or fails cleanly'. They test building only if some of
    their examples get that far (before this check, none did: every example failed while loading)."""
    search = settings(max_examples=300, database=None, derandomize=True, deadline=None,
                      suppress_health_check=list(HealthCheck))
    find(DECKISH, lambda data: check_deck_data(folder, data), settings=search)
    find(st.tuples(*LAYOUT_ARGS), lambda args: build_layout(folder, *args), settings=search)


# --- random card texts --------------------------------------------------------------------

DUTCH_TOKENS = st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                        + list("ëéèïöüáàçĳĲ‘’“”–—…€·•") + list(" \t,.;:!?()-/&<>'\"") + ["*", "**", "\n", "- ",
                                                                                           "{title}", "\u00ad"])
LONG_WORD = st.text(st.sampled_from(list("aeiounrstlkpgëéï")), min_size=25, max_size=90)
CARD_TEXT = (st.lists(st.lists(DUTCH_TOKENS, max_size=30).map("".join) | LONG_WORD, max_size=12).map(" ".join)
             | st.text(max_size=60))


def _style(size, min_size) -> Style:
    return Style(size=size, min_size=min_size, leading=1.25, bold=False, italic=False, color="ink", align="left",
                 space_after=2.0, hyphenate=True, bullet="•")


@pytest.fixture(scope="module")
def family():
    files = load_layout("base", BASE / "layouts").font_files
    return register_family(files)


@settings(max_examples=120, deadline=None)
@given(CARD_TEXT, st.floats(5 * MM, 80 * MM), st.floats(3 * MM, 60 * MM), st.sampled_from([(9, 7), (12, 12), (20, 6)]),
       st.sampled_from(["left", "center", "right", "justify"]))
@example("***heel belangrijk*** en **vet *en schuin***", 50 * MM, 20 * MM, (9, 7), "left")
@example("Samenwerkingsovereenkomstonderhandelingsverslag", 10 * MM, 20 * MM, (9, 7), "left")
def test_text_fits_shrinks_or_fails_cleanly(family, text, width, height, sizes, align):
    style = _style(*sizes)
    content = textmod.blocks("{text}", {"text": text})
    try:
        fitted = textmod.fit(content, family, style, width, height, (0, 0, 0), align)
    except textmod.NoFit as exc:
        assert exc.size == style.min_size
        return
    assert style.min_size - 1e-6 <= fitted.size <= style.size
    assert fitted.height <= height + 0.01
    if fitted.size < style.size:  # it only shrank because the full size did not fit
        with pytest.raises(textmod.NoFit):
            textmod.fit(content, family, _style(style.size, style.size), width, height, (0, 0, 0), align)


@settings(max_examples=60, deadline=None)
@given(st.fixed_dictionaries({"title": CARD_TEXT, "text": CARD_TEXT},
                             optional={"questions": st.lists(CARD_TEXT, max_size=4)}))
@example({"title": "Één kaart", "text": "*Let op*: **samen** opleiden – ‘zo’ “dus” ĳs", "questions": ["ë?"]})
@example({"title": "x", "text": "Emoji \U0001F600 en 中文"})
def test_card_texts_build_or_fail_with_the_card_named(folder, fields):
    path = folder / "cards" / "random.yaml"
    path.write_text(dump({"deck": {"title": "Tekst", "layout": "card"}, "cards": [{"id": "een", **fields}]}),
                    encoding="utf-8")
    try:
        decks = load_decks(path, folder / "layouts")
        for deck in decks:
            build.check_deck(deck, build.Project(folder), build.Options(out=folder / "output"))
    except KaartgenError as exc:
        for problem in exc.problems:  # whether found while validating or while drawing: the card's field
            assert problem.file.endswith("cards/random.yaml") and problem.line, problem
            # named by id; by index only when YAML itself refused the text (the card is not read yet)
            assert problem.path.startswith("cards[een]" if problem.code != "K124" else "cards[0]"), problem
            if "does not fit" in problem.message or "no glyph" in problem.message:
                assert "card 'een'" in problem.message, problem
