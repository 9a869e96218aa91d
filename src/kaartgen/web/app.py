"""The web application: routes, error pages, and `serve` (uvicorn)."""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import shutil
import tempfile
import webbrowser
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kaartgen.errors import KaartgenError
from kaartgen.project import Project
from kaartgen.web import pages_build, pages_cards, pages_sets, pages_tally
from kaartgen.web.common import HERE, Site, error_response, page, template_env
from kaartgen.web.deckview import DeckCache
from kaartgen.web.dutch import BadInput, dutch
from kaartgen.web.jobs import BuildRunner
from kaartgen.web.security import Guard, TooLarge, new_secret
from kaartgen.web.setfiles import SetStore

log = logging.getLogger("kaartgen.web")
SLUG = "{slug:str}"
CARD = "/sets/{slug:str}/kaart/{deck:str}/{card:str}"
NEW = "/sets/{slug:str}/nieuwe-kaart/{deck:str}"

ROUTES = [
    Route("/", pages_sets.index),
    Route("/sets", pages_sets.create, methods=["POST"]),
    Route(f"/sets/{SLUG}", pages_sets.editor),
    Route(f"/sets/{SLUG}", pages_sets.save, methods=["POST"]),
    Route(f"/sets/{SLUG}/voorbeeld", pages_sets.preview, methods=["POST"]),
    Route(f"/sets/{SLUG}/bouwen", pages_build.build_set, methods=["POST"]),
    Route(f"{CARD}/afbeelding", pages_cards.card_image),
    Route(f"{CARD}/voorbeeld", pages_cards.card_preview, methods=["POST"]),
    Route(f"{CARD}/weglaten", pages_cards.card_leave_out, methods=["POST"]),
    Route(f"{CARD}/terugzetten", pages_cards.card_restore, methods=["POST"]),
    Route(CARD, pages_cards.card_save, methods=["POST"]),
    Route(f"{NEW}/voorbeeld", pages_cards.card_preview, methods=["POST"]),
    Route(NEW, pages_cards.card_save, methods=["POST"]),
    Route("/bouwen", pages_build.build_shipped, methods=["POST"]),
    Route("/bouwen/{job:str}", pages_build.job_page),
    Route("/bouwen/{job:str}/zip", pages_build.job_zip),
    Route("/tally", pages_tally.tally_page),
    Route("/tally", pages_tally.tally_upload, methods=["POST"]),
    Route("/tally/{result:str}/{name:str}", pages_tally.tally_download),
    Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
]


async def bad_input(request: Request, exc: BadInput):
    return error_response(request, exc)


async def too_large(request: Request, exc: TooLarge):
    return error_response(request, BadInput("Wat je stuurde is te groot (meer dan 200 MB in één keer). "
                                            "Stuur minder bestanden tegelijk.", status=413))


async def pipeline_error(request: Request, exc: KaartgenError):
    """A problem the pipeline found (a broken hand-written file, a full disk): said in Dutch."""
    return error_response(request, BadInput(" ".join(dutch(p) for p in exc.problems), status=400))


async def not_found(request: Request, exc):
    status = getattr(exc, "status_code", 404)
    text = ("Deze pagina bestaat niet." if status == 404 else
            "Dit kan hier niet." if status == 405 else "Dit verzoek kon niet worden verwerkt.")
    return error_response(request, BadInput(text, status=status))


async def crashed(request: Request, exc: Exception):
    """A bug, not the user's fault: log it for us, a calm Dutch page for them."""
    log.exception("request failed: %s %s", request.method, request.url.path, exc_info=exc)
    return page(request, "message.html", status=500, title="Er ging iets mis",
                text="Er ging iets mis bij het verwerken hiervan. Je gegevens zijn niet veranderd. "
                     "Probeer het opnieuw; blijft het misgaan, meld het dan met wat je deed.")


def create_app(root: Path, token: str | None = None) -> Guard:
    """The page for the project in `root`, behind the safety guard."""
    project = Project(root.resolve())
    work = Path(tempfile.mkdtemp(prefix="kaartgen-web-"))
    site = Site(project, SetStore(project.root), BuildRunner(project), new_secret(), template_env(), work,
                DeckCache())

    @contextlib.asynccontextmanager
    async def lifespan(app):
        try:
            yield
        finally:
            site.runner.close()
            shutil.rmtree(work, ignore_errors=True)

    from starlette.exceptions import HTTPException
    app = Starlette(routes=ROUTES, lifespan=lifespan,
                    exception_handlers={BadInput: bad_input, KaartgenError: pipeline_error, TooLarge: too_large,
                                        HTTPException: not_found,
                                        Exception: crashed})
    app.state.site = site
    guarded = Guard(app, token=token)
    guarded.site = site
    return guarded


def is_local(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(root: Path, host: str, port: int, open_browser: bool, token: str | None, echo) -> None:
    import uvicorn

    if not is_local(host):
        token = token or new_secret()
        echo(f"Let op: de pagina is bereikbaar vanaf andere computers ({host}). Alleen met de toegangscode.")
    app = create_app(root, token=token)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    echo(f"kaartgen serve: open {url} in je browser (stoppen: Ctrl+C)")
    if open_browser:
        webbrowser.open(url)
    uvicorn.run(app, host=host, port=port, log_level="warning")
