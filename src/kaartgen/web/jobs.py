"""Builds started from the page: run off the request thread, each in its own temporary folder
(so two builds never mix files), packed into a ZIP with a Dutch printing guide."""

from __future__ import annotations

import shutil
import tempfile
import threading
import uuid
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from kaartgen import messages as msg
from kaartgen.build import Options, build_deck
from kaartgen.errors import KaartgenError, Problem
from kaartgen.products import build_jobs
from kaartgen.project import Project, select
from kaartgen.sets import set_decks

KEEP_JOBS = 20  # older finished builds are removed with their folder

GUIDE = """Printwijzer – {title}
{line}

In deze ZIP staat per hulpmiddel een map met PDF's.

OP KANTOOR PRINTEN
  <naam>-a4.pdf  kaarten op A4. Print dubbelzijdig, omslaan over de LANGE kant,
                 op werkelijke grootte (100 %, niet 'passend maken').
                 Knip daarna langs de snijtekens.
  <naam>-a3.pdf  platen (routekaart, praatplaat) op A3 liggend, werkelijke grootte.

CHECKLISTS
  <naam>-invulbaar.pdf  op het scherm invullen en terugsturen.
  <naam>-print.pdf      de papieren versie.

NAAR DE DRUKKERIJ
  <naam>-drukwerk.pdf  stuur dit bestand naar de drukkerij: één kant per pagina,
                       3 mm afloop en snijtekens. Vraag om dubbelzijdig drukken.

Schuiven de achterkanten op je printer? Maak met 'kaartgen calibrate' een
kalibratievel en zet de verschuiving in een printerprofiel.

Bestanden in deze ZIP:
{files}
"""


@dataclass
class Job:
    id: str
    title: str
    folder: Path
    total: int = 0
    done: int = 0
    state: str = "wacht"  # wacht, bezig, klaar, mislukt
    problems: list[Problem] = field(default_factory=list)
    zip_path: Path | None = None
    zip_name: str = "kaartgen.zip"


class BuildRunner:
    """One worker thread: builds queue up instead of fighting over two cores."""

    def __init__(self, project: Project):
        self.project = project
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kaartgen-build")
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()

    def start_set(self, set_path: Path, title: str, zip_name: str) -> Job:
        """The set's decks one by one (the steps `kaartgen build --set` takes), for a finer progress bar."""
        def steps(out):
            decks, options = set_decks(set_path, self.project, Options(out=out))
            return [lambda d=d: [build_deck(d, self.project, options)] for d in decks], options.out
        return self._start(title, zip_name, steps)

    def start_shipped(self, names: list[str], title: str, zip_name: str) -> Job:
        """Shipped decks and checklists without a set, as `kaartgen build NAMES` makes them (none: all)."""
        def steps(out):
            selection = select(self.project, names)
            return [job.run for job in build_jobs(self.project, selection, Options(out=out))], out
        return self._start(title, zip_name, steps)

    def get(self, job_id: str) -> Job | None:
        with self.lock:
            return self.jobs.get(job_id)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        for job in list(self.jobs.values()):
            shutil.rmtree(job.folder, ignore_errors=True)

    def _start(self, title: str, zip_name: str, decks_for) -> Job:
        job = Job(uuid.uuid4().hex, title, Path(tempfile.mkdtemp(prefix="kaartgen-web-build-")), zip_name=zip_name)
        with self.lock:
            self.jobs[job.id] = job
            self._forget_old()
        self.pool.submit(self._run, job, decks_for)
        return job

    def _forget_old(self) -> None:
        finished = [j for j in self.jobs.values() if j.state in ("klaar", "mislukt")]
        for job in finished[:max(0, len(finished) - KEEP_JOBS)]:
            shutil.rmtree(job.folder, ignore_errors=True)
            del self.jobs[job.id]

    def _run(self, job: Job, steps_for) -> None:
        job.state = "bezig"
        try:
            steps, base = steps_for(job.folder / "pdf")
            job.total = len(steps)
            files = []
            for step in steps:
                try:
                    files += [f for result in step() for f in result.files]
                except KaartgenError as exc:  # one broken product is named; the others still build
                    job.problems += exc.problems
                job.done += 1
            if job.problems:
                job.state = "mislukt"
                return
            job.zip_path = pack(files, base, job.folder / job.zip_name, job.title)
            job.state = "klaar"
        except KaartgenError as exc:
            job.problems, job.state = exc.problems, "mislukt"
        except Exception as exc:  # never leave the page waiting for a build that died
            job.problems = [Problem("", None, None, "", msg.INTERNAL(kind=type(exc).__name__, text=str(exc)))]
            job.state = "mislukt"


def pack(files: list[Path], base: Path, target: Path, title: str) -> Path:
    names = [f.relative_to(base).as_posix() for f in files]
    guide = GUIDE.format(title=title, line="=" * (len(title) + 14),
                         files="\n".join(f"  {name}" for name in names))
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("LEESMIJ.txt", guide.replace("\n", "\r\n"))  # opens right in Windows Notepad too
        for path, name in zip(files, names):
            archive.write(path, name)
    return target
