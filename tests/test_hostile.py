"""Hostile and unusual inputs: each one ends in a one-line located error (exit ≠ 0, no traceback),
never hangs, writes nothing outside the output folder, and leaves the previous PDFs unchanged
and valid.

Every case starts from the bad-input corpus's small valid project, built once so that good
PDFs exist, then breaks one thing and runs the real entry point (`python -m kaartgen`) with a
timeout as a guard against hangs (not a speed test).
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from conftest import need_tool

BASE = Path(__file__).resolve().parent / "bad_inputs" / "_base"
HANG_GUARD = 60  # seconds


def run_kaartgen(folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "KAARTGEN_DEBUG"}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run([sys.executable, "-m", "kaartgen", *args], cwd=folder, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=HANG_GUARD)


def files_under(root: Path, skip: Path | None = None) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.is_symlink() and not (skip and p.is_relative_to(skip))}


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims width×height pixels but holds one row of data: cheap to write, and
    Pillow reads the size from the header before decoding anything."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * (width + 1))) \
        + chunk(b"IEND", b"")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def set_file(project: Path, name: str, extra: str = "") -> Path:
    path = project / "cards" / "sets" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("set:\n  name: Partnerschap Test\n  short_name: Test\n  sector: po\n" + extra, encoding="utf-8")
    return path


SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ' \
      'width="10" height="10">{body}</svg>'


@dataclass
class Case:
    prepare: Callable[[Path, Path], object]  # (project, outside folder) -> None, or args for kaartgen
    where: str  # the error line starts with "error: <where>"
    message: str
    args: tuple = ("build",)


def logo(name: str) -> Callable[[Path], None]:
    """The last card of the test deck shows images/<name> as its logo (line 14 of the deck)."""
    return lambda project: append(project / "cards" / "deck.yaml", f"    logo: images/{name}\n")


def svg_logo(body: str, prolog: str = "") -> Callable[[Path, Path], None]:
    def prepare(project: Path, outside: Path) -> None:
        (project / "images").mkdir(exist_ok=True)
        (project / "images" / "logo.svg").write_text(prolog + SVG.format(body=body), encoding="utf-8")
        logo("logo.svg")(project)
    return prepare


def fifo_in_cards(project: Path, outside: Path) -> None:
    os.mkfifo(project / "cards" / "pijp.yaml")


def fifo_as_set(project: Path, outside: Path) -> tuple:
    os.mkfifo(project / "pijp.yaml")
    return ("build", "--set", "pijp.yaml")


def fifo_as_image(project: Path, outside: Path) -> None:
    (project / "images").mkdir(exist_ok=True)
    os.mkfifo(project / "images" / "logo.png")
    logo("logo.png")(project)


def outside_image_svg(project: Path, outside: Path) -> None:
    from PIL import Image
    Image.new("RGB", (20, 20), (200, 0, 0)).save(outside / "secret.png")
    rel = os.path.relpath(outside / "secret.png", project / "images")
    svg_logo(f'<image href="{rel}" width="10" height="10"/>')(project, outside)


def font_files(path: str) -> Callable[[Path, Path], None]:
    def prepare(project: Path, outside: Path) -> None:
        if not path.startswith("/"):
            (project / path).write_bytes(Path("/etc/passwd").read_bytes())
        append(project / "layouts" / "card.yaml", f"fonts:\n  files: {{regular: {path}, bold: {path}, "
                                                  f"italic: {path}, bold_italic: {path}}}\n")
    return prepare


def huge_png(project: Path, outside: Path) -> None:
    (project / "images").mkdir(exist_ok=True)
    (project / "images" / "groot.png").write_bytes(png_header(12000, 12000))
    logo("groot.png")(project)


def deck_folder_links_outside(project: Path, outside: Path) -> None:
    shutil.rmtree(project / "output" / "deck")
    (project / "output" / "deck").symlink_to(outside, target_is_directory=True)


def linked_deck_outside(project: Path, outside: Path) -> None:
    (outside / "geheim.yaml").write_text("deck: {title: Geheim, layout: card}\ncards: [{id: a, title: A}]\n",
                                         encoding="utf-8")
    (project / "cards" / "geheim.yaml").symlink_to(outside / "geheim.yaml")


def layout_front(element: str) -> Callable[[Path, Path], None]:
    """The test layout's card front gets one more element (line 7 of layouts/card.yaml)."""
    def prepare(project: Path, outside: Path) -> None:
        append(project / "layouts" / "card.yaml", "templates:\n  card:\n    front:\n"
                                                  f"      first: {{type: text, x: 5mm, y: 5mm, width: 50mm, height: 10mm, content: x}}\n"
                                                  f"      extra: {element}\n")
    return prepare


def printer_offset(x: str) -> Callable[[Path, Path], tuple]:
    def prepare(project: Path, outside: Path) -> tuple:
        (project / "printers").mkdir()
        (project / "printers" / "scheef.yaml").write_text(f"duplex: long-edge\nback_offset: {{x: {x}, y: 0mm}}\n",
                                                          encoding="utf-8")
        return ("build", "--printer", "scheef")
    return prepare


def emoji_in_set_name(project: Path, outside: Path) -> tuple:
    append(project / "layouts" / "card.yaml", "templates:\n  card:\n    back:\n      name: {type: text, x: 5mm, y: 5mm, "
                                              "width: 50mm, height: 10mm, content: \"{set.name}\"}\n")
    set_file(project, "emoji", "")
    path = project / "cards" / "sets" / "emoji.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Partnerschap Test", "Partnerschap 🎉"), encoding="utf-8")
    return ("build", "--set", "cards/sets/emoji.yaml")


CASES = {
    "long-hyphenatable-words": Case(lambda p, o: append(p / "cards" / "deck.yaml", "    text: \"" + " ".join(
        ["samenwerkingsverbanden" * 12] * 3) + "\"\n"), "cards/deck.yaml:14:", "a word is wider than the box"),
    "emoji-in-deck-title-footer": Case(lambda p, o: (p / "cards" / "deck.yaml").write_text(
        (p / "cards" / "deck.yaml").read_text(encoding="utf-8").replace("title: Testdeck", "title: Testdeck 🎉"),
        encoding="utf-8"), "cards/deck.yaml:2:", "no glyph for '🎉' (U+1F389) in the title, which the sheets print"),
    "emoji-in-set-name": Case(emoji_in_set_name, "cards/sets/emoji.yaml:2:",
                              "no glyph for '🎉' (U+1F389) in set.name"),
    "percent-beyond-range": Case(layout_front("{type: rect, x: 0mm, y: 0mm, width: 100000000000000000000000000000%, "
                                              "height: 20mm, fill: accent}"),
                                 "layouts/card.yaml:7:", "is more than 1000 % of its frame"),
    "radius-overflows-to-infinity": Case(layout_front("{type: rect, x: 0mm, y: 0mm, width: 10mm, height: 10mm, fill: accent, "
                                                      f"radius: 1{'0' * 400}%}}"),
                                         "layouts/card.yaml:7:", "is too large a number"),
    "length-beyond-paper": Case(layout_front("{type: rect, x: 0mm, y: 0mm, width: 100000mm, height: 10mm, fill: accent}"),
                                "layouts/card.yaml:7:", "is larger than any paper size"),
    "leading-not-a-number": Case(lambda p, o: append(p / "layouts" / "card.yaml",
                                                     "styles:\n  body: {leading: .nan}\n"),
                                 "layouts/card.yaml:4:", "nan is not a number"),
    "duplex-offset-off-the-sheet": Case(printer_offset("300mm"), "printers/scheef.yaml:2:",
                                        "moves the backs off the 210×297 mm sheet"),
    "fifo-in-cards": Case(fifo_in_cards, "cards/pijp.yaml: ", "is a named pipe (FIFO), not an ordinary file"),
    "fifo-as-set-file": Case(fifo_as_set, "pijp.yaml: ", "is a named pipe (FIFO), not an ordinary file"),
    "fifo-as-image": Case(fifo_as_image, "cards/deck.yaml:14:", "is a named pipe (FIFO)"),
    "deck-linked-from-outside": Case(linked_deck_outside, "cards/geheim.yaml: ",
                                     "is a link to a file outside the project folder"),
    "svg-image-outside-project": Case(outside_image_svg, "cards/deck.yaml:14:",
                                      "refers to '../../outside/secret.png' outside itself"),
    "svg-absolute-file-url": Case(svg_logo('<image xlink:href="file:///etc/hostname" width="1" height="1"/>'),
                                  "cards/deck.yaml:14:", "refers to 'file:///etc/hostname' outside itself"),
    "svg-web-url": Case(svg_logo('<use href="https://example.org/x.svg#a"/>'), "cards/deck.yaml:14:",
                        "refers to 'https://example.org/x.svg#a' outside itself"),
    "svg-css-url": Case(svg_logo('<rect width="5" height="5" style="fill: url(../../outside/p.svg#g)"/>'),
                        "cards/deck.yaml:14:", "loads a style or picture from outside itself"),
    "svg-external-entity": Case(svg_logo("<text>&x;</text>", '<?xml version="1.0"?>\n<!DOCTYPE svg '
                                         '[<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'),
                                "cards/deck.yaml:14:", "declares XML entities"),
    "svg-entity-bomb": Case(svg_logo("<text>&c;</text>", '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
                                     '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;">]>'),
                            "cards/deck.yaml:14:", "declares XML entities"),
    "font-is-etc-passwd": Case(font_files("/etc/passwd"), "layouts/card.yaml:4:",
                               "font file '/etc/passwd' lies outside the project folder"),
    "font-not-truetype": Case(font_files("font.ttf"), "layouts/card.yaml:4:",
                              "font file 'font.ttf' is not a TrueType font"),
    "image-over-pixel-budget": Case(huge_png, "cards/deck.yaml:14:",
                                    "is 12000×12000 pixels (144 megapixels); the limit is 50 megapixels"),
    "deck-folder-links-outside": Case(deck_folder_links_outside, "output/deck: ",
                                      "leads outside the output folder"),
}


@pytest.fixture
def built(tmp_path) -> tuple[Path, Path, dict]:
    """(project, a folder outside it, the good PDFs built from it)."""
    project, outside = tmp_path / "project", tmp_path / "outside"
    shutil.copytree(BASE, project)
    outside.mkdir()
    result = run_kaartgen(project, "build")
    assert result.returncode == 0, result.stderr
    return project, outside, files_under(project / "output")


def assert_located_failure(result: subprocess.CompletedProcess, where: str, message: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output and "internal error" not in output, output
    assert "Warning" not in output, output  # no raw Python warning (Pillow's DecompressionBombWarning)
    lines = [line for line in result.stderr.splitlines() if line.startswith(f"error: {where}")]
    assert lines, f"no error at {where}\n{result.stderr}"
    assert any(message in line for line in lines), result.stderr


def assert_output_intact(project: Path, before: dict[str, bytes]) -> None:
    out = project / "output"
    assert files_under(out) == before, "the previous PDFs changed"
    assert not [p for p in out.rglob("*") if p.name.startswith(".")], "a temporary file was left"
    qpdf = need_tool("qpdf")
    for name in before:
        check = subprocess.run([qpdf, "--check", str(out / name)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input(name, built):
    project, outside, before = built
    case = CASES[name]
    if name == "deck-folder-links-outside":
        before = {k: v for k, v in before.items() if not k.startswith("deck/")}
    prepared = case.prepare(project, outside)
    args = prepared if isinstance(prepared, tuple) else case.args
    outside_before = files_under(outside)
    project_before = files_under(project, skip=project / "output")
    result = run_kaartgen(project, *args)
    assert_located_failure(result, case.where, case.message)
    assert "root:" not in result.stdout + result.stderr  # no byte of /etc/passwd is shown
    assert files_under(outside) == outside_before, "something was written outside the project"
    assert files_under(project, skip=project / "output") == project_before
    assert_output_intact(project, before)


def test_files_with_a_byte_order_mark_build(project):
    """Windows editors save UTF-8 with a byte-order mark; a checklist with one was refused as a deck."""
    for name in ("checklist-lerend-partnerschap", "netwerkkaart"):
        path = project / "cards" / f"{name}.yaml"
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = run_kaartgen(project, "build", "checklist-lerend-partnerschap", "netwerkkaart")
    assert result.returncode == 0, result.stderr
    checklist = project / "output" / "checklist-lerend-partnerschap"
    assert (checklist / "checklist-lerend-partnerschap-invulbaar.pdf").is_file()
    assert (project / "output" / "netwerkkaart" / "netwerkkaart-a4.pdf").is_file()


def test_a_data_uri_image_inside_an_svg_is_fine(built):
    project, outside, _ = built
    svg_logo('<image href="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk'
             '+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==" width="10" height="10"/><use href="#a"/>')(project, outside)
    result = run_kaartgen(project, "build")
    assert result.returncode == 0, result.stderr


def test_dutch_ij_in_italic_is_spelled_out_with_one_warning(built):
    """Source Sans Pro's italic has no ĳ: italic ĳ prints as 'ij' (upright ĳ stays), said once per deck."""
    project, _, _ = built
    deck = project / "cards" / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace(
        "text: Een korte tekst.", "text: \"Een *ĳverige* tekst over het *Ĳsselmeer* en **ĳs**.\""), encoding="utf-8")
    append(deck, "  - id: drie\n    title: Derde kaart\n    text: \"*ĳs*\"\n")
    result = run_kaartgen(project, "build")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "has no 'ĳ'; it is printed as 'ij'" in warnings[0], result.stderr
    text = subprocess.run([need_tool("pdftotext"), str(project / "output" / "deck" / "deck-drukwerk.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "ijverige" in text and "IJsselmeer" in text and "\u0133s" in text  # bold keeps the ligature


def big_deck(project: Path, cards: int, text: str) -> None:
    lines = ["deck:", "  title: Groot", "  layout: card", "cards:"]
    for i in range(cards):
        lines += [f"  - id: kaart-{i}", f"    title: Kaart {i}", f"    text: {text} {i}."]
    (project / "cards" / "deck.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".")] if folder.is_dir() else []


def kill_half_way(project: Path) -> None:
    """Start a build and SIGKILL it once it has written part of its temporary PDFs."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    build = subprocess.Popen([sys.executable, "-m", "kaartgen", "build"], cwd=project, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    folder = project / "output" / "deck"
    try:
        deadline = time.monotonic() + HANG_GUARD
        while time.monotonic() < deadline and build.poll() is None:
            if any(p.stat().st_size > 100_000 for p in temp_files(folder) if p.exists()):
                break
            time.sleep(0.05)
        assert build.poll() is None, "the build ended before it could be killed"
    finally:
        build.kill()
        build.wait()


def test_killed_builds_never_damage_the_old_pdfs_and_leave_no_temp_files_behind(tmp_path):
    """SIGKILL a 2 000-card build half-way, several times: the old PDFs stay as they were and
    valid; the next build removes what the killed ones left and writes the new PDFs."""
    qpdf = need_tool("qpdf")
    project = tmp_path / "project"
    shutil.copytree(BASE, project)
    big_deck(project, 2000, "Een korte tekst voor de eerste versie van kaart")
    assert run_kaartgen(project, "build").returncode == 0
    out = project / "output"
    before = files_under(out)
    big_deck(project, 2000, "Een andere tekst voor de tweede versie van kaart")
    for _ in range(3):
        kill_half_way(project)
        assert {k: v for k, v in files_under(out).items() if not Path(k).name.startswith(".")} == before
        assert temp_files(out / "deck"), "the killed build left nothing to clean up: it was not killed half-way"
        for name in before:
            assert subprocess.run([qpdf, "--check", str(out / name)], capture_output=True).returncode == 0
    result = run_kaartgen(project, "build")
    assert result.returncode == 0, result.stderr
    assert temp_files(out / "deck") == []
    assert files_under(out) != before
    for name in before:
        assert subprocess.run([qpdf, "--check", str(out / name)], capture_output=True).returncode == 0
