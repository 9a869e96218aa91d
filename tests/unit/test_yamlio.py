"""yamlio: libyaml's events (fast) and PyYAML's own (for its error messages) read every text the
same way, positions included; PyYAML's problems and the system's reasons for refusing a file are
told in the reader's language (PyYAML's own English words in English, Dutch in Dutch)."""

from __future__ import annotations

import errno
import os

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaartgen import messages as msg
from kaartgen import yamlio
from kaartgen.errors import KaartgenError
from kaartgen.yamlio import FileRefused, load_text, read_regular, yaml_problem

needs_libyaml = pytest.mark.skipif(yamlio._FastLoader is None, reason="PyYAML without libyaml")

SCALARS = st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(
    st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
DATA = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(st.characters(whitelist_categories=("L", "N")), min_size=1, max_size=8),
                                      inner, max_size=4), max_leaves=20)


def both(text: str):
    fast = yamlio._compose(yamlio._FastLoader(text), text, "f.yaml")
    pure = yamlio._compose(yamlio._Loader(text), text, "f.yaml")
    return fast, pure


@needs_libyaml
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DATA, st.sampled_from([None, True, False]))
def test_both_parsers_give_the_same_values_and_positions(data, flow):
    text = yaml.safe_dump({"root": data}, allow_unicode=True, default_flow_style=flow, sort_keys=False)
    fast, pure = both(text)
    assert fast.data == pure.data == {"root": data}
    assert fast.marks == pure.marks
    assert fast.comments == pure.comments


@needs_libyaml
def test_an_empty_value_keeps_its_unquoted_colour_as_a_hint_in_both():
    fast, pure = both("colour: #7a1f5c\nname: x\n")
    assert fast.comments == pure.comments == {("colour",): "#7a1f5c"}


@needs_libyaml
def test_questions_in_a_flow_list_read_as_text():
    # PyYAML's own parser refuses this; libyaml reads what the writer meant.
    doc = yamlio.load_text("questions: [Wat neem ik mee?, Wat breng ik in?]\n", "deck.yaml")
    assert doc.data == {"questions": ["Wat neem ik mee?", "Wat breng ik in?"]}


def test_mistakes_are_worded_by_pyyaml_s_own_parser():
    with pytest.raises(KaartgenError) as caught:
        yamlio.load_text("title: Kaart: een\n", "deck.yaml")
    assert "mapping values are not allowed here" in str(caught.value)
    assert "deck.yaml:1:" in str(caught.value)


def test_deep_nesting_is_refused_by_the_same_guard():
    with pytest.raises(KaartgenError) as caught:
        yamlio.load_text("[" * 100 + "]" * 100 + "\n", "deep.yaml")
    assert "K104" in str(caught.value)


# --- problems in the reader's language ---------------------------------------------------------


def syntax_error(text: str):
    with pytest.raises(KaartgenError) as caught:
        load_text(text, "x.yaml")
    [problem] = caught.value.problems
    assert problem.code == "K105"
    return problem


@pytest.mark.parametrize("text, line, english, dutch", [
    ("a: b: c\n", 1, "mapping values are not allowed here",
     "hier mag geen ': ' staan (een sleutel met een waarde kan hier niet beginnen)"),
    ("a: - b\n", 1, "sequence entries are not allowed here",
     "hier mag geen '- ' staan (een onderdeel van een lijst kan hier niet beginnen)"),
    ("a: ? b\n", 1, "mapping keys are not allowed here",
     "hier mag geen '? ' staan (een sleutel kan hier niet beginnen)"),
    ("a:\n\tb: c\n", 2, "found character '\\t' that cannot start any token",
     "het teken '\\t' mag hier niet vooraan staan"),
    ("a: b\nc\nd: e\n", 3, "could not find expected ':'", "de ':' na de sleutel ontbreekt"),
    ("a: *x\n", 1, "found undefined alias 'x'", "onbekende verwijzing 'x': er is geen anker (&naam) met die naam"),
    ("a: &x 1\nb: &x 2\n", 2, "found duplicate anchor 'x'", "het anker 'x' (&naam) komt twee keer voor"),
    ("a:\n  - b\n c: d\n", 3, "expected <block end>, but found '<block mapping start>'",
     "hier hoort het blok op te houden, maar er staat nog een nieuwe sleutel"),
    ("- &x *y\n", 1, "expected <block end>, but found '<alias>'",
     "hier hoort het blok op te houden, maar er staat nog een verwijzing (*naam)"),
    ("a: &x &y b\n", 1, "expected <block end>, but found '<anchor>'",
     "hier hoort het blok op te houden, maar er staat nog een anker (&naam)"),
    ("a: !t !u b\n", 1, "expected <block end>, but found '<tag>'",
     "hier hoort het blok op te houden, maar er staat nog een tag (!naam)"),
    ("a: [b\n---\n", 2, "expected ',' or ']', but got '<document start>'",
     "hier hoort een ',' of ']', maar er staat het begin van een nieuw document (---)"),
    ("a: [b, c\n", 2, "expected ',' or ']', but got '<stream end>'",
     "hier hoort een ',' of ']', maar er staat het einde van het bestand"),
    ("a: {b: c\n", 2, "expected ',' or '}', but got '<stream end>'",
     "hier hoort een ',' of '}', maar er staat het einde van het bestand"),
    ('a: "b\n', 1, "found unexpected end of stream", "het bestand houdt onverwacht op"),
    ("a: 'b\n---\n'\n", 1, "found unexpected document separator", "onverwachte scheiding tussen documenten (---)"),
    ('a: "\\q"\n', 1, "found unknown escape character 'q'",
     "onbekend teken 'q' na een \\ tussen dubbele aanhalingstekens"),
    ("a: b\n---\nc: d\n", 2, "expected a single document in the stream, but found another document",
     "het bestand mag maar één document bevatten, maar hier begint een tweede"),
    ("a: !x b\n", 1, "could not determine a constructor for the tag '!x'", "onbekende tag '!x'"),
    ("%YAML 2.0\n---\na: 1\n", 1, "found incompatible YAML document (version 1.* is required)",
     "deze versie van YAML wordt niet ondersteund (versie 1.* is nodig)"),
    ("[a]\nb: c\n", 2, "expected '<document start>', but found '<block mapping start>'",
     "hier hoort een nieuw document (---) te beginnen, maar er staat een nieuwe sleutel"),
    ("--- a\n... b\n", 2, "expected '<document start>', but found '<scalar>'",
     "hier hoort een nieuw document (---) te beginnen, maar er staat een tekst"),
    ("a: *\n", 1, "expected alphabetic or numeric character, but found '\\n'",
     "hier hoort een letter of cijfer, maar er staat '\\n'"),
])
def test_pyyaml_problems_are_told_in_its_words_in_english_and_in_dutch(text, line, english, dutch):
    problem = syntax_error(text)
    assert problem.line == line
    detail = problem.params["detail"]
    assert detail.render("en") == english
    assert detail.render("nl") == dutch
    dutch_line = problem.render("nl")
    assert dutch_line.startswith(f"x.yaml:{line}:") and f"fout in de YAML-opbouw: {dutch}" in dutch_line


@pytest.mark.parametrize("problem, context, dutch", [
    ("did not find expected key", "while parsing a block mapping",
     "hier hoort een sleutel te staan, maar die ontbreekt"),
    ("expected the node content, but found '<scalar>'", "while parsing a flow node",
     "hier hoort een waarde, maar er staat een tekst"),
    ("found something PyYAML 7 says", "while scanning", "found something PyYAML 7 says"),  # unknown: English kept
    (None, "while parsing a new kind of thing", "while parsing a new kind of thing"),
    (None, None, "ongeldige YAML"),
])
def test_other_pyyaml_texts_get_dutch_words_or_keep_their_english_in_a_dutch_frame(problem, context, dutch):
    """libyaml's wording (the C loader) and texts of a PyYAML not seen yet: made by hand here."""
    said = msg.YAML_SYNTAX(detail=yaml_problem(yaml.MarkedYAMLError(context=context, problem=problem)), hint="")
    assert said.render("nl") == f"fout in de YAML-opbouw: {dutch}"


def test_an_escape_inside_double_quotes_gets_its_own_hint_not_the_unclosed_quote_one():
    problem = syntax_error('a: "C:\\map"\n')
    assert problem.params["hint"].render("en") == \
        " (between double quotes a \\ starts a code: write \\\\ for a backslash, or use single quotes)"
    assert "nooit gesloten" not in problem.render("nl")


@pytest.mark.parametrize("code, dutch", [
    (errno.ENOENT, "bestand of map bestaat niet"),
    (errno.EACCES, "geen toestemming (de rechten van het bestand of de map staan het niet toe)"),
    (errno.EPERM, "geen toestemming (de rechten van het bestand of de map staan het niet toe)"),
    (errno.EISDIR, "is een map, geen bestand"),
    (errno.ENOTDIR, "een deel van het pad is een bestand, geen map"),
    (errno.ENOSPC, "de schijf is vol"),
    (errno.EROFS, "de schijf kan alleen gelezen worden, niet beschreven"),
    (errno.ENAMETOOLONG, "de bestandsnaam is te lang"),
    (errno.ELOOP, "te veel symbolische koppelingen na elkaar"),
])
def test_the_systems_reasons_are_told_in_dutch(code, dutch):
    said = msg.CANNOT_READ(reason=msg.os_reason(OSError(code, "whatever this system says")))
    assert said.render("nl") == f"kan het bestand niet lezen: {dutch}"
    english = "Permission denied" if code == errno.EPERM else os.strerror(code)  # as Linux says it
    assert said.render("en") == f"cannot read file: {english}"


def test_a_reason_not_known_keeps_the_systems_words_in_a_dutch_frame():
    said = msg.CANNOT_READ(reason=msg.os_reason(OSError(errno.EIO, "Input/output error")))
    assert said.render("nl") == "kan het bestand niet lezen: Input/output error"


def test_a_missing_file_is_refused_with_the_reason_in_dutch(tmp_path):
    with pytest.raises(FileRefused) as caught:
        read_regular(tmp_path / "weg.yaml", 1000)
    assert caught.value.said.render("nl") == "kan het bestand niet lezen: bestand of map bestaat niet"


def test_a_folder_is_refused_as_a_folder(tmp_path):
    (tmp_path / "deck.yaml").mkdir()
    with pytest.raises(FileRefused) as caught:
        read_regular(tmp_path / "deck.yaml", 1000)
    assert caught.value.said.render("en") == "is a folder, not an ordinary file; kaartgen reads only ordinary files"
