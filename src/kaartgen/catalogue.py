"""Keep the gettext catalogue in step with the messages declared in `kaartgen.messages`.

`python3 tasks.py messages` (or `python -m kaartgen.catalogue`) adds new messages to each
`locale/<lang>/LC_MESSAGES/kaartgen.po` (untranslated), marks changed English texts fuzzy and
drops messages no longer declared. (kaartgen compiles the `.po` in memory when it runs.)
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from kaartgen import messages

TRANSLATED = [lang for lang in messages.LANGUAGES if lang != messages.DEFAULT_LANGUAGE]


def po_path(language: str) -> Path:
    return messages.LOCALE_DIR / language / "LC_MESSAGES" / f"{messages.DOMAIN}.po"


HEADER = {"project": "kaartgen", "version": "0.1", "domain": messages.DOMAIN, "charset": "utf-8",
          "copyright_holder": "kaartgen", "language_team": "kaartgen", "last_translator": "kaartgen",
          "header_comment": "# Messages of kaartgen. Edit the msgstr lines; run `python3 tasks.py messages` after.\n"}


def template() -> Catalog:
    """The catalogue of every declared message, without translations."""
    catalog = Catalog(**HEADER)
    for code, message in sorted(messages.declared().items()):
        catalog.add(message.text, context=code, auto_comments=[code])
    return catalog


def read(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, fuzzy=False, **HEADER)
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=messages.DOMAIN)


def update(language: str) -> Catalog:
    catalog = read(language)
    catalog.update(template(), no_fuzzy_matching=True, update_header_comment=False, update_creation_date=False)
    catalog.obsolete.clear()
    path = po_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, include_previous=True)
    return catalog


def main() -> int:
    for language in TRANSLATED:
        catalog = update(language)
        todo = [m.context for m in catalog if m.id and (not m.string or m.fuzzy)]
        print(f"{po_path(language)}: {len(catalog)} messages, {len(todo)} to translate"
              + (f": {', '.join(todo)}" if todo else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
