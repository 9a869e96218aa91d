"""Partnership sets: one partnership's name, logo, colours, sector and card overrides,
applied to the shipped decks, and a batch that builds many sets on several cores."""

from __future__ import annotations

import re
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path

from kaartgen import formats
from kaartgen.colors import resolve_color
from kaartgen.build import Options, Result, build_deck
from kaartgen.decks import Customisation, load_decks
from kaartgen.errors import KaartgenError, Problem
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

    def values(self) -> dict:
        """What layouts can show: {set.name}, {set.logo}, …"""
        return {"set.name": self.name, "set.short_name": self.short_name, "set.sector": self.sector,
                "set.logo": self.logo, "set.contact": self.contact}


def load_set(path: Path, project: Project) -> PartnerSet:
    doc = load_file(path)
    if doc.data is None:
        raise KaartgenError(Problem(doc.file, None, None, "", "file is empty; a set needs 'set'"))
    problems = validate(doc, formats.SET)
    if problems:
        raise KaartgenError(problems)
    slug = path.stem
    if not SLUG.match(slug):
        problems.append(Problem(doc.file, None, None, "", f"file name '{slug}' must be lowercase letters, "
                                                          "digits and dashes (it names the output folder)"))
    raw = doc.data["set"]
    available = [p.stem for p in deck_files(project)]
    decks = doc.data.get("decks") or available
    for i, name in enumerate(doc.data.get("decks") or []):
        if name not in available:
            problems.append(doc.problem(("decks", i), f"unknown deck '{name}'{suggest(name, available)}"))
    for name in (doc.data.get("overrides") or {}):
        if name not in decks:
            problems.append(doc.problem(("overrides", name), f"'{name}' is not one of this set's decks"
                                                             f"{suggest(name, decks)}"))
    logo = str(raw.get("logo", ""))
    if logo:
        resolved = (project.root / logo).resolve()
        if not resolved.is_relative_to(project.root.resolve()):
            problems.append(doc.problem(("set", "logo"), f"logo '{logo}' lies outside the project folder"))
        elif not resolved.is_file():
            problems.append(doc.problem(("set", "logo"), f"logo '{logo}' not found"))
    colors = _colors(doc, raw.get("colors") or {}, problems)
    if problems:
        raise KaartgenError(problems)
    return PartnerSet(slug=slug, doc=doc, name=str(raw["name"]), short_name=str(raw["short_name"]),
                      sector=raw["sector"], logo=logo, contact=str(raw.get("contact", "")), colors=colors,
                      decks=list(decks), overrides=doc.data.get("overrides") or {})


def _colors(doc: Doc, raw: dict, problems: list) -> dict:
    """Partnership colours as layout colour names: primary, secondary, step1…"""
    named = {k: v for k, v in raw.items() if k != "steps"}
    named.update({f"step{n}": v for n, v in (raw.get("steps") or {}).items()})
    out = {}
    for name, value in named.items():
        color = resolve_color(value, {})
        if color is None:
            path = ("set", "colors") + (("steps", name[4:]) if name.startswith("step") else (name,))
            problems.append(doc.problem(path, f"'{value}' is not a colour; use '#rrggbb' or {{cmyk: [c, m, y, k]}}"))
        else:
            out[name] = color
    return out


def build_set(path: Path, project: Project, options: Options) -> list[Result]:
    decks, set_options = set_decks(path, project, options)
    return [build_deck(deck, project, set_options) for deck in decks]


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
