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
the build runs. Only when `write` returned and every PDF reads back (`check_pdf`) are the files
renamed over their targets with `os.replace`; on any failure the temporary files go and the old
targets stay as they were. Temporary files left by a killed build (`.<target>.kaartgen-….tmp`,
no longer locked) are removed the next time the same target is written.
"""

from __future__ import annotations

import base64
import os
import re
import stat
import tempfile
import time
import zlib
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
    """The number of pages of the PDF at `path`; OutputError when it is damaged or has no pages.

    Reads the file's structure without parsing every object (pypdf took about 0.2 s per 1000
    cards for that; this takes about 6 ms): the header; `%%EOF` at the end (a file cut off has
    none); `startxref` pointing at the cross-reference table; every entry of that table pointing
    at its own object; the trailer's /Root catalogue and its /Pages, whose /Count must match its
    /Kids; and the first and last page: a /MediaBox with an area, content streams whose /Length
    ends at `endstream` and that decompress. A PDF in another shape than reportlab writes
    (cross-reference streams, incremental updates, a nested page tree, encryption) is read with
    pypdf instead.
    """
    try:
        pages = _PdfStructure(path.read_bytes()).pages()
    except _OtherShape:
        pages = _pages_by_pypdf(path, shown)
    except _Damaged as exc:
        raise OutputError(Problem(shown or str(path), None, None, "", msg.PDF_DAMAGED(reason=str(exc))))
    if pages == 0:
        raise OutputError(Problem(shown or str(path), None, None, "", msg.PDF_EMPTY()))
    return pages


def _pages_by_pypdf(path: Path, shown: str) -> int:
    from pypdf import PdfReader
    try:
        reader = PdfReader(str(path), strict=True)
        for page in reader.pages:
            page.mediabox  # noqa: B018 - a page without a valid size is a broken PDF
        return len(reader.pages)
    except Exception as exc:  # pypdf raises many kinds for a broken file
        raise OutputError(Problem(shown or str(path), None, None, "", msg.PDF_DAMAGED(reason=exc.__class__.__name__)))


class _Damaged(Exception):
    """The file is not a whole PDF; the text says what is wrong."""


class _OtherShape(Exception):
    """A PDF structure this quick check does not read; pypdf does."""


_OBJECT = re.compile(rb"(\d+)\s+(\d+)\s+obj\b")
_SUBSECTION = re.compile(rb"\s*(\d+)\s+(\d+)[ \t]*\r?\n")
_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])[ \r\n]{2}")
_REF = rb"(\d+)\s+\d+\s+R"
_STREAM = re.compile(rb"stream\r?\n")


class _PdfStructure:
    """The skeleton of a PDF held in memory: its cross-reference table and the few objects that
    say how many pages there are."""

    def __init__(self, data: bytes):
        self.data = data
        if not data.startswith(b"%PDF-"):
            raise _Damaged("no %PDF header")
        found = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data[-1024:])
        if not found:
            raise _Damaged("cut off: no startxref and %%EOF at the end")
        self.offsets, listed, trailer = self._xref(int(found.group(1)))
        if re.search(rb"/(Prev|Encrypt)\b", trailer):
            raise _OtherShape()
        size = re.search(rb"/Size\s+(\d+)", trailer)
        if not size or int(size.group(1)) != listed:
            raise _Damaged("the trailer's /Size does not match the cross-reference table")
        self.root = re.search(rb"/Root\s+" + _REF, trailer)
        if not self.root:
            raise _Damaged("the trailer has no /Root")

    def _xref(self, start: int) -> tuple[dict[int, int], int, bytes]:
        """{object number: offset} of every object in use, how many numbers the table lists, and the
        trailer dictionary."""
        data = self.data
        if not data.startswith(b"xref", start):
            if _OBJECT.match(data, start):
                raise _OtherShape()  # a cross-reference stream
            raise _Damaged("startxref does not point at the cross-reference table")
        offsets, listed, at = {}, 0, start + 4
        while header := _SUBSECTION.match(data, at):
            first, count = int(header.group(1)), int(header.group(2))
            listed, at = max(listed, first + count), header.end()
            for number in range(first, first + count):
                entry = _ENTRY.match(data, at)
                if not entry:
                    raise _Damaged(f"cross-reference entry {number} is malformed")
                if entry.group(3) == b"n":
                    offsets[number] = self._checked_offset(number, int(entry.group(1)))
                at = entry.end()
        trailer = re.match(rb"\s*trailer\s*(<<.*?>>)\s*startxref", data[at:], re.S)
        if not trailer:
            raise _Damaged("no trailer after the cross-reference table")
        return offsets, listed, trailer.group(1)

    def _checked_offset(self, number: int, offset: int) -> int:
        found = _OBJECT.match(self.data, offset)
        if not found or int(found.group(1)) != number:
            raise _Damaged(f"the cross-reference table points object {number} at the wrong place")
        return offset

    def head(self, number: int) -> bytes:
        """The object's text up to `endobj`, or up to `stream` for a stream."""
        if number not in self.offsets:
            raise _Damaged(f"object {number} is missing")
        start = _OBJECT.match(self.data, self.offsets[number]).end()
        end = self.data.find(b"endobj", start)
        if end < 0:
            raise _Damaged(f"object {number} has no end")
        stream = self.data.find(b"stream", start, end)
        return self.data[start:stream if stream >= 0 else end]

    def pages(self) -> int:
        catalog = self.head(int(self.root.group(1)))
        tree = re.search(rb"/Pages\s+" + _REF, catalog)
        if not re.search(rb"/Type\s*/Catalog\b", catalog) or not tree:
            raise _Damaged("/Root is not a catalogue with /Pages")
        node = self.head(int(tree.group(1)))
        count = re.search(rb"/Count\s+(\d+)", node)
        kids = re.search(rb"/Kids\s*\[([^\]]*)\]", node)
        if not re.search(rb"/Type\s*/Pages\b", node) or not count or not kids:
            raise _Damaged("the page tree has no /Count or /Kids")
        kids = [int(k) for k in re.findall(_REF, kids.group(1))]
        if any(re.search(rb"/Type\s*/Pages\b", self.head(kid)) for kid in kids):
            raise _OtherShape()  # a nested page tree
        if len(kids) != int(count.group(1)):
            raise _Damaged(f"the page tree counts {int(count.group(1))} pages but lists {len(kids)}")
        for kid in {kids[0], kids[-1]} if kids else ():
            self._check_page(kid, node)
        return len(kids)

    def _check_page(self, number: int, parent: bytes) -> None:
        page = self.head(number)
        if not re.search(rb"/Type\s*/Page\b", page):
            raise _Damaged(f"object {number} in the page tree is not a page")
        box = re.search(rb"/MediaBox\s*\[([^\]]*)\]", page) or re.search(rb"/MediaBox\s*\[([^\]]*)\]", parent)
        try:
            x0, y0, x1, y1 = (float(v) for v in box.group(1).split())
        except (AttributeError, ValueError):
            raise _Damaged(f"page object {number} has no valid /MediaBox") from None
        if x1 <= x0 or y1 <= y0:
            raise _Damaged(f"page object {number} has an empty /MediaBox")
        contents = re.search(rb"/Contents\s*(\[[^\]]*\]|" + _REF + rb")", page)
        for stream in re.findall(_REF, contents.group(1)) if contents else ():
            self._check_stream(int(stream))

    def _check_stream(self, number: int) -> None:
        head = self.head(number)
        length = re.search(rb"/Length\s+(\d+)(\s+\d+\s+R)?", head)
        if not length or length.group(2):  # an indirect length: reportlab never writes one
            raise _OtherShape()
        start = _STREAM.match(self.data, self.data.find(b"stream", self.offsets[number]))
        end = start.end() + int(length.group(1)) if start else 0
        if not start or not self.data[end:end + 12].lstrip().startswith(b"endstream"):
            raise _Damaged(f"the content stream {number} does not end where its /Length says")
        given = re.search(rb"/Filter\s*(\[[^\]]*\]|/\w+)", head)
        _decode(self.data[start.end():end], re.findall(rb"/(\w+)", given.group(1)) if given else [], number)


def _decode(raw: bytes, filters: list[bytes], number: int) -> None:
    """Undo the filters reportlab uses (others are left to the reader); a stream that does not
    decode is damaged."""
    if not set(filters) <= {b"ASCII85Decode", b"FlateDecode"}:
        return
    try:
        for name in filters:
            if name == b"ASCII85Decode":
                raw = base64.a85decode(raw.strip().removesuffix(b"~>"))
            else:
                raw = zlib.decompress(raw)
    except (ValueError, zlib.error) as exc:
        raise _Damaged(f"the content stream {number} does not decode") from exc


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
