"""Every kind of product through one door: deck files, checklists and partnership sets.

Takes a `project.Selection` and `build.Options`; gives `Job`s, one per product, that build it
(or only check it) and return what they made. The CLI and watch run the jobs one after the
other; a job that fails raises its problems and the others still run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kaartgen import sets
from kaartgen.build import Options, Result, build_deck, check_deck, load_all
from kaartgen.errors import KaartgenError, Problem
from kaartgen.project import CHECKLIST, DECK, SET, Project, Selection, Wanted


@dataclass
class Checked:
    """What `kaartgen check` found in one product."""

    name: str
    kind: str
    cards: int = 0
    warnings: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Job:
    name: str
    kind: str  # DECK, CHECKLIST or SET
    run: Callable[[], list]  # Results when building, Checked when checking


def build_jobs(project: Project, selection: Selection, options: Options) -> list[Job]:
    jobs = [Job(w.name, DECK, lambda w=w: build_decks(project, [w], options)) for w in selection.decks]
    jobs += [Job(p.stem, CHECKLIST, lambda p=p: [build_checklist(project, p, options)]) for p in selection.checklists]
    jobs += [Job(p.stem, SET, lambda p=p: sets.build_set(p, project, options)) for p in selection.sets]
    return jobs


def check_jobs(project: Project, selection: Selection, options: Options) -> list[Job]:
    jobs = [Job(w.name, DECK, lambda w=w: check_decks(project, [w], options)) for w in selection.decks]
    jobs += [Job(p.stem, CHECKLIST, lambda p=p: [check_checklist(project, p, options)]) for p in selection.checklists]
    jobs += [Job(p.stem, SET, lambda p=p: check_set(project, p, options)) for p in selection.sets]
    return jobs


def build_decks(project: Project, wanted: list[Wanted | Path], options: Options) -> list[Result]:
    try:
        decks = load_all(project, wanted)
    except KaartgenError as exc:  # nothing is built, but the texts that do not fit are named too:
        _check_loaded(exc.partial or [], project, options, list(exc.problems))  # raises them all together
        raise
    return [build_deck(deck, project, options) for deck in decks]


def build_checklist(project: Project, path: Path, options: Options) -> Result:
    from kaartgen.forms import form
    return form.build_checklist(path, project, options)


def check_decks(project: Project, wanted: list[Wanted | Path], options: Options) -> list[Checked]:
    """Every problem in one run: the cards that load are still fitted when others (or the layout) have problems."""
    try:
        decks, problems = load_all(project, wanted), []
    except KaartgenError as exc:
        decks, problems = exc.partial or [], list(exc.problems)
    return _check_loaded(decks, project, options, problems)


def _check_loaded(decks: list, project: Project, options: Options, problems: list[Problem]) -> list[Checked]:
    """Fit every card of `decks`; raises the problems found so far and these together, if any."""
    checked = []
    for deck in decks:
        try:
            checked.append(Checked(deck.name, DECK, len(deck.cards), check_deck(deck, project, options)))
        except KaartgenError as exc:
            problems += exc.problems
        except Exception:  # noqa: BLE001 - drawing with a layout already reported as broken may fail
            if not problems:
                raise
    if problems:
        raise KaartgenError(problems)
    return checked


def check_checklist(project: Project, path: Path, options: Options) -> Checked:
    """The checklist file, its layout (table sizes, heading contrast) and glyphs."""
    from kaartgen.forms import form
    checklist, warnings = form.check_checklist(path, project, options)
    return Checked(checklist.name, CHECKLIST, len(checklist.items), warnings)


def check_set(project: Project, path: Path, options: Options) -> list[Checked]:
    decks, set_options = sets.set_decks(path, project, options)
    checked, problems = [], []
    for deck in decks:
        try:
            checked.append(Checked(f"{path.stem}/{deck.name}", SET, len(deck.cards),
                                   check_deck(deck, project, set_options)))
        except KaartgenError as exc:
            problems += exc.problems
    if problems:
        raise KaartgenError(problems)
    return checked
