"""The message catalogue: every declared message has a Dutch translation with the same
placeholders, the .po has nothing stale, gettext reads it, and the CLI speaks the
reader's language (--taal, else LANGUAGE/LC_ALL/LC_MESSAGES/LANG) in one format."""

from __future__ import annotations

import re
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import need_tool
from kaartgen import messages
from kaartgen.errors import Problem

from kaartgen import catalogue

CORPUS_BASE = Path(__file__).resolve().parent / "bad_inputs" / "_base"
ALLOWLIST = Path(__file__).with_name("spelling-allowlist.txt")


def po_messages() -> dict:
    return {m.context: m for m in catalogue.read("nl") if m.id}


def test_codes_are_unique_and_well_formed():
    codes = [m.code for m in vars(messages).values() if isinstance(m, messages.Message) and m.code]
    assert len(codes) == len(set(codes)), sorted(c for c in codes if codes.count(c) > 1)
    assert all(re.fullmatch(r"K\d{3}", code) for code in codes), codes
    assert len(codes) >= 10


def test_every_message_has_a_dutch_translation_with_the_same_placeholders():
    po = po_messages()
    declared = messages.declared()
    assert set(po) == set(declared), "run `python3 tasks.py messages`: " \
        f"missing {sorted(set(declared) - set(po))}, stale {sorted(set(po) - set(declared))}"
    for code, message in declared.items():
        entry = po[code]
        assert entry.id == message.text, f"{code}: English text changed; run `python3 tasks.py messages`"
        assert entry.string and not entry.fuzzy, f"{code}: no Dutch translation yet"
        assert messages.placeholders(entry.string) == messages.placeholders(message.text), code
        fields = [(spec, conversion) for _, name, spec, conversion in string.Formatter().parse(message.text)
                  if name is not None]
        assert all(f == ("", None) for f in fields), f"{code}: no format specs; values are shown per language"


def test_gettext_reads_the_po():
    for code, entry in po_messages().items():
        assert messages.translate(messages.declared()[code], "nl") == entry.string, code


def test_dutch_messages_are_spelled_right():
    need_tool("hunspell")
    allowed = {line.strip() for line in ALLOWLIST.read_text(encoding="utf-8").splitlines()
               if line.strip() and not line.startswith("#")}
    text = " ".join(entry.string for entry in po_messages().values())
    text = re.sub(r"\{\{.*?\}\}|\{\w+\}|(?<!\w)'[^']*'(?!\w)|\([^)]*\.yaml[^)]*\)|--?[\w-]+|\S*[/_.*#]\S*|\bK\d{3}\b", " ", text)
    words = re.findall(r"[^\W\d_]+(?:[-'][^\W\d_]+)*", text)
    result = subprocess.run(["hunspell", "-d", "nl_NL", "-l"], input="\n".join(words),
                            capture_output=True, text=True)
    unknown = sorted(set(result.stdout.split()) - allowed)
    assert not unknown, f"unknown words in the Dutch messages: {unknown}"


def test_values_cannot_forge_an_output_line():
    problem = Problem("deck.yaml", 3, 5, "cards[x]", messages.DID_YOU_MEAN(name="a\nerror: b.yaml:1: forged\x1b[2J" + "x" * 200))
    text = problem.render()
    assert "\n" not in text and "\x1b" not in text
    assert "a\\nerror: b.yaml:1: forged\\x1b[2J" in text
    assert len(messages.show_value("y" * 500, "en")) == messages.VALUE_LIMIT
    assert messages.safe("\u202eevil") == "\\u202eevil"


def test_rendered_per_language():
    said = messages.NOT_BUILT(count=2, names=["a", "b"])
    assert said.render("en") == "2 not built: a, b; their previous PDFs are unchanged"
    assert said.render("nl") == "2 niet gemaakt: a, b; de vorige PDF's zijn niet veranderd"
    assert messages.show_value(2.5, "nl") == "2,5" and messages.show_value(2.5, "en") == "2.5"
    assert Problem("a.yaml", 1, 2, "k", said).render("nl").startswith("a.yaml:1:2: k: 2 niet gemaakt")
    assert str(Problem("a.yaml", None, None, "", "plain")) == "a.yaml: plain"


@pytest.mark.parametrize("environ, language", [
    ({}, "en"),
    ({"LANG": "nl_NL.UTF-8"}, "nl"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANGUAGE": "nl:en", "LANG": "C"}, "nl"),
    ({"LANGUAGE": "en", "LANG": "nl_NL.UTF-8"}, "en"),
    ({"LC_ALL": "nl_BE.UTF-8", "LANG": "en_GB.UTF-8"}, "nl"),
    ({"LC_MESSAGES": "fr_FR", "LANG": "nl_NL"}, "en"),
    ({"LANGUAGE": "fr:nl"}, "nl"),
])
def test_language_follows_gettext_order(environ, language):
    assert messages.language_from(environ) == language


def run(folder: Path, *args: str, **environ: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8", **environ}
    return subprocess.run([sys.executable, "-m", "kaartgen", *args], cwd=folder, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


@pytest.fixture
def broken(tmp_path) -> Path:
    shutil.copytree(CORPUS_BASE, tmp_path, dirs_exist_ok=True)
    return tmp_path


def test_cli_speaks_dutch_from_lang_and_english_with_taal(broken):
    dutch = run(broken, "build", "nergens", LANG="nl_NL.UTF-8")
    english = run(broken, "--taal", "en", "build", "nergens", LANG="nl_NL.UTF-8")
    assert dutch.returncode == english.returncode == 1
    assert dutch.stderr.startswith("fout: "), dutch.stderr
    assert english.stderr.startswith("error: "), english.stderr
    assert run(broken, "--taal", "nl", "build", "nergens").stderr.startswith("fout: ")


def test_usage_errors_use_the_same_format(broken):
    result = run(broken, "build", "--nope")
    assert result.returncode == 2
    assert "error: No such option" in result.stderr and "[K004]" in result.stderr
    assert "Error:" not in result.stderr
