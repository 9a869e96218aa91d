"""Watch mode: which saves rebuild what (a pure function), and the real thing in a subprocess."""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, pdftext
from kaartgen.build import Options, Project
from kaartgen.watch import Index, Plan, build_index, plan_rebuild

R = Path("/p")  # an imaginary project root: planning never touches the disk


def index(**overrides) -> Index:
    """Three decks on a small layout tree, two sets (one with its output already built)."""
    values = dict(
        decks={R / "cards/gesprekskaarten.yaml": "gesprekskaart", R / "cards/netwerkkaart.yaml": "netwerkkaart",
               R / "cards/routekaart.yaml": "routekaart"},
        layouts={"base": None, "gesprekskaart": "base", "netwerkkaart": "base", "routekaart": "poster",
                 "poster": "base", "checklist": "base"},
        sets={R / "cards/sets/a.yaml": ("gesprekskaarten",), R / "cards/sets/b.yaml": None},
        checklists={R / "cards/checklist-lerend-partnerschap.yaml": "checklist"},
        active_sets=frozenset({R / "cards/sets/a.yaml"}),
    )
    values.update(overrides)
    return Index(root=R, **values)


def plan(*paths: str, **overrides) -> Plan:
    return plan_rebuild([R / p for p in paths], index(**overrides))


def decks(result: Plan) -> list[str]:
    return [p.stem for p in result.decks]


def sets(result: Plan) -> dict:
    return {p.stem: (sorted(only) if only is not None else None) for p, only in result.sets}


def test_a_deck_file_rebuilds_that_deck_and_the_built_sets_that_include_it():
    result = plan("cards/gesprekskaarten.yaml")
    assert decks(result) == ["gesprekskaarten"]
    assert sets(result) == {"a": ["gesprekskaarten"]}  # b has no output yet: not built behind your back


def test_a_deck_outside_a_built_set_leaves_the_set_alone():
    assert plan("cards/netwerkkaart.yaml") == Plan(decks=(R / "cards/netwerkkaart.yaml",))


def test_a_built_set_of_all_decks_follows_every_deck():
    result = plan("cards/netwerkkaart.yaml", active_sets=frozenset({R / "cards/sets/b.yaml"}))
    assert sets(result) == {"b": ["netwerkkaart"]}


def test_a_layout_rebuilds_the_decks_that_use_it_directly_or_through_extends():
    assert decks(plan("layouts/gesprekskaart.yaml")) == ["gesprekskaarten"]
    assert decks(plan("layouts/poster.yaml")) == ["routekaart"]
    assert decks(plan("layouts/base.yaml")) == ["gesprekskaarten", "netwerkkaart", "routekaart"]
    assert sets(plan("layouts/base.yaml")) == {"a": ["gesprekskaarten"]}


def test_an_unused_layout_rebuilds_nothing():
    assert not plan("layouts/dialoogkaart.yaml")


def test_a_deck_whose_layout_is_unknown_is_rebuilt_on_any_layout_change():
    broken = {R / "cards/gesprekskaarten.yaml": None, R / "cards/netwerkkaart.yaml": "netwerkkaart"}
    assert decks(plan("layouts/poster.yaml", decks=broken)) == ["gesprekskaarten"]


def test_a_missing_layout_that_appears_rebuilds_the_decks_waiting_for_it():
    layouts = {"base": None, "routekaart": "poster"}  # poster.yaml does not exist yet
    assert decks(plan("layouts/poster.yaml", layouts=layouts)) == ["routekaart"]


def test_a_set_file_rebuilds_that_set_whole():
    result = plan("cards/sets/b.yaml")
    assert decks(result) == []
    assert sets(result) == {"b": None}


def test_an_image_rebuilds_every_deck_and_every_built_set():
    result = plan("cards/sets/logos/de-brug.svg")
    assert decks(result) == ["gesprekskaarten", "netwerkkaart", "routekaart"]
    assert sets(result) == {"a": None}


def test_editor_droppings_rebuild_nothing():
    assert not plan("cards/sed8Xk2pq", "cards/.gesprekskaarten.yaml.swp", "cards/4913", "layouts/notes.txt")
    assert not plan("cards/unknown.yaml")  # neither a deck nor a checklist in the index (gone, say)
    assert not plan("output/gesprekskaarten/gesprekskaarten-drukwerk.pdf")


def test_a_checklist_file_rebuilds_that_checklist_only():
    result = plan("cards/checklist-lerend-partnerschap.yaml")
    assert result == Plan(checklists=(R / "cards/checklist-lerend-partnerschap.yaml",))


def test_a_layout_rebuilds_the_checklists_that_use_it():
    assert plan("layouts/checklist.yaml").checklists == (R / "cards/checklist-lerend-partnerschap.yaml",)
    assert plan("layouts/base.yaml").checklists == (R / "cards/checklist-lerend-partnerschap.yaml",)
    assert not plan("layouts/gesprekskaart.yaml").checklists


def test_an_image_or_font_rebuilds_the_checklists_too():
    assert plan("fonts/eigen.ttf").checklists == (R / "cards/checklist-lerend-partnerschap.yaml",)


def test_changes_together_are_combined_without_duplicates():
    result = plan("cards/gesprekskaarten.yaml", "layouts/gesprekskaart.yaml", "cards/sets/a.yaml",
                  "cards/netwerkkaart.yaml")
    assert decks(result) == ["gesprekskaarten", "netwerkkaart"]
    assert sets(result) == {"a": None}  # the set file itself changed: all of it


def test_extends_cycle_does_not_hang():
    assert decks(plan("layouts/x.yaml", layouts={"x": "y", "y": "x"},
                      decks={R / "cards/d.yaml": "x"})) == ["d"]


def test_index_of_the_shipped_project(project, tmp_path):
    found = build_index(Project(project), Options(out=tmp_path / "out"))
    root = project.resolve()
    assert found.decks[root / "cards" / "gesprekskaarten.yaml"] == "gesprekskaart"
    assert found.layouts["gesprekskaart"] == "base"
    assert not any("checklist" in p.name for p in found.decks)
    assert sorted(p.name for p in found.checklists) == ["checklist-lerend-partnerschap.yaml",
                                                        "checklist-lerende-organisatie.yaml"]
    assert set(found.checklists.values()) == {"checklist"}
    for path, included in found.sets.items():
        listed = yaml.safe_load(path.read_text(encoding="utf-8")).get("decks")
        assert included == (tuple(listed) if listed else None), path.name
    assert found.active_sets == frozenset()
    assert decks(plan_rebuild([root / "layouts" / "base.yaml"], found)) == sorted(p.stem for p in found.decks)


# --- the real thing -------------------------------------------------------------------------

TIMEOUT = 30.0


class Output:
    """Lines a subprocess prints, collected by a thread so reading never blocks the test."""

    def __init__(self, process: subprocess.Popen):
        self.lines: list[str] = []
        self._queue: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, args=(process.stdout,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            self._queue.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = TIMEOUT) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines:
                if re.search(pattern, line):
                    return line
            try:
                self.lines.append(self._queue.get(timeout=0.1))
            except queue.Empty:
                pass
        raise AssertionError(f"no line matching {pattern!r} within {timeout} s; got:\n" + "\n".join(self.lines))

    def since(self, start: int) -> list[str]:
        return self.lines[start:]


def poll(condition, timeout: float = TIMEOUT, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def small_project(tmp_path: Path) -> Path:
    """Only gesprekskaarten and its layouts, so the watch builds in a blink."""
    (tmp_path / "cards").mkdir()
    (tmp_path / "layouts").mkdir()
    shutil.copy(ROOT / "cards" / "gesprekskaarten.yaml", tmp_path / "cards")
    for name in ("base", "gesprekskaart"):
        shutil.copy(ROOT / "layouts" / f"{name}.yaml", tmp_path / "layouts")
    return tmp_path


def test_watch_rebuilds_on_save_and_survives_a_broken_file(small_project: Path):
    deck = small_project / "cards" / "gesprekskaarten.yaml"
    pdf = small_project / "output" / "gesprekskaarten" / "gesprekskaarten-drukwerk.pdf"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"}
    env.pop("KAARTGEN_DEBUG", None)
    process = subprocess.Popen([sys.executable, "-m", "kaartgen", "watch"], cwd=small_project, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8")
    try:
        out = Output(process)
        out.wait_for(r"^watching cards/, layouts/")
        assert pdf.is_file()  # the first build happens before watching starts
        before = (pdf.stat().st_mtime_ns, pdf.read_bytes())

        # 1. change a card's title: the PDF is rebuilt with the new text
        text = deck.read_text(encoding="utf-8")
        assert "title: Wat is Samen Opleiden?" in text
        deck.write_text(text.replace("title: Wat is Samen Opleiden?", "title: Wat is Samen Opleiden eigenlijk?"),
                        encoding="utf-8")
        poll(lambda: (pdf.stat().st_mtime_ns, pdf.read_bytes()) != before, what="the PDF to be rebuilt")
        poll(lambda: "Wat is Samen Opleiden eigenlijk?" in pdftext(pdf), what="the new title in the PDF")
        out.wait_for(r"gesprekskaarten: \d+ pages in")

        # 2. a YAML error: reported with file:line, the PDF stays as it was, the watch goes on
        start = len(out.lines)
        good = (pdf.stat().st_mtime_ns, pdf.read_bytes())
        lines = deck.read_text(encoding="utf-8").splitlines(keepends=True)
        broken_line = next(i for i, line in enumerate(lines) if line.strip() == "- id: instructie") + 1
        lines[broken_line - 1] = lines[broken_line - 1].replace("- id: instructie", "- id: instructie: kapot")
        deck.write_text("".join(lines), encoding="utf-8")
        line = out.wait_for(rf"error: cards/gesprekskaarten\.yaml:{broken_line}:\d+: YAML syntax error")
        assert "Traceback" not in "\n".join(out.since(start)), line
        time.sleep(0.5)
        assert process.poll() is None, "the watch stopped after an error"
        assert (pdf.stat().st_mtime_ns, pdf.read_bytes()) == good

        # 3. fixing it rebuilds again
        lines[broken_line - 1] = lines[broken_line - 1].replace("- id: instructie: kapot", "- id: instructie")
        deck.write_text("".join(lines), encoding="utf-8")
        poll(lambda: pdf.stat().st_mtime_ns != good[0], what="the rebuild after the fix")
        assert process.poll() is None
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
