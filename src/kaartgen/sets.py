"""Partnership sets: one partnership's name, logo, colours, sector and card overrides,
applied to the shipped decks, and a batch that builds many sets on several cores."""

from __future__ import annotations

import re
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from itertools import combinations
from pathlib import Path

from kaartgen import formats
from kaartgen import messages as msg
from kaartgen.colors import resolve_color
from kaartgen.build import Options, Result, build_deck
from kaartgen.decks import Customisation, load_decks
from kaartgen.errors import KaartgenError, Problem
from kaartgen.layouts import element_colors
from kaartgen.project import Project, deck_files
from kaartgen.schema import suggest, validate
from kaartgen.yamlio import Doc, load_file

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass
class PartnerSet:
    slug: str
    doc: Doc
    name: str
    short_name: str
    sector: str
    logo: str
    contact: str
    colors: dict
    decks: list[str]
    overrides: dict = field(default_factory=dict)
    url: str = ""

    def values(self) -> dict:
        """What layouts can show: {set.name}, {set.logo}, …"""
        return {"set.name": self.name, "set.short_name": self.short_name, "set.sector": self.sector,
                "set.logo": self.logo, "set.contact": self.contact, "set.url": self.url}

    def value_where(self) -> dict:
        """Where each value was written: "set.name" -> (file, line, column, key path)."""
        return {name: (self.doc.file, *self.doc.where(("set", name[4:])), name) for name in self.values()
                if ("set", name[4:]) in self.doc.marks}


def load_set(path: Path, project: Project) -> PartnerSet:
    doc = load_file(path)
    if doc.data is None:
        raise KaartgenError(Problem(doc.file, None, None, "", msg.EMPTY_SET_FILE()))
    problems = validate(doc, formats.SET)
    if problems:
        raise KaartgenError(problems)
    slug = path.stem
    if not SLUG.match(slug):
        problems.append(Problem(doc.file, None, None, "", msg.BAD_SET_FILE_NAME(name=slug)))
    raw = doc.data["set"]
    available = [p.stem for p in deck_files(project)]
    decks = doc.data.get("decks") or available
    misspelt = [name for name in decks if name not in available]
    for i, name in enumerate(doc.data.get("decks") or []):
        if name in misspelt:
            problems.append(doc.problem(("decks", i), msg.UNKNOWN_DECK(name=name, hint=suggest(name, available),
                                                                       choices=available)))
    problems += _override_problems(doc, decks, available, misspelt)
    logo = str(raw.get("logo", ""))
    if logo:
        resolved = (project.root / logo).resolve()
        if not resolved.is_relative_to(project.root.resolve()):
            problems.append(doc.problem(("set", "logo"), msg.LOGO_OUTSIDE_PROJECT(logo=logo)))
        elif not resolved.is_file():
            problems.append(doc.problem(("set", "logo"), msg.LOGO_NOT_FOUND(logo=logo)))
    colors = _colors(doc, raw.get("colors") or {}, problems)
    if problems:
        raise KaartgenError(problems)
    return PartnerSet(slug=slug, doc=doc, name=str(raw["name"]), short_name=str(raw["short_name"]),
                      sector=raw["sector"], logo=logo, contact=str(raw.get("contact", "")), colors=colors,
                      decks=list(decks), overrides=doc.data.get("overrides") or {}, url=str(raw.get("url", "")))


def _override_problems(doc: Doc, decks: list, available: list, misspelt: list) -> list[Problem]:
    """Overrides for decks the set does not make. An override of a real deck whose name is misspelt
    in `decks:` is left to that deck's error (which suggests the right name), never the other way round."""
    problems = []
    for name in doc.data.get("overrides") or {}:
        if name in decks:
            continue
        if name in available:
            if not any(suggest(wrong, [name]) for wrong in misspelt):
                problems.append(doc.problem(("overrides", name), msg.OVERRIDE_NOT_IN_DECKS(name=name)))
            continue
        made = [d for d in decks if d in available]
        problems.append(doc.problem(("overrides", name), msg.OVERRIDE_UNKNOWN_DECK(
            name=name, hint=suggest(name, made), choices=made)))
    return problems


def _colors(doc: Doc, raw: dict, problems: list) -> dict:
    """Partnership colours as layout colour names: primary, secondary, step1…"""
    named = {k: v for k, v in raw.items() if k != "steps"}
    named.update({f"step{n}": v for n, v in (raw.get("steps") or {}).items()})
    out = {}
    for name, value in named.items():
        color = resolve_color(value, {})
        if color is None:
            path = ("set", "colors") + (("steps", name[4:]) if name.startswith("step") else (name,))
            problems.append(doc.problem(path, msg.SET_COLOUR_INVALID(value=value)))
        else:
            out[name] = color
    return out


def build_set(path: Path, project: Project, options: Options) -> list[Result]:
    decks, set_options = set_decks(path, project, options)
    clashes = color_clashes(load_set(path, project), decks)
    if clashes and options.strict:
        raise KaartgenError(clashes)
    results = [build_deck(deck, project, set_options) for deck in decks]
    if results and clashes:  # reported once, with the set's first deck
        results[0] = replace(results[0], warnings=clashes + results[0].warnings)
    return results


CLASH = 15.0  # ΔE2000 below which two colours read as one on a card: a step block vanishes
PALETTES = (re.compile(r"^step\d+$"), re.compile(r"^istep\d+$"))  # colours shown side by side


def color_clashes(partner: PartnerSet, decks: list) -> list[Problem]:
    """A partnership colour too close to a step colour, or a partnership step colour too close to
    another step: the step stripe would lose a block and steps could no longer be told apart."""
    from kaartgen.cmyk import colour_distance
    problems = {}
    for layout in {id(deck.layout): deck.layout for deck in decks}.values():
        colors = layout.colors
        for palette in PALETTES:
            steps = sorted(name for name in colors if palette.match(name))
            if not _shows_any(layout, steps):
                continue
            house = [name for name in partner.colors if not any(p.match(name) for p in PALETTES)]
            pairs = [(name, step) for name in house for step in steps]
            pairs += [(a, b) for a, b in combinations(steps, 2) if a in partner.colors or b in partner.colors]
            for a, b in pairs:
                first, second = resolve_color(a, colors), resolve_color(b, colors)
                difference = colour_distance(first, second)
                if difference < CLASH:
                    own = a if a in partner.colors else b
                    problems[(a, b)] = _clash(partner, own, b if own == a else a, difference)
    return list(problems.values())


def _shows_any(layout, names: list[str]) -> bool:
    """Whether some element of the layout is drawn in one of these colours ("step{step}" counts)."""
    prefixes = {re.sub(r"\d+$", "", name) for name in names}
    def walk(elements):
        for element in elements:
            for value in element_colors(element):
                if value in names or any(value.startswith(p + "{") for p in prefixes):
                    return True
            if walk(element.children):
                return True
        return False
    return any(walk(t.front + (t.back or ())) for t in layout.templates.values())


def _clash(partner: PartnerSet, name: str, other: str, difference: float) -> Problem:
    path = ("set", "colors") + (("steps", name[4:]) if name.startswith("step") else (name,))
    return partner.doc.problem(path, msg.COLOR_CLASH(name=name, other=other, difference=round(difference, 1),
                                                     limit=int(CLASH)))


def set_decks(path: Path, project: Project, options: Options,
              only: set[str] | None = None) -> tuple[list, Options]:
    """The set's decks, customised, and the options that build them into OUT/<slug>/.

    `only` limits the result to these deck names (file stems), e.g. for a watch rebuild.
    """
    partner = load_set(path, project)
    decks = []
    problems = []
    for name in partner.decks:
        if only is not None and name not in only:
            continue
        custom = Customisation(sector=partner.sector, patch=partner.overrides.get(name),
                               patch_doc=partner.doc, patch_path=("overrides", name), colors=partner.colors)
        try:
            decks += load_decks(project.cards / f"{name}.yaml", project.layouts, custom)
        except KaartgenError as exc:
            problems += exc.problems
    if problems:
        raise KaartgenError(problems)
    set_options = replace(options, out=options.out / partner.slug, extra_values=partner.values(),
                          extra_where=partner.value_where(),
                          title_suffix=partner.name)
    return decks, set_options


@dataclass
class SetOutcome:
    path: Path
    results: list[Result]
    problems: list[Problem]
    seconds: float


def _build_one(path: Path, project: Project, options: Options) -> SetOutcome:
    started = time.perf_counter()
    try:
        results = build_set(path, project, options)
        return SetOutcome(path, results, [], time.perf_counter() - started)
    except KaartgenError as exc:
        return SetOutcome(path, [], exc.problems, time.perf_counter() - started)


def batch(paths: list[Path], project: Project, options: Options, jobs: int, progress=None):
    """Build every set; yields a SetOutcome per set as it finishes. A broken set does not stop the rest."""
    if jobs <= 1:
        for path in paths:
            outcome = _build_one(path, project, options)
            yield outcome
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(_build_one, path, project, options) for path in paths]
        for future in as_completed(futures):
            yield future.result()
