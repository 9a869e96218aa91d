"""yamlio's two parsers: libyaml's events (fast) and PyYAML's own (for its error messages) must read
every text the same way, positions included."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaartgen import yamlio
from kaartgen.errors import KaartgenError

pytestmark = pytest.mark.skipif(yamlio._FastLoader is None, reason="PyYAML without libyaml")

SCALARS = st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(
    st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
DATA = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(st.characters(whitelist_categories=("L", "N")), min_size=1, max_size=8),
                                      inner, max_size=4), max_leaves=20)


def both(text: str):
    fast = yamlio._compose(yamlio._FastLoader(text), text, "f.yaml")
    pure = yamlio._compose(yamlio._Loader(text), text, "f.yaml")
    return fast, pure


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DATA, st.sampled_from([None, True, False]))
def test_both_parsers_give_the_same_values_and_positions(data, flow):
    text = yaml.safe_dump({"root": data}, allow_unicode=True, default_flow_style=flow, sort_keys=False)
    fast, pure = both(text)
    assert fast.data == pure.data == {"root": data}
    assert fast.marks == pure.marks
    assert fast.comments == pure.comments


def test_an_empty_value_keeps_its_unquoted_colour_as_a_hint_in_both():
    fast, pure = both("colour: #7a1f5c\nname: x\n")
    assert fast.comments == pure.comments == {("colour",): "#7a1f5c"}


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
