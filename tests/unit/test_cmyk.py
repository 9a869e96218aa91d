"""cmyk: the print-shop colour never carries more than 300 % total ink."""

from __future__ import annotations

import pytest

from kaartgen.cmyk import MAX_INK, limit_ink, load_converter
from kaartgen.model import Color


def test_four_times_full_ink_is_cut_to_300_percent_keeping_black():
    c, m, y, k = limit_ink((1.0, 1.0, 1.0, 1.0))
    assert k == 1.0
    assert c + m + y + k <= MAX_INK  # not 3.0001 after rounding
    assert c + m + y + k == pytest.approx(3.0, abs=1e-3)
    assert c == m == y  # the excess comes out of C, M and Y alike


def test_an_over_inked_colour_keeps_its_balance():
    c, m, y, k = limit_ink((0.9, 0.6, 0.9, 0.9))
    assert k == 0.9 and c + m + y + k == pytest.approx(3.0, abs=1e-3) and c + m + y + k <= MAX_INK
    assert c / m == pytest.approx(1.5, abs=1e-3) and c == y


def test_a_colour_under_the_limit_is_left_alone():
    assert limit_ink((0.5, 0.4, 0.3, 0.2)) == (0.5, 0.4, 0.3, 0.2)


@pytest.fixture(scope="module")
def converter():
    return load_converter(None)


@pytest.mark.parametrize("colour", [Color(cmyk=(1.0, 1.0, 1.0, 1.0)), Color.from_hex("#000000"),
                                    Color.from_hex("#1b1b1f"), Color.from_hex("#3a0d5c"), Color.from_hex("#1f6fb2")])
def test_fills_and_text_from_the_profile_stay_under_the_limit(converter, colour):
    assert sum(converter.area(colour)) <= MAX_INK
    assert sum(converter.ink(colour)[0]) <= MAX_INK
