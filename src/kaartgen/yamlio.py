"""Load YAML safely into plain Python values, keeping the line and column of every node.

Gives a `Doc`: the data, plus `where(path)` to turn a key path into a source position.
libyaml's C parser (bundled with PyYAML's wheels) reads the text; a text it refuses is read
again by PyYAML's own parser, whose messages kaartgen explains in plain words.
Only YAML's standard tags are accepted (yaml.SafeLoader), and alias bombs, duplicate keys
and oversized files are refused before they cost memory. Every file is read with
`read_regular`: an ordinary file (never a pipe or device, which would block), opened without
blocking, optionally only inside the project folder.
"""

from __future__ import annotations

import codecs
import copy
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.reader import Reader
from yaml.resolver import Resolver

try:
    from yaml.cyaml import CParser
except ImportError:  # a PyYAML built without libyaml
    CParser = None

from kaartgen import messages as msg
from kaartgen.errors import KaartgenError, Problem
from kaartgen.messages import Said

MAX_FILE_BYTES = 20_000_000  # a 10 000-card deck is about 4.5 MB
MAX_NODES = 1_000_000
MAX_DEPTH = 64  # nothing we read nests deeper than a dozen levels
_TAG = "tag:yaml.org,2002:"

Path_ = tuple  # a key path: ("cards", 3, "audience")


@dataclass
class Doc:
    file: str
    data: Any
    marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    # Empty values followed by a comment: `color: #7a1f5c` is YAML for "no value" and a comment.
    comments: dict[tuple, str] = field(default_factory=dict)

    def where(self, path: tuple) -> tuple[int | None, int | None]:
        """Line and column of the deepest node on `path` that has a mark (1-based)."""
        path = tuple(path)
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, (None, None))

    def position(self, path: tuple) -> tuple[str, int | None, int | None]:
        """File, line and column for a message about `path` (a spreadsheet names a cell instead)."""
        return (self.file, *self.where(path))

    def problem(self, path: tuple, message: Said | str) -> Problem:
        file, line, column = self.position(path)
        if tuple(path) in self.comments:
            message = msg.UNQUOTED_HASH(text=message, value=self.comments[tuple(path)])
        return Problem(file, line, column, format_path(path, self.data), message)


def format_path(path: tuple, data: Any = None) -> str:
    """"cards[welkom].title": a list item is named by its id when `data` shows one, else by its index."""
    out = ""
    for part in path:
        data = _child(data, part)
        if isinstance(part, int):
            name = data.get("id") if isinstance(data, dict) else None
            out += f"[{name}]" if isinstance(name, (str, int)) and not isinstance(name, bool) else f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _child(data: Any, part) -> Any:
    if isinstance(data, dict):
        return data.get(part)
    if isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
        return data[part]
    return None


def display_name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class ParseCache:
    """Parsed files by name and content: a batch builds many sets from the same decks and layouts,
    and parsing YAML in pure Python costs more than drawing. Callers get their own copy of the data."""

    def __init__(self, limit: int = 128):
        self.limit = limit
        self.docs: dict[tuple, Doc] = {}

    def get(self, key: tuple) -> Doc | None:
        doc = self.docs.get(key)
        return None if doc is None else Doc(doc.file, copy.deepcopy(doc.data), doc.marks, doc.comments)

    def put(self, key: tuple, doc: Doc) -> None:
        if len(self.docs) >= self.limit:
            self.docs.pop(next(iter(self.docs)))
        self.docs[key] = Doc(doc.file, copy.deepcopy(doc.data), dict(doc.marks), dict(doc.comments))


PARSED = ParseCache()


class FileRefused(Exception):
    """A file kaartgen will not read (not a regular file, outside the project, too big);
    `said` is the message for the user."""

    def __init__(self, said: Said):
        super().__init__(str(said))
        self.said = said


_KINDS = {stat.S_IFIFO: msg.KIND_FIFO, stat.S_IFCHR: msg.KIND_DEVICE, stat.S_IFBLK: msg.KIND_DEVICE,
          stat.S_IFSOCK: msg.KIND_SOCKET, stat.S_IFDIR: msg.KIND_FOLDER}


def read_regular(path: Path, limit: int, inside: Path | None = None, first: int | None = None) -> bytes:
    """The bytes of `path`: a regular file of at most `limit` bytes and, when `inside` is
    given, inside that folder after resolving symbolic links. Opened without blocking and
    checked on the open file, so a named pipe or a device never hangs a build.
    `first`: only that many bytes from the start (to peek at a file)."""
    path = Path(path)
    if inside is not None and not path.resolve().is_relative_to(Path(inside).resolve()):
        raise FileRefused(msg.FILE_OUTSIDE_PROJECT())
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                     | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise FileRefused(msg.CANNOT_READ(reason=msg.os_reason(exc)))
    try:  # checked before os.fdopen, which refuses a folder with an OSError of its own
        _check_opened(os.fstat(fd), limit)
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as handle:
        try:
            raw = handle.read(limit + 1 if first is None else first)
        except OSError as exc:
            raise FileRefused(msg.CANNOT_READ(reason=msg.os_reason(exc)))
    if len(raw) > limit:  # it grew while we read it
        raise FileRefused(msg.FILE_GREW(limit=limit // 1_000_000))
    return raw


def _check_opened(info: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(info.st_mode):
        kind = _KINDS.get(stat.S_IFMT(info.st_mode), msg.KIND_OTHER)
        raise FileRefused(msg.NOT_AN_ORDINARY_FILE(kind=kind()))
    if info.st_size > limit:
        raise FileRefused(msg.FILE_TOO_BIG(size=info.st_size // 1_000_000, limit=limit // 1_000_000))


def load_file(path: Path, inside: Path | None = None) -> Doc:
    """The YAML document in `path` (a regular file; inside `inside`, when given). A UTF-8 byte-order
    mark at the start is fine: Windows editors write one."""
    name = display_name(path)
    try:
        raw = read_regular(path, MAX_FILE_BYTES, inside)
    except FileRefused as exc:
        raise KaartgenError(Problem(name, None, None, "", exc.said))
    key = (name, hashlib.blake2b(raw, digest_size=16).digest())  # the content, not a timestamp
    cached = PARSED.get(key)
    if cached is not None:
        return cached
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise KaartgenError(Problem(name, line, column, "", msg.NOT_UTF8(offset=exc.start)))
    doc = load_text(text, name)
    PARSED.put(key, doc)
    return doc


class _DepthGuard(Composer):
    """Refuses deep nesting while composing, before Python's recursion limit."""

    depth = 0

    def compose_node(self, parent, index):
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH + 1:
                mark = self.peek_event().start_mark
                raise KaartgenError(Problem(self.name, mark.line + 1, mark.column + 1, "",
                                            msg.TOO_DEEP(limit=MAX_DEPTH)))
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Loader(_DepthGuard, yaml.SafeLoader):
    """PyYAML's own SafeLoader: its error messages are the ones kaartgen explains (see _syntax_hint)."""


if CParser is not None:
    class _FastLoader(_DepthGuard, CParser, SafeConstructor, Resolver):
        """Events from libyaml's C parser (ten times faster on a large deck), composed and
        constructed by the same Python code as _Loader."""

        def __init__(self, stream):
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
else:  # a PyYAML built without libyaml
    _FastLoader = None


def load_text(text: str, name: str) -> Doc:
    if _FastLoader is not None and not Reader.NON_PRINTABLE.search(text):
        try:
            return _compose(_FastLoader(text), text, name)
        except (yaml.YAMLError, RecursionError):
            pass  # the pure-Python loader finds the same mistake and words it the way we explain
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:  # checked for the whole text up front
        raise KaartgenError(_reader_problem(exc, text, name))
    try:
        return _compose(loader, text, name)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and "quoted scalar" in (exc.context or ""):
            mark = exc.context_mark  # where the unclosed quote opened, not the end of the file
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        detail = yaml_problem(exc)
        raise KaartgenError(Problem(name, line, column, "", msg.YAML_SYNTAX(detail=detail, hint=_syntax_hint(exc))))
    except yaml.reader.ReaderError as exc:
        raise KaartgenError(_reader_problem(exc, text, name))
    except yaml.YAMLError as exc:
        raise KaartgenError(Problem(name, None, None, "", msg.YAML_ERROR(detail=str(exc))))
    except RecursionError:
        mark = loader.get_mark()
        raise KaartgenError(Problem(name, mark.line + 1, mark.column + 1, "", msg.TOO_DEEP(limit=MAX_DEPTH)))


def _compose(loader, text: str, name: str) -> Doc:
    loader.name = name
    try:
        node = loader.get_single_node()
        doc = Doc(name, None)
        doc.data = _Converter(loader, doc, text).convert(node, ()) if node is not None else None
        return doc
    finally:
        loader.dispose()


def _reader_problem(exc: yaml.reader.ReaderError, text: str, name: str) -> Problem:
    position = min(max(exc.position, 0), len(text))
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return Problem(name, line, column, "", msg.CONTROL_CHARACTER(char=f"U+{exc.character:04X}"))


# PyYAML's problem texts (and libyaml's, for the C loader), each with its message; the names
# of the groups are the message's placeholders
_YAML_PROBLEMS = [(re.compile(pattern), message) for pattern, message in (
    (r"mapping values are not allowed here", msg.YAML_MAPPING_VALUES),
    (r"(block )?sequence entries are not allowed (here|in this context)", msg.YAML_SEQUENCE_ENTRIES),
    (r"mapping keys are not allowed here", msg.YAML_MAPPING_KEYS),
    (r"found character (?P<char>.+) that cannot start any token", msg.YAML_CANNOT_START),
    (r"could not find expected ':'", msg.YAML_NO_COLON),
    (r"did not find expected key", msg.YAML_NO_KEY),
    (r"found undefined alias (?P<name>.+)", msg.YAML_UNDEFINED_ALIAS),
    (r"found duplicate anchor (?P<name>.+?);? first occurrence", msg.YAML_DUPLICATE_ANCHOR),
    (r"expected <block end>, but found (?P<token>.+)", msg.YAML_BLOCK_END),
    (r"expected ',' or '(?P<bracket>[]}])', but got (?P<token>.+)", msg.YAML_FLOW_END),
    (r"found unexpected end of stream", msg.YAML_END_OF_STREAM),
    (r"found unexpected document separator", msg.YAML_DOCUMENT_SEPARATOR),
    (r"found unknown escape character (?P<char>.+)", msg.YAML_UNKNOWN_ESCAPE),
    (r"(expected a single document in the stream|but found another document)", msg.YAML_SECOND_DOCUMENT),
    (r"could not determine a constructor for the tag (?P<tag>.+)", msg.YAML_UNKNOWN_TAG),
    (r"found incompatible YAML document \(version 1\.\* is required\)", msg.YAML_VERSION),
    (r"expected the node content, but found (?P<token>.+)", msg.YAML_NODE_CONTENT),
    (r"expected '<document start>', but found (?P<token>.+)", msg.YAML_DOCUMENT_START),
    (r"expected alphabetic or numeric character, but found (?P<char>.+)", msg.YAML_NAME_CHARACTER),
)]

_TOKENS = {message.text: message for message in (msg.TOKEN_STREAM_END, msg.TOKEN_MAPPING_START,
                                                 msg.TOKEN_SEQUENCE_START, msg.TOKEN_SCALAR, msg.TOKEN_ALIAS,
                                                 msg.TOKEN_ANCHOR, msg.TOKEN_TAG, msg.TOKEN_DOCUMENT_START)}


def yaml_problem(exc: yaml.MarkedYAMLError) -> Said | str:
    """PyYAML's problem as a message in the reader's language: its problem text, else its context
    (a duplicate anchor or a second document is told there). A text not known here stays English."""
    texts = [text.strip() for text in (exc.problem, exc.context) if text]
    for text in texts:
        for pattern, message in _YAML_PROBLEMS:
            found = pattern.fullmatch(text)
            if found:
                return message(**{k: _TOKENS[v]() if v in _TOKENS else v for k, v in found.groupdict().items()})
    return texts[0] if texts else msg.YAML_INVALID()


def _syntax_hint(exc: yaml.MarkedYAMLError) -> Said | str:
    """Plain words for PyYAML's messages about the mistakes people make when editing by hand."""
    problem, context = exc.problem or "", exc.context or ""
    if "\\t" in problem or "tab" in problem.lower():
        return msg.HINT_TABS()
    if "escape" in problem:
        return msg.HINT_ESCAPE()
    if "quoted scalar" in context:
        return msg.HINT_UNCLOSED_QUOTE()
    if "alias" in context or "undefined alias" in problem:
        return msg.HINT_STAR()
    if "flow" in context and exc.context_mark:
        bracket = "[" if "sequence" in context else "{"
        return msg.HINT_BRACKET(bracket=bracket, line=exc.context_mark.line + 1)
    if "mapping values are not allowed" in problem:
        return msg.HINT_COLON()
    if "sequence entries are not allowed" in problem:
        return msg.HINT_DASH()
    if "<scalar>" in problem:
        return msg.HINT_AFTER_QUOTE()
    if "expected <block end>" in problem or "could not find expected ':'" in problem:
        return msg.HINT_INDENT()
    if "cannot start any token" in problem:
        return msg.HINT_QUOTE_START()
    if "constructor for the tag" in problem:
        return msg.HINT_BANG()
    return ""


_COMMENT_AFTER = re.compile(r"[ \t]*(#\S*)")


class _Converter:
    def __init__(self, loader, doc: Doc, text: str):
        self.loader = loader
        self.doc = doc
        self.text = text
        self.count = 0
        self.open: set[int] = set()  # nodes being converted, to catch an alias inside itself

    def convert(self, node: yaml.Node, path: tuple) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise KaartgenError(self.doc_problem(node, path, msg.ALIAS_BOMB(limit=MAX_NODES)))
        if len(path) > MAX_DEPTH:
            raise KaartgenError(self.doc_problem(node, path[:3], msg.NESTED_DEEP(limit=MAX_DEPTH)))
        if id(node) in self.open:
            raise KaartgenError(self.doc_problem(node, path, msg.ALIAS_CYCLE()))
        self.doc.marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            expected = _TAG + ("map" if isinstance(node, yaml.MappingNode) else "seq")
            if node.tag != expected:
                raise KaartgenError(self.doc_problem(node, path, msg.TAG_NOT_ALLOWED(tag=node.tag.replace(_TAG, '!!'))))
            self.open.add(id(node))
            try:
                return self._collection(node, path)
            finally:
                self.open.discard(id(node))
        if node.tag == _TAG + "timestamp":
            return node.value  # a date like 2024-05-01 is text to us, as written
        value = self.loader.construct_object(node)
        if value is None and node.value == "":
            comment = _COMMENT_AFTER.match(self.text, node.start_mark.index)  # no copy of the rest
            if comment:
                self.doc.comments[path] = comment.group(1)
        if isinstance(value, str) and "\x00" in value:  # only "\0" in quotes makes one; no path may hold it
            raise KaartgenError(self.doc_problem(node, path, msg.NUL_CHARACTER()))
        return value

    def _collection(self, node: yaml.Node, path: tuple) -> Any:
        if isinstance(node, yaml.MappingNode):
            own = {id(key_node) for key_node, _ in node.value}
            self.loader.flatten_mapping(node)
            result: dict = {}
            key_lines: dict = {}  # own keys only: a key may override one merged in with <<: *name
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise KaartgenError(self.doc_problem(key_node, path, msg.KEY_NOT_TEXT()))
                key = self.loader.construct_object(key_node)
                if not isinstance(key, (str, int)) or isinstance(key, bool):
                    key = str(key)
                if key in key_lines:
                    raise KaartgenError(self.doc_problem(key_node, path + (key,), msg.DUPLICATE_KEY(key=key,
                                                                                        line=key_lines[key])))
                if id(key_node) in own:
                    key_lines[key] = key_node.start_mark.line + 1
                result[key] = self.convert(value_node, path + (key,))
                self.doc.marks[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            return result
        return [self.convert(item, path + (i,)) for i, item in enumerate(node.value)]

    def doc_problem(self, node: yaml.Node, path: tuple, message: Said) -> Problem:
        return Problem(self.doc.file, node.start_mark.line + 1, node.start_mark.column + 1,
                       format_path(path), message)
