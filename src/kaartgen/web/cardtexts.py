"""The cards of one deck as the card texts editor shows them: grouped by step, each with a form
derived from its layout template's declared fields, and a one-card preview rendered by the same
code as `kaartgen preview` (same pixels)."""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from kaartgen.build import Options, Project, build_deck
from kaartgen.decks import Customisation, card_schema, load_decks
from kaartgen.errors import KaartgenError, Problem, Where
from kaartgen.model import Card, Deck, FieldSpec, Template
from kaartgen.preview import DEFAULT_DPI, render_faces
from kaartgen.schema import Checker
from kaartgen.sets import set_decks
from kaartgen.web.dutch import BadInput
from kaartgen.yamlio import Doc

FORM_FILE = "formulier"
# Fields the page fills in itself: a step's name follows from its number.
DERIVED = {"step_name": "step"}
LIST_KINDS = ("list",)


@dataclass
class FormField:
    name: str
    label: str
    kind: str  # text, textarea, lines, choice, number
    required: bool
    value: str = ""
    choices: tuple = ()
    max_length: int | None = None
    max_items: int | None = None
    hint: str = ""

    @property
    def rows(self) -> int:
        """Enough lines for the text (about 70 characters a line), within reason."""
        lines = sum(1 + len(line) // 70 for line in self.value.split("\n"))
        return min(max(lines + (1 if self.kind == "lines" else 0), 2), 14)


@dataclass
class CardView:
    id: str
    template: str
    title: str
    status: str  # standaard, aangepast, toegevoegd, weggelaten
    fields: list[FormField]
    problems: dict = field(default_factory=dict)  # field name: Dutch messages

    @property
    def excerpt(self) -> str:
        """The card's first text after its title, to recognise it in the list."""
        for item in self.fields:
            if item.name != "title" and item.kind in ("lines", "textarea", "text") and item.value:
                first = item.value.split("\n")[0]
                return first if len(first) <= 90 else first[:88] + "…"
        return ""


@dataclass
class StepGroup:
    label: str
    cards: list[CardView] = field(default_factory=list)


LABELS = {
    "title": "Titel", "subtitle": "Ondertitel", "text": "Tekst", "text_more": "Tekst (vervolg)",
    "questions": "Vragen", "questions_title": "Kop boven de vragen", "aandachtspunten": "Aandachtspunten",
    "audience": "Voor wie", "step": "Stap", "source": "Bron", "intro": "Inleiding", "prompt": "Vraag",
    "owner": "Invulregels (partnerschap, eigenaar, datum)", "legend_title": "Kop van de uitleg",
    "legend_nieuw": "Uitleg bij ‘nieuw’", "legend_deelnemend": "Uitleg bij ‘deelnemend’",
    "agreements_title": "Kop boven de afspraken", "bring_label": "Kop ‘wat breng ik in’",
    "bring_prompts": "Vragen bij ‘wat breng ik in’", "take_label": "Kop ‘wat neem ik mee’",
    "take_prompts": "Vragen bij ‘wat neem ik mee’", "notes_label": "Kop boven de notities",
    "centre": "Tekst in het midden", "sector_label": "Sector (op de kaart)", "sector_title": "Kop bij de sector",
    "sector_points": "Punten voor de sector", "mode": "Soort", "suit": "Kleur (reeks)", "page": "Pagina",
    "pages": "Aantal pagina's", "respondents": "Aantal deelnemers", "form": "Formulier", "version": "Versie",
}


def label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " ").capitalize())


def editable(template: Template) -> dict[str, FieldSpec]:
    """The fields a person fills in: declared ones, minus those derived from another field."""
    return {name: spec for name, spec in template.fields.items()
            if spec.type != "items" and not (name in DERIVED and DERIVED[name] in template.fields)}


def form_fields(template: Template, values: dict) -> list[FormField]:
    out = []
    for name, spec in editable(template).items():
        value = values.get(name, "")
        kind = _kind(spec)
        shown = "\n".join(str(v) for v in value) if isinstance(value, list) else str(value)
        hint = "Eén per regel." if kind == "lines" else ""
        if spec.max_items:
            hint += f" Hooguit {spec.max_items} regels."
        out.append(FormField(name, label(name), kind, spec.required, shown, tuple(spec.choices),
                             spec.max_length, spec.max_items, hint.strip()))
    return out


def _kind(spec: FieldSpec) -> str:
    if spec.type in LIST_KINDS:
        return "lines"
    if spec.type == "choice":
        return "choice"
    if spec.type == "int":
        return "number"
    return "text" if spec.max_length and spec.max_length <= 100 else "textarea"


def parse_form(template: Template, form: dict, step_names: dict) -> dict:
    """Form strings → card field values of the right type; derived fields filled in."""
    values: dict = {}
    for name, spec in editable(template).items():
        raw = str(form.get(name, "")).replace("\r\n", "\n").strip()
        if spec.type in LIST_KINDS:  # an empty list is kept: it clears a shipped card's list
            values[name] = [line.strip() for line in raw.split("\n") if line.strip()]
        elif spec.type == "choice":
            match = [c for c in spec.choices if str(c) == raw]
            values[name] = match[0] if match else raw
        elif spec.type == "int":
            values[name] = int(raw) if raw.lstrip("-").isdigit() else raw
        elif raw or spec.required:
            values[name] = raw
    for name, source in DERIVED.items():
        if name in template.fields and source in template.fields:
            values[name] = step_names.get(values.get(source), "")
    return values


def step_names(deck: Deck) -> dict:
    out = {}
    for card in deck.cards:
        if "step" in card.fields and card.fields.get("step_name"):
            out.setdefault(card.fields["step"], card.fields["step_name"])
    return out


def common_template(deck: Deck) -> str:
    """The template most cards use: the one a new card gets."""
    counts = Counter(card.template for card in deck.cards)
    return counts.most_common(1)[0][0] if counts else next(iter(deck.layout.templates))


def shipped_deck(project: Project, stem: str, name: str, sector: str | None) -> Deck:
    decks = load_decks(project.cards / f"{stem}.yaml", project.layouts, Customisation(sector=sector))
    return next((d for d in decks if d.name == name), decks[0])


def set_deck(project: Project, set_path: Path, stem: str) -> tuple[Deck, Options]:
    """The deck as the set changes it, and the options that give it the set's name and logo."""
    decks, options = set_decks(set_path, project, Options(out=Path(tempfile.gettempdir())), only={stem})
    if not decks:
        raise BadInput(f"'{stem}' hoort niet bij deze set. Kies een hulpmiddel uit de lijst.", status=404)
    return decks[0], options


def group_by_step(views: list[CardView], cards: dict[str, dict]) -> list[StepGroup]:
    groups: dict = {}
    for view in views:
        fields = cards.get(view.id, {})
        step = fields.get("step")
        key = f"Stap {step} · {fields.get('step_name', '')}".rstrip(" ·") if step is not None else "Overige kaarten"
        groups.setdefault(key, StepGroup(key)).cards.append(view)
    return list(groups.values())


def check_fields(template: Template, values: dict, card_id: str) -> list[Problem]:
    doc = Doc(FORM_FILE, values)
    checker = Checker(doc)
    card_schema(template.fields).check({"id": card_id, **values}, (), checker)
    return checker.problems


def form_card(card_id: str, template: str, values: dict) -> Card:
    """A card from form values; problems found while drawing point at the form field."""
    keys = {name: (FORM_FILE, None, None, name) for name in values}
    return Card(id=card_id, template=template, fields=values, where=Where(f"{FORM_FILE}:1:1", "", keys))


def fast_temp() -> str | None:
    """A folder in memory where there is one (Linux): the build syncs its files to disk before it
    renames them, which costs tens of milliseconds on a busy disk for a file read once and deleted."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def front_only(deck: Deck, template: str) -> Deck:
    """The deck without the back of `template`: the page shows fronts, and skipping the back
    halves the drawing. The front's pixels are the same as with the back."""
    templates = dict(deck.layout.templates)
    templates[template] = replace(templates[template], back=None, back_face=None, shared_back=False)
    return replace(deck, layout=replace(deck.layout, templates=templates))


@dataclass
class Rendered:
    png: bytes | None
    problems: list[Problem]
    warnings: list[Problem]


MAX_PIXELS = 1000  # longest side of a preview image: a card keeps kaartgen preview's 150 dpi, a poster gets less


def preview_dpi(deck: Deck) -> int:
    """`kaartgen preview`'s resolution, lowered for large faces (A4, A3) so they stay quick to send."""
    longest_inches = max(deck.layout.width, deck.layout.height) / 72
    return max(30, min(DEFAULT_DPI, int(MAX_PIXELS / longest_inches)))


def render_card(project: Project, deck: Deck, options: Options, card: Card, dpi: int | None = None,
                lenient: bool = False) -> Rendered:
    """The card's front as PNG bytes, through `kaartgen preview`'s own code (as `kaartgen preview
    --dpi N` would draw it; N from `preview_dpi` unless given).

    `lenient`: the fields already failed their checks (a missing or mistyped value), so drawing
    may fail in ways those checks explain; then there is simply no image.
    """
    subset = front_only(replace(deck, cards=[card]), card.template)
    with tempfile.TemporaryDirectory(prefix="kaartgen-web-preview-", dir=fast_temp()) as temp:
        try:
            # what preview_deck does, keeping the build's warnings (contrast) for the page
            result = build_deck(subset, project, replace(options, out=Path(temp)))
            render_faces(result.files[0], subset, Path(temp), dpi=dpi or preview_dpi(deck), sheet=False,
                         tidy=False)
        except KaartgenError as exc:
            return Rendered(None, exc.problems, [])
        except Exception:
            if not lenient:
                raise
            return Rendered(None, [], [])
        return Rendered((Path(temp) / f"{card.id}-front.png").read_bytes(), [], result.warnings)
