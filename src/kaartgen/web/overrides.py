"""Card changes of a set, written as the set file's `overrides.<deck>` (replace / add / remove),
the same keys `decks.apply_patch` reads."""

from __future__ import annotations

import re

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from kaartgen.web.setfiles import slugify


def _patch(data: CommentedMap, deck: str) -> CommentedMap:
    overrides = data.setdefault("overrides", CommentedMap())
    return overrides.setdefault(deck, CommentedMap())


def _tidy(data: CommentedMap, deck: str) -> None:
    """Drop empty parts, so a set without changes has no `overrides` left."""
    overrides = data.get("overrides") or {}
    patch = overrides.get(deck)
    if patch is not None:
        for key in ("replace", "add", "remove"):
            if key in patch and not patch[key]:
                del patch[key]
        if not patch:
            del overrides[deck]
    if "overrides" in data and not overrides:
        del data["overrides"]


def _yaml_value(value):
    if isinstance(value, list):
        return CommentedSeq(value)
    return value


def added_ids(data: dict, deck: str) -> list[str]:
    patch = ((data.get("overrides") or {}).get(deck)) or {}
    return [str(card.get("id")) for card in patch.get("add") or [] if isinstance(card, dict)]


def removed_ids(data: dict, deck: str) -> list[str]:
    patch = ((data.get("overrides") or {}).get(deck)) or {}
    return [str(card_id) for card_id in patch.get("remove") or []]


def replaced_ids(data: dict, deck: str) -> list[str]:
    patch = ((data.get("overrides") or {}).get(deck)) or {}
    return [str(card_id) for card_id in patch.get("replace") or {}]


def change_card(data: CommentedMap, deck: str, card_id: str, changed: dict, original: dict) -> None:
    """Keep only the fields that differ from the shipped card; an added card is edited in place."""
    patch = _patch(data, deck)
    for card in patch.get("add") or []:
        if str(card.get("id")) == card_id:
            for key, value in changed.items():
                if value in ("", None, []):
                    card.pop(key, None)
                else:
                    card[key] = _yaml_value(value)
            return
    differs = {k: v for k, v in changed.items() if original.get(k) != v}
    replace = patch.setdefault("replace", CommentedMap())
    entry = replace.get(card_id) or CommentedMap()
    for key in list(entry):
        if key in changed and key not in differs:
            del entry[key]
    for key, value in differs.items():
        entry[key] = _yaml_value(value)
    if entry:
        replace[card_id] = entry
    else:
        replace.pop(card_id, None)
    _tidy(data, deck)


def add_card(data: CommentedMap, deck: str, fields: dict, taken: list[str], short_name: str) -> str:
    """Append a card with a generated id (from the set's short name and the title); returns the id."""
    stem = slugify(f"{short_name} {fields.get('title') or 'kaart'}")[:40].strip("-")
    card_id, n = stem, 2
    while card_id in taken:
        card_id, n = f"{stem}-{n}", n + 1
    card = CommentedMap(id=card_id)
    for key, value in fields.items():
        if value not in ("", None, []):
            card[key] = _yaml_value(value)
    _patch(data, deck).setdefault("add", CommentedSeq()).append(card)
    return card_id


def leave_out(data: CommentedMap, deck: str, card_id: str) -> None:
    """An added card is deleted; a shipped card goes on the `remove` list."""
    patch = _patch(data, deck)
    added = patch.get("add") or []
    for i, card in enumerate(added):
        if str(card.get("id")) == card_id:
            del added[i]
            _tidy(data, deck)
            return
    removed = patch.setdefault("remove", CommentedSeq())
    if card_id not in [str(r) for r in removed]:
        removed.append(card_id)
    (patch.get("replace") or {}).pop(card_id, None)
    _tidy(data, deck)


def restore(data: CommentedMap, deck: str, card_id: str) -> None:
    """Back to the shipped card: no longer left out, no own text."""
    patch = _patch(data, deck)
    removed = patch.get("remove") or []
    for i in reversed(range(len(removed))):
        if str(removed[i]) == card_id:
            del removed[i]
    (patch.get("replace") or {}).pop(card_id, None)
    _tidy(data, deck)


ID_SAFE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,80}$")
