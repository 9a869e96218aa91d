"""Typography measured from the PDFs: hyphenation only where it helps, within professional limits.

For every shipped deck and every partnership set: fewer than 5 % of the lines end in a
hyphenation break, every fragment keeps at least 3 letters, at most 2 hyphenated lines follow
each other, and no protected name ("Samen Opleiden", "Opleidingsschool", the set's own name)
is split. Plus the rules themselves on small texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT
from kaartgen import text as textmod
from kaartgen.fonts import register_family
from kaartgen.layouts import BUILTIN_FONTS
from kaartgen.model import Style

PROTECTED = ("Samen Opleiden", "Opleidingsschool")


@dataclass
class Measure:
    lines: int = 0
    breaks: list[tuple[str, str]] = field(default_factory=list)  # (head, tail) of each hyphenation break
    longest_run: int = 0
    split_names: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return len(self.breaks) / self.lines if self.lines else 0.0

    @property
    def shortest_fragment(self) -> int:
        return min((min(len(h), len(t)) for h, t in self.breaks), default=99)


def source_text() -> str:
    """Every card text, so a word's own hyphen (pedagogisch-didactisch) is not counted as a break."""
    files = list((ROOT / "cards").glob("*.yaml")) + list((ROOT / "cards" / "sets").glob("*.yaml"))
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


def page_lines(pdf: Path) -> list[list[str]]:
    return [[line.strip() for line in page.extract_text().split("\n")] for page in PdfReader(pdf).pages]


def measure(pdf: Path, names: tuple[str, ...], source: str) -> Measure:
    result = Measure()
    for lines in page_lines(pdf):
        run = 0
        for line, following in zip(lines, lines[1:] + [""]):
            if not line:
                continue
            result.lines += 1
            result.split_names += split_names(line, following, names)
            head = re.search(r"(\w+)-$", line)
            tail = re.match(r"(\w+)", following)
            if head and tail and following[:1].islower() and f"{head.group(1)}-{tail.group(1)}" not in source:
                result.breaks.append((head.group(1), tail.group(1)))
                run += 1
                result.longest_run = max(result.longest_run, run)
            else:
                run = 0
    return result


def split_names(line: str, following: str, names: tuple[str, ...]) -> list[str]:
    """Protected names broken across these two lines (by a hyphen or a line break)."""
    joined = re.sub(r"\s+", " ", line + "\x00" + following)
    found = []
    for name in names:
        letters = [re.escape(c) if c != " " else r"[ \x00\xa0]" for c in name]
        pattern = r"-?\x00?".join(letters)
        for match in re.finditer(pattern, joined):
            if "\x00" in match.group(0):
                found.append(match.group(0).replace("\x00", "⏎"))
    return found


@pytest.fixture(scope="module")
def set_build(batch_build) -> Path:
    return batch_build.out


def set_names(pdf: Path, out: Path) -> tuple[str, ...]:
    import yaml
    slug = pdf.relative_to(out).parts[0]
    spec = yaml.safe_load((ROOT / "cards" / "sets" / f"{slug}.yaml").read_text(encoding="utf-8"))["set"]
    return tuple(n for n in (spec["name"], spec.get("short_name")) if n)


def check(pdf: Path, names: tuple[str, ...], source: str) -> list[str]:
    m = measure(pdf, PROTECTED + names, source)
    problems = []
    if m.share >= 0.05:
        problems.append(f"{m.share:.1%} of {m.lines} lines end in a hyphenation break: {m.breaks}")
    if m.shortest_fragment < 3:
        problems.append(f"a fragment of {m.shortest_fragment} letters: {m.breaks}")
    if m.longest_run > 2:
        problems.append(f"{m.longest_run} hyphenated lines in a row")
    if m.split_names:
        problems.append(f"split names: {m.split_names}")
    return problems


def test_shipped_decks_hyphenate_sparingly_and_by_the_rules(shipped_build):
    source = source_text()
    pdfs = sorted(shipped_build.rglob("*-drukwerk.pdf"))
    assert len(pdfs) >= 8
    bad = {pdf.name: p for pdf in pdfs if (p := check(pdf, (), source))}
    assert not bad, bad


def test_every_set_hyphenates_sparingly_and_keeps_its_own_name_whole(set_build):
    source = source_text()
    pdfs = sorted(set_build.rglob("*-drukwerk.pdf"))
    assert {p.relative_to(set_build).parts[0] for p in pdfs} == {p.stem for p in (ROOT / "cards" / "sets").glob("*.yaml")}
    bad = {str(pdf.relative_to(set_build)): p for pdf in pdfs if (p := check(pdf, set_names(pdf, set_build), source))}
    assert not bad, bad


def test_the_measure_sees_breaks_runs_and_split_names():
    source = "pedagogisch-didactisch"
    lines = ["Wij werken in Samen Oplei-", "den aan pedagogisch-", "didactisch werk en samen-", "werking en meer-",
             "dere dingen met Samen", "Opleiden."]
    m = Measure()
    for line, following in zip(lines, lines[1:] + [""]):
        m.split_names += split_names(line, following, PROTECTED)
    assert m.split_names == ["Samen Oplei-⏎den", "Samen⏎Opleiden"]
    assert f"{'pedagogisch'}-{'didactisch'}" in source


# --- the rules on small texts ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def family():
    from importlib import resources
    package, files = BUILTIN_FONTS["source-sans-pro"]
    root = resources.files(package) / "files"
    return register_family({k: str(root / f) for k, f in files.items()})


BODY = Style(size=10, min_size=10, leading=1.25, bold=False, italic=False, color="ink", align="left",
             space_after=0, hyphenate=True, bullet="•")


def laid_out(family, text: str, width_mm: float, style: Style = BODY, rules=None) -> list[str]:
    blocks = textmod.blocks(text, {})
    fitted = textmod.fit(blocks, family, style, width_mm * 72 / 25.4, 1000, (0, 0, 0), "left", rules)
    return fitted.lines()


def test_short_words_are_never_hyphenated(family):
    lines = laid_out(family, "Wat doen wij samen? Welke leraar komt mee naar de eerste sessie van het jaar?", 30)
    assert not any(line.endswith("-") for line in lines), lines


def test_a_long_word_is_hyphenated_only_when_the_line_would_be_too_short(family):
    text = "Dit is de samenwerkingsovereenkomst"
    first, second = laid_out(family, text, 48)  # without a break "Dit is de" would fill a third of the line
    assert first.startswith("Dit is de samenwerkings") and first.endswith("-")
    assert first[:-1] + second == text
    assert laid_out(family, "Dit is een heel lange zin met de samenwerkingsovereenkomst", 90) == [
        "Dit is een heel lange zin met de", "samenwerkingsovereenkomst"]


def test_fragments_keep_three_letters_and_names_stay_whole(family):
    text = "Wij doen al jaren mee aan Samen Opleiden en de Opleidingsschool werkt mee met elkaar."
    for width in range(28, 60, 2):
        lines = laid_out(family, text, width)
        joined = "\n".join(lines)
        assert "Samen\nOpleiden" not in joined and "Samen Oplei-" not in joined, lines
        assert not re.search(r"Opleidings-\n|Oplei-\n", joined), lines
        for line, following in zip(lines, lines[1:]):
            if line.endswith("-") and following[:1].islower():
                assert len(re.search(r"(\w+)-$", line).group(1)) >= 3 and len(re.match(r"\w+", following).group(0)) >= 3


def test_set_names_are_protected_too(family):
    rules = textmod.Rules(protected=textmod.PROTECTED_NAMES + ("Partnerschap Rivierenland",))
    lines = laid_out(family, "Welkom bij het Partnerschap Rivierenland, waar we samen leren.", 40, rules=rules)
    assert any("Partnerschap\xa0Rivierenland" in line or "Partnerschap Rivierenland" in line for line in lines), lines


def test_no_more_than_two_hyphenated_lines_in_a_row(family):
    text = ("Ontwikkelingsgerichte professionaliseringstrajecten verduurzamen onderwijsvernieuwingen "
            "binnen samenwerkingsverbanden waarbij opleidingsinstituten kennisdeling stimuleren.")
    for width in range(30, 70, 3):
        try:
            lines = laid_out(family, text, width)
        except textmod.NoFit:
            continue  # three breaks in a row would be needed: better no fit than that
        run = longest = 0
        for line in lines:
            run = run + 1 if line.endswith("-") else 0
            longest = max(longest, run)
        assert longest <= 2, (width, laid_out(family, text, width))


def test_a_last_line_of_one_short_word_takes_its_neighbour_along(family):
    for width in range(40, 80):
        lines = laid_out(family, "Welke afspraken maken jullie over de begeleiding van studenten in de klas?", width)
        if len(lines) > 1:
            assert len(lines[-1].split()) > 1 or len(lines[-1]) > 6, (width, lines)


def test_phone_numbers_and_email_addresses_stay_on_one_line(family):
    text = "Vragen? Mail opleiden@debrug.example of bel 030 123 45 67 voor meer informatie."
    for width in range(45, 90, 2):
        lines = laid_out(family, text, width)
        assert any("030\xa0123\xa045\xa067" in line for line in lines), (width, lines)
        assert any("opleiden@debrug.example" in line for line in lines), (width, lines)


def test_a_word_that_cannot_fit_fails(family):
    with pytest.raises(textmod.NoFit) as caught:
        laid_out(family, "Een " + "onderwijsvernieuwingsprojectsamenwerkingsverband" * 20, 40)
    assert caught.value.reason == "a word is wider than the box"
