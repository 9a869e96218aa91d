"""Bouwen en downloaden: start a build, follow its progress, fetch the ZIP."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse

from kaartgen.web.common import checked_form, page, site, wants_json
from kaartgen.web.dutch import BadInput, dutch
from kaartgen.web.jobs import Job

JOB_ID = re.compile(r"^[0-9a-f]{32}$")


def status(job: Job) -> dict:
    return {"id": job.id, "state": job.state, "done": job.done, "total": job.total, "title": job.title,
            "problems": [dutch(p) for p in job.problems],
            "download": f"/bouwen/{job.id}/zip" if job.state == "klaar" else None}


def _started(request: Request, job: Job):
    if wants_json(request):
        return JSONResponse(status(job), status_code=202)
    return RedirectResponse(f"/bouwen/{job.id}", status_code=303)


async def build_set(request: Request):
    slug = request.path_params["slug"]
    s = site(request)
    await checked_form(request)
    data = s.store.read(slug)
    name = str((data.get("set") or {}).get("name") or slug)
    job = s.runner.start_set(s.store.path(slug), name, f"{slug}.zip")
    return _started(request, job)


async def build_shipped(request: Request):
    s = site(request)
    form = await checked_form(request)
    deck = str(form.get("deck", ""))
    if deck == "alle":
        job = s.runner.start_shipped([], "Alle hulpmiddelen", "kaartgen-alle.zip")
    elif deck in s.deck_names():
        job = s.runner.start_shipped([deck], deck, f"{deck}.zip")
    else:
        raise BadInput("Kies een hulpmiddel uit de lijst.")
    return _started(request, job)


def _job(request: Request) -> Job:
    job_id = request.path_params["job"]
    job = site(request).runner.get(job_id) if JOB_ID.match(job_id) else None
    if job is None:
        raise BadInput("Deze bouwopdracht bestaat niet (meer). Start het bouwen opnieuw.", status=404)
    return job


async def job_page(request: Request):
    job = _job(request)
    if wants_json(request):
        return JSONResponse(status(job))
    return page(request, "job.html", job=status(job))


async def job_zip(request: Request):
    job = _job(request)
    if job.zip_path is None or not job.zip_path.is_file():
        raise BadInput("Het bouwen is nog niet klaar.", status=409)
    return FileResponse(job.zip_path, media_type="application/zip", filename=job.zip_name)
