"""Watch mode: rebuild what a saved file affects, print problems, keep watching.

`plan_rebuild` is the whole decision, a pure function of the changed paths and an `Index`
(which layout each deck names, what each layout extends, which decks each set includes).
`Watcher` keeps the index up to date, runs the plan and prints the outcome.

What a change rebuilds:
- a deck file in cards/ → that deck (all its variants); a checklist file → that checklist;
- a layout → every deck and checklist whose layout, or a layout it `extends`, has that name
  (and decks whose file could not be read, because we do not know their layout);
- a set file in cards/sets/ → that set;
- an image or a font (a logo, say) → every deck and checklist;
- anything else (an editor's temporary file) → nothing;
and sets whose output folder exists are kept up to date with the decks they include.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import click
import yaml

from kaartgen import messages as msg
from kaartgen import products
from kaartgen.build import Options, Result, build_deck, load_all
from kaartgen.forms.checklist import DEFAULT_LAYOUT as CHECKLIST_LAYOUT
from kaartgen.errors import KaartgenError, Problem, Reporter
from kaartgen.preview import render_faces
from kaartgen.project import ASSET, CHECKLIST, DECK, LAYOUT, SET, Project, is_deck, kind_of
from kaartgen.sets import set_decks
from kaartgen.yamlio import MAX_FILE_BYTES, FileRefused, read_regular

UNKNOWN = None  # a deck's layout, or a layout's parent, that could not be read


@dataclass
class Index:
    """What the rebuild decision needs to know about the project, all paths absolute."""

    root: Path
    decks: dict[Path, str | None] = field(default_factory=dict)  # deck file → layout name (None: unknown)
    checklists: dict[Path, str | None] = field(default_factory=dict)  # checklist file → layout name
    layouts: dict[str, str | None] = field(default_factory=dict)  # layout name → extends (None: none)
    sets: dict[Path, tuple[str, ...] | None] = field(default_factory=dict)  # set file → deck names (None: all)
    active_sets: frozenset[Path] = frozenset()  # set files whose output folder exists

    def chain(self, layout: str) -> list[str]:
        """The layout and the layouts it extends, as far as they are known."""
        out: list[str] = []
        name: str | None = layout
        while name is not None and name not in out:
            out.append(name)
            name = self.layouts.get(name)
        return out


@dataclass(frozen=True)
class Plan:
    decks: tuple[Path, ...] = ()  # deck files, in name order
    sets: tuple[tuple[Path, frozenset[str] | None], ...] = ()  # set file → deck names to build (None: all)
    checklists: tuple[Path, ...] = ()  # checklist files, in name order

    def __bool__(self) -> bool:
        return bool(self.decks or self.sets or self.checklists)


def plan_rebuild(changed: Iterable[Path], index: Index) -> Plan:
    """Which decks, checklists and sets to rebuild after `changed` (absolute paths) were saved,
    added or removed."""
    decks: set[Path] = set()
    checklists: set[Path] = set()
    sets: dict[Path, set[str] | None] = {}
    everything = False
    for path in changed:
        kind = kind_of(path, index.root, peek=False)  # the index knows which card files are checklists
        if kind == DECK:
            decks |= {path} & set(index.decks)  # and still there
            checklists |= {path} & set(index.checklists)
        elif kind == SET:
            if path in index.sets:
                sets[path] = None
        elif kind == LAYOUT:
            decks |= _using(index.decks, path.stem, index)
            checklists |= _using(index.checklists, path.stem, index)
        elif kind == ASSET:
            everything = True
    if everything:
        decks, checklists = set(index.decks), set(index.checklists)
    return Plan(decks=tuple(sorted(decks)), sets=_sets_to_build(sets, decks, everything, index),
                checklists=tuple(sorted(checklists)))


def _using(files: dict[Path, str | None], layout: str, index: Index) -> set[Path]:
    """The files whose layout is `layout` or extends it; a file whose layout is unknown might."""
    return {path for path, name in files.items() if name is UNKNOWN or layout in index.chain(name)}


def _sets_to_build(sets: dict[Path, set[str] | None], decks: set[Path], everything: bool, index: Index):
    """The set files changed themselves, and the built sets that include a rebuilt deck."""
    names = {deck.stem for deck in decks}
    for set_file in index.active_sets:
        if set_file not in index.sets:
            continue
        if everything:
            sets[set_file] = None
        elif set_file not in sets or sets[set_file] is not None:
            included = index.sets[set_file]
            wanted = names if included is None else names & set(included)
            if wanted:
                sets[set_file] = (sets.get(set_file) or set()) | wanted
    return tuple((path, frozenset(wanted) if wanted is not None else None) for path, wanted in sorted(sets.items()))


def _read(path: Path):
    """The YAML data of a file, or None when it cannot be read (its build will report why)."""
    try:
        text = read_regular(path, MAX_FILE_BYTES).decode("utf-8-sig")  # never blocks on a pipe
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (FileRefused, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return None


def _layout_of(path: Path) -> str | None:
    data = _read(path)
    try:
        layout = data["deck"]["layout"]
    except (TypeError, KeyError):
        return UNKNOWN
    return layout if isinstance(layout, str) else UNKNOWN


def _checklist_layout_of(path: Path) -> str | None:
    data = _read(path)
    try:
        layout = data["checklist"].get("layout", CHECKLIST_LAYOUT)
    except (TypeError, KeyError, AttributeError):
        return UNKNOWN
    return layout if isinstance(layout, str) else UNKNOWN


def _extends_of(path: Path) -> str | None:
    data = _read(path)
    parent = data.get("extends") if isinstance(data, dict) else None
    return parent if isinstance(parent, str) else None


def _decks_of_set(path: Path) -> tuple[str, ...] | None:
    data = _read(path)
    decks = data.get("decks") if isinstance(data, dict) else None
    return tuple(str(d) for d in decks) if isinstance(decks, list) else None


def _card_file_kind(path: Path) -> str | None:
    """DECK or CHECKLIST for a card file that is there, None for one that is gone."""
    try:
        return (DECK if is_deck(path) else CHECKLIST) if path.is_file() else None
    except OSError:
        return None


def update_index(index: Index, paths: Iterable[Path], options: Options) -> None:
    """Read again what changed files say about dependencies; forget files that are gone."""
    for path in paths:
        kind = kind_of(path, index.root, peek=False)
        if kind == DECK:
            index.decks.pop(path, None)
            index.checklists.pop(path, None)
            card_kind = _card_file_kind(path)
            if card_kind == DECK:
                index.decks[path] = _layout_of(path)
            elif card_kind == CHECKLIST:
                index.checklists[path] = _checklist_layout_of(path)
        elif kind == LAYOUT:
            index.layouts.pop(path.stem, None)
            if path.is_file():
                index.layouts[path.stem] = _extends_of(path)
        elif kind == SET:
            index.sets.pop(path, None)
            if path.is_file():
                index.sets[path] = _decks_of_set(path)
    index.active_sets = frozenset(p for p in index.sets if (options.out / p.stem).is_dir())


def build_index(project: Project, options: Options) -> Index:
    root = project.root.resolve()
    index = Index(root)
    paths = [*sorted((root / "cards").glob("*.yaml")), *sorted((root / "layouts").glob("*.yaml")),
             *sorted((root / "cards" / "sets").glob("*.yaml"))]
    update_index(index, paths, options)
    return index


def _ignored(path: str) -> bool:
    name = Path(path).name
    return name.startswith(".") or name.endswith(("~", ".swp", ".swx", ".tmp")) or bool(re.match(r"^\d+$", name))


class Watcher:
    """Runs plans and prints what happened; never lets a broken file stop the watch."""

    def __init__(self, project: Project, options: Options, preview_dpi: int | None = None, echo=click.echo,
                 reporter: Reporter | None = None):
        self.project = Project(project.root.resolve())
        self.reporter = reporter or Reporter()
        self.options = options
        self.preview_dpi = preview_dpi
        self.echo = echo
        self.index = build_index(self.project, options)

    def initial(self) -> None:
        """Build everything once (sets already in the output too), so the output matches the files."""
        self.run(Plan(decks=tuple(sorted(self.index.decks)), checklists=tuple(sorted(self.index.checklists)),
                      sets=tuple((p, None) for p in sorted(self.index.active_sets))))

    def changed(self, paths: Iterable[Path]) -> Plan:
        paths = [Path(p).resolve() for p in paths]
        update_index(self.index, paths, self.options)
        plan = plan_rebuild(paths, self.index)
        self.run(plan)
        return plan

    def run(self, plan: Plan) -> None:
        for path in plan.decks:
            self._guard(path, lambda: self._deck(path))
        for path in plan.checklists:
            self._guard(path, lambda: self._checklist(path))
        for path, only in plan.sets:
            self._guard(path, lambda: self._set(path, only))

    def _guard(self, path: Path, job) -> None:
        try:
            job()
        except KaartgenError as exc:
            self.reporter.errors(exc.problems)
            self.reporter.fail(msg.NOT_REBUILT(file=self._rel(path)))
        except Exception as exc:  # a bug of ours must not end the watch either
            self.reporter.fail(msg.INTERNAL_WHILE(file=self._rel(path), kind=exc.__class__.__name__, text=str(exc)))

    def _deck(self, path: Path) -> None:
        if not path.is_file():
            self.echo(msg.REMOVED(file=self._rel(path)).render(self.reporter.language))
            return
        for deck in load_all(self.project, [path]):
            self._show(build_deck(deck, self.project, self.options), deck)

    def _checklist(self, path: Path) -> None:
        if not path.is_file():
            self.echo(msg.REMOVED(file=self._rel(path)).render(self.reporter.language))
            return
        self._show(products.build_checklist(self.project, path, self.options))

    def _set(self, path: Path, only) -> None:
        if not path.is_file():
            self.echo(msg.REMOVED(file=self._rel(path)).render(self.reporter.language))
            return
        decks, options = set_decks(path, self.project, self.options, only=set(only) if only is not None else None)
        for deck in decks:
            self._show(build_deck(deck, self.project, options), deck, label=f"{path.stem}/")
        self.index.active_sets = self.index.active_sets | {path}

    def _show(self, result: Result, deck=None, label: str = "") -> None:
        self.reporter.warnings(result.warnings)
        extra = ""
        if self.preview_dpi and deck is not None:
            shown = render_faces(result.files[0], deck, result.files[0].parent / "preview", dpi=self.preview_dpi)
            extra = msg.WITH_PNGS(count=len(shown.files))
        self.echo(msg.REBUILT(time=time.strftime("%H:%M:%S"), deck=f"{label}{result.deck}", pages=result.pages,
                              seconds=round(result.seconds, 2), extra=extra,
                              file=self._rel(result.files[0])).render(self.reporter.language))

    def _rel(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(Path.cwd().resolve()))
        except ValueError:
            return str(path)


def run(project: Project, options: Options, preview_dpi: int | None = None, reporter: Reporter | None = None) -> None:
    """Build, then watch cards/ and layouts/ until Ctrl-C."""
    import logging

    from watchfiles import DefaultFilter, watch

    logging.getLogger("watchfiles").setLevel(logging.ERROR)  # we say "stopped watching" ourselves
    watcher = Watcher(project, options, preview_dpi, reporter=reporter)
    folders = [p for p in (watcher.project.cards, watcher.project.layouts) if p.is_dir()]
    if not folders:
        raise KaartgenError(Problem("", None, None, "", msg.NOTHING_TO_WATCH()))
    default = DefaultFilter()
    names = ", ".join(f"{p.name}/" for p in folders)
    try:
        watcher.initial()
        announced = False
        # yield_on_timeout: the first (empty) yield tells us the watch is in place, so a save made
        # right after "watching" is never missed
        for changes in watch(*folders, watch_filter=lambda change, path: default(change, path) and not _ignored(path),
                             debounce=400, step=30, rust_timeout=250, yield_on_timeout=True,
                             raise_interrupt=False):
            if not announced:
                watcher.reporter.say(msg.WATCHING(folders=names))
                announced = True
            if changes:
                watcher.changed(path for _, path in changes)
    except KeyboardInterrupt:
        pass
    watcher.reporter.say(msg.STOPPED_WATCHING())
