"""Shared test helpers: a CLI runner in a project folder, PDF tools, text normalisation."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kaartgen.cli import cli

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


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
