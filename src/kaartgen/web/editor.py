"""The set editor page: the set's fields, its colour warnings and the chosen deck's cards."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from kaartgen.errors import KaartgenError
from kaartgen.layouts import resolve_color
from kaartgen.model import Color
from kaartgen.web import colours
from kaartgen.web.common import page, site
from kaartgen.web.deckview import deck_section
from kaartgen.web.setfiles import SetFields
from kaartgen.yamlio import load_file

SECTORS = (("po", "po – primair onderwijs"), ("vo", "vo – voortgezet onderwijs"), ("mbo", "mbo"))


async def render_editor(request: Request, slug: str, fields: SetFields, problems: dict, status: int = 200,
                        saved: bool = False, card_state: dict | None = None):
    s = site(request)
    chosen = request.query_params.get("deck") or (fields.decks[0] if fields.decks else "")
    if chosen not in fields.decks and fields.decks:
        chosen = fields.decks[0]
    section = await run_in_threadpool(deck_section, s, slug, chosen, card_state or {}) if chosen else None
    warnings = colour_warnings(s, fields)
    defaults = default_colours(s)
    return page(request, "set.html", status=status, slug=slug, f=fields, problems=problems, warnings=warnings,
                all_decks=s.deck_names(), sectors=SECTORS, deck=chosen, section=section, saved=saved,
                default_primary=defaults.get("primary", "#000000"),
                default_secondary=defaults.get("secondary", "#ffffff"), open_card=request.query_params.get("kaart"))


def house_colours(s) -> dict[str, Color]:
    """The colours every layout starts from (layouts/base.yaml): defaults and step colours."""
    raw = load_file(s.project.layouts / "base.yaml").data.get("colors") or {}
    resolved = {name: resolve_color(value, raw) for name, value in raw.items()}
    return {name: color for name, color in resolved.items() if color is not None}


def default_colours(s) -> dict[str, str]:
    named = house_colours(s)
    return {name: colours.to_hex(named[name]) for name in ("primary", "secondary") if name in named}


def step_colours(s) -> dict[str, Color]:
    return {name: color for name, color in house_colours(s).items() if name[:4] == "step" and name[4:].isdigit()}


def colour_warnings(s, fields: SetFields) -> dict[str, list[str]]:
    out = {}
    try:
        if fields.primary:
            own = {name: Color.from_hex(value) for name, value in fields.steps.items() if value.startswith("#")}
            out["primary"] = colours.check_primary(fields.primary, step_colours(s) | own)
        if fields.secondary:
            out["secondary"] = colours.check_secondary(fields.secondary)
    except (ValueError, KaartgenError):
        pass  # not a colour: the save says so next to the field
    return {k: v for k, v in out.items() if v}
