"""Watch mode: rebuild what a saved file affects, print problems, keep watching.

`plan_rebuild` is the whole decision, a pure function of the changed paths and an `Index`
(which layout each deck names, what each layout extends, which decks each set includes).
`Watcher` keeps the index up to date, runs the plan and prints the outcome.

What a change rebuilds:
- a deck file in cards/ → that deck (all its variants);
- a layout → every deck whose layout, or a layout it `extends`, has that name
  (and decks whose file could not be read, because we do not know their layout);
- a set file in cards/sets/ → that set;
- an image or a font (a logo, say) → every deck;
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

from kaartgen.build import Options, Project, build_deck
from kaartgen.decks import _is_deck, load_decks
from kaartgen import messages as msg
from kaartgen.errors import KaartgenError, Problem, Reporter

UNKNOWN = None  # a deck's layout, or a layout's parent, that could not be read
ASSET_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp", ".tif", ".tiff", ".ttf", ".otf")


@dataclass
class Index:
    """What the rebuild decision needs to know about the project, all paths absolute."""

    root: Path
    decks: dict[Path, str | None] = field(default_factory=dict)  # deck file → layout name (None: unknown)
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

    def __bool__(self) -> bool:
        return bool(self.decks or self.sets)


def kind_of(path: Path, root: Path) -> str:
    """'deck', 'set', 'layout', 'asset' (an image or font) or 'other' for a path in the project."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return "other"
    if path.suffix in (".yaml", ".yml"):
        if len(parts) == 2 and parts[0] == "cards":
            return "deck"
        if len(parts) == 3 and parts[:2] == ("cards", "sets"):
            return "set"
        if len(parts) == 2 and parts[0] == "layouts":
            return "layout"
    if path.suffix.lower() in ASSET_SUFFIXES:
        return "asset"
    return "other"


def plan_rebuild(changed: Iterable[Path], index: Index) -> Plan:
    """Which decks and sets to rebuild after `changed` (absolute paths) were saved, added or removed."""
    decks: set[Path] = set()
    sets: dict[Path, set[str] | None] = {}
    everything = False
    for path in changed:
        kind = kind_of(path, index.root)
        if kind == "deck":
            if path in index.decks:  # not a checklist, and still there
                decks.add(path)
        elif kind == "set":
            if path in index.sets:
                sets[path] = None
        elif kind == "layout":
            name = path.stem
            decks |= {deck for deck, layout in index.decks.items()
                      if layout is UNKNOWN or name in index.chain(layout)}
        elif kind == "asset":
            everything = True
    if everything:
        decks = set(index.decks)
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
    return Plan(decks=tuple(sorted(decks)),
                sets=tuple((path, frozenset(wanted) if wanted is not None else None)
                           for path, wanted in sorted(sets.items())))


def _read(path: Path):
    """The YAML data of a file, or None when it cannot be read (its build will report why)."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return None


def _layout_of(path: Path) -> str | None:
    data = _read(path)
    try:
        layout = data["deck"]["layout"]
    except (TypeError, KeyError):
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


def _is_deck_file(path: Path) -> bool:
    try:
        return path.is_file() and _is_deck(path)
    except OSError:
        return False


def update_index(index: Index, paths: Iterable[Path], options: Options) -> None:
    """Read again what changed files say about dependencies; forget files that are gone."""
    for path in paths:
        kind = kind_of(path, index.root)
        if kind == "deck":
            index.decks.pop(path, None)
            if _is_deck_file(path):
                index.decks[path] = _layout_of(path)
        elif kind == "layout":
            index.layouts.pop(path.stem, None)
            if path.is_file():
                index.layouts[path.stem] = _extends_of(path)
        elif kind == "set":
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
        """Build every deck once (sets already in the output too), so the output matches the files."""
        self.run(Plan(decks=tuple(sorted(self.index.decks)),
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
            self.echo(f"{self._rel(path)}: removed")
            return
        for deck in load_decks(path, self.project.layouts):
            self._build(deck, self.options)

    def _set(self, path: Path, only) -> None:
        from kaartgen.sets import set_decks

        if not path.is_file():
            self.echo(f"{self._rel(path)}: removed")
            return
        decks, options = set_decks(path, self.project, self.options, only=set(only) if only is not None else None)
        for deck in decks:
            self._build(deck, options, label=f"{path.stem}/")
        self.index.active_sets = self.index.active_sets | {path}

    def _build(self, deck, options: Options, label: str = "") -> None:
        result = build_deck(deck, self.project, options)
        self.reporter.warnings(result.warnings)
        extra = ""
        if self.preview_dpi:
            from kaartgen.preview import render_faces
            shown = render_faces(result.files[0], deck, result.files[0].parent / "preview", dpi=self.preview_dpi)
            extra = f", {len(shown.files)} PNG(s)"
        self.echo(f"{time.strftime('%H:%M:%S')} {label}{result.deck}: {result.pages} pages in "
                  f"{result.seconds:.2f} s{extra} -> {self._rel(result.files[0])}")

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
                click.echo(f"watching {names} for changes (Ctrl-C to stop)")
                announced = True
            if changes:
                watcher.changed(path for _, path in changes)
    except KeyboardInterrupt:
        pass
    click.echo("stopped watching")
