"""Set up a virtual environment and build, test or update the message catalogue:
`python3 tasks.py build|test|messages`; `python3 tasks.py mutation` runs mutmut (slow, not part
of the tests; see benchmarks/MUTATION.md).

Only needs Python 3.11 and pip, so it works on a fresh machine without make.
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def ensure_venv() -> None:
    stamp = VENV / ".kaartgen-installed"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    subprocess.run([BIN / "python", "-m", "pip", "install", "-q", "-e", f"{ROOT}[test]"], check=True)
    stamp.write_text(wanted)


def mutation(extra: list[str]) -> int:
    """mutmut in its own environment: the dependencies without kaartgen itself, because an
    editable install would import the original sources instead of mutmut's mutated copy."""
    mvenv = ROOT / ".venv-mutation"
    mbin = mvenv / ("Scripts" if os.name == "nt" else "bin")
    if not (mbin / "mutmut").exists():
        venv.EnvBuilder(with_pip=True).create(mvenv)
        project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        wanted = project["dependencies"] + project["optional-dependencies"]["mutation"]
        subprocess.run([mbin / "python", "-m", "pip", "install", "-q", *wanted], check=True)
    shutil.rmtree(ROOT / "mutants", ignore_errors=True)  # stale mutants of older sources mislead
    code = subprocess.run([mbin / "mutmut", "run", *extra], cwd=ROOT).returncode
    return code or subprocess.run([mbin / "mutmut", "results"], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("build", "test", "messages", "mutation"):
        print("usage: python3 tasks.py build|test|messages|mutation [extra arguments]", file=sys.stderr)
        return 2
    if argv[0] == "mutation":
        return mutation(argv[1:])
    ensure_venv()
    command, extra = argv[0], argv[1:]
    if command == "build":
        return subprocess.run([BIN / "kaartgen", "build", *extra], cwd=ROOT).returncode
    if command == "messages":  # after declaring or changing a message in src/kaartgen/messages.py
        return subprocess.run([BIN / "python", "-m", "kaartgen.catalogue"], cwd=ROOT).returncode
    return subprocess.run([BIN / "python", "-m", "pytest", *extra], cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
