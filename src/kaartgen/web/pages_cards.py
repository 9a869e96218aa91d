"""The card texts editor: change, add or leave out a card of a set's deck, with live preview."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from kaartgen import messages as msg
from kaartgen.errors import Problem
from kaartgen.web import cardtexts, overrides
from kaartgen.web.common import by_field, checked_form, data_url, site
from kaartgen.web.deckview import NEW_CARD, CardContext, card_context
from kaartgen.web.dutch import BadInput, dutch
from kaartgen.web.editor import render_editor
from kaartgen.web.setfiles import SetFields


def _edited(ctx: CardContext, card_id: str, form) -> tuple[dict, list]:
    """The card's values after the edit (fields the form does not show stay as shipped), and
    their problems. A set can replace a shipped card's text but not remove it, so emptying an
    optional text the shipped card has is a problem at that field."""
    editable = cardtexts.editable(ctx.template)
    values = cardtexts.parse_form(ctx.template, dict(form), ctx.step_names)
    values = {**{k: v for k, v in ctx.original.items() if k not in editable}, **values}
    problems = cardtexts.check_fields(ctx.template, values, card_id)
    problems += [Problem(cardtexts.FORM_FILE, None, None, name, msg.OWN_TEXT_EMPTY())
                 for name in editable if name not in values and ctx.original.get(name)]
    return values, problems


def _params(request: Request) -> tuple[str, str, str]:
    p = request.path_params
    card_id = p.get("card", NEW_CARD)
    if not overrides.ID_SAFE.match(card_id):
        raise BadInput("Deze kaartnaam kan niet.", status=404)
    return p["slug"], p["deck"], card_id


def preview_card(s, slug: str, stem: str, card_id: str, form: dict) -> dict:
    """The card drawn with the form's values, and every problem at once: the field checks and
    what drawing finds (text that does not fit), even when a field check already failed."""
    ctx = card_context(s, slug, stem, card_id)
    values, problems = _edited(ctx, card_id, form)
    card = cardtexts.form_card(card_id, ctx.template.name, values)
    rendered = cardtexts.render_card(s.project, ctx.deck, ctx.options, card, lenient=bool(problems))
    return {"image": data_url(rendered.png), "problems": by_field(problems + rendered.problems, "algemeen"),
            "warnings": by_field(rendered.warnings, "algemeen")}


async def card_preview(request: Request):
    slug, stem, card_id = _params(request)
    form = await checked_form(request)
    result = await run_in_threadpool(preview_card, site(request), slug, stem, card_id, dict(form))
    return JSONResponse(result)


async def card_image(request: Request):
    slug, stem, card_id = _params(request)
    s = site(request)

    def work():
        ctx = card_context(s, slug, stem, card_id)
        card = next((c for c in ctx.deck.cards if c.id == card_id), None)
        values = card.fields if card is not None else ctx.original
        return cardtexts.render_card(s.project, ctx.deck, ctx.options,
                                     cardtexts.form_card(card_id, ctx.template.name, values))
    rendered = await run_in_threadpool(work)
    if rendered.png is None:
        raise BadInput("Deze kaart kan nu niet getekend worden: " + "; ".join(dutch(p) for p in rendered.problems))
    return Response(rendered.png, media_type="image/png", headers={"Cache-Control": "no-store"})


def save_card(s, slug: str, stem: str, card_id: str, form: dict) -> tuple[str | None, dict]:
    """Write the change; returns (card id, {}) or (None, problems per field)."""
    result = preview_card(s, slug, stem, card_id, form)
    if result["problems"]:
        return None, result["problems"]
    ctx = card_context(s, slug, stem, card_id, with_data=True)
    values, _ = _edited(ctx, card_id, form)
    if card_id == NEW_CARD:
        taken = [c.id for c in ctx.deck.cards] + overrides.removed_ids(ctx.data, stem)
        short = str((ctx.data.get("set") or {}).get("short_name") or "")
        card_id = overrides.add_card(ctx.data, stem, values, taken, short)
    else:
        overrides.change_card(ctx.data, stem, card_id, values, ctx.original)
    s.store.write(slug, s.store.dump(ctx.data))
    return card_id, {}


async def card_save(request: Request):
    slug, stem, card_id = _params(request)
    s = site(request)
    form = await checked_form(request)
    saved, problems = await run_in_threadpool(save_card, s, slug, stem, card_id, dict(form))
    if saved is None:
        fields = SetFields.of(s.store.read(slug), s.deck_names())
        return await render_editor(request, slug, fields, {}, status=400,
                                   card_state={card_id: (dict(form), problems)})
    return RedirectResponse(f"/sets/{slug}?deck={stem}&kaart={saved}#kaart-{saved}", status_code=303)


async def card_leave_out(request: Request):
    return await _change(request, overrides.leave_out)


async def card_restore(request: Request):
    return await _change(request, overrides.restore)


async def _change(request: Request, change):
    slug, stem, card_id = _params(request)
    s = site(request)
    await checked_form(request)
    await run_in_threadpool(card_context, s, slug, stem, card_id)  # refuses an unknown deck or card
    data = s.store.read(slug)
    change(data, stem, card_id)
    s.store.write(slug, s.store.dump(data))
    return RedirectResponse(f"/sets/{slug}?deck={stem}&kaart={card_id}#kaart-{card_id}", status_code=303)
