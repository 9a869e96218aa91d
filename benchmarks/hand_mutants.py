"""The mutants the review of issue 14 found surviving, tried one by one: each is written into the
source, the unit tests that should catch it run, and the source is put back. Every one must be
KILLED. Run from the project root: `.venv/bin/python benchmarks/hand_mutants.py`.
(mutmut's broader run is `python3 tasks.py mutation`; results in benchmarks/MUTATION.md.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (what, file, original text, mutated text, tests that must catch it)
MUTANTS = [
    ("print-shop crop marks not drawn", "src/kaartgen/writers.py",
     "        impose.draw_crop_marks(c, page, self.layout.marks)\n", "", "tests/unit/test_writers.py"),
    ("print-shop crop marks deleted", "src/kaartgen/impose.py",
     "            canvas.line(x, y + sign * near, x, y + sign * far)\n", "            pass\n", "tests/unit/test_impose.py"),
    ("office cut marks of length 0", "src/kaartgen/impose.py",
     "    return [(edge + direction * near, edge + direction * far)]",
     "    return [(edge + direction * near, edge + direction * near)]",
     "tests/unit/test_impose.py tests/unit/test_writers.py"),
    ("duplex backs mirrored the wrong way", "src/kaartgen/impose.py",
     "        return (printer.duplex == \"long-edge\") != portrait",
     "        return (printer.duplex == \"long-edge\") == portrait", "tests/unit/test_impose.py"),
    ("duplex backs not mirrored", "src/kaartgen/impose.py",
     "            x = self.sheet_w - x - self.card_w\n", "            x = x\n", "tests/unit/test_impose.py"),
    ("calibration cross mirrored the wrong way", "src/kaartgen/calibrate.py",
     "    return (width - x, y) if printer.duplex == \"long-edge\" else (x, height - y)",
     "    return (width - x, y) if printer.duplex != \"long-edge\" else (x, height - y)",
     "tests/unit/test_calibrate.py"),
    ("calibration scale numbered the wrong way", "src/kaartgen/calibrate.py",
     "    sign_x = 1 if mirror_x else -1\n", "    sign_x = -1 if mirror_x else 1\n", "tests/unit/test_calibrate.py"),
    ("safe-zone check off", "src/kaartgen/layouts.py",
     "    if element.kind != \"text\":\n        return\n", "    return\n", "tests/unit/test_layouts.py"),
    ("ink limit off", "src/kaartgen/cmyk.py",
     "    if c + m + y + k > MAX_INK:", "    if False:", "tests/unit/test_cmyk.py"),
]


def main() -> int:
    survived = 0
    for what, rel, original, mutated, tests in MUTANTS:
        path = ROOT / rel
        text = path.read_text(encoding="utf-8")
        if text.count(original) != 1:
            print(f"STALE    {what}: the original text is no longer in {rel}; update this script")
            survived += 1
            continue
        path.write_text(text.replace(original, mutated), encoding="utf-8")
        try:
            run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests.split()],
                                 cwd=ROOT, capture_output=True, text=True)
        finally:
            path.write_text(text, encoding="utf-8")
        outcome = "KILLED  " if run.returncode else "SURVIVED"
        survived += not run.returncode
        print(f"{outcome} {what}: {run.stdout.strip().splitlines()[-1]}")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
