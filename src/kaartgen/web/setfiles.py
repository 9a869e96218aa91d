"""Partnership set files as the web page reads and writes them.

Files are read and written with ruamel.yaml in round-trip mode, so comments and key order
in a hand-written set file survive a save; the file format is the one `kaartgen build --set`
reads. A slug never leaves `cards/sets/`, and a file is replaced only by a complete new one.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from kaartgen.output import write_atomically
from kaartgen.sets import SLUG
from kaartgen.web.dutch import BadInput
from kaartgen.web.uploads import LOGO_TYPES

SETS_DIR = Path("cards") / "sets"
LOGOS_DIR = SETS_DIR / "logos"
SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/set.schema.json\n"


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: keeps comments, order and quoting
    yaml.preserve_quotes = True
    yaml.width = 110
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def slugify(name: str) -> str:
    """'Opleidingsschool Zuid-Oost!' → 'opleidingsschool-zuid-oost'."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    return slug[:60].strip("-") or "set"


@dataclass
class SetFields:
    """What the set form edits; everything else in the file is kept as it is."""

    name: str = ""
    short_name: str = ""
    sector: str = "po"
    primary: str = ""
    secondary: str = ""
    contact: str = ""
    decks: list[str] = field(default_factory=list)
    logo: str = ""
    steps: dict = field(default_factory=dict)  # the set's own step colours; the form shows, not edits them

    @classmethod
    def of(cls, data: dict, all_decks: list[str]) -> "SetFields":
        raw = data.get("set") or {}
        colors = raw.get("colors") or {}
        return cls(name=str(raw.get("name", "")), short_name=str(raw.get("short_name", "")),
                   sector=str(raw.get("sector", "po")), primary=_hex(colors.get("primary")),
                   secondary=_hex(colors.get("secondary")), contact=str(raw.get("contact", "")),
                   decks=list(data.get("decks") or all_decks), logo=str(raw.get("logo", "")),
                   steps={f"step{n}": str(v) for n, v in (colors.get("steps") or {}).items()})

    def apply(self, data: CommentedMap, all_decks: list[str]) -> CommentedMap:
        raw = data.setdefault("set", CommentedMap())
        for key, value in (("name", self.name), ("short_name", self.short_name), ("sector", self.sector),
                           ("logo", self.logo), ("contact", self.contact)):
            _put(raw, key, value.strip())
        colors = raw.get("colors")
        if colors is None:
            colors = CommentedMap()
        _put(colors, "primary", self.primary)
        _put(colors, "secondary", self.secondary)
        _put(raw, "colors", colors if colors else "")
        before = list(data.get("decks") or all_decks)
        if set(self.decks) == set(before):
            return data  # the same decks: keep the file's list (and order) as it is
        chosen = [d for d in before if d in self.decks] + [d for d in all_decks if d in self.decks and d not in before]
        seq = CommentedSeq(chosen)
        seq.fa.set_flow_style()
        data["decks"] = seq
        return data


def _put(mapping: CommentedMap, key: str, value) -> None:
    if value in ("", None):
        mapping.pop(key, None)
    elif mapping.get(key) != value:
        mapping[key] = value


def _hex(value) -> str:
    return str(value) if isinstance(value, str) and value.startswith("#") else ""


class SetStore:
    """The set files of one project folder."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self.folder = self.root / SETS_DIR

    def slugs(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.stem for p in self.folder.glob("*.yaml") if SLUG.match(p.stem))

    def path(self, slug: str) -> Path:
        """The file of `slug`; anything that is not a plain slug, or points elsewhere, is refused."""
        if not isinstance(slug, str) or len(slug) > 80 or not SLUG.match(slug):
            raise BadInput("Deze setnaam kan niet: gebruik alleen kleine letters, cijfers en streepjes.")
        path = (self.folder / f"{slug}.yaml").resolve()
        if path.parent != self.folder.resolve():
            raise BadInput("Deze setnaam kan niet: het bestand zou buiten cards/sets/ komen.")
        return path

    def exists(self, slug: str) -> bool:
        return self.path(slug).is_file()

    def new_slug(self, name: str) -> str:
        base = slugify(name)
        slug, n = base, 2
        while self.exists(slug):
            slug, n = f"{base}-{n}", n + 1
        return slug

    def read(self, slug: str) -> CommentedMap:
        path = self.path(slug)
        if not path.is_file():
            raise BadInput(f"De set '{slug}' bestaat niet (meer).", status=404)
        try:
            data = _yaml().load(path.read_text(encoding="utf-8"))
        except (YAMLError, UnicodeDecodeError) as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" op regel {mark.line + 1}" if mark is not None else ""
            raise BadInput(f"Het bestand cards/sets/{slug}.yaml bevat een fout{where}. Herstel het in een "
                           f"teksteditor; 'kaartgen check --set cards/sets/{slug}.yaml' zegt wat er mis is.")
        if not isinstance(data, CommentedMap):
            raise BadInput(f"Het bestand van set '{slug}' is geen set; open het in een teksteditor.")
        return data

    def dump(self, data: CommentedMap) -> str:
        out = io.StringIO()
        _yaml().dump(data, out)
        text = out.getvalue()
        return text if text.startswith("#") else SCHEMA_LINE + text

    def write(self, slug: str, text: str) -> Path:
        """Write the whole file next to its place and rename it, so a reader never sees half a file."""
        path = self.path(slug)
        return write_file(path, text.encode("utf-8"))

    def logo_path(self, slug: str, ext: str) -> Path:
        self.path(slug)  # the slug is checked there
        return self.root / LOGOS_DIR / f"{slug}.{ext}"

    def remove_other_logos(self, slug: str, used: str | None) -> None:
        """The page's earlier uploads for this set in another file type than the logo it now uses
        (a PNG replaced by a JPEG). Logos placed by hand under other names are left alone."""
        for ext in LOGO_TYPES:
            path = self.logo_path(slug, ext)
            if path.is_file() and (LOGOS_DIR / path.name).as_posix() != used:
                path.unlink()


def write_file(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically([path], lambda temps: temps[0].write_bytes(content))
    return path
