"""Load and validate a deck file: its cards, their template fields, and its variants."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from pathlib import Path

from kaartgen import formats
from kaartgen import messages as msg
from kaartgen.errors import KaartgenError, Problem, Where
from kaartgen.layouts import load_layout
from kaartgen.model import Card, Deck, FieldSpec, Layout
from kaartgen.output import name_problem
from kaartgen.schema import Checker, Enum, ListOf, Map, Num, Schema, Str, suggest, type_name, validate
from kaartgen.yamlio import Doc, format_path, load_file

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
DEFAULT_TEMPLATE = "card"


SECTORS = ("po", "vo", "mbo")


@dataclass(frozen=True)
class Customisation:
    """What a partnership set changes in a deck: sector, card overrides, colours."""

    sector: str | None = None
    patch: dict | None = None
    patch_doc: Doc | None = None
    patch_path: tuple = ()
    colors: dict = field(default_factory=dict)


def load_decks(path: Path, layouts_dir: Path, custom: Customisation | None = None) -> list[Deck]:
    """The deck in `path`, or one deck per variant when the file declares variants.

    With a sector, only that sector's variant is made and cards meant for other sectors drop out.
    """
    custom = custom or Customisation()
    doc = load_file(path)
    if doc.data is None:
        raise KaartgenError(Problem(doc.file, None, None, "", msg.EMPTY_DECK_FILE()))
    problems = validate(doc, formats.DECK)
    if not problems:
        problems += _group_problems(doc, doc.data["cards"], ("cards",)) if isinstance(doc.data["cards"], list) else []
        for variant, patch in (doc.data.get("variants") or {}).items():
            problems += _group_problems(doc, (patch or {}).get("add") or [], ("variants", variant, "add"))
    layout, layout_problems = _deck_layout(doc, layouts_dir)
    if problems or layout is None:
        raise KaartgenError(problems + layout_problems)
    meta = {k: str(v) for k, v in doc.data["deck"].items()}
    if custom.colors:
        layout = replace(layout, colors={**layout.colors, **custom.colors})
    cards_doc = _spreadsheet(path, doc, layout) if isinstance(doc.data["cards"], dict) else doc
    entries = [e for e in _flatten(cards_doc.data["cards"], ("cards",))
               if custom.sector is None or custom.sector in e[0].get("sectors", SECTORS)]
    variants = doc.data.get("variants") or {}
    problems = [doc.problem(("variants", v), msg.VARIANT_NAME(text=name_problem(str(v))))
                for v in variants if name_problem(str(v))]
    if problems:  # a variant names its output folder
        raise KaartgenError(problems)
    if custom.sector in variants:
        variants = {custom.sector: variants[custom.sector]}
    jobs = [(f"{path.stem}-{v}", patch, ("variants", v)) for v, patch in variants.items()] or [(path.stem, None, ())]
    decks, all_problems = [], list(layout_problems)
    for name, patch, patch_path in jobs:
        try:
            deck_meta, deck_entries = apply_patch(doc, meta, entries, patch, patch_path) if patch else (meta, entries)
            if custom.patch:
                deck_meta, deck_entries = apply_patch(doc, deck_meta, deck_entries, custom.patch,
                                                      custom.patch_path, custom.patch_doc)
            decks.append(_make_deck(name, doc, deck_meta, layout, deck_entries, custom.patch_doc, cards_doc))
        except KaartgenError as exc:
            all_problems += exc.problems
            decks += [exc.partial] if exc.partial else []
    if all_problems:
        raise KaartgenError(all_problems, partial=decks)
    return decks


def _deck_layout(doc: Doc, layouts_dir: Path) -> tuple[Layout | None, list[Problem]]:
    """The deck's layout, loaded even when the deck has problems, so one run reports both; a layout
    that could be made despite its problems (an unknown colour, say) comes with them."""
    deck = doc.data.get("deck") if isinstance(doc.data, dict) else None
    name = deck.get("layout") if isinstance(deck, dict) else None
    if name is None or isinstance(name, (dict, list)):  # the deck's own problems say so
        return None, []
    try:
        return load_layout(str(name), layouts_dir, doc.problem(("deck", "layout"), "")), []
    except KaartgenError as exc:
        return exc.partial, exc.problems


def _spreadsheet(path: Path, doc: Doc, layout: Layout) -> Doc:
    """The cards of `cards: {from: vragen.xlsx, sheet: …}`, read beside the deck file."""
    from kaartgen import sheets
    source = doc.data["cards"]
    fields = {name: spec for template in layout.templates.values() for name, spec in template.fields.items()}
    return sheets.load_cards(path.parent / str(source["from"]), source.get("sheet"), fields,
                             doc.problem(("cards", "from"), ""))


Entry = tuple  # (fields: dict, path: tuple) for one card


def _is_group(entry: dict) -> bool:
    return "with" in entry or ("cards" in entry and "id" not in entry)


def _group_problems(doc: Doc, raw: list, path: tuple) -> list[Problem]:
    """Groups ({with: {...}, cards: [...]}) nest, so the schema cannot look inside them; check here."""
    checker = Checker(doc)

    def walk(entries, path):
        for i, entry in enumerate(entries):
            at = path + (i,)
            if not isinstance(entry, dict):
                checker.fail(at, msg.EXPECTED_CARD(got=type_name(entry)))
            elif _is_group(entry):
                if not isinstance(entry.get("with") or {}, dict):
                    checker.fail(at + ("with",), msg.EXPECTED_GROUP_FIELDS(got=type_name(entry["with"])))
                for key in entry:
                    if key not in ("with", "cards"):
                        checker.fail(at + (key,), msg.GROUP_STRAY_KEY(key=key))
                if not isinstance(entry.get("cards") or [], list):
                    checker.fail(at + ("cards",), msg.EXPECTED_CARD_LIST(got=type_name(entry["cards"])))
                else:
                    walk(entry.get("cards") or [], at + ("cards",))
    if isinstance(raw, list):
        walk(raw, path)
    return checker.problems


def _flatten(raw: list, path: tuple, inherited: dict | None = None):
    """Cards in order; an entry {with: {...}, cards: [...]} gives its fields to a group."""
    for i, entry in enumerate(raw):
        if "with" in entry or ("cards" in entry and "id" not in entry):
            shared = {**(inherited or {}), **(entry.get("with") or {})}
            yield from _flatten(entry.get("cards") or [], path + (i, "cards"), shared)
        else:
            yield {**(inherited or {}), **entry}, path + (i,)


def apply_patch(doc: Doc, meta: dict, entries: list, patch: dict, path: tuple, patch_doc: Doc | None = None):
    """Replace fields by card id, add cards, leave cards out; ids that do not exist are errors."""
    patch_doc = patch_doc or doc
    problems = _group_problems(patch_doc, patch.get("add") or [], path + ("add",))
    if problems:
        raise KaartgenError(problems)
    ids = [fields.get("id") for fields, _ in entries]
    out = [(copy.deepcopy(fields), where) for fields, where in entries]
    for card_id, fields in (patch.get("replace") or {}).items():
        if card_id not in ids:
            problems.append(patch_doc.problem(path + ("replace", card_id), no_card(card_id, ids)))
            continue
        index = ids.index(card_id)
        out[index] = ({**out[index][0], **fields}, out[index][1])
    for j, card_id in enumerate(patch.get("remove") or []):
        if card_id not in ids:
            problems.append(patch_doc.problem(path + ("remove", j), no_card(card_id, ids)))
    removed = {str(card_id) for card_id in patch.get("remove") or []}
    out = [(fields, where) for fields, where in out if str(fields.get("id")) not in removed]
    for fields, where in _flatten(patch.get("add") or [], path + ("add",)):
        _place_with_step(out, (dict(fields), ("@patch",) + where))
    if problems:
        raise KaartgenError(problems)
    return {**meta, **{k: str(v) for k, v in (patch.get("deck") or {}).items()}}, out


def _place_with_step(entries: list, entry: tuple) -> None:
    """An added card goes right after the last card of its step, or at the end if no card shares it."""
    step = entry[0].get("step")
    same = [i for i, (fields, _) in enumerate(entries) if step is not None and str(fields.get("step")) == str(step)]
    entries.insert(same[-1] + 1 if same else len(entries), entry)


def no_card(card_id, ids: list) -> msg.Said:
    return msg.NO_CARD_WITH_ID(id=card_id, hint=suggest(str(card_id), [str(i) for i in ids]))


def _make_deck(name: str, doc: Doc, meta: dict, layout: Layout, entries: list, patch_doc: Doc | None = None,
               cards_doc: Doc | None = None) -> Deck:
    checker = Checker(doc)
    cards: list[Card] = []
    seen: dict[str, tuple] = {}
    for fields, where in entries:
        source = cards_doc or doc
        if where and where[0] == "@patch":
            source, where = (patch_doc or doc), where[1:]
        card_checker = Checker(source)
        card = _make_card(fields, where, layout, card_checker)
        checker.problems += card_checker.problems
        if card is None:
            continue
        if card.id in seen:
            line, _ = source.where(seen[card.id])
            checker.problems.append(source.problem(where + ("id",), msg.DUPLICATE_CARD_ID(id=card.id, line=line)))
            continue
        seen[card.id] = where
        cards.append(card)
    if not entries:
        checker.fail(("cards",), msg.NO_CARDS())
    deck = Deck(name=name, file=doc.file, meta=meta, layout=layout, cards=cards, meta_where=_meta_where(doc, meta))
    if checker.problems:
        raise KaartgenError(checker.problems, partial=deck)
    return deck


def _meta_where(doc: Doc, meta: dict) -> dict:
    """Where the deck's own values were written (not those a variant or set changed), so a problem
    with {deck.title} on a card points at the deck file."""
    written = doc.data.get("deck") or {}
    return {f"deck.{k}": (doc.file, *doc.where(("deck", k)), f"deck.{k}") for k, v in meta.items()
            if ("deck", k) in doc.marks and str(written.get(k)) == v}


def _make_card(fields: dict, path: tuple, layout: Layout, checker: Checker) -> Card | None:
    template_name = fields.get("template", DEFAULT_TEMPLATE)
    template = layout.templates.get(template_name) if isinstance(template_name, str) else None
    if not isinstance(template_name, str):
        checker.fail(path + ("template",), msg.EXPECTED_TEMPLATE_NAME(got=type_name(template_name)))
        return None
    if template is None:
        at = path + ("template",) if "template" in fields else path
        checker.fail(at, msg.UNKNOWN_TEMPLATE(layout=layout.name, name=template_name, choices=list(layout.templates),
                                              hint=suggest(str(template_name), list(layout.templates))))
        return None
    schema = card_schema(template.fields)
    before = len(checker.problems)
    schema.check(fields, path, checker)
    if len(checker.problems) > before:
        return None
    doc = checker.doc
    file, line, column = doc.position(path)
    values = {k: v for k, v in fields.items() if k not in ("id", "template", "sectors")}
    # Where each field was written, so a problem found while drawing (a missing glyph, an image)
    # points at the card's own line rather than at the layout.
    keys = {k: (*doc.position(path + (k,)), format_path(path + (k,), doc.data)) for k in values
            if path + (k,) in doc.marks}
    return Card(id=str(fields["id"]), template=template_name, fields=values,
                where=Where(f"{file}:{line or ''}:{column or ''}", format_path(path, doc.data), keys))


def card_schema(fields: dict[str, FieldSpec]) -> Map:
    declared = {name: field_schema(spec) for name, spec in fields.items()}
    declared["id"] = Str(pattern=ID_PATTERN, pattern_hint=msg.ID_CHARACTERS())
    declared["template"] = Str()
    declared["sectors"] = ListOf(Enum(SECTORS), min_items=1, description="only for sets of these sectors")
    required = ("id",) + tuple(name for name, spec in fields.items() if spec.required)
    return Map(declared, required=required)


def field_schema(spec: FieldSpec) -> Schema:
    if spec.type == "list":
        return ListOf(Str(max_length=spec.max_length), min_items=spec.min_items or 0, max_items=spec.max_items)
    if spec.type == "int":
        return Num(integer=True, minimum=spec.minimum, maximum=spec.maximum)
    if spec.type == "choice":
        return Enum(spec.choices)
    if spec.type == "items":
        item = Map({f.name: field_schema(f) for f in spec.fields},
                   required=tuple(f.name for f in spec.fields if f.required))
        return ListOf(item, min_items=spec.min_items or 0, max_items=spec.max_items)
    return Str(max_length=spec.max_length)
