"""One error type for everything a user can get wrong, with file, line, column and key path."""

from __future__ import annotations

from dataclasses import dataclass

import click


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    column: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class Where(str):
    """A "file:line:col" string (as before) that also remembers finer positions for messages:
    `path`, the key path of what it marks, and `keys`, {name: Problem-style (file, line, column, path)}
    for the keys inside it (an element's properties, a card's fields)."""

    def __new__(cls, text: str, path: str = "", keys: dict | None = None):
        self = super().__new__(cls, text)
        self.path = path
        self.keys = keys or {}
        return self

    @classmethod
    def of(cls, where: str) -> "Where":
        """`where` as a Where, whether it already is one or a plain "file:line:col" string."""
        return where if isinstance(where, Where) else cls(str(where))

    def at(self, key: str, message: str) -> Problem:
        """A problem at `key` inside this place, or at the place itself if the key is not known."""
        if key in self.keys:
            file, line, column, path = self.keys[key]
            return Problem(file, line, column, path, message)
        file, line, column = (self.rsplit(":", 2) + ["", ""])[:3]
        path = f"{self.path}.{key}" if self.path and key else (self.path or key)
        return Problem(file, int(line) if line.isdigit() else None, int(column) if column.isdigit() else None,
                       path, message)


class KaartgenError(click.ClickException):
    """Raised with every problem found, so a user fixes a file in one go; exit code 1."""

    exit_code = 1

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def show(self, file=None) -> None:
        for problem in self.problems:
            click.secho(f"error: {problem}", err=True, fg="red")


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
