"""One error type for everything a user can get wrong, with file, line, column and key path,
and the one reporter that shows problems to the user, in one format for every command:

    error: cards/deck.yaml:12:5: cards[welkom].title: unknown colour 'x'; … [K201]
    fout: cards/deck.yaml:12:5: cards[welkom].title: onbekende kleur 'x'; … [K201]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import click

from kaartgen import messages
from kaartgen.messages import Said


@dataclass(frozen=True)
class Problem:
    """What is wrong and where. `said` is the coded message with its values (plain text is accepted
    for messages not yet in the catalogue); it is put into words when shown, in the reader's language."""

    file: str
    line: int | None
    column: int | None
    path: str
    said: Said

    def __post_init__(self):
        object.__setattr__(self, "said", messages.said(self.said))

    @property
    def code(self) -> str:
        return self.said.code

    @property
    def params(self) -> Mapping[str, Any]:
        return self.said.params

    @property
    def message(self) -> str:
        return self.said.render()

    def place(self) -> str:
        where = messages.safe(self.file, 200)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def render(self, language: str = messages.DEFAULT_LANGUAGE) -> str:
        """"file:line:col: path: message [code]" in `language`."""
        parts = [self.place()] if self.file else []
        if self.path:
            parts.append(messages.safe(self.path, 120))
        parts.append(self.said.render(language) + (f" [{self.code}]" if self.code else ""))
        return ": ".join(parts)

    def __str__(self) -> str:
        return self.render()

    def sort_key(self) -> tuple:
        return (self.file, self.line or 0, self.column or 0, self.path)


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

    def at(self, key: str, message: Said | str) -> Problem:
        """A problem at `key` inside this place, or at the place itself if the key is not known."""
        if key in self.keys:
            file, line, column, path = self.keys[key]
            return Problem(file, line, column, path, message)
        file, line, column = (self.rsplit(":", 2) + ["", ""])[:3]
        path = f"{self.path}.{key}" if self.path and key else (self.path or key)
        return Problem(file, int(line) if line.isdigit() else None, int(column) if column.isdigit() else None,
                       path, message)


class KaartgenError(click.ClickException):
    """Raised with every problem found, so a user fixes a file in one go; exit code 1.

    `partial` is what could be made despite the problems (a layout with an unknown colour, the
    valid cards of a deck), so `kaartgen check` can look further and report every error in one run.
    Never build from it."""

    exit_code = 1

    def __init__(self, problems: list[Problem] | Problem, partial: Any = None):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        self.partial = partial
        super().__init__("\n".join(str(p) for p in self.problems))

    def show(self, file=None) -> None:
        Reporter().errors(self.problems)


class Reporter:
    """Shows problems and failures on stderr, in `language`, one line each, in one format."""

    def __init__(self, language: str = ""):
        self.language = language or messages.DEFAULT_LANGUAGE

    def line(self, label: messages.Message, problem: Problem) -> str:
        return f"{label().render(self.language)}: {problem.render(self.language)}"

    def errors(self, problems: list[Problem]) -> None:
        """Sorted by file and line; a problem found twice (a layout two decks use) shown once."""
        lines = [self.line(messages.ERROR, problem) for problem in sorted(problems, key=Problem.sort_key)]
        for line in dict.fromkeys(lines):
            click.secho(line, err=True, fg="red")

    def warnings(self, problems: list[Problem]) -> None:
        for problem in problems:
            click.secho(self.line(messages.WARNING, problem), err=True, fg="yellow")

    def fail(self, text: Said | str) -> None:
        """An error that has no place in a file (a command-line mistake, a summary of failures)."""
        self.errors([Problem("", None, None, "", text)])

    def say(self, text: Said | str) -> None:
        """A line of progress or result, on stdout."""
        click.echo(messages.said(text).render(self.language))
