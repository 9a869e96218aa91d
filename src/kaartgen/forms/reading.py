"""Read one returned checklist copy, defensively: whatever a file holds, the answer is a Copy
or a Skipped with a reason, within a time and size budget.

Copies are read with pypdf, never by scanning bytes: a browser (pdf.js) saves an incremental
update, so the file still holds the empty objects of the original. A copy is recognised by the
form id and version in its document info (/KaartgenForm, /KaartgenFormVersion), or else by the
hidden field `kaartgen_form`.

Which answer counts: what a viewer shows. A radio button is shown as chosen when its widget's
/AS names an "on" state; the group's /V is only a stored value, and programs disagree about it
(pypdf given "sterk" instead of "/sterk" writes /V while every button stays off). So an
item's answer is the /AS of its chosen widget; /V is used only when no widget has an /AS at
all, and a /V that differs from what is shown is reported with the item named.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import signal
import stat
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PasswordType, PdfReader
from pypdf.generic import ArrayObject, IndirectObject

from kaartgen import messages as msg
from kaartgen.errors import KaartgenError, Problem
from kaartgen.forms.checklist import PERSON_FIELDS, Checklist, load_checklist
from kaartgen.forms.pdfform import FORM_KEY, ID_FIELD, VERSION_KEY
from kaartgen.messages import Said
from kaartgen.project import Project, checklist_files

MAX_BYTES = 20 * 1024 * 1024  # a filled checklist is well under 1 MB
MAX_SECONDS = 10.0            # per file
MAX_DEPTH = 8                 # our forms nest fields two deep
MAX_NODES = 5000              # fields and widgets visited per file


class Skipped(Exception):
    """A file that is not a usable copy; `said` says why."""

    def __init__(self, said: Said):
        super().__init__(said.render())
        self.said = said


@dataclass
class Copy:
    path: Path
    checklist: Checklist
    answers: dict[str, str | None]  # field name -> level value (what a viewer shows), None when blank
    comments: dict[str, str]        # category id -> comment text
    person: dict[str, str]          # naam, school, rol, datum as typed
    digest: str                     # sha256 of the file
    disagreements: list[str] = field(default_factory=list)  # items whose /V differs from what is shown

    @property
    def answered(self) -> int:
        return sum(answer is not None for answer in self.answers.values())


def expand(inputs: list[Path]) -> list[Path]:
    """Files as given; a folder stands for the PDFs directly inside it. A file named twice (or
    named and inside a named folder) is read once."""
    out, seen = [], set()
    for path in inputs:
        found = sorted(p for p in path.iterdir() if p.suffix.lower() == ".pdf") if path.is_dir() else [path]
        for file in found:
            key = os.path.realpath(file)
            if key not in seen:
                seen.add(key)
                out.append(file)
    return out


def known_checklists(project: Project) -> dict[str, Checklist]:
    """The checklists in cards/ by form id: a copy is read against its definition."""
    known: dict[str, Checklist] = {}
    for path in checklist_files(project):
        checklist = load_checklist(path)
        if checklist.id in known:
            raise KaartgenError(checklist.doc.problem(("checklist", "id"), msg.FORM_ID_TWICE(
                id=checklist.id, file=known[checklist.id].doc.file)))
        known[checklist.id] = checklist
    if not known:
        raise KaartgenError(Problem(str(project.cards), None, None, "", msg.NO_CHECKLISTS()))
    return known


def read_copy(path: Path, known: dict[str, Checklist]) -> Copy:
    data = _read_bytes(path)
    try:
        with _time_limit(MAX_SECONDS):
            info, fields = _parse(data)
            checklist = _checklist_of(info, fields, known)
            return _copy(path, data, checklist, fields)
    except Skipped:
        raise
    except _TimeUp:
        raise Skipped(msg.TALLY_TOO_SLOW(seconds=MAX_SECONDS))
    except Exception as exc:  # a crafted or damaged file must never cost the good copies
        raise Skipped(msg.DAMAGED_PDF(reason=f"{exc.__class__.__name__}: {exc}"))


def _read_bytes(path: Path) -> bytes:
    """The whole file, if it is a regular file within the size budget; never blocks on a FIFO."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise Skipped(msg.NO_SUCH_FILE())
    except OSError as exc:
        raise Skipped(msg.TALLY_CANNOT_OPEN(reason=msg.os_reason(exc)))
    info = os.fstat(fd)  # before os.fdopen, which refuses a folder (x.pdf/) with an error of its own
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
        os.close(fd)
        raise Skipped(msg.TALLY_TOO_LARGE(mb=MAX_BYTES // 2**20) if stat.S_ISREG(info.st_mode)
                      else msg.TALLY_NOT_REGULAR())
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if b"%PDF-" not in data[:1024]:
        raise Skipped(msg.NOT_A_PDF())
    return data


class _TimeUp(BaseException):  # not an Exception: pypdf must not swallow it
    pass


@contextmanager
def _time_limit(seconds: float):
    """Interrupt pypdf after `seconds` (in the main thread, where signals work; elsewhere the
    field walk's node budget still bounds the work)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def alarm(signum, frame):
        raise _TimeUp()

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _parse(data: bytes) -> tuple[dict, dict]:
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.ERROR)  # its warnings about a damaged file would clutter our one-line reason
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _decrypt(reader)
        info = {key: str(value) for key, value in (reader.metadata or {}).items()}
        return info, _fields(reader)
    finally:
        log.setLevel(level)


def _decrypt(reader: PdfReader) -> None:
    """Open a copy that is encrypted but needs no password to read (AES included); one that
    does need a password cannot be counted."""
    if reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise Skipped(msg.TALLY_PASSWORD())


def _checklist_of(info: dict, fields: dict, known: dict[str, Checklist]) -> Checklist:
    form_id, version = _form_id(info, fields)
    if form_id not in known:
        raise Skipped(msg.UNKNOWN_FORM(id=form_id, choices=sorted(known)))
    checklist = known[form_id]
    if version != str(checklist.version):
        raise Skipped(msg.OTHER_FORM_VERSION(version=version, id=form_id, current=checklist.version))
    return checklist


def _form_id(info: dict, fields: dict) -> tuple[str, str]:
    if info.get(FORM_KEY):
        return info[FORM_KEY], info.get(VERSION_KEY, "?")
    hidden = _text_value(fields.get(ID_FIELD))
    if hidden and "/" in hidden:  # the document info was dropped by the program that saved it
        form_id, _, version = hidden.rpartition("/")
        return form_id, version
    raise Skipped(msg.NOT_A_FORM())


def _copy(path: Path, data: bytes, checklist: Checklist, fields: dict) -> Copy:
    missing = [item.field for item in checklist.items if item.field not in fields]
    if missing:
        raise Skipped(msg.FORM_FIELDS_MISSING(fields=missing[:3] + (["…"] if len(missing) > 3 else [])))
    values = [level.value for level in checklist.levels]
    answers, disagreements = {}, []
    for item in checklist.items:
        shown, stored = _radio_value(fields[item.field])
        for answer in (shown, stored):
            if answer is not None and answer not in values:
                raise Skipped(msg.BAD_ANSWER(field=item.field, answer=answer, choices=values))
        if stored is not None and stored != shown:
            disagreements.append(item.field)
        answers[item.field] = shown
    comments = {c.id: _text_value(fields.get(c.comment_field)) for c in checklist.categories}
    person = {name: " ".join(_text_value(fields.get(name)).split()) for name, _ in PERSON_FIELDS}
    return Copy(path, checklist, answers, {k: v for k, v in comments.items() if v}, person,
                hashlib.sha256(data).hexdigest(), disagreements)


def _fields(reader: PdfReader) -> dict[str, dict]:
    """Terminal fields by fully qualified name ('ondersteunende_cultuur.3'). Cycle-safe: a node
    seen before is not entered again, and depth and node count are limited."""
    acroform = reader.trailer["/Root"].get("/AcroForm")
    out: dict[str, dict] = {}
    if acroform is None:
        return out
    seen: set = set()

    def walk(ref, prefix: str, depth: int) -> None:
        key = (ref.idnum, ref.generation) if isinstance(ref, IndirectObject) else id(ref)
        if key in seen or depth > MAX_DEPTH:
            return
        seen.add(key)
        if len(seen) > MAX_NODES:
            raise Skipped(msg.TALLY_TOO_MANY_FIELDS(count=MAX_NODES))
        node = ref.get_object()
        if not isinstance(node, dict):
            return
        name = f"{prefix}.{node['/T']}" if prefix and "/T" in node else str(node.get("/T", prefix))
        kids = _array(node.get("/Kids"))
        if any("/T" in kid.get_object() for kid in kids if isinstance(kid.get_object(), dict)):
            for kid in kids:  # kids are fields, not widgets
                walk(kid, name, depth + 1)
        else:
            out[name] = node

    for top in _array(acroform.get_object().get("/Fields")):
        walk(top, "", 0)
    return out


def _array(value) -> list:
    value = value.get_object() if value is not None else None
    return list(value) if isinstance(value, (list, ArrayObject)) else []


def _radio_value(node: dict) -> tuple[str | None, str | None]:
    """(what a viewer shows, the stored /V) for one radio group; None where nothing is chosen."""
    widgets = [w.get_object() for w in _array(node.get("/Kids"))] or [node]
    widgets = [w for w in widgets if isinstance(w, dict)]
    options = _array(node.get("/Opt"))
    stored = _option(_state(node.get("/V")), options)
    if not any("/AS" in w for w in widgets):  # no visible state written at all: the value is all there is
        return stored, stored
    on = [_option(_state(w.get("/AS")), options) for w in widgets]
    on = [state for state in on if state is not None]
    return (on[0] if on else None), stored


def _option(state: str | None, options: list) -> str | None:
    """States may be indices into the export values in /Opt."""
    if state is not None and state.isdigit() and int(state) < len(options):
        return _state(options[int(state)].get_object())
    return state


def _state(value) -> str | None:
    # A name (/sterk) as the standard says, but some programs (pypdf among them) write the
    # text "/sterk" or "sterk" instead; "Off" means no choice.
    if value is None:
        return None
    text = str(value)
    text = text[1:] if text.startswith("/") else text
    return None if text in ("", "Off") else text


def _text_value(node) -> str:
    if not isinstance(node, dict) or node.get("/V") is None:
        return ""
    value = node["/V"]
    if isinstance(value, bytes):  # a byte string pypdf could not read as text
        value = value.decode("utf-8", errors="replace")
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
