"""Write output files safely: only inside the output folder, never half-written, never over a
good file with a broken one.

Every writer of a PDF, CSV or PNG goes through two calls:

    folder = output_folder(out, deck.name)            # OUT/<deck>/, created, checked
    write_atomically([folder / "x.pdf", folder / "x.csv"], write)

`output_folder(root, *names)` takes names that come from users' files (deck and variant names,
set slugs, checklist names), refuses any that could leave the folder (a path separator, `..`,
a leading dot, control characters) and checks, after resolving symbolic links, that the folder
it creates lies inside `root`.

`write_atomically(targets, write)` calls `write(temps)` with one temporary path per target,
in the target's own folder. Each temporary file is created fresh (`tempfile.mkstemp`:
O_EXCL, an unpredictable name, so a planted symbolic link is never followed) and locked while
the build runs. Only when `write` returned and every PDF reads back (pypdf) are the files
renamed over their targets with `os.replace`; on any failure the temporary files go and the old
targets stay as they were. Temporary files left by a killed build (`.<target>.kaartgen-….tmp`,
no longer locked) are removed the next time the same target is written.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

from kaartgen import messages as msg
from kaartgen.errors import KaartgenError, Problem

TEMP_TAG = ".kaartgen-"  # temporary files are named .<target name>.kaartgen-<random>.tmp
TEMP_SUFFIX = ".tmp"
STALE_SECONDS = 24 * 3600  # without file locks (Windows): leftovers older than this are removed

# Letters, digits, space, dot, dash, underscore; not starting with a dot or space.
_NAME = re.compile(r"[^\W_][\w .-]*")
MAX_NAME = 120


class OutputError(KaartgenError):
    """An output name or folder that would write outside the output folder, or a file that
    could not be written or checked."""


def name_problem(name: str) -> msg.Said | None:
    """Why `name` cannot name a file or folder in the output, or None when it can."""
    if not isinstance(name, str) or not name:
        return msg.EMPTY_OUTPUT_NAME()
    if len(name) > MAX_NAME:
        return msg.OUTPUT_NAME_TOO_LONG(limit=MAX_NAME)
    if ".." in name or not _NAME.fullmatch(name) or name.rstrip(" .") != name:
        return msg.BAD_OUTPUT_NAME(name=_shown(name))
    return None


def check_name(name: str, where: str = "") -> str:
    """`name` itself, or an OutputError saying why it cannot be used in an output path."""
    problem = name_problem(name)
    if problem:
        raise OutputError(Problem(where or str(name), None, None, "", problem))
    return name


def output_folder(root: Path, *names: str, create: bool = True) -> Path:
    """ROOT/<name>/…, created (unless `create` is false); each name checked, the result inside
    ROOT after resolving links."""
    folder = Path(root)
    for name in names:
        folder = folder / check_name(name)
    try:
        if create:
            folder.mkdir(parents=True, exist_ok=True)
        inside = folder.resolve().is_relative_to(Path(root).resolve())
    except OSError as exc:
        raise OutputError(Problem(str(exc.filename or folder), None, None, "",
                                  msg.CANNOT_CREATE_FOLDER(reason=msg.os_reason(exc))))
    if not inside:
        raise OutputError(Problem(str(folder), None, None, "", msg.OUTSIDE_OUTPUT_FOLDER(root=root)))
    return folder


def write_atomically(targets: Sequence[Path], write: Callable[[list[Path]], object], *,
                     check: bool = True):
    """Call `write(temps)` and move every temp file over its target only when all succeeded.

    Returns what `write` returned. PDFs (by suffix) are read back before they replace anything
    (`check=False` skips that). An OSError (a full disk, a read-only folder) becomes an
    OutputError naming the target; a KaartgenError from `write` passes through. Either way the
    targets keep their old content.
    """
    targets = [Path(t) for t in targets]
    for target in targets:
        remove_leftovers(target)
    temps: list[_Temp] = []
    try:
        for target in targets:
            temps.append(_Temp.create(target))
        result = write([t.path for t in temps])
        for temp in temps:
            temp.finish(check)
        for temp in temps:
            os.replace(temp.path, temp.target)
            temp.replaced = True
        return result
    except OSError as exc:
        failed = next((t.target for t in temps if str(t.path) == str(exc.filename)), exc.filename or targets[0])
        raise OutputError(Problem(str(failed), None, None, "", msg.CANNOT_WRITE(reason=msg.os_reason(exc))))
    finally:
        for temp in temps:
            temp.discard()


def remove_leftovers(target: Path) -> list[Path]:
    """Remove temporary files of `target` left by builds that were killed; returns them.

    A build that is still running holds a lock on its temporary file, so it keeps it.
    """
    removed = []
    try:
        candidates = list(target.parent.glob(f".{glob_escape(target.name)}.*{TEMP_SUFFIX}"))
    except OSError:
        return removed
    for path in candidates:
        if _abandoned(path):
            try:
                path.unlink()
                removed.append(path)
            except OSError:
                pass
    return removed


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


class _Temp:
    """One temporary file beside its target, locked for as long as this build writes it."""

    def __init__(self, target: Path, path: Path, fd: int):
        self.target, self.path, self.fd = target, path, fd
        info = os.fstat(fd)
        self.identity = (info.st_dev, info.st_ino)
        self.replaced = False

    @classmethod
    def create(cls, target: Path) -> "_Temp":
        fd, name = tempfile.mkstemp(prefix=f".{target.name}{TEMP_TAG}", suffix=TEMP_SUFFIX, dir=target.parent)
        if hasattr(os, "fchmod"):  # mkstemp makes it private (0600); the PDF is meant to be shared
            os.fchmod(fd, 0o666 & ~_umask())
        _lock(fd)
        return cls(target, Path(name), fd)

    def finish(self, check: bool) -> None:
        """Make sure the file written is still ours, on disk, and (for a PDF) readable."""
        info = os.lstat(self.path)
        if not stat.S_ISREG(info.st_mode) or (info.st_dev, info.st_ino) != self.identity:
            raise OutputError(Problem(str(self.target), None, None, "", msg.TEMP_REPLACED()))
        os.fsync(self.fd)
        if check and self.target.suffix.lower() == ".pdf":
            check_pdf(self.path, str(self.target))

    def discard(self) -> None:
        if not self.replaced:
            try:
                self.path.unlink()
            except OSError:
                pass
        os.close(self.fd)


@lru_cache(maxsize=1)
def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return mask


def check_pdf(path: Path, shown: str = "") -> int:
    """The number of pages of the PDF at `path`; OutputError when pypdf cannot read it back."""
    from pypdf import PdfReader
    try:
        reader = PdfReader(str(path), strict=True)
        pages = len(reader.pages)
        for page in reader.pages:
            page.mediabox  # noqa: B018 - a page without a valid size is a broken PDF
    except Exception as exc:  # pypdf raises many kinds for a broken file
        raise OutputError(Problem(shown or str(path), None, None, "", msg.PDF_DAMAGED(reason=exc.__class__.__name__)))
    if pages == 0:
        raise OutputError(Problem(shown or str(path), None, None, "", msg.PDF_EMPTY()))
    return pages


def _shown(name: str, limit: int = 40) -> str:
    text = name.encode("unicode_escape").decode("ascii")
    return text if len(text) <= limit else text[:limit] + "…"


try:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _abandoned(path: Path) -> bool:
        """True when no running build holds the file (a symbolic link is never ours to keep)."""
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            return os.path.islink(path)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False
        finally:
            os.close(fd)
except ImportError:  # Windows: no advisory locks; judge by age
    def _lock(fd: int) -> None:
        pass

    def _abandoned(path: Path) -> bool:
        try:
            return time.time() - os.lstat(path).st_mtime > STALE_SECONDS
        except OSError:
            return False
