"""A set's deck as the card texts editor shows it: shipped cards, own texts, added and left-out
cards, and the context for editing one card. No web framework here."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from kaartgen.errors import KaartgenError
from kaartgen.web import cardtexts, overrides
from kaartgen.web.cardtexts import CardView, FormField
from kaartgen.web.dutch import BadInput, dutch

NEW_CARD = "nieuwe-kaart"


@dataclass
class DeckSection:
    stem: str
    title: str
    groups: list = field(default_factory=list)
    new_fields: list[FormField] = field(default_factory=list)
    new_problems: dict = field(default_factory=dict)  # field name: Dutch messages, after a failed add
    problems: list[str] = field(default_factory=list)

    def sample(self) -> list[CardView]:
        """The cards the set preview shows: the deck's first card and its first card of a step."""
        cards = [c for g in self.groups for c in g.cards if c.status != "weggelaten"]
        steps = [c for g in self.groups if g.label.startswith("Stap") for c in g.cards if c.status != "weggelaten"]
        return list({c.id: c for c in cards[:1] + steps[:1]}.values())


@dataclass
class CardContext:
    """One card of a set's deck, as the page edits it."""

    deck: object
    options: object
    template: object
    original: dict  # the shipped card's fields ({} for an added card)
    data: object  # the set file (round-trip)
    step_names: dict


class DeckCache:
    """The customised and the shipped deck per (set, deck), loaded again only when a file they
    come from changed: a preview then costs the drawing, not the loading."""

    LIMIT = 32

    def __init__(self):
        self.entries: dict = {}
        self.lock = threading.Lock()

    def get(self, s, slug: str, stem: str):
        path = s.store.path(slug)
        key = (slug, stem, _fingerprint([path, s.project.cards / f"{stem}.yaml", *s.project.layouts.glob("*.yaml")]))
        with self.lock:
            if key in self.entries:
                return self.entries[key]
        deck, options = cardtexts.set_deck(s.project, path, stem)
        sector = _sector(s, slug)
        shipped = cardtexts.shipped_deck(s.project, stem, deck.name, sector)
        with self.lock:
            if len(self.entries) >= self.LIMIT:
                self.entries.pop(next(iter(self.entries)))
            self.entries[key] = (deck, options, shipped)
        return deck, options, shipped


def _fingerprint(paths) -> tuple:
    out = []
    for path in paths:
        try:
            stat = path.stat()
            out.append((str(path), stat.st_mtime_ns, stat.st_size))
        except OSError:
            out.append((str(path), None, None))
    return tuple(out)


def _sector(s, slug: str) -> str | None:
    return str((s.store.read(slug).get("set") or {}).get("sector") or "") or None


def card_context(s, slug: str, stem: str, card_id: str, with_data: bool = False) -> CardContext:
    """The card to edit; `with_data` also reads the set file for writing (round-trip)."""
    deck, options, shipped = s.cache.get(s, slug, stem)
    data = s.store.read(slug) if with_data else None
    names = cardtexts.step_names(shipped) | cardtexts.step_names(deck)
    if card_id == NEW_CARD:
        template = deck.layout.templates[cardtexts.common_template(deck)]
        return CardContext(deck, options, template, {}, data, names)
    card = next((c for c in list(deck.cards) + list(shipped.cards) if c.id == card_id), None)
    if card is None:
        raise BadInput(f"De kaart '{card_id}' bestaat niet in dit hulpmiddel.", status=404)
    original = next((c.fields for c in shipped.cards if c.id == card_id), {})
    return CardContext(deck, options, deck.layout.templates[card.template], dict(original), data, names)


def deck_section(s, slug: str, stem: str, card_state: dict) -> DeckSection:
    try:
        data = s.store.read(slug)
        deck, _, shipped = s.cache.get(s, slug, stem)
    except KaartgenError as exc:
        return DeckSection(stem, stem, problems=[dutch(p) for p in exc.problems])
    added = overrides.added_ids(data, stem)
    replaced = overrides.replaced_ids(data, stem)
    removed = overrides.removed_ids(data, stem)
    shown = list(deck.cards) + [c for c in shipped.cards if c.id in removed]
    views = []
    for card in shown:
        status = ("weggelaten" if card.id in removed else "toegevoegd" if card.id in added
                  else "aangepast" if card.id in replaced else "standaard")
        values, problems = card_state.get(card.id, (card.fields, {}))
        views.append(CardView(card.id, card.template, str(card.fields.get("title") or card.id), status,
                              cardtexts.form_fields(deck.layout.templates[card.template], values), problems))
    fields = {c.id: c.fields for c in shown}
    template = cardtexts.common_template(deck)
    short = str((data.get("set") or {}).get("short_name") or "")
    values, problems = card_state.get(NEW_CARD, ({"source": f"Eigen kaart van {short}".strip()}, {}))
    section = DeckSection(stem, str(deck.meta.get("title", stem)), cardtexts.group_by_step(views, fields),
                          cardtexts.form_fields(deck.layout.templates[template], values))
    section.new_problems = problems
    return section
