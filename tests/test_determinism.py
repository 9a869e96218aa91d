"""Same input, same bytes: the shipped gesprekskaarten built twice in this process and once in
a fresh process (another hash seed, so no set or dict order can leak into the PDF)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

DECK = "gesprekskaarten"


def pdfs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / DECK).glob("*.pdf"))}


def test_gesprekskaarten_are_byte_identical(kaartgen, project, tmp_path):
    builds = []
    for run in ("first", "second"):
        result = kaartgen(project, "build", DECK, "--out", str(tmp_path / run))
        assert result.exit_code == 0, result.output
        builds.append(pdfs(tmp_path / run))

    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    env.pop("KAARTGEN_DEBUG", None)
    result = subprocess.run([sys.executable, "-m", "kaartgen", "build", DECK, "--out", str(tmp_path / "fresh")],
                            cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    builds.append(pdfs(tmp_path / "fresh"))

    assert sorted(builds[0]) == [f"{DECK}-a4.pdf", f"{DECK}-drukwerk.pdf"]
    for name in builds[0]:
        assert builds[1][name] == builds[0][name], f"{name} differs between two builds in one process"
        assert builds[2][name] == builds[0][name], f"{name} differs when built in a separate process"


def test_output_does_not_depend_on_the_project_folder(kaartgen, project, tmp_path):
    """The copy in a temporary folder gives the same PDFs as the shipped project itself."""
    assert kaartgen(project, "build", DECK, "--out", str(tmp_path / "copy")).exit_code == 0
    assert kaartgen(ROOT, "build", DECK, "--out", str(tmp_path / "shipped")).exit_code == 0
    assert pdfs(tmp_path / "copy") == pdfs(tmp_path / "shipped")
