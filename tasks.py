"""Set up a virtual environment and build, test or update the message catalogue:
`python3 tasks.py build|test|messages`.

Only needs Python 3.11 and pip, so it works on a fresh machine without make.
"""
import hashlib
import os
import subprocess
import sys
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


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("build", "test", "messages"):
        print("usage: python3 tasks.py build|test|messages [extra arguments]", file=sys.stderr)
        return 2
    ensure_venv()
    command, extra = argv[0], argv[1:]
    if command == "build":
        return subprocess.run([BIN / "kaartgen", "build", *extra], cwd=ROOT).returncode
    if command == "messages":  # after declaring or changing a message in src/kaartgen/messages.py
        return subprocess.run([BIN / "python", "-m", "kaartgen.catalogue"], cwd=ROOT).returncode
    return subprocess.run([BIN / "python", "-m", "pytest", *extra], cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
