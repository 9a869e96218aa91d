"""The project folder and what is in it: which file is a deck, a checklist, a set, a layout or
an asset, and what the names on a command line stand for.

Takes a project root and names or paths; gives paths with their kind (a `Selection`). The one
place that decides deck vs checklist vs set: the CLI, watch and the web page all ask here.
Reads no more of a file than its first lines.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from kaartgen import messages as msg
from kaartgen.errors import KaartgenError, Problem
from kaartgen.yamlio import MAX_FILE_BYTES, FileRefused, read_regular

DECK, CHECKLIST, SET, LAYOUT, ASSET, OTHER = "deck", "checklist", "set", "layout", "asset", "other"
ASSET_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp", ".tif", ".tiff", ".ttf", ".otf")


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def cards(self) -> Path:
        return self.root / "cards"

    @property
    def layouts(self) -> Path:
        return self.root / "layouts"

    @property
    def sets(self) -> Path:
        return self.root / "cards" / "sets"

    @property
    def printers(self) -> Path:
        return self.root / "printers"

    def shown(self, path: Path) -> str:
        """`path` as a user would write it: relative to the project when it lies inside."""
        try:
            return str(path.resolve().relative_to(self.root.resolve()))
        except ValueError:
            return str(path)


def is_deck(path: Path) -> bool:
    """A YAML file in cards/ is a deck unless it is a checklist (top-level key `checklist:`).
    A file that is not an ordinary file counts as a deck: loading it says what is wrong."""
    try:
        head = read_regular(path, MAX_FILE_BYTES, first=4096).decode("utf-8", errors="replace")
    except FileRefused:
        return True
    return not re.search(r"^\ufeff?checklist:", head, re.M)


def _card_files(project: Project) -> list[Path]:
    if not project.cards.is_dir():  # run in the wrong folder: say so instead of building nothing
        raise KaartgenError(Problem(f"{project.cards.name}/", None, None, "", msg.NO_CARDS_FOLDER()))
    files = sorted(project.cards.glob("*.yaml"))
    outside = [p for p in files if not p.resolve().is_relative_to(project.root.resolve())]
    if outside:  # a link to a file elsewhere: kaartgen reads only the project's own files
        raise KaartgenError([Problem(f"{project.cards.name}/{p.name}", None, None, "", msg.LINK_OUTSIDE_PROJECT())
                             for p in outside])
    return files


def deck_files(project: Project) -> list[Path]:
    return [p for p in _card_files(project) if is_deck(p)]


def checklist_files(project: Project) -> list[Path]:
    return [p for p in _card_files(project) if not is_deck(p)]


def set_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yaml"))


def kind_of(path: Path, root: Path, peek: bool = True) -> str:
    """What a path in the project is: DECK, CHECKLIST, SET, LAYOUT, ASSET (an image or font) or OTHER.

    Only a YAML file in cards/ needs a look inside (`peek`) to tell a checklist from a deck;
    without peeking, or when it cannot be read, it counts as a deck (building it says what is wrong).
    """
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return OTHER
    if path.suffix in (".yaml", ".yml"):
        if len(parts) == 2 and parts[0] == "cards":
            return CHECKLIST if peek and path.is_file() and not _readable_deck(path) else DECK
        if len(parts) == 3 and parts[:2] == ("cards", "sets"):
            return SET
        if len(parts) == 2 and parts[0] == "layouts":
            return LAYOUT
    if path.suffix.lower() in ASSET_SUFFIXES:
        return ASSET
    return OTHER


def _readable_deck(path: Path) -> bool:
    try:
        return is_deck(path)
    except OSError:
        return True


@dataclass(frozen=True)
class Wanted:
    """A deck file to build, whole or one of its variants (dialoogkaart-po: file dialoogkaart, variant po)."""

    path: Path
    variant: str | None = None

    @property
    def name(self) -> str:
        return f"{self.path.stem}-{self.variant}" if self.variant else self.path.stem


@dataclass(frozen=True)
class Selection:
    """What a command works on, by kind."""

    decks: list[Wanted] = field(default_factory=list)
    checklists: list[Path] = field(default_factory=list)
    sets: list[Path] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.decks or self.checklists or self.sets)


def select(project: Project, names: list[str], set_files: list[Path] = ()) -> Selection:
    """What NAMES stand for: deck and checklist names, variants (dialoogkaart-po) and .yaml files.

    No names (and no set files) means every deck and checklist in cards/. A variant is checked
    against the deck's variants when the deck loads. Unknown names are one error listing the choices.
    """
    decks, checklists = deck_files(project), checklist_files(project)
    if not names:
        return Selection([Wanted(p) for p in decks] if not set_files else [],
                         checklists if not set_files else [], list(set_files))
    chosen = Selection(sets=list(set_files))
    problems = []
    for name in names:
        problem = _choose(project, name, decks, checklists, chosen)
        if problem:
            problems.append(problem)
    if problems:
        raise KaartgenError(problems)
    return Selection(list(dict.fromkeys(chosen.decks)), list(dict.fromkeys(chosen.checklists)),
                     list(dict.fromkeys(chosen.sets)))


def _choose(project: Project, name: str, decks: list[Path], checklists: list[Path],
            chosen: Selection) -> Problem | None:
    by_name = {p.stem: p for p in decks}
    path = Path(name)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        kind = kind_of(path.resolve(), project.root.resolve())
        if kind == SET:
            chosen.sets.append(path)
        elif kind == CHECKLIST or (kind != DECK and not is_deck(path)):
            chosen.checklists.append(path)
        else:
            chosen.decks.append(Wanted(path))
    elif name in by_name:
        chosen.decks.append(Wanted(by_name[name]))
    elif name in {p.stem for p in checklists}:
        chosen.checklists.append(next(p for p in checklists if p.stem == name))
    elif any(name.startswith(stem + "-") for stem in by_name):
        stem = max((s for s in by_name if name.startswith(s + "-")), key=len)
        chosen.decks.append(Wanted(by_name[stem], name[len(stem) + 1:]))
    else:
        names = [p.stem for p in checklists]
        return Problem(name, None, None, "", msg.UNKNOWN_NAME(suggestion=suggestion(name, list(by_name) + names),
                                                              decks=list(by_name), checklists=names))
    return None


def suggestion(word: str, options: list[str]):
    """' (did you mean …?)' with the closest of `options`, or nothing."""
    close = difflib.get_close_matches(word, [o for o in options if o != word], n=1, cutoff=0.6)
    return msg.DID_YOU_MEAN(name=close[0]) if close else ""
