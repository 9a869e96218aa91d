"""What every page handler shares: the project, the templates, checked forms, problem lists."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse

from kaartgen.project import Project, deck_files
from kaartgen.errors import Problem
from kaartgen.web.deckview import DeckCache
from kaartgen.web.dutch import BadInput, dutch, field_of
from kaartgen.web.jobs import BuildRunner
from kaartgen.web.security import CSRF_FIELD, csrf_ok
from kaartgen.web.setfiles import SetStore

HERE = Path(__file__).parent
MAX_FIELDS = 400  # a deck's card form has a dozen; a page never needs more than this


@dataclass
class Site:
    """The state of one running page: set by create_app, read by every handler."""

    project: Project
    store: SetStore
    runner: BuildRunner
    secret: str
    templates: Environment
    work: Path  # temporary folder for tally results
    cache: DeckCache

    def deck_names(self) -> list[str]:
        return [p.stem for p in deck_files(self.project)]


def template_env() -> Environment:
    return Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                       trim_blocks=True, lstrip_blocks=True)


def site(request: Request) -> Site:
    return request.app.state.site


def page(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
    s = site(request)
    html = s.templates.get_template(name).render(csrf=s.secret, csrf_field=CSRF_FIELD, path=request.url.path,
                                                 **context)
    return HTMLResponse(html, status_code=status)


async def checked_form(request: Request):
    """The posted form, after the CSRF check; a refused request never reaches a handler's work."""
    form = await request.form(max_files=200, max_fields=MAX_FIELDS)
    if not csrf_ok(form, request.headers, site(request).secret):
        await form.close()
        raise BadInput("Dit formulier is verlopen of kwam niet van deze pagina. Laad de pagina opnieuw en "
                       "probeer het nog eens.", status=403)
    return form


def by_field(problems: list[Problem], default: str = "") -> dict[str, list[str]]:
    """Dutch messages per form field; problems without a known field go under `default`."""
    out: dict[str, list[str]] = {}
    for problem in problems:
        out.setdefault(field_of(problem) or default, []).append(dutch(problem))
    for key, messages in out.items():
        out[key] = list(dict.fromkeys(messages))
    return out


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def error_response(request: Request, exc: BadInput):
    if wants_json(request):
        return JSONResponse({"error": exc.message}, status_code=exc.status)
    return page(request, "message.html", status=exc.status, title="Dat lukte niet", text=exc.message)


def data_url(png: bytes | None) -> str | None:
    return "data:image/png;base64," + base64.b64encode(png).decode() if png else None
