"""The start page and the set editor: name, sector, colours, logo, contact line, decks."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ruamel.yaml.comments import CommentedMap
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse

from kaartgen.build import Options
from kaartgen.errors import KaartgenError
from kaartgen.sets import set_decks
from kaartgen.web import cardtexts
from kaartgen.web.common import by_field, checked_form, data_url, page, site
from kaartgen.web.dutch import BadInput
from kaartgen.web.editor import colour_warnings, default_colours, render_editor
from kaartgen.web.setfiles import LOGOS_DIR, SetFields, write_file
from kaartgen.web.uploads import LOGO_LIMIT, logo_type, read_limited

async def index(request: Request):
    s = site(request)
    sets = []
    for slug in s.store.slugs():
        try:
            name = str(s.store.read(slug).get("set", {}).get("name", slug))
        except Exception:  # a broken hand-written file still gets listed, to be opened and fixed
            name = slug
        sets.append((slug, name))
    return page(request, "index.html", sets=sets, decks=s.deck_names())


async def create(request: Request):
    form = await checked_form(request)
    name = str(form.get("name", "")).strip()
    if not name:
        raise BadInput("Vul de naam van het partnerschap in om een set te maken.")
    if len(name) > 120:
        raise BadInput(f"De naam is {len(name)} tekens; gebruik er hooguit 120.")
    s = site(request)
    slug = s.store.new_slug(name)
    data = CommentedMap(set=CommentedMap(name=name, short_name=name[:40], sector="po"))
    s.store.write(slug, s.store.dump(data))
    return RedirectResponse(f"/sets/{slug}", status_code=303)


async def editor(request: Request):
    slug = request.path_params["slug"]
    s = site(request)
    data = s.store.read(slug)
    fields = SetFields.of(data, s.deck_names())
    return await render_editor(request, slug, fields, {}, saved=request.query_params.get("opgeslagen") == "1")


async def form_fields(request: Request, form, slug: str) -> tuple[SetFields, dict]:
    """The set fields from the form; an uploaded logo is checked and stored under the set's slug."""
    s = site(request)
    current = SetFields.of(s.store.read(slug), s.deck_names())
    fields = SetFields(name=str(form.get("name", "")), short_name=str(form.get("short_name", "")),
                       sector=str(form.get("sector", "po")), primary=str(form.get("primary", "")),
                       secondary=str(form.get("secondary", "")), contact=str(form.get("contact", "")),
                       decks=[str(d) for d in form.getlist("decks")], logo=current.logo, steps=current.steps)
    for name, default in default_colours(s).items():  # an untouched colour picker: keep the house colour
        if getattr(fields, name).lower() == default and not getattr(current, name):
            setattr(fields, name, "")
    problems: dict[str, list[str]] = {}
    upload = form.get("logo")
    if upload is not None and not isinstance(upload, str) and upload.filename:
        try:
            data = await read_limited(upload, LOGO_LIMIT, "Het logo")
            ext = logo_type(data)
            target = s.store.logo_path(slug, ext)
            write_file(target, data)
            fields.logo = (LOGOS_DIR / target.name).as_posix()
        except BadInput as exc:
            problems["logo"] = [exc.message]
    if not fields.decks:
        problems.setdefault("decks", []).append("Kies minstens één hulpmiddel.")
    return fields, problems


def check_text(s, slug: str, text: str, deck: str | None = None):
    """Load the set as the CLI would, from a temporary copy: its problems, and its decks."""
    with tempfile.TemporaryDirectory(prefix="kaartgen-web-set-") as temp:
        path = Path(temp) / f"{slug}.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            decks, options = set_decks(path, s.project, Options(out=Path(temp)), only={deck} if deck else None)
            return [], decks, options
        except KaartgenError as exc:
            return exc.problems, [], None


async def save(request: Request):
    slug = request.path_params["slug"]
    s = site(request)
    form = await checked_form(request)
    fields, problems = await form_fields(request, form, slug)
    data = fields.apply(s.store.read(slug), s.deck_names())
    text = s.store.dump(data)
    found, _, _ = await run_in_threadpool(check_text, s, slug, text)
    merge_problems(problems, found)
    if problems:
        return await render_editor(request, slug, fields, problems, status=400)
    s.store.write(slug, text)
    s.store.remove_other_logos(slug, fields.logo)
    return RedirectResponse(f"/sets/{slug}?opgeslagen=1", status_code=303)


def merge_problems(problems: dict, found: list) -> None:
    """Add what loading the set found; a field the form checks already flagged keeps its own words."""
    flagged = set(problems)
    for key, messages in by_field(found, "algemeen").items():
        name = _set_field(key)
        if name not in flagged:
            problems.setdefault(name, []).extend(messages)


def _set_field(key: str) -> str:
    return key if key in ("name", "short_name", "sector", "logo", "contact", "primary", "secondary",
                          "decks") else "algemeen"


async def preview(request: Request):
    """The first cards of the first deck with the form's unsaved name, colours and logo."""
    slug = request.path_params["slug"]
    s = site(request)
    form = await checked_form(request)
    fields, problems = await form_fields(request, form, slug)
    fields.logo = fields.logo if "logo" not in problems else SetFields.of(s.store.read(slug), []).logo
    data = fields.apply(s.store.read(slug), s.deck_names())
    shown = str(form.get("voorbeeld", ""))
    result = await run_in_threadpool(_preview_images, s, slug, s.store.dump(data), fields, shown)
    found, images = result
    merge_problems(problems, found)
    return JSONResponse({"images": images, "problems": problems, "warnings": colour_warnings(s, fields)})


def _preview_images(s, slug: str, text: str, fields: SetFields, shown: str):
    """The deck shown below the form (or the set's first deck), drawn with the unsaved set."""
    deck_name = shown if shown in fields.decks else (fields.decks[0] if fields.decks else None)
    if deck_name is None:
        return [], []
    problems, decks, options = check_text(s, slug, text, deck_name)
    if problems or not decks:
        return problems, []
    deck = decks[0]
    chosen = deck.cards[:1] + [c for c in deck.cards if "step" in c.fields][:1]
    images = []
    for card in chosen:
        rendered = cardtexts.render_card(s.project, deck, options, card)
        problems += rendered.problems
        if rendered.png:
            images.append({"card": card.id, "src": data_url(rendered.png)})
    return problems, images
