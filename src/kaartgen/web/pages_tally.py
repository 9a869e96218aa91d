"""Checklists combineren: upload filled-in checklists, see the summary, download PDF and CSV.

Uploads are written under neutral names into a temporary folder that is removed as soon as
the tally has run; only the summary files (PDF, CSV, XLSX) are kept for the download (the newest
few results, and none after the server stops).
"""

from __future__ import annotations

import re
import shutil
import tempfile
import uuid
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse

from kaartgen.forms import tally
from kaartgen.errors import KaartgenError
from kaartgen.web.common import checked_form, page, site
from kaartgen.web.dutch import BadInput, dutch
from kaartgen.web.uploads import CHECKLIST_LIMIT, is_pdf, read_limited

RESULT_ID = re.compile(r"^[0-9a-f]{32}$")
DOWNLOADS = {"summary.pdf": "application/pdf", "summary.csv": "text/csv; charset=utf-8",
             "antwoorden.csv": "text/csv; charset=utf-8",
             "summary.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
KEEP_RESULTS = 10


async def tally_page(request: Request):
    return page(request, "tally.html", result=None, not_counted=[], general=[])


async def _receive(form, folder: Path) -> tuple[list[Path], dict[str, str], list[tuple[str, str]]]:
    """Checked uploads on disk as copy-N.pdf; their original names; files refused up front."""
    paths, names, refused = [], {}, []
    for n, upload in enumerate(form.getlist("files"), start=1):
        if isinstance(upload, str) or not upload.filename:
            continue
        name = Path(upload.filename).name[:120]
        try:
            data = await read_limited(upload, CHECKLIST_LIMIT, f"'{name}'")
        except BadInput as exc:
            refused.append((name, exc.message))
            continue
        if not is_pdf(data):
            refused.append((name, "Geen PDF-bestand; alleen ingevulde checklist-PDF's tellen mee."))
            continue
        path = folder / f"copy-{n}.pdf"
        path.write_bytes(data)
        paths.append(path)
        names[str(path)] = name
    return paths, names, refused


async def tally_upload(request: Request):
    s = site(request)
    form = await checked_form(request)
    upload_dir = Path(tempfile.mkdtemp(prefix="kaartgen-web-upload-"))
    result_id = uuid.uuid4().hex
    out = s.work / "tally" / result_id
    try:
        paths, names, refused = await _receive(form, upload_dir)
        if not paths and not refused:
            raise BadInput("Kies eerst een of meer ingevulde checklists (PDF).")
        outcome, problems = await run_in_threadpool(_run, paths, out, s.project.root)
    finally:
        shutil.rmtree(upload_dir, ignore_errors=True)  # uploads are kept only as long as needed
        await form.close()
    _forget_old(s.work / "tally")
    per_file = [p for p in problems if p.file in names]
    not_counted = refused + [(names[p.file], dutch(p)) for p in per_file]
    general = [dutch(p) for p in problems if p not in per_file]
    result = None
    if outcome is not None:
        result = {"id": result_id, "tallies": outcome.tallies, "files": list(DOWNLOADS)}
    status = 200 if result else 400
    return page(request, "tally.html", status=status, result=result, not_counted=not_counted, general=general,
                counted=len(paths) - len(per_file))


def _run(paths: list[Path], out: Path, root: Path):
    if not paths:
        return None, []
    try:
        outcome = tally.run(paths, out, root)
        return outcome, [note.problem() for note in outcome.skipped]
    except KaartgenError as exc:
        return None, exc.problems


def _forget_old(folder: Path) -> None:
    if not folder.is_dir():
        return
    results = sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in results[KEEP_RESULTS:]:
        shutil.rmtree(old, ignore_errors=True)


async def tally_download(request: Request):
    result_id, name = request.path_params["result"], request.path_params["name"]
    if not RESULT_ID.match(result_id) or name not in DOWNLOADS:
        raise BadInput("Dit bestand bestaat niet.", status=404)
    path = site(request).work / "tally" / result_id / name
    if not path.is_file():
        raise BadInput("Dit overzicht is niet meer beschikbaar; upload de checklists opnieuw.", status=404)
    return FileResponse(path, media_type=DOWNLOADS[name], filename=name)
