"""Load YAML safely into plain Python values, keeping the line and column of every node.

Gives a `Doc`: the data, plus `where(path)` to turn a key path into a source position.
Only YAML's standard tags are accepted (yaml.SafeLoader), and alias bombs, duplicate keys
and oversized files are refused before they cost memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kaartgen.errors import KaartgenError, Problem

MAX_FILE_BYTES = 2_000_000
MAX_NODES = 200_000

Path_ = tuple  # a key path: ("cards", 3, "audience")


@dataclass
class Doc:
    file: str
    data: Any
    marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: tuple) -> tuple[int | None, int | None]:
        """Line and column of the deepest node on `path` that has a mark (1-based)."""
        path = tuple(path)
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, (None, None))

    def problem(self, path: tuple, message: str) -> Problem:
        line, column = self.where(path)
        return Problem(self.file, line, column, format_path(path), message)


def format_path(path: tuple) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def display_name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_file(path: Path) -> Doc:
    name = display_name(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise KaartgenError(Problem(name, None, None, "", f"cannot read file: {exc.strerror}"))
    if size > MAX_FILE_BYTES:
        raise KaartgenError(Problem(name, None, None, "",
                                    f"file is {size // 1_000_000} MB; the limit is {MAX_FILE_BYTES // 1_000_000} MB"))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise KaartgenError(Problem(name, None, None, "", f"not UTF-8 text (byte {exc.start})"))
    return load_text(text, name)


def load_text(text: str, name: str) -> Doc:
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        doc = Doc(name, None)
        doc.data = _Converter(loader, doc).convert(node, ()) if node is not None else None
        return doc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        message = (exc.problem or exc.context or "invalid YAML").strip()
        if "\\t" in message or "tab" in message.lower():
            message += " (use spaces for indentation, not tabs)"
        raise KaartgenError(Problem(name, line, column, "", f"YAML syntax error: {message}"))
    except yaml.YAMLError as exc:
        raise KaartgenError(Problem(name, None, None, "", f"YAML error: {exc}"))
    finally:
        loader.dispose()


class _Converter:
    def __init__(self, loader: yaml.SafeLoader, doc: Doc):
        self.loader = loader
        self.doc = doc
        self.count = 0

    def convert(self, node: yaml.Node, path: tuple) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise KaartgenError(self.doc_problem(node, path, f"document expands to more than {MAX_NODES} values "
                                                 "(an alias bomb?)"))
        self.doc.marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)
            result: dict = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise KaartgenError(self.doc_problem(key_node, path, "a key must be plain text"))
                key = self.loader.construct_object(key_node)
                if not isinstance(key, (str, int)) or isinstance(key, bool):
                    key = str(key)
                if key in result:
                    raise KaartgenError(self.doc_problem(key_node, path + (key,), "duplicate key"))
                result[key] = self.convert(value_node, path + (key,))
                self.doc.marks[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, path + (i,)) for i, item in enumerate(node.value)]
        return self.loader.construct_object(node)

    def doc_problem(self, node: yaml.Node, path: tuple, message: str) -> Problem:
        return Problem(self.doc.file, node.start_mark.line + 1, node.start_mark.column + 1,
                       format_path(path), message)
