"""typeset.py and text.Fitted: words from markup, line breaking by the hyphenation rules, and drawing.

Widths come from Source Sans Pro (the fonts kaartgen ships), measured at 1 pt as the module does.
"""

from __future__ import annotations

from importlib import resources

import pytest
from reportlab.pdfgen.canvas import Canvas

from kaartgen import text as textmod
from kaartgen import typeset
from kaartgen.fonts import register_family
from kaartgen.layouts import BUILTIN_FONTS
from kaartgen.model import Style
from pdfops import operations

RULES = typeset.Rules()


@pytest.fixture(scope="module")
def family():
    package, files = BUILTIN_FONTS["source-sans-pro"]
    root = resources.files(package) / "files"
    return register_family({k: str(root / f) for k, f in files.items()})


def words(family, xml: str):
    return typeset.words(xml, family, False, False)


def width(family, text: str, bold: bool = False) -> float:
    return typeset.unit_width(text, family.name(bold, False))


def lines(family, text: str, measure: float, hyphenate: bool = True, overflow: bool = False):
    found = typeset.break_lines(words(family, typeset.keep_together(text, RULES, True)), measure, RULES,
                                hyphenate, overflow)
    return None if found is None else [line.plain for line in found]


# --- words ------------------------------------------------------------------------------------------

def test_markup_becomes_words_in_their_fonts(family):
    found = words(family, "Een <b>vet</b>, &amp; <i>schuin</i>woord")
    assert [w.plain for w in found] == ["Een", "vet,", "&", "schuinwoord"]
    regular, bold, italic = family.name(False, False), family.name(True, False), family.name(False, True)
    assert found[1].pieces == (("vet", bold), (",", regular))
    assert found[3].pieces == (("schuin", italic), ("woord", regular))
    assert found[1].width == pytest.approx(width(family, "vet", bold=True) + width(family, ","))
    assert found[1].space == pytest.approx(width(family, " "))


def test_a_non_breaking_space_keeps_words_together_and_soft_hyphens_are_break_points(family):
    found = words(family, "030\u00a0123 samen\u00adwerken")
    assert [w.plain for w in found] == ["030\u00a0123", "samenwerken"]
    assert found[1].soft == (5,)


def test_split_word_adds_a_hyphen_in_the_font_of_the_head_and_keeps_the_space(family):
    bold, regular = family.name(True, False), family.name(False, False)
    word = words(family, "<b>sa</b>menwerking")[0]
    head, tail = typeset.split_word(word, 5, hyphen=True)
    assert head.pieces == (("sa", bold), ("men", regular), ("-", regular))
    assert tail.pieces == (("werking", regular),)
    assert tail.space == word.space
    head, _ = typeset.split_word(words(family, "<b>samen</b>werking")[0], 5, hyphen=True)
    assert head.pieces == (("samen", bold), ("-", bold))
    head, tail = typeset.split_word(words(family, "Partnerschap\u00a0Rivierenland")[0], 12, False, skip=1)
    assert (head.plain, tail.plain) == ("Partnerschap", "Rivierenland")


def test_break_points_leave_three_letters_and_skip_protected_names(family):
    offsets = [b.offset for b in typeset.breaks(words(family, "samenwerkingsovereenkomst")[0], RULES, True)]
    assert offsets == sorted(offsets, reverse=True) and offsets
    assert all(3 <= o <= len("samenwerkingsovereenkomst") - 3 for o in offsets)
    assert typeset.breaks(words(family, "Opleidingsschool")[0], RULES, True) == ()
    assert typeset.breaks(words(family, "leraren")[0], RULES, False) == ()  # no dictionary: no breaks
    own = typeset.breaks(words(family, "pedagogisch-didactisch")[0], RULES, False)
    assert [(b.offset, b.hyphen, b.chosen) for b in own] == [(12, False, False)]
    assert typeset.breaks(words(family, "e-mailadres")[0], RULES, False) == ()  # 'e-' is too short a head


# --- lines ------------------------------------------------------------------------------------------

def test_lines_are_filled_word_by_word_up_to_the_measure(family):
    text = "Wat doen wij samen in de klas en daarbuiten met elkaar"
    measure = width(family, "Wat doen wij samen in")
    found = lines(family, text, measure, hyphenate=False)
    assert found[0] == "Wat doen wij samen in"
    assert " ".join(found) == text
    for line in typeset.break_lines(words(family, text), measure, RULES, False):
        assert line.width <= measure + typeset.FIT_TOLERANCE


def test_a_word_is_hyphenated_only_when_the_line_before_it_stays_too_short(family):
    measure = width(family, "Dit is de samenwerkings-") + 0.5
    first, second = lines(family, "Dit is de samenwerkingsovereenkomst", measure)
    assert first == "Dit is de samenwerkings-" and second == "overeenkomst"
    full = width(family, "Dit is een heel lange zin met") / 0.75  # this line fills 75 % of the measure
    assert lines(family, "Dit is een heel lange zin met samenwerkingsovereenkomsten ook", full)[0] == \
        "Dit is een heel lange zin met"


def test_no_hyphenation_without_the_dictionary_except_own_hyphens(family):
    measure = width(family, "Wij werken pedagogisch-") + 0.5
    assert lines(family, "Wij werken pedagogisch-didactisch", measure, hyphenate=False) == \
        ["Wij werken pedagogisch-", "didactisch"]
    wide = width(family, "samenwerkingsovereenkomst") + 0.5
    assert lines(family, "Wij werken samenwerkingsovereenkomst", wide, hyphenate=False) == \
        ["Wij werken", "samenwerkingsovereenkomst"]
    assert lines(family, "Wij werken samenwerkingsovereenkomst", measure, hyphenate=False) is None


def test_at_most_two_hyphenated_lines_follow_each_other(family):
    text = "Ontwikkelingsgerichte professionaliseringstrajecten verduurzamen onderwijsvernieuwingen"
    for measure in range(30, 90, 4):
        found = typeset.break_lines(words(family, text), measure / 10, RULES, True)
        if found is None:
            continue
        run = longest = 0
        for line in found:
            run = run + 1 if line.broken else 0
            longest = max(longest, run)
        assert longest <= typeset.MAX_RUN


def test_a_short_tail_never_stands_alone_on_the_last_line(family):
    measure = width(family, "Dit is een heel lange zin met de samenwerkingsovereen-") + 0.2
    assert lines(family, "Dit is een heel lange zin met de samenwerkingsovereenkomst", measure) == \
        ["Dit is een heel lange zin met de", "samenwerkingsovereenkomst"]


def test_a_last_line_of_one_short_word_pulls_its_neighbour_down(family):
    text = "Welke afspraken maken jullie over de klas"
    measure = width(family, "Welke afspraken maken jullie over de") + 0.5
    assert lines(family, text, measure) == ["Welke afspraken maken jullie over", "de klas"]
    # moving 'samenwerking' down would leave 'Op' alone on a line under half full
    measure = max(width(family, "Op samenwerking"), width(family, "samenwerking de")) + 0.5
    assert lines(family, "Op samenwerking de", measure, hyphenate=False) == ["Op samenwerking", "de"]


def test_a_word_wider_than_the_line_breaks_or_fails(family):
    measure = width(family, "samenwerkings-") + 0.5
    assert lines(family, "samenwerkingsovereenkomst", measure) == ["samenwerkings-", "overeenkomst"]
    assert lines(family, "Opleidingsschool", measure / 2) is None
    assert lines(family, "Opleidingsschool", measure / 2, overflow=True) == ["Opleidingsschool"]


def test_a_kept_together_name_breaks_at_its_space_only_when_wider_than_a_line(family):
    name = typeset.keep_together("Samen Opleiden", RULES, True)
    assert name == "Samen\u00a0Opleiden"
    assert lines(family, "Samen Opleiden", width(family, "Samen Opleiden") + 0.5) == ["Samen\u00a0Opleiden"]
    assert lines(family, "Samen Opleiden", width(family, "Opleiden") + 0.5) == ["Samen", "Opleiden"]


def test_phone_numbers_stay_together(family):
    assert typeset.keep_together("bel 030 123 45 67.", RULES, False) == "bel 030\u00a0123\u00a045\u00a067."


# --- drawing ----------------------------------------------------------------------------------------

STYLE = Style(size=10, min_size=10, leading=1.2, bold=False, italic=False, color="ink", align="left",
              space_after=4, hyphenate=True, bullet="•")


def drawn(family, tmp_path, content: str, align: str, width: float = 200):
    fitted = textmod.fit(textmod.blocks(content, {}), family, STYLE, width, 500, (0, 0, 0), align)
    path = tmp_path / "t.pdf"
    canvas = Canvas(str(path), pagesize=(300, 600))
    fitted.draw(canvas, 50, 550)
    canvas.save()
    return fitted, [(op, operands) for operands, op in operations(path)]


def origins(ops) -> list[tuple[float, float]]:
    found = [(round(float(o[4]), 2), round(float(o[5]), 2)) for op, o in ops if op == b"Tm"]
    return [xy for xy in found if xy != (0.0, 0.0)]  # reportlab opens a text object at the origin


def test_lines_start_one_size_below_the_top_and_step_by_the_leading(family, tmp_path):
    fitted, ops = drawn(family, tmp_path, "Een eerste alinea met genoeg woorden om te breken.\nTweede.", "left", 120)
    first = len(fitted.paragraphs[0].lines)
    assert first >= 2 and len(fitted.lines()) == first + 1
    ys = [y for _, y in origins(ops)]
    # 550 − 10 (one font size); then 12 (the leading) a line, and 4 more after the paragraph
    assert ys == [540.0 - 12 * n for n in range(first)] + [540.0 - 12 * first - 4]
    assert fitted.height == pytest.approx((first + 1) * 12 + 4)


def test_centred_and_right_aligned_lines_share_out_the_spare_width(family, tmp_path):
    size = STYLE.size
    for align, share in (("center", 0.5), ("right", 1.0)):
        _, ops = drawn(family, tmp_path, "Kort", align)
        spare = 200 - width(family, "Kort") * size
        assert origins(ops)[0][0] == pytest.approx(50 + share * spare, abs=0.01)


def test_justified_lines_stretch_their_spaces_but_not_the_last(family, tmp_path):
    fitted, ops = drawn(family, tmp_path, "Wij werken samen aan goed onderwijs voor elke leerling in de regio.",
                        "justify", 120)
    assert len(fitted.lines()) >= 2
    spacing = [float(o[0]) for op, o in ops if op == b"Tw"]
    assert spacing[0] > 0 and spacing[-1] == 0  # set for a full line, reset before the last
    first = fitted.paragraphs[0].lines[0]
    stretched = first.width * STYLE.size + spacing[0] * first.plain.count(" ")
    assert stretched == pytest.approx(120, abs=0.01)  # the first line ends exactly at the right edge


def test_a_bullet_hangs_in_its_indent(family, tmp_path):
    _, ops = drawn(family, tmp_path, "- Een punt", "left")
    (bullet_x, _), (text_x, _) = origins(ops)[:2]
    assert bullet_x == pytest.approx(50 + 0.1 * STYLE.size, abs=0.01)
    assert text_x == pytest.approx(50 + textmod.BULLET_INDENT * STYLE.size, abs=0.01)
