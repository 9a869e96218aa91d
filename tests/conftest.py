"""Shared test helpers: a CLI runner in a project folder, PDF tools, text normalisation, the cards
drawn on an office sheet."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from pypdf.generic import ContentStream

from kaartgen.cli import cli

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def cold_caches():
    """Under mutmut, empty kaartgen's memoised results before each test. mutmut runs a mutant's
    tests in a process forked from one that already ran the whole suite, so a cached text layout
    would otherwise hide a mutant in the code that made it (and count it as survived)."""
    if os.environ.get("MUTANT_UNDER_TEST"):
        for module in [m for name, m in list(sys.modules.items()) if name.startswith("kaartgen")]:
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)) and value.__module__ == module.__name__:
                    value.cache_clear()
    yield


def need_tool(name: str) -> str:
    """Path of an external tool; skips the test without it, except in CI where it must exist."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("KAARTGEN_REQUIRE_TOOLS"):
            pytest.fail(f"{name} is required (KAARTGEN_REQUIRE_TOOLS is set)")
        pytest.skip(f"{name} not installed")
    return path


def run_tool(*args: str) -> str:
    need_tool(args[0])
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def pdftext(path: Path) -> str:
    """pdftotext output with hyphenated line breaks joined and whitespace collapsed."""
    raw = run_tool("pdftotext", "-enc", "UTF-8", str(path), "-")
    raw = raw.replace("\u00ad", "")
    raw = re.sub(r"(\w)-\n(\w)", r"\1\2", raw)
    return re.sub(r"\s+", " ", raw)


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\*\*|(?<!\w)\*|\*(?!\w)", "", text)).strip()


@dataclass
class Slot:
    """One card on an office sheet, in page space: the slot's origin (the card's trim corner), the
    first clip set in it (the artwork with its bleed), and what is drawn inside that clip."""

    origin: tuple[float, float]
    clip: tuple[float, float, float, float]  # x, y, width, height
    forms: list[str] = field(default_factory=list)  # Form XObjects drawn (names without "FormXob.")
    fills: list[tuple[float, float, float]] = field(default_factory=list)  # every `rg` colour set
    filled: list[tuple[float, float, float, float]] = field(default_factory=list)  # rectangles filled


def card_slots(reader: PdfReader, index: int) -> list[Slot]:
    """The cards drawn on page `index`: each is a top-level `q … Q` that starts by clipping to a
    rectangle (the writer's slot), in the order drawn."""
    slots = []
    for operands, op, ctm, rect, slot in _walk(reader, index):
        if slot is None:
            continue
        if not slots or slots[-1] is not slot:
            slots.append(slot)
        if op == b"Do":
            slot.forms.append(str(operands[0]).split("FormXob.")[-1])
        elif op == b"rg":
            slot.fills.append(tuple(float(v) for v in operands))
        elif op in (b"f", b"f*", b"F", b"B", b"B*") and rect:
            slot.filled.append(rect)
    return slots


def sheet_segments(reader: PdfReader, index: int) -> list[tuple[float, float, float, float]]:
    """Every `x1 y1 m x2 y2 l` drawn on page `index` outside the cards (marks, guides), in page space."""
    out, start = [], None
    for operands, op, ctm, _, slot in _walk(reader, index):
        if slot is not None:
            continue
        if op == b"m":
            start = _apply(ctm, *(float(v) for v in operands))
        elif op == b"l" and start is not None:
            end = _apply(ctm, *(float(v) for v in operands))
            out.append((*start, *end))
            start = end
    return out


def _walk(reader: PdfReader, index: int):
    """Each operation of the page with the matrix in force, the rectangle of the current path (page
    space) and the card slot it is drawn in (None outside the cards)."""
    stack, ctm, rect, slot = [], (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), None, None
    for operands, op in ContentStream(reader.pages[index].get_contents(), reader).operations:
        if op == b"q":
            stack.append(ctm)
        elif op == b"Q":
            ctm = stack.pop()
        elif op == b"cm":
            ctm = _concat([float(v) for v in operands], ctm)
        elif op == b"re":
            rect = _page_rect(ctm, *(float(v) for v in operands))
        elif op in (b"W", b"W*") and slot is None and len(stack) == 1 and rect:
            slot = Slot(_apply(ctm, 0, 0), rect)
        yield operands, op, ctm, rect, slot
        if op == b"Q" and not stack:
            slot = None
        if op in (b"m", b"n", b"f", b"f*", b"F", b"B", b"B*", b"S", b"s", b"b", b"b*"):
            rect = None


def _concat(m, ctm):
    a, b, c, d, e, f = m
    A, B, C, D, E, F = ctm
    return a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F


def _apply(ctm, x, y) -> tuple[float, float]:
    a, b, c, d, e, f = ctm
    return a * x + c * y + e, b * x + d * y + f


def _page_rect(ctm, x, y, w, h) -> tuple[float, float, float, float]:
    (x0, y0), (x1, y1) = _apply(ctm, x, y), _apply(ctm, x + w, y + h)
    return min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0)


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """Messages in English whatever the machine's locale; tests of Dutch ask for it."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the shipped project (cards, layouts, printers) to change freely."""
    for name in ("cards", "layouts", "printers"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


@pytest.fixture
def kaartgen(monkeypatch):
    """Run the CLI in a folder: kaartgen(folder, 'build', ...) -> click Result."""
    def run(folder: Path, *args: str):
        monkeypatch.chdir(folder)
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return run


def build_shipped(out: Path, *args: str) -> Path:
    """`kaartgen build ARGS --out OUT` in the shipped project; returns OUT."""
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(cli, ["build", *args, "--out", str(out)], catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory) -> Path:
    """The shipped decks built once for the whole session; returns the output folder."""
    return build_shipped(tmp_path_factory.mktemp("shipped") / "output")


@pytest.fixture(scope="session")
def batch_build(tmp_path_factory) -> subprocess.CompletedProcess:
    """`kaartgen batch` over every shipped set, once per session; `.out` is the output folder."""
    out = tmp_path_factory.mktemp("batch")
    result = subprocess.run([sys.executable, "-m", "kaartgen", "batch", "--jobs", "2", "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    result.out = out
    return result
