"""The bad-input corpus: every broken input ends in exit code 1 and one clear error line.

Each case in tests/bad_inputs/<case>/ holds only the files it breaks; they are copied over the
small valid project in tests/bad_inputs/_base/. Its expect.yaml names the file, line (null when
there is no line to point at), key path ("" for none) and a fragment of the message the user must
see, and the message's catalogue code (e.g. K311); optional: args (default: build), delete
(folders to take away), generate (files too big to commit, written at run time). Every case runs the real entry point
(`python -m kaartgen build`) in a subprocess with the case folder as working directory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
BASE = CORPUS / "_base"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_"))
HANG_GUARD = 60  # seconds: a guard against hangs, not a speed test (speed lives in benchmarks/)


def generate_big_file(folder: Path) -> None:
    """A 50 MB deck, written at run time (never committed): valid YAML that just goes on and on."""
    path = folder / "cards" / "deck.yaml"
    chunk = ("# " + "x" * 997 + "\n").encode()
    with path.open("wb") as handle:
        handle.write(b"deck:\n  title: Groot\n  layout: card\ncards:\n  - id: een\n    title: Een\n")
        for _ in range(50_000):
            handle.write(chunk)


GENERATORS = {"big_file": generate_big_file}


def make_case(name: str, root: Path) -> tuple[Path, dict]:
    folder = root / name
    shutil.copytree(BASE, folder)
    shutil.copytree(CORPUS / name, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expect.yaml"))
    expect = yaml.safe_load((CORPUS / name / "expect.yaml").read_text(encoding="utf-8"))
    for rel in expect.get("delete", []):  # a case can also take something away from the base project
        shutil.rmtree(folder / rel)
    if expect.get("generate"):
        GENERATORS[expect["generate"]](folder)
    return folder, expect


def run_kaartgen(folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "KAARTGEN_DEBUG"}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run([sys.executable, "-m", "kaartgen", *args], cwd=folder, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=HANG_GUARD)


def test_corpus_is_complete():
    assert len(CASES) >= 30
    for name in CASES:
        expect = yaml.safe_load((CORPUS / name / "expect.yaml").read_text(encoding="utf-8"))
        assert {"file", "line", "path", "message", "code"} <= set(expect), name


def test_base_project_builds(tmp_path):
    """The cases fail for their own reason: the project they patch is valid."""
    folder = tmp_path / "base"
    shutil.copytree(BASE, folder)
    result = run_kaartgen(folder, "build")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in folder.rglob("*.pdf")) == ["deck-a4.pdf", "deck-drukwerk.pdf"]


@pytest.mark.parametrize("name", CASES)
def test_bad_input(name, tmp_path):
    folder, expect = make_case(name, tmp_path)
    result = run_kaartgen(folder, *expect.get("args", ["build"]))
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert "internal error" not in output

    where = f"{expect['file']}:{expect['line']}:" if expect["line"] is not None else f"{expect['file']}: "
    lines = [line for line in result.stderr.splitlines() if line.startswith(f"error: {where}")]
    assert lines, f"no error at {where}\n{result.stderr}"
    if expect["path"]:
        lines = [line for line in lines if f" {expect['path']}: " in line]
        assert lines, f"no error with key path {expect['path']!r}\n{result.stderr}"
    assert any(expect["message"] in line for line in lines), result.stderr
    if expect.get("code"):
        assert any(line.endswith(f" [{expect['code']}]") for line in lines), result.stderr
    assert not list(folder.rglob("*.pdf")), "a PDF was written for a broken input"
