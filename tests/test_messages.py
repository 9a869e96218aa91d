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


def test_yaml_mistakes_and_unreadable_files_are_told_in_dutch(broken):
    deck = broken / "cards" / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace("title: Eerste kaart", "title: Eerste: kaart"),
                    encoding="utf-8")
    (broken / "cards" / "oud.yaml").symlink_to("weg.yaml")  # a link to a file that is gone
    dutch = run(broken, "check", LANG="nl_NL.UTF-8")
    assert dutch.returncode == 1
    assert "fout: cards/deck.yaml:6:18: fout in de YAML-opbouw: hier mag geen ': ' staan (een sleutel met een " \
           "waarde kan hier niet beginnen) (zet een tekst met ': ' tussen aanhalingstekens" in dutch.stderr, dutch.stderr
    assert "fout: cards/weg.yaml: kan het bestand niet lezen: bestand of map bestaat niet [K102]" in dutch.stderr
    english = run(broken, "--taal", "en", "check", LANG="nl_NL.UTF-8")
    assert "YAML syntax error: mapping values are not allowed here" in english.stderr
    assert "cannot read file: No such file or directory [K102]" in english.stderr


def test_usage_errors_use_the_same_format(broken):
    result = run(broken, "build", "--nope")
    assert result.returncode == 2
    assert "error: No such option" in result.stderr and "[K004]" in result.stderr
    assert "Error:" not in result.stderr


SIX_MISTAKES = Path(__file__).resolve().parent / "fixtures" / "six-mistakes"


def test_check_reports_every_mistake_of_layout_and_deck_in_one_run(tmp_path):
    """Layout and deck with mistakes from every stage (schema, layout resolution, card fields,
    fitting): one `kaartgen check` names them all, each with file:line, sorted by file and line."""
    shutil.copytree(SIX_MISTAKES, tmp_path, dirs_exist_ok=True)
    result = run(tmp_path, "check")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    found = {(m.group(1), m.group(3)): m.group(2)
             for m in (re.match(r"error: (\S+?):(\d+):\d+: .* \[(K\d{3})\]$", line) for line in lines) if m}
    assert found == {
        ("cards/fout.yaml", "K212"): "5",  # card welkom: missing title …
        ("cards/fout.yaml", "K213"): "6",  # … because it is spelt 'titel'
        ("cards/fout.yaml", "K207"): "7",  # audience not one of the choices
        ("cards/fout.yaml", "K608"): "10",  # card lang: text does not fit (found by fitting)
        ("layouts/fout.yaml", "K311"): "9",  # unknown colour in a style
        ("layouts/fout.yaml", "K323"): "18",  # text box outside the safe zone
        ("layouts/fout.yaml", "K321"): "19",  # unknown {field}
        ("layouts/fout.yaml", "K319"): "19",  # unknown style
    }, result.stderr
    assert len(lines) == len(found)
    order = [(m.group(1), int(m.group(2))) for m in (re.match(r"error: (\S+?):(\d+):", line) for line in lines)]
    assert order == sorted(order)
    assert "unknown colour 'wit' (did you mean 'white'?); defined colours: black, white, ink, accent" in result.stderr
    assert "unknown style 'titel' (did you mean 'title'?); defined styles: body, title" in result.stderr
    assert "text box reaches outside the safe zone (4 mm inside the trim): 3 mm too far left" in result.stderr
    assert "cards[welkom].audience: 'iedereen' is not one of nieuw, deelnemend, alle" in result.stderr
    assert "cards[lang].text: deck 'fout', card 'lang': text of text does not fit" in result.stderr
    built = run(tmp_path, "build")  # build names them all too, and writes nothing
    assert built.returncode == 1
    assert [line for line in built.stderr.splitlines() if line.startswith("error: ") and "[K007]" not in line] == lines
    assert not list(tmp_path.rglob("*.pdf"))


def test_a_schema_mistake_in_a_layout_does_not_hide_its_other_mistakes(tmp_path):
    """One run names the refused key and the layout's later mistakes (unknown colour and style,
    safe zone, unknown field), each with file:line."""
    shutil.copytree(SIX_MISTAKES, tmp_path, dirs_exist_ok=True)
    layout = tmp_path / "layouts" / "fout.yaml"
    layout.write_text(layout.read_text(encoding="utf-8").replace('style: body}', 'style: body, colour: accent}'),
                      encoding="utf-8")
    result = run(tmp_path, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    found = {(m.group(2), m.group(1)) for m in (re.match(r"error: layouts/fout\.yaml:(\d+):\d+: .* \[(K\d{3})\]$", line)
                                                 for line in result.stderr.splitlines()) if m}
    assert found == {("K213", "17"), ("K311", "9"), ("K323", "18"), ("K321", "19"), ("K319", "19")}, result.stderr
    assert "templates.card.front.body.colour: unknown key 'colour' (did you mean 'color'?)" in result.stderr


def test_check_speaks_dutch_from_lang_and_english_with_taal(tmp_path):
    shutil.copytree(SIX_MISTAKES, tmp_path, dirs_exist_ok=True)
    dutch = run(tmp_path, "check", LANG="nl_NL.UTF-8")
    assert "fout: layouts/fout.yaml:18:7: templates.card.front.title: het tekstvak komt buiten de veilige zone " \
           "(4 mm binnen de snijrand): 3 mm te ver naar links [K323]" in dutch.stderr
    assert "error:" not in dutch.stderr
    english = run(tmp_path, "--taal", "en", "check", LANG="nl_NL.UTF-8")
    assert english.stderr.replace("error: ", "").count("[K") == dutch.stderr.replace("fout: ", "").count("[K")
    assert "fout:" not in english.stderr and "3 mm too far left" in english.stderr


SRC = Path(messages.__file__).resolve().parent
# A call's argument that carries the message: Problem(file, line, column, path, MESSAGE), doc.problem(path, MESSAGE) …
MESSAGE_ARGUMENT = {"Problem": 4, "problem": 1, "fail": 1, "at": 1, "Skipped": 0, "ImageProblem": 0, "UnitError": 0}


def _plain_messages(tree) -> list[int]:
    """Lines where a user-facing message is written as plain text instead of coming from the catalogue."""
    import ast
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        index = MESSAGE_ARGUMENT.get(name)
        if name in ("ClickException", "UsageError", "BadParameter"):
            lines.append(node.lineno)
        elif index is not None and len(node.args) > index:
            arg = node.args[index]
            if isinstance(arg, ast.JoinedStr) or (isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                                                  and arg.value):
                lines.append(node.lineno)
    return lines


def test_every_message_comes_from_the_catalogue():
    import ast
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        lines = _plain_messages(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            found[str(path.relative_to(SRC))] = lines
    assert not found, f"declare these messages in kaartgen/messages.py (with Dutch): {found}"
