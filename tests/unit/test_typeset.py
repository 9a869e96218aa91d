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


# --- whatever the measure: the lines give back the text, and their widths are their words' ------------

TEXTS = ["Wij werken samen aan goed onderwijs voor elke leerling, ook in de lerarenopleiding.",
         "Samenwerkingsverbanden professionaliseren pedagogisch-didactisch, bel 030 123 45 67 of kom langs.",
         "Welke afspraken maken jullie over de begeleiding van studenten in de klas?",
         "Onderwijsvernieuwing in Samen Opleiden en de Opleidingsschool, met <b>vet</b> en <i>schuin</i>."]


def check_lines(family, text: str, measure: float) -> None:
    source = typeset.keep_together(text.replace("<b>", "").replace("</b>", "").replace("<i>", "")
                                   .replace("</i>", ""), RULES, True)
    found = typeset.break_lines(words(family, typeset.keep_together(text, RULES, True)), measure, RULES, True)
    if found is None:
        return
    for n, line in enumerate(found):
        expected = sum(w.width for w in line.words) + sum(w.space for w in line.words[:-1])
        assert line.width == pytest.approx(expected), (measure, line.plain)
        assert all(w.width == pytest.approx(sum(width_of(family, t, f) for t, f in w.pieces)) for w in line.words)
        if len(line.words) > 1 or not line.broken:
            assert line.width <= measure + typeset.FIT_TOLERANCE, (measure, line.plain)
        if n == len(found) - 1:
            assert line.broken is False
            continue
        head, tail = line.words[-1].plain, found[n + 1].words[0].plain
        tails = {tail, tail[:-1]} if tail.endswith("-") else {tail}  # the next line may break its word too
        if line.broken:  # a word goes on: with the added hyphen taken off, or its own hyphen kept
            assert head.endswith("-") and any(head[:-1] + t in source or head + t in source for t in tails), \
                (measure, head, tail)
        else:
            assert any(f"{head} {t}" in source for t in tails), (measure, head, tail)
    joined = "".join(line.plain for line in found).replace("-", "").replace(" ", "").replace(typeset.NBSP, "")
    assert joined == source.replace("-", "").replace(" ", "").replace(typeset.NBSP, "")


def width_of(family, text: str, font: str) -> float:
    return typeset.unit_width(text, font)


@pytest.mark.parametrize("text", TEXTS)
def test_the_lines_give_back_the_text_at_every_measure(family, text):
    for tenth in range(60, 400, 7):
        check_lines(family, text, tenth / 10)


def test_a_two_word_line_gives_its_last_word_to_a_short_last_line(family):
    measure = width(family, "Samenwerking opleiden") + 0.2
    found = typeset.break_lines(words(family, "Samenwerking opleiden lessen"), measure, RULES, False)
    assert [line.plain for line in found] == ["Samenwerking", "opleiden lessen"]
    assert [line.width for line in found] == [pytest.approx(width(family, "Samenwerking")),
                                              pytest.approx(width(family, "opleiden lessen"))]
    assert [line.broken for line in found] == [False, False]
    longer = typeset.break_lines(words(family, "Samenwerking opleiden lesjes."), measure, RULES, False)
    assert [line.plain for line in longer][-1] == "lesjes."  # seven characters: not short


def test_a_hyphenated_line_keeps_its_head_when_the_tail_ends_the_paragraph(family):
    # The word is wider than the line, so its tail may stand alone; the line before is not emptied.
    assert lines(family, "Wij onderwijsvernieuwing", 9.1) == ["Wij onderwijsvernieu-", "wing"]


# --- the edges of the rules -------------------------------------------------------------------------

def test_splitting_keeps_later_pieces_whole_and_moves_soft_hyphens_along(family):
    bold, regular = family.name(True, False), family.name(False, False)
    word = words(family, "<b>samen</b>werk<i>ing</i>")[0]
    head, tail = typeset.split_word(word, 3, hyphen=True)
    assert tail.pieces == (("en", bold), ("werk", regular), ("ing", family.name(False, True)))
    soft = words(family, "samen\u00adwerkings\u00adovereenkomst")[0]
    assert soft.soft == (5, 13)
    _, tail = typeset.split_word(soft, 8, hyphen=True)
    assert tail.plain == "kingsovereenkomst" and tail.soft == (5,)
    _, tail = typeset.split_word(words(family, "Samen\u00a0Opleiden\u00adschool")[0], 5, False, skip=1)
    assert tail.plain == "Opleidenschool" and tail.soft == (8,)


def test_bold_and_italic_styles_set_the_font_of_every_word(family):
    found = typeset.words("Kop <i>schuin</i>", family, True, False)
    assert found[0].pieces == (("Kop", family.name(True, False)),)
    assert found[1].pieces == (("schuin", family.name(True, True)),)
    assert typeset.words("tekst", family, False, True)[0].pieces == (("tekst", family.name(False, True)),)
    mixed = typeset.words("a<b>b</b>", family, False, False)[0]
    assert mixed.space == pytest.approx(width(family, " ", bold=True))  # the space after a word is in its last font


def test_a_line_is_split_into_runs_where_the_font_changes(family):
    found = typeset.break_lines(words(family, "een <b>vet woord</b> hier"), 1000, RULES, False)
    regular, bold = family.name(False, False), family.name(True, False)
    assert found[0].runs() == [("een ", regular), ("vet woord ", bold), ("hier", regular)]


def test_hyphenation_needs_seven_letters_and_skips_protected_names_inside_words(family):
    assert typeset.hyphenation_points("leraren", RULES) and not typeset.hyphenation_points("school", RULES)
    rules = typeset.Rules(protected=("Rivierenland", "Samen Opleiden"))
    assert typeset.hyphenation_points("Rivierenlandschap", rules) == []
    assert typeset.hyphenation_points("Opleidingsplan", rules)  # a two-word name protects only itself
    assert typeset.keep_together("Samen Opleiden", rules, False) == "Samen Opleiden"  # no names in titles


def test_a_word_that_fits_on_its_own_line_is_hyphenated_when_the_line_before_stays_short(family):
    measure = width(family, "samenwerkingsovereenkomst") + 1  # the word fits a line of its own
    first, second = lines(family, "Dit is de samenwerkingsovereenkomst", measure)
    assert first.startswith("Dit is de ") and first.endswith("-") and second.startswith("overeenkomst"[-6:]) is False


def test_a_word_s_own_hyphen_is_used_when_the_dictionary_break_is_not_needed(family):
    text = "Wij werken al heel lang samen met veel plezier pedagogisch-didactisch"
    measure = width(family, "Wij werken al heel lang samen met veel plezier pedagogisch-") + 0.3
    assert width(family, "Wij werken al heel lang samen met veel plezier") > typeset.SHORT_LINE * measure
    assert lines(family, text, measure) == ["Wij werken al heel lang samen met veel plezier pedagogisch-",
                                            "didactisch"]


def test_a_six_letter_tail_does_not_stand_alone_on_the_last_line(family):
    measure = width(family, "Wij de oplei-") + 0.3
    assert width(family, "Wij de opleidin-") > measure
    assert lines(family, "Wij de opleidingen", measure) == ["Wij de", "opleidingen"]


def test_two_hyphenated_lines_in_a_row_are_allowed(family):
    text = "onderwijsvernieuwingsprojecten"
    found = [typeset.break_lines(words(family, text), m / 10, RULES, True) for m in range(40, 160)]
    assert any(f and len(f) == 3 and f[0].broken and f[1].broken for f in found)


def test_without_overflow_a_word_wider_than_the_box_is_no_fit(family):
    style = Style(size=10, min_size=10, leading=1.2, bold=False, italic=False, color="ink", align="left",
                  space_after=0, hyphenate=False, bullet="•")
    content = textmod.blocks("Opleidingsschool", {})
    assert textmod.typeset(content, family, style, 10, 30, (0, 0, 0), "left", RULES) is None
    assert textmod.typeset(content, family, style, 10, 30, (0, 0, 0), "left", RULES, overflow=True).lines() == \
        ["Opleidingsschool"]


def test_bullet_items_are_set_in_the_width_beside_the_bullet(family):
    sentence = "Wij werken samen aan goed onderwijs"
    box = width(family, sentence) * STYLE.size + 1  # one line without a bullet, not beside one
    plain = textmod.typeset(textmod.blocks(sentence, {}), family, STYLE, STYLE.size, box, (0, 0, 0), "left", RULES)
    bullet = textmod.typeset(textmod.blocks("- " + sentence, {}), family, STYLE, STYLE.size, box, (0, 0, 0), "left",
                             RULES)
    assert plain.lines() == [sentence] and len(bullet.lines()) == 2
    indent = textmod.BULLET_INDENT * STYLE.size
    assert all(line.width * STYLE.size <= box - indent + 0.2 for line in bullet.paragraphs[0].lines)
    assert plain.height == pytest.approx(STYLE.size * STYLE.leading)  # one paragraph: no space after it


def test_the_bullet_is_in_the_regular_face_of_a_bold_style(family, tmp_path):
    bold = Style(size=10, min_size=10, leading=1.2, bold=True, italic=False, color="ink", align="left",
                 space_after=0, hyphenate=True, bullet="•")
    fitted = textmod.fit(textmod.blocks("- Punt", {}), family, bold, 200, 100, (0, 0, 0), "left")
    assert fitted.bullet_font == family.name(False, False)


def test_each_text_object_sets_its_font_before_drawing(family, tmp_path):
    _, ops = drawn(family, tmp_path, "Een <b>vette</b> regel\nen nog een", "left")
    current = None
    for op, operands in ops:
        if op == b"BT":
            current = None
        elif op == b"Tf":
            current = operands[0]
        elif op in (b"Tj", b"TJ"):
            assert current is not None


def test_only_justified_full_lines_get_extra_word_space(family, tmp_path):
    text = "Wij werken samen aan goed onderwijs voor elke leerling in de regio en ook ver daar buiten."
    box = next(w for w in range(100, 200) if len(textmod.fit(textmod.blocks(text, {}), family, STYLE, w, 500, (0, 0, 0),
                                                              "justify").paragraphs[0].lines[-1].words) > 1)
    fitted, ops = drawn(family, tmp_path, text, "justify", box)  # its last line could be stretched, but is not
    stretched = [float(o[0]) for op, o in ops if op == b"Tw" and float(o[0]) > 0]
    assert len(stretched) == len(fitted.lines()) - 1  # every line but the last
    _, ops = drawn(family, tmp_path, text, "left", box)
    assert not [o for op, o in ops if op == b"Tw"]


def test_a_justified_line_with_a_kept_together_name_ends_at_the_edge(family, tmp_path):
    fitted, ops = drawn(family, tmp_path, "Wij doen mee aan Samen Opleiden met veel plezier en energie.", "justify", 150)
    first = fitted.paragraphs[0].lines[0]
    assert "\u00a0" in first.plain
    spacing = [float(o[0]) for op, o in ops if op == b"Tw"][0]
    spaces = first.plain.count(" ") + first.plain.count("\u00a0")
    assert first.width * STYLE.size + spacing * spaces == pytest.approx(150, abs=0.01)


def test_two_words_are_enough_to_justify_a_line(family, tmp_path):
    fitted, ops = drawn(family, tmp_path, "Samenwerking opleidingsscholen lerarenopleidingen", "justify", 140)
    assert len(fitted.paragraphs[0].lines[0].words) == 2
    assert [float(o[0]) for op, o in ops if op == b"Tw"][0] > 0


def test_a_centred_bullet_item_is_centred_beside_its_bullet(family, tmp_path):
    _, ops = drawn(family, tmp_path, "- Kort", "center")
    indent = textmod.BULLET_INDENT * STYLE.size
    spare = 200 - indent - width(family, "Kort") * STYLE.size
    assert origins(ops)[1][0] == pytest.approx(50 + indent + spare / 2, abs=0.01)


def test_a_split_in_a_later_piece_counts_the_pieces_before_it(family):
    head, tail = typeset.split_word(words(family, "<b>samen</b>werk<i>ing</i>")[0], 7, hyphen=True)
    assert head.plain == "samenwe-" and tail.plain == "rking"


def test_a_split_at_a_soft_hyphen_leaves_it_behind(family):
    _, tail = typeset.split_word(words(family, "samen\u00adwerkings\u00adovereenkomst")[0], 5, hyphen=True)
    assert tail.plain == "werkingsovereenkomst" and tail.soft == (8,)


def test_a_typed_soft_hyphen_is_used_where_dictionary_breaks_are_not(family):
    prefix = "Wij werken al heel lang samen met veel plezier"
    measure = width(family, prefix + " samenwerkings-") + 0.3
    assert width(family, prefix) > typeset.SHORT_LINE * measure
    assert lines(family, prefix + " samenwerkings\u00adovereenkomst", measure) == \
        [prefix + " samenwerkings-", "overeenkomst"]


def test_two_hyphenated_lines_may_follow_a_whole_one(family):
    text = "Wij en zij onderwijsvernieuwingsprojecten"
    found = [typeset.break_lines(words(family, text), m / 10, RULES, True) for m in range(40, 160)]
    assert any(f and len(f) >= 4 and not f[0].broken and f[1].broken and f[2].broken for f in found)


def test_the_last_word_is_pulled_down_in_a_longer_paragraph_too(family):
    assert width(family, "onderwijs voor de") <= 7.5  # without the rule 'klas' would stand alone
    assert lines(family, "Wij werken samen aan goed onderwijs voor de klas", 7.5, hyphenate=False) == \
        ["Wij werken", "samen aan goed", "onderwijs voor", "de klas"]


def test_bullets_and_boxes_use_their_exact_measures(family):
    sentence = "Wij werken samen aan goed onderwijs"
    full = width(family, sentence) * STYLE.size
    one = textmod.typeset(textmod.blocks(sentence, {}), family, STYLE, STYLE.size, full + 0.5, (0, 0, 0), "left", RULES)
    assert len(one.lines()) == 1  # the whole width, to the half point
    beside = textmod.typeset(textmod.blocks("- " + sentence, {}), family, STYLE, STYLE.size, full + 10.5, (0, 0, 0),
                             "left", RULES)
    assert len(beside.lines()) == 2  # 1.1 font sizes (11 pt) go to the bullet


def test_one_font_change_is_one_font_setting(family, tmp_path):
    def font_settings(content: str) -> int:
        return sum(1 for op, _ in drawn(family, tmp_path, content, "left", 90)[1] if op == b"Tf")
    # the bullet and the text share the regular face: three lines set the font as often as one
    assert font_settings("- Een punt met genoeg woorden om over drie regels te lopen in dit vak") == \
        font_settings("- Kort")


def test_a_justified_paragraph_may_have_a_line_of_one_word(family, tmp_path):
    fitted, ops = drawn(family, tmp_path, "Opleidingsschool samen leren", "justify", 80)
    assert len(fitted.paragraphs[0].lines[0].words) == 1
    assert fitted.lines()[0] == "Opleidingsschool"


def test_an_indent_of_non_breaking_spaces_is_no_break_point(family):
    word = words(family, "\u00a0\u00a0Samenwerkingsovereenkomst")[0]  # what people typed in a form, indented
    assert all(b.offset >= 2 for b in typeset.breaks(word, RULES, False))
    assert lines(family, "\u00a0\u00a0Samenwerkingsovereenkomst", 2, hyphenate=False, overflow=True) == \
        ["\u00a0\u00a0Samenwerkingsovereenkomst"]
