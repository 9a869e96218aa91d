"""Every message a user can see, declared once with a stable code, and shown in their language.

A `Message` is English text with {named} placeholders and a code ("K201"); calling it with
the values gives a `Said`, which a Problem keeps until it is shown, so the command line and
the web page can each render the same problem in their reader's language. Dutch comes from
the gettext catalogue `locale/nl/LC_MESSAGES/kaartgen.po` (message context = code), compiled
in memory with Babel when first needed, so no binary `.mo` has to be built, installed or merged.
After declaring or changing a message here, `python3 tasks.py messages` adds it to the `.po`
for translation; a test checks that every message has its Dutch text.

Values are made safe when shown: control characters escaped and long texts cut short, so no
input can forge an output line or flood the terminal.

Codes by area (a code never changes meaning; take the next free one in its area):
K0xx command line and reporter (K09x what a command works on), K1xx reading files and YAML,
K2xx schema checks and units, K3xx layouts and fonts, K4xx decks and cards, K5xx sets,
K6xx drawing cards (images, text fitting, glyphs), K7xx print quality (colour), K8xx printers,
previews and output files, K9xx checklists and tally.
"""

from __future__ import annotations

import errno
import gettext
import io
import string
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

LANGUAGES = ("en", "nl")
DEFAULT_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "kaartgen"
VALUE_LIMIT = 80  # characters of one quoted value
ITEM_LIMIT = 40  # characters of one item in a list of choices
LIST_LIMIT = 25  # items of a list of choices shown


@dataclass(frozen=True)
class Message:
    code: str
    text: str
    wraps: bool = False  # puts context around another message ({text}), whose code is the one shown

    def __call__(self, **params: Any) -> "Said":
        missing = placeholders(self.text) - set(params)
        if missing:
            raise TypeError(f"message {self.code} needs {', '.join(sorted(missing))}")
        return Said(self, params)


@dataclass(frozen=True)
class Said:
    """A message with its values, not yet put into words: rendered when shown."""

    message: Message
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def code(self) -> str:
        inner = self.params.get("text")
        return inner.code if self.message.wraps and isinstance(inner, Said) else self.message.code

    def render(self, language: str = DEFAULT_LANGUAGE) -> str:
        template = translate(self.message, language)
        if self.message is PLAIN:  # a whole message not yet in the catalogue, not one quoted value
            return safe(str(self.params["text"]), 2000)
        values = {name: show_value(value, language) for name, value in self.params.items()}
        return template.format_map(values)

    def __str__(self) -> str:
        return self.render()

    def __hash__(self) -> int:  # values may be lists: hash what they say
        return hash((self.message, tuple(sorted((k, repr(v)) for k, v in self.params.items()))))


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def said(text: "Said | str") -> Said:
    """`text` as a Said: plain text (not yet in the catalogue) is kept as it is, without a code."""
    return text if isinstance(text, Said) else Said(PLAIN, {"text": text})


def translate(message: Message, language: str) -> str:
    if language == DEFAULT_LANGUAGE or not message.code:
        return message.text
    return catalogue(language).pgettext(message.code, message.text)


@lru_cache(maxsize=None)
def catalogue(language: str) -> gettext.NullTranslations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        compiled = io.BytesIO()
        write_mo(compiled, read_po(handle, locale=language, domain=DOMAIN))
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def show_value(value: Any, language: str) -> str:
    if isinstance(value, Said):
        return value.render(language)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return text.replace(".", ",") if language == "nl" else text
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [item.render(language) if isinstance(item, Said) else safe(str(item), ITEM_LIMIT) for item in value]
        if not items:
            return "–"
        more = len(items) > LIST_LIMIT
        return ", ".join(items[:LIST_LIMIT]) + (", …" if more else "")
    return safe(str(value), VALUE_LIMIT)


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def safe(text: str, limit: int = VALUE_LIMIT) -> str:
    """`text` with control, format and line-separator characters escaped, cut at `limit` characters."""
    out = "".join(_ESCAPES.get(c) or (_escape(c) if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c)
                  for c in text)
    return out if len(out) <= limit else out[:limit - 1] + "…"


def _escape(char: str) -> str:
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def language_from(environ: Mapping[str, str]) -> str:
    """The language gettext would pick: LANGUAGE, LC_ALL, LC_MESSAGES, LANG (first one set);
    the locale itself need not be installed. English unless that names Dutch."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable)
        if value:
            for entry in value.split(":"):
                code = entry.split(".")[0].split("@")[0].split("_")[0].lower()
                if code in LANGUAGES:
                    return code
            return DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def declared() -> dict[str, Message]:
    """Every message of the catalogue, by code."""
    return {m.code: m for m in globals().values() if isinstance(m, Message) and m.code}


PLAIN = Message("", "{text}")

# K0xx: the command line and its reporter
ERROR = Message("K001", "error")
WARNING = Message("K002", "warning")
DID_YOU_MEAN = Message("K003", " (did you mean '{name}'?)")
USAGE = Message("K004", "{text} (see '{command} --help')")
ABORTED = Message("K005", "aborted")
INTERNAL = Message("K006", "internal error: {kind}: {text} (please report this; set KAARTGEN_DEBUG=1 for details)")
NOT_BUILT = Message("K007", "{count} not built: {names}; their previous PDFs are unchanged")
NOTHING_TO_BUILD = Message("K008", "nothing to build: no deck or checklist files (*.yaml) in {folder}")
NO_SET_FILES = Message("K009", "no set files (*.yaml) in {folder}")
SETS_FAILED = Message("K010", "{failed} of {total} sets failed; the others were built")
SET_WITH_DECKS = Message("K011", "--set builds the decks the set file names; leave out DECKS")
NOT_REBUILT = Message("K012", "{file} not rebuilt; the previous output is unchanged")
INTERNAL_WHILE = Message("K013", "internal error while building {file}: {kind}: {text}")
NOTHING_TO_WATCH = Message("K014", "no cards/ or layouts/ folder here; run 'kaartgen watch' in a project folder")
BUILT = Message("K015", "{deck}: {pages} pages in {seconds} s -> {files}")
WROTE_CALIBRATION = Message("K016", "wrote {file}: print it double-sided ({duplex}) at 100 % and read the offset off the scales")
PREVIEWED = Message("K017", "{deck}: {count} PNG(s) at {dpi} dpi in {seconds} s -> {folder}{sheet}")
CONTACT_SHEET = Message("K018", ", contact sheet {file}")
WROTE = Message("K019", "wrote {files}")
COUNTED = Message("K020", "{id}: {count} copies counted")
REBUILT = Message("K021", "{time} {deck}: {pages} pages in {seconds} s{extra} -> {file}")
WITH_PNGS = Message("K022", ", {count} PNG(s)")
REMOVED = Message("K023", "{file}: removed")
WATCHING = Message("K024", "watching {folders} for changes (Ctrl-C to stop)")
STOPPED_WATCHING = Message("K025", "stopped watching")
# K09x: what a command works on (project selection, variants)
UNKNOWN_NAME = Message("K090", "unknown deck{suggestion}; decks: {decks}; checklists: {checklists}")
UNKNOWN_VARIANT = Message("K091", "unknown deck{suggestion}; {file} makes the variants {variants}")
NO_VARIANTS = Message("K092", "unknown deck; {file} has no variants, its deck is '{deck}'")
NOT_A_DECK = Message("K093", "a checklist, not a deck; preview makes PNGs of decks")
SET_CHECK_WITH_DECKS = Message("K094", "--set checks the decks the set file names; leave out DECKS")
CHECKED = Message("K095", "ok: {decks} deck(s), {cards} cards, {checklists} checklist(s)")
# K7xx: print quality (colour profiles, partnership colours)
ICC_UNREADABLE = Message("K701", "cannot read the ICC profile: {reason}")
ICC_NOT_CMYK = Message("K702", "not a CMYK output (printer) profile; ask the print shop for theirs")
COLOR_CLASH = Message("K703", "colour '{name}' is too close to '{other}' (ΔE2000 {difference}, below {limit}): "
                              "on the cards the step colours cannot be told apart; choose colours further apart")

# K1xx: reading YAML files
FILE_TOO_BIG = Message("K101", "file is {size} MB; the limit is {limit} MB")
CANNOT_READ = Message("K102", "cannot read file: {reason}")
NOT_UTF8 = Message("K103", "not UTF-8 text (byte {offset}); save the file as UTF-8 in your editor")
TOO_DEEP = Message("K104", "nested too deeply (more than {limit} levels of lists or mappings)")
YAML_SYNTAX = Message("K105", "YAML syntax error: {detail}{hint}")
YAML_ERROR = Message("K106", "YAML error: {detail}")
CONTROL_CHARACTER = Message("K107", "the file contains an invisible control character ({char}) that YAML does not "
                                    "allow; delete it (it often comes with text pasted from a word processor)")
HINT_TABS = Message("K110", " (use spaces for indentation, not tabs)")
HINT_UNCLOSED_QUOTE = Message("K111", " (the quoted text that starts here is never closed: add the closing quote)")
HINT_STAR = Message("K112", " (a text that starts with * or **, like *italic*, must be put in quotes)")
HINT_BRACKET = Message("K113", " (check the '{bracket}' on line {line}: it must be closed, and a text inside it "
                               "that contains , : ? # [ ] {{ }} must be put in quotes)")
HINT_COLON = Message("K114", " (put a text that contains ': ' in quotes, or check the indentation of this line)")
HINT_DASH = Message("K115", " (a '- ' list item must start on a line of its own)")
HINT_AFTER_QUOTE = Message("K116", " (the text goes on after a closing quote or bracket: put the whole text in quotes)")
HINT_INDENT = Message("K117", " (check the indentation: this line must line up with the lines it belongs with)")
HINT_QUOTE_START = Message("K118", " (put a text that starts with this character in quotes)")
HINT_BANG = Message("K119", " (a text that starts with ! must be put in quotes)")
ALIAS_BOMB = Message("K120", "document expands to more than {limit} values (an alias bomb?)")
NESTED_DEEP = Message("K121", "nested more than {limit} levels deep")
ALIAS_CYCLE = Message("K122", "an alias (*name) refers to the anchor (&name) it is part of, so it would never end")
TAG_NOT_ALLOWED = Message("K123", "the tag '{tag}' is not allowed here")
NUL_CHARACTER = Message("K124", "text must not contain a NUL character (\\0)")
KEY_NOT_TEXT = Message("K125", "a key must be plain text")
DUPLICATE_KEY = Message("K126", "duplicate key '{key}' (first on line {line})")
FILE_OUTSIDE_PROJECT = Message("K128", "lies outside the project folder")
NOT_AN_ORDINARY_FILE = Message("K129", "is {kind}, not an ordinary file; kaartgen reads only ordinary files")
FILE_GREW = Message("K130", "file is over {limit} MB; the limit is {limit} MB")
KIND_FIFO = Message("K131", "a named pipe (FIFO)")
KIND_DEVICE = Message("K132", "a device")
KIND_SOCKET = Message("K133", "a socket")
KIND_FOLDER = Message("K134", "a folder")
KIND_OTHER = Message("K135", "not a regular file")
# PyYAML's problem texts, in its own English words (so they can be looked up) and in Dutch
YAML_INVALID = Message("K136", "invalid YAML")
YAML_MAPPING_VALUES = Message("K137", "mapping values are not allowed here")
YAML_SEQUENCE_ENTRIES = Message("K138", "sequence entries are not allowed here")
YAML_MAPPING_KEYS = Message("K139", "mapping keys are not allowed here")
YAML_CANNOT_START = Message("K140", "found character {char} that cannot start any token")
YAML_NO_COLON = Message("K141", "could not find expected ':'")
YAML_NO_KEY = Message("K142", "did not find expected key")
YAML_UNDEFINED_ALIAS = Message("K143", "found undefined alias {name}")
YAML_DUPLICATE_ANCHOR = Message("K144", "found duplicate anchor {name}")
YAML_BLOCK_END = Message("K145", "expected <block end>, but found {token}")
YAML_FLOW_END = Message("K146", "expected ',' or '{bracket}', but got {token}")
YAML_END_OF_STREAM = Message("K147", "found unexpected end of stream")
YAML_DOCUMENT_SEPARATOR = Message("K148", "found unexpected document separator")
YAML_UNKNOWN_ESCAPE = Message("K149", "found unknown escape character {char}")
YAML_SECOND_DOCUMENT = Message("K150", "expected a single document in the stream, but found another document")
YAML_UNKNOWN_TAG = Message("K151", "could not determine a constructor for the tag {tag}")
YAML_VERSION = Message("K152", "found incompatible YAML document (version 1.* is required)")
YAML_NODE_CONTENT = Message("K153", "expected the node content, but found {token}")
YAML_DOCUMENT_START = Message("K154", "expected '<document start>', but found {token}")
YAML_NAME_CHARACTER = Message("K155", "expected alphabetic or numeric character, but found {char}")
HINT_ESCAPE = Message("K156", " (between double quotes a \\ starts a code: write \\\\ for a backslash, or use "
                              "single quotes)")
# what PyYAML found instead (its token names stay as they are in English)
TOKEN_STREAM_END = Message("K170", "'<stream end>'")
TOKEN_MAPPING_START = Message("K171", "'<block mapping start>'")
TOKEN_SEQUENCE_START = Message("K172", "'<block sequence start>'")
TOKEN_SCALAR = Message("K173", "'<scalar>'")
TOKEN_ALIAS = Message("K174", "'<alias>'")
TOKEN_ANCHOR = Message("K175", "'<anchor>'")
TOKEN_TAG = Message("K176", "'<tag>'")
TOKEN_DOCUMENT_START = Message("K177", "'<document start>'")
# why the system would not open or write a file (OSError): its own English words (as strerror gives
# them on Linux and macOS), and Dutch
OS_NOT_FOUND = Message("K160", "No such file or directory")
OS_PERMISSION = Message("K161", "Permission denied")
OS_IS_FOLDER = Message("K162", "Is a directory")
OS_NOT_A_FOLDER = Message("K163", "Not a directory")
OS_NO_SPACE = Message("K164", "No space left on device")
OS_READ_ONLY = Message("K165", "Read-only file system")
OS_NAME_TOO_LONG = Message("K166", "File name too long")
OS_LINK_LOOP = Message("K167", "Too many levels of symbolic links")
OS_EXISTS = Message("K168", "File exists")
UNQUOTED_HASH = Message("K127", "{text}: YAML reads the {value} after the colon as a comment, so the value is "
                                "empty; put it in quotes: \"{value}\"")

# K2xx: checking values against the declared schema
TYPE_TEXT = Message("K230", "text")
TYPE_INTEGER = Message("K231", "a whole number")
TYPE_NUMBER = Message("K232", "a number")
TYPE_BOOL = Message("K233", "true or false")
TYPE_LIST = Message("K234", "a list")
TYPE_MAPPING = Message("K235", "a mapping (key: value)")
TYPE_EMPTY = Message("K236", "empty")
EITHER = Message("K237", "{first} or {second}")
OLD_SPELLING = Message("K238", "'{key}' is old layout language: {hint}")
NO_BASE_ELEMENT = Message("K239", "no element '{name}' in the layout this one extends to change; a new element needs 'type' (one of {choices})")
REPEAT_NEEDS_ITEMS = Message("K240", "a repeat needs 'items' (a list field) or 'count'")
NO_ELEMENT_TO_EXTEND = Message("K241", "no element '{name}' in this face or in elements:{hint}")
SPREADSHEET_NOT_FOUND = Message("K242", "spreadsheet '{name}' not found")
SPREADSHEET_KIND = Message("K243", "'{name}' is not a .xlsx or .csv file")
SPREADSHEET_UNREADABLE = Message("K244", "cannot read the spreadsheet: {kind}")
NO_SHEET = Message("K245", "no sheet '{name}' in {file}; sheets: {choices}")
ITEMS_IN_SPREADSHEET = Message("K246", "field '{name}' holds items (a list of mappings), which a spreadsheet cannot hold; keep this deck in YAML")
EXPORT_NOT_A_DECK = Message("K247", "'{name}' is not a deck; export-cards writes the cards of a deck")
EXPECTED = Message("K201", "expected {expected}, got {got}")
EMPTY_TEXT = Message("K202", "must not be empty")
NOT_VALID_HERE = Message("K203", "'{value}' is not valid here")
NOT_VALID_HERE_BECAUSE = Message("K220", "'{value}' is not valid here: {hint}")
TOO_LONG = Message("K204", "is {length} characters long; at most {limit} allowed")
BELOW_MINIMUM = Message("K205", "{value} is below the minimum {minimum}")
ABOVE_MAXIMUM = Message("K206", "{value} is above the maximum {maximum}")
NOT_ONE_OF = Message("K207", "{value} is not one of {choices}{hint}")
NOT_POSITIVE = Message("K208", "'{value}' must be larger than zero")
LARGER_THAN_PAPER = Message("K209", "'{value}' is larger than any paper size (max. 1.8 m)")
TOO_FEW_ITEMS = Message("K210", "needs at least {minimum} items")
TOO_MANY_ITEMS = Message("K211", "has {count} items; at most {maximum} allowed")
MISSING_KEY = Message("K212", "missing required key '{key}'")
UNKNOWN_KEY = Message("K213", "unknown key '{key}'{hint}; allowed here: {choices}")
EXPECTED_MAPPING_WITH = Message("K214", "expected a mapping with '{key}', got {got}")
MISSING_KEY_ONE_OF = Message("K215", "missing required key '{key}' (one of {choices})")
EXPECTED_LENGTH = Message("K216", "expected a length such as '5mm', got {got}")
NEEDS_UNIT = Message("K217", "'{value}' needs a unit: mm, cm, pt, in or %")
UNKNOWN_UNIT = Message("K218", "unknown unit '{unit}' in '{value}'; use mm, cm, pt, in or %")
NO_PERCENT_HERE = Message("K219", "'{value}': a percentage is not allowed here")
NOT_A_NUMBER = Message("K221", "{value} is not a number")
NUMBER_TOO_LARGE = Message("K222", "{value} is too large (at most {limit})")
PERCENT_TOO_LARGE = Message("K223", "'{value}' is more than {limit} % of its frame")
LENGTH_NOT_FINITE = Message("K224", "'{value}' is too large a number")

# K3xx: layouts
EXTENDS_CYCLE = Message("K301", "'extends' makes a cycle: {chain}")
UNKNOWN_LAYOUT = Message("K302", "unknown layout '{name}'{hint}; layouts: {choices}")
UNKNOWN_LAYOUT_PATH = Message("K303", "unknown layout '{name}'{hint}; name a layout without folder or '.yaml' "
                                      "(layouts: {choices})")
LAYOUT_NOT_MAPPING = Message("K304", "expected a mapping (key: value) with size, styles, templates…, got {got}")
MISSING_KEY_INHERITED = Message("K305", "missing required key '{key}' (here or in the layout it extends)")
NEGATIVE_BLEED = Message("K306", "bleed and safe must not be negative")
SAFE_TOO_LARGE = Message("K307", "a safe margin of {safe} on each side leaves no room inside the {width}×{height} mm card")
NOT_A_HEX_COLOUR = Message("K308", "'{value}' is not a colour: use '#' and six hex digits, like '#1f6fb2'")
NOT_A_COLOUR_NAME = Message("K309", "'{value}' is not a colour{hint}: use '#rrggbb', {{cmyk: [c, m, y, k]}} or one "
                                    "of the other colours ({choices}), without names that point at each other in a circle")
MIN_SIZE_ABOVE_SIZE = Message("K310", "min_size {min_size} is larger than size {size}")
UNKNOWN_COLOUR = Message("K311", "unknown colour '{name}'{hint}; defined colours: {choices}")
UNKNOWN_FACE = Message("K312", "unknown face '{name}'{hint}; faces: {choices}")
CHOICE_WITHOUT_CHOICES = Message("K313", "a choice field needs 'choices', e.g. choices: [nieuw, deelnemend]")
NO_TEMPLATES = Message("K314", "a layout needs at least one template")
FONT_FILE_MISSING = Message("K315", "font file '{file}' not found")
FONT_OUTSIDE_PROJECT = Message("K328", "font file '{file}' lies outside the project folder")
FONT_FILE_IS = Message("K329", "font file '{file}' {text}", wraps=True)
FONT_OTHER_KIND = Message("K330", "is {kind}, not a TrueType font; use a .ttf file with TrueType outlines")
FONT_NOT_TRUETYPE = Message("K331", "is not a TrueType font; use a .ttf file with TrueType outlines")
FONT_DAMAGED = Message("K332", "is damaged or incomplete: it cannot be read as a TrueType font")
FONT_KIND_CFF = Message("K333", "an OpenType font with PostScript (CFF) outlines")
FONT_KIND_COLLECTION = Message("K334", "a font collection (.ttc)")
FONT_KIND_WOFF = Message("K335", "a web font (WOFF)")
FONT_KIND_WOFF2 = Message("K336", "a web font (WOFF2)")
MARKS_INSIDE_BLEED = Message("K316", "crop marks must start outside the bleed (offset ≥ bleed)")
SHEET_MARGIN_TOO_SMALL = Message("K317", "office printers need a sheet margin of at least 5mm")
CARD_DOES_NOT_FIT_SHEET = Message("K318", "a {width}×{height} mm card does not fit on {sheet} with a {margin} margin; "
                                          "use a larger sheet (sheet: {{size: A3}}) or sheet: {{mode: plain}}")
UNKNOWN_STYLE = Message("K319", "unknown style '{name}'{hint}; defined styles: {choices}")
BAD_DASH = Message("K320", "dash lengths must not be negative, and at least one must be larger than zero")
UNKNOWN_PLACEHOLDER = Message("K321", "unknown field '{{{name}}}'{hint}; the template's fields are: {choices}")
ITEMS_NOT_A_FIELD = Message("K322", "'{name}' is not a field of this template{hint}; fields: {choices}")
OUTSIDE_SAFE_ZONE = Message("K323", "text box reaches outside the safe zone ({safe} mm inside the trim): {edges}")
EDGE_LEFT = Message("K324", "{mm} mm too far left")
EDGE_TOP = Message("K325", "{mm} mm too high")
EDGE_RIGHT = Message("K326", "{mm} mm too far right")
EDGE_BOTTOM = Message("K327", "{mm} mm too low")

# K4xx: decks and cards
LINK_OUTSIDE_PROJECT = Message("K413", "is a link to a file outside the project folder; copy the file into the project instead")
NO_CARDS_FOLDER = Message("K401", "folder not found; run kaartgen in a project folder, the one that holds cards/ and layouts/")
EMPTY_DECK_FILE = Message("K402", "file is empty; a deck needs 'deck' and 'cards'")
EXPECTED_CARD = Message("K403", "expected a card (id: …, with its fields), got {got}")
EXPECTED_GROUP_FIELDS = Message("K404", "expected the fields this group's cards share (key: value), got {got}")
GROUP_STRAY_KEY = Message("K405", "a group has only 'with' and 'cards'; put '{key}' under 'with' or in a card")
EXPECTED_CARD_LIST = Message("K406", "expected a list of cards, got {got}")
NO_CARD_WITH_ID = Message("K407", "no card with id '{id}'{hint}")
DUPLICATE_CARD_ID = Message("K408", "duplicate card id '{id}' (first used on line {line})")
NO_CARDS = Message("K409", "the deck has no cards")
EXPECTED_TEMPLATE_NAME = Message("K410", "expected the name of a template, got {got}")
UNKNOWN_TEMPLATE = Message("K411", "layout '{layout}' has no template '{name}'{hint}; templates: {choices}")
ID_CHARACTERS = Message("K412", "use lowercase letters, digits, - and _")

# K6xx: drawing cards: images, text fitting, glyphs, colours
ON_CARD = Message("K601", "deck '{deck}', card '{card}': {text}", wraps=True)
IMAGE_OUTSIDE_PROJECT = Message("K602", "image '{src}' lies outside the project folder")
IMAGE_NOT_FOUND = Message("K603", "image '{src}' not found")
IMAGE_WRONG_KIND = Message("K604", "image '{src}' is not PNG, JPEG or SVG")
IMAGE_UNREADABLE = Message("K605", "cannot read image '{src}': {reason}")
SVG_UNREADABLE = Message("K606", "cannot read SVG '{src}': {reason}")
UNKNOWN_COLOUR_IN = Message("K607", "unknown colour '{name}' in {key}; defined colours: {choices}")
TEXT_DOES_NOT_FIT = Message("K608", "text of {fields} does not fit its {width}×{height} mm box ({box}), even at "
                                    "{size}pt: {need}; shorten the text or change the layout")
WORD_TOO_WIDE = Message("K609", "a word is wider than the box")
NEEDS_HEIGHT = Message("K610", "it needs {mm} mm of height")
NO_GLYPH = Message("K611", "the font has no glyph for {chars} in {fields}; remove the character or use a font that has it")
LOW_CONTRAST_BLACK = Message("K612", "text contrast {ratio}:1 on colour {colour} is below 4.5:1; using black text")
LOW_CONTRAST_WHITE = Message("K613", "text contrast {ratio}:1 on colour {colour} is below 4.5:1; using white text")
LOW_RESOLUTION = Message("K614", "image '{src}' prints at {dpi} dpi (below 300 dpi); at this size it needs at least "
                                 "{width}×{height} pixels, it has {has_width}×{has_height}")
FIELD_NOT_A_LIST = Message("K615", "field '{name}' is not a list")
IMAGE_REFUSED = Message("K619", "image '{src}': {text}", wraps=True)
IMAGE_TOO_MANY_PIXELS = Message("K620", "image '{src}' is {width}×{height} pixels ({megapixels} megapixels); the limit "
                                        "is {limit} megapixels: scale it down")
SVG_ENTITIES = Message("K621", "SVG '{src}' declares XML entities (<!ENTITY>), which kaartgen does not read; "
                               "save it again as plain SVG")
SVG_NOT_XML = Message("K622", "cannot read SVG '{src}': not valid XML ({reason})")
SVG_OUTSIDE_REFERENCE = Message("K623", "SVG '{src}' refers to '{ref}' outside itself; embed the picture in the SVG "
                                        "(a data: URI) instead")
SVG_OUTSIDE_STYLE = Message("K624", "SVG '{src}' loads a style or picture from outside itself (url() or @import); "
                                    "only url(#id) is allowed")
TOO_FEW_POSITIONS = Message("K616", "{count} items but only {positions} positions in 'at'")
NO_GLYPH_IN_TITLE = Message("K627", "the font has no glyph for {chars} in the title, which the sheets print under "
                                    "the cards; remove the character")
NO_IJ_GLYPH = Message("K628", "the {face} face of the font has no 'ĳ'; it is printed as 'ij'")
FACE_REGULAR = Message("K629", "regular")
FACE_BOLD = Message("K630", "bold")
FACE_ITALIC = Message("K631", "italic")
FACE_BOLD_ITALIC = Message("K632", "bold italic")
ON_DECK = Message("K618", "deck '{deck}': {text}", wraps=True)

# K5xx: partnership sets
EMPTY_SET_FILE = Message("K501", "file is empty; a set needs 'set'")
BAD_SET_FILE_NAME = Message("K502", "file name '{name}' must be lowercase letters, digits and dashes (it names the output folder)")
UNKNOWN_DECK = Message("K503", "unknown deck '{name}'{hint}; decks: {choices}")
OVERRIDE_NOT_IN_DECKS = Message("K504", "deck '{name}' is not in this set's 'decks'; add it there or remove its override")
OVERRIDE_UNKNOWN_DECK = Message("K505", "'{name}' is not one of this set's decks{hint}; the set makes: {choices}")
LOGO_OUTSIDE_PROJECT = Message("K506", "logo '{logo}' lies outside the project folder")
LOGO_NOT_FOUND = Message("K507", "logo '{logo}' not found")
SET_COLOUR_INVALID = Message("K508", "'{value}' is not a colour; use '#rrggbb' or {{cmyk: [c, m, y, k]}}")
OWN_TEXT_EMPTY = Message("K509", "a set can replace this text but not leave it empty; write your own text or "
                                 "leave the whole card out")

# K8xx: printers, previews and output files
BACKS_OFF_SHEET = Message("K815", "a duplex offset of {x} mm × {y} mm moves the backs off the {width}×{height} mm "
                                  "sheet; printers shift a few mm: measure it again with 'kaartgen calibrate'")
UNKNOWN_PRINTER = Message("K801", "unknown printer profile{hint}; profiles in printers/: {choices}")
NO_CARD_IN_DECK = Message("K802", "no card with id '{id}' in deck '{deck}'{hint}; cards: {choices}")
DECK_NOT_IN_SET = Message("K803", "deck '{name}' is not part of this set{hint}; decks: {choices}")
PAGES_DO_NOT_MATCH = Message("K804", "has {pages} pages but deck '{deck}' has {faces} faces; build it again")
EMPTY_OUTPUT_NAME = Message("K805", "an output name cannot be empty")
OUTPUT_NAME_TOO_LONG = Message("K806", "an output name is at most {limit} characters")
BAD_OUTPUT_NAME = Message("K807", "'{name}' cannot name an output file: use letters, digits, '-' and '_' (no '/', '\\' or '..')")
CANNOT_CREATE_FOLDER = Message("K808", "cannot create the output folder: {reason}")
OUTSIDE_OUTPUT_FOLDER = Message("K809", "leads outside the output folder '{root}' (a symbolic link?); remove it or choose another --out")
CANNOT_WRITE = Message("K810", "cannot write: {reason}")
TEMP_REPLACED = Message("K811", "the temporary file was replaced while writing; nothing was written")
PDF_DAMAGED = Message("K812", "the PDF written is damaged ({reason}); the previous file is unchanged")
PDF_EMPTY = Message("K813", "the PDF written has no pages; the previous file is unchanged")
VARIANT_NAME = Message("K814", "variant name: {text}", wraps=True)

# K9xx: checklists and tally
EMPTY_CHECKLIST_FILE = Message("K901", "file is empty; a checklist needs 'checklist' and 'categories'")
LEVEL_TWICE = Message("K902", "level '{value}' is already used by level {first}")
DUPLICATE_CATEGORY = Message("K903", "duplicate category id '{id}'")
RESERVED_CATEGORY = Message("K904", "'{id}' is the name of another field of the form; choose another id")
LAYOUT_NEEDS_COLOUR = Message("K905", "the layout needs a colour '{name}'{hint}; defined colours: {choices}")
LAYOUT_NEEDS_STYLE = Message("K906", "the layout needs a style '{name}'{hint}; defined styles: {choices}")
LAYOUT_NEEDS_TEMPLATE = Message("K907", "the layout needs a template '{name}'; templates: {choices}")
STYLE_NO_GLYPH = Message("K908", "the font of style '{style}' has no glyph for {chars}")
LEVEL_CHARACTERS = Message("K909", "lowercase letters, digits and _ (the export value)")
CATEGORY_CHARACTERS = Message("K910", "lowercase letters, digits and _ (part of the field names)")
FORM_ID_TWICE = Message("K911", "form id '{id}' is also used by {file}")
NO_CHECKLISTS = Message("K912", "no checklist files here; run 'kaartgen tally' in the project folder (with cards/)")
NO_SUCH_FILE = Message("K913", "no such file")
NOT_A_PDF = Message("K914", "not a PDF file")
DAMAGED_PDF = Message("K915", "damaged PDF, cannot be read ({reason})")
UNKNOWN_FORM = Message("K916", "form '{id}' is not one of the checklists in cards/ ({choices})")
OTHER_FORM_VERSION = Message("K917", "made with version {version} of form '{id}', but the checklist is now version "
                                     "{current}; tally copies of one version together")
FORM_FIELDS_MISSING = Message("K918", "form fields missing ({fields}); the file is damaged or was changed")
BAD_ANSWER = Message("K919", "field {field} holds '{answer}', which is not one of {choices}")
NOT_A_FORM = Message("K920", "not a kaartgen checklist form (no form id in the file)")
SKIPPED = Message("K921", "skipped: {text}", wraps=True)
NO_COPIES = Message("K922", "no filled-in checklist copies to tally")
TALLY_BLANK = Message("K923", "blank form (no item answered), not counted")
TALLY_SAME_FILE = Message("K924", "same file as {first}, counted once")
TALLY_SAME_ANSWERS = Message("K925", "same answers, name and date as {first}, counted once")
TALLY_STORED_NOT_SHOWN = Message("K926", "no button is shown as chosen, but values are stored for {count} items "
                                         "(first: {field}); not counted")
TALLY_DISAGREES = Message("K927", "item {field} ('{text}'): the stored value differs from the button shown; "
                                  "counted as shown ({shown})")
TALLY_NO_CHOICE = Message("K928", "no choice")
TALLY_NOT_REGULAR = Message("K929", "not a regular file")
TALLY_CANNOT_OPEN = Message("K930", "cannot be opened ({reason})")
TALLY_TOO_LARGE = Message("K931", "larger than {mb} MB; not a checklist copy")
TALLY_TOO_SLOW = Message("K932", "took longer than {seconds} s to read; not a normal checklist copy")
TALLY_PASSWORD = Message("K933", "protected with a password; ask for a copy without one")
TALLY_TOO_MANY_FIELDS = Message("K934", "more than {count} form fields; not a checklist copy")
TALLY_CANNOT_WRITE = Message("K935", "cannot write the summary: {reason}")
TALLY_SKIPPED_ONE = Message("K936", "1 file not counted (listed above and on the last page of summary.pdf)")
TALLY_SKIPPED_MANY = Message("K937", "{count} files not counted (listed above and on the last page of summary.pdf)")
TALLY_COUNTED_ONE = Message("K938", "{form}: 1 copy counted")
TALLY_COUNTED_MANY = Message("K939", "{form}: {count} copies counted")
TALLY_WROTE = Message("K940", "wrote {files} in {folder}")
TABLE_SIZES_MISSING = Message("K941", "a checklist layout needs these sizes in table: {keys}")
TALLY_UNREADABLE_DATE = Message("K943", "date '{value}' cannot be read (write it like 3-2-2026); counted, but left out "
                                        "of the period in which the checklist was filled in")
TABLE_LOW_CONTRAST = Message("K942", "text of style '{style}' (colour '{colour}') on '{background}' has contrast "
                                     "{ratio}:1, below {limit}:1")


_OS_REASONS = {errno.ENOENT: OS_NOT_FOUND, errno.EACCES: OS_PERMISSION, errno.EPERM: OS_PERMISSION,
               errno.EISDIR: OS_IS_FOLDER, errno.ENOTDIR: OS_NOT_A_FOLDER, errno.ENOSPC: OS_NO_SPACE,
               errno.EROFS: OS_READ_ONLY, errno.ENAMETOOLONG: OS_NAME_TOO_LONG, errno.ELOOP: OS_LINK_LOOP,
               errno.EEXIST: OS_EXISTS}


def os_reason(exc: OSError) -> "Said | str":
    """Why the system refused a file, in the reader's language; the system's own (English) words
    for a reason not listed."""
    message = _OS_REASONS.get(exc.errno)
    return message() if message else (exc.strerror or str(exc))
