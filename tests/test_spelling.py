"""Every word printed on the shipped decks is Dutch that hunspell-nl knows, or on the allowlist."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from conftest import ROOT, need_tool, pdftext

ALLOWLIST = Path(__file__).with_name("spelling-allowlist.txt")


def own_hyphens_joined() -> set[str]:
    """Words with their own hyphen (pedagogisch-didactisch), as pdftext joins them when the line breaks
    after that hyphen; the hyphenated form itself is checked where it stays on one line."""
    cards = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "cards").glob("*.yaml"))
    return {a + b for a, b in re.findall(r"(\w+)-(\w+)", cards)}


def test_printed_text_is_spelled_right(shipped_build):
    need_tool("hunspell")
    allowed = {line.strip() for line in ALLOWLIST.read_text(encoding="utf-8").splitlines()
               if line.strip() and not line.startswith("#")}
    pdfs = sorted(shipped_build.glob("*/*-drukwerk.pdf")) + sorted(shipped_build.glob("*/*-print.pdf"))
    assert len(pdfs) >= 9
    text = " ".join(pdftext(pdf) for pdf in pdfs)
    text = re.sub(r"[‘’“”]", " ", text)  # quotes are not part of the word
    # One word per line: hunspell splits very long lines in the middle of a word.
    result = subprocess.run(["hunspell", "-d", "nl_NL", "-l"], input="\n".join(text.split()),
                            capture_output=True, text=True)
    if "Can't open affix or dictionary" in result.stderr:
        need_tool("hunspell-nl-dictionary-missing")  # skips, or fails in CI
    unknown = sorted(set(result.stdout.split()) - allowed - {"/", "–", "-", "…"} - own_hyphens_joined())
    assert not unknown, f"unknown words (fix them, or add real words to {ALLOWLIST.name}): {unknown}"
